/**
 * Bitget USDT-M futures order form (`www.bitget.com/<locale>/futures/usdt/<SYMBOL>`). Open
 * long and open short are two buttons: the side comes from the stop and take-profit.
 */
import type { SiteSelectors } from '../types';

export const BITGET_SELECTORS: SiteSelectors = {
  exchange: 'bitget',
  urls: ['https://www.bitget.com/*futures/*'],
  form: ['[data-testid="futures-trade-form"]', '[role="form"][aria-label="Open position"]'],
  orderType: {
    options: {
      limit: ['[role="tab"][data-type="limit"]'],
      market: ['[role="tab"][data-type="market"]'],
    },
  },
  price: { selectors: ['input[name="price"]'], label: /^price\b/i },
  size: { selectors: ['input[name="amount"]', 'input[name="size"]'], label: /^(amount|size)\b/i },
  sizeUnit: ['[data-testid="amount-unit"]'],
  stop: { selectors: ['input[name="stopLossPrice"]', 'input[name="presetStopLossPrice"]'], label: /^(sl|stop[ -]?loss)\b/i },
  takeProfit: { selectors: ['input[name="takeProfitPrice"]', 'input[name="presetTakeProfitPrice"]'], label: /^(tp|take[ -]?profit)\b/i },
  leverage: ['[data-testid="leverage-long"]', 'button[aria-label^="Leverage"]'],
  lastPrice: ['[data-testid="last-price"]', '[aria-label="Last price"]'],
  submit: ['button[data-testid="open-long-btn"]', 'button[data-testid="open-short-btn"]'],
};
