/**
 * Bybit USDT perpetual order form (`www.bybit.com/trade/usdt/<SYMBOL>`). Long and short are
 * placed with two buttons (Buy/Long, Sell/Short): the side comes from the stop and take-profit.
 */
import type { SiteSelectors } from '../types';

export const BYBIT_SELECTORS: SiteSelectors = {
  exchange: 'bybit',
  urls: ['https://www.bybit.com/trade/usdt/*', 'https://www.bybit.com/*/trade/usdt/*'],
  form: ['[data-testid="oc-order-form"]', '.order-form-wrap[role="form"]', '[role="form"][aria-label="Place order"]'],
  orderType: {
    options: {
      limit: ['[role="tab"][data-key="limit"]', '[role="radio"][value="Limit"]'],
      market: ['[role="tab"][data-key="market"]', '[role="radio"][value="Market"]'],
    },
  },
  price: { selectors: ['input[data-testid="oc-price-input"]', 'input[name="price"]'], label: /^(order )?price\b/i },
  size: { selectors: ['input[data-testid="oc-qty-input"]', 'input[name="qty"]'], label: /^(qty|quantity)\b/i },
  sizeUnit: ['[data-testid="oc-qty-unit"]'],
  stop: { selectors: ['input[data-testid="oc-sl-input"]', 'input[name="stopLoss"]'], label: /^(sl|stop[ -]?loss)\b/i },
  takeProfit: { selectors: ['input[data-testid="oc-tp-input"]', 'input[name="takeProfit"]'], label: /^(tp|take[ -]?profit)\b/i },
  leverage: ['[data-testid="oc-leverage-btn"]', 'button[aria-label="Leverage"]'],
  lastPrice: ['[data-testid="ticker-last-price"]', '[aria-label="Last traded price"]'],
  submit: ['button[data-testid="oc-btn-buy"]', 'button[data-testid="oc-btn-sell"]'],
};
