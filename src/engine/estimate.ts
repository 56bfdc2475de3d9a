import type { EngineConfig } from './config';
import { computeContext } from './context';
import { Estimator } from './estimator';
import { findPools } from './pools';
import type { EstimateResult, ExchangeSeries, Heatmap, HeatmapOptions, LiquidationMap, MarketContext, Pool } from './types';
import { InputError, validateSeries } from './validate';

/** Most columns a heatmap holds: 30 days of 5m bars. */
export const MAX_HEATMAP_COLUMNS = 8_640;
/** Price bins of a heatmap that does not ask for a number. */
export const DEFAULT_ROWS = 500;

export interface EstimateOptions {
  readonly config?: Partial<EngineConfig>;
  readonly heatmap?: HeatmapOptions;
}

/**
 * Runs the estimator over whole series and returns the per-bar liquidations, the heatmap of the
 * latest window, the latest liquidation map, its pools and the market context.
 * @example
 * const { pools, context } = estimate([{ exchange: 'binance', symbol: 'BTCUSDT', bars }]);
 * pools[0]; // { side: 'long', priceLow: 63700, priceHigh: 64100, strength: 8, ... }
 */
export function estimate(series: readonly ExchangeSeries[], options: EstimateOptions = {}): EstimateResult {
  if (series.length === 0) throw new InputError('no series given', -1, '', 'series');
  for (const s of series) validateSeries(s);
  const timeline = windowExtent(series, options.heatmap);
  const estimator = new Estimator({
    ...(options.config ? { config: options.config } : {}),
    ...(options.heatmap?.leverages ? { leverages: options.heatmap.leverages } : {}),
  });
  const { columns, rows, edges, firstColumnBar, barsPerColumn, totalBars } = timeline;
  const cells = new Float32Array(columns * rows);
  const timestamps = new Float64Array(columns);
  const columnScale = new Float64Array(columns).fill(1);
  // A running projection of the state onto the bins gives each column at its last bar as a copy
  // plus the bins the bars since the last column changed (a third of them over an hour of 5m
  // bars), where sampling the ladder at each column's end would sum every bin.
  let maxCell = 0;
  const perBar = estimator.appendValidated(series, (index) => {
    if (index < firstColumnBar) return;
    // Tracking starts with the window: bars before it need no heatmap.
    if (index === firstColumnBar) estimator.trackGrid(edges);
    const offset = index - firstColumnBar;
    const column = Math.min(columns - 1, Math.floor(offset / barsPerColumn));
    if (offset % barsPerColumn === 0) timestamps[column] = estimator.timestampAt(index);
    if ((offset + 1) % barsPerColumn === 0 || index === totalBars - 1) {
      const columnMax = estimator.sampleGrid(cells, column * rows, columnScale, column);
      if (columnMax > maxCell) maxCell = columnMax;
    }
  });
  const heatmap: Heatmap = { timestamps, priceEdges: edges, cells, columnScale, columns, rows, maxCell };
  return { perBar, heatmap, ...latestReading(estimator) };
}

/**
 * What an estimator's state says at its latest bar: the liquidation map, its pools and the
 * market context. `estimate()` ends with it; an estimate kept and extended bar by bar reads it too.
 * @example const { map, pools, context } = latestReading(estimator);
 */
export function latestReading(estimator: Estimator): { map: LiquidationMap; pools: Pool[]; context: MarketContext } {
  const map = latestMap(estimator);
  const context = computeContext({
    bars: estimator.barColumns,
    timeframeMs: estimator.timeframeMs,
    exchanges: estimator.exchangeCount,
    atr: estimator.atr,
  });
  return { map, pools: findPools(map), context };
}

/**
 * The latest liquidation map on bins adapted to price and volatility: ±max(8 %, 30 ATR) around
 * price, bins no finer than 10 bp (two state buckets), at most 600.
 * @example latestMap(estimator).priceEdges.length // bins + 1
 */
export function latestMap(estimator: Estimator): LiquidationMap {
  if (estimator.barCount === 0) throw new InputError('no bars applied yet', -1, '', 'bars');
  const price = estimator.closeAt(estimator.barCount - 1);
  const atr = Number.isFinite(estimator.atr) ? estimator.atr : 0;
  const half = mapHalfWidth(price, atr);
  const bins = Math.max(20, Math.min(600, Math.round((2 * half) / (price * 0.001))));
  return estimator.liquidationMap(linearEdges(price - half, price + half, bins));
}

/**
 * Half the price span of the latest liquidation map (and so the farthest a pool can lie from the
 * price): max(8 %, 30 ATR), at most 60 % of the price.
 * @example mapHalfWidth(64_000, 100) // 5120
 */
export function mapHalfWidth(price: number, atr: number): number {
  return Math.min(0.6 * price, Math.max(0.08 * price, 30 * (Number.isFinite(atr) ? atr : 0)));
}

/** The heatmap band's ATR estimate (mean bar range) is widened by this for the map's reach: the map's Wilder ATR can run above the window's mean. */
const REACH_ATR_SLACK = 1.25;

/**
 * Evenly spaced price bin edges.
 * @example linearEdges(100, 110, 2) // Float64Array [100, 105, 110]
 */
export function linearEdges(low: number, high: number, bins: number): Float64Array {
  const edges = new Float64Array(bins + 1);
  const width = (high - low) / bins;
  for (let i = 0; i <= bins; i++) edges[i] = low + i * width;
  edges[bins] = high;
  return edges;
}

interface WindowExtent {
  readonly columns: number;
  readonly rows: number;
  readonly edges: Float64Array;
  /** Index (in the merged timeline) of the first bar of the first column. */
  readonly firstColumnBar: number;
  readonly barsPerColumn: number;
  readonly totalBars: number;
}

/**
 * Finds the heatmap window before the run, so columns can be filled as bars are applied:
 * the last N merged timestamps, their price range widened by max(3 ATR, 2 %).
 */
function windowExtent(series: readonly ExchangeSeries[], options: HeatmapOptions = {}): WindowExtent {
  let count: number;
  let lowAt: (i: number) => number;
  let highAt: (i: number) => number;
  const only = series.length === 1 ? series[0]! : undefined;
  if (only) {
    // Validated bars are strictly increasing: the timeline is the series itself (no list of
    // its timestamps built).
    count = only.bars.length;
    lowAt = (i) => only.bars[i]!.low;
    highAt = (i) => only.bars[i]!.high;
  } else {
    const lows = new Map<number, number>();
    const highs = new Map<number, number>();
    for (const s of series) {
      for (const bar of s.bars) {
        lows.set(bar.timestamp, Math.min(lows.get(bar.timestamp) ?? Infinity, bar.low));
        highs.set(bar.timestamp, Math.max(highs.get(bar.timestamp) ?? -Infinity, bar.high));
      }
    }
    const times = [...lows.keys()].sort((a, b) => a - b);
    count = times.length;
    lowAt = (i) => lows.get(times[i]!)!;
    highAt = (i) => highs.get(times[i]!)!;
  }
  const barsPerColumn = options.barsPerColumn ?? 1;
  if (!(Number.isInteger(barsPerColumn) && barsPerColumn >= 1)) {
    throw new InputError(`heatmap.barsPerColumn must be a whole number >= 1, got ${String(options.barsPerColumn)}`, -1, '', 'heatmap.barsPerColumn');
  }
  const requested = options.columns ?? Math.ceil(count / barsPerColumn);
  if (!(Number.isInteger(requested) && requested >= 1)) {
    throw new InputError(`heatmap.columns must be a whole number >= 1, got ${String(options.columns)}`, -1, '', 'heatmap.columns');
  }
  const rows = options.rows ?? DEFAULT_ROWS;
  if (!(Number.isInteger(rows) && rows >= 2 && rows <= 4000)) {
    throw new InputError(`heatmap.rows must be a whole number in 2..4000, got ${String(options.rows)}`, -1, '', 'heatmap.rows');
  }
  // Whole columns only: the window starts where its first full column starts.
  const columns = Math.min(requested, Math.floor(count / barsPerColumn) || 1, MAX_HEATMAP_COLUMNS);
  const firstColumnBar = Math.max(0, count - columns * barsPerColumn);
  let low = Infinity;
  let high = -Infinity;
  let rangeSum = 0;
  for (let i = firstColumnBar; i < count; i++) {
    const l = lowAt(i);
    const h = highAt(i);
    low = Math.min(low, l);
    high = Math.max(high, h);
    rangeSum += h - l;
  }
  const lastClose = only ? only.bars[count - 1]?.close : series[0]!.bars.at(-1)?.close;
  const shown = { low, high, rangeSum, bars: count - firstColumnBar, ...(lastClose !== undefined ? { close: lastClose } : {}) };
  const { priceLow, priceHigh } = priceBand(shown, options);
  return { columns, rows, edges: linearEdges(priceLow, priceHigh, rows), firstColumnBar, barsPerColumn, totalBars: count };
}

/** The shown bars' extremes and summed ranges (per timestamp, lowest low and highest high across exchanges). */
export interface ShownRange {
  readonly low: number;
  readonly high: number;
  readonly rangeSum: number;
  readonly bars: number;
  /**
   * The last close: when given, the band also spans the latest map's reach around it
   * ({@link mapHalfWidth}), so every pool the estimate can find lies on the heatmap.
   */
  readonly close?: number;
}

/**
 * The heatmap's price bins span the shown bars' low..high widened by max(3 ATR, 2 % of the high),
 * so pools just beyond the traded range stay in view, and with `close` given, the latest map's
 * whole reach around it (every pool the panel lists is then on the chart); `priceLow` /
 * `priceHigh` given in the options win. Throws an {@link InputError} when the band is not 0 < low < high.
 * @example priceBand({ low: 100, high: 110, rangeSum: 20, bars: 10 }, {}) // { priceLow: 94, priceHigh: 116, margin: 6 }
 */
export function priceBand(shown: ShownRange, options: Pick<HeatmapOptions, 'priceLow' | 'priceHigh'>): { priceLow: number; priceHigh: number; margin: number } {
  const { low, high } = shown;
  const atr = shown.rangeSum / Math.max(1, shown.bars);
  const margin = Math.max(3 * atr, 0.02 * (Number.isFinite(high) ? high : 0));
  let reachLow = Infinity;
  let reachHigh = -Infinity;
  if (shown.close !== undefined && shown.close > 0 && Number.isFinite(shown.close)) {
    const half = mapHalfWidth(shown.close, REACH_ATR_SLACK * atr);
    reachLow = shown.close - half;
    reachHigh = shown.close + half;
  }
  const priceLow = options.priceLow ?? Math.min(Math.max(low - margin, low * 0.5), reachLow);
  const priceHigh = options.priceHigh ?? Math.max(high + margin, reachHigh);
  if (!(priceLow > 0 && priceHigh > priceLow && Number.isFinite(priceHigh))) {
    throw new InputError(`heatmap price range must satisfy 0 < low < high, got ${priceLow}..${priceHigh}`, -1, '', 'heatmap.priceLow');
  }
  return { priceLow, priceHigh, margin };
}
