/** The futures page opened for a market is one the content script recognises as that market. */
import { describe, expect, it } from 'vitest';
import type { MarketRef } from '../src/messaging/contract';
import { parsePageUrl } from '../src/sites/page-url';
import { futuresPageUrl } from '../src/ui/popup/futures-page';

const MARKETS: readonly MarketRef[] = [
  { exchange: 'binance', symbol: 'BTCUSDT' },
  { exchange: 'binance', symbol: '1000PEPEUSDT' },
  { exchange: 'bybit', symbol: 'ETHUSDT' },
  { exchange: 'okx', symbol: 'BTC-USDT-SWAP' },
  { exchange: 'bitget', symbol: 'SOLUSDT' },
  { exchange: 'hyperliquid', symbol: 'BTC' },
  { exchange: 'hyperliquid', symbol: 'kPEPE' },
];

describe('futuresPageUrl', () => {
  it.each(MARKETS)('$exchange $symbol round-trips through the page parser', (market) => {
    const parsed = parsePageUrl(futuresPageUrl(market));
    expect(parsed).toMatchObject({ exchange: market.exchange, symbol: market.symbol });
  });
});
