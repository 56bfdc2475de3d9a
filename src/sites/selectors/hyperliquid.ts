/**
 * Hyperliquid trade page (`app.hyperliquid.xyz/trade[/<COIN>]`): a Buy/Long, Sell/Short switch,
 * Market/Limit tabs, leverage on a button, TP/SL fields under a checkbox, one submit button.
 * Its class names are generated, so only labels, names and data attributes are used.
 */
import type { SiteSelectors } from '../types';

export const HYPERLIQUID_SELECTORS: SiteSelectors = {
  exchange: 'hyperliquid',
  urls: ['https://app.hyperliquid.xyz/trade*'],
  form: ['[data-testid="order-entry"]', 'form[aria-label="Place order"]'],
  side: {
    options: {
      long: ['button[data-side="B"]', 'button[aria-label="Buy / Long"]'],
      short: ['button[data-side="A"]', 'button[aria-label="Sell / Short"]'],
    },
  },
  orderType: {
    options: {
      limit: ['[role="tab"][data-order-type="limit"]'],
      market: ['[role="tab"][data-order-type="market"]'],
    },
  },
  price: { selectors: ['input[name="limitPx"]'], label: /^price\b/i },
  size: { selectors: ['input[name="sz"]'], label: /^size\b/i },
  sizeUnit: ['[data-testid="size-unit"]'],
  stop: { selectors: ['input[name="slPrice"]'], label: /^sl price\b/i },
  takeProfit: { selectors: ['input[name="tpPrice"]'], label: /^tp price\b/i },
  leverage: ['button[data-testid="leverage-button"]', 'button[aria-label^="Leverage"]'],
  lastPrice: ['[data-testid="mid-price"]', '[aria-label="Mark price"]'],
  submit: ['button[type="submit"][data-testid="place-order"]', 'button[type="submit"]'],
};
