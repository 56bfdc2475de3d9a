/**
 * The Binance USDT-M module of the data layer against the replay server (real recorded Binance
 * data served over local HTTPS): a valid engine series of real bars with open interest in USD,
 * paging within the endpoints' limits, the server's clock, aborting, and errors.
 */
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateSeries } from '../src/engine/validate';
import { openSeriesCache } from '../src/data/cache';
import { createBinanceSource } from '../src/data/exchanges/binance';
import { DataError, type ExchangeSource } from '../src/data/exchanges/source';
import { createSeriesStore } from '../src/data/series-store';
import { pointAtReplay, type ReplayTarget } from './support/replay-ccxt';
import { defaultDataDir, type ReplayServer, startReplayServer } from '../test-support/replay-server/index';

// Vitest does not read the extension's Vite alias: map the exchange module file directly.

const DATA = defaultDataDir();
const MIN5 = 300_000;
const DAY = 86_400_000;

interface CsvBar {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  oi: number;
}

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
    };
  });
}

const recorded = readCsv5m();
const byTime = new Map(recorded.map((b) => [b.ts, b]));
const lastBar = recorded.at(-1)!;
const END = lastBar.ts + MIN5;

let server: ReplayServer;

function replaySource(): ExchangeSource {
  // Retry pauses are the fault tests' subject (tests/data-faults.test.ts); here they are skipped.
  return createBinanceSource({ configure: (exchange) => pointAtReplay(exchange as unknown as ReplayTarget, server), retry: { sleep: async () => undefined } });
}

const paths = (path: string) => server.requests.filter((r) => r.path === path);

beforeAll(async () => {
  server = await startReplayServer({ port: 0, dataDir: DATA });
});

afterAll(async () => {
  await server?.stop();
});

describe('data layer: Binance USDT-M against the replay server', () => {
  it('fetches 7 days of 5m bars: real candles with taker-buy volume, OI in USD, funding, on the server clock', async () => {
    server.clearRequests();
    const source = replaySource();
    expect(await source.serverTime()).toBe(END);
    const progress: [number, number][] = [];
    const since = END - 7 * DAY;
    const series = await source.fetchSeries({
      symbol: 'BTCUSDT',
      timeframe: '5m',
      since,
      onProgress: (done, total) => progress.push([done, total]),
    });
    // Binance's recorded BTCUSDT settlements are 8 h apart: the series' rates are per 8 h.
    expect(series).toMatchObject({ exchange: 'binance', symbol: 'BTCUSDT', timeframeMs: MIN5, serverTime: END, fundingIntervalMs: 8 * 3_600_000 });
    expect(validateSeries(series)).toBe(MIN5);
    // The replay clock is in the past: the series ends at the recording's last closed bar, not at Date.now().
    expect(series.bars.at(-1)!.timestamp).toBe(lastBar.ts);
    expect(series.bars[0]!.timestamp).toBe(since);
    const expected = recorded.filter((b) => b.ts >= since);
    expect(series.bars).toHaveLength(expected.length);
    for (const bar of series.bars) {
      const rec = byTime.get(bar.timestamp)!;
      expect([bar.open, bar.high, bar.low, bar.close]).toEqual([rec.open, rec.high, rec.low, rec.close]);
      expect(bar.openInterestUsd).toBeCloseTo(rec.oi, 0);
      expect(bar.volume).toBeGreaterThan(0);
      expect(bar.takerBuyVolume).toBeGreaterThanOrEqual(0);
      expect(bar.takerBuyVolume!).toBeLessThanOrEqual(bar.volume!);
      expect(Number.isFinite(bar.fundingRate)).toBe(true);
    }
    // Paging stays within the limits: klines 1,000 a call, openInterestHist 500 a call.
    const klines = paths('/fapi/v1/klines');
    expect(klines.length).toBeGreaterThanOrEqual(Math.ceil(expected.length / 1000));
    expect(klines.length).toBeLessThanOrEqual(Math.ceil(expected.length / 1000) + 1);
    for (const r of klines) expect(Number(r.query.limit)).toBeLessThanOrEqual(1000);
    const oi = paths('/futures/data/openInterestHist');
    expect(oi.length).toBeGreaterThanOrEqual(Math.ceil(expected.length / 500));
    for (const r of oi) expect(Number(r.query.limit)).toBeLessThanOrEqual(500);
    expect(server.requests.every((r) => r.status === 200)).toBe(true);
    expect(paths('/fapi/v1/time')).toHaveLength(2);
    // Progress runs up to the number of bars expected.
    expect(progress.at(-1)).toEqual([expected.length, expected.length]);
    for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).toBeGreaterThanOrEqual(progress[i - 1]![0]);
  });

  it('reaches back only 30 days for open interest: a 30-day request starts inside the window, older bars carry the first value', async () => {
    server.clearRequests();
    const source = replaySource();
    const series = await source.fetchSeries({ symbol: 'BTC/USDT:USDT', timeframe: '1h', since: END - 30 * DAY });
    expect(validateSeries(series)).toBe(3_600_000);
    expect(series.bars.length).toBeGreaterThan(24 * 25);
    for (const r of paths('/futures/data/openInterestHist')) {
      expect(r.status).toBe(200);
      expect(Number(r.query.startTime)).toBeGreaterThan(END - 30 * DAY);
    }
    expect(series.bars.every((b) => b.openInterestUsd! > 0)).toBe(true);
  });

  it('fetches only the requested window for an incremental update (the anchor bar again, then the new ones)', async () => {
    const source = replaySource();
    const anchorTs = lastBar.ts - 10 * MIN5;
    server.clearRequests();
    const series = await source.fetchSeries({ symbol: 'BTCUSDT', timeframe: '5m', since: anchorTs });
    expect(series.bars.map((b) => b.timestamp)).toEqual(Array.from({ length: 11 }, (_, i) => anchorTs + i * MIN5));
    for (const r of paths('/fapi/v1/klines')) expect(Number(r.query.startTime)).toBeGreaterThanOrEqual(anchorTs);
    expect(paths('/fapi/v1/klines').length).toBeLessThanOrEqual(2);
  });

  it('stops paging when the signal aborts and rejects with its reason', async () => {
    const source = replaySource();
    await source.serverTime();
    server.clearRequests();
    const controller = new AbortController();
    let pages = 0;
    const pending = source.fetchSeries({
      symbol: 'BTCUSDT',
      timeframe: '5m',
      since: END - 25 * DAY,
      signal: controller.signal,
      onProgress: () => {
        pages++;
        if (pages === 1) controller.abort(new Error('user left the page'));
      },
    });
    await expect(pending).rejects.toThrow('user left the page');
    await new Promise((r) => setTimeout(r, 300));
    // 25 days of 5m bars are 8 kline pages; the abort after the first leaves the rest unsent.
    expect(paths('/fapi/v1/klines').length).toBeLessThanOrEqual(2);
  });

  it('turns exchange errors into DataError and unknown markets into unknown-symbol', async () => {
    const source = replaySource();
    await expect(source.fetchSeries({ symbol: 'NOPEUSDT', timeframe: '5m', since: END - DAY })).rejects.toMatchObject({
      name: 'DataError',
      code: 'unknown-symbol',
    });
    server.injectFault({ kind: 'server-error', path: '/fapi/v1/klines', count: 'always' });
    try {
      const failure = await source.fetchSeries({ symbol: 'BTCUSDT', timeframe: '5m', since: END - DAY }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(DataError);
      // 5xx is retried a bounded number of times, then reported as the exchange being unavailable.
      expect(failure).toMatchObject({ code: 'unavailable' });
      expect((failure as Error).message).toMatch(/binance is unavailable \(4 tries\)/);
      expect(paths('/fapi/v1/klines').filter((r) => r.fault === 'server-error')).toHaveLength(4);
    } finally {
      server.clearFaults();
    }
  });

  it('a missing long/short ratio or funding is a note, not a failure', async () => {
    const source = replaySource();
    server.injectFault({ kind: 'server-error', path: '/fapi/v1/fundingRate', count: 'always' });
    try {
      const series = await source.fetchSeries({ symbol: 'BTCUSDT', timeframe: '15m', since: END - DAY });
      expect(validateSeries(series)).toBe(900_000);
      expect(series.bars.some((b) => b.fundingRate !== undefined)).toBe(false);
      expect(series.notes.join(' ')).toMatch(/funding unavailable/);
      // No history, and Binance sets the interval per market: none is told.
      expect(series.fundingIntervalMs).toBeUndefined();
    } finally {
      server.clearFaults();
    }
  });

  it('lists the USDT perpetuals by their own ids with the unified symbol', async () => {
    const markets = await replaySource().listMarkets();
    expect(markets.find((m) => m.symbol === 'BTCUSDT')).toMatchObject({ exchange: 'binance', unified: 'BTC/USDT:USDT', base: 'BTC', quote: 'USDT' });
    expect(markets.every((m) => m.unified.endsWith(':USDT'))).toBe(true);
    expect(markets.map((m) => m.symbol)).toEqual([...markets.map((m) => m.symbol)].sort());
  });

  it('margin tiers: Binance brackets need a key, so the engine table is used without a request', async () => {
    server.clearRequests();
    const tiers = await replaySource().fetchMarginTiers('BTCUSDT');
    expect(tiers.source).toBe('shipped');
    expect(tiers.tiers[0]).toMatchObject({ maxLeverage: 125 });
    expect(server.requests).toHaveLength(0);
  });
});

describe('data layer: loadSeries over the replay server', () => {
  it('cold load fetches 7 days; a warm load asks only for bars from the newest held one; a later load only the new bars', async () => {
    const source = replaySource();
    const store = createSeriesStore({ openCache: () => openSeriesCache({ name: 'replay-binance' }), source: async () => source });
    server.clearRequests();
    const cold = await store.loadSeries('binance', 'BTCUSDT', '5m', 7 * DAY);
    expect(cold).toMatchObject({ fromCache: false, newestTimestamp: lastBar.ts, serverTime: END, age: MIN5, stale: false });
    expect(validateSeries(cold.series)).toBe(MIN5);
    expect(cold.series.bars.every((b) => b.openInterestUsd! > 0)).toBe(true);

    server.clearRequests();
    const warm = await store.loadSeries('binance', 'BTCUSDT', '5m', 7 * DAY);
    expect(warm.fromCache).toBe(true);
    expect(warm.series.bars).toEqual(cold.series.bars);
    expect(warm.fetchedBars).toBe(1);
    // One call per series, each starting at the newest held bar.
    expect(paths('/fapi/v1/klines').map((r) => Number(r.query.startTime))).toEqual([lastBar.ts]);
    for (const r of paths('/futures/data/openInterestHist')) expect(Number(r.query.startTime)).toBeGreaterThanOrEqual(lastBar.ts);

    // Half an hour later on the exchange's clock: six new closed bars, and only they (plus the anchor) are asked for.
    const saved = server.now();
    try {
      server.setNow(saved - 3 * 3_600_000);
      // (the recording ends at END: step the clock back to make room, then forward by 30 minutes)
      const earlierStore = createSeriesStore({ openCache: () => openSeriesCache({ name: 'replay-binance-2' }), source: async () => source });
      const before = await earlierStore.loadSeries('binance', 'BTCUSDT', '5m', DAY);
      expect(before.newestTimestamp).toBe(saved - 3 * 3_600_000 - MIN5);
      server.setNow(saved - 3 * 3_600_000 + 30 * 60_000);
      server.clearRequests();
      const later = await earlierStore.loadSeries('binance', 'BTCUSDT', '5m', DAY);
      expect(later.newestTimestamp).toBe(before.newestTimestamp + 6 * MIN5);
      expect(later.fetchedBars).toBe(7);
      expect(later.cachedBars).toBe(later.series.bars.length - 7);
      expect(paths('/fapi/v1/klines').map((r) => Number(r.query.startTime))).toEqual([before.newestTimestamp]);
      expect(paths('/futures/data/openInterestHist').map((r) => Number(r.query.startTime))).toEqual([before.newestTimestamp]);
      for (const bar of later.series.bars) expect(bar.close).toBe(byTime.get(bar.timestamp)!.close);
    } finally {
      server.setNow(saved);
    }
  });
});
