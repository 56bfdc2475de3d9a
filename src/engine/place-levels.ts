import type { EstimatorState } from './estimator-state';
import type { LevelKernel } from './exchange-track';
import { noteChange } from './tracked-grid';

/*
 * Writing levels into the ladder: a kernel (tier liquidation distances) applied to an entry
 * histogram, and the side's frontier that sweeps start from.
 */

/**
 * Adds kernel entries [from, to) of an entry histogram (`values[offset ..]`, `width` buckets
 * from absolute bucket `first`) times `factor` to one side and group of the ladder and to the
 * tracked grid. Returns whether any entry was in range.
 */
export function placeLevels(state: EstimatorState, values: Float64Array, offset: number, first: number, width: number, side: number, g: number, from: number, to: number, factor: number, kernel: LevelKernel): boolean {
  if (from >= to) return false;
  const start0 = first - state.base!;
  const size = state.size;
  const target = side === 0 ? state.long[g]! : state.short[g]!;
  const tracked = state.grid !== undefined;
  // Shifts ascend, so the ranges placed do too and neighbours mostly overlap: they are noted for
  // the tracked grid as runs (one note per run of overlapping or touching ranges, the same
  // buckets as one note per range).
  let runLo = 0;
  let runHi = -2;
  for (let j = from; j < to; j++) {
    const weight = factor * kernel.weights[j]!;
    const start = start0 + kernel.shifts[j]!;
    const lo = start < 0 ? 0 : start;
    const hi = start + width - 1 < size ? start + width - 1 : size - 1;
    const shift = offset - start;
    for (let i = lo; i <= hi; i++) target[i]! += values[i + shift]! * weight;
    if (!tracked || hi < lo) continue;
    if (lo <= runHi + 1) {
      if (hi > runHi) runHi = hi;
    } else {
      if (runHi >= runLo) noteChange(state, runLo, runHi);
      runLo = lo;
      runHi = hi;
    }
  }
  if (tracked && runHi >= runLo) noteChange(state, runLo, runHi);
  return true;
}

export function extendFrontier(state: EstimatorState, side: number, g: number, start: number, width: number, kernel: LevelKernel): void {
  if (side === 0) {
    const top = Math.min(state.size - 1, start + kernel.maxShift + width - 1);
    if (top > state.longTop[g]! && top >= 0) state.longTop[g] = top;
  } else {
    const bottom = Math.max(0, start + kernel.minShift);
    if (bottom < state.shortBottom[g]! && bottom < state.size) state.shortBottom[g] = bottom;
  }
}
