import type { BucketBinning } from './bucket-binning';

/**
 * The heatmap bins a full estimate writes its columns for (see {@link Estimator.trackGrid}).
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
