/**
 * Bybit USDT perpetuals (`bybit`, category `linear`).
 *
 * - Candles: `/v5/market/kline`, 1,000 a call; no taker-buy volume.
 * - Open interest: `/v5/market/open-interest` (5min/15min/1h), in base coins, 200 a call.
 * - Funding: `/v5/market/funding/history`, 200 a call.
 * - Long/short account ratio: `/v5/market/account-ratio` (5min/15min/1h), 500 a call.
 * - Margin tiers: `/v5/market/risk-limit`, public.
 */
import bybit from 'ccxt-exchange/bybit';
import type { Timeframe } from '../timeframes';
import { createCcxtSource, type CcxtSpec, type SourceOptions } from './ccxt-source';
import { pagedFundingHistory, pagedOhlcv, pagedStream, num } from './ccxt-streams';
import type { ExchangeSource } from './source';

type Bybit = InstanceType<typeof bybit>;

/** Bybit's own period names for the statistics endpoints. */
const PERIOD: Readonly<Record<Timeframe, string>> = { '5m': '5min', '15m': '15min', '1h': '1h' };

export const bybitSpec: CcxtSpec<Bybit> = {
  id: 'bybit',
  capabilities: {
    takerBuyVolume: false,
    openInterest: 'history',
    funding: true,
    longShortRatio: true,
    liveMarginTiers: true,
  },
  create: (config) => new bybit(config),
  // Bybit allows 600 requests per 5 s per IP (v5 docs, "Rate Limit Rules"). ccxt's leaky bucket
  // spaces its market requests (cost 5 at rateLimit 20 ms) 100 ms apart; its rolling window over
  // 5 s (maxWeight = 5 s / 20 ms = 250, i.e. 50 such requests, a twelfth of the limit) sends a
  // first load's few requests side by side.
  ccxtConfig: { rateLimiterAlgorithm: 'rollingWindow', rollingWindowSize: 5_000 },
  ccxtOptions: { defaultType: 'swap', defaultSubType: 'linear', fetchMarkets: { types: ['linear'] } },
  isSupportedMarket: (m) => m.swap === true && m.linear === true && m.settle === 'USDT',

  candles: pagedOhlcv(1000),

  openInterest: pagedStream(
    (ctx) => ({ since: ctx.since, until: ctx.end, stepMs: ctx.timeframeMs, limit: 200 }),
    async (ctx, page) => {
      const symbol = ctx.market.symbol;
      const rows = await page({
        fetchPage: (s, e, limit) => ctx.exchange.fetchOpenInterestHistory(symbol, ctx.timeframe, s, limit, { until: e }),
        timeOf: (row) => row.timestamp ?? NaN,
      });
      return {
        // Linear contracts: ccxt's amount is Bybit's `openInterest`, in base coins.
        samples: rows.map((r) => ({ timestamp: r.timestamp ?? NaN, value: num(r.openInterestAmount) ?? NaN })),
        unit: 'base',
        mode: 'step',
      };
    },
  ),

  funding: pagedFundingHistory(200),

  longShortRatio: pagedStream(
    (ctx) => ({ since: ctx.since, until: ctx.end, stepMs: ctx.timeframeMs, limit: 500 }),
    async (ctx, page) => {
      const symbol = ctx.market.symbol;
      const rows = await page({
        fetchPage: (s, e, limit) =>
          ctx.exchange.fetchLongShortRatioHistory(symbol, PERIOD[ctx.timeframe], undefined, limit, { startTime: s, endTime: e }),
        timeOf: (row) => row.timestamp ?? NaN,
      });
      return rows.map((r) => ({ timestamp: r.timestamp ?? NaN, value: num(r.longShortRatio) ?? NaN }));
    },
  ),

  async fetchMarginTiers(exchange, market) {
    const tiers = await exchange.fetchMarketLeverageTiers(market.symbol);
    return {
      rows: tiers.map((t) => ({
        maxNotionalUsd: num(t.maxNotional) ?? NaN,
        maxLeverage: num(t.maxLeverage) ?? NaN,
        maintenanceRate: num(t.maintenanceMarginRate) ?? NaN,
      })),
      // Bybit documents the maintenance deduction as the cumulative amount of the rows below.
      cumulative: true,
    };
  },
};

/** A Bybit USDT-perpetual source; `options.configure` adjusts its ccxt instance. */
export function createBybitSource(options: SourceOptions<Bybit> = {}): ExchangeSource {
  return createCcxtSource(bybitSpec, options);
}
