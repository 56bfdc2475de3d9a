/**
 * What the tooltip says about the point under the pointer: its price and distance from the
 * current price, the USD of positions the latest map says would be liquidated if price moved
 * there (cumulative from the current price: longs on the way down, shorts on the way up), and
 * the USD at that price level at the hovered time (the heatmap's own figure, the legend's kind).
 */
import type { EstimateView } from '../../messaging/contract';

export interface Plot {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface HoverInfo {
  readonly price: number;
  /** Signed distance from the current price in % (positive above). */
  readonly distancePct: number;
  /** Estimated live liquidations in the latest map's bin holding `price`, USD. */
  readonly longUsd: number;
  readonly shortUsd: number;
  /** The side a move to `price` liquidates: longs below the current price, shorts above. */
  readonly side: 'long' | 'short';
  /** USD of that side's positions liquidated between the current price and `price` (latest map). */
  readonly cumulativeUsd: number;
  /** Open time of the hovered column. */
  readonly time: number;
  /** Estimated USD at the hovered price level at that time (both sides), as the legend counts it. */
  readonly cellUsd: number;
}

/**
 * The hover information at pixel (px, py) of an image whose heat plot is `plot`; undefined
 * outside the plot.
 * @example hoverAt(view, raster.plot, 120, 80)?.price // 64,512.3
 */
export function hoverAt(view: EstimateView, plot: Plot, px: number, py: number): HoverInfo | undefined {
  const h = view.heatmap;
  if (px < plot.x || py < plot.y || px >= plot.x + plot.width || py >= plot.y + plot.height || h.columns === 0 || h.rows === 0) return undefined;
  const price = h.priceHigh - ((py - plot.y + 0.5) / plot.height) * (h.priceHigh - h.priceLow);
  const column = Math.min(h.columns - 1, Math.floor(((px - plot.x) / plot.width) * h.columns));
  const row = Math.min(h.rows - 1, Math.max(0, Math.floor(((price - h.priceLow) / (h.priceHigh - h.priceLow)) * h.rows)));
  const level = (h.intensity[column * h.rows + row] ?? 0) / 255;
  let longUsd = 0;
  let shortUsd = 0;
  const side = price >= view.price ? 'short' : 'long';
  let cumulativeUsd = 0;
  const map = view.latestMap;
  if (map && map.long.length > 0 && map.priceHigh > map.priceLow) {
    const bins = map.long.length;
    const width = (map.priceHigh - map.priceLow) / bins;
    const binOf = (p: number) => Math.floor((p - map.priceLow) / width);
    if (price >= map.priceLow && price < map.priceHigh) {
      const bin = binOf(price);
      longUsd = map.long[bin] ?? 0;
      shortUsd = map.short[bin] ?? 0;
    }
    // Every bin between the price and the hovered one, the hovered one included (the side bars' curve).
    const values = side === 'long' ? map.long : map.short;
    const from = Math.max(0, Math.min(binOf(view.price), binOf(price)));
    const to = Math.min(bins - 1, Math.max(binOf(view.price), binOf(price)));
    for (let b = from; b <= to; b++) cumulativeUsd += values[b] ?? 0;
  }
  return {
    price,
    distancePct: view.price > 0 ? ((price - view.price) / view.price) * 100 : 0,
    longUsd,
    shortUsd,
    side,
    cumulativeUsd,
    time: h.firstTimestamp + column * h.columnMs,
    cellUsd: level * level * h.maxCellUsd,
  };
}
