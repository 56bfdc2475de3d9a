/**
 * Binance USDⓈ-M futures order form (`www.binance.com[/<locale>]/futures/<SYMBOL>`).
 * Long and short are placed with two buttons (Buy/Long, Sell/Short), so without an Open/Close
 * side switch the side comes from where the stop and take-profit sit relative to the entry.
 * Sources (see SITES-EVIDENCE.md):
 * - [J] jackhai9/userscripts `src/binance-orderbook-trade/dom/trade-form.js` and `index.user.js`
 *   (selectors from 2026-03, commit 2026-07);
 * - [N] notiv-nt/cex-utilities `packages/binance/src/services/binance-ui.service.ts` (2023-01).
 * Everything not found by these is found by accessible name and text (`../reader/`).
 */
import type { SiteSelectors } from '../types';

export const BINANCE_SELECTORS: SiteSelectors = {
  exchange: 'binance',
  urls: ['https://www.binance.com/futures/*', 'https://www.binance.com/*/futures/*'],
  // [N] 2023: `[name="orderForm"]`; not referenced by [J] in 2026, so only a shortcut.
  form: ['[name="orderForm"]'],
  orderType: {
    options: {
      // [J] 2026: `[role="tab"][data-tab-key]` with aria-selected; SITES-EVIDENCE.md: older pages
      // `#tab-LIMIT` (no source names a market tab's id: that one is found by its text).
      limit: ['[role="tab"][data-tab-key="LIMIT"]', '#tab-LIMIT'],
      market: ['[role="tab"][data-tab-key="MARKET"]'],
    },
  },
  // [J] 2026: ids `limitPrice-<n>`, aria-label/placeholder `委托价格`; [N] 2023: `name="limitPrice"`.
  price: { selectors: ['input[id^="limitPrice-"]', 'input[name="limitPrice"]'] },
  // [J] 2026: ids `unitAmount-<n>`, aria-label/placeholder `数量`; [N] 2023: `name="unitAmount"`.
  size: { selectors: ['input[id^="unitAmount-"]', 'input[name="unitAmount"]'] },
  // SITES-EVIDENCE.md (a Binance position-size extension in public code): the unit switch.
  sizeUnit: ['[data-testid="unit-select-button"]'],
  // [N] 2022-23: names and id prefixes; no 2026 confirmation, so the labels (Stop Loss, 止损) back them up.
  stop: { selectors: ['input[name="stopLossStopPrice"]', 'input[id^="stopLossStopPrice"]'] },
  takeProfit: { selectors: ['input[name="takeProfitStopPrice"]', 'input[id^="takeProfitStopPrice"]'] },
  // Leverage is a button reading `Cross 20x` / `全仓 20x`, found by its text ([J]); no selector.
  leverage: [],
  // [N] 2023: the last price sits inside `.ticker-wrap` (its first number).
  lastPrice: ['.ticker-wrap > div:first-child > div:first-child > div:first-child > div:last-child'],
  // SITES-EVIDENCE.md: Buy/Long is a `type="submit"` button; both side buttons are also found by text.
  submit: ['button[type="submit"]'],
};
