/**
 * How often a market settles funding: the interval its funding rates are per, which the engine
 * needs to read every rate per 8 h (`src/engine/funding-interval.ts`).
 *
 * - From the funding history itself: the median spacing of its settlement times. Every venue's
 *   history stamps each settlement (Binance `fundingTime`, Bybit `fundingRateTimestamp`, OKX
 *   `fundingTime`, Bitget `fundingTime`, Hyperliquid `time`: the rows ccxt's unified
 *   `fetchFundingRateHistory` parses into `timestamp`), and the median ignores a missing row or a
 *   stamp a few ms late (Binance's recorded BTCUSDT settlements are 28,800,000 ± 2 ms apart,
 *   `btc-funding-binance-bybit-okx.csv`). ccxt's `interval` field is only on the current funding
 *   rate (`fetchFundingRate`), an extra request per market; the history costs none.
 * - Where the history is too short to tell, what the exchange documents for every market:
 *   Hyperliquid pays funding every hour and "the funding cap and funding interval do not depend
 *   on the asset" (Hyperliquid docs, Trading > Funding). The others set it per market (Binance's
 *   `fundingInfo`, Bybit's `fundingInterval`, Bitget's `fundInterval`), so nothing is assumed.
 */
import { isFundingInterval } from '../../engine/funding-interval';
import type { ExchangeId } from '../../engine/types';
import { cleanSamples, type Sample } from './join';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** Intervals an exchange documents for every market (see this module's comment). */
export const DOCUMENTED_FUNDING_INTERVAL_MS: Readonly<Partial<Record<ExchangeId, number>>> = {
  hyperliquid: HOUR_MS,
};

/** Spacings the median needs: three settlements at least. */
const MIN_SPACINGS = 2;

/**
 * The median spacing of the settlements' times (the lower middle one of an even count), to the
 * minute; undefined with fewer than three
 * settlements or a spacing the engine would not accept as an interval.
 * @example fundingIntervalOf([{ timestamp: 0, value: 1e-4 }, { timestamp: 28_800_001, value: 1e-4 }, { timestamp: 57_600_000, value: 2e-4 }]) // 28_800_000
 */
export function fundingIntervalOf(samples: readonly Sample[]): number | undefined {
  const times = cleanSamples(samples).map((s) => s.timestamp);
  const spacings: number[] = [];
  for (let i = 1; i < times.length; i++) spacings.push(times[i]! - times[i - 1]!);
  if (spacings.length < MIN_SPACINGS) return undefined;
  spacings.sort((a, b) => a - b);
  // The lower middle of an even count: a missing settlement only ever lengthens a spacing.
  const median = spacings[(spacings.length - 1) >> 1]!;
  const interval = Math.round(median / MINUTE_MS) * MINUTE_MS;
  return isFundingInterval(interval) ? interval : undefined;
}

/**
 * A market's funding interval: from its funding history when that tells, else the exchange's
 * documented one, else undefined (the engine then reads the rates as 8-hourly).
 * @example fundingIntervalFor('hyperliquid', []) // 3_600_000
 */
export function fundingIntervalFor(exchange: ExchangeId, samples: readonly Sample[] | undefined): number | undefined {
  return (samples ? fundingIntervalOf(samples) : undefined) ?? DOCUMENTED_FUNDING_INTERVAL_MS[exchange];
}
