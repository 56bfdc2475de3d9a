/**
 * The series cache (IndexedDB through idb, here fake-indexeddb) and the series store on top of
 * it: cold and warm loads, incremental updates, backfill, least-recently-used eviction by market,
 * schema migrations, and bad data never replacing good data.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import type { Bar, ExchangeId } from '../src/engine/types';
import { validateSeries } from '../src/engine/validate';
import {
  DB_VERSION,
  MIGRATIONS,
  openSeriesCache,
  STORE_BARS,
  STORE_ENTRIES,
  type Migration,
  type SeriesCache,
  type SeriesKey,
} from '../src/data/cache';
import { DataError, type ExchangeSource, type FetchedSeries, type SeriesPlanRequest, type SeriesRequest } from '../src/data/exchanges/source';
import { createSeriesStore } from '../src/data/series-store';
import { DAY_MS, floorToBar, HOUR_MS, TIMEFRAME_MS } from '../src/data/timeframes';

const MIN5 = 300_000;
const T0 = Date.UTC(2026, 5, 20, 12, 0, 0);

let dbCounter = 0;
const uniqueName = (): string => `liqlens-test-${++dbCounter}-${Math.random().toString(36).slice(2)}`;

/** A deterministic bar: final once its period has passed, "open" (a partial bar) while `now` is inside it. */
function syntheticBar(timestamp: number, timeframeMs: number, now: number, seed = 0): Bar {
  const open = 100 + 10 * Math.sin(timestamp / 7_200_000 + seed);
  const final = 100 + 10 * Math.sin((timestamp + timeframeMs) / 7_200_000 + seed);
  const isOpen = now < timestamp + timeframeMs;
  const close = isOpen ? (open + final) / 2 : final;
  return {
    timestamp,
    open,
    high: Math.max(open, close) + 0.5,
    low: Math.min(open, close) - 0.5,
    close,
    volume: isOpen ? 5 : 10,
    takerBuyVolume: isOpen ? 2 : 6,
    openInterestUsd: 1e6 + (timestamp / MIN5) % 1000,
    fundingRate: 0.0001,
  };
}

/** Bars per request of the fake exchange. */
const FAKE_PAGE = 100;

/** Open times of the bars a request asks for at `now`. */
function barsOf(request: SeriesPlanRequest, now: number): number[] {
  const tf = TIMEFRAME_MS[request.timeframe];
  const last = Math.min(floorToBar(request.until ?? now, tf), floorToBar(now, tf));
  const times: number[] = [];
  for (let t = floorToBar(request.since, tf); t <= last; t += tf) times.push(t);
  return times;
}

interface FakeSource extends ExchangeSource {
  readonly calls: SeriesRequest[];
  now: number;
  /** Makes the next fetches fail, or return a bad bar. */
  failWith?: Error;
  badBar?: boolean;
  /** The funding interval the next fetches tell (absent: they tell none). */
  fundingIntervalMs?: number;
}

function fakeSource(id: ExchangeId = 'binance', options: { snapshots?: boolean; seed?: number } = {}): FakeSource {
  const source: FakeSource = {
    id,
    now: T0,
    calls: [],
    capabilities: {
      takerBuyVolume: true,
      openInterest: options.snapshots ? 'snapshots' : 'history',
      funding: true,
      longShortRatio: false,
      liveMarginTiers: false,
    },
    async serverTime() {
      return source.now;
    },
    planRequests(request) {
      return Math.ceil(barsOf(request, request.now).length / FAKE_PAGE);
    },
    async fetchSeries(request): Promise<FetchedSeries> {
      source.calls.push(request);
      request.signal?.throwIfAborted();
      if (source.failWith) throw source.failWith;
      const tf = TIMEFRAME_MS[request.timeframe];
      const now = request.now ?? source.now;
      const bars = barsOf(request, now).map((t) => syntheticBar(t, tf, now, options.seed));
      // One request per page of FAKE_PAGE bars, the plan reported first.
      const pages = Math.ceil(bars.length / FAKE_PAGE);
      request.onRequests?.(0, pages);
      for (let page = 1; page <= pages; page++) request.onRequests?.(page, pages);
      if (source.badBar && bars.length > 0) {
        const b = bars[bars.length - 1]!;
        bars[bars.length - 1] = { ...b, high: b.low - 1 };
      }
      request.onProgress?.(bars.length, bars.length);
      const interval = source.fundingIntervalMs;
      return { exchange: id, symbol: request.symbol, timeframeMs: tf, ...(interval !== undefined ? { fundingIntervalMs: interval } : {}), serverTime: now, bars, notes: [] };
    },
    async fetchMarginTiers() {
      throw new Error('not used');
    },
    async listMarkets() {
      return [];
    },
    async contractSize() {
      return 1;
    },
  };
  return source;
}

function storeWith(source: FakeSource, cacheName = uniqueName(), extra: { maxBars?: number; clock?: () => number } = {}) {
  let cache: SeriesCache | undefined;
  const store = createSeriesStore({
    openCache: async () => (cache = await openSeriesCache({ name: cacheName, ...(extra.maxBars ? { maxBars: extra.maxBars } : {}), now: extra.clock ?? (() => source.now) })),
    source: async () => source,
    now: () => source.now,
  });
  return { store, cache: () => cache!, cacheName };
}

const BTC: SeriesKey = { exchange: 'binance', symbol: 'BTCUSDT', timeframe: '5m' };

describe('series store: progress in requests', () => {
  it('plans every request before the first (cached bars need none) and ends with n = N', async () => {
    const source = fakeSource();
    const { store } = storeWith(source);
    const cold: [number, number][] = [];
    await store.loadSeries('binance', 'BTCUSDT', '5m', DAY_MS, { onRequests: (d, n) => cold.push([d, n]) });
    // 289 bars at 100 a request: 3 requests.
    expect(cold).toEqual([[0, 3], [1, 3], [2, 3], [3, 3]]);

    source.now += 10 * MIN5;
    source.calls.length = 0;
    const longer: [number, number][] = [];
    await store.loadSeries('binance', 'BTCUSDT', '5m', 3 * DAY_MS, { onRequests: (d, n) => longer.push([d, n]) });
    // The older stretch (566 bars before the held day: 6 requests) and the newest 11 bars (1); the
    // 288 held bars between them are not asked for.
    expect(source.calls.map((c) => c.until === undefined ? 'newest' : 'backfill')).toEqual(['backfill', 'newest']);
    expect(longer[0]).toEqual([0, 7]);
    expect(longer.at(-1)).toEqual([7, 7]);
    expect(longer.every(([, n]) => n === 7)).toBe(true);

    const held: [number, number][] = [];
    await store.loadSeries('binance', 'BTCUSDT', '5m', 3 * DAY_MS, { maxCacheAgeMs: 60_000, onRequests: (d, n) => held.push([d, n]) });
    expect(held).toEqual([]);
  });

  it('a failed update leaves the plan: the count ends where the requests stopped', async () => {
    const source = fakeSource();
    const { store } = storeWith(source);
    await store.loadSeries('binance', 'BTCUSDT', '5m', DAY_MS);
    source.now += 10 * MIN5;
    source.failWith = new DataError('rate-limited', 'binance: 429');
    const counts: [number, number][] = [];
    const stale = await store.loadSeries('binance', 'BTCUSDT', '5m', DAY_MS, { onRequests: (d, n) => counts.push([d, n]) });
    expect(stale.stale).toBe(true);
    expect(counts).toEqual([[0, 1], [0, 0]]);
  });
});

describe('series store: cold, warm and incremental loads', () => {
  it('cold load fetches the whole lookback once and stores it', async () => {
    const source = fakeSource();
    const { store, cache } = storeWith(source);
    const progress: [number, number][] = [];
    const loaded = await store.loadSeries('binance', 'BTCUSDT', '5m', DAY_MS, { onProgress: (d, n) => progress.push([d, n]) });
    expect(source.calls).toHaveLength(1);
    expect(source.calls[0]).toMatchObject({ symbol: 'BTCUSDT', timeframe: '5m', since: T0 - DAY_MS, now: T0 });
    expect(loaded.fromCache).toBe(false);
    expect(loaded.cachedBars).toBe(0);
    expect(loaded.fetchedBars).toBe(289);
    expect(loaded.series.bars).toHaveLength(289);
    expect(loaded.series).toMatchObject({ exchange: 'binance', symbol: 'BTCUSDT', timeframeMs: MIN5 });
    expect(loaded.newestTimestamp).toBe(T0);
    expect(loaded.age).toBe(0);
    expect(loaded.stale).toBe(false);
    expect(progress.at(-1)).toEqual([289, 289]);
    const held = await cache().read(BTC);
    expect(held?.bars).toHaveLength(289);
    expect(held?.entry).toMatchObject({ barCount: 289, firstTimestamp: T0 - DAY_MS, lastTimestamp: T0, serverTime: T0 });
  });

  it('warm load asks only for the newest held bar again, never for the held ones', async () => {
    const source = fakeSource();
    const { store } = storeWith(source);
    const cold = await store.loadSeries('binance', 'BTCUSDT', '5m', DAY_MS);
    source.calls.length = 0;
    const warm = await store.loadSeries('binance', 'BTCUSDT', '5m', DAY_MS);
    expect(source.calls).toHaveLength(1);
    expect(source.calls[0]!.since).toBe(T0);
    expect(source.calls[0]!.anchor).toEqual(cold.series.bars.at(-1));
    expect(warm.fromCache).toBe(true);
    expect(warm.cachedBars).toBe(288);
    expect(warm.fetchedBars).toBe(1);
    expect(warm.series.bars).toEqual(cold.series.bars);
  });

  it('serves the cache without any request while it is younger than maxCacheAgeMs', async () => {
    const source = fakeSource();
    const { store } = storeWith(source);
    await store.loadSeries('binance', 'BTCUSDT', '5m', DAY_MS);
    source.calls.length = 0;
    source.now += 20_000;
    const fresh = await store.loadSeries('binance', 'BTCUSDT', '5m', DAY_MS, { maxCacheAgeMs: 30_000 });
    expect(source.calls).toHaveLength(0);
    expect(fresh).toMatchObject({ fromCache: true, heldOnly: true, fetchedBars: 0, cachedBars: 289, serverTime: T0 + 20_000, age: 20_000 });
    source.now += 20_000;
    const checked = await store.loadSeries('binance', 'BTCUSDT', '5m', DAY_MS, { maxCacheAgeMs: 30_000 });
    expect(source.calls).toHaveLength(1);
    expect(checked.heldOnly).toBe(false);
    // A longer lookback than held is not served from the cache alone.
    const longer = await store.loadSeries('binance', 'BTCUSDT', '5m', 2 * DAY_MS, { maxCacheAgeMs: 30_000 });
    expect(longer.heldOnly).toBe(false);
    expect(longer.series.bars[0]!.timestamp).toBeLessThanOrEqual(source.now - 2 * DAY_MS + 300_000);
  });

  it('an update fetches only the bars after the newest held one, replacing that bar (it was open)', async () => {
    const source = fakeSource();
    source.now = T0 + 2 * 60_000; // inside the bar opening at T0: it is stored open
    const { store, cache } = storeWith(source);
    await store.loadSeries('binance', 'BTCUSDT', '5m', DAY_MS);
    const openBar = (await cache().read(BTC))!.bars.at(-1)!;
    expect(openBar).toMatchObject({ timestamp: T0, volume: 5 });

    source.calls.length = 0;
    source.now = T0 + HOUR_MS + 60_000;
    const updated = await store.loadSeries('binance', 'BTCUSDT', '5m', DAY_MS);
    expect(source.calls.map((c) => c.since)).toEqual([T0]);
    expect(updated.fetchedBars).toBe(13);
    expect(updated.cachedBars).toBe(288 - 12);
    const bars = updated.series.bars;
    expect(bars[0]!.timestamp).toBe(T0 + HOUR_MS - DAY_MS);
    expect(bars.at(-1)!.timestamp).toBe(T0 + HOUR_MS);
    const replaced = bars.find((b) => b.timestamp === T0)!;
    expect(replaced).toEqual(syntheticBar(T0, MIN5, source.now));
    expect(replaced.volume).toBe(10);
    // Held bars stay as stored (no re-fetch); timestamps contiguous.
    for (let i = 1; i < bars.length; i++) expect(bars[i]!.timestamp - bars[i - 1]!.timestamp).toBe(MIN5);
    expect((await cache().read(BTC))!.entry.lastTimestamp).toBe(T0 + HOUR_MS);
  });

  it('a longer lookback than ever asked fetches the missing older stretch once', async () => {
    const source = fakeSource();
    const { store } = storeWith(source);
    await store.loadSeries('binance', 'BTCUSDT', '5m', DAY_MS);
    source.calls.length = 0;
    const longer = await store.loadSeries('binance', 'BTCUSDT', '5m', 3 * DAY_MS);
    expect(source.calls.map((c) => [c.since, c.until])).toEqual([
      [T0 - 3 * DAY_MS, T0 - DAY_MS - MIN5],
      [T0, undefined],
    ]);
    expect(longer.series.bars).toHaveLength(3 * 288 + 1);
    source.calls.length = 0;
    await store.loadSeries('binance', 'BTCUSDT', '5m', 3 * DAY_MS);
    expect(source.calls.map((c) => c.since)).toEqual([T0]);
  });

  it('exchanges without OI history: the older stretch takes the oldest held open interest (flat)', async () => {
    const source = fakeSource('hyperliquid', { snapshots: true });
    const { store } = storeWith(source);
    const first = await store.loadSeries('hyperliquid', 'BTC', '5m', DAY_MS);
    const longer = await store.loadSeries('hyperliquid', 'BTC', '5m', 2 * DAY_MS);
    const oldest = first.series.bars[0]!;
    const older = longer.series.bars.filter((b) => b.timestamp < oldest.timestamp);
    expect(older).toHaveLength(288);
    for (const b of older) expect(b.openInterestUsd).toBe(oldest.openInterestUsd);
  });

  it('keeps timeframes and markets apart', async () => {
    const source = fakeSource();
    const { store, cache } = storeWith(source);
    await store.loadSeries('binance', 'BTCUSDT', '5m', DAY_MS);
    await store.loadSeries('binance', 'BTCUSDT', '1h', DAY_MS);
    await store.loadSeries('binance', 'ETHUSDT', '15m', DAY_MS);
    const entries = (await cache().entries()).map((e) => [e.key, e.barCount]).sort();
    expect(entries).toEqual([
      ['binance|BTCUSDT|1h', 25],
      ['binance|BTCUSDT|5m', 289],
      ['binance|ETHUSDT|15m', 97],
    ]);
  });
});

describe('series store: the funding interval', () => {
  it('a fetch that tells it: the series carries it, the cache keeps it for held-only and stale loads', async () => {
    const source = fakeSource('okx');
    source.fundingIntervalMs = HOUR_MS;
    const { store, cache } = storeWith(source);
    const key: SeriesKey = { exchange: 'okx', symbol: 'DOGE-USDT-SWAP', timeframe: '5m' };
    const cold = await store.loadSeries('okx', key.symbol, '5m', DAY_MS);
    expect(cold.series.fundingIntervalMs).toBe(HOUR_MS);
    expect((await cache().read(key))!.entry.fundingIntervalMs).toBe(HOUR_MS);
    // Later fetches that tell nothing (a failed funding request) keep the held interval.
    delete source.fundingIntervalMs;
    source.now += MIN5;
    const warm = await store.loadSeries('okx', key.symbol, '5m', DAY_MS);
    expect(warm.fetchedBars).toBeGreaterThan(0);
    expect(warm.series.fundingIntervalMs).toBe(HOUR_MS);
    source.now += 10_000;
    const held = await store.loadSeries('okx', key.symbol, '5m', DAY_MS, { maxCacheAgeMs: 60_000 });
    expect(held.heldOnly).toBe(true);
    expect(held.series.fundingIntervalMs).toBe(HOUR_MS);
    source.failWith = new DataError('exchange', 'okx: candles failed');
    source.now += MIN5;
    const stale = await store.loadSeries('okx', key.symbol, '5m', DAY_MS);
    expect(stale.stale).toBe(true);
    expect(stale.series.fundingIntervalMs).toBe(HOUR_MS);
    // A market whose interval changed: the newest fetch's wins.
    delete source.failWith;
    source.fundingIntervalMs = 4 * HOUR_MS;
    source.now += MIN5;
    expect((await store.loadSeries('okx', key.symbol, '5m', DAY_MS)).series.fundingIntervalMs).toBe(4 * HOUR_MS);
  });

  it('nothing told and nothing held: absent (8-hourly for the engine), except where the exchange documents it', async () => {
    const binance = fakeSource('binance');
    expect((await storeWith(binance).store.loadSeries('binance', 'BTCUSDT', '5m', DAY_MS)).series.fundingIntervalMs).toBeUndefined();
    // Hyperliquid pays funding hourly on every market (its docs): held bars of an entry written before the interval was kept.
    const hyperliquid = fakeSource('hyperliquid');
    const { store, cacheName } = storeWith(hyperliquid);
    await store.loadSeries('hyperliquid', 'BTC', '5m', DAY_MS);
    const db = await openDB(cacheName);
    const entry = (await db.get(STORE_ENTRIES, 'hyperliquid|BTC|5m')) as Record<string, unknown>;
    delete entry['fundingIntervalMs'];
    await db.put(STORE_ENTRIES, entry);
    db.close();
    hyperliquid.now += 10_000;
    const held = await store.loadSeries('hyperliquid', 'BTC', '5m', DAY_MS, { maxCacheAgeMs: 60_000 });
    expect(held.heldOnly).toBe(true);
    expect(held.series.fundingIntervalMs).toBe(HOUR_MS);
  });

  it('a damaged held interval is not passed on to the engine', async () => {
    const source = fakeSource('bybit');
    source.fundingIntervalMs = 4 * HOUR_MS;
    const { store, cacheName } = storeWith(source);
    await store.loadSeries('bybit', 'BTCUSDT', '5m', DAY_MS);
    const db = await openDB(cacheName);
    const entry = (await db.get(STORE_ENTRIES, 'bybit|BTCUSDT|5m')) as Record<string, unknown>;
    await db.put(STORE_ENTRIES, { ...entry, fundingIntervalMs: '4h' });
    db.close();
    source.now += 10_000;
    const held = await store.loadSeries('bybit', 'BTCUSDT', '5m', DAY_MS, { maxCacheAgeMs: 60_000 });
    expect(held.heldOnly).toBe(true);
    expect(held.series.fundingIntervalMs).toBeUndefined();
    expect(() => validateSeries(held.series)).not.toThrow();
  });
});

describe('series store: failures', () => {
  it('a failed update serves the held bars as stale; a failed cold load throws', async () => {
    const source = fakeSource();
    const { store } = storeWith(source);
    await store.loadSeries('binance', 'BTCUSDT', '5m', DAY_MS);
    source.failWith = new DataError('exchange', 'binance BTCUSDT: candles failed (RateLimitExceeded)');
    source.now += 10 * MIN5;
    const stale = await store.loadSeries('binance', 'BTCUSDT', '5m', DAY_MS);
    expect(stale).toMatchObject({ stale: true, fetchedBars: 0, fromCache: true, newestTimestamp: T0, age: 10 * MIN5 });
    expect(stale.notes.join(' ')).toMatch(/update failed.*RateLimitExceeded/);
    await expect(store.loadSeries('binance', 'ETHUSDT', '5m', DAY_MS)).rejects.toThrow(/RateLimitExceeded/);
  });

  it('bad bars from the exchange never replace held good bars', async () => {
    const source = fakeSource();
    const { store, cache } = storeWith(source);
    const good = await store.loadSeries('binance', 'BTCUSDT', '5m', DAY_MS);
    const before = await cache().read(BTC);
    source.badBar = true;
    source.now += 3 * MIN5;
    const result = await store.loadSeries('binance', 'BTCUSDT', '5m', DAY_MS);
    expect(result.stale).toBe(true);
    expect(result.notes.join(' ')).toMatch(/rejected.*high .* is below low/);
    // The held bars, in the window that moved on by three bars (nothing new was added).
    expect(result.series.bars).toEqual(good.series.bars.slice(3));
    expect(result).toMatchObject({ fetchedBars: 0, newestTimestamp: T0, age: 3 * MIN5 });
    const after = await cache().read(BTC);
    expect(after!.bars).toEqual(before!.bars);
    expect(after!.entry.lastTimestamp).toBe(T0);
  });

  it('an abort rejects with the reason and writes nothing', async () => {
    const source = fakeSource();
    const { store, cache } = storeWith(source);
    const controller = new AbortController();
    controller.abort(new Error('tab closed'));
    await expect(store.loadSeries('binance', 'BTCUSDT', '5m', DAY_MS, { signal: controller.signal })).rejects.toThrow('tab closed');
    const late = new AbortController();
    const original = source.fetchSeries;
    source.fetchSeries = async (request) => {
      late.abort(new Error('user left'));
      return original(request);
    };
    await expect(store.loadSeries('binance', 'BTCUSDT', '5m', DAY_MS, { signal: late.signal })).rejects.toThrow('user left');
    expect(await cache().entries()).toEqual([]);
  });

  it('works without a cache (IndexedDB unavailable), saying so', async () => {
    const source = fakeSource();
    const store = createSeriesStore({ openCache: () => Promise.reject(new Error('no IndexedDB')), source: async () => source });
    const first = await store.loadSeries('binance', 'BTCUSDT', '5m', DAY_MS);
    const second = await store.loadSeries('binance', 'BTCUSDT', '5m', DAY_MS);
    expect(first.series.bars).toHaveLength(289);
    expect(second.fromCache).toBe(false);
    expect(second.notes.join(' ')).toMatch(/cache is unavailable/);
  });
});

describe('series cache: validation, atomic writes, eviction', () => {
  const bars = (n: number, from = T0, seed = 0): Bar[] => Array.from({ length: n }, (_, i) => syntheticBar(from + i * MIN5, MIN5, Infinity, seed));

  it('rejects a series the engine would reject and keeps the old record', async () => {
    const cache = await openSeriesCache({ name: uniqueName() });
    await cache.merge(BTC, { bars: bars(10), serverTime: T0 });
    const before = await cache.read(BTC);
    const broken = bars(3, T0 + 10 * MIN5).map((b, i) => (i === 1 ? { ...b, close: Number.NaN } : b));
    const error = await cache.merge(BTC, { bars: broken, serverTime: T0 + 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect(error).toMatchObject({ code: 'bad-data' });
    expect((error as Error).message).toMatch(/close must be a finite price/);
    const noOi = bars(2, T0 + 10 * MIN5).map(({ openInterestUsd: _oi, ...rest }) => rest);
    await expect(cache.merge(BTC, { bars: noOi, serverTime: T0 + 1 })).rejects.toThrow(/open interest is missing/);
    const after = await cache.read(BTC);
    expect(after!.bars).toEqual(before!.bars);
    expect(after!.entry).toMatchObject({ barCount: 10, serverTime: T0 });
    cache.close();
  });

  it('a write that fails in the database leaves the old record (one transaction)', async () => {
    const cache = await openSeriesCache({ name: uniqueName() });
    await cache.merge(BTC, { bars: bars(5), serverTime: T0 });
    // Valid for the engine but not storable (a function cannot be cloned): the put throws.
    const unstorable = bars(2, T0 + 5 * MIN5).map((b) => ({ ...b, extra: () => 1 }) as Bar);
    await expect(cache.merge(BTC, { bars: unstorable, serverTime: T0 + 1 })).rejects.toThrow();
    const after = await cache.read(BTC);
    expect(after!.bars).toEqual(bars(5));
    expect(after!.entry).toMatchObject({ barCount: 5, lastTimestamp: T0 + 4 * MIN5, serverTime: T0 });
    cache.close();
  });

  it('merges by time: a newer bar replaces the held one with the same time', async () => {
    const cache = await openSeriesCache({ name: uniqueName() });
    await cache.merge(BTC, { bars: bars(5), serverTime: T0 });
    const replacement = { ...bars(1, T0 + 4 * MIN5)[0]!, volume: 99 };
    const written = await cache.merge(BTC, { bars: [replacement, ...bars(2, T0 + 5 * MIN5)], serverTime: T0 + 1, retainFrom: T0 + MIN5 });
    expect(written.bars.map((b) => b.timestamp)).toEqual([1, 2, 3, 4, 5, 6].map((i) => T0 + i * MIN5));
    expect(written.bars.find((b) => b.timestamp === T0 + 4 * MIN5)!.volume).toBe(99);
    cache.close();
  });

  it('evicts whole markets, least recently used first, over the size cap', async () => {
    let clock = 1_000;
    const cache = await openSeriesCache({ name: uniqueName(), maxBars: 100, now: () => clock });
    const key = (symbol: string, timeframe: SeriesKey['timeframe'] = '5m'): SeriesKey => ({ exchange: 'bybit', symbol, timeframe });
    await cache.merge(key('AUSDT'), { bars: bars(30), serverTime: T0 });
    clock += 1;
    await cache.merge(key('BUSDT'), { bars: bars(20), serverTime: T0 });
    clock += 1;
    await cache.merge(key('BUSDT', '15m'), { bars: bars(20).map((b, i) => ({ ...b, timestamp: T0 + i * 900_000 })), serverTime: T0 });
    clock += 1;
    await cache.merge(key('CUSDT'), { bars: bars(20), serverTime: T0 });
    clock += 1;
    expect(await cache.totalBars()).toBe(90);
    // Reading A makes B the least recently used market.
    expect(await cache.read(key('AUSDT'))).toBeDefined();
    clock += 1;
    await cache.merge(key('DUSDT'), { bars: bars(30), serverTime: T0 });
    const held = (await cache.entries()).map((e) => e.key).sort();
    // B goes with both its timeframes; A (read recently), C and D stay.
    expect(held).toEqual(['bybit|AUSDT|5m', 'bybit|CUSDT|5m', 'bybit|DUSDT|5m']);
    expect(await cache.totalBars()).toBe(80);
    expect(await cache.read(key('BUSDT', '15m'))).toBeUndefined();
    cache.close();
  });

  it('never evicts the market just written, even alone over the cap', async () => {
    const cache = await openSeriesCache({ name: uniqueName(), maxBars: 10 });
    await cache.merge(BTC, { bars: bars(25), serverTime: T0 });
    expect((await cache.read(BTC))!.bars).toHaveLength(25);
    cache.close();
  });
});

describe('series cache: schema versions and migrations', () => {
  it('the shipped schema is version 1 with the entries and bars stores', async () => {
    expect(DB_VERSION).toBe(1);
    expect(MIGRATIONS).toHaveLength(DB_VERSION);
    const name = uniqueName();
    (await openSeriesCache({ name })).close();
    const raw = await openDB(name);
    expect(raw.version).toBe(1);
    expect([...raw.objectStoreNames].sort()).toEqual([STORE_BARS, STORE_ENTRIES]);
    expect([...raw.transaction(STORE_ENTRIES).store.indexNames].sort()).toEqual(['accessedAt', 'market']);
    raw.close();
  });

  /** A possible version 2: an index on the newest bar's time, and every entry rewritten with a field. */
  const toV2: Migration = async (_db, transaction) => {
    const entries = transaction.objectStore(STORE_ENTRIES);
    entries.createIndex('lastTimestamp', 'lastTimestamp');
    let cursor = await entries.openCursor();
    while (cursor) {
      await cursor.update({ ...(cursor.value as object), migratedTo: 2 });
      cursor = await cursor.continue();
    }
  };

  it('upgrades a version-1 database to version 2, keeping every series', async () => {
    const name = uniqueName();
    const v1 = await openSeriesCache({ name });
    const held = Array.from({ length: 12 }, (_, i) => syntheticBar(T0 + i * MIN5, MIN5, Infinity));
    await v1.merge(BTC, { bars: held, serverTime: T0 });
    await v1.merge({ ...BTC, symbol: 'ETHUSDT' }, { bars: held, serverTime: T0 });
    v1.close();

    const v2 = await openSeriesCache({ name, version: 2, migrations: [...MIGRATIONS, toV2] });
    expect((await v2.read(BTC))!.bars).toEqual(held);
    expect((await v2.entries()).map((e) => (e as unknown as { migratedTo?: number }).migratedTo)).toEqual([2, 2]);
    // The upgraded database keeps working: merge and read.
    await v2.merge(BTC, { bars: [syntheticBar(T0 + 12 * MIN5, MIN5, Infinity)], serverTime: T0 + 1 });
    expect((await v2.read(BTC))!.entry.barCount).toBe(13);
    v2.close();
    const raw = await openDB(name);
    expect(raw.version).toBe(2);
    expect([...raw.transaction(STORE_ENTRIES).store.indexNames]).toContain('lastTimestamp');
    raw.close();
  });

  it('upgrades from nothing through every step to the newest version', async () => {
    const name = uniqueName();
    const v2 = await openSeriesCache({ name, version: 2, migrations: [...MIGRATIONS, toV2] });
    await v2.merge(BTC, { bars: [syntheticBar(T0, MIN5, Infinity)], serverTime: T0 });
    expect((await v2.entries())[0]).toMatchObject({ key: 'binance|BTCUSDT|5m' });
    v2.close();
  });

  it('a failing migration leaves the database at its old version with its data', async () => {
    const name = uniqueName();
    const v1 = await openSeriesCache({ name });
    await v1.merge(BTC, { bars: [syntheticBar(T0, MIN5, Infinity)], serverTime: T0 });
    v1.close();
    const broken: Migration = () => {
      throw new Error('migration bug');
    };
    await expect(openSeriesCache({ name, version: 2, migrations: [...MIGRATIONS, broken] })).rejects.toThrow();
    const again = await openSeriesCache({ name });
    expect((await again.read(BTC))!.bars).toHaveLength(1);
    again.close();
    const raw = await openDB(name);
    expect(raw.version).toBe(1);
    raw.close();
  });

  it('refuses a version it has no migration for', async () => {
    await expect(openSeriesCache({ name: uniqueName(), version: 3 })).rejects.toThrow(/no migration to schema version 3/);
  });
});
