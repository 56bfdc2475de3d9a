/**
 * Binance USDT-M futures order form (`www.binance.com/<locale>/futures/<SYMBOL>`).
 * The classic form places long and short with two buttons (Buy/Long, Sell/Short), so the side
 * is read from where the stop and take-profit sit relative to the entry.
 */
import type { SiteSelectors } from '../types';

export const BINANCE_SELECTORS: SiteSelectors = {
  exchange: 'binance',
  urls: ['https://www.binance.com/*/futures/*'],
  form: ['[data-testid="futures-order-form"]', 'form[name="orderForm"]', '[role="form"][aria-label="Order form"]'],
  orderType: {
    options: {
      limit: ['[role="tab"][data-order-type="LIMIT"]', '[role="tab"][aria-controls="order-form-limit"]'],
      market: ['[role="tab"][data-order-type="MARKET"]', '[role="tab"][aria-controls="order-form-market"]'],
    },
  },
  price: { selectors: ['input[name="unitPrice"]', 'input[data-testid="price-input"]'], label: /^price\b/i },
  size: { selectors: ['input[name="unitAmount"]', 'input[data-testid="quantity-input"]'], label: /^(size|amount)\b/i },
  sizeUnit: ['[data-testid="size-unit"]', '[aria-label="Size unit"]'],
  stop: { selectors: ['input[name="stopLossStopPrice"]', 'input[data-testid="sl-input"]'], label: /^stop[ -]?loss\b/i },
  takeProfit: { selectors: ['input[name="takeProfitStopPrice"]', 'input[data-testid="tp-input"]'], label: /^take[ -]?profit\b/i },
  leverage: ['[data-testid="leverage-button"]', 'button[aria-label^="Leverage"]'],
  lastPrice: ['[data-testid="contract-last-price"]', '[aria-label="Last price"]'],
  submit: ['button[data-testid="order-buy-button"]', 'button[data-testid="order-sell-button"]', 'button[type="submit"]'],
};
