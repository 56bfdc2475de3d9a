import type { EstimatorState } from './estimator-state';
import { liquidationFactor } from './margin/liquidation-price';
import type { Bar, ExchangeId } from './types';

/** Buckets a track's far-level batch can span; an entry outside places the batch first. */
export const PENDING_CAPACITY = 1024;

export interface ExchangeTrack {
  readonly exchange: ExchangeId;
  readonly symbol: string;
  /**
   * Where one USD entered at bucket k lands: for side s (0 long, 1 short) and group g,
   * `kernels[s * groups + g]` lists bucket shifts and the share of the notional placed there
   * (tier weight / spread points, duplicates merged).
   */
  readonly kernels: readonly LevelKernel[];
  /** This exchange's path through the current bar (see barPath); reused every bar. */
  readonly path: Float64Array;
  /** Running means of volume and relative range, the norms of `activity` (flow-signals.ts). */
  readonly activity: { readonly volume: RunningMean; readonly range: RunningMean };
  /** The current bar's entries per bucket (USD), from `first` for `count` buckets. */
  readonly entries: {
    values: Float64Array;
    first: number;
    count: number;
    nearLimit: number;
    /** Per kernel (side * groups + g): the kernel entries near enough to place per leg, [from, to). */
    nearFrom: Int32Array;
    nearTo: Int32Array;
  };
  /** Far levels waiting for their batched placement (see `flushPending` in hourly-batches.ts). */
  readonly pending: PendingLevels;
  /** This track's opening in the current bar (valid while listed in the estimator's `opening`). */
  readonly opening: Opening;
  /**
   * The last bar's open interest and CVD, NaN before the first. NaN rather than undefined: a field
   * that only ever holds numbers is updated in place, not boxed anew every bar.
   */
  previousOi: number;
  /** Consecutive bars with exactly the same open interest (0 when it just changed). */
  unchangedRun: number;
  previousCvd: number;
  /** Running mean of |CVD change|, scale for turning a CVD change into a taker share. */
  cvdScale: number;
  cvdSamples: number;
  /**
   * Turns this exchange's funding rates into rates per 8 h (`fundingToReference` of the series'
   * `fundingIntervalMs`; 1 when absent). Set from each series given, so it is the latest known.
   */
  fundingFactor: number;
}

/**
 * A track's far levels, batched. Levels further than `limit` buckets from their entry cannot be
 * reached for several bars, so their entries are summed over up to a clock hour and placed in one
 * pass (cost per hour instead of per bar). A sweep that could reach one of them places them all
 * first, so sweeps, and the per-bar liquidations, are those of immediate placement.
 */
export interface PendingLevels {
  /** Kernel entries further than this many buckets from entry wait here; fixed while non-empty. */
  limit: number;
  /** Per kernel (side * groups + g): the waiting entries are [0, lowEnd) and [highStart, length). */
  readonly lowEnd: Int32Array;
  readonly highStart: Int32Array;
  /** Largest waiting long shift and smallest waiting short shift (sweep reach tests). */
  longReach: number;
  shortReach: number;
  /** Per kernel: entries (stored units of its group) per bucket, index 0 = absolute bucket `origin`. */
  readonly values: Float64Array[];
  origin: number;
  /** The used buckets: absolute `first` .. `first + count - 1`. */
  first: number;
  count: number;
  /** Running mean of the track's bar width in buckets (sets `limit`). */
  widthMean: number;
  widthSamples: number;
  /** Timestamp of the first bar waiting; placement happens at the end of its clock hour. */
  since: number;
}

export interface RunningMean {
  mean: number;
  samples: number;
}

export interface LevelKernel {
  readonly shifts: Int32Array;
  readonly weights: Float64Array;
  /** Largest shift (the long frontier candidate) and smallest (the short one). */
  readonly maxShift: number;
  readonly minShift: number;
  /**
   * The entries within `d` buckets of entry are `nearStart[d] .. nearEnd[d] - 1` (shifts are
   * sorted), for d up to the table's end; beyond it, all entries. Every bar looks this up.
   */
  readonly nearStart: Int32Array;
  readonly nearEnd: Int32Array;
}

/**
 * One exchange's new positions in a bar, walked along that exchange's own bar path. Each track
 * owns one, rewritten every bar it opens in (no allocation per bar).
 */
export interface Opening {
  contribution: Contribution;
  amount: number;
  longShare: number;
  readonly path: Float64Array;
  length: number;
  /** Points of `path` (see barPath). */
  points: number;
}

/** One exchange's contribution to a merged bar. */
export interface Contribution {
  readonly track: ExchangeTrack;
  readonly bar: Bar;
  readonly oiUsd: number;
}

export function cloneTrack(track: ExchangeTrack): ExchangeTrack {
  const { entries, pending, activity } = track;
  // The track's opening record walks the track's own path array: both are new.
  const path = new Float64Array(track.path.length);
  return {
    ...track,
    path,
    opening: { ...track.opening, path },
    activity: { volume: { ...activity.volume }, range: { ...activity.range } },
    entries: { ...entries, values: entries.values.slice(), nearFrom: entries.nearFrom.slice(), nearTo: entries.nearTo.slice() },
    pending: {
      ...pending,
      lowEnd: pending.lowEnd.slice(),
      highStart: pending.highStart.slice(),
      values: pending.values.map((v) => v.slice()),
    },
  };
}

/**
 * For each distance d in 0..reach, where the run of sorted `shifts` within d of zero starts and
 * ends (see LevelKernel.nearStart).
 */
export function nearRuns(shifts: Int32Array, reach: number): { nearStart: Int32Array; nearEnd: Int32Array } {
  const nearStart = new Int32Array(reach + 1);
  const nearEnd = new Int32Array(reach + 1);
  let start = 0;
  while (start < shifts.length && shifts[start]! < 0) start++;
  let end = start;
  // Outwards from distance 0: the run only grows.
  for (let d = 0; d <= reach; d++) {
    while (start > 0 && shifts[start - 1]! >= -d) start--;
    while (end < shifts.length && shifts[end]! <= d) end++;
    nearStart[d] = start;
    nearEnd[d] = end;
  }
  return { nearStart, nearEnd };
}

export function createTrack(state: EstimatorState, exchange: ExchangeId, symbol: string): ExchangeTrack {
  const ratios = state.config.levelDistanceRatios;
  const points = ratios.length;
  const notional = state.config.typicalPositionUsd;
  const kernels: LevelKernel[] = [];
  for (const side of ['long', 'short'] as const) {
    for (let g = 0; g < state.groupCount; g++) {
      const byShift = new Map<number, number>();
      for (let t = 0; t < state.tiers.length; t++) {
        const weight = state.tierWeight[t]!;
        if (weight === 0 || state.tierGroup[t] !== g) continue;
        // The level is a spread, not a point: its log distance from entry is scaled by each of
        // the ratios real positions show (config.levelDistanceRatios, measured in level-share.ts).
        const distance = Math.log(liquidationFactor(exchange, symbol, side, state.tiers[t]!.leverage, notional));
        for (let p = 0; p < points; p++) {
          const scale = ratios[p]!;
          const shift = Math.round((distance * scale) / state.step);
          byShift.set(shift, (byShift.get(shift) ?? 0) + weight / points);
        }
      }
      const entries = [...byShift.entries()].sort((x, y) => x[0] - y[0]);
      const maxShift = entries.length > 0 ? entries.at(-1)![0] : 0;
      const minShift = entries.length > 0 ? entries[0]![0] : 0;
      const shifts = Int32Array.from(entries, ([shift]) => shift);
      kernels.push({
        shifts,
        weights: Float64Array.from(entries, ([, weight]) => weight),
        maxShift,
        minShift,
        ...nearRuns(shifts, Math.max(Math.abs(maxShift), Math.abs(minShift))),
      });
    }
  }
  const pending: PendingLevels = {
    limit: 0,
    lowEnd: new Int32Array(kernels.length),
    highStart: new Int32Array(kernels.length),
    longReach: 0,
    shortReach: 0,
    values: kernels.map(() => new Float64Array(PENDING_CAPACITY)),
    origin: 0,
    first: 0,
    count: 0,
    widthMean: 0,
    widthSamples: 0,
    since: 0,
  };
  const path = new Float64Array(8);
  const opening: Opening = { contribution: undefined as unknown as Contribution, amount: 0, longShare: 0, path, length: 0, points: 0 };
  return { exchange, symbol, kernels, path, opening, activity: { volume: { mean: 0, samples: 0 }, range: { mean: 0, samples: 0 } }, entries: { values: new Float64Array(64), first: 0, count: 0, nearLimit: 0, nearFrom: new Int32Array(2 * state.groupCount), nearTo: new Int32Array(2 * state.groupCount) }, pending, previousOi: Number.NaN, unchangedRun: 0, previousCvd: Number.NaN, cvdScale: 0, cvdSamples: 0, fundingFactor: 1 };
}
