/**
 * Which of the pools a list shows lie outside the chart's price band: none should (the heatmap's
 * band spans the latest map's reach, see `priceBand` in the engine); the demo's summary and the
 * tests check it on real data.
 */
import type { Pool } from '../engine/types';
import { splitPools } from './format';

/** The price band a chart draws. */
export interface ChartBand {
  readonly priceLow: number;
  readonly priceHigh: number;
}

/** Pools the panel lists per side of the price. */
export const LISTED_PER_SIDE = 2;

/**
 * The listed pools (nearest `perSide` above and below the price) not wholly inside `band`.
 * @example poolsOffChart(view.heatmap, view.pools, view.price) // []
 */
export function poolsOffChart(band: ChartBand, pools: readonly Pool[], price: number, perSide = LISTED_PER_SIDE): Pool[] {
  const { above, below } = splitPools(pools, price, perSide);
  return [...above, ...below].filter((p) => !(p.priceLow >= band.priceLow && p.priceHigh <= band.priceHigh));
}
