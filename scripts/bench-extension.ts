/**
 * Extension timings in Chromium against the replay server (recorded Binance BTCUSDT data):
 * `npm run bench:extension [-- --runs N]`. One JSON line per figure, the median of N runs
 * (default 5), with every run's value.
 *
 * - `swColdStartToEstimateMs`: the background service worker stopped, the cache empty; an
 *   extension page asks for an estimate; time until the answer.
 * - `swColdStartWarmCacheToEstimateMs`: the same with the bars already in IndexedDB.
 * - `warmCachePagePaintMs`: the futures page loads with the bars already cached and the
 *   background running (its computed views expired); navigation start to the painted heatmap.
 * - `warmCacheRestartedSwPagePaintMs`: the same after the service worker was stopped.
 */
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { DB_NAME } from '../src/data/cache';
import { buildExtension, DEMO_URL, estimateFromExtensionPage, launch, type Session, startServer, stopServiceWorker, waitForPanelByPagePolling } from '../e2e/support/harness';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } }, strict: true });
const RUNS = Math.max(1, Number(values.runs));
/** The background serves a computed view again for 15 s; waiting this long makes it compute anew. */
const VIEW_REUSE_WAIT_MS = 16_000;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

function report(figure: string, runs: readonly number[], note: string): void {
  console.log(JSON.stringify({ figure, medianMs: median(runs), runs, unit: 'ms', note }));
}

async function clearCache(session: Session): Promise<void> {
  const worker = await session.serviceWorker();
  await worker.evaluate(
    (name) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.deleteDatabase(name);
        request.onsuccess = () => resolve();
        request.onerror = () => reject(request.error);
        request.onblocked = () => resolve();
      }),
    DB_NAME,
  );
}

async function coldEstimateMs(session: Session): Promise<number> {
  const result = await estimateFromExtensionPage(session);
  if (!result.ok) throw new Error(`estimate failed: ${result.error ?? 'unknown'}`);
  return Math.round(result.ms);
}

async function pagePaint(page: Page): Promise<number> {
  await page.goto(DEMO_URL);
  return (await waitForPanelByPagePolling(page)).paintedMs;
}

const extensionDir = buildExtension(new URL('../.output/bench', import.meta.url).pathname);
const server = await startServer();
const session = await launch({ extensionDir, server });
try {
  const page = await session.context.newPage();
  // Checks the database name the bench clears is the one the extension uses.
  await pagePaint(page);
  const names = await (await session.serviceWorker()).evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  if (!names.includes(DB_NAME)) throw new Error(`expected the '${DB_NAME}' database, found ${names.join(', ')}`);

  const coldEmpty: number[] = [];
  const coldWarm: number[] = [];
  const warmPaint: number[] = [];
  const restartedPaint: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // No panel open between measurements: its live port would start the service worker again.
    await page.goto('about:blank');
    await clearCache(session);
    await stopServiceWorker(session);
    coldEmpty.push(await coldEstimateMs(session));
    await stopServiceWorker(session);
    coldWarm.push(await coldEstimateMs(session));
    await page.goto('about:blank');
    await stopServiceWorker(session);
    restartedPaint.push(await pagePaint(page));
    await new Promise((resolve) => setTimeout(resolve, VIEW_REUSE_WAIT_MS));
    warmPaint.push(await pagePaint(page));
  }
  report('swColdStartToEstimateMs', coldEmpty, 'service worker stopped, empty cache: extension page asks for the 24h estimate');
  report('swColdStartWarmCacheToEstimateMs', coldWarm, 'service worker stopped, bars cached: extension page asks for the 24h estimate');
  report('warmCachePagePaintMs', warmPaint, 'bars cached, background running, views expired: navigation start to painted heatmap');
  report('warmCacheRestartedSwPagePaintMs', restartedPaint, 'bars cached, service worker stopped: navigation start to painted heatmap');
} finally {
  await session.close();
  await server.stop();
}
