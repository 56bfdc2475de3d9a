/**
 * Bitget and Hyperliquid publish no open-interest history. On a first visit their bars take the
 * open-interest changes of the same coin on Binance, Bybit and OKX, scaled to the venue's current
 * open interest (never a flat, turnover-only map without saying so); the venue's own snapshots,
 * accumulated while panels are open, take over for the stretch they cover. Through the replay and
 * the IndexedDB cache.
 *
 * In the replay every venue's BTC open interest is Binance's recorded series standing in (Bitget
 * and Hyperliquid as a snapshot, Bybit and OKX as history), so the borrowed values must follow
 * Binance's recorded coins bar for bar.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSeriesCache } from '../src/data/cache';
import { createBinanceSource } from '../src/data/exchanges/binance';
import { createBitgetSource } from '../src/data/exchanges/bitget';
import { createBybitSource } from '../src/data/exchanges/bybit';
import { createHyperliquidSource } from '../src/data/exchanges/hyperliquid';
import { createOkxSource } from '../src/data/exchanges/okx';
import type { ExchangeSource } from '../src/data/exchanges/source';
import { createSeriesStore } from '../src/data/series-store';
import type { ExchangeId } from '../src/engine/types';
import { validateSeries } from '../src/engine/validate';
import { recordedSeries } from '../test-support/replay-server/exchanges/recorded-series';
import { defaultDataDir, type ReplayServer, startReplayServer } from '../test-support/replay-server/index';
import { routeToReplay } from './support/replay-fetch';

const DATA = defaultDataDir();
const MIN5 = 300_000;
const DAY = 86_400_000;
const stand = recordedSeries(DATA, 'binance-stand-in');

let server: ReplayServer;
let end: number;
beforeAll(async () => {
  server = await startReplayServer({ dataDir: DATA });
  end = server.now();
});
afterAll(async () => {
  await server?.stop();
});

function sources(): (exchange: ExchangeId) => Promise<ExchangeSource> {
  const options = { configure: (ex: unknown) => routeToReplay(ex as { fetchImplementation?: unknown }, server), retry: { sleep: async () => undefined } };
  const made = new Map<ExchangeId, ExchangeSource>();
  const create: Record<ExchangeId, () => ExchangeSource> = {
    binance: () => createBinanceSource(options),
    bybit: () => createBybitSource(options),
    okx: () => createOkxSource(options),
    bitget: () => createBitgetSource(options),
    hyperliquid: () => createHyperliquidSource(options),
  };
  return async (exchange) => {
    let source = made.get(exchange);
    if (!source) made.set(exchange, (source = create[exchange]()));
    return source;
  };
}

/** Binance's recorded open interest in coins for the bar opening at `t` (the sample stamped at its open). */
function recordedCoins(t: number): number {
  return stand.openInterest(MIN5, t, t, end)[0]!.base;
}

describe('a first visit on a venue without open-interest history', () => {
  for (const [exchange, symbol, name] of [
    ['bitget', 'BTCUSDT', 'Bitget'],
    ['hyperliquid', 'BTC', 'Hyperliquid'],
  ] as const) {
    it(`${name}: open interest follows Binance, Bybit and OKX, scaled to ${name}'s own; the notes and reasons say so`, async () => {
      server.setNow(end);
      const store = createSeriesStore({ openCache: () => openSeriesCache({ name: `borrowed-${exchange}` }), source: sources() });
      const loaded = await store.loadSeries(exchange, symbol, '5m', DAY);
      const bars = loaded.series.bars;
      expect(validateSeries(loaded.series)).toBe(MIN5);
      // The current bar is the venue's own snapshot; every bar before it is borrowed.
      const current = bars.at(-1)!;
      expect(loaded.ownOpenInterestFrom).toBe(current.timestamp);
      expect(current.openInterestBase).toBeCloseTo(stand.openInterestNow(end)!.base, 3);
      const own = current.openInterestBase!;
      const scale = own / recordedCoins(current.timestamp);
      for (const bar of bars.slice(0, -1)) expect(bar.openInterestBase! / (recordedCoins(bar.timestamp) * scale)).toBeCloseTo(1, 4);
      // Not flat: the map gets position flow, not turnover alone.
      expect(new Set(bars.map((b) => b.openInterestBase!.toFixed(3))).size).toBeGreaterThan(200);
      const note = loaded.notes.find((n) => n.startsWith(`${name} publishes no open-interest history: before`));
      expect(note).toContain('follows the changes on Binance, Bybit and OKX');
      const reason = loaded.reasons?.find((r) => r.factor === 'open-interest');
      expect(reason?.text).toMatch(new RegExp(`^Open interest before .* is borrowed: ${name} publishes no history, so the changes on Binance, Bybit and OKX are scaled to ${name}'s size`));
    });
  }

  it("Bitget's own snapshots take over for the stretch they cover while the panel stays open, and start again after a long gap", async () => {
    // 2.5 minutes into a bar, so the current bar (still forming) is served.
    server.setNow(end - 2 * 3_600_000 + 150_000);
    const store = createSeriesStore({ openCache: () => openSeriesCache({ name: 'borrowed-accumulate' }), source: sources() });
    const first = await store.loadSeries('bitget', 'BTCUSDT', '5m', DAY);
    const from = first.ownOpenInterestFrom!;
    expect(from).toBe(first.series.bars.at(-1)!.timestamp);
    // Minute refreshes for 30 minutes: each load takes a snapshot; the run keeps its start.
    let last = first;
    for (let i = 0; i < 6; i++) {
      server.advance(5 * 60_000);
      last = await store.loadSeries('bitget', 'BTCUSDT', '5m', DAY);
    }
    expect(last.ownOpenInterestFrom).toBe(from);
    const ownBars = last.series.bars.filter((b) => b.timestamp >= from);
    expect(ownBars).toHaveLength(7);
    // Each own bar is the snapshot taken in it (the replay's stand-in: Binance's latest sample then).
    for (const bar of ownBars) expect(bar.openInterestBase).toBeCloseTo(recordedCoins(bar.timestamp), 3);
    // Before the run, borrowed values scaled at its first bar.
    const scale = ownBars[0]!.openInterestBase! / recordedCoins(from);
    for (const bar of last.series.bars.filter((b) => b.timestamp < from)) expect(bar.openInterestBase! / (recordedCoins(bar.timestamp) * scale)).toBeCloseTo(1, 4);
    const cache = await openSeriesCache({ name: 'borrowed-accumulate' });
    expect((await cache.read({ exchange: 'bitget', symbol: 'BTCUSDT', timeframe: '5m' }))!.entry.ownOpenInterestFrom).toBe(from);
    cache.close();

    // Closed for 90 minutes: the straight line between two far snapshots is no record; the run starts again.
    server.advance(90 * 60_000);
    const later = await store.loadSeries('bitget', 'BTCUSDT', '5m', DAY);
    expect(later.ownOpenInterestFrom).toBe(later.series.bars.at(-1)!.timestamp);
  });

  it('when no other exchange answers, the map is flat before the own snapshot and the notes and reasons say it rests on turnover alone', async () => {
    server.setNow(end);
    for (const host of ['fapi.binance.com', 'api.bybit.com', 'www.okx.com']) server.injectFault({ kind: 'server-error', host, count: 'always' });
    try {
      const store = createSeriesStore({ openCache: () => openSeriesCache({ name: 'borrowed-none' }), source: sources() });
      const loaded = await store.loadSeries('bitget', 'BTCUSDT', '5m', DAY);
      expect(new Set(loaded.series.bars.map((b) => b.openInterestBase)).size).toBe(1);
      expect(loaded.notes.join('\n')).toMatch(/Bitget publishes no open-interest history and no other exchange's could stand in \(.*\): before .* open interest is flat, so the map there rests on turnover alone/);
      expect(loaded.reasons?.find((r) => r.factor === 'open-interest')?.text).toMatch(/rests on turnover alone/);
    } finally {
      server.clearFaults();
    }
  });
});
