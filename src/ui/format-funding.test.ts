/**
 * The funding line names the interval it is per: the engine's 8 h, whatever the page's exchange
 * settles at, so Hyperliquid's page and Binance's show the same figure for the same market.
 */
import { describe, expect, it } from 'vitest';
import { estimate } from '../engine/estimate';
import type { Bar, MarketContext } from '../engine/types';
import { fmtFunding } from './format';

const HOUR = 3_600_000;

function context(funding: number | undefined, fundingZ?: number): MarketContext {
  return {
    timestamp: 0,
    price: 100,
    ...(funding !== undefined ? { funding } : {}),
    ...(fundingZ !== undefined ? { fundingZ } : {}),
    openInterestUsd: 1e9,
    openInterestChange: {},
    trend: 'flat',
    trendChangePct: 0,
    trendWindowMs: HOUR,
    reliability: { score: 1, reasons: [] },
  };
}

describe('fmtFunding', () => {
  it('a percentage with four decimals per 8h, unusual in words from two standard deviations', () => {
    expect(fmtFunding(context(0.0001))).toBe('0.0100 % / 8h');
    expect(fmtFunding(context(0.0003, 2.1))).toBe('0.0300 % / 8h (unusually high)');
    expect(fmtFunding(context(-0.00005, -2))).toBe('−0.0050 % / 8h (unusually low)');
    expect(fmtFunding(context(0.0001, 1.99))).toBe('0.0100 % / 8h');
    expect(fmtFunding(context(undefined))).toBe('—');
  });

  it("Hyperliquid's hourly 0.00125 % reads as Binance's 0.0100 % / 8h, not an eighth of it", () => {
    const bars = (rate: number): Bar[] =>
      Array.from({ length: 40 }, (_, i) => ({ timestamp: i * 300_000, open: 100, high: 100.2, low: 99.8, close: 100, openInterestUsd: 1e8 + i * 1e5, fundingRate: rate }));
    const binance = estimate([{ exchange: 'binance', symbol: 'BTCUSDT', bars: bars(0.0001) }]).context;
    const hyperliquid = estimate([{ exchange: 'hyperliquid', symbol: 'BTC', fundingIntervalMs: HOUR, bars: bars(0.0001 / 8) }]).context;
    expect(fmtFunding(binance)).toBe('0.0100 % / 8h');
    expect(fmtFunding(hyperliquid)).toBe('0.0100 % / 8h');
  });
});
