/**
 * Bar timeframes the data layer fetches and caches, and the lookback limits.
 */

/** Bar durations the extension uses. Every supported exchange serves candles and OI in these. */
export type Timeframe = '5m' | '15m' | '1h';

export const TIMEFRAMES: readonly Timeframe[] = Object.freeze(['5m', '15m', '1h']);

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Each timeframe in milliseconds. */
export const TIMEFRAME_MS: Readonly<Record<Timeframe, number>> = Object.freeze({
  '5m': 5 * MINUTE_MS,
  '15m': 15 * MINUTE_MS,
  '1h': HOUR_MS,
});

/** Default history: 7 days (2,016 bars of 5m). */
export const DEFAULT_LOOKBACK_MS = 7 * DAY_MS;
/** Longest history fetched or kept: 30 days (Binance serves open-interest history for 30 days only). */
export const MAX_LOOKBACK_MS = 30 * DAY_MS;

/**
 * True when `value` is one of {@link TIMEFRAMES}.
 * @example isTimeframe('15m') // true
 */
export function isTimeframe(value: unknown): value is Timeframe {
  return typeof value === 'string' && (TIMEFRAMES as readonly string[]).includes(value);
}

/**
 * Open time of the bar of length `timeframeMs` that contains `timestamp` (UTC-aligned).
 * @example floorToBar(Date.UTC(2026, 0, 1, 0, 7), 300_000) === Date.UTC(2026, 0, 1, 0, 5)
 */
export function floorToBar(timestamp: number, timeframeMs: number): number {
  return Math.floor(timestamp / timeframeMs) * timeframeMs;
}
