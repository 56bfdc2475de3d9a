/**
 * Funding and long/short ratios reach over the whole lookback on every exchange, for markets that
 * fund every 1, 4 and 8 hours, through the replay (each exchange's real paging parameters: OKX
 * `before`/`after`, Bitget `pageNo`, Bybit and Binance start/end, Hyperliquid start/end), and the
 * part an exchange cannot serve is named in the notes and the reliability reasons.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBinanceSource } from '../src/data/exchanges/binance';
import { createBitgetSource } from '../src/data/exchanges/bitget';
import { createBybitSource } from '../src/data/exchanges/bybit';
import { createHyperliquidSource } from '../src/data/exchanges/hyperliquid';
import { createOkxSource } from '../src/data/exchanges/okx';
import type { ExchangeSource } from '../src/data/exchanges/source';
import { coverageNotes, coverageReasons, seriesCoverage } from '../src/data/coverage';
import { createSeriesStore } from '../src/data/series-store';
import type { Bar, ExchangeId } from '../src/engine/types';
import { validateSeries } from '../src/engine/validate';
import { defaultDataDir, type ReplayServer, startReplayServer } from '../test-support/replay-server/index';
import { recordedSeries, type Venue } from '../test-support/replay-server/exchanges/recorded-series';
import { routeToReplay } from './support/replay-fetch';

const DATA = defaultDataDir();
const MIN15 = 900_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

const MARKETS: readonly { readonly id: ExchangeId; readonly symbol: string; readonly venue: Venue; readonly create: (s: ReplayServer) => ExchangeSource }[] = [
  { id: 'binance', symbol: 'BTCUSDT', venue: 'binance-stand-in', create: (s) => createBinanceSource(options(s)) },
  { id: 'bybit', symbol: 'BTCUSDT', venue: 'bybit', create: (s) => createBybitSource(options(s)) },
  { id: 'okx', symbol: 'BTC-USDT-SWAP', venue: 'okx', create: (s) => createOkxSource(options(s)) },
  { id: 'bitget', symbol: 'BTCUSDT', venue: 'binance-stand-in', create: (s) => createBitgetSource(options(s)) },
  { id: 'hyperliquid', symbol: 'BTC', venue: 'binance-stand-in', create: (s) => createHyperliquidSource(options(s)) },
];

/** The funding endpoint of each exchange (Hyperliquid's `/info` carries every request type). */
const FUNDING_PATH: Readonly<Record<ExchangeId, string>> = {
  binance: '/fapi/v1/fundingRate',
  bybit: '/v5/market/funding/history',
  okx: '/api/v5/public/funding-rate-history',
  bitget: '/api/v2/mix/market/history-fund-rate',
  hyperliquid: '/info',
};

function options(server: ReplayServer) {
  return { configure: (ex: unknown) => routeToReplay(ex as { fetchImplementation?: unknown }, server), retry: { sleep: async () => undefined } };
}

/** The rate a bar must carry: the latest settlement stamped before its end. */
function expectedRate(events: readonly { time: number; rate: number }[], bar: Bar, tf: number): number | undefined {
  let rate: number | undefined;
  for (const e of events) {
    if (e.time < bar.timestamp + tf) rate = e.rate;
    else break;
  }
  return rate;
}

for (const hours of [1, 4, 8] as const) {
  describe(`funding every ${hours} h: every bar of a 7-day lookback has its rate, on every exchange`, () => {
    let server: ReplayServer;
    beforeAll(async () => {
      server = await startReplayServer({ dataDir: DATA, fundingHours: { binance: hours, bybit: hours, okx: hours, bitget: hours, hyperliquid: hours } });
    });
    afterAll(async () => {
      await server?.stop();
    });

    for (const market of MARKETS) {
      it(market.id, async () => {
        const source = market.create(server);
        const now = server.now();
        const mark = server.requests.at(-1)?.seq ?? 0;
        const series = await source.fetchSeries({ symbol: market.symbol, timeframe: '15m', since: now - 7 * DAY });
        expect(validateSeries(series)).toBe(MIN15);
        expect(series.bars.length).toBeGreaterThanOrEqual(7 * 96);
        const events = recordedSeries(DATA, market.venue).fundingAt(hours, 0, now, now);
        // Hourly funding over 8 days is 192 settlements: more than one page on OKX (100) and Bitget (100).
        expect(events.filter((e) => e.time >= now - 8 * DAY).length).toBeGreaterThanOrEqual((8 * 24) / hours - 1);
        // Binance sends rates with 8 decimals.
        for (const bar of series.bars) expect(bar.fundingRate).toBeCloseTo(expectedRate(events, bar, MIN15)!, 7);
        expect(series.notes.join(' ')).not.toMatch(/funding unavailable/);
        const fundingCalls = server.requests.filter((r) => r.seq > mark && r.path === FUNDING_PATH[market.id]);
        expect(fundingCalls.length).toBeGreaterThanOrEqual(hours === 1 && (market.id === 'okx' || market.id === 'bitget') ? 2 : 1);
      });
    }
  });
}

describe('long/short ratios over a 7-day lookback, paged by each endpoint\'s parameters', () => {
  let server: ReplayServer;
  beforeAll(async () => {
    server = await startReplayServer({ dataDir: DATA });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const ratioMarkets = MARKETS.filter((m) => m.id === 'bybit' || m.id === 'okx' || m.id === 'bitget');
  const paths: Record<string, string> = {
    bybit: '/v5/market/account-ratio',
    okx: '/api/v5/rubik/stat/contracts/long-short-account-ratio-contract',
    bitget: '/api/v2/mix/market/account-long-short',
  };

  for (const market of ratioMarkets) {
    it(`${market.id}: every bar has a ratio (accounts long over accounts short)`, async () => {
      const source = market.create(server);
      const now = server.now();
      const mark = server.requests.at(-1)?.seq ?? 0;
      const series = await source.fetchSeries({ symbol: market.symbol, timeframe: '15m', since: now - 7 * DAY });
      expect(series.bars.every((b) => b.longShortRatio !== undefined && b.longShortRatio > 0)).toBe(true);
      // Units: a ratio of accounts (around 1-3 here), never a percentage or a share below 1.
      // The latest row published at the period the exchange is read at (OKX hourly, the others the bar's).
      const period = market.id === 'okx' ? HOUR : MIN15;
      const latest = recordedSeries(DATA, 'bybit').ratio(period, 0, now, now).at(-1)!;
      expect(series.bars.at(-1)!.longShortRatio).toBeCloseTo(latest.ratio, 2);
      const calls = server.requests.filter((r) => r.seq > mark && r.path === paths[market.id]);
      // 7 days of 15m rows (672) are more than Bybit's 500 a page; 7 days of OKX's hourly rows more than its 100.
      expect(calls.length).toBeGreaterThanOrEqual(2);
      expect(calls.every((c) => c.status === 200)).toBe(true);
    });
  }
});

describe('what an exchange cannot serve is named', () => {
  let server: ReplayServer;
  beforeAll(async () => {
    server = await startReplayServer({ dataDir: DATA });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a 30-day lookback on Bybit: the ratio (500 recorded hours) starts 21 days back, the notes say from when and how much is missing', async () => {
    const store = createSeriesStore({ openCache: () => Promise.reject(new Error('no cache here')), source: async () => createBybitSource(options(server)) });
    const loaded = await store.loadSeries('bybit', 'BTCUSDT', '1h', 30 * DAY);
    const first = recordedSeries(DATA, 'bybit').ratio(HOUR, 0, server.now(), server.now())[0]!;
    const without = loaded.series.bars.filter((b) => b.longShortRatio === undefined);
    expect(without.length).toBeGreaterThan(24 * 8);
    expect(without.every((b) => b.timestamp + HOUR <= first.time)).toBe(true);
    expect(loaded.coverage?.longShortRatio).toMatchObject({ leading: without.length, missing: without.length, from: first.time });
    const note = loaded.notes.find((n) => n.startsWith('Bybit served long/short ratios from'));
    expect(note).toContain(new Date(first.time).toISOString().slice(0, 16).replace('T', ' '));
    expect(note).toContain(`(${without.length} of ${loaded.series.bars.length} bars) have none`);
    // Funding reaches every bar: no note, no reason.
    expect(loaded.coverage?.funding).toMatchObject({ missing: 0 });
    expect(loaded.reasons).toEqual([]);
  });

  it('funding missing for the oldest stretch: a note and a reliability reason name it', () => {
    const bars: Bar[] = Array.from({ length: 96 }, (_, i) => ({
      timestamp: i * MIN15,
      open: 100,
      high: 101,
      low: 99,
      close: 100,
      openInterestUsd: 1e9,
      ...(i >= 32 ? { fundingRate: 0.0001 } : {}),
    }));
    const coverage = seriesCoverage(bars, MIN15, { funding: true, longShortRatio: false });
    expect(coverage.funding).toEqual({ missing: 32, leading: 32, from: 32 * MIN15 });
    expect(coverageNotes('okx', coverage)).toEqual(['OKX served funding rates from 1970-01-01 08:00 UTC on: the oldest 8 h of the history loaded (32 of 96 bars) have none']);
    const [reason] = coverageReasons('okx', coverage);
    expect(reason).toMatchObject({ factor: 'coverage' });
    expect(reason!.text).toBe('Funding from OKX is missing for the oldest 8 h of the history: there, which side is crowded rests on taker flow and the ratio alone');
    expect(reason!.score).toBeCloseTo(0.5 + 0.5 * (64 / 96), 12);
    const full = seriesCoverage(bars.slice(32), MIN15, { funding: true, longShortRatio: false });
    expect(coverageNotes('okx', full)).toEqual([]);
    expect(coverageReasons('okx', full)).toEqual([]);
  });
});
