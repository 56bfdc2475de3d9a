import type { EstimatorState } from './estimator-state';
import { PENDING_CAPACITY, type ExchangeTrack } from './exchange-track';
import { extendFrontier, placeLevels } from './place-levels';

/*
 * Hourly batches: a track's far levels (see PendingLevels in exchange-track.ts) wait and are placed
 * once per clock hour, or as soon as a sweep could reach them.
 */

/** A batch holds the levels further from entry than this many of the track's mean bar widths. */
const PENDING_WIDTHS = 3;

/** Starts an empty batch: its limit follows the track's usual bar width (about 3x). */
export function resetPending(state: EstimatorState, track: ExchangeTrack, timestamp: number): void {
  const pending = track.pending;
  const limit = Math.max(4, Math.ceil(PENDING_WIDTHS * pending.widthMean) + 1);
  pending.since = timestamp;
  pending.origin = track.entries.first - PENDING_CAPACITY / 2;
  if (limit === pending.limit) return;
  pending.limit = limit;
  pending.longReach = -Infinity;
  pending.shortReach = Infinity;
  for (let k = 0; k < track.kernels.length; k++) {
    const shifts = track.kernels[k]!.shifts;
    let low = 0;
    while (low < shifts.length && shifts[low]! < -limit) low++;
    let high = low;
    while (high < shifts.length && shifts[high]! <= limit) high++;
    pending.lowEnd[k] = low;
    pending.highStart[k] = high;
    const waitingMax = high < shifts.length ? shifts[shifts.length - 1]! : low > 0 ? shifts[low - 1]! : -Infinity;
    const waitingMin = low > 0 ? shifts[0]! : high < shifts.length ? shifts[high]! : Infinity;
    if (k < state.groupCount) pending.longReach = Math.max(pending.longReach, waitingMax);
    else pending.shortReach = Math.min(pending.shortReach, waitingMin);
  }
}

/** Places a track's batched far levels into the ladder (and the tracked grid). */
export function flushPending(state: EstimatorState, track: ExchangeTrack): void {
  const pending = track.pending;
  if (pending.count === 0) return;
  const base = state.base!;
  const at = pending.first - pending.origin;
  for (let side = 0; side < 2; side++) {
    for (let g = 0; g < state.groupCount; g++) {
      const k = side * state.groupCount + g;
      const kernel = track.kernels[k]!;
      const waiting = pending.values[k]!;
      const placed = placeLevels(state, waiting, at, pending.first, pending.count, side, g, 0, pending.lowEnd[k]!, 1, kernel)
        || placeLevels(state, waiting, at, pending.first, pending.count, side, g, pending.highStart[k]!, kernel.shifts.length, 1, kernel);
      if (placed) extendFrontier(state, side, g, pending.first - base, pending.count, kernel);
      waiting.fill(0, at, at + pending.count);
    }
  }
  pending.count = 0;
}

/** Flushes every batch a long sweep down to absolute bucket `from` could reach. */
export function flushReachedByLongSweep(state: EstimatorState, from: number): void {
  for (let t = 0; t < state.trackList.length; t++) {
    const track = state.trackList[t]!;
    const p = track.pending;
    if (p.count > 0 && from <= p.first + p.count - 1 + p.longReach) flushPending(state, track);
  }
}

/** Flushes every batch a short sweep up to absolute bucket `to` could reach. */
export function flushReachedByShortSweep(state: EstimatorState, to: number): void {
  for (let t = 0; t < state.trackList.length; t++) {
    const track = state.trackList[t]!;
    const p = track.pending;
    if (p.count > 0 && to >= p.first + p.shortReach) flushPending(state, track);
  }
}

/** The levels waiting in batches, in USD per ladder bucket, or undefined when none wait. */
export function pendingLadder(state: EstimatorState): { long: Float64Array; short: Float64Array } | undefined {
  let out: { long: Float64Array; short: Float64Array } | undefined;
  for (const track of state.trackList) {
    const pending = track.pending;
    if (pending.count === 0) continue;
    out ??= { long: new Float64Array(state.size), short: new Float64Array(state.size) };
    const start0 = pending.first - state.base!;
    const at = pending.first - pending.origin;
    for (let k = 0; k < track.kernels.length; k++) {
      const kernel = track.kernels[k]!;
      const target = k < state.groupCount ? out.long : out.short;
      const scale = state.scale[k % state.groupCount]!;
      const waiting = pending.values[k]!;
      for (let j = 0; j < kernel.shifts.length; j++) {
        if (j === pending.lowEnd[k]) j = pending.highStart[k]!;
        if (j >= kernel.shifts.length) break;
        const weight = kernel.weights[j]! * scale;
        const start = start0 + kernel.shifts[j]!;
        const lo = Math.max(0, start);
        const hi = Math.min(state.size - 1, start + pending.count - 1);
        for (let i = lo; i <= hi; i++) target[i]! += waiting[at + i - start]! * weight;
      }
    }
  }
  return out;
}
