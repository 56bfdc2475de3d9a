/**
 * Injected exchange faults against the real ccxt Binance module and the replay server: each fault
 * has its own test, with the requests counted and the pauses measured on a virtual clock (the
 * retry policy's clock, pause and random source are injected; ccxt's own request timeout and
 * throttle run in real time). After a failed update the held bars are served as stale with their
 * age, and the cache keeps them unchanged.
 */
import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDB } from 'idb';
import { MIGRATIONS, openSeriesCache, STORE_BARS } from '../src/data/cache';
import { createBinanceSource } from '../src/data/exchanges/binance';
import { DataError, type ExchangeSource } from '../src/data/exchanges/source';
import { annotateHttpFailure, createExchangeGuard, parseRetryAfter, type RetryOptions } from '../src/data/retry';
import { createSeriesStore, type LoadedSeries } from '../src/data/series-store';
import { defaultDataDir, type FaultSpec, type ReplayServer, startReplayServer } from '../test-support/replay-server/index';
import { failureKind, storageNotice } from '../src/ui/panel/status';
import { createEstimateService } from '../src/worker/service';
import { inProcessHost } from './support/in-process-host';
import { pointAtReplay, type ReplayTarget } from './support/replay-ccxt';

const MIN5 = 300_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const API = 'fapi.binance.com';
const KLINES = '/fapi/v1/klines';

let server: ReplayServer;
let END: number;
let dbCounter = 0;

beforeAll(async () => {
  server = await startReplayServer({ port: 0, dataDir: defaultDataDir() });
  END = server.now();
});

afterAll(async () => {
  await server?.stop();
});

afterEach(() => {
  server.clearFaults();
  server.setNow(END);
});

/** The policy's time: `sleep` moves it forward at once and records the pause. */
interface VirtualClock {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly sleeps: number[];
  set(ms: number): void;
  advance(ms: number): void;
}

function virtualClock(start: number, random: () => number = () => 0.5): VirtualClock {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
    random,
    sleeps,
    set: (ms) => {
      t = ms;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

interface Sent {
  readonly path: string;
  /** Virtual time when the request went out. */
  readonly at: number;
}

/** A Binance source on the replay server whose requests are logged with their virtual send time. */
function faultSource(clock: VirtualClock, retry: RetryOptions = {}): { source: ExchangeSource; sent: Sent[] } {
  const sent: Sent[] = [];
  const source = createBinanceSource({
    retry: { now: clock.now, sleep: clock.sleep, random: clock.random, ...retry },
    configure: (exchange) => {
      pointAtReplay(exchange as unknown as ReplayTarget, server);
      // ccxt's own per-request timeout (real time): short, so a hanging answer fails fast here.
      (exchange as unknown as { timeout: number }).timeout = 400;
      const target = exchange as unknown as { fetchImplementation: (url: string, init: unknown) => Promise<Response> };
      const send = target.fetchImplementation;
      target.fetchImplementation = (url, init) => {
        sent.push({ path: new URL(url).pathname, at: clock.now() });
        return send(url, init);
      };
    },
  });
  return { source, sent };
}

const klines = (sent: readonly Sent[]) => sent.filter((s) => s.path === KLINES);

interface Warm {
  readonly clock: VirtualClock;
  /** The cache database's name. */
  readonly name: string;
  readonly sent: Sent[];
  readonly load: () => Promise<LoadedSeries>;
  /** What the cache holds now. */
  readonly held: () => Promise<readonly unknown[] | undefined>;
  readonly first: LoadedSeries;
}

/**
 * A store that loaded a day of 5m bars an hour before the end of the recording (so its newest
 * bar is settled and published), with both clocks then moved to the end.
 */
async function warmStore(retry: RetryOptions = {}): Promise<Warm> {
  const clock = virtualClock(END - HOUR);
  const { source, sent } = faultSource(clock, retry);
  const name = `faults-${++dbCounter}`;
  const store = createSeriesStore({ openCache: () => openSeriesCache({ name, now: clock.now }), source: async () => source, now: clock.now });
  server.setNow(END - HOUR);
  const first = await store.loadSeries('binance', 'BTCUSDT', '5m', DAY);
  expect(first.stale).toBe(false);
  server.setNow(END);
  clock.set(END);
  sent.length = 0;
  clock.sleeps.length = 0;
  const held = async () => {
    const cache = await openSeriesCache({ name });
    try {
      return (await cache.read({ exchange: 'binance', symbol: 'BTCUSDT', timeframe: '5m' }))?.bars;
    } finally {
      cache.close();
    }
  };
  return { clock, sent, name, load: () => store.loadSeries('binance', 'BTCUSDT', '5m', DAY), held, first };
}

/** The held bars served unchanged, marked stale, with their age on the exchange's clock. */
async function expectStaleAndKept(warm: Warm, result: LoadedSeries, reason: RegExp): Promise<void> {
  expect(result.stale).toBe(true);
  expect(result.fetchedBars).toBe(0);
  // The held bars inside the day before the exchange's clock.
  expect(result.series.bars).toEqual(warm.first.series.bars.filter((b) => b.timestamp >= END - DAY));
  expect(result.newestTimestamp).toBe(END - HOUR - MIN5);
  expect(result.age).toBe(HOUR + MIN5);
  const note = result.notes.find((n) => n.startsWith('update failed'));
  expect(note).toMatch(/the newest is 1 h 5 min old/);
  expect(note).toMatch(reason);
  expect(await warm.held()).toEqual(warm.first.series.bars);
}

function inject(spec: FaultSpec): void {
  server.injectFault({ host: API, ...spec });
}

describe('exchange faults: rate limit (429)', () => {
  it('waits what Retry-After says, then asks once more and succeeds', async () => {
    const warm = await warmStore();
    inject({ kind: 'rate-limit', path: KLINES, retryAfter: 3 });
    const result = await warm.load();
    expect(result.stale).toBe(false);
    expect(result.newestTimestamp).toBe(END - MIN5);
    const calls = klines(warm.sent);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(3_000);
    expect(warm.clock.sleeps).toContain(3_000);
    expect(server.requests.filter((r) => r.path === KLINES && r.status === 429)).toHaveLength(1);
  });

  it('a Retry-After beyond the cap is not waited inside the request: stale now, no request until it ends', async () => {
    const warm = await warmStore({ maxRetryAfterMs: 30_000 });
    inject({ kind: 'rate-limit', path: KLINES, retryAfter: 600, count: 'always' });
    const result = await warm.load();
    await expectStaleAndKept(warm, result, /asked to wait 10 min/);
    expect(klines(warm.sent)).toHaveLength(1);
    expect(warm.clock.sleeps.every((ms) => ms <= 30_000)).toBe(true);
    // Within the pause: nothing at all goes to the exchange.
    warm.sent.length = 0;
    warm.clock.advance(5 * 60_000);
    expect((await warm.load()).stale).toBe(true);
    expect(warm.sent).toHaveLength(0);
    // After it: asked again.
    server.clearFaults();
    warm.clock.advance(5 * 60_000 + 1_000);
    const later = await warm.load();
    expect(later.stale).toBe(false);
    expect(klines(warm.sent)).toHaveLength(1);
  });

  it('gives up after a few 429s without Retry-After honoured in between (no storm)', async () => {
    const warm = await warmStore({ rateLimitRetries: 2 });
    inject({ kind: 'rate-limit', path: KLINES, retryAfter: 2, count: 'always' });
    const result = await warm.load();
    await expectStaleAndKept(warm, result, /limiting requests/);
    const calls = klines(warm.sent);
    expect(calls).toHaveLength(3);
    for (let i = 1; i < calls.length; i++) expect(calls[i]!.at - calls[i - 1]!.at).toBeGreaterThanOrEqual(2_000);
  });
});

describe('exchange faults: IP ban (418)', () => {
  it('stops asking at the first 418 and refuses every call until the ban ends', async () => {
    const warm = await warmStore();
    inject({ kind: 'ip-ban', path: '*', retryAfter: 120, count: 'always' });
    const result = await warm.load();
    await expectStaleAndKept(warm, result, /blocked requests from this address/);
    // The server-time call met the ban; no series call went out after it.
    expect(warm.sent).toHaveLength(1);
    expect(server.requests.filter((r) => r.status === 418)).toHaveLength(1);

    // Ten more loads during the ban: no request at all.
    warm.sent.length = 0;
    for (let i = 0; i < 10; i++) {
      warm.clock.advance(10_000);
      expect((await warm.load()).stale).toBe(true);
    }
    expect(warm.sent).toHaveLength(0);
    expect(warm.clock.sleeps).toEqual([]);

    // The ban is over (and lifted on the server): loads work again.
    server.clearFaults();
    warm.clock.advance(21_000);
    const after = await warm.load();
    expect(after.stale).toBe(false);
    expect(after.newestTimestamp).toBe(END - MIN5);
  });

  it('a ban met by one series stops the others: at most the requests already in flight go out', async () => {
    const warm = await warmStore();
    inject({ kind: 'ip-ban', path: KLINES, retryAfter: 300, count: 'always' });
    const result = await warm.load();
    expect(result.stale).toBe(true);
    expect(klines(warm.sent)).toHaveLength(1);
    // server time, then at most the four series of one update in parallel.
    expect(warm.sent.length).toBeLessThanOrEqual(5);
    warm.sent.length = 0;
    await warm.load();
    expect(warm.sent).toHaveLength(0);
  });

  it('without Retry-After the ban lasts the long default', async () => {
    const clock = virtualClock(END);
    const guard = createExchangeGuard('binance', { now: clock.now, sleep: clock.sleep, random: clock.random });
    const error = Object.assign(new Error('binance 418'), { name: 'DDoSProtection' });
    annotateHttpFailure(error, { status: 418 });
    await expect(guard.run(() => Promise.reject(error))).rejects.toMatchObject({ code: 'banned' });
    expect(guard.closedUntil()).toBe(END + 5 * 60_000);
    let called = 0;
    await expect(guard.run(async () => ++called)).rejects.toMatchObject({ code: 'banned', retryAt: END + 5 * 60_000 });
    expect(called).toBe(0);
  });
});

describe('exchange faults: 5xx', () => {
  it('retries with capped exponential backoff and full jitter, then succeeds', async () => {
    const warm = await warmStore();
    inject({ kind: 'server-error', path: KLINES, status: 503, count: 2 });
    const result = await warm.load();
    expect(result.stale).toBe(false);
    const calls = klines(warm.sent);
    expect(calls).toHaveLength(3);
    // random() = 0.5: half of 500 ms, then half of 1,000 ms.
    expect(calls[1]!.at - calls[0]!.at).toBe(250);
    expect(calls[2]!.at - calls[1]!.at).toBe(500);
  });

  it('a gateway error page (502, HTML) that does not go away: a bounded number of tries, then stale', async () => {
    const warm = await warmStore({ maxAttempts: 4 });
    inject({ kind: 'server-error', path: KLINES, status: 502, count: 'always' });
    const result = await warm.load();
    await expectStaleAndKept(warm, result, /binance is unavailable \(4 tries\)/);
    expect(klines(warm.sent)).toHaveLength(4);
  });

  it('the backoff ceiling doubles up to its cap, and the jitter spreads pauses over [0, ceiling)', async () => {
    const run = async (random: () => number): Promise<number[]> => {
      const clock = virtualClock(0, random);
      const guard = createExchangeGuard('x', { now: clock.now, sleep: clock.sleep, random, maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 8_000 });
      const failure = Object.assign(new Error('503'), { name: 'ExchangeNotAvailable' });
      await expect(guard.run(() => Promise.reject(failure))).rejects.toMatchObject({ code: 'unavailable' });
      return clock.sleeps;
    };
    expect(await run(() => 0.999_999)).toEqual([499, 999, 1_999, 3_999, 7_999, 7_999, 7_999]);
    expect(await run(() => 0)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    let seed = 7;
    const lcg = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const spread = await run(lcg);
    expect(new Set(spread).size).toBeGreaterThan(4);
    spread.forEach((ms, i) => expect(ms).toBeLessThan(Math.min(8_000, 500 * 2 ** i)));
  });
});

describe('exchange faults: what the message says', () => {
  it('an HTML error page in ccxt\'s message is left out; the request line stays', async () => {
    const clock = virtualClock(0, () => 0);
    const guard = createExchangeGuard('okx', { now: clock.now, sleep: clock.sleep, random: () => 0, maxAttempts: 2 });
    const page = Object.assign(
      new Error('okx GET https://www.okx.com/api/v5/public/instruments?instType=SWAP 502 Bad Gateway <!doctype html><html><title>502 Bad Gateway</title><h1>502</h1></html>'),
      { name: 'ExchangeNotAvailable' },
    );
    const error = await guard.run(() => Promise.reject(page)).catch((e: unknown) => e as Error);
    expect(error.message).toBe('okx is unavailable (2 tries): okx GET https://www.okx.com/api/v5/public/instruments?instType=SWAP 502 Bad Gateway');
    const only = Object.assign(new Error('<!DOCTYPE html><html><body>maintenance</body></html>'), { name: 'OnMaintenance' });
    const bare = await createExchangeGuard('okx', { now: clock.now, sleep: clock.sleep, random: () => 0, maxAttempts: 1 })
      .run(() => Promise.reject(only))
      .catch((e: unknown) => e as Error);
    expect(bare.message).toBe('okx is unavailable (1 tries): the answer was a web page, not data');
  });
});

describe('exchange faults: timeouts and dropped connections', () => {
  it('a request that never gets an answer times out and is tried again', async () => {
    const warm = await warmStore();
    inject({ kind: 'timeout', path: KLINES });
    const result = await warm.load();
    expect(result.stale).toBe(false);
    const calls = klines(warm.sent);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBe(250);
  });

  it('an endpoint that keeps hanging: a bounded number of tries, then stale with a timeout', async () => {
    const warm = await warmStore({ maxAttempts: 3 });
    inject({ kind: 'timeout', path: KLINES, count: 'always' });
    const result = await warm.load();
    await expectStaleAndKept(warm, result, /did not answer in time \(3 tries\)/);
    expect(klines(warm.sent)).toHaveLength(3);
  });

  it('a connection reset is tried again', async () => {
    const warm = await warmStore();
    inject({ kind: 'connection-reset', path: KLINES });
    const result = await warm.load();
    expect(result.stale).toBe(false);
    expect(klines(warm.sent)).toHaveLength(2);
  });
});

describe('exchange faults: malformed and empty answers', () => {
  it('a cut JSON answer is rejected at once (no retry) and the held bars stay', async () => {
    const warm = await warmStore();
    inject({ kind: 'malformed-json', path: KLINES, count: 'always' });
    const result = await warm.load();
    await expectStaleAndKept(warm, result, /answer that could not be read/);
    expect(klines(warm.sent)).toHaveLength(1);
    expect(warm.clock.sleeps).toEqual([]);
  });

  it('an empty list where bars are known to exist is rejected and the held bars stay', async () => {
    const warm = await warmStore();
    inject({ kind: 'empty-array', path: KLINES, count: 'always' });
    const result = await warm.load();
    await expectStaleAndKept(warm, result, /no candles from .* where bars are known to exist/);
    expect(klines(warm.sent)).toHaveLength(1);
  });

  it('an empty list on a cold load is a clear no-data error and stores nothing', async () => {
    const clock = virtualClock(END);
    const { source, sent } = faultSource(clock);
    const name = `faults-${++dbCounter}`;
    const store = createSeriesStore({ openCache: () => openSeriesCache({ name, now: clock.now }), source: async () => source, now: clock.now });
    inject({ kind: 'empty-array', path: KLINES, count: 'always' });
    const failure = await store.loadSeries('binance', 'BTCUSDT', '5m', DAY).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DataError);
    expect(failure).toMatchObject({ code: 'no-data' });
    expect((failure as Error).message).toMatch(/binance BTCUSDT: the exchange sent no 5m bars/);
    expect(klines(sent)).toHaveLength(1);
    const cache = await openSeriesCache({ name });
    expect(await cache.entries()).toEqual([]);
    cache.close();
  });

  it('an open-interest answer that is cut keeps the held bars too', async () => {
    const warm = await warmStore();
    inject({ kind: 'malformed-json', path: '/futures/data/openInterestHist', count: 'always' });
    const result = await warm.load();
    await expectStaleAndKept(warm, result, /open interest failed|could not be read/);
    expect(warm.sent.filter((s) => s.path === '/futures/data/openInterestHist')).toHaveLength(1);
  });
});

describe('exchange faults: the market list', () => {
  it('a failed market list is asked again on the next load (ccxt alone would keep the failure)', async () => {
    const clock = virtualClock(END);
    const { source, sent } = faultSource(clock, { maxAttempts: 2 });
    inject({ kind: 'server-error', path: '/fapi/v1/exchangeInfo', count: 2 });
    await expect(source.fetchSeries({ symbol: 'BTCUSDT', timeframe: '5m', since: END - HOUR })).rejects.toMatchObject({ code: 'unavailable' });
    expect(sent.filter((s) => s.path === '/fapi/v1/exchangeInfo')).toHaveLength(2);
    const series = await source.fetchSeries({ symbol: 'BTCUSDT', timeframe: '5m', since: END - HOUR });
    expect(series.bars.length).toBeGreaterThan(10);
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', 0)).toBe(3_000);
    expect(parseRetryAfter(' 120 ', 0)).toBe(120_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.UTC(2015, 9, 21, 7, 27, 0))).toBe(60_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
  });
});

/** Makes every IndexedDB put fail the way a full disk does, until the returned function is called. */
function failPuts(): () => void {
  const proto = IDBObjectStore.prototype;
  const original = proto.put;
  proto.put = function put() {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };
  return () => {
    proto.put = original;
  };
}

describe('IndexedDB failures: network-only with a notice', () => {
  it('quota exceeded: the new bars are used but not cached, the held record stays, the estimate carries the notice', async () => {
    const warm = await warmStore();
    const restore = failPuts();
    try {
      const result = await warm.load();
      expect(result.stale).toBe(false);
      expect(result.newestTimestamp).toBe(END - MIN5);
      expect(result.notes.join(' ')).toMatch(/could not be cached \(the browser's storage for the extension is full/);
      // The panel shows it as a notice of its own.
      expect(storageNotice(result.notes)).toMatch(/storage for the extension is full/);
    } finally {
      restore();
    }
    expect(await warm.held()).toEqual(warm.first.series.bars);

    // Through the background's service: the estimate view carries the notice for the panel.
    const clock = virtualClock(END);
    const { source } = faultSource(clock);
    const store = createSeriesStore({ openCache: () => openSeriesCache({ name: `faults-${++dbCounter}`, now: clock.now }), source: async () => source, now: clock.now });
    const service = createEstimateService({ loadSeries: (...args) => store.loadSeries(...args), host: inProcessHost(), version: 'test' });
    const undo = failPuts();
    try {
      const view = await service.getEstimate({ exchange: 'binance', symbol: 'BTCUSDT', lookback: '12h' });
      expect(view.pools.length).toBeGreaterThan(0);
      expect(view.notes?.join(' ')).toMatch(/storage for the extension is full/);
    } finally {
      undo();
    }
  });

  it('a blocked upgrade: the cache open gives up, loads run network-only with a notice, the cache is tried again later', async () => {
    const name = `faults-${++dbCounter}`;
    // An older copy of the extension holds version 1 open and ignores the request to close.
    const stubborn = await openDB(name, 1, { upgrade: (db, _old, _new, tx) => void MIGRATIONS[0]!(db, tx as never) });
    const clock = virtualClock(END);
    const { source, sent } = faultSource(clock);
    const noop = () => undefined;
    const store = createSeriesStore({
      openCache: () => openSeriesCache({ name, version: 2, migrations: [...MIGRATIONS, noop], blockedTimeoutMs: 100, now: clock.now }),
      source: async () => source,
      now: clock.now,
    });
    const first = await store.loadSeries('binance', 'BTCUSDT', '5m', DAY);
    expect(first.stale).toBe(false);
    expect(first.fromCache).toBe(false);
    expect(storageNotice(first.notes)).toMatch(/cache is unavailable/);
    expect(first.notes.join(' ')).toMatch(/cache is unavailable \(its upgrade is blocked by an older copy of the extension.*fetches everything from the exchange/);
    // Still blocked a moment later: no new open attempt yet, the whole day is fetched again.
    sent.length = 0;
    const second = await store.loadSeries('binance', 'BTCUSDT', '5m', DAY);
    expect(second.fromCache).toBe(false);
    expect(klines(sent)).toHaveLength(1);

    // The old copy goes away; a minute later the cache opens (upgraded) and holds the series.
    stubborn.close();
    clock.advance(61_000);
    const third = await store.loadSeries('binance', 'BTCUSDT', '5m', DAY);
    expect(third.notes.join(' ')).not.toMatch(/cache is unavailable/);
    const fourth = await store.loadSeries('binance', 'BTCUSDT', '5m', DAY);
    expect(fourth.fromCache).toBe(true);
    const db = await openDB(name);
    expect(db.version).toBe(2);
    db.close();
  });

  it('a corrupted record is dropped and fetched again, with a notice; it never blocks later updates', async () => {
    const warm = await warmStore();
    const db = await openDB(warm.name);
    const key = 'binance|BTCUSDT|5m';
    const record = (await db.get(STORE_BARS, key)) as { key: string; bars: Record<string, unknown>[] };
    record.bars[5] = { ...record.bars[5], high: 'NaN', timestamp: record.bars[4]!['timestamp'] };
    await db.put(STORE_BARS, record);
    db.close();

    const result = await warm.load();
    expect(result.stale).toBe(false);
    expect(result.fromCache).toBe(false);
    expect(storageNotice(result.notes)).toMatch(/damaged/);
    expect(result.notes.join(' ')).toMatch(/cached series could not be read \(the cached BTCUSDT 5m series was damaged .* it was dropped and is fetched again/);
    // The whole day was fetched again and stored clean.
    expect(result.series.bars[0]!.timestamp).toBe(END - DAY);
    const held = (await warm.held()) as { timestamp: number; high: number }[];
    expect(held.every((b) => typeof b.high === 'number')).toBe(true);
    expect(held.at(-1)!.timestamp).toBe(END - MIN5);
    const next = await warm.load();
    expect(next.fromCache).toBe(true);
    expect(next.notes.join(' ')).not.toMatch(/damaged/);
  });
});

describe('fault messages as the panel reads them', () => {
  it('every way the exchange cannot be asked reads as "could not be reached", not as an unknown failure', async () => {
    const messages: string[] = [];
    const clock = virtualClock(END);
    const fail = async (name: string, status?: number, retryAfterMs?: number) => {
      const guard = createExchangeGuard('binance', { now: clock.now, sleep: clock.sleep, random: clock.random, maxAttempts: 2, rateLimitRetries: 0 });
      const error = Object.assign(new Error(`binance ${name}`), { name });
      if (status !== undefined) annotateHttpFailure(error, retryAfterMs !== undefined ? { status, retryAfterMs } : { status });
      const failure = await guard.run(() => Promise.reject(error)).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(DataError);
      messages.push((failure as Error).message);
      // A second call meets the circuit (ban, long pause) or the same failure.
      messages.push(((await guard.run(() => Promise.reject(error)).catch((e: unknown) => e)) as Error).message);
    };
    await fail('DDoSProtection', 418, 120_000);
    await fail('RateLimitExceeded', 429, 1_000);
    await fail('RateLimitExceeded', 429, 600_000);
    await fail('ExchangeNotAvailable', 503);
    await fail('RequestTimeout');
    await fail('NetworkError');
    for (const message of messages) expect(failureKind(message), message).toBe('offline');
  });
});
