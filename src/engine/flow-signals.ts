import { MS_PER_HOUR, type EstimatorState } from './estimator-state';
import type { ExchangeTrack } from './exchange-track';
import type { Bar } from './types';

/*
 * What a bar says about the positions opened in it, beyond its prices: the taker flow (who
 * initiated), how busy it was against the exchange's norm (turnover follows activity), and which
 * side the new positions lean to (flow, account ratio, funding).
 */

/**
 * Taker-buy share of the bar: from taker-buy volume when given; else reconstructed from the
 * CVD change (the recorded files have no volume column), squashed by the running mean size
 * of CVD changes. A change that is huge and lands near zero is a counter reset, not flow.
 */
export function takerShare(track: ExchangeTrack, bar: Bar): number | undefined {
  if (bar.volume !== undefined && bar.takerBuyVolume !== undefined && bar.volume > 0) {
    return Math.min(1, Math.max(0, bar.takerBuyVolume / bar.volume));
  }
  if (bar.cvd === undefined) return undefined;
  const previous = track.previousCvd;
  track.previousCvd = bar.cvd;
  if (Number.isNaN(previous)) return undefined;
  const change = bar.cvd - previous;
  const size = Math.abs(change);
  const isReset = track.cvdSamples >= 20 && size > 50 * track.cvdScale && Math.abs(bar.cvd) < 0.1 * Math.abs(previous);
  if (isReset) return undefined;
  track.cvdSamples++;
  track.cvdScale += (size - track.cvdScale) / Math.min(track.cvdSamples, 500);
  if (track.cvdScale <= 0) return 0.5;
  return 0.5 + 0.5 * Math.tanh(change / (2 * track.cvdScale));
}

/**
 * How busy the bar was against this exchange's norm: volume over its running mean when the bar
 * has volume, else the bar's relative range over its running mean raised to
 * `activityRangeExponent` (the volume a range goes with, measured on recorded candles). The mean
 * spans `activityNormHours` (30 days): long enough that a volatile week counts as busy, not as the
 * new normal. Turnover follows activity; capped at 10x so one wild bar cannot flood the map.
 */
export function activity(state: EstimatorState, track: ExchangeTrack, bar: Bar): number {
  const useVolume = bar.volume !== undefined && bar.volume > 0;
  const sample = useVolume ? bar.volume! : (bar.high - bar.low) / bar.close;
  const norm = useVolume ? track.activity.volume : track.activity.range;
  norm.samples++;
  norm.mean += (sample - norm.mean) / Math.min(norm.samples, activityNormBars(state));
  if (!(norm.mean > 0)) return 1;
  const ratio = sample / norm.mean;
  return Math.min(10, useVolume ? ratio : Math.pow(ratio, state.config.activityRangeExponent));
}

/** Bars in the activity norm's span (at least 1; 200 before the timeframe is known). */
function activityNormBars(state: EstimatorState): number {
  if (state.timeframe <= 0) return 200;
  return Math.max(1, Math.round((state.config.activityNormHours * MS_PER_HOUR) / state.timeframe));
}

export function turnoverPerBar(state: EstimatorState): number {
  return state.config.turnoverPerHour * (state.timeframe / MS_PER_HOUR);
}

/**
 * Share of the bar's new positions that are long: 0.5 leaned by taker flow, the account ratio and
 * funding, within `longShareBounds`. `fundingFactor` turns the bar's rate into a rate per 8 h (the
 * unit of `fundingScale`), so an hourly rate leans as much as the 8-hourly rate it equals.
 */
export function longShare(state: EstimatorState, bar: Bar, taker: number | undefined, fundingFactor: number): number {
  const c = state.config;
  let share = 0.5;
  if (taker !== undefined) share += c.takerFlowWeight * (taker - 0.5);
  if (bar.longShortRatio !== undefined) share += c.accountRatioWeight * (bar.longShortRatio / (1 + bar.longShortRatio) - 0.5);
  if (bar.fundingRate !== undefined) {
    const funding = bar.fundingRate * fundingFactor;
    // Funding changes a few times a day, not every bar: its lean is kept for the last rate seen.
    if (funding !== state.leanFunding) {
      state.leanFunding = funding;
      state.fundingLean = c.fundingWeight * 0.5 * Math.tanh(funding / c.fundingScale);
    }
    share += state.fundingLean;
  }
  return Math.min(c.longShareBounds[1], Math.max(c.longShareBounds[0], share));
}
