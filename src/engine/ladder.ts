import { MS_PER_HOUR, type EstimatorState } from './estimator-state';
import { flushPending, flushReachedByLongSweep, flushReachedByShortSweep } from './hourly-batches';
import { noteChange, rebuildGrid } from './tracked-grid';

/*
 * The level ladder over time: it follows the price (re-based), decays, loses what holders close
 * near the price and in proportion to the fall in open interest, and is swept where price trades.
 */

/** Below this a group's scale is folded back into its buckets to keep precision. */
const RENORMALIZE_BELOW = 1e-150;

export function bucketOf(state: EstimatorState, price: number): number {
  return Math.floor(Math.log(price) / state.step);
}

/** Keeps the current price (in bucket `k`) near the middle of the ladder; what falls off is out of reach. */
export function ensureBase(state: EstimatorState, k: number): void {
  const half = (state.size - 1) / 2;
  if (state.base === undefined) {
    state.base = k - half;
    rebuildGrid(state);
    return;
  }
  const position = k - state.base;
  if (position > half / 2 && position < state.size - half / 2) return;
  const shift = position - half;
  state.base += shift;
  for (let g = 0; g < state.groupCount; g++) {
    for (const arrays of [state.long, state.short]) {
      const a = arrays[g]!;
      if (Math.abs(shift) >= state.size) a.fill(0);
      else if (shift > 0) {
        a.copyWithin(0, shift);
        a.fill(0, state.size - shift);
      } else {
        a.copyWithin(-shift, 0, state.size + shift);
        a.fill(0, 0, -shift);
      }
    }
    state.longTop[g] = Math.min(state.size - 1, state.longTop[g]! - shift);
    if (state.longTop[g]! < 0) state.longTop[g] = -1;
    state.shortBottom[g] = Math.max(0, state.shortBottom[g]! - shift);
    if (state.shortBottom[g]! >= state.size) state.shortBottom[g] = state.size;
  }
  rebuildGrid(state);
}

export function decay(state: EstimatorState, elapsedMs: number): void {
  if (elapsedMs !== state.decayElapsed) {
    state.decayElapsed = elapsedMs;
    for (let g = 0; g < state.groupCount; g++) state.decayFactor[g] = Math.exp(-state.groupDecayPerMs[g]! * elapsedMs);
  }
  for (let g = 0; g < state.groupCount; g++) {
    if (state.groupDecayPerMs[g]! > 0) scaleGroup(state, g, state.decayFactor[g]!);
  }
}

/**
 * Levels within `nearExitDistance` of the close (given as log(close) / step) lose the share of
 * their notional that holders close or move away by adding margin while the price sits near
 * them (config `nearExitPerHour`, over the bar's duration). A few buckets per side: the cost of a
 * sweep, not of a pass over the ladder.
 */
export function exitNearPrice(state: EstimatorState, closeLog: number): void {
  const perHour = state.config.nearExitPerHour;
  if (perHour === 0 || state.timeframe === 0) return;
  // The bar duration is fixed once known: one power per estimator, not per bar.
  if (state.nearExitKeep < 0) state.nearExitKeep = perHour >= 1 ? 0 : Math.pow(1 - perHour, state.timeframe / MS_PER_HOUR);
  const keep = state.nearExitKeep;
  const reach = state.config.nearExitDistance / state.step;
  const base = state.base!;
  // Bucket centres (i + 0.5) in (close, close + reach] for shorts, [close - reach, close) for longs.
  const shortFrom = Math.max(0, Math.floor(closeLog - 0.5) + 1 - base);
  const shortTo = Math.min(state.size - 1, Math.floor(closeLog + reach - 0.5) - base);
  const longFrom = Math.max(0, Math.ceil(closeLog - reach - 0.5) - base);
  const longTo = Math.min(state.size - 1, Math.ceil(closeLog - 0.5) - 1 - base);
  // Levels still waiting for their hourly placement are far from their entries by construction;
  // they join once placed (placing them early for state would undo the batching's saving).
  for (let g = 0; g < state.groupCount; g++) {
    scaleBuckets(state, state.short[g]!, Math.max(shortFrom, state.shortBottom[g]!), shortTo, keep);
    scaleBuckets(state, state.long[g]!, longFrom, Math.min(longTo, state.longTop[g]!), keep);
  }
}

/** Multiplies buckets from..to of one side's array by `keep`, noting the change for the tracked grid. */
export function scaleBuckets(state: EstimatorState, levels: Float64Array, from: number, to: number, keep: number): void {
  for (let i = from; i <= to; i++) levels[i]! *= keep;
  if (state.grid) noteChange(state, from, to);
}

export function shrink(state: EstimatorState, fraction: number): void {
  if (fraction <= 0) return;
  for (let g = 0; g < state.groupCount; g++) scaleGroup(state, g, 1 - fraction);
}

export function scaleGroup(state: EstimatorState, g: number, factor: number): void {
  const next = state.scale[g]! * factor;
  if (next > RENORMALIZE_BELOW) {
    state.scale[g] = next;
    return;
  }
  // Batched levels are stored in the same units: place them before the units change.
  for (const track of state.trackList) flushPending(state, track);
  const long = state.long[g]!;
  const short = state.short[g]!;
  for (let i = 0; i < state.size; i++) {
    long[i]! *= next;
    short[i]! *= next;
  }
  state.scale[g] = 1;
  // Rare (the scale fell below 1e-150): the grid is projected afresh from the rescaled ladder.
  rebuildGrid(state);
}

/**
 * Long levels at or above the leg's low (`logs[q]` = log(low) / step) are liquidated: the
 * bucket's centre must be reached. Adds the USD swept to `swept[0]`.
 */
export function sweepLongs(state: EstimatorState, logs: Float64Array, q: number): void {
  const from = Math.max(0, Math.ceil(logs[q]! - 0.5) - state.base!);
  flushReachedByLongSweep(state, from + state.base!);
  let swept = 0;
  for (let g = 0; g < state.groupCount; g++) {
    const top = state.longTop[g]!;
    if (top < from) continue;
    swept += clear(state, state.long[g]!, g, from, top);
    state.longTop[g] = from - 1;
  }
  state.swept[0]! += swept;
}

/** Short levels at or below the leg's high (`logs[q]`) are liquidated; adds the USD to `swept[1]`. */
export function sweepShorts(state: EstimatorState, logs: Float64Array, q: number): void {
  const to = Math.min(state.size - 1, Math.floor(logs[q]! - 0.5) - state.base!);
  flushReachedByShortSweep(state, to + state.base!);
  let swept = 0;
  for (let g = 0; g < state.groupCount; g++) {
    const bottom = state.shortBottom[g]!;
    if (bottom > to) continue;
    swept += clear(state, state.short[g]!, g, bottom, to);
    state.shortBottom[g] = to + 1;
  }
  state.swept[1]! += swept;
}

/** Empties buckets from..to of one side's array and returns the USD they held. */
export function clear(state: EstimatorState, levels: Float64Array, g: number, from: number, to: number): number {
  let stored = 0;
  for (let i = from; i <= to; i++) {
    stored += levels[i]!;
    levels[i] = 0;
  }
  if (state.grid) noteChange(state, from, to);
  return stored * state.scale[g]!;
}
