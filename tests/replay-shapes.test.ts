/**
 * The replay's answers have the structure of the exchanges' recorded answers (ccxt's static
 * fixtures, excerpted in `../shared/data/exchange-fixtures/`): the same keys and nesting, the same
 * kind of value in each place (numeric, text, list, object; the fixtures store numbers both as
 * strings and as numbers, see their README, so both count as numeric), and rows in the same time
 * order. Wherever the replay serves an endpoint a recording exists for. Then the live margin tiers
 * and ratios of Bybit, OKX and Bitget through ccxt and the data layer, units checked.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBitgetSource } from '../src/data/exchanges/bitget';
import { createBybitSource } from '../src/data/exchanges/bybit';
import { createOkxSource } from '../src/data/exchanges/okx';
import { defaultDataDir, type ReplayServer, startReplayServer } from '../test-support/replay-server/index';
import { recordedSeries } from '../test-support/replay-server/exchanges/recorded-series';
import { routeToReplay } from './support/replay-fetch';

const DATA = defaultDataDir();
const FIXTURES = join(DATA, 'exchange-fixtures');

type Fixture = { description?: string; input?: unknown; httpResponse: unknown };
function fixture(exchange: string, method: string, index = 0): Fixture {
  const file = JSON.parse(readFileSync(join(FIXTURES, `${exchange}.json`), 'utf8')) as { methods?: Record<string, Fixture[]>; response_methods?: Record<string, Fixture[]> };
  const entry = (file.methods ?? file.response_methods)?.[method]?.[index];
  if (!entry) throw new Error(`no fixture ${exchange}.${method}[${index}]`);
  return entry;
}

type Shape = string | readonly Shape[] | { readonly [key: string]: Shape };

/** The structure of a JSON value: keys and nesting, value kinds, a list by the shape of its rows. */
function shape(value: unknown): Shape {
  if (Array.isArray(value)) {
    if (value.length === 0) return ['list'];
    const rows = value.map(shape);
    // Every row of a list has one shape.
    for (const row of rows) expect(row).toEqual(rows[0]);
    return ['list', rows[0]!];
  }
  if (value === null) return 'null';
  if (typeof value === 'object') {
    const out: Record<string, Shape> = {};
    for (const key of Object.keys(value).sort()) out[key] = shape((value as Record<string, unknown>)[key]);
    return out;
  }
  if (typeof value === 'number') return 'numeric';
  if (typeof value === 'string') return value.trim() !== '' && Number.isFinite(Number(value)) ? 'numeric' : 'text';
  return typeof value;
}

/** `asc` or `desc` by the rows' times (`desc` newest first), `one` for a single row. */
function order(times: readonly number[]): 'asc' | 'desc' | 'one' {
  if (times.length < 2) return 'one';
  if (times.every((t, i) => i === 0 || t > times[i - 1]!)) return 'asc';
  if (times.every((t, i) => i === 0 || t < times[i - 1]!)) return 'desc';
  throw new Error(`rows out of order: ${times.join(',')}`);
}

let server: ReplayServer;
let client: { fetchImplementation?: (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<Response> };

beforeAll(async () => {
  server = await startReplayServer({ dataDir: DATA });
  client = {};
  routeToReplay(client as { fetchImplementation?: unknown }, server);
});
afterAll(async () => {
  await server?.stop();
});

async function get(url: string): Promise<unknown> {
  const response = await client.fetchImplementation!(url, { method: 'GET', headers: {} });
  expect(response.status).toBe(200);
  return response.json();
}

async function post(url: string, body: unknown): Promise<unknown> {
  const response = await client.fetchImplementation!(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  return response.json();
}

describe('replay answers have the recorded structure', () => {
  it('Bybit /v5/market/kline (linear 1h, 3 rows): 7 numeric strings a row, newest first', async () => {
    const recorded = fixture('bybit', 'fetchOHLCV').httpResponse as { result: { list: string[][] } };
    const start = server.now() - 10 * 3_600_000;
    const replay = (await get(`https://api.bybit.com/v5/market/kline?category=linear&symbol=BTCUSDT&interval=60&start=${start}&limit=3`)) as { result: { list: string[][] } };
    expect(shape(replay)).toEqual(shape(recorded));
    expect(replay.result.list).toHaveLength(3);
    expect(order(replay.result.list.map((r) => Number(r[0])))).toBe(order(recorded.result.list.map((r) => Number(r[0]))));
  });

  it('Bybit /v5/market/open-interest (linear, 1 row): coins and time, with a real nextPageCursor that continues', async () => {
    const recorded = fixture('bybit', 'fetchOpenInterest').httpResponse as { result: { nextPageCursor: string } };
    const replay = (await get('https://api.bybit.com/v5/market/open-interest?category=linear&symbol=BTCUSDT&intervalTime=5min&limit=1')) as {
      result: { list: { timestamp: string }[]; nextPageCursor: string };
    };
    expect(shape(replay)).toEqual(shape(recorded));
    // The recorded cursor is `lastid%3D…%26lasttime%3D<seconds>`; the replay's has that form and pages on.
    expect(recorded.result.nextPageCursor).toMatch(/^lastid%3D\d+%26lasttime%3D\d+$/);
    expect(replay.result.nextPageCursor).toMatch(/^lastid%3D\d+%26lasttime%3D\d+$/);
    const next = (await get(`https://api.bybit.com/v5/market/open-interest?category=linear&symbol=BTCUSDT&intervalTime=5min&limit=2&cursor=${replay.result.nextPageCursor}`)) as {
      result: { list: { timestamp: string }[] };
    };
    const first = Number(replay.result.list[0]!.timestamp);
    expect(next.result.list.map((r) => Number(r.timestamp))).toEqual([first - 300_000, first - 600_000]);
  });

  it('Bitget /api/v2/mix/market/history-fund-rate (pageSize 1): the recorded v2 body', async () => {
    const recorded = fixture('bitget', 'fetchFundingRateHistory', 0);
    expect(recorded.description).toMatch(/v2/);
    const replay = await get('https://api.bitget.com/api/v2/mix/market/history-fund-rate?symbol=BTCUSDT&productType=USDT-FUTURES&pageSize=1');
    expect(shape(replay)).toEqual(shape(recorded.httpResponse));
  });

  it('Hyperliquid candleSnapshot (BTC perp): keys t,T,s,i,o,c,h,l,v,n, rows ascending', async () => {
    const recorded = fixture('hyperliquid', 'fetchOHLCV', 0).httpResponse as { t: string }[];
    const now = server.now();
    const replay = (await post('https://api.hyperliquid.xyz/info', { type: 'candleSnapshot', req: { coin: 'BTC', interval: '5m', startTime: now - 900_000, endTime: now } })) as { t: number }[];
    expect(replay.length).toBeGreaterThanOrEqual(2);
    expect(shape(replay)).toEqual(shape(recorded));
    expect(order(replay.map((r) => Number(r.t)))).toBe(order(recorded.map((r) => Number(r.t))));
  });

  it("OKX history-candles takes ccxt's recorded request (limit=300) and answers 300 rows", async () => {
    const file = JSON.parse(readFileSync(join(FIXTURES, 'okx.json'), 'utf8')) as { request_methods: { fetchOHLCV: { url: string }[] } };
    const recordedUrl = new URL(file.request_methods.fetchOHLCV[0]!.url);
    expect(recordedUrl.pathname).toBe('/api/v5/market/history-candles');
    expect(recordedUrl.searchParams.get('limit')).toBe('300');
    const replay = (await get(`https://www.okx.com${recordedUrl.pathname}?instId=BTC-USDT-SWAP&bar=5m&limit=300`)) as { code: string; data: string[][] };
    expect(replay.code).toBe('0');
    expect(replay.data).toHaveLength(300);
    // Newest first; the first row is the bar still forming (confirm "0") only when "now" is inside it.
    expect(order(replay.data.map((r) => Number(r[0])))).toBe('desc');
    expect(replay.data.slice(1).every((r) => r[8] === '1')).toBe(true);
  });
});

describe('live margin tiers and ratios through ccxt: units', () => {
  const options = { configure: (ex: unknown) => routeToReplay(ex as { fetchImplementation?: unknown }, server), retry: { sleep: async () => undefined } };

  it('Bybit risk limits: riskLimitValue in USDT, maintenance as a fraction (0.5 % = 0.005), deductions cumulative', async () => {
    const tiers = await createBybitSource(options).fetchMarginTiers('BTCUSDT');
    expect(tiers.source).toBe('live');
    expect(tiers.tiers[0]).toEqual({ maxNotionalUsd: 2_000_000, maxLeverage: 100, maintenanceRate: 0.005, maintenanceAmountUsd: 0 });
    expect(tiers.tiers[1]).toMatchObject({ maxNotionalUsd: 2_600_000, maintenanceRate: 0.0056 });
    // The cumulative rule gives Bybit's mmDeduction: 2,000,000 x (0.0056 - 0.005) = 1,200.
    expect(tiers.tiers[1]!.maintenanceAmountUsd).toBeCloseTo(1200, 6);
  });

  it('OKX position tiers: bounds in contracts of 0.01 BTC, converted to USD at the last price', async () => {
    const source = createOkxSource(options);
    const tiers = await source.fetchMarginTiers('BTC-USDT-SWAP');
    expect(tiers.source).toBe('live');
    const now = server.now();
    const price = recordedSeries(DATA, 'okx').candles(300_000, now - 3_600_000, now, now).at(-1)!.close;
    expect(tiers.tiers[0]!.maxNotionalUsd).toBeCloseTo(1500 * 0.01 * price, 6);
    expect(tiers.tiers[0]).toMatchObject({ maxLeverage: 100, maintenanceRate: 0.004, maintenanceAmountUsd: 0 });
  });

  it('Bitget position tiers: the recorded BTCUSDT rows (USDT bounds, fractional rates)', async () => {
    const recorded = fixture('bitget', 'fetchMarketLeverageTiers').httpResponse as { data: { maxTierValue: string; leverage: string; mmr: string }[] };
    const tiers = await createBitgetSource(options).fetchMarginTiers('BTCUSDT');
    expect(tiers.source).toBe('live');
    expect(tiers.tiers.map((t) => [t.maxNotionalUsd, t.maxLeverage, t.maintenanceRate])).toEqual(
      recorded.data.map((r) => [Number(r.maxTierValue), Number(r.leverage), Number(r.mmr)]),
    );
    expect(tiers.tiers[0]!.maintenanceRate).toBeLessThan(0.05);
  });

  it('ratios reach the bars as accounts long over accounts short on Bybit (buyRatio / sellRatio), OKX and Bitget', async () => {
    const now = server.now();
    const hourly = recordedSeries(DATA, 'bybit').ratio(3_600_000, 0, now, now);
    const expected = hourly.at(-1)!.ratio;
    expect(expected).toBeGreaterThan(0.2);
    for (const [source, symbol] of [
      [createBybitSource(options), 'BTCUSDT'],
      [createOkxSource(options), 'BTC-USDT-SWAP'],
      [createBitgetSource(options), 'BTCUSDT'],
    ] as const) {
      const series = await source.fetchSeries({ symbol, timeframe: '1h', since: now - 86_400_000 });
      // A ratio, not a percentage or a share: Bybit's 0.667/0.333 is 2.003, not 66.7 or 0.667.
      expect(series.bars.at(-1)!.longShortRatio).toBeCloseTo(expected, 2);
    }
  });
});
