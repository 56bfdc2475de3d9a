/**
 * Bar series for the estimator: the cache first, then only what the cache lacks from the
 * exchange.
 *
 * - Cold (nothing held): the whole lookback is fetched and stored.
 * - Warm: only bars from the newest held bar on are fetched (that bar again, since it may have
 *   been open when stored); held bars are never asked for again. A longer lookback than ever
 *   asked before also fetches the missing older stretch once.
 * - Time is the exchange's clock (`serverTime`), not the local one.
 * - When the update fails (network, rate limit, bad data) and bars are held, the held bars are
 *   returned with `stale: true` and the reason in `notes`; with nothing held the error is thrown.
 *   An abort always rejects with the signal's reason and writes nothing.
 * - Progress: bars available of those needed (`onProgress`), and requests completed of those
 *   planned for the bars not held (`onRequests`; the rule is in `request-tally.ts`).
 */
import { isFundingInterval } from '../engine/funding-interval';
import type { Bar, ExchangeId, ExchangeSeries } from '../engine/types';
import { mergeBars, openSeriesCache, type CachedSeries, type SeriesCache } from './cache';
import { borrowedOpenInterestWords, borrowOpenInterest, MAX_SNAPSHOT_GAP_MS, OPEN_INTEREST_PEERS } from './borrowed-open-interest';
import { coverageNotes, coverageReasons, seriesCoverage, type SeriesCoverage } from './coverage';
import { DOCUMENTED_FUNDING_INTERVAL_MS } from './exchanges/funding-interval';
import { peerMarkets, sameQuoteUnit } from './exchanges/peer-markets';
import type { ReliabilityReason } from '../engine/types';
import { getExchangeSource } from './exchanges/index';
import { withOpenInterestOf } from './exchanges/join';
import { createRequestTally } from './request-tally';
import { throwIfAborted } from './exchanges/paging';
import { DataError, type ExchangeSource } from './exchanges/source';
import { DEFAULT_LOOKBACK_MS, floorToBar, isTimeframe, MAX_LOOKBACK_MS, TIMEFRAME_MS, type Timeframe } from './timeframes';

export interface LoadSeriesOptions {
  /** Aborts fetching; the call rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Bars available (held or fetched) of the number the lookback needs; called as pages arrive. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Requests completed of those planned for the bars not held (see `request-tally.ts`): first with
   * the plan, before any history request, then after every request. Not called when the held bars
   * are served without asking the exchange.
   */
  readonly onRequests?: (done: number, total: number) => void;
  /**
   * Serve the held series without asking the exchange when it was written less than this long ago
   * (local clock). Default 0: always ask for bars newer than the held ones.
   */
  readonly maxCacheAgeMs?: number;
  /**
   * Exchanges without open-interest history: fill the stretch before their own snapshots from the
   * open-interest changes of the same coin on Binance, Bybit and OKX (default true; see
   * `borrowed-open-interest.ts`).
   */
  readonly borrowOpenInterest?: boolean;
}

export interface LoadedSeries {
  /**
   * Bars of the lookback, oldest first, validated; `timeframeMs` set, and `fundingIntervalMs` when
   * known (from this load's funding history, else as held, else the exchange's documented one).
   */
  readonly series: ExchangeSeries & { readonly timeframeMs: number };
  /** True when some of the bars came from the cache. */
  readonly fromCache: boolean;
  /** Bars of the result taken from the cache without being fetched again. */
  readonly cachedBars: number;
  /** Bars fetched from the exchange by this call. */
  readonly fetchedBars: number;
  /** Open time of the newest bar. */
  readonly newestTimestamp: number;
  /** The exchange's clock minus the newest bar's open time (ms). */
  readonly age: number;
  /** The exchange's clock at this load (estimated from the last fetch when nothing was asked). */
  readonly serverTime: number;
  /** True when the update failed and the held bars are served as they were. */
  readonly stale: boolean;
  /**
   * True when the held bars were served without asking the exchange (written within
   * `maxCacheAgeMs`): the newest bars may be missing until the next load.
   */
  readonly heldOnly: boolean;
  /** What is missing, approximated or failed, in plain words. */
  readonly notes: readonly string[];
  /**
   * Which bars of the window have funding and a long/short ratio (for the series the exchange
   * publishes); absent when the held bars were served without asking the exchange.
   */
  readonly coverage?: SeriesCoverage;
  /** Reliability reasons the data adds to the engine's (a stretch without funding, ...). */
  readonly reasons?: readonly ReliabilityReason[];
  /**
   * Exchanges without open-interest history: open time of the first bar whose open interest is the
   * exchange's own (from its snapshots); bars before it carry borrowed or flat values.
   */
  readonly ownOpenInterestFrom?: number;
}

export interface SeriesStoreOptions {
  /** Opens the cache; default the extension's IndexedDB cache. A failure means running without one. */
  readonly openCache?: () => Promise<SeriesCache>;
  /** The exchange sources; default the shared ones. */
  readonly source?: (exchange: ExchangeId) => Promise<ExchangeSource>;
  /** Local clock. */
  readonly now?: () => number;
}

export interface SeriesStore {
  loadSeries(exchange: ExchangeId, symbol: string, timeframe: Timeframe, lookbackMs?: number, options?: LoadSeriesOptions): Promise<LoadedSeries>;
}

const NONE: ReadonlySet<number> = new Set();
/** How long after a failed open the cache is tried again. */
const CACHE_RETRY_MS = 60_000;

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
}

/** `2 h 5 min`, `40 min`, `3 d 4 h`: how old the newest held bar is. */
function ageText(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface Fetch {
  readonly since: number;
  readonly until?: number;
  readonly anchor?: Bar;
  /** Backfill of an exchange without OI history: bars take the oldest held bar's open interest. */
  readonly flatOpenInterestOf?: Bar;
}

/** A store over a cache and exchange sources (the background uses {@link loadSeries}). */
export function createSeriesStore(options: SeriesStoreOptions = {}): SeriesStore {
  const localNow = options.now ?? Date.now;
  const getSource = options.source ?? getExchangeSource;
  let cachePromise: Promise<SeriesCache | undefined> | undefined;
  let cacheNote: string | undefined;
  let cacheFailedAt: number | undefined;
  const getCache = (): Promise<SeriesCache | undefined> => {
    // A cache that could not be opened (blocked upgrade, storage error) is tried again later.
    if (cacheFailedAt !== undefined && localNow() - cacheFailedAt >= CACHE_RETRY_MS) {
      cachePromise = undefined;
      cacheNote = undefined;
      cacheFailedAt = undefined;
    }
    cachePromise ??= (options.openCache ?? (() => openSeriesCache()))().catch((error: unknown) => {
      cacheNote = `the series cache is unavailable (${message(error)}); every load fetches everything from the exchange`;
      cacheFailedAt = localNow();
      return undefined;
    });
    return cachePromise;
  };

  const loadOwn = async (
    exchange: ExchangeId,
    symbol: string,
    timeframe: Timeframe,
    lookbackMs: number,
    opts: LoadSeriesOptions,
  ): Promise<LoadedSeries> => {
    {
      const { signal, onProgress, onRequests } = opts;
      if (!isTimeframe(timeframe)) throw new RangeError(`unsupported timeframe '${String(timeframe)}'`);
      if (!(lookbackMs > 0)) throw new RangeError(`lookbackMs must be > 0, got ${lookbackMs}`);
      const timeframeMs = TIMEFRAME_MS[timeframe];
      const lookback = Math.min(lookbackMs, MAX_LOOKBACK_MS);
      throwIfAborted(signal);
      const notes: string[] = [];
      const key = { exchange, symbol, timeframe };
      const cache = await getCache();
      if (cacheNote) notes.push(cacheNote);
      let held: CachedSeries | undefined;
      if (cache) {
        try {
          held = await cache.read(key);
        } catch (error) {
          notes.push(`the cached series could not be read (${message(error)})`);
        }
      }

      // What the exchange publishes, once its source is loaded (not on the held-only path).
      const known: { publishes?: ExchangeSource['capabilities']; ownFrom?: number; fundingIntervalMs?: number } = {};
      // The funding interval as held (a damaged value is not passed on), else the documented one.
      const heldInterval = [held?.entry.fundingIntervalMs, DOCUMENTED_FUNDING_INTERVAL_MS[exchange]].find(isFundingInterval);
      if (heldInterval !== undefined) known.fundingIntervalMs = heldInterval;
      const result = (bars: readonly Bar[], serverTime: number, fetchedTimes: ReadonlySet<number>, stale: boolean, heldOnly = false): LoadedSeries => {
        const start = floorToBar(serverTime - lookback, timeframeMs);
        const window = bars.filter((b) => b.timestamp >= start);
        const newest = window[window.length - 1];
        if (!newest) throw new DataError('no-data', `${exchange} ${symbol}: no ${timeframe} bars in the last ${Math.round(lookback / 3_600_000)} h`);
        const cachedBars = window.filter((b) => !fetchedTimes.has(b.timestamp)).length;
        const coverage = known.publishes ? seriesCoverage(window, timeframeMs, known.publishes) : undefined;
        if (coverage) notes.push(...coverageNotes(exchange, coverage));
        const interval = known.fundingIntervalMs;
        return {
          series: { exchange, symbol, timeframeMs, ...(interval !== undefined ? { fundingIntervalMs: interval } : {}), bars: window },
          fromCache: cachedBars > 0,
          cachedBars,
          fetchedBars: fetchedTimes.size,
          newestTimestamp: newest.timestamp,
          age: serverTime - newest.timestamp,
          serverTime,
          stale,
          heldOnly,
          notes,
          ...(coverage ? { coverage, reasons: coverageReasons(exchange, coverage) } : {}),
          ...(known.ownFrom !== undefined ? { ownOpenInterestFrom: known.ownFrom } : {}),
        };
      };

      const maxCacheAgeMs = opts.maxCacheAgeMs ?? 0;
      if (held && maxCacheAgeMs > 0 && localNow() - held.entry.fetchedAt < maxCacheAgeMs) {
        const estimated = held.entry.serverTime + (localNow() - held.entry.fetchedAt);
        // Only when the held bars reach back over the whole lookback: a longer one needs a backfill.
        const from = floorToBar(estimated - lookback, timeframeMs);
        if (Math.min(held.entry.coveredFrom, held.bars[0]?.timestamp ?? Infinity) <= from) {
          known.ownFrom = held.entry.ownOpenInterestFrom ?? held.bars[held.bars.length - 1]?.timestamp;
          return result(held.bars, estimated, NONE, false, true);
        }
      }

      const source = await getSource(exchange);
      known.publishes = source.capabilities;
      throwIfAborted(signal);
      const serverTime = await source.serverTime(signal);
      const start = floorToBar(serverTime - lookback, timeframeMs);
      const retainFrom = floorToBar(serverTime - MAX_LOOKBACK_MS, timeframeMs);
      const total = Math.floor((floorToBar(serverTime, timeframeMs) - start) / timeframeMs) + 1;
      const heldBars = held?.bars ?? [];
      const lastHeld = heldBars[heldBars.length - 1];
      const firstHeld = heldBars[0];
      const usable = held !== undefined && lastHeld !== undefined && firstHeld !== undefined && lastHeld.timestamp >= start;
      if (source.capabilities.openInterest === 'snapshots') {
        // The run of own snapshots goes on while loads follow each other closely (panels open); after
        // a longer gap it starts again at the current bar (the line between two far snapshots is no record).
        const current = floorToBar(serverTime, timeframeMs);
        const previous = usable && held && lastHeld ? (held.entry.ownOpenInterestFrom ?? lastHeld.timestamp) : undefined;
        known.ownFrom = previous !== undefined && serverTime - held!.entry.serverTime <= MAX_SNAPSHOT_GAP_MS ? previous : current;
      }

      const fetches: Fetch[] = [];
      if (!usable || !held || !lastHeld || !firstHeld) {
        fetches.push({ since: start });
      } else {
        if (start < held.entry.coveredFrom && start < firstHeld.timestamp) {
          fetches.push({
            since: start,
            until: firstHeld.timestamp - timeframeMs,
            ...(source.capabilities.openInterest === 'snapshots' ? { flatOpenInterestOf: firstHeld } : {}),
          });
        }
        fetches.push({ since: lastHeld.timestamp, anchor: lastHeld });
      }
      const heldInWindow = usable ? heldBars.filter((b) => b.timestamp >= start && b.timestamp < lastHeld!.timestamp).length : 0;
      let progressBase = heldInWindow;
      onProgress?.(Math.min(progressBase, total), total);
      const tally = createRequestTally(onRequests);
      const parts = fetches.map((f) =>
        tally.part(source.planRequests({ timeframe, since: f.since, ...(f.until !== undefined ? { until: f.until } : {}), now: serverTime })),
      );
      tally.report();

      const fetched: Bar[] = [];
      try {
        for (const [i, f] of fetches.entries()) {
          const part = parts[i]!;
          const series = await source.fetchSeries({
            symbol,
            timeframe,
            since: f.since,
            ...(f.until !== undefined ? { until: f.until } : {}),
            ...(f.anchor ? { anchor: f.anchor } : {}),
            now: serverTime,
            ...(signal ? { signal } : {}),
            onProgress: (done) => onProgress?.(Math.min(progressBase + done, total), total),
            onRequests: (done, planned) => part.update({ done, total: planned }),
          }).finally(() => part.settle());
          notes.push(...series.notes);
          // The newest fetch (the update comes after the backfill) tells the current interval.
          if (series.fundingIntervalMs !== undefined) known.fundingIntervalMs = series.fundingIntervalMs;
          const bars = f.flatOpenInterestOf ? withOpenInterestOf(series.bars, f.flatOpenInterestOf) : series.bars;
          fetched.push(...bars);
          progressBase += bars.length;
        }
      } catch (error) {
        for (const part of parts) part.settle();
        if (isAbort(error, signal)) throw error;
        if (!usable) throw error;
        notes.push(`update failed, showing the held bars (the newest is ${ageText(serverTime - lastHeld!.timestamp)} old): ${message(error)}`);
        if (known.ownFrom !== undefined) known.ownFrom = held!.entry.ownOpenInterestFrom ?? lastHeld!.timestamp;
        return result(heldBars, serverTime, NONE, true);
      }
      throwIfAborted(signal);
      if (fetched.length === 0 && !usable) {
        throw new DataError('no-data', `${exchange} ${symbol}: the exchange sent no ${timeframe} bars for the last ${Math.round(lookback / 3_600_000)} h`);
      }
      const fetchedTimes = new Set(fetched.map((b) => b.timestamp));

      if (!cache) {
        return result(mergeBars(heldBars, fetched, retainFrom), serverTime, fetchedTimes, false);
      }
      try {
        const written = await cache.merge(key, {
          bars: fetched,
          serverTime,
          coveredFrom: start,
          retainFrom,
          ...(known.ownFrom !== undefined ? { ownOpenInterestFrom: known.ownFrom } : {}),
          ...(known.fundingIntervalMs !== undefined ? { fundingIntervalMs: known.fundingIntervalMs } : {}),
        });
        return result(written.bars, serverTime, fetchedTimes, false);
      } catch (error) {
        if (error instanceof DataError && error.code === 'bad-data') {
          notes.push(`the new bars were rejected: ${error.message}`);
          if (usable) return result(heldBars, serverTime, NONE, true);
          throw error;
        }
        notes.push(`the series could not be cached (${message(error)}); the bars are used as fetched`);
        return result(mergeBars(heldBars, fetched, retainFrom), serverTime, fetchedTimes, false);
      }
    }
  };

  /** In-flight loads by market, range and cache age: a borrowing load and the panel's own share one. */
  const inflight = new Map<string, Promise<LoadedSeries>>();

  const loadSeries: SeriesStore['loadSeries'] = async (exchange, symbol, timeframe, lookbackMs = DEFAULT_LOOKBACK_MS, opts = {}) => {
    if (!isTimeframe(timeframe)) throw new RangeError(`unsupported timeframe '${String(timeframe)}'`);
    const source = await getSource(exchange);
    const peers =
      opts.borrowOpenInterest !== false && source.capabilities.openInterest === 'snapshots' ? peerMarkets(exchange, symbol, OPEN_INTEREST_PEERS) : [];
    if (peers.length === 0) return shared(exchange, symbol, timeframe, lookbackMs, opts);
    // The own series and the peers' side by side; every plan is known before the first request completes.
    const tally = createRequestTally(opts.onRequests);
    const ownPart = tally.part();
    const peerParts = peers.map(() => tally.part());
    tally.report();
    const peerLoads = Promise.allSettled(
      peers.map((peer, i) =>
        shared(peer.exchange, peer.symbol, timeframe, lookbackMs, {
          ...(opts.signal ? { signal: opts.signal } : {}),
          ...(opts.maxCacheAgeMs !== undefined ? { maxCacheAgeMs: opts.maxCacheAgeMs } : {}),
          onRequests: (done, total) => peerParts[i]!.update({ done, total }),
        }).finally(() => peerParts[i]!.settle()),
      ),
    );
    const own = await loadOwn(exchange, symbol, timeframe, lookbackMs, { ...opts, onRequests: (done, total) => ownPart.update({ done, total }) }).finally(() =>
      ownPart.settle(),
    );
    const bars = own.series.bars;
    const newest = bars[bars.length - 1];
    if (!newest) return own;
    const ownFrom = Math.min(own.ownOpenInterestFrom ?? newest.timestamp, newest.timestamp);
    if (bars[0]!.timestamp >= ownFrom) return own;
    const settled = await peerLoads;
    throwIfAborted(opts.signal);
    const usable: ExchangeSeries[] = [];
    const failed: string[] = [];
    settled.forEach((outcome, i) => {
      const peer = peers[i]!;
      if (outcome.status === 'rejected') {
        failed.push(`${peer.exchange}: ${message(outcome.reason)}`);
        return;
      }
      const last = outcome.value.series.bars.at(-1);
      // A thousand-coin contract beside the coin is another unit: its changes would still be fine,
      // but its coins are not this market's; keep only peers quoted alike.
      if (last && sameQuoteUnit(newest.close, last.close)) usable.push(outcome.value.series);
      else failed.push(`${peer.exchange}: quoted in another unit`);
    });
    const borrowed = borrowOpenInterest(bars, ownFrom, usable);
    const words = borrowedOpenInterestWords(exchange, borrowed, ownFrom, failed);
    return {
      ...own,
      series: { ...own.series, bars: borrowed?.bars ?? bars },
      ownOpenInterestFrom: borrowed?.ownFrom ?? ownFrom,
      notes: [...own.notes, words.note],
      reasons: [...(own.reasons ?? []), words.reason],
    };
  };

  function shared(exchange: ExchangeId, symbol: string, timeframe: Timeframe, lookbackMs: number, opts: LoadSeriesOptions): Promise<LoadedSeries> {
    const key = `${exchange}|${symbol}|${timeframe}|${lookbackMs}|${opts.maxCacheAgeMs ?? 0}`;
    const running = inflight.get(key);
    if (running) {
      // Joined: this caller sends no request of its own.
      opts.onRequests?.(0, 0);
      return running;
    }
    const load = loadOwn(exchange, symbol, timeframe, lookbackMs, opts).finally(() => inflight.delete(key));
    // A caller's abort must not fail the others that joined: only loads without a signal are shared.
    if (!opts.signal) inflight.set(key, load);
    return load;
  }

  return { loadSeries };
}

let defaultStore: SeriesStore | undefined;

/**
 * The bars of one market for the estimator: held bars from the cache plus the newer ones from the
 * exchange, over `lookbackMs` (default 7 days, at most 30) on the exchange's clock.
 * @example const { series, fromCache, age } = await loadSeries('binance', 'BTCUSDT', '5m', 7 * 86_400_000, { signal });
 */
export function loadSeries(
  exchange: ExchangeId,
  symbol: string,
  timeframe: Timeframe,
  lookbackMs: number = DEFAULT_LOOKBACK_MS,
  options: LoadSeriesOptions = {},
): Promise<LoadedSeries> {
  defaultStore ??= createSeriesStore();
  return defaultStore.loadSeries(exchange, symbol, timeframe, lookbackMs, options);
}
