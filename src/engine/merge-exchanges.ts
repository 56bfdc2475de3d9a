import type { EstimatorState } from './estimator-state';
import { fundingToReference } from './funding-interval';
import { createTrack, type Contribution, type ExchangeTrack } from './exchange-track';
import type { ExchangeSeries } from './types';
import { InputError, inferTimeframe } from './validate';

/*
 * Merging exchanges: each series feeds its own track (its own levels, flow norms, open interest
 * history); bars of several series are grouped by timestamp into one merged bar.
 */

/** Groups several series' new bars by timestamp, in time order. */
export function mergeTimeline(state: EstimatorState, withBars: readonly ExchangeSeries[]): [number, Contribution[]][] {
  const byTime = new Map<number, Contribution[]>();
  for (const s of withBars) {
    const track = trackOf(state, s);
    for (let index = 0; index < s.bars.length; index++) {
      const bar = s.bars[index]!;
      if (bar.timestamp <= state.lastTimestamp) continue;
      const contribution = { track, bar, oiUsd: oiUsdOf(state, s, index) };
      let list = byTime.get(bar.timestamp);
      if (!list) byTime.set(bar.timestamp, (list = []));
      if (list.some((c) => c.track === track)) {
        throw new InputError(`${s.exchange} ${s.symbol}: two series of the same exchange and symbol give bar ${bar.timestamp}`, index, s.exchange, 'timestamp');
      }
      list.push(contribution);
    }
  }
  return [...byTime.entries()].sort((x, y) => x[0] - y[0]);
}

/**
 * The series' track (created on first sight), its funding factor set from the series' funding
 * interval; fixes the bar duration when this series reveals it.
 */
export function trackOf(state: EstimatorState, s: ExchangeSeries): ExchangeTrack {
  // The bar duration is fixed by the first input that reveals it: an explicit timeframeMs,
  // two bars in one series, or the step from the last applied bar to a new one.
  if (state.timeframe === 0) {
    if (s.timeframeMs !== undefined || s.bars.length >= 2) state.timeframe = inferTimeframe(s);
    else if (state.lastTimestamp > -Infinity && s.bars[0]!.timestamp > state.lastTimestamp) state.timeframe = s.bars[0]!.timestamp - state.lastTimestamp;
  }
  const key = `${s.exchange}:${s.symbol}`;
  let track = state.tracks.get(key);
  if (!track) {
    track = createTrack(state, s.exchange, s.symbol);
    state.tracks.set(key, track);
    state.trackList.push(track);
  }
  track.fundingFactor = fundingToReference(s.fundingIntervalMs);
  return track;
}

/** Open interest of bar `index` in USD; throws {@link InputError} when it is not finite. */
export function oiUsdOf(state: EstimatorState, s: ExchangeSeries, index: number): number {
  const bar = s.bars[index]!;
  const oiUsd = bar.openInterestUsd ?? bar.openInterestBase! * bar.close;
  if (!Number.isFinite(oiUsd)) {
    throw new InputError(`${s.exchange} ${s.symbol} bar ${index}: open interest in USD is not finite`, index, s.exchange, 'openInterestBase');
  }
  return oiUsd;
}

/**
 * The open interest a contribution's prices are weighted by in the merged bar: the exchange's
 * previous bar's (known when the bar opened), or its own for the exchange's first bar.
 */
export function weightOi({ track, oiUsd }: Contribution): number {
  const previous = track.previousOi;
  return Number.isNaN(previous) ? oiUsd : previous;
}
