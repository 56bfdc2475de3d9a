import { BucketBinning } from './bucket-binning';
import type { EstimatorState } from './estimator-state';

/*
 * The tracked grid: the state's running projection onto a heatmap's bins, so each heatmap column
 * costs a copy plus the bins the bars since the last column changed.
 */

/** Bucket ranges the tracked grid notes before it draws early (a bar notes a few dozen). */
const CHANGED_RANGES = 256;
/** The image is re-based when the scale has fallen this far below its unit (2^-40: values stay far inside float32). */
const IMAGE_RANGE = 2 ** -40;

/**
 * The heatmap bins a full estimate writes its columns for (see `trackGrid`).
 * With one decay group it keeps the column as a float32 image in stored units: a column is then a
 * copy, and a bar redraws only the bins whose buckets it changed.
 */
export interface TrackedGrid {
  readonly edges: Float64Array;
  readonly rows: number;
  readonly binning: BucketBinning;
  /**
   * Bucket ranges changed since the image was last drawn, as (first, last) pairs. Opening,
   * sweeping and closing only note them; the bins they reach are redrawn once per column, not
   * once per level placed (a bar places a bucket at several tiers' shifts and sweeps it later).
   */
  readonly changed: Int32Array;
  /** Used entries of `changed` (two per range). */
  changedLength: number;
  /**
   * The bins' stored notional times `unit` in float32 (below zero or NaN as 0): with one decay
   * group this is the heatmap column up to one factor (scale / unit). Kept only then.
   */
  readonly image: Float32Array;
  /**
   * A power of two near the group's scale when the image was last rebuilt: keeps the image's
   * values near USD (stored units grow without bound as the scale decays) and multiplying by it
   * is exact, so the column's values do not depend on when it changes.
   */
  unit: number;
  /** The image's largest value and its row. */
  max: number;
  argmax: number;
  /** The largest value and its row among the bins the last draw wrote. */
  drawnMax: number;
  drawnArgmax: number;
}

/** An independent copy of a tracked grid for a cloned state (its binning recomputed, not shared). */
export function cloneGrid(state: EstimatorState, grid: TrackedGrid): TrackedGrid {
  const copy = { ...grid, binning: new BucketBinning(), changed: grid.changed.slice(), image: grid.image.slice() };
  if (state.base !== undefined) copy.binning.update(state.base, state.step, state.size, grid.edges);
  return copy;
}

/**
 * Keeps the state's projection onto these heatmap bin edges current as bars are applied, so
 * that each heatmap column costs a copy ({@link sampleGrid}) instead of a pass over the ladder.
 * @example estimator.trackGrid(edges); estimator.append(series, () => estimator.sampleGrid(cells, col * rows, columnScale, col++));
 */
export function trackGrid(state: EstimatorState, edges: Float64Array): void {
  const rows = edges.length - 1;
  state.grid = {
    edges,
    rows,
    binning: new BucketBinning(),
    changed: new Int32Array(2 * CHANGED_RANGES),
    changedLength: 0,
    image: new Float32Array(state.groupCount === 1 ? rows : 0),
    unit: 1,
    max: 0,
    argmax: 0,
    drawnMax: 0,
    drawnArgmax: 0,
  };
  rebuildGrid(state);
}

/**
 * Writes the tracked grid's current column into `out[offset ..]` and its factor into
 * `columnScale[column]`: bin `row` holds `out[offset + row] * columnScale[column]` USD (bins with
 * nothing hold 0). Returns the column's largest value in USD, as that product gives it. With one
 * decay group the column is a copy of the running image (decay and closing are the factor);
 * with several it is summed in USD and the factor is 1.
 * @example const maxUsd = estimator.sampleGrid(cells, column * rows, columnScale, column);
 */
export function sampleGrid(state: EstimatorState, out: Float32Array, offset: number, columnScale: Float64Array, column: number): number {
  const grid = state.grid;
  if (!grid) throw new Error('sampleGrid needs trackGrid(edges) first');
  if (state.groupCount === 1) {
    const s = state.scale[0]!;
    // The stored units grow as the scale decays: re-base the image before it leaves float32's range.
    if (s < grid.unit * IMAGE_RANGE) rebuildImage(state, grid);
    else if (grid.changedLength > 0) redrawChanged(state, grid);
    out.set(grid.image, offset);
    const factor = s / grid.unit;
    columnScale[column] = factor;
    return grid.max * factor;
  }
  // Several groups decay at different rates: the column is summed in USD, straight from the
  // ladder. The store rounds to float32; rounding is monotone, so the largest value rounded is
  // the largest stored.
  const binning = grid.binning.rowMajor();
  const { sums, usd } = binning;
  const rows = grid.rows;
  usd.fill(0, 0, rows);
  for (let g = 0; g < state.groupCount; g++) {
    binning.sumBins(state.long[g]!, state.short[g]!, 0, rows - 1);
    const s = state.scale[g]!;
    for (let r = 0; r < rows; r++) usd[r]! += sums[r]! * s;
  }
  let max = 0;
  for (let r = 0; r < rows; r++) {
    const v = usd[r]!;
    // NaN and -0 become +0, as in a fresh array.
    const c = v > 0 ? v : 0;
    out[offset + r] = c;
    max = c > max ? c : max;
  }
  columnScale[column] = 1;
  return Math.fround(max);
}

export function rebuildGrid(state: EstimatorState): void {
  const grid = state.grid;
  if (!grid || state.base === undefined) return;
  grid.binning.update(state.base, state.step, state.size, grid.edges);
  rebuildImage(state, grid);
}

/**
 * Notes that ladder buckets lo..hi changed (either side), for the next column. A range touching
 * one of the last two extends it; a full list is drawn first.
 */
export function noteChange(state: EstimatorState, lo: number, hi: number): void {
  // Several decay groups draw each column afresh (sampleGrid): nothing to note.
  if (state.groupCount !== 1) return;
  const grid = state.grid!;
  const { firstBucket, lastBucket } = grid.binning;
  if (lo < firstBucket) lo = firstBucket;
  if (hi > lastBucket) hi = lastBucket;
  if (hi < lo) return;
  const changed = grid.changed;
  let length = grid.changedLength;
  // The last two ranges: a bar's notes alternate between the long side and the short side.
  for (let at = length - 2; at >= 0 && at >= length - 4; at -= 2) {
    if (lo <= changed[at + 1]! + 1 && hi >= changed[at]! - 1) {
      if (lo < changed[at]!) changed[at] = lo;
      if (hi > changed[at + 1]!) changed[at + 1] = hi;
      return;
    }
  }
  if (length === changed.length) {
    redrawChanged(state, grid);
    length = 0;
  }
  changed[length] = lo;
  changed[length + 1] = hi;
  grid.changedLength = length + 2;
}

/** Redraws the image's bins that the noted bucket ranges reach, and its largest value. */
export function redrawChanged(state: EstimatorState, grid: TrackedGrid): void {
  const { changed, binning } = grid;
  const { firstBucket, rowSpan } = binning.rowMajor();
  // In bucket order, with overlapping or touching ranges merged: each bin is drawn once, and
  // the draws walk the ladder and the layout forwards.
  const length = grid.changedLength;
  for (let c = 2; c < length; c += 2) {
    const lo = changed[c]!;
    const hi = changed[c + 1]!;
    let at = c;
    while (at > 0 && changed[at - 2]! > lo) {
      changed[at] = changed[at - 2]!;
      changed[at + 1] = changed[at - 1]!;
      at -= 2;
    }
    changed[at] = lo;
    changed[at + 1] = hi;
  }
  let max = 0;
  let argmax = 0;
  let argmaxRedrawn = false;
  let drawnTo = -1;
  for (let c = 0; c < length; c += 2) {
    let lo = rowSpan[2 * (changed[c]! - firstBucket)]!;
    let hi = rowSpan[2 * (changed[c + 1]! - firstBucket) + 1]!;
    // Extend the range while the next one starts inside it or right after it.
    while (c + 2 < length && rowSpan[2 * (changed[c + 2]! - firstBucket)]! <= hi + 1) {
      c += 2;
      const next = rowSpan[2 * (changed[c + 1]! - firstBucket) + 1]!;
      if (next > hi) hi = next;
    }
    if (lo <= drawnTo) lo = drawnTo + 1;
    if (hi < lo) continue;
    drawnTo = hi;
    drawRows(state, grid, lo, hi);
    if (grid.drawnMax > max) {
      max = grid.drawnMax;
      argmax = grid.drawnArgmax;
    }
    if (grid.argmax >= lo && grid.argmax <= hi) argmaxRedrawn = true;
  }
  grid.changedLength = 0;
  // Bins not redrawn kept their values, none above the old largest.
  if (max >= grid.max) {
    grid.max = max;
    grid.argmax = argmax;
  } else if (argmaxRedrawn) {
    // The largest value's bin went down: look at every bin.
    findImageMax(grid);
  }
}

/** Rewrites the whole image in a unit near the current scale (see TrackedGrid.unit). */
export function rebuildImage(state: EstimatorState, grid: TrackedGrid): void {
  grid.changedLength = 0;
  // Several decay groups write their columns in USD (sampleGrid): no image to keep.
  if (state.groupCount !== 1) return;
  grid.unit = 2 ** Math.round(Math.log2(state.scale[0]!));
  drawRows(state, grid, 0, grid.rows - 1);
  grid.max = grid.drawnMax;
  grid.argmax = grid.drawnArgmax;
}

export function findImageMax(grid: TrackedGrid): void {
  const image = grid.image;
  let max = 0;
  let argmax = 0;
  for (let r = 0; r < grid.rows; r++) {
    if (image[r]! > max) {
      max = image[r]!;
      argmax = r;
    }
  }
  grid.max = max;
  grid.argmax = argmax;
}

/**
 * Computes image bins lo..hi from the ladder (one decay group). Each bin is summed afresh from
 * the buckets it overlaps, so it holds no residue of earlier additions and removals.
 */
export function drawRows(state: EstimatorState, grid: TrackedGrid, lo: number, hi: number): void {
  const binning = grid.binning.rowMajor();
  const { image, unit } = grid;
  const long = state.long[0]!;
  const short = state.short[0]!;
  // The common layout (bins about a bucket wide) is summed in the same pass that stores: the
  // same terms in the same order as sumBins, so the same values bit for bit, at about two thirds
  // of the cost of sumBins and a second loop (measured: 17.5 -> 12 ns a bin on state machine).
  const fused = binning.rowEntries === 3 && binning.rowsConsecutive;
  if (!fused) binning.sumBins(long, short, lo, hi);
  const { sums, rowStart, rowFraction: fraction } = binning;
  let max = 0;
  let argmax = lo;
  for (let r = lo, e = 3 * lo; r <= hi; r++, e += 3) {
    let sum: number;
    if (fused) {
      const b = rowStart[r]!;
      sum = (long[b]! + short[b]!) * fraction[e]! + (long[b + 1]! + short[b + 1]!) * fraction[e + 1]! + (long[b + 2]! + short[b + 2]!) * fraction[e + 2]!;
    } else sum = sums[r]!;
    const u = sum * unit;
    // NaN and -0 become +0, as in a fresh array.
    const v = Math.fround(u > 0 ? u : 0);
    image[r] = v;
    if (v > max) {
      max = v;
      argmax = r;
    }
  }
  grid.drawnMax = max;
  grid.drawnArgmax = argmax;
}
