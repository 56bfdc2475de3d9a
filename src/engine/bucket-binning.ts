/**
 * Maps ladder buckets to output bins by overlap, so a bucket that straddles two bins is split
 * between them (no striping when bins and buckets have similar widths). Cached until the ladder
 * moves or the edges change.
 */
export class BucketBinning {
  firstBucket = 0;
  lastBucket = -1;
  /** For bucket `firstBucket + i`: entries `offsets[i]..offsets[i+1]` of `bin` / `fraction`. */
  offsets = new Int32Array(1);
  bin = new Int32Array(0);
  fraction = new Float64Array(0);
  /**
   * The same overlaps by bin (see {@link rowMajor}): bin r's buckets (ladder positions) and
   * fractions are entries `r * rowEntries ..` of `rowBucket` / `rowFraction`, every bin padded to
   * the most any bin has with fraction 0. A loop over bins then runs the same short inner loop
   * every time: no mispredicted exits, and no bin waits on the store of the one before.
   */
  rowEntries = 0;
  rowBucket = new Int32Array(0);
  rowFraction = new Float64Array(0);
  /**
   * Bin r's buckets are consecutive ladder positions from `rowStart[r]` (a bin's overlaps always
   * are); `rowsConsecutive` says the padding entries continue that run inside the ladder too, so a
   * bin's sum can index `rowStart[r] + j` instead of reading `rowBucket`.
   */
  rowStart = new Int32Array(0);
  rowsConsecutive = false;
  /** For bucket `firstBucket + i`: the first and last bin it reaches, `rowSpan[2i]`, `rowSpan[2i + 1]`. */
  rowSpan = new Int32Array(0);
  /** Per bin, the result of {@link sumBins}; and a second scratch row for callers. */
  sums = new Float64Array(0);
  usd = new Float64Array(0);
  private rowsStale = true;
  private size = 0;
  private base = Number.NaN;
  private edges: Float64Array | undefined;

  update(base: number, step: number, size: number, edges: Float64Array): void {
    if (base === this.base && edges === this.edges && size === this.size) return;
    this.size = size;
    this.base = base;
    this.edges = edges;
    const rows = edges.length - 1;
    this.firstBucket = Math.max(0, Math.floor(Math.log(edges[0]!) / step) - base);
    this.lastBucket = Math.min(size - 1, Math.ceil(Math.log(edges[rows]!) / step) - base);
    const count = Math.max(0, this.lastBucket - this.firstBucket + 1);
    if (this.offsets.length < count + 1) this.offsets = new Int32Array(count + 1);
    // Each bucket overlaps at least one bin and each further overlap starts a new bin: at most
    // count + rows entries.
    const capacity = count + rows;
    if (this.bin.length < capacity) {
      this.bin = new Int32Array(capacity);
      this.fraction = new Float64Array(capacity);
    }
    const { bin, fraction, offsets } = this;
    let entries = 0;
    let row = 0;
    let hi = Math.exp((this.firstBucket + base) * step);
    for (let i = 0; i < count; i++) {
      offsets[i] = entries;
      const lo = hi;
      hi = Math.exp((this.firstBucket + i + base + 1) * step);
      const width = hi - lo;
      while (row > 0 && edges[row]! > lo) row--;
      while (row < rows && edges[row + 1]! <= lo) row++;
      for (let r = row; r < rows && edges[r]! < hi; r++) {
        const overlap = Math.min(hi, edges[r + 1]!) - Math.max(lo, edges[r]!);
        if (overlap > 0) {
          bin[entries] = r;
          fraction[entries] = overlap / width;
          entries++;
        }
      }
    }
    offsets[count] = entries;
    this.rowsStale = true;
  }

  /**
   * Fills the by-bin layout for the current buckets and edges (once per update; the liquidation
   * map, which walks buckets, never needs it) and returns this binning.
   */
  rowMajor(): this {
    if (!this.rowsStale) return this;
    this.rowsStale = false;
    const rows = this.edges ? this.edges.length - 1 : 0;
    const count = Math.max(0, this.lastBucket - this.firstBucket + 1);
    const { offsets, bin, fraction } = this;
    const perRow = new Int32Array(rows);
    for (let e = 0; e < offsets[count]!; e++) perRow[bin[e]!]!++;
    let width = 0;
    for (let r = 0; r < rows; r++) if (perRow[r]! > width) width = perRow[r]!;
    this.rowEntries = width;
    if (this.rowBucket.length < width * rows) {
      this.rowBucket = new Int32Array(width * rows);
      this.rowFraction = new Float64Array(width * rows);
    }
    if (this.rowSpan.length < 2 * count) this.rowSpan = new Int32Array(2 * count);
    if (this.sums.length < rows) {
      this.sums = new Float64Array(rows);
      this.usd = new Float64Array(rows);
    }
    const { rowBucket, rowFraction, rowSpan } = this;
    // Padding reads a real bucket (any: its fraction is 0).
    rowBucket.fill(this.firstBucket, 0, width * rows);
    rowFraction.fill(0, 0, width * rows);
    perRow.fill(0);
    let lastRow = 0;
    for (let i = 0; i < count; i++) {
      const from = offsets[i]!;
      const end = offsets[i + 1]!;
      for (let e = from; e < end; e++) {
        const r = bin[e]!;
        const at = r * width + perRow[r]!++;
        rowBucket[at] = this.firstBucket + i;
        rowFraction[at] = fraction[e]!;
      }
      // A bucket that reaches no bin (one ending exactly on the top edge) names the bin before.
      rowSpan[2 * i] = from < end ? bin[from]! : lastRow;
      rowSpan[2 * i + 1] = from < end ? (lastRow = bin[end - 1]!) : lastRow;
    }
    // Padding (fraction 0) becomes the run's next positions: the terms it adds stay +0 as long as
    // they read the ladder, so it must end inside it.
    if (this.rowStart.length < rows) this.rowStart = new Int32Array(rows);
    const rowStart = this.rowStart;
    let consecutive = true;
    for (let r = 0; r < rows; r++) {
      const start = rowBucket[r * width]!;
      rowStart[r] = start;
      if (start + width > this.size) consecutive = false;
      for (let j = 1; j < perRow[r]!; j++) if (rowBucket[r * width + j] !== start + j) consecutive = false;
    }
    this.rowsConsecutive = consecutive;
    return this;
  }

  /**
   * Sets `sums[r]` for bins lo..hi to what one side pair of ladder arrays holds in them (stored
   * units), by the layout of {@link rowMajor}, which must be current. The common widths are
   * written out: V8 runs a loop of two or three steps several times slower than its body.
   */
  sumBins(long: Float64Array, short: Float64Array, lo: number, hi: number): void {
    const { rowEntries: width, rowBucket: bucket, rowFraction: fraction, sums } = this;
    if (width === 2) {
      for (let r = lo, e = 2 * lo; r <= hi; r++, e += 2) {
        const b0 = bucket[e]!;
        const b1 = bucket[e + 1]!;
        sums[r] = (long[b0]! + short[b0]!) * fraction[e]! + (long[b1]! + short[b1]!) * fraction[e + 1]!;
      }
    } else if (width === 3) {
      for (let r = lo, e = 3 * lo; r <= hi; r++, e += 3) {
        const b0 = bucket[e]!;
        const b1 = bucket[e + 1]!;
        const b2 = bucket[e + 2]!;
        sums[r] = (long[b0]! + short[b0]!) * fraction[e]! + (long[b1]! + short[b1]!) * fraction[e + 1]! + (long[b2]! + short[b2]!) * fraction[e + 2]!;
      }
    } else {
      for (let r = lo; r <= hi; r++) {
        let sum = 0;
        for (let e = r * width, end = e + width; e < end; e++) {
          const b = bucket[e]!;
          sum += (long[b]! + short[b]!) * fraction[e]!;
        }
        sums[r] = sum;
      }
    }
  }
}
