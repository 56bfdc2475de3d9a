import { usableAtr } from './stats';
import type { LiquidationMap, Pool, Side } from './types';

/**
 * Pool detection: a pool is a zone that is dense *relative to its surroundings*, because the
 * absolute level of an estimated map depends on assumed leverage and turnover, while a zone that
 * stands out from its neighbours stands out under any of those assumptions.
 *
 * Per side (long bins at and below price, short bins at and above it):
 * 1. smooth lightly with a [1, 2, 1] kernel so one noisy bin neither makes nor splits a pool;
 * 2. local background = rolling median of the smoothed side over +-{@link windowHalfWidth} bins,
 *    never below a floor of {@link FLOOR_SHARE} of the map's densest smoothed bin (so crumbs in
 *    an empty region do not count as dense just because their surroundings are empty);
 * 3. hysteresis: a pool needs at least one bin at >= {@link SEED_RATIO} x background and extends
 *    over contiguous bins at >= {@link EXTEND_RATIO} x background; runs separated by at most
 *    {@link MERGE_GAP_BINS} bins merge; end bins whose own (unsmoothed) notional is below
 *    {@link EXTEND_RATIO} x background are trimmed, so a pool's edges are where it stands out.
 */

/** A bin must reach twice its local background to start a pool. */
export const SEED_RATIO = 1.5;
/** Neighbours at 1.4x the background still belong to the pool that a seed started. */
export const EXTEND_RATIO = 1.15;
/** Runs separated by up to this many quieter bins are one pool. */
export const MERGE_GAP_BINS = 2;
/** Background floor as a share of the densest smoothed bin in the map. */
export const FLOOR_SHARE = 0.02;
/**
 * Bins holding less than this (USD) count as empty. Positions that decayed for hours with a short
 * half-life reach subnormal amounts (1e-323); multiplied by a small price they underflow to 0 and
 * gave a pool with a zero peak price. No real map has a bin anywhere near a millionth of a dollar.
 */
export const MIN_BIN_USD = 1e-6;

const DEFAULT_MAX_POOLS = 20;

export interface FindPoolsOptions {
  /** Drop pools weaker than this (1..10). Default 1 (keep all). */
  readonly minStrength?: number;
  /**
   * Keep at most this many pools (default 20). When more qualify, the kept ones are those with
   * the highest `notional / strongest / (1 + |distanceAtr| / 3)`: a pool near price outranks a
   * somewhat bigger one far away.
   */
  readonly maxPools?: number;
}

/** Half-width of the rolling-median window: 1/12 of the map (42 bins of 500), at least 8. */
export function windowHalfWidth(bins: number): number {
  return Math.max(8, Math.round(bins / 12));
}

interface Run {
  readonly side: Side;
  readonly start: number;
  readonly end: number;
  readonly notional: number;
  readonly peak: number;
}

/**
 * Finds dense liquidation zones: long pools below the current price, short pools above it.
 *
 * Strength rule: `ceil(10 * notional / strongest pool's notional)`, clamped to 1..10, so the
 * strongest pool in the map (either side) is 10 and any pool is at least 1.
 * Distances go from the current price to the pool's nearest edge (0 when the pool reaches the
 * price), negative below; `distanceAtr` uses `map.atr`, or 1 % of price when the ATR is unusable.
 * The result is sorted by |distance| from price, nearest first.
 * @example
 * const pools = findPools(map, { minStrength: 3 });
 * pools[0]?.side // 'long' when the nearest dense zone sits below price
 */
export function findPools(map: LiquidationMap, options: FindPoolsOptions = {}): Pool[] {
  const edges = map.priceEdges;
  const price = map.price;
  const bins = Math.min(map.long.length, map.short.length, edges.length - 1);
  if (bins < 1 || !(Number.isFinite(price) && price > 0)) return [];

  // Long liquidations live at and below price, short ones at and above: the bin holding the price
  // belongs to both sides.
  let longEnd = 0; // long side = bins [0, longEnd)
  while (longEnd < bins && edges[longEnd]! < price) longEnd++;
  let shortStart = 0; // short side = bins [shortStart, bins)
  while (shortStart < bins && edges[shortStart + 1]! <= price) shortStart++;

  const raw = (values: Float64Array, i: number): number => {
    const v = values[i]!;
    return Number.isFinite(v) && v >= MIN_BIN_USD ? v : 0;
  };
  const longSmooth = smooth(map.long, 0, longEnd, raw);
  const shortSmooth = smooth(map.short, shortStart, bins, raw);
  let densest = 0;
  for (let i = 0; i < longEnd; i++) densest = Math.max(densest, longSmooth[i]!);
  for (let i = shortStart; i < bins; i++) densest = Math.max(densest, shortSmooth[i - shortStart]!);
  if (!(densest > 0)) return [];
  const floor = FLOOR_SHARE * densest;
  const half = windowHalfWidth(bins);

  const runs: Run[] = [];
  detect('long', map.long, longSmooth, 0, longEnd, floor, half, edges, raw, runs);
  detect('short', map.short, shortSmooth, shortStart, bins, floor, half, edges, raw, runs);
  if (runs.length === 0) return [];

  let strongest = 0;
  for (const run of runs) strongest = Math.max(strongest, run.notional);
  const atr = usableAtr(map.atr, price);
  const minStrength = Number.isFinite(options.minStrength) ? options.minStrength! : 1;
  const maxPools = options.maxPools !== undefined && options.maxPools >= 0
    ? Math.floor(options.maxPools)
    : DEFAULT_MAX_POOLS;

  let pools: Pool[] = [];
  for (const run of runs) {
    const priceLow = edges[run.start]!;
    const priceHigh = edges[run.end + 1]!;
    const edge = run.side === 'long' ? Math.min(priceHigh, price) : Math.max(priceLow, price);
    const pool: Pool = {
      side: run.side,
      priceLow,
      priceHigh,
      peakPrice: run.peak,
      notionalUsd: run.notional,
      strength: strengthOf(run.notional, strongest),
      distancePct: ((edge - price) / price) * 100,
      distanceAtr: atr > 0 ? (edge - price) / atr : 0,
    };
    if (pool.strength >= minStrength) pools.push(pool);
  }
  if (pools.length > maxPools) {
    const relevance = (pool: Pool): number => pool.notionalUsd / strongest / (1 + Math.abs(pool.distanceAtr) / 3);
    pools = pools.sort((a, b) => relevance(b) - relevance(a)).slice(0, maxPools);
  }
  return pools.sort((a, b) => Math.abs(a.distancePct) - Math.abs(b.distancePct) || a.priceLow - b.priceLow);
}

/**
 * Strength 1..10 of a pool relative to the strongest one: `ceil(10 * notional / strongest)`.
 * The tiny tolerance keeps exact tenths (30 % of the strongest) at 3 instead of rounding up to 4.
 * @example strengthOf(8e6, 1e7) // 8
 */
export function strengthOf(notional: number, strongest: number): number {
  if (!(strongest > 0) || !(notional > 0)) return 1;
  const s = Math.ceil((10 * notional) / strongest - 1e-9);
  return Math.min(10, Math.max(1, s));
}

/**
 * The nearest pool above and below `price` (by the pool's nearest edge). A pool counts as above
 * when its centre is above the price; one centred exactly on it goes by its side.
 * @example
 * const { above, below } = nearestPools(pools, map.price);
 * above?.priceLow // lower edge of the nearest pool above price
 */
export function nearestPools(pools: readonly Pool[], price: number): { above?: Pool; below?: Pool } {
  let above: Pool | undefined;
  let below: Pool | undefined;
  let aboveDistance = Infinity;
  let belowDistance = Infinity;
  for (const pool of pools) {
    const isAbove = pool.peakPrice > price || (pool.peakPrice === price && pool.side === 'short');
    if (isAbove) {
      const d = Math.max(0, pool.priceLow - price);
      if (d < aboveDistance) {
        aboveDistance = d;
        above = pool;
      }
    } else {
      const d = Math.max(0, price - pool.priceHigh);
      if (d < belowDistance) {
        belowDistance = d;
        below = pool;
      }
    }
  }
  const result: { above?: Pool; below?: Pool } = {};
  if (above) result.above = above;
  if (below) result.below = below;
  return result;
}

/** [1, 2, 1] / 4 smoothing of bins [from, to); the ends renormalize over the bins that exist. */
function smooth(
  values: Float64Array,
  from: number,
  to: number,
  raw: (values: Float64Array, i: number) => number,
): Float64Array {
  const out = new Float64Array(Math.max(0, to - from));
  for (let i = from; i < to; i++) {
    let sum = 2 * raw(values, i);
    let weight = 2;
    if (i - 1 >= from) {
      sum += raw(values, i - 1);
      weight++;
    }
    if (i + 1 < to) {
      sum += raw(values, i + 1);
      weight++;
    }
    out[i - from] = sum / weight;
  }
  return out;
}

/** Finds the runs of one side; `smoothed[j]` is bin `from + j`. */
function detect(
  side: Side,
  values: Float64Array,
  smoothed: Float64Array,
  from: number,
  to: number,
  floor: number,
  half: number,
  edges: Float64Array,
  raw: (values: Float64Array, i: number) => number,
  out: Run[],
): void {
  const n = to - from;
  if (n <= 0) return;
  const background = rollingMedian(smoothed, half);
  let runStart = -1;
  let runEnd = -1;
  let seeded = false;
  const flush = (): void => {
    if (runStart < 0) return;
    if (seeded) {
      let start = from + runStart;
      let end = from + runEnd;
      // Smoothing spreads a pool one bin into its neighbours; the pool ends where the unsmoothed
      // notional stops standing out.
      const quiet = (i: number): boolean => raw(values, i) < EXTEND_RATIO * Math.max(background[i - from]!, floor);
      while (start < end && quiet(start)) start++;
      while (end > start && quiet(end)) end--;
      let notional = 0;
      let weighted = 0;
      for (let i = start; i <= end; i++) {
        const v = raw(values, i);
        notional += v;
        weighted += v * (edges[i]! + edges[i + 1]!) * 0.5;
      }
      if (notional > 0) {
        // Rounding can put the weighted mean a hair outside the run's edges.
        const peak = Math.min(edges[end + 1]!, Math.max(edges[start]!, weighted / notional));
        out.push({ side, start, end, notional, peak });
      }
    }
    runStart = -1;
    seeded = false;
  };
  for (let j = 0; j < n; j++) {
    const base = Math.max(background[j]!, floor);
    const v = smoothed[j]!;
    if (v >= EXTEND_RATIO * base) {
      if (runStart >= 0 && j - runEnd - 1 > MERGE_GAP_BINS) flush();
      if (runStart < 0) runStart = j;
      runEnd = j;
      if (v >= SEED_RATIO * base) seeded = true;
    }
  }
  flush();
}

/**
 * Median over [j - half, j + half] clipped to the array, for every j. A sorted sliding window:
 * O(n * window) with no allocation per bin.
 */
function rollingMedian(values: Float64Array, half: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  const window = new Float64Array(Math.min(n, 2 * half + 1));
  let size = 0;
  const insert = (v: number): void => {
    let lo = 0;
    let hi = size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (window[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    window.copyWithin(lo + 1, lo, size);
    window[lo] = v;
    size++;
  };
  const remove = (v: number): void => {
    let lo = 0;
    let hi = size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (window[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    window.copyWithin(lo, lo + 1, size);
    size--;
  };
  for (let k = 0; k <= Math.min(n - 1, half); k++) insert(values[k]!);
  for (let j = 0; j < n; j++) {
    if (j > 0) {
      // Remove first: the window buffer holds exactly 2 * half + 1 values.
      const outgoing = j - half - 1;
      if (outgoing >= 0) remove(values[outgoing]!);
      const incoming = j + half;
      if (incoming < n) insert(values[incoming]!);
    }
    const mid = size >> 1;
    out[j] = size % 2 === 1 ? window[mid]! : (window[mid - 1]! + window[mid]!) / 2;
  }
  return out;
}
