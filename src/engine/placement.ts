import type { EstimatorState } from './estimator-state';
import { PENDING_CAPACITY, type Contribution, type ExchangeTrack, type Opening } from './exchange-track';
import { flushPending, resetPending } from './hourly-batches';
import { extendFrontier, placeLevels } from './place-levels';

/*
 * Placement: a bar's new positions, spread over the prices each leg of the bar's path traded,
 * become levels at each tier's liquidation distance. Levels a later leg of the same bar can reach
 * are placed per leg; the rest once per bar (placeFar) or in the hourly batch.
 */

/** Starts a bar's entry histogram for one exchange: the buckets its bar traded, lowBucket..highBucket (ladder positions of its low and high). */
export function beginEntries(state: EstimatorState, { track }: Contribution, lowBucket: number, highBucket: number): void {
  const base = state.base!;
  // Entries beyond the ladder cannot produce levels inside it; clip the range.
  const first = Math.max(lowBucket, base - state.size);
  const last = Math.min(highBucket, base + 2 * state.size);
  const count = Math.max(0, last - first + 1);
  if (track.entries.values.length < count) track.entries.values = new Float64Array(count * 2);
  track.entries.values.fill(0, 0, count);
  track.entries.first = first;
  track.entries.count = count;
  // A level state close to its entry (in buckets) may still be swept by a later leg of state bar.
  const nearLimit = count + 1;
  track.entries.nearLimit = nearLimit;
  // Kernel shifts are sorted: the near entries are one contiguous run of each kernel.
  for (let k = 0; k < track.kernels.length; k++) {
    const { nearStart, nearEnd, shifts } = track.kernels[k]!;
    const within = nearLimit < nearStart.length;
    track.entries.nearFrom[k] = within ? nearStart[nearLimit]! : 0;
    track.entries.nearTo[k] = within ? nearEnd[nearLimit]! : shifts.length;
  }
}

/**
 * Spreads the leg's share of an opening's notional evenly over the prices the leg traded (its
 * ends `logs[leg]`, `logs[leg + 1]` = log(price) / step), records it in
 * the bar's entry histogram, and places the levels near enough to be swept later in the same
 * bar right away. This is the engine's hot path: one tight loop per (side, group), no calls.
 */
export function openLeg(state: EstimatorState, opening: Opening, logs: Float64Array, leg: number): void {
  const { path: own, length, longShare } = opening;
  // A bar that never moved opens everything in its first leg, at its open.
  const share = length > 0 ? Math.abs(own[leg + 1]! - own[leg]!) / length : leg === 0 ? 1 : 0;
  if (share <= 0) return;
  const track = opening.contribution.track;
  const amount = opening.amount * share;
  const fromLog = logs[leg]!;
  const toLog = logs[leg + 1]!;
  const base = state.base!;
  const size = state.size;
  const entries = track.entries;
  const first = Math.max(Math.floor(Math.min(fromLog, toLog)), entries.first);
  const last = Math.min(Math.floor(Math.max(fromLog, toLog)), entries.first + entries.count - 1);
  const n = last - first + 1;
  if (n <= 0) return;
  state.openedUsd += amount * state.activeWeight;
  const perEntry = amount / n;
  for (let b = first - entries.first, end = b + n; b < end; b++) entries.values[b]! += perEntry;
  const tracked = state.grid !== undefined;
  for (let side = 0; side < 2; side++) {
    const sideAmount = amount * (side === 0 ? longShare : 1 - longShare);
    if (sideAmount === 0) continue;
    for (let g = 0; g < state.groupCount; g++) {
      const k = side * state.groupCount + g;
      const nearFrom = entries.nearFrom[k]!;
      const nearTo = entries.nearTo[k]!;
      if (nearFrom >= nearTo) continue;
      const kernel = track.kernels[k]!;
      const target = side === 0 ? state.long[g]! : state.short[g]!;
      const perBucket = sideAmount / (n * state.scale[g]!);
      for (let j = nearFrom; j < nearTo; j++) {
        const shift = kernel.shifts[j]!;
        const start = first - base + shift;
        const lo = start < 0 ? 0 : start;
        const hi = start + n - 1 < size ? start + n - 1 : size - 1;
        const value = perBucket * kernel.weights[j]!;
        for (let i = lo; i <= hi; i++) target[i]! += value;
      }
      // The near shifts lie within a few bar widths of each other, and every leg's lie around
      // the same prices: one range per side covers them all, noted for the tracked grid once
      // the bar's legs are walked.
      if (tracked) {
        const lo = first - base + kernel.shifts[nearFrom]!;
        const hi = first - base + kernel.shifts[nearTo - 1]! + n - 1;
        const opened = state.openedRange;
        if (lo < opened[2 * side]!) opened[2 * side] = lo;
        if (hi > opened[2 * side + 1]!) opened[2 * side + 1] = hi;
      }
      extendFrontier(state, side, g, first - base, n, kernel);
    }
  }
}

/**
 * Places the bar's levels that no later leg of the same bar can reach, from its entry histogram.
 * Levels beyond the track's pending limit join the hourly batch instead (see PendingLevels).
 */
export function placeFar(state: EstimatorState, track: ExchangeTrack, longShare: number): void {
  const timestamp = state.lastTimestamp;
  const { values, first, count: width, nearLimit } = track.entries;
  if (width === 0) return;
  const pending = track.pending;
  pending.widthMean += (width - pending.widthMean) / Math.min(++pending.widthSamples, 200);
  if (pending.count === 0) resetPending(state, track, timestamp);
  // A bar wider than the limit could reach the batched levels itself: it places everything now.
  let batch = nearLimit <= pending.limit;
  if (batch && (first < pending.origin || first + width > pending.origin + PENDING_CAPACITY)) {
    flushPending(state, track);
    resetPending(state, track, timestamp);
    batch = first >= pending.origin && first + width <= pending.origin + PENDING_CAPACITY;
  }
  const base = state.base!;
  for (let side = 0; side < 2; side++) {
    const share = side === 0 ? longShare : 1 - longShare;
    if (share === 0) continue;
    for (let g = 0; g < state.groupCount; g++) {
      const k = side * state.groupCount + g;
      const kernel = track.kernels[k]!;
      const factor = share / state.scale[g]!;
      const from = batch ? pending.lowEnd[k]! : 0;
      const to = batch ? pending.highStart[k]! : kernel.shifts.length;
      let nearFrom = track.entries.nearFrom[k]!;
      let nearTo = track.entries.nearTo[k]!;
      if (nearFrom >= nearTo) nearFrom = nearTo = to;
      const placed = placeLevels(state, values, 0, first, width, side, g, from, Math.min(nearFrom, to), factor, kernel)
        || placeLevels(state, values, 0, first, width, side, g, Math.max(nearTo, from), to, factor, kernel);
      if (placed) extendFrontier(state, side, g, first - base, width, kernel);
      if (!batch || (from === 0 && to === kernel.shifts.length)) continue;
      const waiting = pending.values[k]!;
      for (let b = 0, at = first - pending.origin; b < width; b++) waiting[at + b]! += values[b]! * factor;
    }
  }
  if (batch) {
    const lo = pending.count === 0 ? first : Math.min(pending.first, first);
    const hi = pending.count === 0 ? first + width : Math.max(pending.first + pending.count, first + width);
    pending.first = lo;
    pending.count = hi - lo;
  }
}
