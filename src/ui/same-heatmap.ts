/**
 * Whether two heatmap views draw the same picture: the background sends a new object with every
 * view (a refresh that found no new bar, each realized liquidation), and redrawing an unchanged
 * heatmap is tens of milliseconds of work on the exchange's page.
 */
import type { HeatmapView } from '../messaging/contract';

/**
 * True when `a` and `b` have the same grid, scale, intensities and candles.
 * @example sameHeatmapView(view.heatmap, structuredClone(view.heatmap)) // true
 */
export function sameHeatmapView(a: HeatmapView, b: HeatmapView): boolean {
  if (a === b) return true;
  if (
    a.columns !== b.columns ||
    a.rows !== b.rows ||
    a.firstTimestamp !== b.firstTimestamp ||
    a.columnMs !== b.columnMs ||
    a.priceLow !== b.priceLow ||
    a.priceHigh !== b.priceHigh ||
    a.maxCellUsd !== b.maxCellUsd
  ) {
    return false;
  }
  return sameNumbers(a.intensity, b.intensity) && sameNumbers(a.candles ?? [], b.candles ?? []);
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
