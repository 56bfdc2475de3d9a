import { FUNDING_INTERVAL_RANGE, isFundingInterval } from './funding-interval';
import type { Bar, ExchangeSeries } from './types';

/** A bar the engine cannot use; the message names the bar and the field. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    message: string,
    /** Index of the bad bar in its series (-1 when the problem is the series itself). */
    readonly barIndex: number,
    readonly exchange: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const PRICE_FIELDS = ['open', 'high', 'low', 'close'] as const;

/**
 * Largest open interest accepted, in USD: a million times the whole crypto futures market's.
 * Anything above is a unit or parsing error, and sums of such values would overflow to Infinity.
 */
export const MAX_OPEN_INTEREST_USD = 1e18;

/**
 * Prices accepted: 1e-12 .. 1e15 (quote currency). No market trades outside; a price beyond is a
 * unit error, and the engine's sums over such prices (bins, pools, ATR) would overflow.
 */
/** The latest instant a JavaScript Date can hold (year 275760): later timestamps are not dates. */
export const MAX_TIMESTAMP_MS = 8.64e15;

export const PRICE_RANGE = { min: 1e-12, max: 1e15 } as const;
const OPTIONAL_NON_NEGATIVE = ['volume', 'takerBuyVolume', 'openInterestUsd', 'openInterestBase'] as const;

function describeBar(series: ExchangeSeries, index: number, bar: Bar | undefined): string {
  const when = bar && Number.isFinite(bar.timestamp) && Math.abs(bar.timestamp) <= MAX_TIMESTAMP_MS
    ? ` (${new Date(bar.timestamp).toISOString()})`
    : '';
  return `bar ${index} of ${series.exchange} ${series.symbol}${when}`;
}

/** Absent, or a finite number >= 0 (volumes and open interest). */
function isOptionalAmount(value: unknown): boolean {
  return value === undefined || (typeof value === 'number' && Number.isFinite(value) && value >= 0);
}

/**
 * Checks one exchange series and returns its bar duration in ms.
 * Throws {@link InputError} naming the first bad bar: unsorted or duplicate timestamps,
 * NaN/Infinity, zero or negative prices, high below low, missing or negative open interest; or
 * the series' funding interval when it is not a number of ms in 1 minute .. 1 day.
 * @example validateSeries({ exchange: 'binance', symbol: 'BTCUSDT', bars }) // 300000
 */
export function validateSeries(series: ExchangeSeries): number {
  const { bars } = series;
  if (!Array.isArray(bars) || bars.length === 0) {
    throw new InputError(`${series.exchange} ${series.symbol}: the series has no bars`, -1, series.exchange, 'bars');
  }
  if (series.fundingIntervalMs !== undefined && !isFundingInterval(series.fundingIntervalMs)) {
    const { min, max } = FUNDING_INTERVAL_RANGE;
    throw new InputError(
      `${series.exchange} ${series.symbol}: fundingIntervalMs must be the funding interval in ms, ${min}..${max} (1 minute to 1 day), got ${String(series.fundingIntervalMs)}`,
      -1,
      series.exchange,
      'fundingIntervalMs',
    );
  }
  let previous = -Infinity;
  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i];
    if (bar === null || typeof bar !== 'object') {
      throw new InputError(`${describeBar(series, i, bar)}: not a bar object`, i, series.exchange, 'bar');
    }
    if (!(typeof bar.timestamp === 'number' && bar.timestamp >= 0 && bar.timestamp <= MAX_TIMESTAMP_MS)) {
      throw new InputError(`${describeBar(series, i, bar)}: timestamp must be ms since 1970 in 0..${MAX_TIMESTAMP_MS} (a valid date), got ${String(bar.timestamp)}`, i, series.exchange, 'timestamp');
    }
    if (bar.timestamp === previous) {
      throw new InputError(`${describeBar(series, i, bar)}: duplicate timestamp ${bar.timestamp} (same as bar ${i - 1})`, i, series.exchange, 'timestamp');
    }
    if (bar.timestamp < previous) {
      throw new InputError(`${describeBar(series, i, bar)}: timestamps are not sorted (bar ${i - 1} is later)`, i, series.exchange, 'timestamp');
    }
    previous = bar.timestamp;
    const { open, high, low, close } = bar;
    // Checked one by one (not by loops over field names): this runs for every bar.
    const allNumbers = typeof open === 'number' && typeof high === 'number' && typeof low === 'number' && typeof close === 'number';
    const { min, max } = PRICE_RANGE;
    if (!(allNumbers && open >= min && high >= min && low >= min && close >= min && open <= max && high <= max && low <= max && close <= max)) {
      for (const field of PRICE_FIELDS) {
        const value = bar[field];
        if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
          throw new InputError(`${describeBar(series, i, bar)}: ${field} must be a finite price > 0, got ${String(value)}`, i, series.exchange, field);
        }
        if (value < min || value > max) {
          throw new InputError(`${describeBar(series, i, bar)}: ${field} ${value} is outside the accepted price range ${min}..${max}`, i, series.exchange, field);
        }
      }
    }
    if (bar.high < bar.low) {
      throw new InputError(`${describeBar(series, i, bar)}: high ${bar.high} is below low ${bar.low}`, i, series.exchange, 'high');
    }
    if (open > high || open < low || close > high || close < low) {
      const field = open > high || open < low ? 'open' : 'close';
      throw new InputError(`${describeBar(series, i, bar)}: ${field} ${bar[field]} lies outside low..high (${low}..${high})`, i, series.exchange, field);
    }
    if (!(isOptionalAmount(bar.volume) && isOptionalAmount(bar.takerBuyVolume) && isOptionalAmount(bar.openInterestUsd) && isOptionalAmount(bar.openInterestBase))) {
      const field = OPTIONAL_NON_NEGATIVE.find((name) => !isOptionalAmount(bar[name]))!;
      throw new InputError(`${describeBar(series, i, bar)}: ${field} must be a finite number >= 0 when given, got ${String(bar[field])}`, i, series.exchange, field);
    }
    if (bar.openInterestUsd !== undefined && bar.openInterestUsd > MAX_OPEN_INTEREST_USD) {
      throw new InputError(`${describeBar(series, i, bar)}: openInterestUsd ${bar.openInterestUsd} is implausible (more than ${MAX_OPEN_INTEREST_USD} USD)`, i, series.exchange, 'openInterestUsd');
    }
    if (bar.openInterestUsd === undefined && bar.openInterestBase !== undefined && bar.openInterestBase * bar.close > MAX_OPEN_INTEREST_USD) {
      throw new InputError(`${describeBar(series, i, bar)}: openInterestBase ${bar.openInterestBase} at close ${bar.close} is implausible (more than ${MAX_OPEN_INTEREST_USD} USD)`, i, series.exchange, 'openInterestBase');
    }
    if (bar.openInterestUsd === undefined && bar.openInterestBase === undefined) {
      throw new InputError(`${describeBar(series, i, bar)}: open interest is missing (give openInterestUsd or openInterestBase)`, i, series.exchange, 'openInterestUsd');
    }
    if (bar.cvd !== undefined && !Number.isFinite(bar.cvd)) {
      throw new InputError(`${describeBar(series, i, bar)}: cvd must be finite when given, got ${String(bar.cvd)}`, i, series.exchange, 'cvd');
    }
    if (bar.fundingRate !== undefined && !(Number.isFinite(bar.fundingRate) && Math.abs(bar.fundingRate) < 1)) {
      throw new InputError(`${describeBar(series, i, bar)}: fundingRate must be a finite fraction (|rate| < 1) when given, got ${String(bar.fundingRate)}`, i, series.exchange, 'fundingRate');
    }
    if (bar.longShortRatio !== undefined && !(Number.isFinite(bar.longShortRatio) && bar.longShortRatio > 0)) {
      throw new InputError(`${describeBar(series, i, bar)}: longShortRatio must be a finite number > 0 when given, got ${String(bar.longShortRatio)}`, i, series.exchange, 'longShortRatio');
    }
  }
  return inferTimeframe(series);
}

/**
 * The bar duration: the series' own `timeframeMs`, else the smallest positive step between bars
 * (the smallest, not the median, so that a series full of gaps is still read at its true step).
 * @example inferTimeframe({ exchange: 'okx', symbol: 'BTC', bars: [{ timestamp: 0, ... }, { timestamp: 60000, ... }] }) // 60000
 */
export function inferTimeframe(series: ExchangeSeries): number {
  if (series.timeframeMs !== undefined) {
    if (!(Number.isFinite(series.timeframeMs) && series.timeframeMs > 0)) {
      throw new InputError(`${series.exchange} ${series.symbol}: timeframeMs must be > 0`, -1, series.exchange, 'timeframeMs');
    }
    return series.timeframeMs;
  }
  let step = Infinity;
  for (let i = 1; i < series.bars.length; i++) {
    const gap = series.bars[i]!.timestamp - series.bars[i - 1]!.timestamp;
    if (gap > 0 && gap < step) step = gap;
  }
  return Number.isFinite(step) ? step : 60_000;
}
