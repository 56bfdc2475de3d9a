/**
 * Several panels and the popup open at once, refreshed every minute by the live hub, through the
 * real data layer (ccxt with its rate limiter on, as in the extension; IndexedDB cache) against the
 * replay enforcing each exchange's published rate limits (`test-support/replay-server/rate-limits.ts`).
 * No request is refused (no 429), and each minute's requests per exchange are counted against the
 * per-minute limits. The minute is compressed: the replay's clock moves a minute per refresh while
 * the wall clock moves a few seconds, so the short windows (OKX 2 s, Bitget 1 s, Bybit 5 s) are
 * checked at their real length and the per-minute ones more strictly than the exchanges count.
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
import { type EstimateRequest, type EstimateView, LOOKBACK_MS } from '../src/messaging/contract';
import { LIVE_PORT_NAME, type LivePort, openLiveView } from '../src/messaging/live';
import { createLiveHub, type HubPort } from '../src/worker/live-hub';
import { createEstimateService } from '../src/worker/service';
import { RATE_LIMITS, type RateRule } from '../test-support/replay-server/rate-limits';
import { defaultDataDir, type LoggedRequest, type ReplayServer, startReplayServer } from '../test-support/replay-server/index';
import { inProcessHost } from './support/in-process-host';
import { routeToReplay } from './support/replay-fetch';

const DATA = defaultDataDir();
/** Wall time between two minute refreshes in this test. */
const TICK_MS = 4_000;
const MINUTES = 4;

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer({ dataDir: DATA, rateLimits: true });
  // Inside a 5m bar, so new bars and snapshots come as the minutes pass.
  server.setNow(server.now() - 3 * 3_600_000 + 30_000);
});
afterAll(async () => {
  await server?.stop();
});

/** The extension's sources: one ccxt instance per exchange, its rate limiter on. */
function sources(): (exchange: ExchangeId) => Promise<ExchangeSource> {
  const configure = (ex: unknown) => {
    routeToReplay(ex as { fetchImplementation?: unknown }, server);
    (ex as { enableRateLimit: boolean }).enableRateLimit = true;
  };
  const create: Record<ExchangeId, () => ExchangeSource> = {
    binance: () => createBinanceSource({ configure }),
    bybit: () => createBybitSource({ configure }),
    okx: () => createOkxSource({ configure }),
    bitget: () => createBitgetSource({ configure }),
    hyperliquid: () => createHyperliquidSource({ configure }),
  };
  const made = new Map<ExchangeId, ExchangeSource>();
  return async (exchange) => {
    let source = made.get(exchange);
    if (!source) made.set(exchange, (source = create[exchange]()));
    return source;
  };
}

/** Both ends of a `runtime.Port` from an extension page. */
function portPair(): { hubEnd: HubPort; clientEnd: LivePort } {
  const toClient: ((m: unknown) => void)[] = [];
  const toHub: ((m: unknown) => void)[] = [];
  const gone: (() => void)[] = [];
  const hubEnd: HubPort = {
    name: LIVE_PORT_NAME,
    sender: { id: 'me', url: 'chrome-extension://me/popup.html' },
    postMessage: (m) => toClient.forEach((l) => l(structuredClone(m))),
    disconnect: () => {},
    onMessage: { addListener: (l) => void toHub.push(l) },
    onDisconnect: { addListener: (l) => void gone.push(l) },
  };
  const clientEnd: LivePort = {
    name: LIVE_PORT_NAME,
    postMessage: (m) => toHub.forEach((l) => l(structuredClone(m))),
    disconnect: () => gone.forEach((l) => l()),
    onMessage: { addListener: (l) => void toClient.push(l) },
    onDisconnect: { addListener: () => {} },
  };
  return { hubEnd, clientEnd };
}

/** Requests per host in each replayed minute from `from`. */
function minuteTable(list: readonly LoggedRequest[], from: number): Record<string, Record<string, number>> {
  const table: Record<string, Record<string, number>> = {};
  for (const r of list) {
    const minute = `minute ${Math.floor((r.replayTime - from) / 60_000) + 1}`;
    const row = (table[minute] ??= {});
    row[r.host] = (row[r.host] ?? 0) + 1;
  }
  return table;
}

/** Weight of the requests in `list` under `rule` (host and path). */
function used(rule: RateRule, list: readonly LoggedRequest[]): number {
  return list
    .filter((r) => r.host === rule.host && (rule.path === undefined || rule.path.test(r.path)))
    .reduce((sum, r) => sum + (rule.weight?.({ method: r.method, host: r.host, path: r.path, query: new URLSearchParams(r.query), headers: {} }) ?? 1), 0);
}

describe('live minute refresh within the exchanges\' limits', () => {
  it('three panels (Binance 24h, Bybit 7d aggregated over five exchanges, Bitget 24h) and the popup (Binance 24h)', async () => {
    const store = createSeriesStore({ openCache: () => openSeriesCache({ name: 'live-limits' }), source: sources() });
    const service = createEstimateService({ loadSeries: store.loadSeries, host: inProcessHost(), version: '1', reuseMs: 0 });
    const ticks: number[] = [];
    const hub = createLiveHub({
      service,
      ownId: 'me',
      nextRefreshIn: () => {
        // The replay's minute passes just before the next refresh.
        setTimeout(() => {
          server.advance(60_000);
          ticks.push(server.now());
        }, TICK_MS - 500);
        return TICK_MS;
      },
    });
    const requests: EstimateRequest[] = [
      { exchange: 'binance', symbol: 'BTCUSDT', lookback: '24h' },
      { exchange: 'bybit', symbol: 'BTCUSDT', lookback: '7d', aggregate: true },
      { exchange: 'bitget', symbol: 'BTCUSDT', lookback: '24h' },
      { exchange: 'binance', symbol: 'BTCUSDT', lookback: '24h' },
    ];
    const views = requests.map(() => [] as EstimateView[]);
    const errors: unknown[] = [];
    const controller = new AbortController();
    requests.forEach((request, i) => {
      const pair = portPair();
      hub.onConnect(pair.hubEnd);
      openLiveView({ connect: () => pair.clientEnd, request, onView: (v) => views[i]!.push(v), onError: (e) => errors.push(e), signal: controller.signal });
    });
    // Every view over its whole lookback (a longer one first shows the last day's map).
    const whole = (v: EstimateView | undefined) => v !== undefined && v.heatmap.columns * v.heatmap.columnMs >= 0.9 * LOOKBACK_MS[v.lookback];
    await expect.poll(() => views.every((v) => whole(v.at(-1))), { timeout: 60_000, interval: 200 }).toBe(true);
    const opened = server.now();
    const firstLoad = server.requests.length;
    const ticksBefore = ticks.length;
    await expect.poll(() => ticks.length, { timeout: (MINUTES + 2) * TICK_MS + 30_000, interval: 200 }).toBeGreaterThanOrEqual(ticksBefore + MINUTES);
    // Let the last minute's refresh finish.
    await new Promise((resolve) => setTimeout(resolve, TICK_MS - 600));
    controller.abort();
    expect(errors).toEqual([]);

    const all = server.requests.filter((r) => !r.websocket);
    console.log('requests per replayed minute after the first load', minuteTable(all.slice(firstLoad), opened));
    expect(all.filter((r) => r.status === 429)).toEqual([]);
    // Each minute after the first load: requests per exchange host against the per-minute limits.
    const perMinute = RATE_LIMITS.filter((rule) => rule.windowMs >= 60_000);
    const table: Record<string, Record<string, number>> = {};
    for (let m = 0; m < MINUTES; m++) {
      // The minutes that began after every view was open.
      const from = ticks[ticksBefore + m]!;
      const minute = all.slice(firstLoad).filter((r) => r.replayTime >= from && r.replayTime < from + 60_000);
      const row: Record<string, number> = {};
      for (const r of minute) row[r.host] = (row[r.host] ?? 0) + 1;
      table[`minute ${m + 1}`] = row;
      // Kept up for a whole window, this minute's use stays within the limit (a 5-minute window holds five such minutes).
      for (const rule of perMinute) expect(used(rule, minute) * (rule.windowMs / 60_000), rule.source).toBeLessThanOrEqual(rule.limit);
      // Every exchange the views read was asked again that minute (the refresh ran).
      for (const host of ['fapi.binance.com', 'api.bybit.com', 'www.okx.com', 'api.bitget.com', 'api.hyperliquid.xyz']) expect(row[host] ?? 0).toBeGreaterThan(0);
    }
    // The views moved on with the minutes.
    expect(views[0]!.length).toBeGreaterThan(1);
  }, 180_000);
});
