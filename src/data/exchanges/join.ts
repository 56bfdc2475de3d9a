/**
 * Joins an exchange's separate time series (candles, open interest, funding, long/short ratio)
 * into the engine's bars.
 *
 * Rules (the same for every exchange):
 * - A bar's open interest, funding and ratio are the latest sample stamped before the bar's end
 *   (`timestamp + timeframe`): a sample stamped at the bar's open counts for that bar, as in the
 *   recorded Binance data, where the OI row stamped T is the bar opening at T.
 * - Funding and the ratio are carried forward from the last sample (funding settles every 1-8 h).
 *   Before the first sample they are left out (both are optional for the engine), unless the
 *   request's anchor bar gives a starting value.
 * - Open interest before the first sample takes the first sample's value. The engine reads 12 or
 *   more bars of unchanged open interest as a recording gap (nothing opens or closes there), so
 *   these bars give price and volatility but no invented position flow. Such bars are counted in
 *   the notes.
 * - Snapshot open interest (exchanges without history) is interpolated linearly in time between
 *   the snapshots it has (the anchor bar's value and the one taken now); see those modules.
 */
import type { Bar } from '../../engine/types';

export interface Candle {
  readonly timestamp: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume?: number;
  readonly takerBuyVolume?: number;
}

export interface Sample {
  readonly timestamp: number;
  readonly value: number;
}

export interface JoinInput {
  readonly candles: readonly Candle[];
  readonly timeframeMs: number;
  /** Open interest samples; `unit` says whether values are USD notional or base units. */
  readonly openInterest: readonly Sample[];
  readonly openInterestUnit: 'usd' | 'base';
  /** `step`: history rows (as-of join). `interpolate`: snapshots, linear between them. */
  readonly openInterestMode?: 'step' | 'interpolate';
  readonly funding?: readonly Sample[];
  readonly longShortRatio?: readonly Sample[];
  /** The newest bar already held: seeds funding and ratio before their first sample here. */
  readonly anchor?: Bar;
}

export interface JoinResult {
  readonly bars: Bar[];
  /** Bars before the first open-interest sample, given its value (see the rules above). */
  readonly backfilledOpenInterest: number;
}

/** Sorted, finite samples with one value per timestamp (the last one given wins). */
export function cleanSamples(samples: readonly Sample[], accept: (value: number) => boolean = Number.isFinite): Sample[] {
  const byTime = new Map<number, number>();
  for (const s of samples) {
    if (Number.isFinite(s.timestamp) && Number.isFinite(s.value) && accept(s.value)) byTime.set(s.timestamp, s.value);
  }
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([timestamp, value]) => ({ timestamp, value }));
}

/** Forward reader: the latest sample stamped before a (non-decreasing) time. */
class AsOf {
  private index = -1;
  constructor(private readonly samples: readonly Sample[]) {}
  /** Latest value with `timestamp < end`, undefined before the first sample. */
  before(end: number): number | undefined {
    while (this.index + 1 < this.samples.length && this.samples[this.index + 1]!.timestamp < end) this.index++;
    return this.index >= 0 ? this.samples[this.index]!.value : undefined;
  }
}

/** Linear interpolation between samples at `time`; the end values outside them. */
export function interpolateAt(samples: readonly Sample[], time: number): number | undefined {
  if (samples.length === 0) return undefined;
  const first = samples[0]!;
  if (time <= first.timestamp) return first.value;
  for (let i = 1; i < samples.length; i++) {
    const b = samples[i]!;
    if (time <= b.timestamp) {
      const a = samples[i - 1]!;
      const span = b.timestamp - a.timestamp;
      return span > 0 ? a.value + ((b.value - a.value) * (time - a.timestamp)) / span : b.value;
    }
  }
  return samples[samples.length - 1]!.value;
}

const positive = (v: number): boolean => v > 0;
const nonNegative = (v: number): boolean => v >= 0;

/**
 * Builds bars from candles and samples by the rules in this module's comment. Candles without a
 * usable price are skipped (the engine's validation decides the rest); every bar has open
 * interest when any sample exists, none are returned when none does.
 */
export function joinSeries(input: JoinInput): JoinResult {
  const { candles, timeframeMs, anchor } = input;
  const oi = cleanSamples(input.openInterest, nonNegative);
  if (oi.length === 0) return { bars: [], backfilledOpenInterest: 0 };
  const interpolate = input.openInterestMode === 'interpolate';
  const oiReader = new AsOf(oi);
  const funding = new AsOf(cleanSamples(input.funding ?? []));
  const ratio = new AsOf(cleanSamples(input.longShortRatio ?? [], positive));
  const bars: Bar[] = [];
  let backfilled = 0;
  let lastTimestamp = -Infinity;
  for (const c of [...candles].sort((a, b) => a.timestamp - b.timestamp)) {
    if (!Number.isFinite(c.timestamp) || c.timestamp === lastTimestamp) continue;
    lastTimestamp = c.timestamp;
    const end = c.timestamp + timeframeMs;
    let openInterest: number | undefined;
    if (interpolate) {
      openInterest = interpolateAt(oi, c.timestamp);
      if (c.timestamp < oi[0]!.timestamp) backfilled++;
    } else {
      openInterest = oiReader.before(end);
      if (openInterest === undefined) {
        openInterest = oi[0]!.value;
        backfilled++;
      }
    }
    const fundingRate = funding.before(end) ?? anchor?.fundingRate;
    const longShortRatio = ratio.before(end) ?? anchor?.longShortRatio;
    const bar: Bar = {
      timestamp: c.timestamp,
      open: c.open,
      high: c.high,
      low: c.low,
      close: c.close,
      ...(c.volume !== undefined && Number.isFinite(c.volume) ? { volume: c.volume } : {}),
      ...(c.takerBuyVolume !== undefined && Number.isFinite(c.takerBuyVolume) ? { takerBuyVolume: c.takerBuyVolume } : {}),
      ...(input.openInterestUnit === 'usd' ? { openInterestUsd: openInterest } : { openInterestBase: openInterest }),
      ...(fundingRate !== undefined ? { fundingRate } : {}),
      ...(longShortRatio !== undefined ? { longShortRatio } : {}),
    };
    bars.push(bar);
  }
  return { bars, backfilledOpenInterest: backfilled };
}

/**
 * The bars with the open interest of `reference` (flat): for bars fetched before the oldest held
 * bar of an exchange without open-interest history, whose only known value there is the oldest
 * held one (bars before the first snapshot take its value).
 */
export function withOpenInterestOf(bars: readonly Bar[], reference: Bar): Bar[] {
  const base = reference.openInterestBase;
  const usd = reference.openInterestUsd;
  return bars.map((bar) => {
    const { openInterestBase: _b, openInterestUsd: _u, ...rest } = bar;
    return base !== undefined ? { ...rest, openInterestBase: base } : { ...rest, ...(usd !== undefined ? { openInterestUsd: usd } : {}) };
  });
}
