/**
 * The background's estimate service: the message handlers of the contract. It loads bar series
 * through the data layer, runs the engine in the estimator worker (through a host), turns the
 * result into the compact view the panel and popup draw, remembers the latest map per market for
 * pre-trade checks, and reports per-market status. Extension APIs stay out: everything it needs
 * is passed in, so it runs in Node tests too.
 */
import { assessRisk } from '../engine/risk';
import { validateSeries } from '../engine/validate';
import { peerMarkets, sameQuoteUnit } from '../data/exchanges/peer-markets';
import { createRequestTally } from '../data/request-tally';
import type { ExchangeId, ExchangeSeries, LiquidationMap, MarketContext, Pool, ReliabilityReason } from '../engine/types';
import {
  EXCHANGES,
  type EstimateRequest,
  type EstimateView,
  type Handlers,
  LOOKBACK_MS,
  type Lookback,
  type MarketInfo,
  type MarketStatus,
  PROTOCOL_VERSION,
} from '../messaging/contract';
import { estimateRequestFor } from '../settings/request';
import { DEFAULT_SETTINGS, type Settings } from '../settings/schema';
import { tierFilter, viewKey } from '../messaging/view-key';
import { toHeatmapView, toLatestMapView } from './compact';
import { beforeDeadline } from './deadline';
import type { EstimatorHost } from './host';
import { createKeptEstimates } from './kept-estimates';

export type Timeframe = '5m' | '15m' | '1h';

export const TIMEFRAME_MS: Readonly<Record<Timeframe, number>> = { '5m': 300_000, '15m': 900_000, '1h': 3_600_000 };

export interface LoadOptions {
  readonly signal?: AbortSignal;
  /** Bars available (held or fetched) of the number the lookback needs; called as pages arrive. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Requests completed of those planned (`src/data/request-tally.ts`), from the plan on. */
  readonly onRequests?: (done: number, total: number) => void;
  /** Serve held bars without asking the exchange when they were written less than this long ago. */
  readonly maxCacheAgeMs?: number;
}

/** What the data layer answers (the fields of its `LoadedSeries` the service reads). */
export interface LoadedSeriesLike {
  readonly series: ExchangeSeries;
  /** Bars taken from the cache without being fetched again. */
  readonly cachedBars?: number;
  /** Bars fetched from the exchange by this load. */
  readonly fetchedBars?: number;
  /** True when the update failed and held bars are served as they were. */
  readonly stale?: boolean;
  /** True when held bars were served without asking the exchange (`maxCacheAgeMs`). */
  readonly heldOnly?: boolean;
  /** What is missing, approximated or failed, in plain words. */
  readonly notes?: readonly string[];
  /** Reliability reasons the data adds to the engine's (see `src/data/coverage.ts`). */
  readonly reasons?: readonly ReliabilityReason[];
}

/** The data layer's entry point: the latest `lookbackMs` of bars (cached ones reused). */
export type SeriesLoader = (
  exchange: ExchangeId,
  symbol: string,
  timeframe: Timeframe,
  lookbackMs: number,
  options: LoadOptions,
) => Promise<LoadedSeriesLike>;

/** Lists an exchange's markets, when the data layer can. */
export type MarketLister = (exchange: ExchangeId) => Promise<readonly MarketInfo[]>;

export interface ServiceOptions {
  readonly loadSeries: SeriesLoader;
  readonly listMarkets?: MarketLister;
  readonly host: EstimatorHost;
  /** The extension's version (manifest `version`). */
  readonly version: string;
  readonly now?: () => number;
  /** How long a computed view is served again without recomputing (default 15 s). */
  readonly reuseMs?: number;
  /**
   * Held bars written less than this long ago answer a request at once, without waiting for the
   * exchange; the newer bars are fetched right after and the updated view goes to `onView`
   * listeners (stale-while-revalidate). Default 6 h; 0 always waits for the exchange.
   */
  readonly heldFirstMs?: number;
  /**
   * The user's settings, from which a page's panel makes its request for a market (lookback, bar
   * size, leverage weights): `prepareEstimate` starts that request and answers with it and the
   * settings. Default: the default settings (the 24h estimate).
   */
  readonly panelSettings?: () => Promise<Settings>;
  /** How long `prepareEstimate` waits for the estimate to send it with its answer (default {@link PREPARE_WAIT_MS}). */
  readonly prepareWaitMs?: number;
  /** Heatmap size sent to the panel. */
  readonly columns?: number;
  readonly rows?: number;
  /** Opens the full view in a tab (the browser's `tabs` API); absent: refused (tests, tools). */
  readonly openFullView?: Handlers['openFullView'];
}

/**
 * `prepareEstimate` waits this long for its estimate: a view from held bars takes 40-70 ms here,
 * and the panel's code needs some 150 ms more to load, so the view is there before the panel.
 */
export const PREPARE_WAIT_MS = 250;

/** Longest history any request loads: Binance keeps 30 days of open-interest history. */
export const MAX_HISTORY_MS = 30 * 24 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

export interface LoadPlan {
  readonly timeframe: Timeframe;
  readonly timeframeMs: number;
  /** History loaded: the lookback plus a warm-up (positions opened before the window matter), capped. */
  readonly loadMs: number;
  /** Bars shown in the heatmap window. */
  readonly windowBars: number;
}

/**
 * Which bars a lookback needs: 5m bars up to 3 days, 15m for a week, 1h for a month; one more
 * lookback (at most a day) of warm-up before the window, within {@link MAX_HISTORY_MS}. A bar
 * size the user chose replaces that pick.
 * @example planLoad('24h') // { timeframe: '5m', timeframeMs: 300000, loadMs: 172800000, windowBars: 288 }
 */
export function planLoad(lookback: Lookback, chosen?: Timeframe): LoadPlan {
  const lookbackMs = LOOKBACK_MS[lookback];
  const timeframe: Timeframe = chosen ?? (lookbackMs <= 3 * DAY_MS ? '5m' : lookbackMs <= 7 * DAY_MS ? '15m' : '1h');
  const timeframeMs = TIMEFRAME_MS[timeframe];
  const loadMs = Math.min(MAX_HISTORY_MS, lookbackMs + Math.min(lookbackMs, DAY_MS));
  return { timeframe, timeframeMs, loadMs, windowBars: Math.round(lookbackMs / timeframeMs) };
}

/** The engine's context with the data layer's reliability reasons added (the score stays the engine's). */
function withReasons(context: MarketContext, extra: readonly ReliabilityReason[] | undefined): MarketContext {
  if (!extra || extra.length === 0) return context;
  return { ...context, reliability: { ...context.reliability, reasons: [...context.reliability.reasons, ...extra] } };
}

interface MarketMemory {
  status: MarketStatus;
  map?: LiquidationMap;
  pools?: readonly Pool[];
  context?: MarketContext;
}

export interface EstimateService extends Handlers {
  /** Drops computed views (not the data layer's cache). */
  forget(): void;
  /** Loads the newest bars from the exchange and recomputes, whatever is held; shares one in flight. */
  refresh(req: EstimateRequest): Promise<EstimateView>;
  /** Calls `listener` with every view computed from now on (all markets) and its request; returns the unsubscribe. */
  onView(listener: ViewListener): () => void;
}

export type ViewListener = (view: EstimateView, req: EstimateRequest) => void;

const HELD_FIRST_MS = 6 * 3_600_000;

/**
 * History loaded for the first map of a longer lookback: a day, which a first visit fetches in a
 * few requests (a 30-day aggregate needs hundreds, and 5-10 s at real latency and rate limits).
 */
export const RECENT_FIRST_MS = DAY_MS;

/**
 * An aggregated first map of the recent window waits this long after the page's own series for
 * the other exchanges: those still loading (Bitget's long/short ratio allows one request a second)
 * are left out of it, named in the panel, and joined in the map over the whole lookback.
 */
export const RECENT_PEER_WAIT_MS = 250;

/**
 * The outcomes of `loads` once all have settled or `waitMs` has passed, whichever is first
 * (undefined for those still running then).
 */
async function settledWithin<T>(loads: readonly Promise<T>[], waitMs: number): Promise<(PromiseSettledResult<T> | undefined)[]> {
  const outcomes: (PromiseSettledResult<T> | undefined)[] = loads.map(() => undefined);
  const all = Promise.all(
    loads.map((load, i) =>
      load.then(
        (value) => void (outcomes[i] = { status: 'fulfilled', value }),
        (reason: unknown) => void (outcomes[i] = { status: 'rejected', reason }),
      ),
    ),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, waitMs);
  });
  await Promise.race([all, expired]);
  clearTimeout(timer);
  return [...outcomes];
}

/**
 * The contract's handlers over a data loader and an estimator host.
 * @example
 * const handlers = createEstimateService({ loadSeries, host: createWorkerHost(), version: '0.1.0' });
 * browser.runtime.onMessage.addListener(createMessageListener(browser.runtime.id, handlers));
 */
export function createEstimateService(options: ServiceOptions): EstimateService {
  const now = options.now ?? Date.now;
  const reuseMs = options.reuseMs ?? 15_000;
  const prepareWaitMs = options.prepareWaitMs ?? PREPARE_WAIT_MS;
  const heldFirstMs = options.heldFirstMs ?? HELD_FIRST_MS;
  const maxColumns = options.columns ?? 180;
  const rows = options.rows ?? 120;
  const markets = new Map<string, MarketMemory>();
  /** Computed views; a provisional one (held bars only) is served while its refresh runs. */
  const views = new Map<string, { view: EstimateView; at: number; provisional: boolean }>();
  const inflight = new Map<string, Promise<EstimateView>>();
  const refreshing = new Map<string, Promise<EstimateView>>();
  const listeners = new Set<ViewListener>();
  // Each view's estimator state stays in the worker between refreshes: a refresh applies only the new bars.
  const kept = createKeptEstimates(options.host, { now });

  function emit(view: EstimateView, req: EstimateRequest): void {
    for (const listener of listeners) {
      try {
        listener(view, req);
      } catch {
        // One failing listener (a closed port) must not keep the view from the others.
      }
    }
  }

  const marketKey = (exchange: ExchangeId, symbol: string) => `${exchange}:${symbol}`;

  function memory(exchange: ExchangeId, symbol: string): MarketMemory {
    const key = marketKey(exchange, symbol);
    let entry = markets.get(key);
    if (!entry) {
      entry = { status: { exchange, symbol, state: 'idle', bars: 0 } };
      markets.set(key, entry);
    }
    return entry;
  }

  async function compute(req: EstimateRequest, maxCacheAgeMs: number, recentOnly = false): Promise<{ view: EstimateView; heldOnly: boolean }> {
    const started = now();
    const leverages = tierFilter(req.leverages);
    const entry = memory(req.exchange, req.symbol);
    const full = planLoad(req.lookback, req.timeframe);
    // The recent window first (see RECENT_FIRST_MS): the same bars, only the last day of them.
    const plan = recentOnly ? { ...full, loadMs: Math.min(full.loadMs, RECENT_FIRST_MS) } : full;
    entry.status = { exchange: req.exchange, symbol: req.symbol, state: 'loading', bars: entry.status.bars, message: 'loading bars' };
    const hostBefore = options.host.stats();
    // The worker (and Chrome's offscreen document) starts while the bars load.
    options.host.warm?.();
    // Progress counts requests: the page's exchange and, aggregated, the peers, loaded side by side
    // so that every plan is known before the first history request completes.
    let bars: { done: number; total: number } | undefined;
    let requests: { done: number; total: number } | undefined;
    const showProgress = () => {
      if (requests) entry.status = { ...entry.status, state: 'loading', message: `loading history ${requests.done}/${requests.total} requests`, progress: { ...requests, ...(bars ? { bars } : {}) } };
    };
    const tally = createRequestTally((done, total) => {
      requests = { done, total };
      showProgress();
    });
    const cacheAge = maxCacheAgeMs > 0 ? { maxCacheAgeMs } : {};
    const load = (exchange: ExchangeId, symbol: string, extra: LoadOptions = {}) => {
      const part = tally.part();
      return options
        .loadSeries(exchange, symbol, plan.timeframe, plan.loadMs, { ...cacheAge, ...extra, onRequests: (done, total) => part.update({ done, total }) })
        .finally(() => part.settle());
    };
    const wanted = req.aggregate ? peerMarkets(req.exchange, req.symbol, req.aggregateWith ?? EXCHANGES) : [];
    const ownLoad = load(req.exchange, req.symbol, {
      onProgress: (done, total) => {
        bars = { done, total };
        showProgress();
      },
    });
    const peerEach = wanted.map((peer) => load(peer.exchange, peer.symbol));
    // Failures are read from the outcomes; nothing is left unhandled when the first map goes without them.
    for (const each of peerEach) each.catch(() => {});
    const peerLoads = Promise.allSettled(peerEach);
    try {
      const loadedSeries = await ownLoad;
      const series = loadedSeries.series;
      if (series.bars.length < 2) throw new Error(`not enough history for ${req.symbol} (${series.bars.length} bars)`);
      const input: ExchangeSeries = { ...series, timeframeMs: series.timeframeMs ?? plan.timeframeMs };
      // The recent window's first map goes on with the peers that have answered shortly after the
      // page's own exchange (see RECENT_PEER_WAIT_MS); the others join in the whole-lookback map.
      const peerOutcomes = recentOnly ? await settledWithin(peerEach, RECENT_PEER_WAIT_MS) : await peerLoads;
      const pending = wanted.filter((_, i) => peerOutcomes[i] === undefined);
      const answered = wanted.filter((_, i) => peerOutcomes[i] !== undefined);
      const peers = req.aggregate
        ? peerSeries(answered, peerOutcomes.filter((o): o is PromiseSettledResult<LoadedSeriesLike> => o !== undefined), input, plan)
        : undefined;
      if (peers && pending.length > 0) {
        peers.notes.unshift(`${pending.map((p) => `${p.exchange} ${p.symbol}`).join(', ')} still loading: left out of this first map of the recent window, joined in the map over the whole lookback`);
      }
      const loaded = now();
      const windowBars = Math.min(plan.windowBars, series.bars.length);
      const barsPerColumn = Math.max(1, Math.ceil(windowBars / maxColumns));
      const columns = Math.max(1, Math.floor(windowBars / barsPerColumn));
      const notes = [...(loadedSeries.notes ?? []), ...(peers?.notes ?? [])];
      const { output, appendedBars, restart } = await kept.run(
        viewKey(req),
        {
          series: [input, ...(peers?.series ?? [])],
          heatmap: { columns, barsPerColumn, rows, ...(leverages ? { leverages } : {}) },
          ...(req.leverageWeights ? { leverageWeights: req.leverageWeights } : {}),
        },
        { loadMs: plan.loadMs, lookbackMs: LOOKBACK_MS[req.lookback] },
      );
      const hostAfter = options.host.stats();
      const view: EstimateView = {
        exchange: req.exchange,
        symbol: req.symbol,
        lookback: req.lookback,
        computedAt: now(),
        price: output.context.price,
        pools: output.pools,
        context: withReasons(output.context, loadedSeries.reasons),
        heatmap: toHeatmapView(output.heatmap, output.candles, plan.timeframeMs * barsPerColumn),
        latestMap: toLatestMapView(output.map),
        ...(leverages ? { leverages } : {}),
        ...(peers ? { exchanges: [req.exchange, ...peers.series.map((s) => s.exchange)] } : {}),
        ...(pending.length > 0 ? { loadingExchanges: pending.map((p) => p.exchange) } : {}),
        timings: {
          loadMs: loaded - started,
          estimateMs: Math.round(output.estimateMs * 10) / 10,
          totalMs: now() - started,
          workerStarted: hostAfter.connects > hostBefore.connects,
          bars: series.bars.length + (peers?.bars ?? 0),
          ...(loadedSeries.cachedBars !== undefined ? { cachedBars: loadedSeries.cachedBars + (peers?.cachedBars ?? 0) } : {}),
          ...(loadedSeries.fetchedBars !== undefined ? { fetchedBars: loadedSeries.fetchedBars + (peers?.fetchedBars ?? 0) } : {}),
          requests: { done: tally.done, total: tally.total },
          ...(appendedBars !== undefined ? { appendedBars } : {}),
          ...(restart !== undefined ? { recomputed: restart } : {}),
        },
        ...(loadedSeries.stale ? { stale: true } : {}),
        ...(notes.length > 0 ? { notes: notes.slice(0, 8) } : {}),
      };
      // Pre-trade checks read the page exchange's map of every tier, never a filtered or aggregated one.
      if (!leverages && !peers) {
        entry.map = output.map;
        entry.pools = output.pools;
        entry.context = output.context;
      }
      entry.status = {
        exchange: req.exchange,
        symbol: req.symbol,
        state: 'ready',
        updatedAt: series.bars.at(-1)?.timestamp ?? view.computedAt,
        bars: series.bars.length,
        ...(loadedSeries.stale ? { stale: true } : {}),
      };
      return { view, heldOnly: loadedSeries.heldOnly === true && (peers?.heldOnly ?? true) };
    } catch (error) {
      entry.status = { exchange: req.exchange, symbol: req.symbol, state: 'error', bars: entry.status.bars, message: errorText(error) };
      throw error;
    }
  }

  /**
   * The same market on the other exchanges of an aggregated request, each loaded like the page's
   * own (and beside it). A peer that fails to load, has too little history, does not validate, or is quoted in
   * another unit (a thousand-coin contract) is left out with a note: the estimate goes on with
   * the exchanges that answered.
   */
  function peerSeries(
    wanted: readonly { readonly exchange: ExchangeId; readonly symbol: string }[],
    settled: readonly PromiseSettledResult<LoadedSeriesLike>[],
    own: ExchangeSeries,
    plan: LoadPlan,
  ): PeerSeries {
    const price = own.bars.at(-1)!.close;
    const result: PeerSeries = { series: [], notes: [], bars: 0, cachedBars: 0, fetchedBars: 0, heldOnly: true };
    settled.forEach((outcome, i) => {
      const peer = wanted[i]!;
      const name = `${peer.exchange} ${peer.symbol}`;
      if (outcome.status === 'rejected') {
        result.notes.push(`${name} left out of the aggregate: ${errorText(outcome.reason)}`);
        return;
      }
      const loaded = outcome.value;
      const series: ExchangeSeries = { ...loaded.series, timeframeMs: loaded.series.timeframeMs ?? plan.timeframeMs };
      const last = series.bars.at(-1);
      if (series.bars.length < 2 || !last) {
        result.notes.push(`${name} left out of the aggregate: not enough history`);
        return;
      }
      if (!sameQuoteUnit(price, last.close)) {
        result.notes.push(`${name} left out of the aggregate: its price ${last.close} is not quoted like ${price}`);
        return;
      }
      try {
        validateSeries(series);
      } catch (error) {
        result.notes.push(`${name} left out of the aggregate: ${errorText(error)}`);
        return;
      }
      result.series.push(series);
      result.bars += series.bars.length;
      result.cachedBars += loaded.cachedBars ?? 0;
      result.fetchedBars += loaded.fetchedBars ?? 0;
      result.heldOnly &&= loaded.heldOnly === true;
      if (loaded.stale) result.notes.push(`${name}: the exchange could not be reached, its held bars are used`);
    });
    return result;
  }

  function store(req: EstimateRequest, view: EstimateView, provisional: boolean): EstimateView {
    views.set(viewKey(req), { view, at: now(), provisional });
    emit(view, req);
    return view;
  }

  function refresh(req: EstimateRequest): Promise<EstimateView> {
    const key = viewKey(req);
    let pending = refreshing.get(key);
    if (!pending) {
      pending = compute(req, 0)
        .then(({ view }) => store(req, view, false))
        .finally(() => refreshing.delete(key));
      refreshing.set(key, pending);
    }
    return pending;
  }

  async function getEstimate(req: EstimateRequest): Promise<EstimateView> {
    const key = viewKey(req);
    const cached = views.get(key);
    if (cached && (cached.provisional ? refreshing.has(key) : now() - cached.at < reuseMs)) return cached.view;
    let pending = inflight.get(key);
    if (!pending) {
      // A first visit with a lookback longer than a day (no view of the market yet in this
      // background's life): the map of the last day first, then extended over the whole lookback
      // as the older history arrives (the market's status shows that load's progress meanwhile).
      const marketSeen = [...views.values()].some((v) => v.view.exchange === req.exchange && v.view.symbol === req.symbol);
      const recentFirst = !cached && !marketSeen && LOOKBACK_MS[req.lookback] > RECENT_FIRST_MS;
      pending = compute(req, heldFirstMs, recentFirst)
        .then(({ view, heldOnly }) => {
          store(req, view, heldOnly || recentFirst);
          // Failures of the update show in the market's status; the held view stays served.
          if (heldOnly || recentFirst) refresh(req).catch(() => {});
          return view;
        })
        .finally(() => inflight.delete(key));
      inflight.set(key, pending);
    }
    return pending;
  }

  return {
    getEstimate,
    async getStatus(req) {
      const list =
        req.exchange !== undefined && req.symbol !== undefined
          ? [markets.get(marketKey(req.exchange, req.symbol))?.status ?? { exchange: req.exchange, symbol: req.symbol, state: 'idle' as const, bars: 0 }]
          : [...markets.values()].map((m) => m.status);
      return { version: options.version, markets: list, aggregate: { available: true } };
    },
    async assessOrder(req) {
      let entry = markets.get(marketKey(req.exchange, req.symbol));
      if (!entry?.map || !entry.pools) {
        await getEstimate({ exchange: req.exchange, symbol: req.symbol, lookback: '3d' });
        entry = markets.get(marketKey(req.exchange, req.symbol));
      }
      if (!entry?.map || !entry.pools) throw new Error(`no estimate for ${req.symbol}`);
      return assessRisk(
        { exchange: req.exchange, symbol: req.symbol, ...req.order },
        entry.map,
        entry.pools,
        req.sensitivityAtr !== undefined ? { sensitivityAtr: req.sensitivityAtr } : {},
      );
    },
    async listMarkets(req) {
      if (!options.listMarkets) throw new Error('listing markets is not available yet');
      return options.listMarkets(req.exchange);
    },
    async prepareEstimate(market) {
      const settings = options.panelSettings ? await options.panelSettings() : DEFAULT_SETTINGS;
      const request = estimateRequestFor(market, settings);
      // The panel's own request finds this one in flight or done; a failure shows when it asks.
      const estimate = getEstimate(request);
      estimate.catch(() => {});
      // A view from held bars or kept from before is ready in tens of milliseconds, long before
      // the panel's code has loaded: it goes with the answer. A longer load is not waited for.
      const view = await beforeDeadline(estimate.catch(() => undefined), prepareWaitMs, () => undefined);
      return { request, settings, ...(view ? { view } : {}) };
    },
    async ping() {
      return { pong: true, version: PROTOCOL_VERSION };
    },
    async openFullView(req) {
      if (!options.openFullView) throw new Error('opening the full view is not available here');
      return options.openFullView(req);
    },
    forget() {
      views.clear();
    },
    refresh,
    onView(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

interface PeerSeries {
  readonly series: ExchangeSeries[];
  readonly notes: string[];
  bars: number;
  cachedBars: number;
  fetchedBars: number;
  heldOnly: boolean;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : 'estimate failed';
}
