/**
 * Hyperliquid perpetuals (`hyperliquid`, USDC-margined; markets named by coin: `BTC`, `kPEPE`).
 *
 * - Candles: `info` `candleSnapshot`, up to 5,000 a call, and only the latest 5,000 per interval
 *   (17 days of 5m bars: a 30-day 5m lookback starts there); no taker-buy volume.
 * - Open interest: Hyperliquid has no open-interest history endpoint (ccxt:
 *   `fetchOpenInterestHistory` false); `metaAndAssetCtxs` gives the current value in coins,
 *   counting both sides of every position: halved to the one-sided count of the other exchanges.
 *   Snapshots are taken on each load and accumulate through the cache; see
 *   `snapshotOpenInterest` for the rule.
 * - Funding: `info` `fundingHistory`, hourly rates, 500 a call: the series' `fundingIntervalMs` is
 *   1 h (the spacing of the rows, or the docs' hourly interval; see `funding-interval.ts`).
 * - Long/short ratio: not published.
 * - Margin tiers: the engine's shipped table (the API's margin tables are not read here).
 */
import hyperliquid from 'ccxt-exchange/hyperliquid';
import { createCcxtSource, type CcxtSpec, type SourceOptions } from './ccxt-source';
import { candlesFromOhlcv, pagedFundingHistory, pagedStream, num, snapshotOpenInterest } from './ccxt-streams';
import { abortable } from './paging';
import type { ExchangeSource } from './source';

type Hyperliquid = InstanceType<typeof hyperliquid>;

export const hyperliquidSpec: CcxtSpec<Hyperliquid> = {
  id: 'hyperliquid',
  capabilities: {
    takerBuyVolume: false,
    openInterest: 'snapshots',
    funding: true,
    longShortRatio: false,
    liveMarginTiers: false,
  },
  create: (config) => new hyperliquid(config),
  // Hyperliquid counts request weight over a minute (1200 per IP; info requests weigh 20, a few 2:
  // Hyperliquid docs, "Rate limits and user limits"). ccxt's leaky bucket spaces every info request
  // a second apart; its rolling window (maxWeight = 60 s / rateLimit 50 ms = 1200, with ccxt's
  // per-type costs) allows what the exchange allows: a first load's few requests at once.
  ccxtConfig: { rateLimiterAlgorithm: 'rollingWindow', rollingWindowSize: 60_000 },
  ccxtOptions: { defaultType: 'swap', fetchMarkets: { types: ['swap'] } },
  isSupportedMarket: (m) => m.swap === true && m.settle === 'USDC',
  ownId: (m) => (m as { baseName?: string }).baseName,

  candles: pagedStream(
    (ctx) => ({ since: ctx.since, until: ctx.until, stepMs: ctx.timeframeMs, limit: 5000 }),
    async (ctx, page) => {
      const symbol = ctx.market.symbol;
      const rows = await page({
        fetchPage: (s, e) => ctx.exchange.fetchOHLCV(symbol, ctx.timeframe, s, undefined, { until: e }),
        timeOf: (row) => row[0] ?? NaN,
      });
      return candlesFromOhlcv(rows);
    },
  ),

  // `openInterest` of the asset context, in coins (ccxt's amount). Hyperliquid counts both sides
  // (every long plus every short); Binance, Bybit, OKX and Bitget count each matched pair once:
  // halved to their convention, so an aggregate does not give Hyperliquid double weight.
  openInterest: snapshotOpenInterest('Hyperliquid', async (ctx) => {
    const oi = await abortable(ctx.exchange.fetchOpenInterest(ctx.market.symbol), ctx.signal);
    const bothSides = num(oi.openInterestAmount);
    return bothSides === undefined ? undefined : bothSides / 2;
  }),

  funding: pagedFundingHistory(500),
};

/** A Hyperliquid perpetuals source; `options.configure` adjusts its ccxt instance. */
export function createHyperliquidSource(options: SourceOptions<Hyperliquid> = {}): ExchangeSource {
  return createCcxtSource(hyperliquidSpec, options);
}
