import { adapterFromSelectors } from '../read-form';
import { HYPERLIQUID_SELECTORS } from '../selectors/hyperliquid';
import type { SiteAdapter } from '../types';

/** Reads the order form of hyperliquid's futures page by the selectors in `selectors/hyperliquid.ts`. */
export const hyperliquidAdapter: SiteAdapter = adapterFromSelectors(HYPERLIQUID_SELECTORS);
