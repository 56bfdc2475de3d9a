/**
 * Hyperliquid trade page (`app.hyperliquid.xyz/trade[/<COIN>]`). Built with styled-components
 * (generated `sc-` classes); no `data-testid`, `name` or `data-*` on the form in any source, so
 * everything is read by visible labels: tabs Market / Limit / Pro, toggles "Buy / Long" and
 * "Sell / Short", "Price (USDC)", "Size", leverage as "20x", submit "Place Order".
 * Sources (see SITES-EVIDENCE.md): zyonlab/TestPilot
 * `examples/hyperliquid-testnet/domain-knowledge.md` (testnet UI, 2026-09); a light-theme
 * userscript; a design-reference note (2026-02).
 */
import type { SiteSelectors } from '../types';

export const HYPERLIQUID_SELECTORS: SiteSelectors = {
  exchange: 'hyperliquid',
  urls: ['https://app.hyperliquid.xyz/trade', 'https://app.hyperliquid.xyz/trade/*'],
  form: [],
  price: { selectors: [] },
  size: { selectors: [] },
  sizeUnit: [],
  stop: { selectors: [] },
  takeProfit: { selectors: [] },
  leverage: [],
  // No source shows where the mark or last price is; a market order takes the map's price.
  lastPrice: [],
  submit: [],
};
