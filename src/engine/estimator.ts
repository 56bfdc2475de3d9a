import { applyBar } from './apply-bar';
import type { BucketBinning } from './bucket-binning';
import { EstimatorState } from './estimator-state';
import { cloneTrack, type ExchangeTrack } from './exchange-track';
import { mergeTimeline, oiUsdOf, trackOf } from './merge-exchanges';
import type { MergedBarColumns } from './merged-bars';
import { liquidationMap, sampleInto, totals, type EstimatorTotals } from './read-outs';
import { cloneGrid, sampleGrid, trackGrid } from './tracked-grid';
import type { Bar, BarLiquidations, ExchangeSeries, LiquidationMap, MergedBar } from './types';
import { validateSeries } from './validate';

export { BucketBinning } from './bucket-binning';
export type { EstimatorOptions } from './estimator-state';
export type { EstimatorTotals } from './read-outs';

/**
 * The estimator last asked to apply bars, kept reachable on purpose. V8 compiles the hot methods
 * against the hidden classes of an estimator and of its parts, and holds those classes weakly: a
 * full GC that finds no live estimator frees them and throws every compiled method away ("weak
 * objects"), and the next estimate runs two to three times slower while it is compiled again. One
 * kept estimator (the latest, replaced by the next) keeps the classes and the compiled code.
 */
const retained: { latestApplied: Estimator | undefined } = { latestApplied: undefined };

/**
 * Incremental liquidation-level estimator over one or more exchanges' series.
 * @example
 * const estimator = new Estimator();
 * const perBar = estimator.append([{ exchange: 'binance', symbol: 'BTCUSDT', bars }]);
 * const map = estimator.liquidationMap();
 */
export class Estimator extends EstimatorState {
  /**
   * Bars merged so far (one per distinct timestamp across exchanges), as objects built on first
   * read after a change; {@link barColumns} reads the same bars without building them.
   */
  get bars(): readonly MergedBar[] {
    return this.merged.toArray();
  }

  /** The merged bars as columns (views valid until the next append). */
  get barColumns(): MergedBarColumns {
    return this.merged.view();
  }

  /** Number of merged bars so far. */
  get barCount(): number {
    return this.merged.length;
  }

  /** Timestamp of merged bar `index`. */
  timestampAt(index: number): number {
    return this.merged.timestamp[index]!;
  }

  /** Close of merged bar `index`. */
  closeAt(index: number): number {
    return this.merged.close[index]!;
  }

  /** Bar duration in ms, from the first series seen. */
  get timeframeMs(): number {
    return this.timeframe;
  }

  /** Average true range (Wilder, 14 bars) at the latest bar. */
  get atr(): number {
    return this.atrValue;
  }

  get exchangeCount(): number {
    return this.tracks.size;
  }

  /** Notional opened, swept, live and waiting so far (see {@link EstimatorTotals}). */
  get totals(): EstimatorTotals {
    return totals(this);
  }

  /**
   * Applies new bars and returns the estimated liquidations of each new merged bar.
   * Bars at or before the last applied timestamp are skipped: they were applied already.
   * Throws {@link InputError} for invalid bars, before any state changes.
   * @example estimator.append([{ exchange: 'bybit', symbol: 'BTCUSDT', bars: newBars }]) // [{ timestamp, longUsd, shortUsd }]
   */
  append(series: readonly ExchangeSeries[], onBar?: (index: number) => void): BarLiquidations[] {
    for (const s of series) if (s.bars.length > 0) validateSeries(s);
    return this.appendValidated(series, onBar);
  }

  /**
   * {@link append} for series that already passed `validateSeries` (the estimate facade checks
   * them once before sizing the heatmap).
   * @internal
   */
  appendValidated(series: readonly ExchangeSeries[], onBar?: (index: number) => void): BarLiquidations[] {
    retained.latestApplied = this;
    const withBars = series.filter((s) => s.bars.length > 0);
    if (withBars.length === 1) {
      // One series needs no merging: its bars are validated as strictly increasing, so they are
      // applied straight from the input (no timeline built), and the new ones are its tail.
      const s = withBars[0]!;
      const bars = s.bars;
      const track = trackOf(this, s);
      let start = 0;
      for (let end = bars.length; start < end; ) {
        const middle = (start + end) >>> 1;
        if (bars[middle]!.timestamp > this.lastTimestamp) end = middle;
        else start = middle + 1;
      }
      const count = bars.length - start;
      this.merged.reserve(count);
      // Every bar's open interest is checked before the first is applied (a bad one changes
      // nothing) and kept for its bar.
      const oiUsd = new Float64Array(count);
      for (let i = 0; i < count; i++) oiUsd[i] = oiUsdOf(this, s, start + i);
      const contributions = this.single;
      // One record rewritten per bar: a bar's contribution is read only while the bar is applied.
      const contribution: { track: ExchangeTrack; bar: Bar; oiUsd: number } = { track, bar: bars[0]!, oiUsd: 0 };
      contributions[0] = contribution;
      // Sized once: the result is known to hold one record per new bar.
      const out = new Array<BarLiquidations>(count);
      for (let i = 0; i < count; i++) {
        const bar = bars[start + i]!;
        contribution.bar = bar;
        contribution.oiUsd = oiUsd[i]!;
        out[i] = applyBar(this, bar.timestamp, contributions);
        onBar?.(this.merged.length - 1);
      }
      return out;
    }
    const out: BarLiquidations[] = [];
    const timeline = mergeTimeline(this, withBars);
    this.merged.reserve(timeline.length);
    for (const [timestamp, contributions] of timeline) {
      out.push(applyBar(this, timestamp, contributions));
      onBar?.(this.merged.length - 1);
    }
    return out;
  }

  /**
   * An independent copy of the state: appending to either leaves the other as it was, and the
   * copy then gives exactly what the original would. Lets a caller apply a bar that may still
   * change (the exchange's current, unfinished bar) to a copy and keep the state before it.
   * @example const before = estimator.clone(); estimator.append([{ ...series, bars: [openBar] }]); // `before` lacks openBar
   */
  clone(): Estimator {
    const copy = Object.create(Estimator.prototype) as Estimator;
    // Shallow first (configuration, kernels and weights are never written after construction),
    // then every container a bar writes to is copied.
    Object.assign(copy, this);
    const fields = copy as unknown as Record<string, unknown>;
    fields['long'] = this.long.map((a) => a.slice());
    fields['short'] = this.short.map((a) => a.slice());
    fields['scale'] = this.scale.slice();
    fields['decayFactor'] = this.decayFactor.slice();
    fields['longTop'] = this.longTop.slice();
    fields['shortBottom'] = this.shortBottom.slice();
    fields['merged'] = this.merged.clone();
    // Per-bar scratch (filled before each use): fresh, so the two never write into each other's.
    fields['opening'] = [];
    fields['single'] = [];
    fields['swept'] = new Float64Array(this.swept.length);
    fields['openedRange'] = new Int32Array(this.openedRange.length);
    fields['path'] = new Float64Array(this.path.length);
    fields['pathLog'] = new Float64Array(this.pathLog.length);
    fields['ownLog'] = new Float64Array(this.ownLog.length);
    fields['extremeLog'] = new Float64Array(2);
    const tracks = new Map<string, ExchangeTrack>();
    const trackList = this.trackList.map((track) => {
      const cloned = cloneTrack(track);
      tracks.set(`${track.exchange}:${track.symbol}`, cloned);
      return cloned;
    });
    fields['tracks'] = tracks;
    fields['trackList'] = trackList;
    fields['grid'] = this.grid ? cloneGrid(this, this.grid) : undefined;
    return copy;
  }

  /**
   * Keeps the state's projection onto these heatmap bin edges current as bars are applied, so
   * that each heatmap column costs a copy ({@link sampleGrid}) instead of a pass over the ladder.
   * @example estimator.trackGrid(edges); estimator.append(series, () => estimator.sampleGrid(cells, col * rows, columnScale, col++));
   */
  trackGrid(edges: Float64Array): void {
    trackGrid(this, edges);
  }

  /**
   * Writes the tracked grid's current column into `out[offset ..]` and its factor into
   * `columnScale[column]`: bin `row` holds `out[offset + row] * columnScale[column]` USD. Returns
   * the column's largest value in USD (see tracked-grid.ts).
   * @example const maxUsd = estimator.sampleGrid(cells, column * rows, columnScale, column);
   */
  sampleGrid(out: Float32Array, offset: number, columnScale: Float64Array, column: number): number {
    return sampleGrid(this, out, offset, columnScale, column);
  }

  /**
   * Adds the live notional (all sides and groups) into `out[offset + row]` for the price bins
   * with the given ascending edges, and returns the largest of the column's values after adding
   * (as stored, in float32). Used for heatmap columns.
   * @example const columnMax = estimator.sampleInto(edges, cells, column * rows, binning);
   */
  sampleInto(edges: Float64Array, out: Float32Array, offset: number, binning: BucketBinning): number {
    return sampleInto(this, edges, out, offset, binning);
  }

  /**
   * The liquidation map at the latest bar on the given bin edges, with cumulative curves from the
   * current price outwards.
   * @example estimator.liquidationMap(edgesAroundPrice(price, atr)).cumulativeLong
   */
  liquidationMap(edges: Float64Array): LiquidationMap {
    return liquidationMap(this, edges);
  }
}
