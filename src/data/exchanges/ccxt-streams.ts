// The ambient `ccxt-exchange/*` declarations, for every project compiling a file of this folder.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- a script .d.ts cannot be imported
/// <reference path="./ccxt-modules.d.ts" />
/**
 * The series streams an exchange module builds its recipe from: what a stream is (its planned
 * request count and its fetch), builders for a paged range or a single request, and the ready-made
 * streams several venues share (ccxt's unified OHLCV and funding history, snapshot open interest).
 * `createCcxtSource` (`ccxt-source.ts`) runs them.
 */
import type { Exchange, Market } from 'ccxt-exchange/types';
import type { Bar } from '../../engine/types';
import { DAY_MS, floorToBar, HOUR_MS, type Timeframe } from '../timeframes';
import type { Candle, Sample } from './join';
import { type PagedRange, pageForward, type PagingOptions, plannedPages } from './paging';

/** What a series fetch knows before it sends anything: its range and the exchange's clock. */
export interface PlanContext {
  readonly timeframe: Timeframe;
  readonly timeframeMs: number;
  /** Open time of the first bar wanted. */
  readonly since: number;
  /** Open time of the last bar wanted. */
  readonly until: number;
  /** End of the last bar wanted (`until + timeframeMs - 1`): samples up to here count. */
  readonly end: number;
  /** The exchange's clock at the start of the fetch. */
  readonly now: number;
  /** Rows from here on may not be published yet (two bars before `now`); see `pageForward`. */
  readonly settledBefore: number;
}

/** What one series fetch knows; given to each stream of an exchange module. */
export interface StreamContext<E extends Exchange> extends PlanContext {
  readonly exchange: E;
  readonly market: Market;
  readonly signal?: AbortSignal;
  readonly anchor?: Bar;
  /** Called after each completed request of the stream (`extra`: beyond its plan; see `pageForward`). */
  readonly onRequest: (extra: boolean) => void;
  /** Candles only: new rows of each page, for the bar count. */
  readonly onRows?: (rows: number) => void;
}

/**
 * One series of an exchange (candles, open interest, funding, ratio): the requests it plans for a
 * fetch, counted before any is sent, and the fetch itself.
 */
export interface Stream<E extends Exchange, R> {
  readonly pages: (ctx: PlanContext) => number;
  readonly fetch: (ctx: StreamContext<E>) => Promise<R>;
}

/** `pageForward` over a stream's range, with the fetch's signal, settled time and counters filled in. */
export type RangePager = <T>(
  options: Pick<PagingOptions<T>, 'fetchPage' | 'timeOf'> & Partial<Pick<PagingOptions<T>, 'mode' | 'settledBefore'>>,
) => Promise<T[]>;

/**
 * A stream read by paging one range: its plan and its fetch use the same range, so the planned
 * request count cannot drift from what is sent.
 * @example pagedStream((ctx) => ({ since: ctx.since, until: ctx.until, stepMs: ctx.timeframeMs, limit: 1000 }), (ctx, page) => page({ fetchPage, timeOf }))
 */
export function pagedStream<E extends Exchange, R>(
  range: (ctx: PlanContext) => PagedRange,
  fetch: (ctx: StreamContext<E>, page: RangePager, range: PagedRange) => Promise<R>,
): Stream<E, R> {
  return {
    pages: (ctx) => plannedPages(range(ctx)),
    fetch: (ctx) => {
      const paged = range(ctx);
      const page: RangePager = (options) =>
        pageForward({
          ...paged,
          settledBefore: ctx.settledBefore,
          ...(ctx.signal ? { signal: ctx.signal } : {}),
          ...(ctx.onRows ? { onPage: ctx.onRows } : {}),
          onRequest: ctx.onRequest,
          ...options,
        });
      return fetch(ctx, page, paged);
    },
  };
}

/**
 * A stream of one request whatever the range (a snapshot, an endpoint without a start time).
 * @example singleRequest(async (ctx) => ctx.exchange.fetchOpenInterest(ctx.market.symbol))
 */
export function singleRequest<E extends Exchange, R>(fetch: (ctx: StreamContext<E>) => Promise<R>): Stream<E, R> {
  return {
    pages: () => 1,
    fetch: async (ctx) => {
      const result = await fetch(ctx);
      ctx.onRequest(false);
      return result;
    },
  };
}

/** An open-interest stream's answer: its samples, their unit and how they join onto the bars. */
export interface OpenInterestSamples {
  readonly samples: readonly Sample[];
  readonly unit: 'usd' | 'base';
  /** `step` for history rows; `interpolate` for snapshots (see the joining rules). */
  readonly mode: 'step' | 'interpolate';
  /** Anything the caller should know (e.g. history shorter than the range). */
  readonly note?: string;
}

/** A number from a ccxt field that may be a number, a numeric string or missing. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** Candles from ccxt's unified OHLCV rows (no taker-buy volume). */
export function candlesFromOhlcv(rows: readonly (readonly (number | undefined)[])[]): Candle[] {
  const out: Candle[] = [];
  for (const row of rows) {
    const [timestamp, open, high, low, close, volume] = row;
    if (timestamp === undefined || open === undefined || high === undefined || low === undefined || close === undefined) continue;
    out.push({ timestamp, open, high, low, close, ...(volume !== undefined && volume !== null ? { volume } : {}) });
  }
  return out;
}

/**
 * Candles through ccxt's unified `fetchOHLCV`, paged forward `limit` rows a call with the end
 * passed as ccxt's `until` parameter (the venues that need nothing more).
 * @example candles: pagedOhlcv(1000)
 */
export function pagedOhlcv<E extends Exchange>(limit: number): Stream<E, Candle[]> {
  return pagedStream(
    (ctx) => ({ since: ctx.since, until: ctx.until, stepMs: ctx.timeframeMs, limit }),
    async (ctx, page) => {
      const symbol = ctx.market.symbol;
      const rows = await page({
        fetchPage: (s, e, pageLimit) => ctx.exchange.fetchOHLCV(symbol, ctx.timeframe, s, pageLimit, { until: e }),
        timeOf: (row) => row[0] ?? NaN,
      });
      return candlesFromOhlcv(rows);
    },
  );
}

/** Funding's range: from a day before the series (so its first bar has a rate) to its end, hourly steps. */
export function fundingRange(ctx: PlanContext, limit: number): PagedRange {
  return { since: ctx.since - DAY_MS, until: ctx.end, stepMs: HOUR_MS, limit };
}

/**
 * Funding history through ccxt's unified `fetchFundingRateHistory` over {@link fundingRange},
 * `limit` rows a call.
 * @example funding: pagedFundingHistory(1000)
 */
export function pagedFundingHistory<E extends Exchange>(limit: number): Stream<E, Sample[]> {
  return pagedStream(
    (ctx) => fundingRange(ctx, limit),
    async (ctx, page) => {
      const symbol = ctx.market.symbol;
      const rows = await page({
        mode: 'sparse',
        fetchPage: (s, e, pageLimit) => ctx.exchange.fetchFundingRateHistory(symbol, s, pageLimit, { until: e }),
        timeOf: (row) => row.timestamp ?? NaN,
      });
      return rows.map((r) => ({ timestamp: r.timestamp ?? NaN, value: num(r.fundingRate) ?? NaN }));
    },
  );
}

/**
 * Open interest for exchanges that publish only the current value. The rule: the snapshot taken
 * now is stamped at the current bar's open; the anchor bar (the newest bar held from earlier
 * fetches) supplies the previous value; bars in between are interpolated linearly in time, bars
 * before the first value take it (flat, which the engine reads as no position flow). Values are
 * in base units, so each bar's USD notional follows its own close. Snapshots accumulate through
 * the cache: every load stores its bars, and the next load interpolates from the newest of them.
 */
export function snapshotOpenInterest<E extends Exchange>(
  exchangeName: string,
  fetchBaseAmount: (ctx: StreamContext<E>) => Promise<number | undefined>,
): Stream<E, OpenInterestSamples> {
  return singleRequest(async (ctx) => {
    const samples: Sample[] = [];
    const anchor = ctx.anchor;
    if (anchor) {
      const base = anchor.openInterestBase ?? (anchor.openInterestUsd !== undefined ? anchor.openInterestUsd / anchor.close : undefined);
      if (base !== undefined && Number.isFinite(base) && base >= 0) samples.push({ timestamp: anchor.timestamp, value: base });
    }
    const amount = await fetchBaseAmount(ctx);
    if (amount !== undefined && Number.isFinite(amount) && amount >= 0) {
      samples.push({ timestamp: floorToBar(ctx.now, ctx.timeframeMs), value: amount });
    }
    return {
      samples,
      unit: 'base',
      mode: 'interpolate',
      note: `${exchangeName} publishes no open-interest history: its own snapshots (the one taken now and the newest held) are joined by a straight line`,
    };
  });
}
