import type { MergedBar } from './types';

/**
 * Merged bars as columns: one typed array per field, NaN where an optional field is absent.
 * The context reads them as they are; {@link MergedBar} objects are built only when asked for.
 */
export interface MergedBarColumns {
  readonly length: number;
  readonly timestamp: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly openInterestUsd: Float64Array;
  /** Funding per 8 h (see `MergedBar.funding`); NaN where no exchange had funding. */
  readonly funding: Float64Array;
  /** NaN where no exchange had a long/short ratio. */
  readonly longShortRatio: Float64Array;
  /** NaN where no taker flow was known. */
  readonly takerBuyShare: Float64Array;
  readonly exchanges: Int32Array;
  /** 1 inside a stale open-interest stretch. */
  readonly openInterestStale: Uint8Array;
  readonly gapBefore: Float64Array;
}

const FLOAT_FIELDS = ['timestamp', 'open', 'high', 'low', 'close', 'openInterestUsd', 'funding', 'longShortRatio', 'takerBuyShare', 'gapBefore'] as const;

/**
 * The estimator's growing list of merged bars. A bar used to be an object with up to nine
 * numbers, each boxed on its own: 8,640 bars made about 90,000 small objects that lived through
 * the run, and every young-generation collection copied them (a full run spent several ms and
 * most of its run-to-run spread on that). Columns hold the same numbers in a few arrays.
 * @example
 * const bars = new MergedBarList();
 * const i = bars.add();
 * bars.close[i] = 64_000; // and the other fields
 * bars.at(i).close // 64000
 */
export class MergedBarList implements MergedBarColumns {
  length = 0;
  timestamp = new Float64Array(0);
  open = new Float64Array(0);
  high = new Float64Array(0);
  low = new Float64Array(0);
  close = new Float64Array(0);
  openInterestUsd = new Float64Array(0);
  funding = new Float64Array(0);
  longShortRatio = new Float64Array(0);
  takerBuyShare = new Float64Array(0);
  exchanges = new Int32Array(0);
  openInterestStale = new Uint8Array(0);
  gapBefore = new Float64Array(0);
  /** The objects handed out by {@link toArray}, kept until the next bar is added. */
  private objects: MergedBar[] | undefined;

  /** Makes room for one more bar and returns its index; the caller writes every field. */
  add(): number {
    this.objects = undefined;
    if (this.length === this.timestamp.length) this.resize(Math.max(256, this.length * 2));
    return this.length++;
  }

  /**
   * Makes room for `count` more bars at once (a caller that knows how many will come). Grows at
   * least twofold, so appending one bar at a time stays amortized.
   */
  reserve(count: number): void {
    const needed = this.length + count;
    if (needed > this.timestamp.length) this.resize(Math.max(needed, 2 * this.timestamp.length));
  }

  /** The bar at `index` as an object (optional fields undefined where absent). */
  at(index: number): MergedBar {
    const optional = (column: Float64Array): number | undefined => (Number.isNaN(column[index]!) ? undefined : column[index]!);
    return {
      timestamp: this.timestamp[index]!,
      open: this.open[index]!,
      high: this.high[index]!,
      low: this.low[index]!,
      close: this.close[index]!,
      openInterestUsd: this.openInterestUsd[index]!,
      exchanges: this.exchanges[index]!,
      openInterestStale: this.openInterestStale[index] === 1,
      gapBefore: this.gapBefore[index]!,
      funding: optional(this.funding),
      longShortRatio: optional(this.longShortRatio),
      takerBuyShare: optional(this.takerBuyShare),
    };
  }

  /** Every bar as an object, built once per state (the same array until a bar is added). */
  toArray(): readonly MergedBar[] {
    if (!this.objects) {
      const objects = new Array<MergedBar>(this.length);
      for (let i = 0; i < this.length; i++) objects[i] = this.at(i);
      this.objects = objects;
    }
    return this.objects;
  }

  /** The columns cut to the bars there are (views, no copy): valid until the next bar is added. */
  view(): MergedBarColumns {
    const n = this.length;
    return {
      length: n,
      timestamp: this.timestamp.subarray(0, n),
      open: this.open.subarray(0, n),
      high: this.high.subarray(0, n),
      low: this.low.subarray(0, n),
      close: this.close.subarray(0, n),
      openInterestUsd: this.openInterestUsd.subarray(0, n),
      funding: this.funding.subarray(0, n),
      longShortRatio: this.longShortRatio.subarray(0, n),
      takerBuyShare: this.takerBuyShare.subarray(0, n),
      exchanges: this.exchanges.subarray(0, n),
      openInterestStale: this.openInterestStale.subarray(0, n),
      gapBefore: this.gapBefore.subarray(0, n),
    };
  }

  /** An independent copy, with the same room to grow (a copy is usually appended to at once). */
  clone(): MergedBarList {
    const copy = new MergedBarList();
    copy.takeColumns(this, this.timestamp.length);
    return copy;
  }

  private resize(capacity: number): void {
    this.takeColumns(this, capacity);
  }

  /** New columns of `capacity` bars holding `source`'s bars (`source` may be this list). */
  private takeColumns(source: MergedBarList, capacity: number): void {
    const n = source.length;
    for (const field of FLOAT_FIELDS) this[field] = copied(source[field], n, new Float64Array(capacity));
    this.exchanges = copied(source.exchanges, n, new Int32Array(capacity));
    this.openInterestStale = copied(source.openInterestStale, n, new Uint8Array(capacity));
    this.length = n;
  }
}

/** `into` with the first `n` values of `column` written at its start. */
function copied<T extends Float64Array | Int32Array | Uint8Array>(column: T, n: number, into: T): T {
  into.set(column.subarray(0, n));
  return into;
}

/**
 * Columns from bar objects (for callers that hold {@link MergedBar} objects).
 * @example columnsOf([{ timestamp: 0, open: 1, high: 1, low: 1, close: 1, openInterestUsd: 5, exchanges: 1, openInterestStale: false, gapBefore: 0 }]).funding[0] // NaN
 */
export function columnsOf(bars: readonly MergedBar[]): MergedBarColumns {
  const list = new MergedBarList();
  list.reserve(bars.length);
  for (const bar of bars) {
    const i = list.add();
    list.timestamp[i] = bar.timestamp;
    list.open[i] = bar.open;
    list.high[i] = bar.high;
    list.low[i] = bar.low;
    list.close[i] = bar.close;
    list.openInterestUsd[i] = bar.openInterestUsd;
    list.funding[i] = bar.funding ?? Number.NaN;
    list.longShortRatio[i] = bar.longShortRatio ?? Number.NaN;
    list.takerBuyShare[i] = bar.takerBuyShare ?? Number.NaN;
    list.exchanges[i] = bar.exchanges;
    list.openInterestStale[i] = bar.openInterestStale ? 1 : 0;
    list.gapBefore[i] = bar.gapBefore;
  }
  return list.view();
}
