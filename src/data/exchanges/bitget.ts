/**
 * Bitget USDT-M perpetual futures (`bitget`, productType USDT-FUTURES).
 *
 * - Candles: `/api/v2/mix/market/candles` and `history-candles`, 200 a call; no taker-buy volume.
 * - Open interest: Bitget's public API has no open-interest history (ccxt: `fetchOpenInterestHistory`
 *   false), only the current value (`/api/v2/mix/market/open-interest`). Snapshots are taken on
 *   each load and accumulate through the cache; see `snapshotOpenInterest` for the rule.
 * - Funding: `/api/v2/mix/market/history-fund-rate` takes no time range, only `pageSize` (at most
 *   100) and `pageNo` (1 = the newest rates), newest first (Bitget API docs, "Get Historical
 *   Funding Rates": https://www.bitget.com/api-doc/contract/market/Get-History-Funding-Rate; the
 *   recorded v2 answer is in `../shared/data/exchange-fixtures/bitget.json`). ccxt sends only
 *   `pageSize`, so every window got the same newest 100 rates: pages are walked by `pageNo` until
 *   one reaches back past the range or the exchange has no more.
 * - Long/short account ratio: `/api/v2/mix/market/account-long-short` takes `symbol` and `period`
 *   only (5m 15m 30m 1h 2h 4h 6h 12h 1d) and returns the latest rows (30), no start time, 1 call a
 *   second (Bitget API docs, "Get Account Long/Short": https://www.bitget.com/api-doc/contract/market/Get-Account-Long-Short).
 *   One call at the bar's period for the recent rows, and one at the shortest period whose rows
 *   reach over the whole range for the older bars (coarser there, said in the notes).
 * - Margin tiers: `/api/v2/mix/market/query-position-lever`, public.
 */
import bitget from 'ccxt-exchange/bitget';
import { createCcxtSource, type CcxtSpec, type SourceOptions } from './ccxt-source';
import { pagedOhlcv, num, type PlanContext, type Stream, snapshotOpenInterest } from './ccxt-streams';
import { DAY_MS, HOUR_MS, type Timeframe } from '../timeframes';
import type { Sample } from './join';
import { abortable, throwIfAborted } from './paging';
import type { EndpointLimit } from './endpoint-pacing';
import type { ExchangeSource } from './source';

type Bitget = InstanceType<typeof bitget>;

/** `history-fund-rate` rows per page at most. */
const FUNDING_PAGE = 100;
/** Rows `account-long-short` returns (its latest; the endpoint takes no start time). */
export const BITGET_RATIO_ROWS = 30;
/** `period` values of `account-long-short`, as Bitget documents them, in ms. */
const RATIO_PERIODS: readonly (readonly [string, number])[] = [
  ['5m', 5 * 60_000],
  ['15m', 15 * 60_000],
  ['30m', 30 * 60_000],
  ['1h', HOUR_MS],
  ['2h', 2 * HOUR_MS],
  ['4h', 4 * HOUR_MS],
  ['6h', 6 * HOUR_MS],
  ['12h', 12 * HOUR_MS],
  ['1d', DAY_MS],
];
const BAR_PERIOD: Readonly<Record<Timeframe, string>> = { '5m': '5m', '15m': '15m', '1h': '1h' };

/** Funding's range, as `fundingRange` (a day before the series so its first bar has a rate). */
const fundingFrom = (ctx: PlanContext): number => ctx.since - DAY_MS;

/**
 * Pages the funding plan counts: the range at 8-hourly rates (the usual interval; a market that
 * funds more often takes more pages, counted as they are sent).
 */
function fundingPages(ctx: PlanContext): number {
  return Math.max(1, Math.ceil((ctx.end - fundingFrom(ctx) + 1) / (8 * HOUR_MS) / FUNDING_PAGE));
}

/** Funding by `pageNo`, newest page first, until a page reaches back past the range. */
const fundingByPage: Stream<Bitget, Sample[]> = {
  pages: fundingPages,
  fetch: async (ctx) => {
    const from = fundingFrom(ctx);
    const planned = fundingPages(ctx);
    // At most hourly rates: bounds the walk whatever the exchange answers.
    const maxPages = Math.ceil((ctx.end - from + 1) / HOUR_MS / FUNDING_PAGE) + 2;
    const byTime = new Map<number, number>();
    for (let pageNo = 1; pageNo <= maxPages; pageNo++) {
      throwIfAborted(ctx.signal);
      const rows = await abortable(
        ctx.exchange.fetchFundingRateHistory(ctx.market.symbol, undefined, FUNDING_PAGE, { pageNo: String(pageNo) }),
        ctx.signal,
      );
      ctx.onRequest(pageNo > planned);
      let oldest = Infinity;
      for (const row of rows) {
        const t = row.timestamp;
        const rate = num(row.fundingRate);
        if (t === undefined || !Number.isFinite(t)) continue;
        oldest = Math.min(oldest, t);
        if (t >= from && t <= ctx.end && rate !== undefined) byTime.set(t, rate);
      }
      if (rows.length < FUNDING_PAGE || oldest <= from) break;
    }
    return [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([timestamp, value]) => ({ timestamp, value }));
  },
};

/**
 * The periods read for a range: the bar's own, then the shortest documented one whose
 * {@link BITGET_RATIO_ROWS} rows reach back over the range (the longest when none does).
 * @example ratioPeriods('5m', 2 * DAY_MS) // ['5m', '2h']
 */
export function ratioPeriods(timeframe: Timeframe, spanMs: number): string[] {
  const own = BAR_PERIOD[timeframe];
  const ownMs = RATIO_PERIODS.find(([p]) => p === own)![1];
  if (BITGET_RATIO_ROWS * ownMs >= spanMs) return [own];
  const cover = RATIO_PERIODS.find(([, ms]) => ms > ownMs && BITGET_RATIO_ROWS * ms >= spanMs) ?? RATIO_PERIODS[RATIO_PERIODS.length - 1]!;
  return [own, cover[0]];
}

/** The ratio's span: from an hour before the series (its first bars take the row they fall in). */
const ratioSpan = (ctx: PlanContext): number => ctx.end - (ctx.since - HOUR_MS) + 1;

const ratioByPeriods: Stream<Bitget, Sample[]> = {
  pages: (ctx) => ratioPeriods(ctx.timeframe, ratioSpan(ctx)).length,
  fetch: async (ctx) => {
    const layers: Sample[][] = [];
    for (const period of ratioPeriods(ctx.timeframe, ratioSpan(ctx))) {
      throwIfAborted(ctx.signal);
      const rows = await abortable(ctx.exchange.fetchLongShortRatioHistory(ctx.market.symbol, period), ctx.signal);
      ctx.onRequest(false);
      layers.push(
        rows
          .filter((r) => r.timestamp !== undefined && r.timestamp <= ctx.end)
          .map((r) => ({ timestamp: r.timestamp ?? NaN, value: num(r.longShortRatio) ?? NaN }))
          .filter((s) => Number.isFinite(s.timestamp) && Number.isFinite(s.value))
          .sort((a, b) => a.timestamp - b.timestamp),
      );
    }
    // The bar-period rows where they reach, the coarser rows before them.
    const [fine = [], coarse = []] = layers;
    const fineFrom = fine[0]?.timestamp ?? Infinity;
    return [...coarse.filter((s) => s.timestamp < fineFrom), ...fine];
  },
};

const BITGET_DOCS = 'Bitget API v2 docs, the endpoint\'s "Rate limit" line (ccxt\'s bitget costs match: cost 1 = 20 per second)';

/**
 * Bitget's public limits are per endpoint and IP: paced one endpoint at a time (see
 * `endpoint-pacing.ts`). ccxt's one bucket made every request wait a second behind each
 * `account-long-short` call (cost 20), and still let two of those go 950 ms apart. The last rule
 * covers every other path.
 */
export const BITGET_ENDPOINT_LIMITS: readonly EndpointLimit[] = [
  { path: /market\/account-long-short$/, windowMs: 1_000, limit: 1, source: 'Bitget API v2 docs, "Get Account Long/Short": 1 request per second (IP)' },
  { path: /market\/query-position-lever$/, windowMs: 1_000, limit: 10, source: `${BITGET_DOCS}: position tiers, 10 per second` },
  { path: /market\/(candles|history-candles)$/, windowMs: 1_000, limit: 20, source: `${BITGET_DOCS}: candles, 20 per second` },
  { path: /market\/(open-interest|history-fund-rate)$/, windowMs: 1_000, limit: 20, source: `${BITGET_DOCS}: 20 per second` },
  { path: /.*/, windowMs: 1_000, limit: 20, source: `${BITGET_DOCS}: contracts, time, coins, 20 per second` },
];

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
  endpointLimits: BITGET_ENDPOINT_LIMITS,
  ccxtOptions: { defaultType: 'swap', defaultSubType: 'linear', fetchMarkets: { types: ['swap'] } },
  isSupportedMarket: (m) => m.swap === true && m.linear === true && m.settle === 'USDT',

  candles: pagedOhlcv(200),

  // `size` in base coins (ccxt's amount).
  openInterest: snapshotOpenInterest('Bitget', async (ctx) => {
    const oi = await abortable(ctx.exchange.fetchOpenInterest(ctx.market.symbol), ctx.signal);
    return num(oi.openInterestAmount);
  }),

  funding: fundingByPage,

  longShortRatio: ratioByPeriods,

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
