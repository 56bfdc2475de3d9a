/**
 * OKX USDT-margined perpetual swaps (`okx`, instType SWAP).
 *
 * - Candles: `/market/candles` and `/market/history-candles`, 300 a call (ccxt's recorded request asks
 *   `history-candles` for `limit=300`: `../shared/data/exchange-fixtures/okx.json`); no taker-buy volume.
 * - Open interest: `/rubik/stat/contracts/open-interest-history` by instrument, 100 a call, and
 *   only the latest 1,440 rows (5 days of 5m, 15 of 15m, 60 of 1h): older bars carry the first
 *   value (flat). Rows give contracts, coins and USD: the USD column is used; without it, the
 *   coins (contracts x contract size), priced at each bar's close.
 * - Funding: `/public/funding-rate-history`, 100 a call, newest first, selected by `before`
 *   (newer than, exclusive) and `after` (older than, exclusive). ccxt sends only `before`, so every
 *   window would get the newest 100 rates: the window's end goes in as `after` (OKX API v5 docs,
 *   "Get funding rate history": https://www.okx.com/docs-v5/en/#public-data-rest-api-get-funding-rate-history;
 *   the same cursor pair ccxt's request fixture shows for `history-candles`,
 *   `../shared/data/exchange-fixtures/okx.json`). Windows of 100 hours hold at most 100 rates of
 *   any funding interval (1h..8h), so a page is never cut.
 * - Long/short account ratio: `/rubik/stat/contracts/long-short-account-ratio-contract`, 100 a
 *   call, the latest 1,440 rows; read hourly whatever the bar (the ratio moves slowly, and the
 *   endpoint allows 5 calls per 2 s: 5m rows would take 15 calls for 5 days, hourly ones 2 for 7).
 *   Each bar takes the latest hourly value.
 * - Margin tiers: `/public/position-tiers`, public, with bounds in contracts: converted to USD at
 *   the current price (contracts x contract size x last price).
 */
import okx from 'ccxt-exchange/okx';
import { HOUR_MS, type Timeframe } from '../timeframes';
import type { Market } from 'ccxt-exchange/types';
import { createCcxtSource, type CcxtSpec, type SourceOptions } from './ccxt-source';
import { candlesFromOhlcv, fundingRange, num, pagedStream, type OpenInterestSamples } from './ccxt-streams';
import type { EndpointLimit } from './endpoint-pacing';
import type { ExchangeSource } from './source';

type Okx = InstanceType<typeof okx>;

/** OKX's own period names for the statistics endpoints. */
const PERIOD: Readonly<Record<Timeframe, string>> = { '5m': '5m', '15m': '15m', '1h': '1H' };
/** The statistics endpoints keep this many rows per period. */
const STATISTICS_ROWS = 1440;

/** An open-interest history row: `[ts, oi (contracts), oiCcy (base coin), oiUsd]`, numbers as strings. */
type OiRow = readonly [string, string, string?, string?, ...unknown[]];

/**
 * Open interest of the rows in USD when every row gives `oiUsd`; otherwise in base coins
 * (`oiCcy`, or the contracts times the contract size, `ctVal`: 0.01 BTC on BTC-USDT-SWAP), which
 * the join prices at each bar's close. Contracts are never read as coins or dollars.
 */
function openInterestSamples(rows: readonly OiRow[], market: Market): Pick<OpenInterestSamples, 'samples' | 'unit'> {
  const timeOf = (r: OiRow) => Number(r[0]);
  if (rows.every((r) => num(r[3]) !== undefined)) {
    return { samples: rows.map((r) => ({ timestamp: timeOf(r), value: num(r[3])! })), unit: 'usd' };
  }
  const contractSize = num(market.contractSize);
  const coins = (r: OiRow): number => {
    const ccy = num(r[2]);
    if (ccy !== undefined) return ccy;
    const contracts = num(r[1]);
    return contracts !== undefined && contractSize !== undefined ? contracts * contractSize : NaN;
  };
  return { samples: rows.map((r) => ({ timestamp: timeOf(r), value: coins(r) })), unit: 'base' };
}

const OKX_DOCS = 'OKX API v5 docs, the endpoint\'s "Rate Limit" line; the same as ccxt\'s okx cost for it (cost 1 = 20 requests per 2 s)';

/**
 * OKX's public limits are per endpoint and IP (https://www.okx.com/docs-v5/en/#overview-rate-limits):
 * paced one endpoint at a time, not behind each other (see `endpoint-pacing.ts`). The last rule
 * covers every other path.
 */
export const OKX_ENDPOINT_LIMITS: readonly EndpointLimit[] = [
  { path: /^market\/candles$/, windowMs: 2_000, limit: 40, source: `${OKX_DOCS}: Get candlesticks, 40 per 2 s` },
  { path: /^market\/history-candles$/, windowMs: 2_000, limit: 20, source: `${OKX_DOCS}: Get candlesticks history, 20 per 2 s` },
  { path: /^rubik\/stat\/contracts\/open-interest-history$/, windowMs: 2_000, limit: 10, source: `${OKX_DOCS}: contract open interest history, 10 per 2 s` },
  { path: /^rubik\/stat\/contracts\/long-short-account-ratio-contract$/, windowMs: 2_000, limit: 5, source: `${OKX_DOCS}: contract long/short account ratio, 5 per 2 s` },
  { path: /^public\/(time|funding-rate-history|position-tiers)$/, windowMs: 2_000, limit: 10, source: `${OKX_DOCS}: 10 per 2 s each` },
  { path: /.*/, windowMs: 2_000, limit: 20, source: `${OKX_DOCS}: instruments, ticker, 20 per 2 s` },
];

export const okxSpec: CcxtSpec<Okx> = {
  id: 'okx',
  capabilities: {
    takerBuyVolume: false,
    openInterest: 'history',
    openInterestReachMs: STATISTICS_ROWS * 300_000,
    funding: true,
    longShortRatio: true,
    liveMarginTiers: true,
  },
  create: (config) => new okx(config),
  endpointLimits: OKX_ENDPOINT_LIMITS,
  ccxtOptions: { defaultType: 'swap', fetchMarkets: { types: ['swap'] } },
  isSupportedMarket: (m) => m.swap === true && m.linear === true && m.settle === 'USDT',

  candles: pagedStream(
    (ctx) => ({ since: ctx.since, until: ctx.until, stepMs: ctx.timeframeMs, limit: 300 }),
    async (ctx, page) => {
      const symbol = ctx.market.symbol;
      const rows = await page({
        fetchPage: (s, e, limit) => ctx.exchange.fetchOHLCV(symbol, ctx.timeframe, s, limit, { until: e + 1 }),
        timeOf: (row) => row[0] ?? NaN,
      });
      return candlesFromOhlcv(rows);
    },
  ),

  openInterest: pagedStream(
    (ctx) => ({ since: Math.max(ctx.since, ctx.now - STATISTICS_ROWS * ctx.timeframeMs), until: ctx.end, stepMs: ctx.timeframeMs, limit: 100 }),
    async (ctx, page, range) => {
      const rows = await page<OiRow>({
        fetchPage: async (s, e, limit) => {
          const response = (await ctx.exchange.publicGetRubikStatContractsOpenInterestHistory({
            instId: ctx.market.id,
            period: PERIOD[ctx.timeframe],
            begin: String(s - 1),
            end: String(e + 1),
            limit: String(limit),
          })) as { data?: OiRow[] };
          return response.data ?? [];
        },
        timeOf: (row) => Number(row[0]),
      });
      return {
        ...openInterestSamples(rows, ctx.market),
        mode: 'step',
        ...(range.since > ctx.since ? { note: 'OKX keeps the latest 1,440 open-interest rows only; older bars carry the first value' } : {}),
      };
    },
  ),

  funding: pagedStream(
    (ctx) => fundingRange(ctx, 100),
    async (ctx, page) => {
      const symbol = ctx.market.symbol;
      const rows = await page({
        mode: 'sparse',
        // ccxt turns `since` into `before: s - 1`; `after: e + 1` bounds the window's newer end.
        fetchPage: (s, e, limit) => ctx.exchange.fetchFundingRateHistory(symbol, s, limit, { after: e + 1 }),
        timeOf: (row) => row.timestamp ?? NaN,
      });
      return rows.map((r) => ({ timestamp: r.timestamp ?? NaN, value: num(r.fundingRate) ?? NaN }));
    },
  ),

  longShortRatio: pagedStream(
    // One hour earlier, so the first bars have the hour they fall in.
    (ctx) => ({ since: Math.max(ctx.since - HOUR_MS, ctx.now - STATISTICS_ROWS * HOUR_MS), until: ctx.end, stepMs: HOUR_MS, limit: 100 }),
    async (ctx, page) => {
      const symbol = ctx.market.symbol;
      const rows = await page({
        settledBefore: ctx.now - 2 * HOUR_MS,
        // `begin` and `end` bound the rows exclusively (as for open interest): one step outside the window.
        fetchPage: (s, e, limit) => ctx.exchange.fetchLongShortRatioHistory(symbol, '1h', s - 1, limit, { until: e + 1 }),
        timeOf: (row) => row.timestamp ?? NaN,
      });
      return rows.map((r) => ({ timestamp: r.timestamp ?? NaN, value: num(r.longShortRatio) ?? NaN }));
    },
  ),

  async fetchMarginTiers(exchange, market) {
    const [tiers, ticker] = await Promise.all([
      exchange.fetchMarketLeverageTiers(market.symbol),
      exchange.fetchTicker(market.symbol),
    ]);
    const price = num(ticker.last) ?? num(ticker.close);
    const contractSize = num(market.contractSize) ?? 1;
    if (price === undefined || !(price > 0)) throw new Error('no current price to convert contract tiers to USD');
    return {
      rows: tiers.map((t) => ({
        maxNotionalUsd: (num(t.maxNotional) ?? NaN) * contractSize * price,
        maxLeverage: num(t.maxLeverage) ?? NaN,
        maintenanceRate: num(t.maintenanceMarginRate) ?? NaN,
      })),
      // OKX tiers have no deduction: a row's rate applies to the whole position.
      cumulative: false,
    };
  },
};

/** An OKX USDT-swap source; `options.configure` adjusts its ccxt instance. */
export function createOkxSource(options: SourceOptions<Okx> = {}): ExchangeSource {
  return createCcxtSource(okxSpec, options);
}
