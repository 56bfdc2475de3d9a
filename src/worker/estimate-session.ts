/**
 * A kept estimate: one view's estimator state, held in the worker between the minute refreshes
 * so that a refresh applies only the bars that are new instead of running the whole history.
 *
 * - The exchange's newest bar may still be forming (its high, low, close and open interest change
 *   until it closes). The kept state stops before it: every output applies the unfinished bar to a
 *   copy ({@link Estimator.clone}), and the next refresh applies that bar, closed by then, for good.
 * - Heatmap columns are fixed in time (column `c` starts at `firstColumn + c * columnMs`, a
 *   multiple of `columnMs`) and in price (the bin edges chosen when the session starts), so a column
 *   that is complete never has to be sampled again: it is the state after its last bar, on the same
 *   bins. The newest column may be incomplete and is sampled from the copy. The output shows the
 *   latest `columns` columns.
 * - Bars go in only forwards: a bar at or before one already applied (history that changed) or a
 *   bar outside the price band the bins were chosen for is refused, and the caller starts anew.
 *
 * Starting a session over bars and extending another one to the same bars give exactly the same
 * output (same layout): both run the same steps, and appending in pieces is exact in the engine.
 */
import { tiersWithWeights } from '../engine/config';
import { DEFAULT_ROWS, latestReading, linearEdges, priceBand } from '../engine/estimate';
import { BucketBinning, Estimator } from '../engine/estimator';
import type { Bar, ExchangeSeries, Heatmap } from '../engine/types';
import { InputError, validateSeries } from '../engine/validate';
import { columnCandles, type EstimateJob, type EstimateOutput } from './api';

/** Where the heatmap's columns and bins sit; fixed for a session's life. */
export interface SessionLayout {
  /** Start of column 0, ms since epoch (a multiple of `columnMs`). */
  readonly firstColumn: number;
  readonly columnMs: number;
  /** Columns shown: the latest ones (fewer while the session has fewer). */
  readonly columns: number;
  readonly rows: number;
  readonly priceLow: number;
  readonly priceHigh: number;
  /**
   * Bars reaching further than half of this beyond the window's low and high at the start leave
   * too little room above or below: such a bar is refused (`out-of-range`).
   */
  readonly margin: number;
}

/** Why a session did not take new bars; the caller computes the view anew. */
export type SessionRefusal = 'missing' | 'mismatch' | 'out-of-range';

export interface SessionUpdate {
  /** Bars applied for good to the kept state by this update (closed bars). */
  readonly finalBars: number;
  /** Bars applied to the copy only (the still-forming newest bar; one per exchange that has it). */
  readonly formingBars: number;
}

/** The unfinished bar's timestamp: an extension must start there (the bars from it on). */
export interface SessionPosition {
  readonly formingAt: number;
}

export class SessionRefusedError extends Error {
  constructor(readonly reason: SessionRefusal, detail: string) {
    super(`kept estimate refused the new bars (${reason}): ${detail}`);
    this.name = 'SessionRefusedError';
  }
}

/**
 * One kept estimate.
 * @example
 * const session = EstimateSession.start(job);
 * let output = session.output();
 * session.extend(barsFrom(session.position.formingAt)); // next minute
 * output = session.output();
 */
export class EstimateSession {
  readonly layout: SessionLayout;
  /** What the start applied. */
  started: SessionUpdate = { finalBars: 0, formingBars: 0 };
  private readonly base: Estimator;
  private readonly edges: Float64Array;
  private readonly binning = new BucketBinning();
  /** Complete columns by index, each `rows` cells; only the latest `columns` are kept. */
  private readonly complete = new Map<number, Float32Array>();
  /** Closed bars of the first series (the page's own exchange) the shown columns need, for candles. */
  private ownBars: Bar[] = [];
  private readonly ownKey: string;
  /** The bars at `formingAt`, applied to a copy at every output. */
  private forming: readonly ExchangeSeries[] = [];
  private formingAt = Number.NEGATIVE_INFINITY;
  /** Latest timestamp applied to the kept state. */
  private lastFinal = Number.NEGATIVE_INFINITY;

  private constructor(job: EstimateJob, layout: SessionLayout) {
    this.layout = layout;
    this.edges = linearEdges(layout.priceLow, layout.priceHigh, layout.rows);
    const first = job.series[0]!;
    this.ownKey = `${first.exchange}:${first.symbol}`;
    const leverages = job.heatmap.leverages;
    this.base = new Estimator({
      ...(job.leverageWeights ? { config: { tiers: tiersWithWeights(job.leverageWeights) } } : {}),
      ...(leverages ? { leverages } : {}),
    });
  }

  /**
   * A session over the job's series. `layout` fixes columns and bins (default: from the job,
   * see {@link sessionLayout}).
   * @example EstimateSession.start({ series, heatmap: { columns: 144, barsPerColumn: 2, rows: 120 } }).output()
   */
  static start(job: EstimateJob, layout?: SessionLayout): EstimateSession {
    if (job.series.length === 0) throw new InputError('no series given', -1, '', 'series');
    for (const s of job.series) validateSeries(s);
    const session = new EstimateSession(job, layout ?? sessionLayout(job));
    session.started = session.apply(job.series, false);
    return session;
  }

  get position(): SessionPosition {
    return { formingAt: this.formingAt };
  }

  /**
   * Applies the bars from the unfinished one on (`position.formingAt`): the bars before the
   * newest close, the newest is the new unfinished one. Throws {@link SessionRefusedError}
   * (state unchanged) when they do not continue the kept state or leave the price band.
   */
  extend(series: readonly ExchangeSeries[]): SessionUpdate {
    for (const s of series) if (s.bars.length > 0) validateSeries(s);
    return this.apply(series, true);
  }

  private apply(series: readonly ExchangeSeries[], extending: boolean): SessionUpdate {
    const withBars = series.filter((s) => s.bars.length > 0);
    if (withBars.length === 0) throw new SessionRefusedError('mismatch', 'no bars');
    const newest = Math.max(...withBars.map((s) => s.bars.at(-1)!.timestamp));
    const times = [...new Set(withBars.flatMap((s) => s.bars.map((b) => b.timestamp)))].sort((a, b) => a - b);
    if (times[0]! <= this.lastFinal) throw new SessionRefusedError('mismatch', `a bar at ${times[0]} is not after the kept state (${this.lastFinal})`);
    if (extending) {
      if (newest < this.formingAt) throw new SessionRefusedError('mismatch', `the newest bar ${newest} is older than the unfinished one ${this.formingAt}`);
      // The previous unfinished bar decided which columns were complete: it must be the next bar.
      if (newest > this.formingAt && times[0] !== this.formingAt) {
        throw new SessionRefusedError('mismatch', `the bars start at ${times[0]}, not at the unfinished bar ${this.formingAt}`);
      }
      const { priceLow, priceHigh, margin } = this.layout;
      for (const s of withBars) {
        for (const bar of s.bars) {
          if (bar.high > priceHigh - margin / 2 || bar.low < priceLow + margin / 2) {
            throw new SessionRefusedError('out-of-range', `a bar reaches ${bar.low}..${bar.high}, the bins cover ${priceLow}..${priceHigh}`);
          }
        }
      }
    }
    const closed = withBars.map((s) => ({ ...s, bars: s.bars.filter((b) => b.timestamp < newest) })).filter((s) => s.bars.length > 0);
    const forming = withBars.map((s) => ({ ...s, bars: s.bars.filter((b) => b.timestamp === newest) })).filter((s) => s.bars.length > 0);
    const closedTimes = times.filter((t) => t < newest);
    let k = 0;
    // A column is complete when the next bar belongs to a later one: sample it (and any empty
    // columns of a gap) from the state after its last bar.
    this.base.appendValidated(closed, () => {
      const t = closedTimes[k++]!;
      const next = closedTimes[k] ?? newest;
      this.sampleComplete(this.column(t), this.column(next));
    });
    if (closedTimes.length > 0) this.lastFinal = closedTimes.at(-1)!;
    const own = closed.find((s) => `${s.exchange}:${s.symbol}` === this.ownKey);
    if (own) this.ownBars.push(...own.bars);
    this.forming = forming;
    this.formingAt = newest;
    this.trim();
    let finalBars = 0;
    for (const s of closed) finalBars += s.bars.length;
    let formingBars = 0;
    for (const s of forming) formingBars += s.bars.length;
    return { finalBars, formingBars };
  }

  private column(timestamp: number): number {
    return Math.floor((timestamp - this.layout.firstColumn) / this.layout.columnMs);
  }

  private sampleComplete(from: number, to: number): void {
    for (let c = Math.max(0, from); c < to; c++) {
      const cells = new Float32Array(this.layout.rows);
      this.base.sampleInto(this.edges, cells, 0, this.binning);
      this.complete.set(c, cells);
    }
  }

  /** Drops columns and bars older than the shown window. */
  private trim(): void {
    const oldest = this.column(this.formingAt) - this.layout.columns + 1;
    for (const c of this.complete.keys()) if (c < oldest) this.complete.delete(c);
    const from = this.layout.firstColumn + oldest * this.layout.columnMs;
    let drop = 0;
    while (drop < this.ownBars.length && this.ownBars[drop]!.timestamp < from) drop++;
    if (drop > 0) this.ownBars = this.ownBars.slice(drop);
  }

  /** The estimate with the unfinished bar applied (to a copy of the kept state). */
  output(): EstimateOutput {
    const started = performance.now();
    const state = this.base.clone();
    state.appendValidated(this.forming);
    const { columnMs, firstColumn, rows } = this.layout;
    const last = this.column(this.formingAt);
    const first = Math.max(0, last - this.layout.columns + 1);
    const columns = Math.max(1, last - first + 1);
    const cells = new Float32Array(columns * rows);
    const timestamps = new Float64Array(columns);
    for (let c = first; c <= last; c++) {
      timestamps[c - first] = firstColumn + c * columnMs;
      const kept = this.complete.get(c);
      if (c === last) state.sampleInto(this.edges, cells, (c - first) * rows, this.binning);
      else if (kept) cells.set(kept, (c - first) * rows);
    }
    let maxCell = 0;
    for (let i = 0; i < cells.length; i++) if (cells[i]! > maxCell) maxCell = cells[i]!;
    const heatmap: Heatmap = { timestamps, priceEdges: this.edges.slice(), cells, columns, rows, maxCell };
    const own = this.forming.find((s) => `${s.exchange}:${s.symbol}` === this.ownKey);
    const bars = own ? [...this.ownBars, ...own.bars] : this.ownBars;
    return {
      heatmap,
      candles: columnCandles(bars, timestamps, columnMs),
      ...latestReading(state),
      estimateMs: performance.now() - started,
    };
  }
}

/**
 * The layout a session starting on these series gets: `heatmap.columns` columns of
 * `barsPerColumn` bars ending with the one holding the newest bar (not before the first bar's
 * column), bins over the shown bars' low..high widened by max(3 ATR, 2 %) like the engine's own
 * heatmap window.
 * @example sessionLayout({ series, heatmap: { columns: 144, barsPerColumn: 2, rows: 120 } }).columnMs // 600000
 */
export function sessionLayout(job: EstimateJob): SessionLayout {
  const first = job.series[0]!;
  const timeframeMs = first.timeframeMs;
  if (timeframeMs === undefined || !(timeframeMs > 0)) throw new InputError('a kept estimate needs the series timeframe', -1, first.exchange, 'timeframeMs');
  const barsPerColumn = job.heatmap.barsPerColumn ?? 1;
  const columnMs = timeframeMs * barsPerColumn;
  const rows = job.heatmap.rows ?? DEFAULT_ROWS;
  const withBars = job.series.filter((s) => s.bars.length > 0);
  const newest = Math.max(...withBars.map((s) => s.bars.at(-1)!.timestamp));
  const oldest = Math.min(...withBars.map((s) => s.bars[0]!.timestamp));
  const requested = job.heatmap.columns ?? 180;
  const lastColumn = Math.floor(newest / columnMs) * columnMs;
  const firstColumn = Math.max(lastColumn - (requested - 1) * columnMs, Math.floor(oldest / columnMs) * columnMs);
  // Per timestamp the lowest low and highest high across exchanges, as the engine's window does.
  const lows = new Map<number, number>();
  const highs = new Map<number, number>();
  for (const s of withBars) {
    for (const bar of s.bars) {
      if (bar.timestamp < firstColumn) continue;
      lows.set(bar.timestamp, Math.min(lows.get(bar.timestamp) ?? Infinity, bar.low));
      highs.set(bar.timestamp, Math.max(highs.get(bar.timestamp) ?? -Infinity, bar.high));
    }
  }
  let low = Infinity;
  let high = -Infinity;
  let rangeSum = 0;
  for (const [t, l] of lows) {
    const h = highs.get(t)!;
    low = Math.min(low, l);
    high = Math.max(high, h);
    rangeSum += h - l;
  }
  // The page exchange's last close: the band spans the latest map's reach around it too.
  const close = first.bars.at(-1)?.close;
  const { priceLow, priceHigh, margin } = priceBand({ low, high, rangeSum, bars: lows.size, ...(close !== undefined ? { close } : {}) }, job.heatmap);
  return { firstColumn, columnMs, columns: requested, rows, priceLow, priceHigh, margin };
}
