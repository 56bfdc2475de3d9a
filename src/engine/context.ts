import { atr as atrOf, clamp, ema, meanStd, usableAtr } from './stats';
import { columnsOf, type MergedBarColumns } from './merged-bars';
import { formatUsd, trimZeros } from './usd-format';
import type { ContextInput, MarketContext, MergedBar, ReliabilityReason, Side, Trend } from './types';

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 24 * MS_PER_HOUR;

/** Funding z-scores compare against a week: long enough to span several funding regimes. */
export const FUNDING_LOOKBACK_MS = 7 * MS_PER_DAY;
/** z-scores need at least this many funding readings; fewer say nothing about "unusual". */
export const FUNDING_MIN_SAMPLES = 3;
/**
 * History that a settled map needs: one half-life of the default leverage tiers (3 days, see
 * `DEFAULT_CONFIG.tiers`), after which positions opened before the history would weigh half.
 */
export const HISTORY_TARGET_MS = 3 * MS_PER_DAY;
/** The trend reads a timeframe this many times the bars' own. */
export const TREND_FACTOR = 4;
/** EMA period on the higher-timeframe closes. */
export const TREND_EMA_PERIOD = 6;
/** The EMA's move is measured over this many higher-timeframe bars. */
export const TREND_SLOPE_BARS = 3;
/**
 * 'flat' when the EMA moved less than this many base ATRs over {@link TREND_SLOPE_BARS} higher
 * bars. 1.5 base ATR is about 0.75 of the higher timeframe's own ATR (ranges grow with the
 * square root of time, so a 4x bar spans about 2 base ATRs): smaller drifts are ordinary noise.
 */
export const TREND_FLAT_ATR = 1.5;
/** Open interest below this is a thin market (score 0.2), above {@link DEEP_OI_USD} a deep one (1). */
export const THIN_OI_USD = 50e6;
export const DEEP_OI_USD = 1e9;

/**
 * Weights of the reliability factors in their weighted geometric mean. Geometric, so that any one
 * factor near zero pulls the whole score down: a map from one hour of data is unreliable however
 * deep the market is.
 */
export const RELIABILITY_WEIGHTS: Readonly<Record<ReliabilityReason['factor'], number>> = {
  history: 0.25,
  coverage: 0.15,
  'stale-open-interest': 0.15,
  'open-interest': 0.25,
  exchanges: 0.2,
  'long-short-ratio': 0.1,
};
/**
 * Score of a history without any long/short account ratio. The ratio is one of three inputs to
 * the long/short split of new positions (`accountRatioWeight`, the smallest after taker flow):
 * without it the split still has taker flow and funding, so the map is somewhat less sure of
 * which side a pool belongs to, not unusable.
 */
export const NO_RATIO_SCORE = 0.8;

/**
 * Reads the market around the map: funding and how unusual it is, open-interest direction,
 * the higher-timeframe trend, and how far the map can be trusted (with reasons in plain words).
 *
 * - `funding` is the latest reading, per 8 h (the merged bars' funding: each exchange's rate scaled
 *   from its own interval, so readings of an hourly and an 8-hourly venue compare); `fundingZ`
 *   compares it with the last 7 days of readings (undefined with fewer than 3; 0 when funding never
 *   changed). Bars without funding are skipped.
 * - `crowdedSide` is the side that pays: longs when funding > 0.
 * - `openInterestChange.h1/h4/h24` compare the latest open interest with the last bar at least
 *   that long ago (12 bars back on 5m bars for h1); undefined when the history is shorter.
 * - `trend`: closes sampled every 4th bar back from the latest, EMA(6) over them, 'up'/'down' when
 *   the EMA moved more than 1.5 ATR over the last 3 sampled bars, 'flat' otherwise.
 *   `trendChangePct` is that same move of the EMA in % and `trendWindowMs` the time it spans
 *   (1 h on 5m bars), so the percentage never contradicts the arrow: an 'up' trend's is positive,
 *   a 'down' trend's negative. With 3 sampled bars or fewer the move is from the first sample.
 * - `longShortRatio` is the latest bar's account ratio (exchanges carry it forward between samples).
 * - `reliability.score` is the weighted geometric mean of the factor scores in
 *   {@link RELIABILITY_WEIGHTS}; bars without a long/short ratio lower it (see {@link NO_RATIO_SCORE}).
 * @example
 * const context = computeContext({ bars: merged, timeframeMs: 300_000, exchanges: 3, atr: 85 });
 * context.reliability.reasons.map((r) => r.text) // ['History 9.0 days: ...', ...]
 */
export function computeContext(input: ContextInput): MarketContext {
  const bars = isColumns(input.bars) ? input.bars : columnsOf(input.bars);
  const n = bars.length;
  if (n === 0) {
    return {
      timestamp: 0,
      price: 0,
      openInterestUsd: 0,
      openInterestChange: {},
      trend: 'flat',
      trendChangePct: 0,
      trendWindowMs: 0,
      reliability: {
        score: 0,
        reasons: [{ factor: 'history', score: 0, text: 'No bars yet: there is no map to read' }],
      },
    };
  }
  const lastClose = bars.close[n - 1]!;
  const lastTimestamp = bars.timestamp[n - 1]!;
  const timeframeMs = resolveTimeframe(bars, input.timeframeMs);
  const atr = usableAtr(
    Number.isFinite(input.atr) && input.atr > 0 ? input.atr : atrOf(barObjects(input.bars)),
    lastClose,
  );

  const funding = fundingOf(bars, lastTimestamp);
  const openInterestUsd = finiteOr(bars.openInterestUsd[n - 1]!, 0);
  const openInterestChange: { h1?: number; h4?: number; h24?: number } = {};
  const h1 = oiChange(bars, MS_PER_HOUR);
  const h4 = oiChange(bars, 4 * MS_PER_HOUR);
  const h24 = oiChange(bars, MS_PER_DAY);
  if (h1 !== undefined) openInterestChange.h1 = h1;
  if (h4 !== undefined) openInterestChange.h4 = h4;
  if (h24 !== undefined) openInterestChange.h24 = h24;
  const { trend, trendChangePct, trendWindowMs } = trendOf(bars, atr);
  const reasons = reliabilityReasons(bars, timeframeMs, openInterestUsd, input.exchanges);
  let logScore = 0;
  for (const reason of reasons) {
    logScore += RELIABILITY_WEIGHTS[reason.factor] * Math.log(Math.max(reason.score, 1e-12));
  }
  const score = reasons.some((r) => r.score <= 0) ? 0 : clamp(Math.exp(logScore), 0, 1);

  const context: {
    -readonly [K in keyof MarketContext]: MarketContext[K];
  } = {
    timestamp: lastTimestamp,
    price: lastClose,
    openInterestUsd,
    openInterestChange,
    trend,
    trendChangePct,
    trendWindowMs,
    reliability: { score, reasons },
  };
  if (funding.value !== undefined) {
    context.funding = funding.value;
    const side: Side | undefined = funding.value > 0 ? 'long' : funding.value < 0 ? 'short' : undefined;
    if (side) context.crowdedSide = side;
  }
  if (funding.z !== undefined) context.fundingZ = funding.z;
  const ratio = bars.longShortRatio[n - 1]!;
  if (Number.isFinite(ratio)) context.longShortRatio = ratio;
  return context;
}

function isColumns(bars: readonly MergedBar[] | MergedBarColumns): bars is MergedBarColumns {
  return !Array.isArray(bars);
}

/** The bars as objects, for the ATR fallback (rare: the estimator always gives its ATR). */
function barObjects(bars: readonly MergedBar[] | MergedBarColumns): ArrayLike<{ high: number; low: number; close: number }> {
  if (!isColumns(bars)) return bars;
  return Array.from({ length: bars.length }, (_, i) => ({ high: bars.high[i]!, low: bars.low[i]!, close: bars.close[i]! }));
}

function finiteOr(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) ? value : fallback;
}

/** The given timeframe, or the median spacing of the timestamps when it is unusable. */
function resolveTimeframe(bars: MergedBarColumns, given: number): number {
  if (Number.isFinite(given) && given > 0) return given;
  const spacings: number[] = [];
  for (let i = 1; i < bars.length; i++) spacings.push(bars.timestamp[i]! - bars.timestamp[i - 1]!);
  spacings.sort((a, b) => a - b);
  const mid = spacings[spacings.length >> 1];
  return mid !== undefined && mid > 0 ? mid : 5 * 60_000;
}

function fundingOf(bars: MergedBarColumns, now: number): { value?: number; z?: number } {
  const since = now - FUNDING_LOOKBACK_MS;
  const readings: number[] = [];
  let value: number | undefined;
  for (let i = bars.length - 1; i >= 0; i--) {
    if (bars.timestamp[i]! < since) break;
    const f = bars.funding[i]!;
    if (!Number.isFinite(f)) continue;
    if (value === undefined) value = f;
    readings.push(f);
  }
  if (value === undefined) return {};
  if (readings.length < FUNDING_MIN_SAMPLES) return { value };
  const { mean, std } = meanStd(readings);
  // An unchanged funding rate is "not unusual", not an undefined z.
  const z = std > 1e-12 + Math.abs(mean) * 1e-9 ? (value - mean) / std : 0;
  return { value, z };
}

/** Index of the last bar with timestamp <= target, or -1. */
function lastAtOrBefore(bars: MergedBarColumns, target: number): number {
  let lo = 0;
  let hi = bars.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (bars.timestamp[mid]! <= target) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

function oiChange(bars: MergedBarColumns, horizonMs: number): number | undefined {
  const last = bars.length - 1;
  const index = lastAtOrBefore(bars, bars.timestamp[last]! - horizonMs);
  if (index < 0) return undefined;
  const then = bars.openInterestUsd[index]!;
  const now = bars.openInterestUsd[last]!;
  // Open interest under one dollar is no base for a relative change (it would read as +1e300 %).
  if (!(Number.isFinite(then) && then >= 1 && Number.isFinite(now))) return undefined;
  const change = now / then - 1;
  return Number.isFinite(change) ? change : undefined;
}

function trendOf(bars: MergedBarColumns, atr: number): { trend: Trend; trendChangePct: number; trendWindowMs: number } {
  // Sampling every 4th close back from the latest keeps the last higher-timeframe bar complete.
  const last = bars.length - 1;
  const count = Math.floor(last / TREND_FACTOR) + 1;
  const closes = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    closes[count - 1 - j] = bars.close[last - j * TREND_FACTOR]!;
  }
  const smoothed = ema(closes, TREND_EMA_PERIOD);
  // The arrow and the percentage read one quantity, the EMA's move over the slope window: a
  // return of the raw closes over another window could rise while the EMA falls.
  const back = Math.min(TREND_SLOPE_BARS, count - 1);
  const now = smoothed[count - 1]!;
  const then = smoothed[count - 1 - back]!;
  const move = now - then;
  const trendChangePct = then > 0 && Number.isFinite(now) ? (now / then - 1) * 100 : 0;
  const trendWindowMs = bars.timestamp[last]! - bars.timestamp[last - back * TREND_FACTOR]!;
  if (count <= TREND_SLOPE_BARS || !(atr > 0)) return { trend: 'flat', trendChangePct, trendWindowMs };
  const trend: Trend = !(Math.abs(move) >= TREND_FLAT_ATR * atr) ? 'flat' : move > 0 ? 'up' : 'down';
  return { trend, trendChangePct, trendWindowMs };
}

function reliabilityReasons(
  bars: MergedBarColumns,
  timeframeMs: number,
  openInterestUsd: number,
  exchangesInput: number,
): ReliabilityReason[] {
  const n = bars.length;
  const spanMs = bars.timestamp[n - 1]! - bars.timestamp[0]! + timeframeMs;
  const historyScore = clamp(spanMs / HISTORY_TARGET_MS, 0, 1);
  const history: ReliabilityReason = {
    factor: 'history',
    score: historyScore,
    text: historyScore >= 1
      ? `History ${formatDuration(spanMs)}: long enough for positions opened days ago to be on the map`
      : `History ${formatDuration(spanMs)} of the ${formatDuration(HISTORY_TARGET_MS)} a settled map needs: positions opened earlier are missing`,
  };

  let missing = 0;
  let stale = 0;
  let withRatio = 0;
  for (let i = 0; i < n; i++) {
    const gap = bars.gapBefore[i]!;
    // The first bar's gap lies before the history and says nothing about coverage inside it.
    if (i > 0 && Number.isFinite(gap) && gap > 0) missing += gap;
    if (bars.openInterestStale[i] === 1) stale++;
    if (Number.isFinite(bars.longShortRatio[i]!)) withRatio++;
  }
  const coverageScore = n / (n + missing);
  const coverage: ReliabilityReason = {
    factor: 'coverage',
    score: coverageScore,
    text: missing === 0
      ? 'No missing bars in the history'
      : `Data coverage ${formatPercent(coverageScore)}: ${missing} ${missing === 1 ? 'bar is' : 'bars are'} missing and those stretches are not modelled`,
  };

  const staleScore = 1 - stale / n;
  const staleReason: ReliabilityReason = {
    factor: 'stale-open-interest',
    score: staleScore,
    text: stale === 0
      ? 'Open interest changed on every bar'
      : `Open interest was unchanged for ${stale} ${stale === 1 ? 'bar' : 'bars'} (recording gap): those bars add nothing to the map`,
  };

  // Log scale: going from $5M to $50M matters as much as going from $100M to $1B.
  const oiScore = openInterestUsd > 0
    ? clamp(0.2 + (0.8 * Math.log(openInterestUsd / THIN_OI_USD)) / Math.log(DEEP_OI_USD / THIN_OI_USD), 0.05, 1)
    : 0.05;
  const depth = openInterestUsd >= DEEP_OI_USD
    ? 'deep market'
    : openInterestUsd >= THIN_OI_USD
      ? 'mid-sized market, the map is indicative'
      : 'thin market, few positions make up the map and it is less reliable';
  const openInterest: ReliabilityReason = {
    factor: 'open-interest',
    score: oiScore,
    text: `Open interest ${formatUsd(openInterestUsd)}: ${depth}`,
  };

  const exchanges = Number.isFinite(exchangesInput) ? Math.max(1, Math.floor(exchangesInput)) : 1;
  const exchangeScore = exchanges >= 3 ? 1 : exchanges === 2 ? 0.75 : 0.5;
  const exchangeReason: ReliabilityReason = {
    factor: 'exchanges',
    score: exchangeScore,
    text: exchanges >= 3
      ? `${exchanges} exchanges: a broad view of the market's positions`
      : exchanges === 2
        ? '2 exchanges: positions on other venues are not seen'
        : '1 exchange: only that venue\'s positions are seen',
  };
  const ratioShare = withRatio / n;
  const ratio: ReliabilityReason = {
    factor: 'long-short-ratio',
    score: NO_RATIO_SCORE + (1 - NO_RATIO_SCORE) * ratioShare,
    text: withRatio === n
      ? 'Long/short account ratio on every bar: it helps place new positions on the side more accounts hold'
      : withRatio === 0
        ? 'No long/short account ratio from the exchange: which side new positions are on rests on taker flow and funding alone'
        : `Long/short account ratio on ${formatPercent(ratioShare)} of the bars: on the others, which side new positions are on rests on taker flow and funding alone`,
  };
  return [history, coverage, staleReason, openInterest, exchangeReason, ratio];
}

function formatDuration(ms: number): string {
  const hours = ms / MS_PER_HOUR;
  if (hours < 48) return `${trimZeros(hours.toFixed(hours < 10 ? 1 : 0))} h`;
  return `${(hours / 24).toFixed(1)} days`;
}

function formatPercent(fraction: number): string {
  const pct = fraction * 100;
  return `${pct >= 99.5 && pct < 100 ? pct.toFixed(1) : pct.toFixed(0)} %`;
}
