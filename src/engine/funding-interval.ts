/*
 * Funding intervals. Exchanges settle funding at different intervals: Binance, Bybit and OKX BTC
 * perpetuals every 8 h (the settlements recorded in `btc-funding-binance-bybit-okx.csv` are 8 h
 * apart), Bitget's BTCUSDT too (`fundingRateInterval` "8" in ccxt's recorded response); other
 * markets of theirs may settle every 4, 2 or 1 h (Binance's `fundingInfo` lists such markets,
 * Bybit's instruments give a `fundingInterval` per market); Hyperliquid every hour, every market
 * ("The funding rate on Hyperliquid is paid every hour", Hyperliquid docs, Trading > Funding).
 * A rate is a fraction per its own interval, so rates of different intervals are only comparable
 * once scaled to one: the engine reads every rate per 8 h (the convention of the CEXs, and the
 * unit of `fundingScale` in config.ts).
 */

const MS_PER_HOUR = 3_600_000;

/** The interval every funding rate is expressed in once it enters the engine: 8 h. */
export const FUNDING_REFERENCE_MS = 8 * MS_PER_HOUR;

/**
 * Funding intervals accepted, in ms: 1 minute .. 1 day. The venues the engine knows settle every
 * 1-8 h; a value outside is a unit error (seconds or hours given instead of ms).
 */
export const FUNDING_INTERVAL_RANGE = { min: 60_000, max: 24 * MS_PER_HOUR } as const;

/** True for a funding interval the engine accepts (see {@link FUNDING_INTERVAL_RANGE}). */
export function isFundingInterval(value: unknown): value is number {
  return typeof value === 'number' && value >= FUNDING_INTERVAL_RANGE.min && value <= FUNDING_INTERVAL_RANGE.max;
}

/**
 * The factor that turns a rate per `intervalMs` into a rate per 8 h (a rate accrues in proportion
 * to time held, so an hourly rate is one eighth of the 8-hour rate it pays over 8 h). Absent: 1,
 * the rate is taken as 8-hourly, and exactly as given.
 * @example fundingToReference(3_600_000) // 8 (Hyperliquid's hourly rate x 8)
 * @example fundingToReference(undefined) // 1
 */
export function fundingToReference(intervalMs: number | undefined): number {
  return intervalMs === undefined ? 1 : FUNDING_REFERENCE_MS / intervalMs;
}
