/**
 * Bitget USDT-M futures order form (`www.bitget.com[/<locale>|/asia]/futures/usdt/<SYMBOL>`).
 * Open long and open short are two buttons: the side comes from the stop and take-profit.
 * Sources (see SITES-EVIDENCE.md):
 * - [F] sml122900/futures-journal-extension `src/adapters/bitget.js` and `docs/daily/2026-05-20.md`
 *   ("real DOM confirmed 2026-05-19/20");
 * - [U] an older hotkey userscript: `.pc-order-placer-wrap`, `.tab.active`.
 * No public source shows the price, TP/SL, leverage or last-price markup: those are read by
 * accessible name and text only.
 */
import type { SiteSelectors } from '../types';

export const BITGET_SELECTORS: SiteSelectors = {
  exchange: 'bitget',
  urls: ['https://www.bitget.com/futures/*', 'https://www.bitget.com/*/futures/*'],
  // [U] older layout; a shortcut only.
  form: ['.pc-order-placer-wrap'],
  side: {
    options: {
      // [F] 2026-05: `<button role="buyer">` / `<button role="seller">` holding
      // `span[data-testid="FutureTradeOpenBuyButton" | "FutureTradeOpenSellButton"]`.
      long: ['button[role="buyer"]', 'span[data-testid="FutureTradeOpenBuyButton"]'],
      short: ['button[role="seller"]', 'span[data-testid="FutureTradeOpenSellButton"]'],
    },
  },
  // [F] 2026-05: `FutureTradeLimitOrderAmountInput` / `FutureTradeMarketOrderAmountInput`, `name="op-amount"`.
  size: { selectors: ['input[data-testid="FutureTradeLimitOrderAmountInput"]', 'input[data-testid="FutureTradeMarketOrderAmountInput"]', 'input[name="op-amount"]'] },
  price: { selectors: [] },
  sizeUnit: [],
  stop: { selectors: [] },
  takeProfit: { selectors: [] },
  leverage: [],
  lastPrice: [],
  // [F] 2026-05: the two open buttons.
  submit: ['button[role="buyer"]', 'button[role="seller"]'],
};
