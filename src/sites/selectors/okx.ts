/**
 * OKX USDT swap order form (`www.okx.com/<locale>/trade-swap/<inst-id>`), one-way mode: a
 * Buy/Sell switch at the top, one submit button.
 */
import type { SiteSelectors } from '../types';

export const OKX_SELECTORS: SiteSelectors = {
  exchange: 'okx',
  urls: ['https://www.okx.com/*trade-swap/*'],
  form: ['[data-testid="trade-place-order"]', 'form[name="placeOrder"]'],
  side: {
    options: {
      long: ['[role="radio"][data-side="buy"]', 'input[type="radio"][name="side"][value="buy"]'],
      short: ['[role="radio"][data-side="sell"]', 'input[type="radio"][name="side"][value="sell"]'],
    },
  },
  orderType: {
    options: {
      limit: ['[role="tab"][data-ord-type="limit"]'],
      market: ['[role="tab"][data-ord-type="market"]'],
    },
  },
  price: { selectors: ['input[name="px"]', 'input[data-testid="price-input"]'], label: /^price\b/i },
  size: { selectors: ['input[name="sz"]', 'input[data-testid="amount-input"]'], label: /^amount\b/i },
  sizeUnit: ['[data-testid="amount-unit"]', 'select[name="szUnit"]'],
  stop: { selectors: ['input[name="slTriggerPx"]'], label: /^(sl trigger price|stop[ -]?loss)\b/i },
  takeProfit: { selectors: ['input[name="tpTriggerPx"]'], label: /^(tp trigger price|take[ -]?profit)\b/i },
  leverage: ['[data-testid="leverage-entry"]', 'input[name="lever"]'],
  lastPrice: ['[data-testid="last-price"]', '[aria-label="Last price"]'],
  submit: ['button[data-testid="place-order-btn"]', 'button[type="submit"]'],
};
