/**
 * The exchange sources, one per exchange, each loaded on first use: the background pays for
 * parsing an exchange's ccxt module only when a page of that exchange asks for data.
 */
import type { ExchangeId } from '../../engine/types';
import type { ExchangeSource } from './source';

export type { ExchangeCapabilities, ExchangeSource, FetchedSeries, MarginTiersResult, SeriesRequest } from './source';
export { DataError, type DataErrorCode } from './source';

const LOADERS: Readonly<Record<ExchangeId, () => Promise<ExchangeSource>>> = {
  binance: async () => (await import('./binance')).createBinanceSource(),
  bybit: async () => (await import('./bybit')).createBybitSource(),
  okx: async () => (await import('./okx')).createOkxSource(),
  bitget: async () => (await import('./bitget')).createBitgetSource(),
  hyperliquid: async () => (await import('./hyperliquid')).createHyperliquidSource(),
};

const sources = new Map<ExchangeId, Promise<ExchangeSource>>();

/**
 * The shared source of an exchange (one ccxt instance, so one rate limiter, per exchange).
 * @example const source = await getExchangeSource('binance');
 */
export function getExchangeSource(exchange: ExchangeId): Promise<ExchangeSource> {
  let source = sources.get(exchange);
  if (!source) {
    const load = Object.hasOwn(LOADERS, exchange) ? LOADERS[exchange] : undefined;
    if (!load) return Promise.reject(new RangeError(`unknown exchange '${String(exchange)}'`));
    source = load();
    source.catch(() => sources.delete(exchange));
    sources.set(exchange, source);
  }
  return source;
}
