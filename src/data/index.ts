/**
 * The data layer of the background service worker: exchange market data (candles, open interest,
 * funding, long/short ratio, margin tiers) through ccxt's per-exchange modules, cached in
 * IndexedDB and updated incrementally. See `series-store.ts` for the loading rules, `cache.ts` for
 * the cache, and each module in `exchanges/` for what its exchange provides.
 */
import type { ExchangeId } from '../engine/types';
import { getExchangeSource } from './exchanges/index';
import type { MarginTiersResult, MarketSummary } from './exchanges/source';

export { createSeriesStore, loadSeries } from './series-store';
export type { LoadedSeries, LoadSeriesOptions, SeriesStore, SeriesStoreOptions } from './series-store';
export { DB_NAME, DB_VERSION, deleteSeriesCache, MIGRATIONS, openSeriesCache } from './cache';
export type { CachedSeries, CacheOptions, Migration, SeriesCache, SeriesEntry, SeriesKey } from './cache';
export { getExchangeSource } from './exchanges/index';
export { DataError } from './exchanges/source';
export type {
  DataErrorCode,
  ExchangeCapabilities,
  ExchangeSource,
  FetchedSeries,
  MarginTiersResult,
  MarketSummary,
  SeriesRequest,
} from './exchanges/source';
export { DEFAULT_LOOKBACK_MS, isTimeframe, MAX_LOOKBACK_MS, TIMEFRAME_MS, TIMEFRAMES } from './timeframes';
export type { Timeframe } from './timeframes';

/**
 * The supported markets of an exchange (active linear perpetuals), for the market picker.
 * @example (await listMarkets('okx')).find((m) => m.symbol === 'BTC-USDT-SWAP')?.unified // 'BTC/USDT:USDT'
 */
export async function listMarkets(exchange: ExchangeId, options: { readonly signal?: AbortSignal } = {}): Promise<readonly MarketSummary[]> {
  return (await getExchangeSource(exchange)).listMarkets(options);
}

/**
 * Maintenance-margin tiers of a market: live where the exchange publishes them without a key
 * (Bybit, OKX, Bitget), else the engine's shipped table (Binance, Hyperliquid, or on failure).
 */
export async function fetchMarginTiers(
  exchange: ExchangeId,
  symbol: string,
  options: { readonly signal?: AbortSignal } = {},
): Promise<MarginTiersResult> {
  return (await getExchangeSource(exchange)).fetchMarginTiers(symbol, options);
}

/**
 * Base units per contract of a market (OKX counts its liquidations and open interest in contracts).
 * @example await contractSize('okx', 'BTC-USDT-SWAP') // 0.01
 */
export async function contractSize(exchange: ExchangeId, symbol: string, options: { readonly signal?: AbortSignal } = {}): Promise<number> {
  return (await getExchangeSource(exchange)).contractSize(symbol, options);
}
