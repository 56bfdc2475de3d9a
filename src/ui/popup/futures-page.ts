/** The address of each exchange's own futures order page for a market (opened when no tab shows one). */
import type { MarketRef } from '../../messaging/contract';

/**
 * @example futuresPageUrl({ exchange: 'okx', symbol: 'BTC-USDT-SWAP' }) // 'https://www.okx.com/trade-swap/btc-usdt-swap'
 */
export function futuresPageUrl(market: MarketRef): string {
  const id = encodeURIComponent(market.symbol);
  switch (market.exchange) {
    case 'binance':
      return `https://www.binance.com/en/futures/${id}`;
    case 'bybit':
      return `https://www.bybit.com/trade/usdt/${id}`;
    case 'okx':
      return `https://www.okx.com/trade-swap/${id.toLowerCase()}`;
    case 'bitget':
      return `https://www.bitget.com/futures/usdt/${id}`;
    case 'hyperliquid':
      return `https://app.hyperliquid.xyz/trade/${id}`;
  }
}
