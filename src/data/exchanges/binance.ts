/**
 * Binance USDT-M futures (`binanceusdm`).
 *
 * - Candles: `/fapi/v1/klines` read raw (ccxt's OHLCV drops the taker-buy volume), 1,000 a call.
 * - Open interest: `/futures/data/openInterestHist` in USD (`sumOpenInterestValue`), periods
 *   5m..1d, the latest 30 days only, 500 rows a call; older bars carry the first value (flat).
 * - Funding: `/fapi/v1/fundingRate`, 1,000 a call.
 * - Long/short account ratio: `/futures/data/globalLongShortAccountRatio`, 30 days, 500 a call.
 * - Margin tiers: the leverage-bracket endpoint needs an API key, so the engine's shipped table.
 */
import binanceusdm from 'ccxt-exchange/binanceusdm';
import { DAY_MS } from '../timeframes';
import { createCcxtSource, type CcxtSpec, type SourceOptions } from './ccxt-source';
import { num, pagedFundingHistory, pagedStream, type PlanContext } from './ccxt-streams';
import type { Candle, Sample } from './join';
import type { ExchangeSource } from './source';

type Binance = InstanceType<typeof binanceusdm>;

/** How far back `/futures/data/*` statistics reach. */
const STATISTICS_REACH_MS = 30 * DAY_MS;

/** The earliest start the statistics endpoints accept at `now` (a minute inside their window). */
function statisticsStart(ctx: PlanContext): number {
  return Math.max(ctx.since, ctx.now - STATISTICS_REACH_MS + 60_000);
}

type KlineRow = readonly [number, string, string, string, string, string, number, string, number, string, ...unknown[]];

export const binanceSpec: CcxtSpec<Binance> = {
  id: 'binance',
  capabilities: {
    takerBuyVolume: true,
    openInterest: 'history',
    openInterestReachMs: STATISTICS_REACH_MS,
    funding: true,
    longShortRatio: true,
    liveMarginTiers: false,
  },
  create: (config) => new binanceusdm(config),
  // Binance counts request weight per minute (2,400 per IP: USDⓈ-M Futures docs, "General Info:
  // Limits"). ccxt's leaky bucket spaces requests by their weight (a 1,000-row klines call holds
  // the next one back 250 ms), so a first load's 6-8 requests went one after the other; its
  // rolling window (maxWeight = 60 s / rateLimit 50 ms = 1,200 a minute, half the published limit,
  // with ccxt's per-endpoint weights) sends them side by side.
  ccxtConfig: { rateLimiterAlgorithm: 'rollingWindow', rollingWindowSize: 60_000 },
  isSupportedMarket: (m) => m.swap === true && m.linear === true && m.settle === 'USDT',

  candles: pagedStream(
    (ctx) => ({ since: ctx.since, until: ctx.until, stepMs: ctx.timeframeMs, limit: 1000 }),
    async (ctx, page) => {
      const rows = await page<KlineRow>({
        fetchPage: async (start, end, limit) =>
          (await ctx.exchange.fapiPublicGetKlines({
            symbol: ctx.market.id,
            interval: ctx.timeframe,
            startTime: start,
            endTime: end,
            limit,
          })) as KlineRow[],
        timeOf: (row) => Number(row[0]),
      });
      const candles: Candle[] = [];
      for (const row of rows) {
        const [timestamp, open, high, low, close, volume, , , , takerBuy] = row;
        const o = num(open), h = num(high), l = num(low), c = num(close);
        if (o === undefined || h === undefined || l === undefined || c === undefined) continue;
        const v = num(volume);
        const tb = num(takerBuy);
        candles.push({
          timestamp: Number(timestamp),
          open: o,
          high: h,
          low: l,
          close: c,
          ...(v !== undefined ? { volume: v } : {}),
          ...(tb !== undefined ? { takerBuyVolume: tb } : {}),
        });
      }
      return candles;
    },
  ),

  openInterest: pagedStream(
    (ctx) => ({ since: statisticsStart(ctx), until: ctx.end, stepMs: ctx.timeframeMs, limit: 500 }),
    async (ctx, page, range) => {
      const symbol = ctx.market.symbol;
      const rows = await page({
        fetchPage: (s, e, limit) => ctx.exchange.fetchOpenInterestHistory(symbol, ctx.timeframe, s, limit, { until: e }),
        timeOf: (row) => row.timestamp ?? NaN,
      });
      const samples: Sample[] = [];
      for (const row of rows) {
        const value = num(row.openInterestValue);
        if (row.timestamp !== undefined && value !== undefined) samples.push({ timestamp: row.timestamp, value });
      }
      return {
        samples,
        unit: 'usd',
        mode: 'step',
        ...(range.since > ctx.since ? { note: 'Binance keeps open-interest history for 30 days only' } : {}),
      };
    },
  ),

  funding: pagedFundingHistory(1000),

  longShortRatio: pagedStream(
    (ctx) => ({ since: statisticsStart(ctx), until: ctx.end, stepMs: ctx.timeframeMs, limit: 500 }),
    async (ctx, page) => {
      const symbol = ctx.market.symbol;
      const rows = await page({
        fetchPage: (s, e, limit) => ctx.exchange.fetchLongShortRatioHistory(symbol, ctx.timeframe, s, limit, { until: e }),
        timeOf: (row) => row.timestamp ?? NaN,
      });
      return rows.map((r) => ({ timestamp: r.timestamp ?? NaN, value: num(r.longShortRatio) ?? NaN }));
    },
  ),
};

/** A Binance USDT-M source; `options.configure` adjusts its ccxt instance. */
export function createBinanceSource(options: SourceOptions<Binance> = {}): ExchangeSource {
  return createCcxtSource(binanceSpec, options);
}
