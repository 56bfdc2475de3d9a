import { barPath } from './bar-path';
import { MS_PER_HOUR, type EstimatorState } from './estimator-state';
import type { Contribution } from './exchange-track';
import { activity, longShare, takerShare, turnoverPerBar } from './flow-signals';
import { flushPending } from './hourly-batches';
import { bucketOf, decay, ensureBase, exitNearPrice, shrink, sweepLongs, sweepShorts } from './ladder';
import { weightOi } from './merge-exchanges';
import { beginEntries, openLeg, placeFar } from './placement';
import { noteChange } from './tracked-grid';
import type { BarLiquidations } from './types';

/**
 * Applies one merged bar to the state and returns its estimated liquidations. In order: the merged
 * prices; the sweep of the map as it stood over the bar's range (the bar's estimate); each
 * exchange's flow signals and opening; the bar's path walked leg by leg (sweeps and near levels);
 * far levels and hourly batches; near-price exits and closing; the merged bar's record.
 */
export function applyBar(state: EstimatorState, timestamp: number, contributions: readonly Contribution[]): BarLiquidations {
  // Merged price: open-interest-weighted across exchanges (equal weights when OI is zero), with
  // the open interest known when the bar opened (the previous bar's; the bar's own for an
  // exchange's first bar), so nothing the bar reveals at its close moves its extremes.
  let weightSum = 0;
  let open = 0, high = 0, low = 0, close = 0, oiTotal = 0, oiPreviousTotal = 0, oiDelta = 0;
  let fundingSum = 0, fundingWeight = 0, ratioSum = 0, ratioWeight = 0, takerSum = 0, takerWeight = 0;
  let stale = false;
  let turnoverTotal = 0;
  const opening = state.opening;
  let openings = 0;
  // Weights relative to the largest OI, so a price times a weight cannot overflow.
  let oiMax = 0;
  // Indexed loops, here and in the other per-bar loops: a for-of loop brings the iterator
  // protocol's exception handling into state function, which keeps the optimizer from inlining
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
  // side. Nothing else of the bar (its open interest, flow, funding, close) is read before state.
  const previousTimestamp = state.lastTimestamp;
  const lowLog = Math.log(low) / state.step;
  const highLog = Math.log(high) / state.step;
  ensureBase(state, Math.floor((lowLog + highLog) / 2));
  if (previousTimestamp > -Infinity) decay(state, timestamp - previousTimestamp);
  const swept = state.swept;
  swept[0] = 0;
  swept[1] = 0;
  const extremes = state.extremeLog;
  extremes[0] = lowLog;
  extremes[1] = highLog;
  sweepLongs(state, extremes, 0);
  sweepShorts(state, extremes, 1);
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
      // Per 8 h: an hourly rate beside 8-hourly ones would otherwise weigh an eighth (funding-interval.ts).
      fundingSum += bar.fundingRate * track.fundingFactor * w;
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

    const wasStale = track.unchangedRun >= state.config.staleOpenInterestBars - 1;
    const previous = track.previousOi;
    if (oiUsd === previous) track.unchangedRun++;
    else track.unchangedRun = 0;
    track.previousOi = oiUsd;
    const isStale = track.unchangedRun >= state.config.staleOpenInterestBars - 1;
    stale ||= isStale;
    // A change right after a stale stretch re-bases: the feed was not recording, so the jump
    // is the sum of everything missed, not one bar's opening or closing.
    if (Number.isNaN(previous) || wasStale || isStale) continue;
    oiPreviousTotal += previous;
    const delta = oiUsd - previous;
    oiDelta += delta;
    // Net OI change hides turnover: positions are opened and closed in every bar. Without
    // volume a constant turnover of the open interest per hour is assumed (config).
    const turnover = previous * turnoverPerBar(state) * activity(state, track, bar);
    turnoverTotal += turnover;
    // Only part of what opens sits at a liquidation level the map can reach (see level-share.ts).
    const amount = (Math.max(0, delta) + turnover) * state.config.levelShare;
    if (amount > 0) {
      const path = track.path;
      const points = barPath(path, bar.open, bar.high, bar.low, bar.close, state.config.openDip, state.config.legRetrace, state.config.closeOvershoot);
      let length = 0;
      for (let q = 1; q < points; q++) length += Math.abs(path[q]! - path[q - 1]!);
      const entry = track.opening;
      entry.contribution = contribution;
      entry.amount = amount;
      entry.longShare = longShare(state, bar, taker, track.fundingFactor);
      entry.length = length;
      entry.points = points;
      opening[openings++] = entry;
    }
  }

  const gapBefore = state.timeframe > 0 && previousTimestamp > -Infinity
    ? Math.max(0, Math.round((timestamp - previousTimestamp) / state.timeframe) - 1)
    : 0;
  state.lastTimestamp = timestamp;
  // The bar is walked as a path, open -> first extreme -> second extreme -> close (low first
  // in a rising bar, high first in a falling one), so positions opened early in the bar can be
  // liquidated by its later swing, as they are in the market.
  const path = state.path;
  let points: number;
  if (openings === 1 && contributions.length === 1) {
    // One exchange that opened has walked state very bar already (same prices): copy its path.
    path.set(opening[0]!.path);
    points = opening[0]!.points;
  } else points = barPath(path, open, high, low, close, state.config.openDip, state.config.legRetrace, state.config.closeOvershoot);
  // Ladder positions of the path points (in buckets, fractional), one logarithm per point. The
  // last point is the close: its position also places the ladder and the near-exit band.
  const pathLog = state.pathLog;
  // A bar usually opens at the last close: its position is known already.
  pathLog[0] = path[0] === state.lastClose ? state.lastCloseLog : Math.log(path[0]!) / state.step;
  for (let q = 1; q < points; q++) pathLog[q] = Math.log(path[q]!) / state.step;
  const closeLog = pathLog[points - 1]!;
  updateAtr(state, high, low);
  state.lastClose = close;
  state.lastCloseLog = closeLog;

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
    beginEntries(state, opening[0]!.contribution, lowBucket, highBucket);
  } else {
    for (let o = 0; o < openings; o++) {
      const { bar } = opening[o]!.contribution;
      beginEntries(state, opening[o]!.contribution, bucketOf(state, bar.low), bucketOf(state, bar.high));
    }
  }
  const ownLog = state.ownLog;
  const opened = state.openedRange;
  opened[0] = opened[2] = state.size;
  opened[1] = opened[3] = -1;
  for (let leg = 0; leg < points - 1; leg++) {
    const to = path[leg + 1]!;
    if (to < path[leg]!) sweepLongs(state, pathLog, leg + 1);
    else if (to > path[leg]!) sweepShorts(state, pathLog, leg + 1);
    for (let o = 0; o < openings; o++) {
      const entry = opening[o]!;
      const own = entry.path;
      // One exchange walks the merged path itself (same prices, bit for bit).
      const logs = own === path || contributions.length === 1 ? pathLog : ownLog;
      if (logs === ownLog) {
        ownLog[leg] = Math.log(own[leg]!) / state.step;
        ownLog[leg + 1] = Math.log(own[leg + 1]!) / state.step;
      }
      openLeg(state, entry, logs, leg);
    }
  }
  if (state.grid) {
    if (opened[1]! >= opened[0]!) noteChange(state, opened[0]!, opened[1]!);
    if (opened[3]! >= opened[2]!) noteChange(state, opened[2]!, opened[3]!);
  }
  const sameBarUsd = swept[0]! + swept[1]!;
  // Levels further from entry than the bar's whole range cannot be reached later in the same
  // bar, so they are placed once for the bar, from all legs' entries together; the furthest
  // wait for the hourly batch.
  for (let o = 0; o < openings; o++) placeFar(state, opening[o]!.contribution.track, opening[o]!.longShare);
  // A batch is placed at the end of the last bar of its clock hour (or at the first bar of a
  // later hour after a gap), so the heatmap's hourly columns hold everything.
  const hour = Math.floor(timestamp / MS_PER_HOUR);
  const hourEnds = Math.floor((timestamp + state.timeframe) / MS_PER_HOUR) !== hour;
  for (let t = 0; t < state.trackList.length; t++) {
    const track = state.trackList[t]!;
    if (track.pending.count > 0 && (hourEnds || Math.floor(track.pending.since / MS_PER_HOUR) !== hour)) flushPending(state, track);
  }
  state.sweptUsd += longUsd + shortUsd + sameBarUsd;
  exitNearPrice(state, closeLog);

  // The fall in OI is first explained by the liquidations state bar just estimated; what is
  // left, plus the assumed turnover, was closed voluntarily, and shrinks every live level by
  // the same fraction of the real open interest (never of the tracked notional, which would
  // wipe the map).
  if (oiPreviousTotal > 0) {
    const closed = Math.max(0, -oiDelta - longUsd - shortUsd - sameBarUsd) + turnoverTotal;
    shrink(state, Math.min(1, closed / oiPreviousTotal));
  }

  const merged = state.merged;
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

/** Wilder's ATR with state bar (the last close is still the previous bar's). */
export function updateAtr(state: EstimatorState, high: number, low: number): void {
  const previousClose = state.lastClose;
  const trueRange = Number.isNaN(previousClose)
    ? high - low
    : Math.max(high - low, Math.abs(high - previousClose), Math.abs(low - previousClose));
  const n = Math.min(state.merged.length + 1, 14);
  state.atrValue += (trueRange - state.atrValue) / n;
}
