/**
 * What the full view's crosshair reads at a price and time: the heatmap cell there, and from the
 * latest map the liquidations between the current price and that price (cumulative from the
 * price, the figure a trader weighs against a move there). Pure code over the view.
 */
import type { EstimateView } from '../../messaging/contract';

export interface Readout {
  readonly price: number;
  /** Signed distance from the current price in % (positive above). */
  readonly distancePct: number;
  /** Open time of the column under the pointer, or undefined outside the heatmap's time range. */
  readonly time?: number;
  /** Estimated liquidation notional of the heatmap cell under the pointer (both sides), USD. */
  readonly cellUsd: number;
  /** Latest map: longs (below the price) or shorts (above) liquidated from the price to `price`, USD. */
  readonly cumulativeUsd: number;
  /** Which side `cumulativeUsd` counts. */
  readonly side: 'long' | 'short';
  /** Latest map: notional in the bin holding `price`, each side, USD. */
  readonly binLongUsd: number;
  readonly binShortUsd: number;
}

/**
 * The readout at `price` and `time`.
 * @example readoutAt(view, 63_320, Date.now()).cumulativeUsd // longs between 63,320 and the price
 */
export function readoutAt(view: EstimateView, price: number, time: number | undefined): Readout {
  const h = view.heatmap;
  let cellUsd = 0;
  let column: number | undefined;
  if (time !== undefined && h.columns > 0 && h.rows > 0) {
    const c = Math.floor((time - h.firstTimestamp) / h.columnMs);
    if (c >= 0 && c < h.columns && price >= h.priceLow && price < h.priceHigh) {
      column = c;
      const row = Math.min(h.rows - 1, Math.floor(((price - h.priceLow) / (h.priceHigh - h.priceLow)) * h.rows));
      const level = (h.intensity[c * h.rows + row] ?? 0) / 255;
      cellUsd = level * level * h.maxCellUsd;
    }
  }
  const side: 'long' | 'short' = price < view.price ? 'long' : 'short';
  const { cumulative, binLong, binShort } = mapAt(view, price, side);
  return {
    price,
    distancePct: view.price > 0 ? ((price - view.price) / view.price) * 100 : 0,
    ...(column !== undefined ? { time: h.firstTimestamp + column * h.columnMs } : {}),
    cellUsd,
    cumulativeUsd: cumulative,
    side,
    binLongUsd: binLong,
    binShortUsd: binShort,
  };
}

function mapAt(view: EstimateView, price: number, side: 'long' | 'short'): { cumulative: number; binLong: number; binShort: number } {
  const map = view.latestMap;
  const bins = map ? Math.min(map.long.length, map.short.length) : 0;
  if (!map || bins === 0 || !(map.priceHigh > map.priceLow)) return { cumulative: 0, binLong: 0, binShort: 0 };
  const width = (map.priceHigh - map.priceLow) / bins;
  const lo = Math.min(price, view.price);
  const hi = Math.max(price, view.price);
  let cumulative = 0;
  for (let b = 0; b < bins; b++) {
    const a = map.priceLow + b * width;
    const overlap = Math.min(hi, a + width) - Math.max(lo, a);
    if (overlap <= 0) continue;
    cumulative += ((side === 'long' ? map.long[b] : map.short[b]) ?? 0) * (overlap / width);
  }
  const bin = Math.floor((price - map.priceLow) / width);
  const inside = bin >= 0 && bin < bins;
  return { cumulative, binLong: inside ? (map.long[bin] ?? 0) : 0, binShort: inside ? (map.short[bin] ?? 0) : 0 };
}
