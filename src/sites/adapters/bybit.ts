import { adapterFromSelectors } from '../read-form';
import { BYBIT_SELECTORS } from '../selectors/bybit';
import type { SiteAdapter } from '../types';

/** Reads the order form of bybit's futures page by the selectors in `selectors/bybit.ts`. */
export const bybitAdapter: SiteAdapter = adapterFromSelectors(BYBIT_SELECTORS);
