/**
 * Loading progress counted in requests (rule: src/data/request-tally.ts): the plan each exchange
 * module makes before sending anything equals the history requests it then sends to the replay
 * server (real recorded data); n reaches N; a retried page counts once; a page cut short adds one;
 * cached bars need no request.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSeriesCache } from '../src/data/cache';
import { createBinanceSource } from '../src/data/exchanges/binance';
import { createBitgetSource } from '../src/data/exchanges/bitget';
import { createBybitSource } from '../src/data/exchanges/bybit';
import { createHyperliquidSource } from '../src/data/exchanges/hyperliquid';
import { createOkxSource } from '../src/data/exchanges/okx';
import { pageForward } from '../src/data/exchanges/paging';
import type { ExchangeSource } from '../src/data/exchanges/source';
import { createRequestTally } from '../src/data/request-tally';
import { createSeriesStore } from '../src/data/series-store';
import { defaultDataDir, type ReplayServer, startReplayServer } from '../test-support/replay-server/index';
import { pointAtReplay, type ReplayTarget } from './support/replay-ccxt';
import { routeToReplay } from './support/replay-fetch';

const DATA = defaultDataDir();
const MIN5 = 300_000;
const DAY = 86_400_000;
const noPause = { sleep: async () => undefined };

let server: ReplayServer;

beforeAll(async () => {
  server = await startReplayServer({ port: 0, dataDir: DATA });
});
afterAll(async () => {
  await server?.stop();
});

/** The history endpoints of each exchange (what the plan counts; clock and market list are not). */
const HISTORY: Readonly<Record<string, RegExp>> = {
  binance: /^\/(fapi\/v1\/(klines|fundingRate)|futures\/data\/(openInterestHist|globalLongShortAccountRatio))$/,
  bybit: /^\/v5\/market\/(kline|open-interest|funding\/history|account-ratio)$/,
  okx: /^\/api\/v5\/(market\/(history-)?candles|rubik\/stat\/contracts\/(open-interest-history|long-short-account-ratio-contract)|public\/funding-rate-history)$/,
  bitget: /^\/api\/v2\/mix\/market\/(candles|history-candles|open-interest|history-fund-rate|account-long-short)$/,
};

function historyRequests(exchange: string, fromSeq: number): number {
  if (exchange === 'hyperliquid') {
    // One POST path for everything; the market list is loaded before `fromSeq`.
    return server.requests.filter((r) => r.seq > fromSeq && r.host === 'api.hyperliquid.xyz').length;
  }
  const pattern = HISTORY[exchange]!;
  return server.requests.filter((r) => r.seq > fromSeq && pattern.test(r.path)).length;
}

const lastSeq = () => server.requests.at(-1)?.seq ?? 0;

function binance(): ExchangeSource {
  return createBinanceSource({ configure: (ex) => pointAtReplay(ex as unknown as ReplayTarget, server), retry: noPause });
}

const routed = { configure: (ex: unknown) => routeToReplay(ex as { fetchImplementation?: unknown }, server), retry: noPause };

describe('request plan of the exchange modules against the replay server', () => {
  it('Binance, 7 days of 5m bars: 3 kline pages (1,000 a call), 5 of open interest and 5 of the ratio (500), 1 of funding', async () => {
    const source = binance();
    await source.listMarkets();
    const now = await source.serverTime();
    const since = now - 7 * DAY;
    // 2,017 bars (7 days and the current one): 3 x 1,000 klines, 5 x 500 OI rows, 5 x 500 ratio
    // rows, funding from a day earlier at 1,000 hourly steps a call: 1.
    expect(source.planRequests({ timeframe: '5m', since, now })).toBe(14);
    const mark = lastSeq();
    const counts: [number, number][] = [];
    const series = await source.fetchSeries({ symbol: 'BTCUSDT', timeframe: '5m', since, now, onRequests: (d, n) => counts.push([d, n]) });
    expect(series.bars.length).toBeGreaterThan(2_000);
    expect(counts[0]).toEqual([0, 14]);
    expect(counts.at(-1)).toEqual([14, 14]);
    expect(counts.every(([, n]) => n === 14)).toBe(true);
    expect(counts.map(([d]) => d)).toEqual([...Array(15).keys()]);
    expect(historyRequests('binance', mark)).toBe(14);
  });

  it('a page retried after a rate limit counts once', async () => {
    const source = binance();
    await source.listMarkets();
    const now = await source.serverTime();
    server.injectFault({ kind: 'rate-limit', path: '/fapi/v1/klines', count: 1, retryAfter: 0 });
    const mark = lastSeq();
    const counts: [number, number][] = [];
    await source.fetchSeries({ symbol: 'BTCUSDT', timeframe: '5m', since: now - DAY, now, onRequests: (d, n) => counts.push([d, n]) });
    server.clearFaults();
    const planned = source.planRequests({ timeframe: '5m', since: now - DAY, now });
    // 289 bars: one page of each series.
    expect(planned).toBe(4);
    expect(historyRequests('binance', mark)).toBe(5);
    expect(counts.at(-1)).toEqual([4, 4]);
  });

  it.each([
    ['bybit', () => createBybitSource(routed), 'BTCUSDT'],
    ['okx', () => createOkxSource(routed), 'BTC-USDT-SWAP'],
    ['bitget', () => createBitgetSource(routed), 'BTCUSDT'],
    ['hyperliquid', () => createHyperliquidSource(routed), 'BTC'],
  ] as const)('%s: the plan is what is sent, and n reaches N', async (exchange, create, symbol) => {
    const source = create();
    await source.listMarkets();
    const now = await source.serverTime();
    for (const [timeframe, days] of [['5m', 3], ['1h', 7]] as const) {
      const since = now - days * DAY;
      const planned = source.planRequests({ timeframe, since, now });
      expect(planned).toBeGreaterThan(0);
      const mark = lastSeq();
      const counts: [number, number][] = [];
      const got = await source.fetchSeries({ symbol, timeframe, since, now, onRequests: (d, n) => counts.push([d, n]) });
      // A series whose one request failed (the replay does not serve Bitget's ratio) leaves the
      // plan: its request was sent but did not complete.
      const failed = got.notes.filter((note) => / unavailable: /.test(note)).length;
      expect(counts[0], `${exchange} ${timeframe}`).toEqual([0, planned]);
      expect(counts.at(-1), `${exchange} ${timeframe}`).toEqual([planned - failed, planned - failed]);
      expect(historyRequests(exchange, mark), `${exchange} ${timeframe}`).toBe(planned);
    }
  });

  it('OKX, 3 days of 5m bars: 300 rows a call for candles, 100 for open interest, hourly ratio and funding', async () => {
    const source = createOkxSource(routed);
    const now = await source.serverTime();
    // 865 bars: 3 candle pages (300 a call) and 9 of open interest; the ratio hourly from an hour
    // earlier (73 rows): 1; funding from a day earlier at 100 hourly steps a call (97 h): 1.
    expect(source.planRequests({ timeframe: '5m', since: now - 3 * DAY, now })).toBe(14);
  });
});

describe('request count through the series store (cache)', () => {
  it('cold load plans every series; a warm load plans only the bars not held; short pages past the data add requests', async () => {
    const end = server.now();
    // An hour before the recording ends, so that moving the clock reveals recorded bars.
    server.setNow(end - 12 * MIN5);
    try {
      const store = createSeriesStore({ openCache: () => openSeriesCache({ name: `progress-${Math.random()}` }), source: async () => binance() });
      const cold: [number, number][] = [];
      const mark = lastSeq();
      await store.loadSeries('binance', 'BTCUSDT', '5m', 2 * DAY, { onRequests: (d, n) => cold.push([d, n]) });
      // 577 bars: 1 kline page, 2 of open interest, 2 of the ratio, 1 of funding.
      expect(cold[0]).toEqual([0, 6]);
      expect(cold.at(-1)).toEqual([6, 6]);
      expect(historyRequests('binance', mark)).toBe(6);

      server.advance(3 * MIN5);
      const warm: [number, number][] = [];
      const again = lastSeq();
      await store.loadSeries('binance', 'BTCUSDT', '5m', 2 * DAY, { onRequests: (d, n) => warm.push([d, n]) });
      // The newest 4 bars: one page of each series; the 573 held bars need none.
      expect(warm).toEqual([[0, 4], [1, 4], [2, 4], [3, 4], [4, 4]]);
      expect(historyRequests('binance', again)).toBe(4);

      // Past the end of the recording the pages stop short of bars that should be published:
      // each is asked again from where it stopped, one more request each, and N grows with them.
      server.setNow(end + 6 * MIN5);
      const beyond: [number, number][] = [];
      const third = lastSeq();
      await store.loadSeries('binance', 'BTCUSDT', '5m', 2 * DAY, { onRequests: (d, n) => beyond.push([d, n]) });
      const sent = historyRequests('binance', third);
      expect(beyond[0]).toEqual([0, 4]);
      expect(sent).toBeGreaterThan(4);
      expect(beyond.at(-1)).toEqual([sent, sent]);
    } finally {
      server.setNow(end);
    }
  });
});

describe('paging and the tally', () => {
  it('a page cut short adds one request to N; a failed series leaves the plan', async () => {
    const step = MIN5;
    const tally: [number, number][] = [];
    const counter = createRequestTally((d, n) => tally.push([d, n]));
    const range = { since: 0, until: 199 * step, stepMs: step, limit: 100 };
    const candles = counter.part(2);
    const failing = counter.part(3);
    counter.report();
    let calls = 0;
    await pageForward({
      ...range,
      // The first answer stops 10 rows early, as an exchange under load sometimes does.
      fetchPage: async (start, end) => {
        calls++;
        const rows: number[] = [];
        for (let t = start; t <= end && (calls > 1 || rows.length < 90); t += step) rows.push(t);
        return rows;
      },
      timeOf: (t) => t,
      onRequest: (extra) => candles.request(extra),
    });
    candles.settle();
    failing.request(false);
    failing.settle();
    expect(calls).toBe(3);
    expect(tally[0]).toEqual([0, 5]);
    expect(tally).toContainEqual([3, 6]);
    expect(tally.at(-1)).toEqual([4, 4]);
  });
});
