/**
 * The heatmap in the compact, message-friendly form the panel draws (`HeatmapView`), and back.
 * Intensities are square-root scaled like the raster's colour scale, so the 256 levels are
 * spent where the eye sees differences and faint cells survive the rounding.
 */
import { columnFactor } from '../engine/heatmap-cells';
import type { Heatmap, LiquidationMap } from '../engine/types';
import type { Candle } from '../render/heatmap-candles';
import { type HeatmapView, type LatestMapView, MAX_MAP_BINS } from '../messaging/contract';

/**
 * Packs a heatmap (and one candle per column, flat OHLC) into a {@link HeatmapView}.
 * @example toHeatmapView(output.heatmap, output.candles, 3_600_000).intensity.length // columns * rows
 */
export function toHeatmapView(heatmap: Heatmap, candles: ArrayLike<number>, columnMs: number): HeatmapView {
  const { columns, rows, cells, maxCell } = heatmap;
  const intensity = new Array<number>(columns * rows);
  const scale = maxCell > 0 ? 1 / maxCell : 0;
  for (let c = 0; c < columns; c++) {
    const factor = columnFactor(heatmap, c);
    for (let i = c * rows, end = i + rows; i < end; i++) {
      const v = cells[i]! * factor * scale;
      intensity[i] = v > 0 ? Math.min(255, Math.round(Math.sqrt(v) * 255)) : 0;
    }
  }
  const flat = new Array<number>(candles.length);
  for (let i = 0; i < candles.length; i++) flat[i] = roundPrice(candles[i]!);
  return {
    columns,
    rows,
    firstTimestamp: heatmap.timestamps[0] ?? 0,
    columnMs,
    priceLow: heatmap.priceEdges[0] ?? 0,
    priceHigh: heatmap.priceEdges[rows] ?? 0,
    maxCellUsd: maxCell,
    intensity,
    candles: flat,
  };
}

/**
 * Unpacks a {@link HeatmapView} into the engine's `Heatmap` shape (cells in USD again, to the
 * precision of the intensity) and its candles, ready for `renderHeatmapRgba`.
 */
export function fromHeatmapView(view: HeatmapView): { heatmap: Heatmap; candles: Candle[] } {
  const { columns, rows } = view;
  const cells = new Float32Array(columns * rows);
  for (let i = 0; i < cells.length; i++) {
    const level = (view.intensity[i] ?? 0) / 255;
    cells[i] = level * level * view.maxCellUsd;
  }
  const timestamps = new Float64Array(columns);
  for (let c = 0; c < columns; c++) timestamps[c] = view.firstTimestamp + c * view.columnMs;
  const priceEdges = new Float64Array(rows + 1);
  const step = (view.priceHigh - view.priceLow) / rows;
  for (let r = 0; r <= rows; r++) priceEdges[r] = view.priceLow + r * step;
  priceEdges[rows] = view.priceHigh;
  const candles: Candle[] = [];
  const flat = view.candles ?? [];
  if (flat.length === columns * 4) {
    for (let c = 0; c < columns; c++) {
      candles.push({ open: flat[c * 4]!, high: flat[c * 4 + 1]!, low: flat[c * 4 + 2]!, close: flat[c * 4 + 3]! });
    }
  }
  return { heatmap: { timestamps, priceEdges, cells, columns, rows, maxCell: view.maxCellUsd }, candles };
}

/** Eight significant digits: plenty for a candle on a few hundred pixels, and short in JSON. */
function roundPrice(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(8)) : 0;
}

/**
 * The latest liquidation map on at most `bins` even bins over the same price range (whole USD).
 * Source bins are split between target bins by overlap, so the total notional is kept.
 * @example toLatestMapView(output.map).long.length // <= 200
 */
export function toLatestMapView(map: LiquidationMap, bins = MAX_MAP_BINS): LatestMapView {
  const edges = map.priceEdges;
  const source = edges.length - 1;
  const priceLow = edges[0] ?? 0;
  const priceHigh = edges[source] ?? 0;
  const count = Math.max(1, Math.min(bins, source));
  const long = rebin(edges, map.long, priceLow, priceHigh, count);
  const short = rebin(edges, map.short, priceLow, priceHigh, count);
  return { priceLow, priceHigh, long, short, atr: Number.isFinite(map.atr) ? Number(map.atr.toPrecision(6)) : 0 };
}

function rebin(edges: Float64Array, values: Float64Array, low: number, high: number, count: number): number[] {
  const out = new Array<number>(count).fill(0);
  const width = (high - low) / count;
  if (!(width > 0)) return out;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (!(value > 0)) continue;
    const a = edges[i]!;
    const b = edges[i + 1]!;
    const span = b - a;
    const first = Math.max(0, Math.min(count - 1, Math.floor((a - low) / width)));
    const last = Math.max(0, Math.min(count - 1, Math.floor((b - low) / width - 1e-9)));
    for (let t = first; t <= last; t++) {
      const overlap = Math.min(b, low + (t + 1) * width) - Math.max(a, low + t * width);
      out[t]! += span > 0 ? (value * Math.max(0, overlap)) / span : value;
    }
  }
  for (let t = 0; t < count; t++) out[t] = Math.round(out[t]!);
  return out;
}
