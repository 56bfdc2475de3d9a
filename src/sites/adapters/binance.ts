import { adapterFromSelectors } from '../read-form';
import { BINANCE_SELECTORS } from '../selectors/binance';
import type { SiteAdapter } from '../types';

/** Reads the order form of binance's futures page by the selectors in `selectors/binance.ts`. */
export const binanceAdapter: SiteAdapter = adapterFromSelectors(BINANCE_SELECTORS);
