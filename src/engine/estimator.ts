import { barPath } from './bar-path';
import { BucketBinning } from './bucket-binning';
import { EstimatorState, MS_PER_HOUR } from './estimator-state';
import { cloneTrack, type Contribution, type ExchangeTrack, type LevelKernel, type Opening, PENDING_CAPACITY } from './exchange-track';
import type { MergedBarColumns } from './merged-bars';
import type { TrackedGrid } from './tracked-grid';
import type { Bar, BarLiquidations, ExchangeSeries, LiquidationMap, MergedBar } from './types';
import { InputError, validateSeries } from './validate';
import { activity, longShare, takerShare, turnoverPerBar } from './flow-signals';
import { mergeTimeline, oiUsdOf, trackOf, weightOi } from './merge-exchanges';
import { noteChange, rebuildGrid, sampleGrid, trackGrid } from './tracked-grid';

export { BucketBinning } from './bucket-binning';
export type { EstimatorOptions } from './estimator-state';

/** Below this a group's scale is folded back into its buckets to keep precision. */
const RENORMALIZE_BELOW = 1e-150;
/** A batch holds the levels further from entry than this many of the track's mean bar widths. */
const PENDING_WIDTHS = 3;

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
    const waiting = this.pendingLadder();
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
    this.ensureBase(Math.floor((lowLog + highLog) / 2));
    if (previousTimestamp > -Infinity) this.decay(timestamp - previousTimestamp);
    const swept = this.swept;
    swept[0] = 0;
    swept[1] = 0;
    const extremes = this.extremeLog;
    extremes[0] = lowLog;
    extremes[1] = highLog;
    this.sweepLongs(extremes, 0);
    this.sweepShorts(extremes, 1);
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
      this.beginEntries(opening[0]!.contribution, lowBucket, highBucket);
    } else {
      for (let o = 0; o < openings; o++) {
        const { bar } = opening[o]!.contribution;
        this.beginEntries(opening[o]!.contribution, this.bucketOf(bar.low), this.bucketOf(bar.high));
      }
    }
    const ownLog = this.ownLog;
    const opened = this.openedRange;
    opened[0] = opened[2] = this.size;
    opened[1] = opened[3] = -1;
    for (let leg = 0; leg < points - 1; leg++) {
      const to = path[leg + 1]!;
      if (to < path[leg]!) this.sweepLongs(pathLog, leg + 1);
      else if (to > path[leg]!) this.sweepShorts(pathLog, leg + 1);
      for (let o = 0; o < openings; o++) {
        const entry = opening[o]!;
        const own = entry.path;
        // One exchange walks the merged path itself (same prices, bit for bit).
        const logs = own === path || contributions.length === 1 ? pathLog : ownLog;
        if (logs === ownLog) {
          ownLog[leg] = Math.log(own[leg]!) / this.step;
          ownLog[leg + 1] = Math.log(own[leg + 1]!) / this.step;
        }
        this.open(entry, logs, leg);
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
    for (let o = 0; o < openings; o++) this.placeFar(opening[o]!.contribution.track, opening[o]!.longShare);
    // A batch is placed at the end of the last bar of its clock hour (or at the first bar of a
    // later hour after a gap), so the heatmap's hourly columns hold everything.
    const hour = Math.floor(timestamp / MS_PER_HOUR);
    const hourEnds = Math.floor((timestamp + this.timeframe) / MS_PER_HOUR) !== hour;
    for (let t = 0; t < this.trackList.length; t++) {
      const track = this.trackList[t]!;
      if (track.pending.count > 0 && (hourEnds || Math.floor(track.pending.since / MS_PER_HOUR) !== hour)) this.flushPending(track);
    }
    this.sweptUsd += longUsd + shortUsd + sameBarUsd;
    this.exitNearPrice(closeLog);

    // The fall in OI is first explained by the liquidations this bar just estimated; what is
    // left, plus the assumed turnover, was closed voluntarily, and shrinks every live level by
    // the same fraction of the real open interest (never of the tracked notional, which would
    // wipe the map).
    if (oiPreviousTotal > 0) {
      const closed = Math.max(0, -oiDelta - longUsd - shortUsd - sameBarUsd) + turnoverTotal;
      this.shrink(Math.min(1, closed / oiPreviousTotal));
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

  private bucketOf(price: number): number {
    return Math.floor(Math.log(price) / this.step);
  }

  /** Keeps the current price (in bucket `k`) near the middle of the ladder; what falls off is out of reach. */
  private ensureBase(k: number): void {
    const half = (this.size - 1) / 2;
    if (this.base === undefined) {
      this.base = k - half;
      rebuildGrid(this);
      return;
    }
    const position = k - this.base;
    if (position > half / 2 && position < this.size - half / 2) return;
    const shift = position - half;
    this.base += shift;
    for (let g = 0; g < this.groupCount; g++) {
      for (const arrays of [this.long, this.short]) {
        const a = arrays[g]!;
        if (Math.abs(shift) >= this.size) a.fill(0);
        else if (shift > 0) {
          a.copyWithin(0, shift);
          a.fill(0, this.size - shift);
        } else {
          a.copyWithin(-shift, 0, this.size + shift);
          a.fill(0, 0, -shift);
        }
      }
      this.longTop[g] = Math.min(this.size - 1, this.longTop[g]! - shift);
      if (this.longTop[g]! < 0) this.longTop[g] = -1;
      this.shortBottom[g] = Math.max(0, this.shortBottom[g]! - shift);
      if (this.shortBottom[g]! >= this.size) this.shortBottom[g] = this.size;
    }
    rebuildGrid(this);
  }

  private decay(elapsedMs: number): void {
    if (elapsedMs !== this.decayElapsed) {
      this.decayElapsed = elapsedMs;
      for (let g = 0; g < this.groupCount; g++) this.decayFactor[g] = Math.exp(-this.groupDecayPerMs[g]! * elapsedMs);
    }
    for (let g = 0; g < this.groupCount; g++) {
      if (this.groupDecayPerMs[g]! > 0) this.scaleGroup(g, this.decayFactor[g]!);
    }
  }

  /**
   * Levels within `nearExitDistance` of the close (given as log(close) / step) lose the share of
   * their notional that holders close or move away by adding margin while the price sits near
   * them (config `nearExitPerHour`, over the bar's duration). A few buckets per side: the cost of a
   * sweep, not of a pass over the ladder.
   */
  private exitNearPrice(closeLog: number): void {
    const perHour = this.config.nearExitPerHour;
    if (perHour === 0 || this.timeframe === 0) return;
    // The bar duration is fixed once known: one power per estimator, not per bar.
    if (this.nearExitKeep < 0) this.nearExitKeep = perHour >= 1 ? 0 : Math.pow(1 - perHour, this.timeframe / MS_PER_HOUR);
    const keep = this.nearExitKeep;
    const reach = this.config.nearExitDistance / this.step;
    const base = this.base!;
    // Bucket centres (i + 0.5) in (close, close + reach] for shorts, [close - reach, close) for longs.
    const shortFrom = Math.max(0, Math.floor(closeLog - 0.5) + 1 - base);
    const shortTo = Math.min(this.size - 1, Math.floor(closeLog + reach - 0.5) - base);
    const longFrom = Math.max(0, Math.ceil(closeLog - reach - 0.5) - base);
    const longTo = Math.min(this.size - 1, Math.ceil(closeLog - 0.5) - 1 - base);
    // Levels still waiting for their hourly placement are far from their entries by construction;
    // they join once placed (placing them early for this would undo the batching's saving).
    for (let g = 0; g < this.groupCount; g++) {
      this.scaleBuckets(this.short[g]!, Math.max(shortFrom, this.shortBottom[g]!), shortTo, keep);
      this.scaleBuckets(this.long[g]!, longFrom, Math.min(longTo, this.longTop[g]!), keep);
    }
  }

  /** Multiplies buckets from..to of one side's array by `keep`, noting the change for the tracked grid. */
  private scaleBuckets(levels: Float64Array, from: number, to: number, keep: number): void {
    for (let i = from; i <= to; i++) levels[i]! *= keep;
    if (this.grid) noteChange(this, from, to);
  }

  private shrink(fraction: number): void {
    if (fraction <= 0) return;
    for (let g = 0; g < this.groupCount; g++) this.scaleGroup(g, 1 - fraction);
  }

  private scaleGroup(g: number, factor: number): void {
    const next = this.scale[g]! * factor;
    if (next > RENORMALIZE_BELOW) {
      this.scale[g] = next;
      return;
    }
    // Batched levels are stored in the same units: place them before the units change.
    for (const track of this.trackList) this.flushPending(track);
    const long = this.long[g]!;
    const short = this.short[g]!;
    for (let i = 0; i < this.size; i++) {
      long[i]! *= next;
      short[i]! *= next;
    }
    this.scale[g] = 1;
    // Rare (the scale fell below 1e-150): the grid is projected afresh from the rescaled ladder.
    rebuildGrid(this);
  }

  /**
   * Long levels at or above the leg's low (`logs[q]` = log(low) / step) are liquidated: the
   * bucket's centre must be reached. Adds the USD swept to `swept[0]`.
   */
  private sweepLongs(logs: Float64Array, q: number): void {
    const from = Math.max(0, Math.ceil(logs[q]! - 0.5) - this.base!);
    this.flushReachedByLongSweep(from + this.base!);
    let swept = 0;
    for (let g = 0; g < this.groupCount; g++) {
      const top = this.longTop[g]!;
      if (top < from) continue;
      swept += this.clear(this.long[g]!, g, from, top);
      this.longTop[g] = from - 1;
    }
    this.swept[0]! += swept;
  }

  /** Short levels at or below the leg's high (`logs[q]`) are liquidated; adds the USD to `swept[1]`. */
  private sweepShorts(logs: Float64Array, q: number): void {
    const to = Math.min(this.size - 1, Math.floor(logs[q]! - 0.5) - this.base!);
    this.flushReachedByShortSweep(to + this.base!);
    let swept = 0;
    for (let g = 0; g < this.groupCount; g++) {
      const bottom = this.shortBottom[g]!;
      if (bottom > to) continue;
      swept += this.clear(this.short[g]!, g, bottom, to);
      this.shortBottom[g] = to + 1;
    }
    this.swept[1]! += swept;
  }

  /** Empties buckets from..to of one side's array and returns the USD they held. */
  private clear(levels: Float64Array, g: number, from: number, to: number): number {
    let stored = 0;
    for (let i = from; i <= to; i++) {
      stored += levels[i]!;
      levels[i] = 0;
    }
    if (this.grid) noteChange(this, from, to);
    return stored * this.scale[g]!;
  }

  /** Starts a bar's entry histogram for one exchange: the buckets its bar traded, lowBucket..highBucket (ladder positions of its low and high). */
  private beginEntries({ track }: Contribution, lowBucket: number, highBucket: number): void {
    const base = this.base!;
    // Entries beyond the ladder cannot produce levels inside it; clip the range.
    const first = Math.max(lowBucket, base - this.size);
    const last = Math.min(highBucket, base + 2 * this.size);
    const count = Math.max(0, last - first + 1);
    if (track.entries.values.length < count) track.entries.values = new Float64Array(count * 2);
    track.entries.values.fill(0, 0, count);
    track.entries.first = first;
    track.entries.count = count;
    // A level this close to its entry (in buckets) may still be swept by a later leg of this bar.
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
  private open(opening: Opening, logs: Float64Array, leg: number): void {
    const { path: own, length, longShare } = opening;
    // A bar that never moved opens everything in its first leg, at its open.
    const share = length > 0 ? Math.abs(own[leg + 1]! - own[leg]!) / length : leg === 0 ? 1 : 0;
    if (share <= 0) return;
    const track = opening.contribution.track;
    const amount = opening.amount * share;
    const fromLog = logs[leg]!;
    const toLog = logs[leg + 1]!;
    const base = this.base!;
    const size = this.size;
    const entries = track.entries;
    const first = Math.max(Math.floor(Math.min(fromLog, toLog)), entries.first);
    const last = Math.min(Math.floor(Math.max(fromLog, toLog)), entries.first + entries.count - 1);
    const n = last - first + 1;
    if (n <= 0) return;
    this.openedUsd += amount * this.activeWeight;
    const perEntry = amount / n;
    for (let b = first - entries.first, end = b + n; b < end; b++) entries.values[b]! += perEntry;
    const tracked = this.grid !== undefined;
    for (let side = 0; side < 2; side++) {
      const sideAmount = amount * (side === 0 ? longShare : 1 - longShare);
      if (sideAmount === 0) continue;
      for (let g = 0; g < this.groupCount; g++) {
        const k = side * this.groupCount + g;
        const nearFrom = entries.nearFrom[k]!;
        const nearTo = entries.nearTo[k]!;
        if (nearFrom >= nearTo) continue;
        const kernel = track.kernels[k]!;
        const target = side === 0 ? this.long[g]! : this.short[g]!;
        const perBucket = sideAmount / (n * this.scale[g]!);
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
          const opened = this.openedRange;
          if (lo < opened[2 * side]!) opened[2 * side] = lo;
          if (hi > opened[2 * side + 1]!) opened[2 * side + 1] = hi;
        }
        this.extendFrontier(side, g, first - base, n, kernel);
      }
    }
  }

  /**
   * Places the bar's levels that no later leg of the same bar can reach, from its entry histogram.
   * Levels beyond the track's pending limit join the hourly batch instead (see PendingLevels).
   */
  private placeFar(track: ExchangeTrack, longShare: number): void {
    const timestamp = this.lastTimestamp;
    const { values, first, count: width, nearLimit } = track.entries;
    if (width === 0) return;
    const pending = track.pending;
    pending.widthMean += (width - pending.widthMean) / Math.min(++pending.widthSamples, 200);
    if (pending.count === 0) this.resetPending(track, timestamp);
    // A bar wider than the limit could reach the batched levels itself: it places everything now.
    let batch = nearLimit <= pending.limit;
    if (batch && (first < pending.origin || first + width > pending.origin + PENDING_CAPACITY)) {
      this.flushPending(track);
      this.resetPending(track, timestamp);
      batch = first >= pending.origin && first + width <= pending.origin + PENDING_CAPACITY;
    }
    const base = this.base!;
    for (let side = 0; side < 2; side++) {
      const share = side === 0 ? longShare : 1 - longShare;
      if (share === 0) continue;
      for (let g = 0; g < this.groupCount; g++) {
        const k = side * this.groupCount + g;
        const kernel = track.kernels[k]!;
        const factor = share / this.scale[g]!;
        const from = batch ? pending.lowEnd[k]! : 0;
        const to = batch ? pending.highStart[k]! : kernel.shifts.length;
        let nearFrom = track.entries.nearFrom[k]!;
        let nearTo = track.entries.nearTo[k]!;
        if (nearFrom >= nearTo) nearFrom = nearTo = to;
        const placed = this.placeLevels(values, 0, first, width, side, g, from, Math.min(nearFrom, to), factor, kernel)
          || this.placeLevels(values, 0, first, width, side, g, Math.max(nearTo, from), to, factor, kernel);
        if (placed) this.extendFrontier(side, g, first - base, width, kernel);
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

  /** Starts an empty batch: its limit follows the track's usual bar width (about 3x). */
  private resetPending(track: ExchangeTrack, timestamp: number): void {
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
      if (k < this.groupCount) pending.longReach = Math.max(pending.longReach, waitingMax);
      else pending.shortReach = Math.min(pending.shortReach, waitingMin);
    }
  }

  /** Places a track's batched far levels into the ladder (and the tracked grid). */
  private flushPending(track: ExchangeTrack): void {
    const pending = track.pending;
    if (pending.count === 0) return;
    const base = this.base!;
    const at = pending.first - pending.origin;
    for (let side = 0; side < 2; side++) {
      for (let g = 0; g < this.groupCount; g++) {
        const k = side * this.groupCount + g;
        const kernel = track.kernels[k]!;
        const waiting = pending.values[k]!;
        const placed = this.placeLevels(waiting, at, pending.first, pending.count, side, g, 0, pending.lowEnd[k]!, 1, kernel)
          || this.placeLevels(waiting, at, pending.first, pending.count, side, g, pending.highStart[k]!, kernel.shifts.length, 1, kernel);
        if (placed) this.extendFrontier(side, g, pending.first - base, pending.count, kernel);
        waiting.fill(0, at, at + pending.count);
      }
    }
    pending.count = 0;
  }

  /** Flushes every batch a long sweep down to absolute bucket `from` could reach. */
  private flushReachedByLongSweep(from: number): void {
    for (let t = 0; t < this.trackList.length; t++) {
      const track = this.trackList[t]!;
      const p = track.pending;
      if (p.count > 0 && from <= p.first + p.count - 1 + p.longReach) this.flushPending(track);
    }
  }

  /** Flushes every batch a short sweep up to absolute bucket `to` could reach. */
  private flushReachedByShortSweep(to: number): void {
    for (let t = 0; t < this.trackList.length; t++) {
      const track = this.trackList[t]!;
      const p = track.pending;
      if (p.count > 0 && to >= p.first + p.shortReach) this.flushPending(track);
    }
  }

  /**
   * Adds kernel entries [from, to) of an entry histogram (`values[offset ..]`, `width` buckets
   * from absolute bucket `first`) times `factor` to one side and group of the ladder and to the
   * tracked grid. Returns whether any entry was in range.
   */
  private placeLevels(values: Float64Array, offset: number, first: number, width: number, side: number, g: number, from: number, to: number, factor: number, kernel: LevelKernel): boolean {
    if (from >= to) return false;
    const start0 = first - this.base!;
    const size = this.size;
    const target = side === 0 ? this.long[g]! : this.short[g]!;
    const tracked = this.grid !== undefined;
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
        if (runHi >= runLo) noteChange(this, runLo, runHi);
        runLo = lo;
        runHi = hi;
      }
    }
    if (tracked && runHi >= runLo) noteChange(this, runLo, runHi);
    return true;
  }

  /** The levels waiting in batches, in USD per ladder bucket, or undefined when none wait. */
  private pendingLadder(): { long: Float64Array; short: Float64Array } | undefined {
    let out: { long: Float64Array; short: Float64Array } | undefined;
    for (const track of this.trackList) {
      const pending = track.pending;
      if (pending.count === 0) continue;
      out ??= { long: new Float64Array(this.size), short: new Float64Array(this.size) };
      const start0 = pending.first - this.base!;
      const at = pending.first - pending.origin;
      for (let k = 0; k < track.kernels.length; k++) {
        const kernel = track.kernels[k]!;
        const target = k < this.groupCount ? out.long : out.short;
        const scale = this.scale[k % this.groupCount]!;
        const waiting = pending.values[k]!;
        for (let j = 0; j < kernel.shifts.length; j++) {
          if (j === pending.lowEnd[k]) j = pending.highStart[k]!;
          if (j >= kernel.shifts.length) break;
          const weight = kernel.weights[j]! * scale;
          const start = start0 + kernel.shifts[j]!;
          const lo = Math.max(0, start);
          const hi = Math.min(this.size - 1, start + pending.count - 1);
          for (let i = lo; i <= hi; i++) target[i]! += waiting[at + i - start]! * weight;
        }
      }
    }
    return out;
  }

  private extendFrontier(side: number, g: number, start: number, width: number, kernel: LevelKernel): void {
    if (side === 0) {
      const top = Math.min(this.size - 1, start + kernel.maxShift + width - 1);
      if (top > this.longTop[g]! && top >= 0) this.longTop[g] = top;
    } else {
      const bottom = Math.max(0, start + kernel.minShift);
      if (bottom < this.shortBottom[g]! && bottom < this.size) this.shortBottom[g] = bottom;
    }
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
    const waiting = this.pendingLadder();
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
