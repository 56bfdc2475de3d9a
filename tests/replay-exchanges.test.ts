/**
 * The replay server's Bybit, OKX, Bitget and Hyperliquid routes answer in each exchange's shape:
 * the project's module for the exchange (ccxt's own exchange file underneath) loads its markets,
 * the server clock and a series from them. Values: the venue's own recorded 1h candles where they
 * exist (moved in time to end with the replay), Binance's recorded BTCUSDT series standing in
 * elsewhere (see test-support/replay-server/exchanges/recorded-series.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimate } from '../src/engine/estimate';
import { validateSeries } from '../src/engine/validate';
import { createBitgetSource } from '../src/data/exchanges/bitget';
import { createBybitSource } from '../src/data/exchanges/bybit';
import { createHyperliquidSource } from '../src/data/exchanges/hyperliquid';
import okxExchange from 'ccxt-exchange/okx';
import { createOkxSource } from '../src/data/exchanges/okx';
import type { ExchangeSource } from '../src/data/exchanges/source';
import { defaultDataDir, type ReplayServer, startReplayServer } from '../test-support/replay-server/index';
import { loadBinanceData } from '../test-support/replay-server/exchanges/binance-data';
import { recordedSeries } from '../test-support/replay-server/exchanges/recorded-series';
import { routeToReplay } from './support/replay-fetch';

const DATA = defaultDataDir();
const MIN5 = 300_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const binance5m = loadBinanceData(DATA).klines.get('BTCUSDT')!.get('5m')!;
const binanceClose = new Map(binance5m.map((k) => [k.openTime, k.close]));

let server: ReplayServer;

beforeAll(async () => {
  server = await startReplayServer({ dataDir: DATA });
});
afterAll(async () => {
  await server?.stop();
});

function noPause<T extends { configure?: unknown }>(options: T) {
  return { ...options, retry: { sleep: async () => undefined } };
}

async function expectSeries(source: ExchangeSource, symbol: string) {
  const now = await source.serverTime();
  expect(now).toBe(server.now());
  const markets = await source.listMarkets();
  expect(markets.map((m) => m.symbol)).toContain(symbol);
  const five = await source.fetchSeries({ symbol, timeframe: '5m', since: now - DAY });
  expect(validateSeries(five)).toBe(MIN5);
  expect(five.bars.length).toBeGreaterThanOrEqual(287);
  // Binance's recorded 5m candles stand in.
  for (const bar of five.bars) expect(bar.close).toBe(binanceClose.get(bar.timestamp));
  expect(five.bars.every((b) => (b.openInterestBase ?? b.openInterestUsd ?? 0) > 0)).toBe(true);
  const hourly = await source.fetchSeries({ symbol, timeframe: '1h', since: now - 3 * DAY });
  expect(validateSeries(hourly)).toBe(HOUR);
  expect(hourly.bars.length).toBeGreaterThanOrEqual(70);
  return { five, hourly };
}

describe('replay server: Bybit', () => {
  it("serves Bybit's recorded 1h candles and funding, Binance's 5m standing in, in Bybit's shapes", async () => {
    const source = createBybitSource(noPause({ configure: (ex: unknown) => routeToReplay(ex as { fetchImplementation?: unknown }, server) }));
    const { hourly } = await expectSeries(source, 'BTCUSDT');
    const own = recordedSeries(DATA, 'bybit').candles(HOUR, 0, Infinity, server.now());
    const byTime = new Map(own.map((k) => [k.openTime, k.close]));
    for (const bar of hourly.bars) expect(bar.close).toBe(byTime.get(bar.timestamp));
    expect(hourly.bars.some((b) => b.fundingRate !== undefined)).toBe(true);
    // Bybit's recorded settlements are 8 h apart.
    expect(hourly.fundingIntervalMs).toBe(8 * HOUR);
    expect(server.requests.some((r) => r.host === 'api.bybit.com' && r.path === '/v5/market/instruments-info')).toBe(true);
  });
});

describe('replay server: OKX', () => {
  it("serves OKX's recorded 1h candles and funding, Binance's 5m standing in, in OKX's shapes (contracts of 0.01 BTC)", async () => {
    const source = createOkxSource(noPause({ configure: (ex: unknown) => routeToReplay(ex as { fetchImplementation?: unknown }, server) }));
    const { five, hourly } = await expectSeries(source, 'BTC-USDT-SWAP');
    const own = recordedSeries(DATA, 'okx').candles(HOUR, 0, Infinity, server.now());
    const byTime = new Map(own.map((k) => [k.openTime, k.close]));
    for (const bar of hourly.bars) expect(bar.close).toBe(byTime.get(bar.timestamp));
    expect(hourly.bars.some((b) => b.fundingRate !== undefined)).toBe(true);
    expect([five.fundingIntervalMs, hourly.fundingIntervalMs]).toEqual([8 * HOUR, 8 * HOUR]);
    // OKX reports open interest in USD: Binance's recorded value.
    const oi = new Map(loadBinanceData(DATA).openInterest.get('BTCUSDT')![0]!.points.map((p) => [p.time, p.value]));
    const last = five.bars.at(-1)!;
    expect(last.openInterestUsd).toBeCloseTo(oi.get(last.timestamp) ?? oi.get(last.timestamp + MIN5) ?? Number.NaN, 0);
  });
});

describe('OKX open interest: contracts, coins and USD reach the engine as USD', () => {
  const CONTRACT = 0.01;
  const okx = recordedSeries(DATA, 'okx');

  /** The recorded sample each bar takes (the join's rule: the latest stamped before the bar's end). */
  function recordedAt(stepMs: number, timestamp: number) {
    const points = okx.openInterest(stepMs, 0, timestamp + stepMs - 1, server.now());
    return points.at(-1)!;
  }

  /** The USD the engine reads from a bar (`openInterestUsd`, else coins at the bar's close). */
  const engineUsd = (bar: { openInterestUsd?: number; openInterestBase?: number; close: number }) => bar.openInterestUsd ?? bar.openInterestBase! * bar.close;

  async function fetchBoth(source: ExchangeSource) {
    const now = await source.serverTime();
    const five = await source.fetchSeries({ symbol: 'BTC-USDT-SWAP', timeframe: '5m', since: now - DAY });
    const hourly = await source.fetchSeries({ symbol: 'BTC-USDT-SWAP', timeframe: '1h', since: now - 3 * DAY });
    expect(five.bars.length).toBeGreaterThan(280);
    expect(hourly.bars.length).toBeGreaterThan(70);
    return [
      [MIN5, five],
      [HOUR, hourly],
    ] as const;
  }

  it('the route answers [ts, contracts of 0.01 BTC, coins, USD]; the engine receives the recorded USD for every bar', async () => {
    const source = createOkxSource(noPause({ configure: (ex: unknown) => routeToReplay(ex as { fetchImplementation?: unknown }, server) }));
    const mark = server.requests.at(-1)?.seq ?? 0;
    for (const [stepMs, series] of await fetchBoth(source)) {
      for (const bar of series.bars) {
        const recorded = recordedAt(stepMs, bar.timestamp);
        expect(engineUsd(bar)).toBeCloseTo(recorded.value, 1);
        // Contracts are a hundred times the coins: read as dollars they would be off by price / 100.
        expect(Math.abs(engineUsd(bar) - recorded.base / CONTRACT)).toBeGreaterThan(recorded.value / 2);
      }
    }
    const oiCalls = server.requests.filter((r) => r.seq > mark && r.path === '/api/v5/rubik/stat/contracts/open-interest-history');
    expect(oiCalls.length).toBeGreaterThan(0);
    // The rows as OKX sends them: contracts first, then coins (contracts x ctVal), then USD.
    const ccxtOkx = new okxExchange({});
    routeToReplay(ccxtOkx as unknown as { fetchImplementation?: unknown }, server);
    const raw = (await ccxtOkx.publicGetRubikStatContractsOpenInterestHistory({ instId: 'BTC-USDT-SWAP', period: '5m', limit: '3' })) as { data: string[][] };
    expect(raw.data).toHaveLength(3);
    for (const [ts, contracts, coins, usd] of raw.data) {
      const recorded = recordedAt(MIN5, Number(ts));
      expect(Number(contracts) * CONTRACT).toBeCloseTo(recorded.base, 3);
      expect(Number(coins)).toBeCloseTo(recorded.base, 3);
      expect(Number(usd)).toBeCloseTo(recorded.value, 1);
    }
  });

  it('rows without the USD column: contracts x ctVal give the coins, priced at each bar close', async () => {
    // Only [ts, contracts] left in every open-interest row, as an answer without `oiCcy` and `oiUsd` would be.
    const contractsOnly = (ex: unknown) => {
      const exchange = ex as { fetchImplementation?: (url: string, init: unknown) => Promise<Response> };
      routeToReplay(exchange, server);
      const send = exchange.fetchImplementation!;
      exchange.fetchImplementation = async (url, init) => {
        const response = await send(url, init);
        if (!url.includes('/rubik/stat/contracts/open-interest-history')) return response;
        const body = (await response.json()) as { code: string; msg: string; data: string[][] };
        return new Response(JSON.stringify({ ...body, data: body.data.map((row) => row.slice(0, 2)) }), { status: response.status, headers: response.headers });
      };
    };
    const source = createOkxSource(noPause({ configure: contractsOnly }));
    for (const [stepMs, series] of await fetchBoth(source)) {
      for (const bar of series.bars) {
        const recorded = recordedAt(stepMs, bar.timestamp);
        // Coins exactly (the route rounds contracts to 2 decimals: 1e-4 BTC).
        expect(bar.openInterestBase).toBeCloseTo(recorded.base, 3);
        // In USD at the bar's close: the coins times the close, which differs from the recorded USD
        // (priced when the sample was taken, at the bar's open) by no more than the bar's range.
        expect(Math.abs(engineUsd(bar) / (recorded.base * bar.close) - 1)).toBeLessThan(1e-6);
        expect(Math.abs(engineUsd(bar) / recorded.value - 1)).toBeLessThanOrEqual(bar.high / bar.low - 1 + 0.002);
      }
    }
  });
});

describe('replay server: Bitget', () => {
  it("serves Binance's recorded BTCUSDT series standing in, in Bitget's shapes (open interest as a snapshot)", async () => {
    const source = createBitgetSource(noPause({ configure: (ex: unknown) => routeToReplay(ex as { fetchImplementation?: unknown }, server) }));
    const { five, hourly } = await expectSeries(source, 'BTCUSDT');
    const binance1h = new Map(loadBinanceData(DATA).klines.get('BTCUSDT')!.get('1h')!.map((k) => [k.openTime, k.close]));
    // Closed hours as recorded; the hour still forming at "now" is served too (built from its 5m bars).
    const closed = hourly.bars.filter((b) => b.timestamp + HOUR <= server.now());
    expect(hourly.bars.length - closed.length).toBe(1);
    for (const bar of closed) expect(bar.close).toBe(binance1h.get(bar.timestamp));
    expect(hourly.bars.at(-1)!.close).toBe(five.bars.at(-1)!.close);
    const snapshot = recordedSeries(DATA, 'binance-stand-in').openInterestNow(server.now())!;
    expect(five.bars.at(-1)!.openInterestBase).toBeCloseTo(snapshot.base, 3);
    expect(five.bars.some((b) => b.fundingRate !== undefined)).toBe(true);
    expect(five.fundingIntervalMs).toBe(8 * HOUR);
    // The ratio endpoint returns its latest 30 rows: the bar's period for the recent bars and one
    // period that reaches over the range for the older ones (24 h of 5m: 1h; 3 days of 1h: 4h).
    const ratioCalls = server.requests.filter((r) => r.host === 'api.bitget.com' && r.path === '/api/v2/mix/market/account-long-short');
    expect(ratioCalls.map((r) => [r.status, r.query['symbol'], r.query['period']])).toEqual([
      [200, 'BTCUSDT', '5m'],
      [200, 'BTCUSDT', '1h'],
      [200, 'BTCUSDT', '1h'],
      [200, 'BTCUSDT', '4h'],
    ]);
    for (const series of [five, hourly]) {
      expect(series.bars.every((b) => b.longShortRatio !== undefined)).toBe(true);
      expect(series.notes.join(' ')).not.toMatch(/long\/short ratio unavailable/);
    }
  });

  it('answers the long/short ratio with Bitget\'s error for an unknown symbol or an undocumented period', async () => {
    const client: { fetchImplementation?: (url: string, init: { method: string; headers: Record<string, string> }) => Promise<Response> } = {};
    routeToReplay(client as { fetchImplementation?: unknown }, server);
    const ask = async (query: string) => {
      const response = await client.fetchImplementation!(`https://api.bitget.com/api/v2/mix/market/account-long-short?${query}`, { method: 'GET', headers: {} });
      return { status: response.status, body: (await response.json()) as { code: string; data: unknown } };
    };
    const latest = await ask('symbol=BTCUSDT');
    expect(latest).toMatchObject({ status: 200, body: { code: '00000' } });
    // Bitget's documented row: long and short account shares and their ratio, as strings; the latest 30 of 5m.
    const rows = latest.body.data as { longAccountRatio: string; shortAccountRatio: string; longShortAccountRatio: string; ts: string }[];
    expect(rows).toHaveLength(30);
    for (const r of rows) {
      expect(Object.keys(r).sort()).toEqual(['longAccountRatio', 'longShortAccountRatio', 'shortAccountRatio', 'ts']);
      expect(Number(r.longAccountRatio) + Number(r.shortAccountRatio)).toBeCloseTo(1, 3);
      expect(Number(r.longShortAccountRatio)).toBeCloseTo(Number(r.longAccountRatio) / Number(r.shortAccountRatio), 2);
    }
    expect(Number(rows.at(-1)!.ts) + 300_000).toBeLessThanOrEqual(server.now());
    expect(await ask('symbol=NOPEUSDT&period=5m')).toMatchObject({ status: 400, body: { code: '40034', data: null } });
    expect(await ask('symbol=BTCUSDT&period=1m')).toMatchObject({ status: 400, body: { code: '40034', data: null } });
  });
});

describe('replay server: Hyperliquid', () => {
  it("serves Binance's recorded BTCUSDT series standing in, in Hyperliquid's /info shapes (hourly funding)", async () => {
    const source = createHyperliquidSource(noPause({ configure: (ex: unknown) => routeToReplay(ex as { fetchImplementation?: unknown }, server) }));
    const { five } = await expectSeries(source, 'BTC');
    const stand = recordedSeries(DATA, 'binance-stand-in');
    // The route answers both sides (as Hyperliquid counts); the engine gets the one-sided count.
    expect(five.bars.at(-1)!.openInterestBase).toBeCloseTo(stand.openInterestNow(server.now())!.base, 4);
    const lastFunding = stand.funding(0, server.now(), server.now()).at(-1)!.rate;
    expect(five.bars.at(-1)!.fundingRate).toBeCloseTo(lastFunding / 8, 12);
    // The series says its rates are hourly, so the engine reads Binance's 8-hour rate again.
    expect(five.fundingIntervalMs).toBe(HOUR);
    expect(estimate([five]).context.funding).toBeCloseTo(lastFunding, 12);
    expect(server.requests.filter((r) => r.host === 'api.hyperliquid.xyz').every((r) => r.method === 'POST' && r.path === '/info')).toBe(true);
  });
});

describe('replay server: contract sizes through the data layer', () => {
  it('OKX counts in contracts of 0.01 BTC (the liquidation stream converts with it), Bybit in base units', async () => {
    const okxSource = createOkxSource(noPause({ configure: (ex: unknown) => routeToReplay(ex as { fetchImplementation?: unknown }, server) }));
    expect(await okxSource.contractSize('BTC-USDT-SWAP')).toBe(0.01);
    const bybitSource = createBybitSource(noPause({ configure: (ex: unknown) => routeToReplay(ex as { fetchImplementation?: unknown }, server) }));
    expect(await bybitSource.contractSize('BTCUSDT')).toBe(1);
    await expect(okxSource.contractSize('NOPE-USDT-SWAP')).rejects.toMatchObject({ code: 'unknown-symbol' });
  });
});
