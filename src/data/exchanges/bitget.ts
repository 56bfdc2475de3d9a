/**
 * Bitget USDT-M perpetual futures (`bitget`, productType USDT-FUTURES).
 *
 * - Candles: `/api/v2/mix/market/candles` and `history-candles`, 200 a call; no taker-buy volume.
 * - Open interest: Bitget's public API has no open-interest history (ccxt: `fetchOpenInterestHistory`
 *   false), only the current value (`/api/v2/mix/market/open-interest`). Snapshots are taken on
 *   each load and accumulate through the cache; see `snapshotOpenInterest` for the rule.
 * - Funding: `/api/v2/mix/market/history-fund-rate`, 100 a call.
 * - Long/short account ratio: `/api/v2/mix/market/account-long-short`, one call with the
 *   latest rows (the endpoint takes no start time).
 * - Margin tiers: `/api/v2/mix/market/query-position-lever`, public.
 */
import bitget from 'ccxt-exchange/bitget';
import {
  createCcxtSource,
  pagedFundingHistory,
  pagedOhlcv,
  num,
  singleRequest,
  snapshotOpenInterest,
  type CcxtSpec,
  type SourceOptions,
} from './ccxt-source';
import { abortable } from './paging';
import type { ExchangeSource } from './source';

type Bitget = InstanceType<typeof bitget>;

export const bitgetSpec: CcxtSpec<Bitget> = {
  id: 'bitget',
  capabilities: {
    takerBuyVolume: false,
    openInterest: 'snapshots',
    funding: true,
    longShortRatio: true,
    liveMarginTiers: true,
  },
  create: (config) => new bitget(config),
  ccxtOptions: { defaultType: 'swap', defaultSubType: 'linear', fetchMarkets: { types: ['swap'] } },
  isSupportedMarket: (m) => m.swap === true && m.linear === true && m.settle === 'USDT',

  candles: pagedOhlcv(200),

  // `size` in base coins (ccxt's amount).
  openInterest: snapshotOpenInterest('Bitget', async (ctx) => {
    const oi = await abortable(ctx.exchange.fetchOpenInterest(ctx.market.symbol), ctx.signal);
    return num(oi.openInterestAmount);
  }),

  funding: pagedFundingHistory(100),

  longShortRatio: singleRequest(async (ctx) => {
    const rows = await abortable(ctx.exchange.fetchLongShortRatioHistory(ctx.market.symbol, ctx.timeframe), ctx.signal);
    return rows
      .filter((r) => r.timestamp !== undefined && r.timestamp >= ctx.since && r.timestamp <= ctx.end)
      .map((r) => ({ timestamp: r.timestamp ?? NaN, value: num(r.longShortRatio) ?? NaN }));
  }),

  async fetchMarginTiers(exchange, market) {
    const tiers = await exchange.fetchMarketLeverageTiers(market.symbol);
    return {
      rows: tiers.map((t) => ({
        maxNotionalUsd: num(t.maxNotional) ?? NaN,
        maxLeverage: num(t.maxLeverage) ?? NaN,
        maintenanceRate: num(t.maintenanceMarginRate) ?? NaN,
      })),
      // Bitget's isolated formula deducts a cumulative amount, as the engine's Bitget model does.
      cumulative: true,
    };
  },
};

/** A Bitget USDT-M source; `options.configure` adjusts its ccxt instance. */
export function createBitgetSource(options: SourceOptions<Bitget> = {}): ExchangeSource {
  return createCcxtSource(bitgetSpec, options);
}
