/**
 * The replay server answers like Binance USDT-M from the recorded data: shapes, paging, limits,
 * errors, faults, the request log, host routing, the liquidation websocket, and ccxt end to end.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binanceusdm, pro } from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { pointAtReplay, type ReplayTarget } from './support/replay-ccxt';
import { defaultDataDir, type ReplayServer, startReplayServer } from '../test-support/replay-server/index';

const DATA = defaultDataDir();
const FAPI = 'fapi.binance.com';
const FSTREAM = 'fstream.binance.com';
const MIN5 = 300_000;
const DAY = 86_400_000;

let server: ReplayServer;
let pagesDir: string;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(host: string, path: string, opts: { method?: string; body?: string; timeoutMs?: number } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const known = server.hosts.includes(host);
    const req = https.request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: opts.method ?? 'GET',
        headers: { host },
        servername: known ? host : 'localhost',
        ca: server.certPem,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    if (opts.timeoutMs !== undefined) req.setTimeout(opts.timeoutMs, () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end(opts.body);
  });
}

async function getJson<T = unknown>(path: string, host = FAPI): Promise<{ status: number; body: T; headers: Reply['headers'] }> {
  const r = await get(host, path);
  return { status: r.status, headers: r.headers, body: JSON.parse(r.body) as T };
}

/** Same keys (recursively) and same value types as the documented example. Arrays: first items. */
function expectSameShape(actual: unknown, expected: unknown, where = '$'): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${where} should be an array`).toBe(true);
    const a = actual as unknown[];
    if (expected.length > 0 && a.length > 0) expectSameShape(a[0], expected[0], `${where}[0]`);
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    expect(actual !== null && typeof actual === 'object' && !Array.isArray(actual), `${where} should be an object`).toBe(true);
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    expect(Object.keys(a).sort(), `${where} keys`).toEqual(Object.keys(e).sort());
    for (const key of Object.keys(e)) expectSameShape(a[key], e[key], `${where}.${key}`);
    return;
  }
  expect(typeof actual, `${where} type`).toBe(typeof expected);
}

const shape = (name: string): unknown => JSON.parse(readFileSync(join(DATA, 'binance-fapi-shapes', `http_futures_market_${name}.json`), 'utf8'));

interface CsvBar {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  oi: number;
  cvd: number;
}

/** The recorded 5m file, read independently of the server's loader. */
function readCsv5m(): CsvBar[] {
  const lines = readFileSync(join(DATA, 'binance-btcusdt-5m-ohlc-oi-funding-cvd.csv'), 'utf8').trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  const at = (name: string) => header.indexOf(name);
  return lines.slice(1).map((line) => {
    const c = line.split(',');
    return {
      ts: Number(c[at('timestamp')]),
      open: Number(c[at('price_open')]),
      high: Number(c[at('price_high')]),
      low: Number(c[at('price_low')]),
      close: Number(c[at('price_close')]),
      oi: Number(c[at('oi_close')]),
      cvd: Number(c[at('cvd_close')]),
    };
  });
}

interface CsvEvent {
  time: number;
  symbol: string;
  side: string;
  price: number;
  qty: number;
}

function readForceOrders(): CsvEvent[] {
  const lines = readFileSync(join(DATA, 'binance-forceorder-events-2026-01-06.csv'), 'utf8').trim().split(/\r?\n/);
  return lines.slice(1).map((line) => {
    const [ts, , symbol, side, price, qty] = line.split(',');
    return { time: Math.round(Number(ts) * 1000), symbol: symbol!, side: side!, price: Number(price), qty: Number(qty) };
  });
}

const bars5m = readCsv5m();
const lastBar = bars5m.at(-1)!;
const END = lastBar.ts + MIN5; // default replay "now": end of the recording

type KlineRow = [number, string, string, string, string, string, number, string, number, string, string, string];

beforeAll(async () => {
  pagesDir = mkdtempSync(join(tmpdir(), 'liqlens-pages-'));
  mkdirSync(join(pagesDir, 'www.binance.com/en/futures'), { recursive: true });
  writeFileSync(join(pagesDir, 'www.binance.com/en/futures/BTCUSDT.html'), '<!doctype html><title>BTCUSDT demo</title><p>demo</p>');
  server = await startReplayServer({ port: 0, dataDir: DATA, pagesDir, wsSpeed: 100_000 });
});

afterAll(async () => {
  await server?.stop();
  rmSync(pagesDir, { recursive: true, force: true });
});

describe('replay server: Binance REST shapes', () => {
  it('starts with a trusted certificate for the exchange hosts and serves ping and time at the end of the recording', async () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.certPem).toMatch(/BEGIN CERTIFICATE/);
    expect(server.hostResolverRules).toContain(`MAP ${FAPI} 127.0.0.1:${server.port}`);
    expect(await getJson('/fapi/v1/ping')).toMatchObject({ status: 200, body: {} });
    const time = await getJson<{ serverTime: number }>('/fapi/v1/time');
    expect(time.body).toEqual({ serverTime: END });
    expect(server.now()).toBe(END);
  });

  it('exchangeInfo has the documented shape and lists BTCUSDT and every recorded symbol as trading perpetuals', async () => {
    const { status, body } = await getJson<{ symbols: Record<string, unknown>[]; serverTime: number }>('/fapi/v1/exchangeInfo');
    expect(status).toBe(200);
    expectSameShape(body, shape('exchange_info'));
    expect(body.serverTime).toBe(END);
    const template = (shape('exchange_info') as { symbols: Record<string, unknown>[] }).symbols[0]!;
    const recorded = new Set(readForceOrders().map((e) => e.symbol));
    const listed = body.symbols.map((s) => s.symbol);
    for (const symbol of ['BTCUSDT', ...recorded]) expect(listed).toContain(symbol);
    for (const s of body.symbols) {
      expectSameShape(s, template, String(s.symbol));
      expect(s).toMatchObject({ contractType: 'PERPETUAL', status: 'TRADING', quoteAsset: 'USDT', marginAsset: 'USDT' });
      const filterTypes = (s.filters as { filterType: string }[]).map((f) => f.filterType);
      expect(filterTypes).toEqual(expect.arrayContaining(['PRICE_FILTER', 'LOT_SIZE', 'MIN_NOTIONAL']));
    }
  });

  it.each([
    ['klines', '/fapi/v1/klines?symbol=BTCUSDT&interval=5m&limit=3'],
    ['open_interest_historical', '/futures/data/openInterestHist?symbol=BTCUSDT&period=5m&limit=3'],
    ['funding_rate', '/fapi/v1/fundingRate?symbol=BTCUSDT&limit=3'],
    ['premium_index', '/fapi/v1/premiumIndex?symbol=BTCUSDT'],
    ['open_interest', '/fapi/v1/openInterest?symbol=BTCUSDT'],
  ])('%s has the documented keys and value types', async (name, path) => {
    const { status, body } = await getJson(path);
    expect(status).toBe(200);
    if (Array.isArray(body)) expect(body.length).toBe(3);
    expectSameShape(body, shape(name));
  });

  it('klines rows keep the documented value type at every position (numbers vs strings)', async () => {
    const { body } = await getJson<KlineRow[]>('/fapi/v1/klines?symbol=BTCUSDT&interval=1h&limit=2');
    const doc = (shape('klines') as unknown[][])[0]!;
    for (const row of body) expect(row.map((v) => typeof v)).toEqual(doc.map((v) => typeof v));
  });

  it('globalLongShortAccountRatio has the documented shape (replayed at a time inside its recording)', async () => {
    const saved = server.now();
    try {
      server.setNow(Date.UTC(2026, 2, 26, 18));
      const { status, body } = await getJson<{ timestamp: string; longShortRatio: string }[]>(
        '/futures/data/globalLongShortAccountRatio?symbol=BTCUSDT&period=1h&limit=5',
      );
      expect(status).toBe(200);
      expect(body).toHaveLength(5);
      expectSameShape(body, shape('global_long_short_account_ratio'));
      const recorded = JSON.parse(readFileSync(join(DATA, 'binance-btcusdt-global-long-short-1h.json'), 'utf8')) as { time: number; ratio: number }[];
      const last = recorded.at(-1)!;
      expect(body.at(-1)).toMatchObject({ timestamp: String(last.time), longShortRatio: last.ratio.toFixed(4) });
      // The 1h OI recording of the same window is served too.
      const oi = await getJson<{ timestamp: string }[]>('/futures/data/openInterestHist?symbol=BTCUSDT&period=1h&limit=2');
      expect(oi.body.map((r) => Number(r.timestamp) % 3_600_000)).toEqual([0, 0]);
    } finally {
      server.setNow(saved);
    }
  });
});

describe('replay server: klines paging and limits', () => {
  it('pages by startTime/limit through contiguous real bars that match the CSV', async () => {
    const first = await getJson<KlineRow[]>(`/fapi/v1/klines?symbol=BTCUSDT&interval=5m&startTime=${bars5m[0]!.ts}&limit=1000`);
    const nextStart = first.body.at(-1)![0] + 1;
    const second = await getJson<KlineRow[]>(`/fapi/v1/klines?symbol=BTCUSDT&interval=5m&startTime=${nextStart}&limit=1000`);
    const rows = [...first.body, ...second.body];
    expect(rows).toHaveLength(2000);
    rows.forEach((row, i) => {
      const bar = bars5m[i]!;
      expect(row[0]).toBe(bar.ts);
      expect(row[6]).toBe(bar.ts + MIN5 - 1);
      expect([Number(row[1]), Number(row[2]), Number(row[3]), Number(row[4])]).toEqual([bar.open, bar.high, bar.low, bar.close]);
      if (i > 0) expect(row[0] - rows[i - 1]![0]).toBe(MIN5);
    });
  });

  it('derives taker volumes so that buy - sell equals the recorded cvd change', async () => {
    const i = 100;
    const { body } = await getJson<KlineRow[]>(`/fapi/v1/klines?symbol=BTCUSDT&interval=5m&startTime=${bars5m[i]!.ts}&limit=20`);
    body.forEach((row, k) => {
      const volume = Number(row[5]);
      const takerBuy = Number(row[9]);
      const delta = bars5m[i + k]!.cvd - bars5m[i + k - 1]!.cvd;
      expect(volume).toBeGreaterThanOrEqual(Math.abs(delta) - 0.002);
      expect(takerBuy - (volume - takerBuy)).toBeCloseTo(delta, 1);
    });
  });

  it('returns the latest 500 closed bars by default, 1500 at most, and rejects more', async () => {
    const def = await getJson<KlineRow[]>('/fapi/v1/klines?symbol=BTCUSDT&interval=5m');
    expect(def.body).toHaveLength(500);
    expect(def.body.at(-1)![0]).toBe(lastBar.ts);
    const max = await getJson<KlineRow[]>('/fapi/v1/klines?symbol=BTCUSDT&interval=5m&limit=1500');
    expect(max.body).toHaveLength(1500);
    const over = await getJson('/fapi/v1/klines?symbol=BTCUSDT&interval=5m&limit=1501');
    expect(over).toMatchObject({ status: 400, body: { code: -1130, msg: "Data sent for parameter 'limit' is not valid." } });
    const zero = await getJson('/fapi/v1/klines?symbol=BTCUSDT&interval=5m&limit=0');
    expect(zero.body).toMatchObject({ code: -1130 });
  });

  it('selects by endTime (inclusive) and by startTime..endTime', async () => {
    const end = bars5m[300]!.ts;
    const before = await getJson<KlineRow[]>(`/fapi/v1/klines?symbol=BTCUSDT&interval=5m&endTime=${end}&limit=10`);
    expect(before.body.map((r) => r[0])).toEqual(bars5m.slice(291, 301).map((b) => b.ts));
    const range = await getJson<KlineRow[]>(`/fapi/v1/klines?symbol=BTCUSDT&interval=5m&startTime=${bars5m[10]!.ts}&endTime=${bars5m[14]!.ts}`);
    expect(range.body.map((r) => r[0])).toEqual(bars5m.slice(10, 15).map((b) => b.ts));
    const bad = await getJson(`/fapi/v1/klines?symbol=BTCUSDT&interval=5m&startTime=${end}&endTime=${end - 1}`);
    expect(bad).toMatchObject({ status: 400, body: { code: -1023 } });
  });

  it('hides bars after "now" and reveals them as the clock advances', async () => {
    const saved = server.now();
    try {
      const cut = bars5m[4000]!.ts; // "now" = the open of bar 4000: bar 3999 is the last closed one
      server.setNow(cut);
      const before = await getJson<KlineRow[]>('/fapi/v1/klines?symbol=BTCUSDT&interval=5m&limit=2');
      expect(before.body.map((r) => r[0])).toEqual([bars5m[3998]!.ts, bars5m[3999]!.ts]);
      const ahead = await getJson<KlineRow[]>(`/fapi/v1/klines?symbol=BTCUSDT&interval=5m&startTime=${cut}`);
      expect(ahead.body).toEqual([]);
      expect(server.advance(MIN5)).toBe(cut + MIN5);
      const after = await getJson<KlineRow[]>('/fapi/v1/klines?symbol=BTCUSDT&interval=5m&limit=1');
      expect(after.body[0]![0]).toBe(bars5m[4000]!.ts);
      expect((await getJson<{ serverTime: number }>('/fapi/v1/time')).body.serverTime).toBe(cut + MIN5);
      const oi = await getJson<{ timestamp: string }[]>('/futures/data/openInterestHist?symbol=BTCUSDT&period=5m&limit=1');
      expect(oi.body[0]!.timestamp).toBe(String(cut + MIN5));
    } finally {
      server.setNow(saved);
    }
  });

  it('serves 1h bars from the recorded 1h candles and from whole hours of the 5m recording', async () => {
    const oneHourCsv = readFileSync(join(DATA, 'btc-1h-candles-binance-bybit-okx.csv'), 'utf8')
      .trim()
      .split(/\r?\n/)
      .map((l) => l.split(','))
      .filter((c) => c[2] === 'binance');
    const firstRecorded = oneHourCsv[0]!;
    const old = await getJson<KlineRow[]>(`/fapi/v1/klines?symbol=BTCUSDT&interval=1h&startTime=0&limit=1`);
    expect(old.body[0]!.slice(0, 6).map(Number)).toEqual([0, 4, 5, 6, 7, 8].map((k) => Number(firstRecorded[k])));
    const recent = await getJson<KlineRow[]>('/fapi/v1/klines?symbol=BTCUSDT&interval=1h&limit=1');
    const hour = recent.body[0]!;
    const group = bars5m.filter((b) => b.ts >= hour[0] && b.ts < hour[0] + 3_600_000);
    expect(group).toHaveLength(12);
    expect(Number(hour[1])).toBe(group[0]!.open);
    expect(Number(hour[2])).toBe(Math.max(...group.map((b) => b.high)));
    expect(Number(hour[3])).toBe(Math.min(...group.map((b) => b.low)));
    expect(Number(hour[4])).toBe(group.at(-1)!.close);
  });
});

describe('replay server: open interest and errors', () => {
  it('openInterestHist: default 30 rows, max 500, the recorded values, and Binance errors', async () => {
    const def = await getJson<{ sumOpenInterestValue: string; timestamp: string }[]>('/futures/data/openInterestHist?symbol=BTCUSDT&period=5m');
    expect(def.body).toHaveLength(30);
    expect(Number(def.body.at(-1)!.timestamp)).toBe(lastBar.ts);
    expect(Number(def.body.at(-1)!.sumOpenInterestValue)).toBeCloseTo(lastBar.oi, 4);
    expect((await getJson<unknown[]>('/futures/data/openInterestHist?symbol=BTCUSDT&period=5m&limit=500')).body).toHaveLength(500);
    expect((await getJson('/futures/data/openInterestHist?symbol=BTCUSDT&period=5m&limit=501')).status).toBe(400);
    // Over the limit inside a range: the latest rows of the range.
    const range = await getJson<{ timestamp: string }[]>(
      `/futures/data/openInterestHist?symbol=BTCUSDT&period=5m&startTime=${bars5m[100]!.ts}&endTime=${bars5m[200]!.ts}&limit=5`,
    );
    expect(range.body.map((r) => Number(r.timestamp))).toEqual(bars5m.slice(196, 201).map((b) => b.ts));
    const hourly = await getJson<{ timestamp: string }[]>('/futures/data/openInterestHist?symbol=BTCUSDT&period=1h&limit=3');
    expect(hourly.body.map((r) => Number(r.timestamp) % 3_600_000)).toEqual([0, 0, 0]);
  });

  it('openInterestHist rejects the 1m period and startTime older than 30 days', async () => {
    const oneMinute = await getJson('/futures/data/openInterestHist?symbol=BTCUSDT&period=1m');
    expect(oneMinute).toMatchObject({ status: 400, body: { code: -1130, msg: "parameter 'period' is invalid." } });
    const old = await getJson(`/futures/data/openInterestHist?symbol=BTCUSDT&period=5m&startTime=${END - 31 * DAY}`);
    expect(old).toMatchObject({ status: 400, body: { code: -1130, msg: "parameter 'startTime' is invalid." } });
    // Binance answers an unknown symbol here with an empty list.
    expect(await getJson('/futures/data/openInterestHist?symbol=NOPEUSDT&period=5m')).toMatchObject({ status: 200, body: [] });
  });

  it('answers an invalid symbol with -1121, a bad interval with -1120, a missing parameter with -1102', async () => {
    for (const path of ['/fapi/v1/klines?symbol=NOPEUSDT&interval=5m', '/fapi/v1/openInterest?symbol=NOPEUSDT', '/fapi/v1/premiumIndex?symbol=NOPEUSDT', '/fapi/v1/fundingRate?symbol=NOPEUSDT']) {
      expect(await getJson(path), path).toMatchObject({ status: 400, body: { code: -1121, msg: 'Invalid symbol.' } });
    }
    expect(await getJson('/fapi/v1/klines?symbol=BTCUSDT&interval=7m')).toMatchObject({ status: 400, body: { code: -1120, msg: 'Invalid interval.' } });
    expect(await getJson('/fapi/v1/klines?symbol=BTCUSDT&interval=1s')).toMatchObject({ status: 400, body: { code: -1120 } });
    expect(await getJson('/fapi/v1/klines?interval=5m')).toMatchObject({ status: 400, body: { code: -1102 } });
    expect(await getJson('/fapi/v1/klines?symbol=BTCUSDT&interval=5m&limit=abc')).toMatchObject({ status: 400, body: { code: -1100 } });
    expect((await getJson('/fapi/v1/nothing')).status).toBe(404);
  });

  it('fundingRate: recorded settlements every 8h, default 100, from startTime', async () => {
    const latest = await getJson<{ fundingTime: number; fundingRate: string }[]>('/fapi/v1/fundingRate?symbol=BTCUSDT');
    expect(latest.body).toHaveLength(100);
    // Settlements at 00/08/16 UTC (Binance's recorded fundingTime may be a few ms late).
    for (const r of latest.body) expect(r.fundingTime % (8 * 3_600_000)).toBeLessThan(1000);
    expect(latest.body.at(-1)!.fundingTime).toBeLessThanOrEqual(END);
    const from = await getJson<{ fundingTime: number }[]>(`/fapi/v1/fundingRate?symbol=BTCUSDT&startTime=${Date.UTC(2025, 5, 1)}&limit=3`);
    expect(from.body.map((r) => r.fundingTime)).toHaveLength(3);
    expect(from.body[0]!.fundingTime).toBeGreaterThanOrEqual(Date.UTC(2025, 5, 1));
    expect((await getJson('/fapi/v1/fundingRate?symbol=BTCUSDT&limit=1001')).status).toBe(400);
  });
});

describe('replay server: faults', () => {
  it('429 and 418 carry Retry-After and Binance bodies; a fault is used up after its count', async () => {
    server.injectFault({ kind: 'rate-limit', path: '/fapi/v1/klines', retryAfter: 7 });
    const limited = await get(FAPI, '/fapi/v1/klines?symbol=BTCUSDT&interval=5m&limit=1');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('7');
    expect(JSON.parse(limited.body)).toMatchObject({ code: -1003 });
    expect((await get(FAPI, '/fapi/v1/klines?symbol=BTCUSDT&interval=5m&limit=1')).status).toBe(200);

    server.injectFault({ kind: 'ip-ban', path: '/fapi/*', count: 2 });
    for (let i = 0; i < 2; i++) {
      const banned = await get(FAPI, '/fapi/v1/time');
      expect(banned.status).toBe(418);
      expect(banned.headers['retry-after']).toBe('120');
      expect(JSON.parse(banned.body).msg).toMatch(/banned until/);
    }
    expect((await get(FAPI, '/fapi/v1/time')).status).toBe(200);
  });

  it('a fault limited to query values leaves the other requests on its path alone', async () => {
    server.injectFault({ kind: 'server-error', path: '/fapi/v1/klines', query: { interval: '15m' } });
    expect((await get(FAPI, '/fapi/v1/klines?symbol=BTCUSDT&interval=5m&limit=1')).status).toBe(200);
    expect((await get(FAPI, '/fapi/v1/klines?symbol=BTCUSDT&limit=1')).status).toBe(400);
    expect((await get(FAPI, '/fapi/v1/klines?symbol=BTCUSDT&interval=15m&limit=1')).status).toBe(503);
    expect((await get(FAPI, '/fapi/v1/klines?symbol=BTCUSDT&interval=15m&limit=1')).status).toBe(200);
    expect(() => server.injectFault({ kind: 'timeout', query: { interval: 15 } as unknown as Record<string, string> })).toThrow(/query/);
  });

  it('5xx, empty arrays and malformed JSON', async () => {
    server.injectFault({ kind: 'server-error', path: '/fapi/v1/time' });
    const e503 = await get(FAPI, '/fapi/v1/time');
    expect(e503.status).toBe(503);
    server.injectFault({ kind: 'server-error', status: 502, path: '/fapi/v1/time' });
    const e502 = await get(FAPI, '/fapi/v1/time');
    expect(e502.status).toBe(502);
    expect(e502.body).toContain('502 Bad Gateway');

    server.injectFault({ kind: 'empty-array', path: '/futures/data/openInterestHist' });
    expect(await getJson('/futures/data/openInterestHist?symbol=BTCUSDT&period=5m')).toMatchObject({ status: 200, body: [] });

    server.injectFault({ kind: 'malformed-json', path: '/fapi/v1/klines' });
    const broken = await get(FAPI, '/fapi/v1/klines?symbol=BTCUSDT&interval=5m&limit=5');
    expect(broken.status).toBe(200);
    expect(broken.headers['content-type']).toBe('application/json');
    expect(() => JSON.parse(broken.body)).toThrow();
    expect(broken.body.startsWith('[[')).toBe(true);
  });

  it('timeouts: an answer held for delayMs, or none at all; a reset connection', async () => {
    server.injectFault({ kind: 'timeout', path: '/fapi/v1/ping', delayMs: 400 });
    const t0 = performance.now();
    const slow = await get(FAPI, '/fapi/v1/ping');
    expect(slow.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(380);

    server.injectFault({ kind: 'timeout', path: '/fapi/v1/ping' });
    await expect(get(FAPI, '/fapi/v1/ping', { timeoutMs: 300 })).rejects.toThrow(/client timeout/);
    const held = server.requests.at(-1)!;
    expect(held).toMatchObject({ path: '/fapi/v1/ping', fault: 'timeout' });
    expect(held.status).toBeUndefined();

    server.injectFault({ kind: 'timeout', path: '/fapi/v1/time' });
    const waiting = get(FAPI, '/fapi/v1/time', { timeoutMs: 5_000 });
    await expect.poll(() => server.requests.at(-1)?.path).toBe('/fapi/v1/time');
    expect(server.releaseHeld()).toBe(2);
    const released = await waiting;
    expect(released.status).toBe(200);
    expect(JSON.parse(released.body)).toHaveProperty('serverTime');
    expect(server.releaseHeld()).toBe(0);

    server.injectFault({ kind: 'connection-reset', path: '/fapi/v1/ping' });
    await expect(get(FAPI, '/fapi/v1/ping')).rejects.toThrow();
    expect((await get(FAPI, '/fapi/v1/ping')).status).toBe(200);
  });

  it('faults can be injected over the control API, skip requests, and be cleared', async () => {
    const add = await get('127.0.0.1', '/__replay/faults', {
      method: 'POST',
      body: JSON.stringify({ kind: 'rate-limit', pathRegex: '^/fapi/v1/(time|ping)$', skip: 1, retryAfter: 2 }),
    });
    expect(add.status).toBe(200);
    expect(JSON.parse(add.body).ids).toHaveLength(1);
    expect((await get(FAPI, '/fapi/v1/time')).status).toBe(200); // skipped
    const hit = await get(FAPI, '/fapi/v1/ping');
    expect(hit.status).toBe(429);
    expect(hit.headers['retry-after']).toBe('2');

    server.injectFault({ kind: 'server-error', path: '*', count: 'always' });
    expect((await get(FAPI, '/fapi/v1/time')).status).toBe(503);
    expect((await get(FAPI, '/fapi/v1/time')).status).toBe(503);
    expect((await get('localhost', '/__replay/faults', { method: 'DELETE' })).status).toBe(200);
    expect((await get(FAPI, '/fapi/v1/time')).status).toBe(200);
    expect((await get('localhost', '/__replay/faults', { method: 'POST', body: '{"kind":"nope"}' })).status).toBe(400);
  });
});

describe('replay server: request log, host routing, pages', () => {
  it('logs method, host, path and query of every request, and serves the log over HTTP', async () => {
    server.clearRequests();
    await get(FAPI, '/fapi/v1/klines?symbol=BTCUSDT&interval=1h&limit=2');
    await get(FAPI, '/fapi/v1/time');
    expect(server.requests.map((r) => [r.method, r.host, r.path, r.query, r.status])).toEqual([
      ['GET', FAPI, '/fapi/v1/klines', { symbol: 'BTCUSDT', interval: '1h', limit: '2' }, 200],
      ['GET', FAPI, '/fapi/v1/time', {}, 200],
    ]);
    const overHttp = JSON.parse((await get('127.0.0.1', '/__replay/requests')).body) as unknown[];
    expect(overHttp).toEqual(JSON.parse(JSON.stringify(server.requests)));
    expect(server.requests.filter((r) => r.path === '/fapi/v1/klines')).toHaveLength(1);
    expect(new Set(server.requests.map((r) => r.host))).toEqual(new Set([FAPI]));
  });

  it('routes by Host header: unknown hosts get 404, page hosts get the static pages', async () => {
    const unknown = await get('api.example.com', '/fapi/v1/time');
    expect(unknown.status).toBe(404);
    expect(server.requests.at(-1)).toMatchObject({ host: 'api.example.com', status: 404 });
    // The Binance REST paths exist only on the API host.
    expect((await get('www.binance.com', '/fapi/v1/time')).status).toBe(404);
    const page = await get('www.binance.com', '/en/futures/BTCUSDT');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('BTCUSDT demo');
    expect((await get('www.binance.com', '/en/futures/../../../../etc/passwd')).status).toBe(404);
    // The port in the Host header is ignored.
    expect((await get(`${FAPI}:${server.port}`, '/fapi/v1/ping')).status).toBe(200);
  });
});

function openWs(path: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${server.port}${path}`, { headers: { host: FSTREAM }, ca: server.certPem });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function collect(ws: WebSocket, n: number, timeoutMs = 10_000): Promise<{ frames: unknown[]; at: number[] }> {
  return new Promise((resolve, reject) => {
    const frames: unknown[] = [];
    const at: number[] = [];
    const timer = setTimeout(() => reject(new Error(`only ${frames.length} of ${n} frames`)), timeoutMs);
    ws.on('message', (data) => {
      frames.push(JSON.parse(String(data)));
      at.push(performance.now());
      if (frames.length === n) {
        clearTimeout(timer);
        resolve({ frames, at });
      }
    });
  });
}

interface ForceOrderPayload {
  e: string;
  E: number;
  o: { s: string; S: string; o: string; f: string; q: string; p: string; ap: string; X: string; l: string; z: string; T: number };
}

function expectEvent(payload: ForceOrderPayload, event: CsvEvent): void {
  expect(payload.e).toBe('forceOrder');
  expect(payload.E).toBe(event.time);
  expect(Object.keys(payload.o).sort()).toEqual(['S', 'T', 'X', 'ap', 'f', 'l', 'o', 'p', 'q', 's', 'z']);
  expect(payload.o).toMatchObject({ s: event.symbol, S: event.side, o: 'LIMIT', f: 'IOC', X: 'FILLED', T: event.time });
  expect(Number(payload.o.p)).toBeCloseTo(event.price, 8);
  expect(Number(payload.o.q)).toBeCloseTo(event.qty, 8);
  expect(payload.o.z).toBe(payload.o.q);
}

describe('replay server: liquidation websocket', () => {
  const events = readForceOrders();

  it('combined stream frames carry the recorded events in order in {stream, data} envelopes', async () => {
    const ws = await openWs('/stream?streams=!forceOrder@arr');
    const { frames } = await collect(ws, events.length);
    ws.close();
    frames.forEach((frame, i) => {
      const f = frame as { stream: string; data: ForceOrderPayload };
      expect(Object.keys(f).sort()).toEqual(['data', 'stream']);
      expect(f.stream).toBe('!forceOrder@arr');
      expectEvent(f.data, events[i]!);
    });
  });

  it('raw /ws stream and SUBSCRIBE on /market/ws (as ccxt.pro does) with a per-symbol stream', async () => {
    const raw = await openWs('/ws/!forceOrder@arr');
    const first = await collect(raw, 3);
    raw.close();
    first.frames.forEach((f, i) => expectEvent(f as ForceOrderPayload, events[i]!));

    const ws = await openWs('/market/ws/0');
    const btc = events.filter((e) => e.symbol === 'BTCUSDT');
    const got = collect(ws, 1 + btc.length);
    ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@forceOrder'], id: 7 }));
    const { frames } = await got;
    ws.close();
    expect(frames[0]).toEqual({ result: null, id: 7 });
    frames.slice(1).forEach((f, i) => expectEvent(f as ForceOrderPayload, btc[i]!));
  });

  it('paces frames by the recorded gaps divided by wsSpeed', async () => {
    server.setWsSpeed(100);
    try {
      const ws = await openWs('/stream?streams=!forceOrder@arr');
      const { at } = await collect(ws, 5);
      ws.close();
      const expected = (events[4]!.time - events[0]!.time) / 100; // ~1.39 s
      expect(at[4]! - at[0]!).toBeGreaterThan(expected * 0.9);
      expect(at[4]! - at[0]!).toBeLessThan(expected * 1.5 + 200);
    } finally {
      server.setWsSpeed(100_000);
    }
  });

  it('refuses websockets on unknown hosts and paths, and logs the upgrade', async () => {
    await expect(openWs('/nothing')).rejects.toThrow(/404/);
    expect(server.requests.at(-1)).toMatchObject({ host: FSTREAM, path: '/nothing', websocket: true, status: 404 });
  });
});

describe('replay server: ccxt binanceusdm against it', () => {
  it('loads markets and fetches OHLCV, open-interest history and funding from recorded data', async () => {
    server.clearRequests();
    const exchange = new binanceusdm();
    pointAtReplay(exchange as unknown as ReplayTarget, server, { wsHost: FSTREAM });
    await exchange.loadMarkets();
    expect(exchange.markets!['BTC/USDT:USDT']).toMatchObject({ id: 'BTCUSDT', swap: true, linear: true, active: true });
    const ohlcv = await exchange.fetchOHLCV('BTC/USDT:USDT', '5m', bars5m[0]!.ts, 300);
    expect(ohlcv).toHaveLength(300);
    ohlcv.forEach(([ts, o, h, l, c], i) => expect([ts, o, h, l, c]).toEqual([bars5m[i]!.ts, bars5m[i]!.open, bars5m[i]!.high, bars5m[i]!.low, bars5m[i]!.close]));
    const oi = await exchange.fetchOpenInterestHistory('BTC/USDT:USDT', '5m', undefined, 10);
    expect(oi).toHaveLength(10);
    expect(oi.at(-1)).toMatchObject({ timestamp: lastBar.ts });
    expect(oi.at(-1)!.openInterestValue).toBeCloseTo(lastBar.oi, 2);
    const funding = await exchange.fetchFundingRate('BTC/USDT:USDT');
    expect(funding.markPrice).toBe(lastBar.close);
    expect(await exchange.fetchTime()).toBe(END);
    // Every request went to the allow-listed API host; markets were loaded once.
    expect(new Set(server.requests.map((r) => r.host))).toEqual(new Set([FAPI]));
    expect(server.requests.filter((r) => r.path === '/fapi/v1/exchangeInfo')).toHaveLength(1);
  });

  it('surfaces injected faults as ccxt errors', async () => {
    const exchange = new binanceusdm();
    pointAtReplay(exchange as unknown as ReplayTarget, server, { wsHost: FSTREAM });
    await exchange.loadMarkets();
    server.injectFault({ kind: 'rate-limit', path: '/fapi/v1/klines' });
    await expect(exchange.fetchOHLCV('BTC/USDT:USDT', '5m', undefined, 5)).rejects.toThrow(/DDoSProtection|RateLimitExceeded|429|-1003/);
    server.injectFault({ kind: 'ip-ban', path: '/fapi/v1/klines' });
    await expect(exchange.fetchOHLCV('BTC/USDT:USDT', '5m', undefined, 5)).rejects.toThrow(/418|-1003|banned/);
    await expect(exchange.fetchOHLCV('BTC/USDT:USDT', '5m', undefined, 5)).resolves.toHaveLength(5);
  });

  it('ccxt.pro watchLiquidations receives the recorded events', async () => {
    const exchange = new pro.binanceusdm();
    pointAtReplay(exchange as unknown as ReplayTarget, server, { wsHost: FSTREAM });
    try {
      const liquidations = await exchange.watchLiquidations('BTC/USDT:USDT');
      const first = readForceOrders().find((e) => e.symbol === 'BTCUSDT')!;
      expect(liquidations[0]).toMatchObject({ symbol: 'BTC/USDT:USDT', price: first.price, contracts: first.qty, timestamp: first.time });
    } finally {
      await exchange.close();
    }
  });
});
