import { adapterFromSelectors } from '../read-form';
import { OKX_SELECTORS } from '../selectors/okx';
import type { SiteAdapter } from '../types';

/** Reads the order form of okx's futures page by the selectors in `selectors/okx.ts`. */
export const okxAdapter: SiteAdapter = adapterFromSelectors(OKX_SELECTORS);
