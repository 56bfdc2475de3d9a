/**
 * What the tooltip says about the point under the pointer: its price, the estimated long and
 * short liquidation notional around that price in the latest map, the heat of that cell at that
 * time, and the distance from the current price.
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
  /** Open time of the hovered column. */
  readonly time: number;
  /** Estimated notional of the hovered heatmap cell (both sides), USD. */
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
  const map = view.latestMap;
  if (map && map.long.length > 0 && price >= map.priceLow && price < map.priceHigh) {
    const bin = Math.floor(((price - map.priceLow) / (map.priceHigh - map.priceLow)) * map.long.length);
    longUsd = map.long[bin] ?? 0;
    shortUsd = map.short[bin] ?? 0;
  }
  return {
    price,
    distancePct: view.price > 0 ? ((price - view.price) / view.price) * 100 : 0,
    longUsd,
    shortUsd,
    time: h.firstTimestamp + column * h.columnMs,
    cellUsd: level * level * h.maxCellUsd,
  };
}
