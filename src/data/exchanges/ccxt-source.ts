// The ambient `ccxt-exchange/*` declarations, for every project compiling a file of this folder.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- a script .d.ts cannot be imported
/// <reference path="./ccxt-modules.d.ts" />
/**
 * The part every exchange module shares: one rate-limited ccxt instance per exchange, market
 * lookup by the exchange's own id, the exchange's clock, the fetch of the separate series and
 * their join into engine bars, and margin tiers with the engine's table as fallback.
 * The streams it runs are built in `ccxt-streams.ts`; the guard on the ccxt instance's requests
 * is `ccxt-guard.ts`.
 */
import type { Exchange, Market } from 'ccxt-exchange/types';
import { buildTiers, type MarginTier, type TierRow } from '../../engine/margin/schedule';
import { tiersFor } from '../../engine/margin/tiers';
import type { ExchangeId } from '../../engine/types';
import { InputError, validateSeries } from '../../engine/validate';
import { createRequestTally } from '../request-tally';
import { createExchangeGuard, type RetryOptions } from '../retry';
import { floorToBar, TIMEFRAME_MS } from '../timeframes';
import { guardExchange } from './ccxt-guard';
import { fundingIntervalFor } from './funding-interval';
import { num, type OpenInterestSamples, type PlanContext, type Stream, type StreamContext } from './ccxt-streams';
import { type Candle, joinSeries, type Sample } from './join';
import type { EndpointLimit } from './endpoint-pacing';
import { abortable, throwIfAborted } from './paging';
import {
  DataError,
  type ExchangeCapabilities,
  type ExchangeSource,
  type FetchedSeries,
  type MarginTiersResult,
  type MarketSummary,
  type SeriesPlanRequest,
  type SeriesRequest,
} from './source';

/** One exchange's recipe. */
export interface CcxtSpec<E extends Exchange> {
  readonly id: ExchangeId;
  readonly capabilities: ExchangeCapabilities;
  /** Builds the ccxt instance from the shared configuration. */
  readonly create: (config: Record<string, unknown>) => E;
  /** ccxt `options` for the instance (which market types to load, ...). */
  readonly ccxtOptions?: Record<string, unknown>;
  /** Other ccxt settings of the instance (its rate limiter's algorithm, ...). */
  readonly ccxtConfig?: Record<string, unknown>;
  /**
   * Published limits per endpoint: requests are paced by endpoint instead of ccxt's one bucket
   * (see `endpoint-pacing.ts`); the last rule is the fallback of paths none matches.
   */
  readonly endpointLimits?: readonly EndpointLimit[];
  /** True for the markets the extension supports (linear perpetuals in the settle currency). */
  readonly isSupportedMarket: (market: Market) => boolean;
  /** The exchange's own id of a market as page addresses give it (default `market.id`). */
  readonly ownId?: (market: Market) => string | undefined;
  readonly candles: Stream<E, Candle[]>;
  readonly openInterest: Stream<E, OpenInterestSamples>;
  readonly funding?: Stream<E, Sample[]>;
  readonly longShortRatio?: Stream<E, Sample[]>;
  /** Live tiers as published rows, and whether the maintenance amount accumulates (see `buildTiers`). */
  readonly fetchMarginTiers?: (
    exchange: E,
    market: Market,
    signal: AbortSignal | undefined,
  ) => Promise<{ readonly rows: readonly TierRow[]; readonly cumulative: boolean }>;
}

export interface SourceOptions<E extends Exchange> {
  /** Adjusts the ccxt instance after construction (tests point it at a replay server). */
  readonly configure?: (exchange: E) => void;
  /** The retry policy's settings, clock, pause and random source (see `../retry`). */
  readonly retry?: RetryOptions;
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 300);
  return String(error).slice(0, 300);
}

/**
 * The range and clock of a fetch (`since` and `until` floored to bars, `until` at most the
 * current bar), or undefined when it asks for no bar.
 */
function planContext(request: SeriesPlanRequest, now: number): PlanContext | undefined {
  const timeframeMs = TIMEFRAME_MS[request.timeframe];
  if (timeframeMs === undefined) return undefined;
  const current = floorToBar(now, timeframeMs);
  const until = Math.min(floorToBar(request.until ?? current, timeframeMs), current);
  const since = floorToBar(request.since, timeframeMs);
  if (since > until) return undefined;
  return { timeframe: request.timeframe, timeframeMs, since, until, end: until + timeframeMs - 1, now, settledBefore: now - 2 * timeframeMs };
}

function streamsOf<E extends Exchange>(spec: CcxtSpec<E>): Stream<E, unknown>[] {
  return [spec.candles, spec.openInterest, ...(spec.funding ? [spec.funding] : []), ...(spec.longShortRatio ? [spec.longShortRatio] : [])];
}

/** Creates an exchange source from its recipe. The ccxt instance is made on first use and kept. */
export function createCcxtSource<E extends Exchange>(spec: CcxtSpec<E>, options: SourceOptions<E> = {}): ExchangeSource {
  let instance: E | undefined;
  const guard = createExchangeGuard(spec.id, options.retry);
  const exchange = (): E => {
    if (!instance) {
      instance = spec.create({ ...spec.ccxtConfig, enableRateLimit: true, options: spec.ccxtOptions ?? {} });
      guardExchange(instance, guard, options.retry?.now ?? Date.now, spec.endpointLimits);
      options.configure?.(instance);
    }
    return instance;
  };
  const ownId = spec.ownId ?? ((m: Market) => m.id ?? undefined);
  const localNow = options.retry?.now ?? Date.now;

  async function loadMarkets(signal: AbortSignal | undefined): Promise<Record<string, Market>> {
    const ex = exchange();
    try {
      return (await abortable(ex.loadMarkets(), signal)) as Record<string, Market>;
    } catch (error) {
      // ccxt keeps a failed market load as its answer for good: let the next call load again.
      if (!ex.markets) (ex as unknown as { marketsLoading?: unknown }).marketsLoading = undefined;
      if (isAbort(error, signal)) throw error;
      if (error instanceof DataError) throw error;
      throw new DataError('exchange', `${spec.id}: could not load the market list (${describe(error)})`, { cause: error });
    }
  }

  async function resolveMarket(symbol: string, signal: AbortSignal | undefined): Promise<Market> {
    const markets = await loadMarkets(signal);
    const direct = Object.hasOwn(markets, symbol) ? markets[symbol] : undefined;
    if (direct && spec.isSupportedMarket(direct)) return direct;
    for (const market of Object.values(markets)) {
      if (spec.isSupportedMarket(market) && ownId(market) === symbol) return market;
    }
    throw new DataError('unknown-symbol', `${spec.id}: no supported perpetual market '${symbol}'`);
  }

  async function serverTimeOrNull(signal: AbortSignal | undefined): Promise<number | undefined> {
    try {
      const time = await abortable(exchange().fetchTime(), signal);
      return typeof time === 'number' && Number.isFinite(time) && time > 0 ? time : undefined;
    } catch (error) {
      if (isAbort(error, signal)) throw error;
      return undefined;
    }
  }

  /** Runs an optional stream; a failure becomes a note, an abort propagates. */
  async function optional(
    what: string,
    run: (() => Promise<Sample[]>) | undefined,
    signal: AbortSignal | undefined,
    notes: string[],
  ): Promise<Sample[]> {
    if (!run) return [];
    try {
      return await run();
    } catch (error) {
      if (isAbort(error, signal)) throw error;
      notes.push(`${what} unavailable: ${describe(error)}`);
      return [];
    }
  }

  async function required<T>(what: string, run: () => Promise<T>, signal: AbortSignal | undefined, symbol: string): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (isAbort(error, signal) || error instanceof DataError) throw error;
      throw new DataError('exchange', `${spec.id} ${symbol}: ${what} failed (${describe(error)})`, { cause: error });
    }
  }

  return {
    id: spec.id,
    capabilities: spec.capabilities,

    async serverTime(signal) {
      // The market list is needed next (to resolve the symbol): asked beside the clock, one round trip
      // instead of two. A failure there is reported by the call that needs the list.
      loadMarkets(undefined).catch(() => undefined);
      return (await serverTimeOrNull(signal)) ?? localNow();
    },

    planRequests(request) {
      const plan = planContext(request, request.now);
      return plan ? streamsOf(spec).reduce((sum, stream) => sum + stream.pages(plan), 0) : 0;
    },

    async fetchSeries(request: SeriesRequest): Promise<FetchedSeries> {
      const { symbol, timeframe, signal, anchor, onProgress } = request;
      throwIfAborted(signal);
      const timeframeMs = TIMEFRAME_MS[timeframe];
      if (timeframeMs === undefined) throw new RangeError(`unsupported timeframe '${String(timeframe)}'`);
      const notes: string[] = [];
      const market = await resolveMarket(symbol, signal);
      const clock = request.now ?? (await serverTimeOrNull(signal));
      if (clock === undefined) notes.push(`${spec.id} did not give its server time; the local clock was used`);
      const now = clock ?? localNow();
      const plan = planContext(request, now);
      const base = { exchange: spec.id, symbol, timeframeMs, serverTime: now };
      if (!plan) {
        request.onRequests?.(0, 0);
        return { ...base, bars: [], notes };
      }
      const { since, until } = plan;
      const total = Math.floor((until - since) / timeframeMs) + 1;
      let done = 0;
      const onRows = (rows: number): void => {
        done = Math.min(total, done + rows);
        onProgress?.(done, total);
      };
      const tally = createRequestTally(request.onRequests);
      const run = <R>(stream: Stream<E, R>, extra?: { readonly onRows: (rows: number) => void }) => {
        const part = tally.part(stream.pages(plan));
        const ctx: StreamContext<E> = {
          ...plan,
          exchange: exchange(),
          market,
          ...(signal ? { signal } : {}),
          ...(anchor ? { anchor } : {}),
          onRequest: (beyond) => part.request(beyond),
          ...extra,
        };
        return () => stream.fetch(ctx).finally(() => part.settle());
      };
      // Every stream's plan is in the tally before the first request goes out.
      const candlesRun = run(spec.candles, { onRows });
      const openInterestRun = run(spec.openInterest);
      const fundingRun = spec.funding && run(spec.funding);
      const ratioRun = spec.longShortRatio && run(spec.longShortRatio);
      tally.report();
      const [candles, openInterest, funding, ratio] = await Promise.all([
        required('candles', candlesRun, signal, symbol),
        required('open interest', openInterestRun, signal, symbol),
        optional('funding', fundingRun, signal, notes),
        optional('long/short ratio', ratioRun, signal, notes),
      ]);
      throwIfAborted(signal);
      if (openInterest.note) notes.push(openInterest.note);
      const inRange = candles.filter((c) => c.timestamp >= since && c.timestamp <= until);
      if (inRange.length === 0 && anchor && anchor.timestamp >= since && anchor.timestamp < plan.settledBefore) {
        // The anchor bar is held, so the exchange has published it: an empty answer is a bad one.
        throw new DataError('bad-response', `${spec.id} ${symbol}: the exchange answered with no candles from ${new Date(since).toISOString()}, where bars are known to exist`);
      }
      if (inRange.length === 0) return { ...base, bars: [], notes };
      if (openInterest.samples.length === 0) {
        throw new DataError('no-data', `${spec.id} ${symbol}: no open interest for ${new Date(since).toISOString()}..${new Date(until).toISOString()}`);
      }
      const joined = joinSeries({
        candles: inRange,
        timeframeMs,
        openInterest: openInterest.samples,
        openInterestUnit: openInterest.unit,
        openInterestMode: openInterest.mode,
        funding,
        longShortRatio: ratio,
        ...(anchor ? { anchor } : {}),
      });
      if (joined.backfilledOpenInterest > 0 && openInterest.mode === 'step') {
        notes.push(`${joined.backfilledOpenInterest} bars are older than the open-interest history and carry its first value (flat)`);
      }
      const fundingIntervalMs = fundingIntervalFor(spec.id, funding);
      const series: FetchedSeries = { ...base, ...(fundingIntervalMs !== undefined ? { fundingIntervalMs } : {}), bars: joined.bars, notes };
      try {
        validateSeries(series);
      } catch (error) {
        if (error instanceof InputError) {
          throw new DataError('bad-data', `${spec.id} ${symbol}: the exchange sent a bar the engine rejects: ${error.message}`, { cause: error });
        }
        throw error;
      }
      // The last expected bar may not exist yet (the current bar, on exchanges serving closed bars only).
      onProgress?.(series.bars.length, series.bars.length);
      return series;
    },

    async listMarkets(opts = {}): Promise<readonly MarketSummary[]> {
      const markets = await loadMarkets(opts.signal);
      const out: MarketSummary[] = [];
      for (const market of Object.values(markets)) {
        const id = ownId(market);
        if (!spec.isSupportedMarket(market) || market.active === false || id === undefined) continue;
        const maxLeverage = num(market.limits?.leverage?.max);
        const contractSize = num(market.contractSize);
        out.push({
          exchange: spec.id,
          symbol: id,
          unified: market.symbol,
          base: market.base,
          quote: market.quote,
          ...(maxLeverage !== undefined && maxLeverage >= 1 ? { maxLeverage } : {}),
          ...(contractSize !== undefined && contractSize > 0 ? { contractSize } : {}),
        });
      }
      return out.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
    },

    async contractSize(symbol, opts = {}): Promise<number> {
      const size = num((await resolveMarket(symbol, opts.signal)).contractSize);
      return size !== undefined && size > 0 ? size : 1;
    },

    async fetchMarginTiers(symbol, opts = {}): Promise<MarginTiersResult> {
      const { signal } = opts;
      const shipped = (note: string): MarginTiersResult => ({ tiers: tiersFor(spec.id, symbol), source: 'shipped', note });
      if (!spec.fetchMarginTiers) return shipped(`${spec.id} publishes no margin tiers without an API key`);
      try {
        const market = await resolveMarket(symbol, signal);
        const live = await abortable(spec.fetchMarginTiers(exchange(), market, signal), signal);
        const tiers: readonly MarginTier[] = buildTiers(live.rows, { cumulative: live.cumulative });
        return { tiers, source: 'live' };
      } catch (error) {
        if (isAbort(error, signal)) throw error;
        return shipped(`live tiers unavailable (${describe(error)})`);
      }
    },
  };
}
