/**
 * The bar still forming: every exchange sends it, and the data layer keeps it only until the next
 * load, which fetches it again (from the newest held bar on), so a bar read while it was forming is
 * never kept as that bar's final values. Through the replay, which serves the forming bar cut at
 * its "now" (see test-support/replay-server/exchanges/forming.ts), and the IndexedDB cache.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSeriesCache } from '../src/data/cache';
import { createBinanceSource } from '../src/data/exchanges/binance';
import { createBybitSource } from '../src/data/exchanges/bybit';
import { createSeriesStore } from '../src/data/series-store';
import { validateSeries } from '../src/engine/validate';
import { loadBinanceData } from '../test-support/replay-server/exchanges/binance-data';
import { defaultDataDir, type ReplayServer, startReplayServer } from '../test-support/replay-server/index';
import { routeToReplay } from './support/replay-fetch';

const DATA = defaultDataDir();
const MIN5 = 300_000;
const DAY = 86_400_000;
const five = loadBinanceData(DATA).klines.get('BTCUSDT')!.get('5m')!;
const recorded = new Map(five.map((k) => [k.openTime, k]));
/** A bar of the recording two hours before its end, and "now" 2.5 minutes into it. */
const OPEN = five.at(-25)!.openTime;
const INSIDE = OPEN + 150_000;

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer({ dataDir: DATA, now: INSIDE });
});
afterAll(async () => {
  await server?.stop();
});

const options = () => ({ configure: (ex: unknown) => routeToReplay(ex as { fetchImplementation?: unknown }, server), retry: { sleep: async () => undefined } });

describe('the forming bar', () => {
  for (const [id, create] of [
    ['binance', () => createBinanceSource(options())],
    ['bybit', () => createBybitSource(options())],
  ] as const) {
    it(`${id}: served half-way, replaced by the closed bar on the next load (cache included)`, async () => {
      server.setNow(INSIDE);
      const source = create();
      const store = createSeriesStore({ openCache: () => openSeriesCache({ name: `forming-${id}` }), source: async () => source });
      const first = await store.loadSeries(id, 'BTCUSDT', '5m', DAY);
      expect(validateSeries(first.series)).toBe(MIN5);
      const forming = first.series.bars.at(-1)!;
      const full = recorded.get(OPEN)!;
      expect(forming.timestamp).toBe(OPEN);
      // Half-way: the close between the open and the recorded close, not the recorded close.
      expect(forming.close).toBeCloseTo(full.open + (full.close - full.open) / 2, 6);
      expect(forming.close).not.toBe(full.close);
      // The bar before it is closed and as recorded.
      expect(first.series.bars.at(-2)!.close).toBe(recorded.get(OPEN - MIN5)!.close);

      server.setNow(OPEN + MIN5 + 60_000);
      const second = await store.loadSeries(id, 'BTCUSDT', '5m', DAY);
      const closed = second.series.bars.find((b) => b.timestamp === OPEN)!;
      expect(closed.close).toBe(full.close);
      expect(closed.high).toBe(full.high);
      expect(second.series.bars.at(-1)!.timestamp).toBe(OPEN + MIN5);
      // The cache holds the final values now, not the half-way ones.
      const cache = await openSeriesCache({ name: `forming-${id}` });
      const held = await cache.read({ exchange: id, symbol: 'BTCUSDT', timeframe: '5m' });
      expect(held!.bars.find((b) => b.timestamp === OPEN)!.close).toBe(full.close);
    });
  }
});
