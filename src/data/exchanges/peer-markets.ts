/**
 * The same perpetual on other exchanges, for an aggregated estimate: the base asset read from
 * one exchange's market id, written in another exchange's id format (USDT-margined linear
 * perpetuals; Hyperliquid's are USDC-margined and named by the coin alone).
 *
 * Names are not the whole story: some exchanges list a thousand-coin contract (`1000PEPEUSDT`,
 * Hyperliquid's `kPEPE`) where others list the coin itself, so an id can map to a market quoted
 * in another unit. The caller compares prices before combining series (see `sameQuoteUnit`).
 */
import type { ExchangeId } from '../../engine/types';

/** Largest relative difference of two exchanges' latest prices that still counts as one market. */
export const SAME_MARKET_PRICE_TOLERANCE = 0.03;

/**
 * The base asset of an exchange's market id, or undefined when the id is not a linear perpetual
 * this module understands.
 * @example baseAsset('okx', 'BTC-USDT-SWAP') // 'BTC'
 */
export function baseAsset(exchange: ExchangeId, symbol: string): string | undefined {
  const id = symbol.toUpperCase();
  switch (exchange) {
    case 'okx': {
      const match = /^([A-Z0-9]+)-USDT-SWAP$/.exec(id);
      return match?.[1];
    }
    case 'hyperliquid':
      // Coin names: `BTC`, `kPEPE` (a thousand PEPE); spot pairs (`@107`, `PURR/USDC`) are not perpetuals.
      return /^[A-Za-z0-9]+$/.test(symbol) ? symbol : undefined;
    default: {
      // Binance, Bybit, Bitget: `BTCUSDT` (Bitget's older `BTCUSDT_UMCBL` too).
      const match = /^([A-Z0-9]+?)USDT(?:_UMCBL)?$/.exec(id);
      return match?.[1];
    }
  }
}

/**
 * The market id of `base` on `exchange`.
 * @example marketIdOf('okx', 'ETH') // 'ETH-USDT-SWAP'
 */
export function marketIdOf(exchange: ExchangeId, base: string): string {
  switch (exchange) {
    case 'okx':
      return `${base.toUpperCase()}-USDT-SWAP`;
    case 'hyperliquid':
      return base;
    default:
      return `${base.toUpperCase()}USDT`;
  }
}

/**
 * The same market on each of `others` (the page's own exchange left out), in their order.
 * @example peerMarkets('binance', 'BTCUSDT', ['bybit', 'okx']) // [{ exchange: 'bybit', symbol: 'BTCUSDT' }, { exchange: 'okx', symbol: 'BTC-USDT-SWAP' }]
 */
export function peerMarkets(
  exchange: ExchangeId,
  symbol: string,
  others: readonly ExchangeId[],
): { exchange: ExchangeId; symbol: string }[] {
  const base = baseAsset(exchange, symbol);
  if (base === undefined) return [];
  return others.filter((other) => other !== exchange).map((other) => ({ exchange: other, symbol: marketIdOf(other, base) }));
}

/**
 * True when two latest prices are close enough to be one market in one unit (not a thousand-coin
 * contract beside the coin).
 * @example sameQuoteUnit(64_500, 64_560) // true
 * @example sameQuoteUnit(0.0112, 11.2) // false
 */
export function sameQuoteUnit(price: number, peerPrice: number): boolean {
  if (!(price > 0 && peerPrice > 0)) return false;
  return Math.abs(peerPrice - price) / price <= SAME_MARKET_PRICE_TOLERANCE;
}
