import { barPath } from './bar-path';
import { BucketBinning } from './bucket-binning';
import { EstimatorState, MS_PER_HOUR } from './estimator-state';
import { cloneTrack, type Contribution, type ExchangeTrack } from './exchange-track';
import type { MergedBarColumns } from './merged-bars';
import type { TrackedGrid } from './tracked-grid';
import type { Bar, BarLiquidations, ExchangeSeries, LiquidationMap, MergedBar } from './types';
import { InputError, validateSeries } from './validate';
import { activity, longShare, takerShare, turnoverPerBar } from './flow-signals';
import { mergeTimeline, oiUsdOf, trackOf, weightOi } from './merge-exchanges';
import { noteChange, sampleGrid, trackGrid } from './tracked-grid';
import { flushPending, pendingLadder } from './hourly-batches';
import { beginEntries, openLeg, placeFar } from './placement';
import { bucketOf, decay, ensureBase, exitNearPrice, shrink, sweepLongs, sweepShorts } from './ladder';

export { BucketBinning } from './bucket-binning';
export type { EstimatorOptions } from './estimator-state';


/**
 * The estimator last asked to apply bars, kept reachable on purpose. V8 compiles the hot methods
 * against the hidden classes of an estimator and of its parts, and holds those classes weakly: a
 * full GC that finds no live estimator frees them and throws every compiled method away ("weak
 * objects"), and the next estimate runs two to three times slower while it is compiled again. One
 * kept estimator (the latest, replaced by the next) keeps the classes and the compiled code.
 */
const retained: { latestApplied: Estimator | undefined } = { latestApplied: undefined };

export interface EstimatorTotals {
  /** Notional ever opened into the state (USD at the time it was opened). */
  readonly openedUsd: number;
  /** Notional removed by sweeps (the per-bar estimated liquidations, summed). */
  readonly sweptUsd: number;
  /** Notional currently live (after decay and closing). */
  readonly liveUsd: number;
  /**
   * The part of `liveUsd` in far levels waiting for their hourly placement: in the liquidation
   * map already, in tracked heatmap columns from their placement on.
   */
  readonly waitingUsd: number;
}

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

  get totals(): EstimatorTotals {
    let live = 0;
    for (let g = 0; g < this.groupCount; g++) {
      let stored = 0;
      const long = this.long[g]!;
      const short = this.short[g]!;
      for (let i = 0; i < this.size; i++) stored += long[i]! + short[i]!;
      live += stored * this.scale[g]!;
    }
    const waiting = pendingLadder(this);
    let waitingUsd = 0;
    if (waiting) for (let i = 0; i < this.size; i++) waitingUsd += waiting.long[i]! + waiting.short[i]!;
    return { openedUsd: this.openedUsd, sweptUsd: this.sweptUsd, liveUsd: live + waitingUsd, waitingUsd };
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
        out[i] = this.applyBar(bar.timestamp, contributions);
        onBar?.(this.merged.length - 1);
      }
      return out;
    }
    const out: BarLiquidations[] = [];
    const timeline = mergeTimeline(this, withBars);
    this.merged.reserve(timeline.length);
    for (const [timestamp, contributions] of timeline) {
      out.push(this.applyBar(timestamp, contributions));
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
    const grid = this.grid;
    fields['grid'] = grid
      ? { ...grid, binning: new BucketBinning(), changed: grid.changed.slice(), image: grid.image.slice() }
      : undefined;
    if (grid && this.base !== undefined) (fields['grid'] as TrackedGrid).binning.update(this.base, this.step, this.size, grid.edges);
    return copy;
  }

  private applyBar(timestamp: number, contributions: readonly Contribution[]): BarLiquidations {
    // Merged price: open-interest-weighted across exchanges (equal weights when OI is zero), with
    // the open interest known when the bar opened (the previous bar's; the bar's own for an
    // exchange's first bar), so nothing the bar reveals at its close moves its extremes.
    let weightSum = 0;
    let open = 0, high = 0, low = 0, close = 0, oiTotal = 0, oiPreviousTotal = 0, oiDelta = 0;
    let fundingSum = 0, fundingWeight = 0, ratioSum = 0, ratioWeight = 0, takerSum = 0, takerWeight = 0;
    let stale = false;
    let turnoverTotal = 0;
    const opening = this.opening;
    let openings = 0;
    // Weights relative to the largest OI, so a price times a weight cannot overflow.
    let oiMax = 0;
    // Indexed loops, here and in the other per-bar loops: a for-of loop brings the iterator
    // protocol's exception handling into this function, which keeps the optimizer from inlining
    // as much into it.
    for (let c = 0; c < contributions.length; c++) {
      const oi = weightOi(contributions[c]!);
      if (oi > oiMax) oiMax = oi;
    }
    for (let c = 0; c < contributions.length; c++) {
      const { bar } = contributions[c]!;
      const w = oiMax > 0 ? Math.max(weightOi(contributions[c]!) / oiMax, 1e-12) : 1;
      weightSum += w;
      open += bar.open * w;
      high += bar.high * w;
      low += bar.low * w;
      close += bar.close * w;
    }
    if (contributions.length === 1) {
      // One exchange: its own prices, bit for bit.
      const { bar } = contributions[0]!;
      ({ open, high, low, close } = bar);
    } else {
      open /= weightSum;
      high /= weightSum;
      low /= weightSum;
      close /= weightSum;
    }

    // The bar's estimated liquidations are what the map as it stood at the end of the previous
    // bar holds between the bar's low and high: decay over the elapsed time, then one sweep per
    // side. Nothing else of the bar (its open interest, flow, funding, close) is read before this.
    const previousTimestamp = this.lastTimestamp;
    const lowLog = Math.log(low) / this.step;
    const highLog = Math.log(high) / this.step;
    ensureBase(this, Math.floor((lowLog + highLog) / 2));
    if (previousTimestamp > -Infinity) decay(this, timestamp - previousTimestamp);
    const swept = this.swept;
    swept[0] = 0;
    swept[1] = 0;
    const extremes = this.extremeLog;
    extremes[0] = lowLog;
    extremes[1] = highLog;
    sweepLongs(this, extremes, 0);
    sweepShorts(this, extremes, 1);
    const longUsd = swept[0]!;
    const shortUsd = swept[1]!;
    swept[0] = 0;
    swept[1] = 0;

    for (let c = 0; c < contributions.length; c++) {
      const contribution = contributions[c]!;
      const { bar, oiUsd, track } = contribution;
      const w = oiMax > 0 ? Math.max(weightOi(contribution) / oiMax, 1e-12) : 1;
      oiTotal += oiUsd;
      if (bar.fundingRate !== undefined) {
        fundingSum += bar.fundingRate * w;
        fundingWeight += w;
      }
      if (bar.longShortRatio !== undefined) {
        ratioSum += bar.longShortRatio * w;
        ratioWeight += w;
      }
      const taker = takerShare(track, bar);
      if (taker !== undefined) {
        takerSum += taker * w;
        takerWeight += w;
      }

      const wasStale = track.unchangedRun >= this.config.staleOpenInterestBars - 1;
      const previous = track.previousOi;
      if (oiUsd === previous) track.unchangedRun++;
      else track.unchangedRun = 0;
      track.previousOi = oiUsd;
      const isStale = track.unchangedRun >= this.config.staleOpenInterestBars - 1;
      stale ||= isStale;
      // A change right after a stale stretch re-bases: the feed was not recording, so the jump
      // is the sum of everything missed, not one bar's opening or closing.
      if (Number.isNaN(previous) || wasStale || isStale) continue;
      oiPreviousTotal += previous;
      const delta = oiUsd - previous;
      oiDelta += delta;
      // Net OI change hides turnover: positions are opened and closed in every bar. Without
      // volume a constant turnover of the open interest per hour is assumed (config).
      const turnover = previous * turnoverPerBar(this) * activity(this, track, bar);
      turnoverTotal += turnover;
      // Only part of what opens sits at a liquidation level the map can reach (see level-share.ts).
      const amount = (Math.max(0, delta) + turnover) * this.config.levelShare;
      if (amount > 0) {
        const path = track.path;
        const points = barPath(path, bar.open, bar.high, bar.low, bar.close, this.config.openDip, this.config.legRetrace, this.config.closeOvershoot);
        let length = 0;
        for (let q = 1; q < points; q++) length += Math.abs(path[q]! - path[q - 1]!);
        const entry = track.opening;
        entry.contribution = contribution;
        entry.amount = amount;
        entry.longShare = longShare(this, bar, taker);
        entry.length = length;
        entry.points = points;
        opening[openings++] = entry;
      }
    }

    const gapBefore = this.timeframe > 0 && previousTimestamp > -Infinity
      ? Math.max(0, Math.round((timestamp - previousTimestamp) / this.timeframe) - 1)
      : 0;
    this.lastTimestamp = timestamp;
    // The bar is walked as a path, open -> first extreme -> second extreme -> close (low first
    // in a rising bar, high first in a falling one), so positions opened early in the bar can be
    // liquidated by its later swing, as they are in the market.
    const path = this.path;
    let points: number;
    if (openings === 1 && contributions.length === 1) {
      // One exchange that opened has walked this very bar already (same prices): copy its path.
      path.set(opening[0]!.path);
      points = opening[0]!.points;
    } else points = barPath(path, open, high, low, close, this.config.openDip, this.config.legRetrace, this.config.closeOvershoot);
    // Ladder positions of the path points (in buckets, fractional), one logarithm per point. The
    // last point is the close: its position also places the ladder and the near-exit band.
    const pathLog = this.pathLog;
    // A bar usually opens at the last close: its position is known already.
    pathLog[0] = path[0] === this.lastClose ? this.lastCloseLog : Math.log(path[0]!) / this.step;
    for (let q = 1; q < points; q++) pathLog[q] = Math.log(path[q]!) / this.step;
    const closeLog = pathLog[points - 1]!;
    this.updateAtr(high, low);
    this.lastClose = close;
    this.lastCloseLog = closeLog;

    // Positions opened inside the bar enter the map after its sweep. The bar's path still
    // liquidates those a later swing of the same bar reaches (they leave the map, and are not
    // part of the bar's estimate: that would read the bar's own open interest, flow and close).
    if (contributions.length === 1 && openings === 1) {
      // One exchange's bar is the merged bar: its low and high are points of the path, whose
      // ladder positions are known already (the same logarithms of the same prices).
      let lowBucket = 0;
      let highBucket = 0;
      for (let q = 0; q < points; q++) {
        if (path[q] === low) lowBucket = Math.floor(pathLog[q]!);
        if (path[q] === high) highBucket = Math.floor(pathLog[q]!);
      }
      beginEntries(this, opening[0]!.contribution, lowBucket, highBucket);
    } else {
      for (let o = 0; o < openings; o++) {
        const { bar } = opening[o]!.contribution;
        beginEntries(this, opening[o]!.contribution, bucketOf(this, bar.low), bucketOf(this, bar.high));
      }
    }
    const ownLog = this.ownLog;
    const opened = this.openedRange;
    opened[0] = opened[2] = this.size;
    opened[1] = opened[3] = -1;
    for (let leg = 0; leg < points - 1; leg++) {
      const to = path[leg + 1]!;
      if (to < path[leg]!) sweepLongs(this, pathLog, leg + 1);
      else if (to > path[leg]!) sweepShorts(this, pathLog, leg + 1);
      for (let o = 0; o < openings; o++) {
        const entry = opening[o]!;
        const own = entry.path;
        // One exchange walks the merged path itself (same prices, bit for bit).
        const logs = own === path || contributions.length === 1 ? pathLog : ownLog;
        if (logs === ownLog) {
          ownLog[leg] = Math.log(own[leg]!) / this.step;
          ownLog[leg + 1] = Math.log(own[leg + 1]!) / this.step;
        }
        openLeg(this, entry, logs, leg);
      }
    }
    if (this.grid) {
      if (opened[1]! >= opened[0]!) noteChange(this, opened[0]!, opened[1]!);
      if (opened[3]! >= opened[2]!) noteChange(this, opened[2]!, opened[3]!);
    }
    const sameBarUsd = swept[0]! + swept[1]!;
    // Levels further from entry than the bar's whole range cannot be reached later in the same
    // bar, so they are placed once for the bar, from all legs' entries together; the furthest
    // wait for the hourly batch.
    for (let o = 0; o < openings; o++) placeFar(this, opening[o]!.contribution.track, opening[o]!.longShare);
    // A batch is placed at the end of the last bar of its clock hour (or at the first bar of a
    // later hour after a gap), so the heatmap's hourly columns hold everything.
    const hour = Math.floor(timestamp / MS_PER_HOUR);
    const hourEnds = Math.floor((timestamp + this.timeframe) / MS_PER_HOUR) !== hour;
    for (let t = 0; t < this.trackList.length; t++) {
      const track = this.trackList[t]!;
      if (track.pending.count > 0 && (hourEnds || Math.floor(track.pending.since / MS_PER_HOUR) !== hour)) flushPending(this, track);
    }
    this.sweptUsd += longUsd + shortUsd + sameBarUsd;
    exitNearPrice(this, closeLog);

    // The fall in OI is first explained by the liquidations this bar just estimated; what is
    // left, plus the assumed turnover, was closed voluntarily, and shrinks every live level by
    // the same fraction of the real open interest (never of the tracked notional, which would
    // wipe the map).
    if (oiPreviousTotal > 0) {
      const closed = Math.max(0, -oiDelta - longUsd - shortUsd - sameBarUsd) + turnoverTotal;
      shrink(this, Math.min(1, closed / oiPreviousTotal));
    }

    const merged = this.merged;
    const m = merged.add();
    merged.timestamp[m] = timestamp;
    merged.open[m] = open;
    merged.high[m] = high;
    merged.low[m] = low;
    merged.close[m] = close;
    merged.openInterestUsd[m] = oiTotal;
    merged.exchanges[m] = contributions.length;
    merged.openInterestStale[m] = stale ? 1 : 0;
    merged.gapBefore[m] = gapBefore;
    merged.funding[m] = fundingWeight > 0 ? fundingSum / fundingWeight : Number.NaN;
    merged.longShortRatio[m] = ratioWeight > 0 ? ratioSum / ratioWeight : Number.NaN;
    merged.takerBuyShare[m] = takerWeight > 0 ? takerSum / takerWeight : Number.NaN;
    return { timestamp, longUsd, shortUsd };
  }

  /** Wilder's ATR with this bar (the last close is still the previous bar's). */
  private updateAtr(high: number, low: number): void {
    const previousClose = this.lastClose;
    const trueRange = Number.isNaN(previousClose)
      ? high - low
      : Math.max(high - low, Math.abs(high - previousClose), Math.abs(low - previousClose));
    const n = Math.min(this.merged.length + 1, 14);
    this.atrValue += (trueRange - this.atrValue) / n;
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
    binning.update(this.base!, this.step, this.size, edges);
    const { sums } = binning.rowMajor();
    const rows = edges.length - 1;
    let max = 0;
    for (let g = 0; g < this.groupCount; g++) {
      binning.sumBins(this.long[g]!, this.short[g]!, 0, rows - 1);
      const s = this.scale[g]!;
      if (g < this.groupCount - 1) {
        for (let r = 0; r < rows; r++) out[offset + r]! += sums[r]! * s;
        continue;
      }
      // The last group's pass also finds the column's largest value, so callers need not read it back.
      for (let r = 0; r < rows; r++) {
        const v = Math.fround(out[offset + r]! + sums[r]! * s);
        out[offset + r] = v;
        if (v > max) max = v;
      }
    }
    return max;
  }

  /**
   * The liquidation map at the latest bar on the given bin edges, with cumulative curves from the
   * current price outwards.
   * @example estimator.liquidationMap(edgesAroundPrice(price, atr)).cumulativeLong
   */
  liquidationMap(edges: Float64Array): LiquidationMap {
    const last = this.merged.length - 1;
    if (last < 0) throw new InputError('no bars applied yet', -1, '', 'bars');
    const bins = edges.length - 1;
    const long = new Float64Array(bins);
    const short = new Float64Array(bins);
    const binning = new BucketBinning();
    binning.update(this.base!, this.step, this.size, edges);
    const { firstBucket, lastBucket, offsets, bin, fraction } = binning;
    // The levels still waiting in a batch belong to the map (they are live); the first pass adds them.
    const waiting = pendingLadder(this);
    for (let g = waiting ? -1 : 0; g < this.groupCount; g++) {
      const s = g < 0 ? 1 : this.scale[g]!;
      const longs = g < 0 ? waiting!.long : this.long[g]!;
      const shorts = g < 0 ? waiting!.short : this.short[g]!;
      for (let i = firstBucket; i <= lastBucket; i++) {
        const l = longs[i]! * s;
        const sh = shorts[i]! * s;
        if (l === 0 && sh === 0) continue;
        for (let e = offsets[i - firstBucket]!, end = offsets[i - firstBucket + 1]!; e < end; e++) {
          long[bin[e]!]! += l * fraction[e]!;
          short[bin[e]!]! += sh * fraction[e]!;
        }
      }
    }
    const price = this.merged.close[last]!;
    const cumulativeLong = new Float64Array(bins);
    const cumulativeShort = new Float64Array(bins);
    let priceBin = 0;
    while (priceBin < bins - 1 && edges[priceBin + 1]! <= price) priceBin++;
    let sum = 0;
    for (let i = priceBin; i >= 0; i--) cumulativeLong[i] = sum += long[i]!;
    sum = 0;
    for (let i = priceBin; i < bins; i++) cumulativeShort[i] = sum += short[i]!;
    return { timestamp: this.merged.timestamp[last]!, price, priceEdges: edges, long, short, cumulativeLong, cumulativeShort, atr: this.atrValue };
  }
}
