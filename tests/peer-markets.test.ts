import { describe, expect, it } from 'vitest';
import { baseAsset, marketIdOf, peerMarkets, sameQuoteUnit } from '../src/data/exchanges/peer-markets';
import { parsePageUrl } from '../src/sites/page-url';

describe('peer markets', () => {
  it.each([
    ['binance', 'BTCUSDT', 'BTC'],
    ['binance', '1000PEPEUSDT', '1000PEPE'],
    ['bybit', 'SOLUSDT', 'SOL'],
    ['bitget', 'ETHUSDT', 'ETH'],
    ['bitget', 'ETHUSDT_UMCBL', 'ETH'],
    ['okx', 'BTC-USDT-SWAP', 'BTC'],
    ['okx', 'btc-usdt-swap', 'BTC'],
    ['hyperliquid', 'BTC', 'BTC'],
    ['hyperliquid', 'kPEPE', 'kPEPE'],
  ] as const)('reads the base asset of %s %s', (exchange, symbol, base) => {
    expect(baseAsset(exchange, symbol)).toBe(base);
  });

  it.each([
    ['binance', 'BTCUSDC'],
    ['okx', 'BTC-USDT-240628'],
    ['okx', 'BTC-USD-SWAP'],
    ['hyperliquid', '@107'],
  ] as const)('does not guess for %s %s', (exchange, symbol) => {
    expect(baseAsset(exchange, symbol)).toBeUndefined();
  });

  it('writes every exchange id in the form the page-URL parser reads back', () => {
    const pages = {
      binance: (id: string) => `https://www.binance.com/en/futures/${id}`,
      bybit: (id: string) => `https://www.bybit.com/trade/usdt/${id}`,
      okx: (id: string) => `https://www.okx.com/trade-swap/${id.toLowerCase()}`,
      bitget: (id: string) => `https://www.bitget.com/futures/usdt/${id}`,
      hyperliquid: (id: string) => `https://app.hyperliquid.xyz/trade/${id}`,
    } as const;
    for (const exchange of Object.keys(pages) as (keyof typeof pages)[]) {
      const id = marketIdOf(exchange, 'ETH');
      expect(parsePageUrl(pages[exchange](id))?.symbol, exchange).toBe(id);
    }
  });

  it('maps a page market to the others and leaves its own exchange out', () => {
    expect(peerMarkets('okx', 'BTC-USDT-SWAP', ['binance', 'okx', 'hyperliquid'])).toEqual([
      { exchange: 'binance', symbol: 'BTCUSDT' },
      { exchange: 'hyperliquid', symbol: 'BTC' },
    ]);
    expect(peerMarkets('binance', 'BTCUSDC', ['bybit'])).toEqual([]);
  });

  it('tells one unit from a thousand-coin contract by price', () => {
    expect(sameQuoteUnit(64_500, 64_560)).toBe(true);
    expect(sameQuoteUnit(0.0112, 11.2)).toBe(false);
    expect(sameQuoteUnit(100, 104)).toBe(false);
    expect(sameQuoteUnit(100, Number.NaN)).toBe(false);
  });
});
