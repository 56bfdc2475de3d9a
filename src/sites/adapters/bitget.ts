import { adapterFromSelectors } from '../read-form';
import { BITGET_SELECTORS } from '../selectors/bitget';
import type { SiteAdapter } from '../types';

/** Reads the order form of bitget's futures page by the selectors in `selectors/bitget.ts`. */
export const bitgetAdapter: SiteAdapter = adapterFromSelectors(BITGET_SELECTORS);
