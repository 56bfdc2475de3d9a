/**
 * The estimator's API as the worker exposes it (through Comlink): the engine's `estimate` over
 * plain series, answering with typed arrays whose buffers are transferred to the caller, never
 * copied. No DOM and no extension API here, so the same object also runs in-process (tests).
 */
import { transfer } from 'comlink';
import { tiersWithWeights } from '../engine/config';
import { estimate } from '../engine/estimate';
import type { ExchangeSeries, Heatmap, HeatmapOptions, LiquidationMap, MarketContext, Pool } from '../engine/types';
import { createSessionStore, type SessionAnswer, type SessionRequest, type SessionStore } from './session-store';

export interface EstimateJob {
  readonly series: readonly ExchangeSeries[];
  readonly heatmap: HeatmapOptions;
  /** Weight per leverage tier (the default tiers' order); default: the engine's weights. */
  readonly leverageWeights?: readonly number[];
}

/** What a job returns; every typed array's buffer is transferred, not copied. */
export interface EstimateOutput {
  readonly heatmap: Heatmap;
  /** One candle per heatmap column, flat `open, high, low, close` (length = 4 x columns). */
  readonly candles: Float64Array;
  readonly map: LiquidationMap;
  readonly pools: readonly Pool[];
  readonly context: MarketContext;
  /** Milliseconds spent in the engine. */
  readonly estimateMs: number;
}

export interface EstimatorApi {
  run(job: EstimateJob): Promise<EstimateOutput>;
  /** A kept estimate: computed and kept (`start`), or extended by new bars only (`extend`); see `session-store.ts`. */
  session(request: SessionRequest): Promise<SessionAnswer>;
  /** Answers at once; lets a host check the worker is alive. */
  ping(): Promise<'pong'>;
}

/**
 * Candles per heatmap column: each column's bars (of the first series) aggregated, with open of
 * its first bar and close of its last. A column without bars repeats the previous close.
 * @example columnCandles(series.bars, heatmap.timestamps, 300_000 * 12) // Float64Array(4 * columns)
 */
export function columnCandles(
  bars: ExchangeSeries['bars'],
  columnStarts: Float64Array,
  columnMs: number,
): Float64Array {
  const columns = columnStarts.length;
  const out = new Float64Array(columns * 4);
  let i = lowerBound(bars, columnStarts[0] ?? Infinity);
  let previousClose = bars[Math.max(0, i - 1)]?.close ?? Number.NaN;
  for (let c = 0; c < columns; c++) {
    const start = columnStarts[c]!;
    const end = c + 1 < columns ? columnStarts[c + 1]! : start + columnMs;
    while (i < bars.length && bars[i]!.timestamp < start) i++;
    let open = Number.NaN;
    let high = -Infinity;
    let low = Infinity;
    let close = Number.NaN;
    for (; i < bars.length && bars[i]!.timestamp < end; i++) {
      const bar = bars[i]!;
      if (Number.isNaN(open)) open = bar.open;
      if (bar.high > high) high = bar.high;
      if (bar.low < low) low = bar.low;
      close = bar.close;
    }
    if (Number.isNaN(open)) {
      open = close = previousClose;
      high = low = previousClose;
    }
    out.set([open, high, low, close], c * 4);
    previousClose = close;
  }
  return out;
}

/** Index of the first bar at or after `timestamp` (bars ascending). */
export function lowerBound(bars: ExchangeSeries['bars'], timestamp: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bars[mid]!.timestamp < timestamp) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Runs one job synchronously (the worker's body; also usable in tests without a worker). */
export function runJob(job: EstimateJob): EstimateOutput {
  const started = performance.now();
  const result = estimate(job.series, {
    heatmap: job.heatmap,
    ...(job.leverageWeights ? { config: { tiers: tiersWithWeights(job.leverageWeights) } } : {}),
  });
  const { heatmap } = result;
  const first = job.series[0];
  const timeframeMs = first?.timeframeMs ?? 0;
  const columnMs =
    heatmap.columns > 1
      ? heatmap.timestamps[1]! - heatmap.timestamps[0]!
      : timeframeMs * (job.heatmap.barsPerColumn ?? 1);
  const candles = first ? columnCandles(first.bars, heatmap.timestamps, columnMs) : new Float64Array(0);
  return {
    heatmap,
    candles,
    map: result.map,
    pools: result.pools,
    context: result.context,
    estimateMs: performance.now() - started,
  };
}

/** The buffers of an output, for `postMessage`'s transfer list. */
export function transferables(output: EstimateOutput): ArrayBuffer[] {
  const arrays = [
    output.heatmap.cells,
    ...(output.heatmap.columnScale ? [output.heatmap.columnScale] : []),
    output.heatmap.timestamps,
    output.heatmap.priceEdges,
    output.candles,
    output.map.priceEdges,
    output.map.long,
    output.map.short,
    output.map.cumulativeLong,
    output.map.cumulativeShort,
  ];
  const buffers = new Set<ArrayBuffer>();
  for (const array of arrays) if (array.buffer instanceof ArrayBuffer) buffers.add(array.buffer);
  return [...buffers];
}

/**
 * The API object the worker exposes.
 * @example expose(createEstimatorApi()); // inside the worker
 */
export function createEstimatorApi(store: SessionStore = createSessionStore()): EstimatorApi {
  return {
    run(job) {
      const output = runJob(job);
      return Promise.resolve(transfer(output, transferables(output)));
    },
    session(request) {
      const answer = store.handle(request);
      return Promise.resolve(answer.ok ? transfer(answer, transferables(answer.output)) : answer);
    },
    ping() {
      return Promise.resolve('pong');
    },
  };
}
