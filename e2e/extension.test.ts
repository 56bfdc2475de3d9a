/**
 * LiqLens in a real Chromium against the local replay of Binance (recorded data): the panel on
 * the futures page, the cache on reload, the popup's quick-look, a service-worker restart, and
 * where the extension's requests go. Screenshots land in `e2e-artifacts/`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIQUIDATION_STREAM_HOSTS } from '../src/data/liquidation-stream';
import { LONG_COLOR, SHORT_COLOR } from '../src/render/side-bars';
import { readCsv, num } from '../test-support/replay-server/csv';
import { defaultDataDir, type ReplayServer } from '../test-support/replay-server/index';
import {
  activeTabId,
  buildExtension,
  DEMO_URL,
  estimateFromExtensionPage,
  isContentChunkLoad,
  launch,
  patternHosts,
  readManifest,
  readPanel,
  REPO_ROOT,
  type Session,
  startServer,
  stopServiceWorker,
  waitForPanel,
} from './support/harness';

const ARTIFACTS = join(REPO_ROOT, 'e2e-artifacts');
const FIVE_MINUTES = 300_000;

let server: ReplayServer;
let session: Session;
let extensionDir: string;
let page: Page;
const figures: Record<string, number> = {};

interface SeenRequest {
  readonly url: string;
  /** Who made it: the service worker's, page's or extension page's URL. */
  readonly by: string;
}
const seen: SeenRequest[] = [];

function whoMade(request: Request): string {
  const worker = request.serviceWorker();
  if (worker) return worker.url();
  try {
    return request.frame().url();
  } catch {
    return 'unknown';
  }
}

/** The BTCUSDT rows of the recorded liquidation file (times in ms). */
function recordedBtcLiquidations(): { time: number; side: string; price: number }[] {
  const file = join(defaultDataDir(), 'binance-forceorder-events-2026-01-06.csv');
  const table = readCsv(file);
  const c = { ts: table.col('timestamp_s'), symbol: table.col('symbol'), side: table.col('side'), price: table.col('price') };
  return table.rows.filter((r) => r[c.symbol] === 'BTCUSDT').map((r) => ({ time: Math.round(num(r, c.ts, file) * 1000), side: r[c.side]!, price: num(r, c.price, file) }));
}

/** Open time of the bars in the klines requests logged since `fromSeq` (startTime, when given). */
function klinesSince(fromSeq: number) {
  return server.requests.filter((r) => r.seq > fromSeq && r.host === 'fapi.binance.com' && r.path === '/fapi/v1/klines');
}

/**
 * The other exchanges whose realized liquidations are followed: their streams replay Binance's
 * recorded BTCUSDT events re-framed in each exchange's own frames (no Bybit or OKX liquidation
 * was recorded; test-support/replay-server/exchanges/liquidation-replay.ts), so these pages test
 * the clients' subscription, heartbeat and parsing, not those exchanges' flow.
 */
const OTHER_STREAMS = [
  { exchange: 'bybit', url: 'https://www.bybit.com/trade/usdt/BTCUSDT', host: 'stream.bybit.com', path: '/v5/public/linear', frames: 'Bybit allLiquidation frames' },
  { exchange: 'okx', url: 'https://www.okx.com/trade-swap/btc-usdt-swap', host: 'ws.okx.com', path: '/ws/v5/public', frames: 'OKX liquidation-orders frames, sizes in contracts' },
] as const;
/** Their tabs, open from their first test to their second, and their charts' first column then. */
const streamPages = new Map<string, Page>();
const windowStarts = new Map<string, number>();

/**
 * Checks the realized-liquidation markers drawn on `target`'s heatmap against what the replay sent
 * on `exchange`'s stream: each recorded BTCUSDT event replayed once, every one inside the chart's
 * window, each drawn once on its side, and the centre of every marker no later one covers in its
 * side's colour. Returns how many were drawn and how many show.
 */
async function checkRealizedMarkers(target: Page, exchange: string): Promise<{ drawn: number; visible: number }> {
  const recorded = recordedBtcLiquidations();
  // What the replay sent, one per event (every connection replays the file from its start).
  const sent = new Map<string, (typeof server.liquidationsSent)[number]>();
  for (const event of server.liquidationsSent) {
    if (event.exchange === exchange && event.symbol === 'BTCUSDT') sent.set(`${event.time}:${event.price}:${event.side}:${event.qty}`, event);
  }
  // Each one a row of the file, none left out.
  const rows = new Map(recorded.map((r) => [`${r.time}:${r.price}:${r.side}`, r]));
  const replayedRows = new Set([...sent.values()].map((e) => `${e.recordedTime}:${e.recordedPrice}:${e.side}`));
  expect([...replayedRows].every((key) => rows.has(key))).toBe(true);
  expect(replayedRows.size).toBe(recorded.length);

  const canvas = target.locator('liqlens-panel').locator('section.panel canvas[data-theme]');
  const [start, end, low, high] = JSON.parse((await canvas.getAttribute('data-marker-window')) ?? '[]') as number[];
  const expected = [...sent.values()].filter((e) => e.time >= start! && e.time < end! && e.price >= low! && e.price <= high!);
  // The replayed events all fall in the chart's window now (stamped in its newest bar).
  expect(expected.length).toBe(recorded.length);
  const drawn = JSON.parse((await canvas.getAttribute('data-marker-list')) ?? '[]') as [number, number, number, 'long' | 'short', number, number][];
  expect(Number(await canvas.getAttribute('data-markers'))).toBe(expected.length);
  // Side by side: a SELL liquidation order closes a long (blue), a BUY one a short (orange).
  const asDrawn = (side: 'BUY' | 'SELL', time: number, price: number) => `${side === 'SELL' ? 'long' : 'short'}@${time}:${price}`;
  expect(drawn.map(([, , , side, time, price]) => `${side}@${time}:${price}`).sort()).toEqual(expected.map((e) => asDrawn(e.side, e.time, e.price)).sort());
  expect(drawn.filter(([, , , side]) => side === 'long')).toHaveLength(recorded.filter((r) => r.side === 'SELL').length);

  // Drawn on the canvas: the centre of every marker no later one covers has its side's colour.
  const pixels = await target.evaluate(() => {
    const element = document.querySelector('liqlens-panel')!.shadowRoot!.querySelector<HTMLCanvasElement>('canvas[data-theme]')!;
    return { width: element.width, data: Array.from(element.getContext('2d')!.getImageData(0, 0, element.width, element.height).data) };
  });
  const colour = (x: number, y: number) => pixels.data.slice(4 * (y * pixels.width + x), 4 * (y * pixels.width + x) + 3);
  let visible = 0;
  drawn.forEach(([x, y, , side], i) => {
    const covered = drawn.slice(i + 1).some(([ox, oy, size]) => Math.abs(ox - x) <= Math.floor(size / 2) + 1 && Math.abs(oy - y) <= Math.floor(size / 2) + 1);
    if (covered) return;
    visible++;
    expect(colour(x, y), `${exchange} marker ${i} at ${x},${y}`).toEqual([...(side === 'long' ? LONG_COLOR : SHORT_COLOR)]);
  });
  expect(visible).toBeGreaterThan(0);
  return { drawn: drawn.length, visible };
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  extensionDir = buildExtension();
  server = await startServer();
  // An hour before the recording ends, so that moving the clock reveals recorded bars.
  server.setNow(server.now() - 12 * FIVE_MINUTES);
  session = await launch({ extensionDir, server });
  session.context.on('request', (request) => seen.push({ url: request.url(), by: whoMade(request) }));
  page = await session.context.newPage();
});

afterAll(async () => {
  await session?.close();
  await server?.stop();
  if (Object.keys(figures).length > 0) {
    writeFileSync(join(ARTIFACTS, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
  }
});

describe('LiqLens on the Binance BTCUSDT futures page', () => {
  it('shows the panel with a drawn heatmap, pools and the market context', async () => {
    await page.goto(DEMO_URL);
    const panel = await waitForPanel(page);
    figures['coldPagePaintMs'] = panel.paintedMs;
    const first = JSON.parse(
      (await page.evaluate(() => document.querySelector('liqlens-panel')?.shadowRoot?.querySelector('[data-timings]')?.getAttribute('data-timings'))) ?? '{}',
    ) as { loadMs?: number; estimateMs?: number; totalMs?: number; workerStarted?: boolean };
    expect(first.workerStarted).toBe(true);
    figures['coldLoadMs'] = first.loadMs ?? -1;
    figures['coldEstimateMs'] = first.estimateMs ?? -1;
    figures['coldBackgroundTotalMs'] = first.totalMs ?? -1;
    expect(panel.canvas).toMatchObject({ width: 340, height: 220 });
    // Pools, candles, axes and legend: a good part of the pixels differ from the background, in
    // many colours (levels under the contrast threshold are the background by design: 48 % differ
    // on the demo at the default contrast).
    expect(panel.canvas.nonEmpty).toBeGreaterThan(0.3 * 340 * 220);
    expect(panel.canvas.distinct).toBeGreaterThan(50);
    expect(panel.pools.length).toBeGreaterThanOrEqual(2);
    for (const pool of panel.pools) expect(pool).toMatch(/ · [+−]\d+\.\d\d % · about \$[\d.]+[kMB]? of (longs|shorts) · strength (10|[1-9])\/10$/);
    expect(panel.text).toContain('BTCUSDT');
    expect(panel.text).toMatch(/Funding.*%/);
    expect(panel.text).toMatch(/Trend[↑↓→] (up \(\+|down \(−|flat \([+−]?)\d+\.\d\d % \/ \d+(\.\d)?[mhd]\)/);
    expect(panel.text).toMatch(/Reliability ?(good|fair|low) \d+\.\d\/10/);
    await page.locator('liqlens-panel').locator('section.panel').screenshot({ path: join(ARTIFACTS, 'panel.png') });
  });

  it('on reload takes the older bars from the cache: no klines are fetched again for them', async () => {
    expect(klinesSince(0).length).toBeGreaterThan(0);
    // The replay clock stands still: the newest closed 5m bar opened one bar before "now" (floored).
    const newestBar = Math.floor(server.now() / FIVE_MINUTES) * FIVE_MINUTES - FIVE_MINUTES;
    // A restarted background forgets its computed views, so the estimate really loads again.
    await stopServiceWorker(session);
    const mark = server.requests.at(-1)?.seq ?? 0;
    // Every view's timings as the panel shows them: a later view (the live refresh of the kept
    // estimate) may replace the first one's before it is read, and only the first started the worker.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { liqlensTimings: string[] }).liqlensTimings = seen;
      const poll = setInterval(() => {
        const value = document.querySelector('liqlens-panel')?.shadowRoot?.querySelector('[data-timings]')?.getAttribute('data-timings');
        if (value && seen.at(-1) !== value) seen.push(value);
      }, 2);
      setTimeout(() => clearInterval(poll), 30_000);
    });
    await page.reload();
    const panel = await waitForPanel(page);
    figures['warmPagePaintMs'] = panel.paintedMs;
    const again = klinesSince(mark);
    figures['reloadRequests'] = server.requests.filter((r) => r.seq > mark && r.host === 'fapi.binance.com').length;
    for (const request of again) {
      // Only the newest stretch (from the newest held bar on) may be asked for.
      expect(Number(request.query['startTime'] ?? Number.NaN), request.url).toBeGreaterThanOrEqual(newestBar - FIVE_MINUTES);
    }
    await expect.poll(() => page.evaluate(() => (window as unknown as { liqlensTimings?: string[] }).liqlensTimings?.length ?? 0)).toBeGreaterThan(0);
    const timings = await page.evaluate(() => (window as unknown as { liqlensTimings: string[] }).liqlensTimings[0]);
    const parsed = JSON.parse(timings ?? '{}') as { cachedBars?: number; bars?: number; totalMs?: number; loadMs?: number; estimateMs?: number; workerStarted?: boolean };
    expect(parsed.cachedBars).toBeGreaterThan(0);
    expect(parsed.cachedBars).toBeGreaterThanOrEqual((parsed.bars ?? 0) - 2);
    expect(parsed.workerStarted).toBe(true);
    figures['restartEstimateTotalMs'] = parsed.totalMs ?? -1;
    figures['restartLoadMs'] = parsed.loadMs ?? -1;
    figures['restartEstimateMs'] = parsed.estimateMs ?? -1;
  });

  it('measures a cold service worker: first estimate answered to an extension page', async () => {
    await stopServiceWorker(session);
    const result = await estimateFromExtensionPage(session);
    expect(result.ok).toBe(true);
    figures['coldServiceWorkerToEstimateMs'] = Math.round(result.ms);
    figures['coldServiceWorkerBackgroundTotalMs'] = result.timings?.['totalMs'] ?? -1;
  });

  it('a request in flight when the service worker stops is retried by the panel', async () => {
    await page.bringToFront();
    // The next klines request (the 3d lookback needs older bars) is never answered; the worker is
    // stopped meanwhile, so only a request made again after the restart can bring the bars.
    server.injectFault({ kind: 'timeout', path: '/fapi/v1/klines' });
    const mark = server.requests.at(-1)?.seq ?? 0;
    await page.locator('liqlens-panel').locator('select[aria-label="Lookback"]').selectOption('3d');
    await expect.poll(() => klinesSince(mark).length, { timeout: 10_000 }).toBeGreaterThan(0);
    await stopServiceWorker(session);
    const panel = await waitForPanel(page, 30_000);
    expect(panel.pools.length).toBeGreaterThan(0);
    const bars = async () =>
      (JSON.parse((await page.evaluate(() => document.querySelector('liqlens-panel')?.shadowRoot?.querySelector('[data-timings]')?.getAttribute('data-timings'))) ?? '{}') as { bars?: number }).bars ?? 0;
    // The 3d estimate (4 days of 5m bars with its warm-up) arrived, asked for again after the
    // restart: the last day's map first, then the whole lookback.
    await expect.poll(bars, { timeout: 30_000 }).toBeGreaterThan(1_100);
    expect(klinesSince(mark).length).toBeGreaterThanOrEqual(2);
    server.clearFaults();
  });

  it('popup: the quick-look of the active tab shows BTCUSDT pools, funding, OI and reliability', async () => {
    await page.bringToFront();
    const tabId = await activeTabId(session);
    const popup = await session.context.newPage();
    await popup.setViewportSize({ width: 360, height: 320 });
    await popup.goto(`chrome-extension://${session.extensionId}/popup.html?tab=${tabId}`);
    await popup.locator('main[data-state="ready"]').waitFor({ timeout: 30_000 });
    const text = await popup.locator('main').innerText();
    expect(text).toContain('BTCUSDT');
    expect(await popup.locator('[data-pool]').count()).toBe(2);
    expect(await popup.locator('[data-pool="above"]').innerText()).toMatch(/strength \d+\/10/);
    expect(await popup.locator('[data-context="funding"]').innerText()).toMatch(/%/);
    expect(await popup.locator('[data-context="oi"]').innerText()).toMatch(/%/);
    expect(await popup.locator('[data-context="reliability"]').innerText()).toMatch(/\/10/);
    await popup.locator('main').screenshot({ path: join(ARTIFACTS, 'popup.png') });
    await popup.close();
  });

  it('popup on a page that is not a futures page says so', async () => {
    const other = await session.context.newPage();
    await other.goto('https://www.binance.com/en/markets');
    const tabId = await activeTabId(session);
    const popup = await session.context.newPage();
    await popup.goto(`chrome-extension://${session.extensionId}/popup.html?tab=${tabId}`);
    await popup.locator('main[data-state="no-market"]').waitFor({ timeout: 10_000 });
    await popup.close();
    await other.close();
  });

  it('re-mounts the panel for the new market when the page changes symbol in place', async () => {
    await page.bringToFront();
    await page.evaluate(() => history.pushState({}, '', '/en/futures/ETHUSDT'));
    // The replay has no ETHUSDT bars: the panel for the new market reports that, with a retry button.
    const header = page.locator('liqlens-panel').locator('header .market');
    await expect.poll(() => header.innerText(), { timeout: 10_000 }).toContain('ETHUSDT');
    await page.locator('liqlens-panel').locator('section[data-state="error"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('liqlens-panel').count()).toBe(1);
    await page.evaluate(() => history.pushState({}, '', '/en/futures/BTCUSDT'));
    await waitForPanel(page);
    expect(await page.locator('liqlens-panel').count()).toBe(1);
  });

  it.each(OTHER_STREAMS)('the $exchange page follows its own liquidation stream ($frames)', async ({ exchange, url, host, path }) => {
    // Opened in a tab of its own before the Binance page's live test below and kept open, so the
    // clock that test moves brings these events into this page's chart too (its check follows it).
    server.setWsSpeed(5_000);
    const tab = await session.context.newPage();
    streamPages.set(exchange, tab);
    await tab.goto(url);
    await waitForPanel(tab, 60_000);
    const panel = tab.locator('liqlens-panel').locator('section.panel');
    await expect.poll(async () => Number(await panel.getAttribute('data-realized')), { timeout: 30_000 }).toBe(recordedBtcLiquidations().length);
    expect(server.requests.some((r) => r.host === host && r.path === path && r.websocket && r.status === 101)).toBe(true);
    windowStarts.set(exchange, Number(await panel.getAttribute('data-window-start')));
  });

  it('keeps the open panel live: a new bar arrives without reload, replayed liquidations show as realized markers', async () => {
    await page.bringToFront();
    // The real recorded BTCUSDT liquidations (63 over 1 h 44 min), replayed 5,000 times faster on
    // the stream a fresh page opens: stamped with the replay clock's "now" and priced at the
    // replayed bars' level (test-support/replay-server/exchanges/binance.ts).
    const recorded = recordedBtcLiquidations();
    server.setWsSpeed(5_000);
    await page.reload();
    await waitForPanel(page);
    const panel = page.locator('liqlens-panel').locator('section.panel');
    await expect.poll(async () => Number(await panel.getAttribute('data-realized')), { timeout: 30_000 }).toBe(recorded.length);
    const before = Number(await panel.getAttribute('data-window-start'));
    const mark = server.requests.at(-1)?.seq ?? 0;
    // Two bars on: the 24h view's 10-minute columns (fixed in time) move by one.
    server.advance(2 * FIVE_MINUTES);
    // The background fetches new bars just after each minute turns: within about a minute. The
    // liquidations, stamped in the bar that was still open, are on the chart from then on.
    await expect.poll(async () => Number(await panel.getAttribute('data-window-start')), { timeout: 75_000, interval: 500 }).toBe(before + 2 * FIVE_MINUTES);
    expect(klinesSince(mark).length).toBeGreaterThan(0);
    // Applied to the estimator state kept in the worker: the bar that was forming, the closed one
    // after it and the new forming one (more when a refresh ran between the clock moves).
    // A documented fallback (the worker restarted and lost the kept state, a past bar changed...)
    // computes the view anew instead, and says why; src/worker tests cover the appending itself.
    const timings = JSON.parse((await panel.getAttribute('data-timings')) ?? '{}') as { appendedBars?: number; recomputed?: string };
    if (timings.appendedBars === undefined) {
      console.warn(`live refresh computed anew: ${timings.recomputed}`);
      expect(timings.recomputed).toMatch(/\S/);
    } else {
      expect(timings.appendedBars).toBeGreaterThanOrEqual(2);
    }
    expect(await panel.getAttribute('data-state')).toBe('ready');
    server.setWsSpeed(1);
    const markers = await checkRealizedMarkers(page, 'binance');
    figures['liquidationMarkersDrawn'] = markers.drawn;
    figures['liquidationMarkersVisible'] = markers.visible;
  });

  it.each(OTHER_STREAMS)('the $exchange page draws the events of its own stream as realized markers', async ({ exchange }) => {
    const tab = streamPages.get(exchange)!;
    await tab.bringToFront();
    const panel = tab.locator('liqlens-panel').locator('section.panel');
    // The same minute's refresh moved this page's chart over the bars that hold its events.
    await expect
      .poll(async () => Number(await panel.getAttribute('data-window-start')), { timeout: 75_000, interval: 500 })
      .toBe(windowStarts.get(exchange)! + 2 * FIVE_MINUTES);
    await checkRealizedMarkers(tab, exchange);
    await tab.screenshot({ path: join(ARTIFACTS, `${exchange}-realized.png`) });
    await tab.close();
    streamPages.delete(exchange);
  });

  it('every request the extension made went to an allow-listed exchange host', async () => {
    const origin = `chrome-extension://${session.extensionId}/`;
    const allowed = new Set(patternHosts(readManifest(extensionDir).host_permissions ?? []));
    const fromExtension = seen.filter((r) => r.by.startsWith(origin) && !r.url.startsWith(origin));
    expect(fromExtension.length).toBeGreaterThan(0);
    for (const request of fromExtension) expect(allowed, request.url).toContain(new URL(request.url).hostname);
    // The demo page itself loads nothing; anything else seen on it would have come from the content script.
    const fromPage = seen.filter((r) => r.by.startsWith('https://www.binance.com/') && !isContentChunkLoad(r.url));
    for (const request of fromPage) expect(new URL(request.url).hostname).toBe('www.binance.com');
    // Every name resolves to the replay server, so its log holds everything that left the browser,
    // including requests Playwright cannot attribute (offscreen document, dedicated worker).
    const browserOwn = /(^|\.)(google\.com|googleapis\.com|gstatic\.com|gvt1\.com)$/;
    const hosts = new Set(server.requests.map((r) => r.host));
    for (const host of hosts) {
      if (browserOwn.test(host)) continue;
      // The liquidation streams are websockets (no host permission needed for them).
      const pages = ['www.binance.com', ...OTHER_STREAMS.map((o) => new URL(o.url).hostname)];
      expect([...allowed, ...pages, ...LIQUIDATION_STREAM_HOSTS], host).toContain(host);
    }
  });
});

describe('the panel on the Binance page: hover, filters, layout, theme, shortcut', () => {
  const shadow = () => page.locator('liqlens-panel');
  const section = () => shadow().locator('section.panel');

  it('shows a tooltip with the price, its distance and what a move there liquidates on hover', async () => {
    await page.bringToFront();
    await page.goto(DEMO_URL);
    await waitForPanel(page);
    const canvas = shadow().locator('canvas[data-theme]');
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.3);
    const tooltip = shadow().locator('[role="tooltip"]');
    await tooltip.waitFor({ timeout: 5_000 });
    expect(await tooltip.locator('[data-tip="price"]').innerText()).toMatch(/^If price reaches [\d,.]+ \([+−]\d+\.\d\d %\):$/);
    // Above the price the hovered point reads a positive distance, and shorts on the way up.
    expect(await tooltip.locator('[data-tip="price"]').innerText()).toContain('+');
    expect(await tooltip.locator('[data-tip="sides"]').innerText()).toMatch(/^about \$[\d.]+[kMB]? of shorts liquidated on the way \(cumulative from the price\)$/);
    await page.mouse.move(5, 5);
    await tooltip.waitFor({ state: 'detached', timeout: 5_000 });
  });

  it('draws the latest map as side bars beside the heatmap', async () => {
    const side = await page.evaluate(
      ([long, short]) => {
        const canvas = document.querySelector('liqlens-panel')?.shadowRoot?.querySelector<HTMLCanvasElement>('canvas.side');
        const data = canvas?.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
        let blue = 0;
        let orange = 0;
        for (let i = 0; data && i < data.length; i += 4) {
          if (data[i] === long[0] && data[i + 1] === long[1] && data[i + 2] === long[2]) blue++;
          if (data[i] === short[0] && data[i + 1] === short[1] && data[i + 2] === short[2]) orange++;
        }
        return { blue, orange, title: canvas?.title ?? '' };
      },
      [[...LONG_COLOR], [...SHORT_COLOR]] as const,
    );
    expect(side.blue).toBeGreaterThan(50);
    expect(side.orange).toBeGreaterThan(50);
    expect(side.title).toMatch(/of shorts liquidated if price rises to the top of the chart/);
  });

  it('changes the lookback and shows loading progress as n of N requests, n reaching N', async () => {
    // Hold the klines of the 7d lookback (15m bars, not cached yet) so the progress can be seen;
    // by interval, so that a refresh of the 5m bars reaching the server first does not take it.
    server.injectFault({ kind: 'timeout', path: '/fapi/v1/klines', query: { interval: '15m' }, delayMs: 2_500 });
    const mark = server.requests.at(-1)?.seq ?? 0;
    await shadow().locator('select[aria-label="Lookback"]').selectOption('7d');
    const status = shadow().locator('[data-status="loading"]');
    const seen: [number, number][] = [];
    await expect
      .poll(
        async () => {
          const text = await status.innerText({ timeout: 1_000 }).catch(() => '');
          const match = /Loading history: (\d+) of (\d+) requests?\s*·\s*[\d,]+ of [\d,]+ bars/.exec(text);
          if (match) seen.push([Number(match[1]), Number(match[2])]);
          return match !== null && Number(match[1]) > 0;
        },
        { timeout: 10_000, interval: 100 },
      )
      .toBe(true);
    // The previous heatmap stays on screen, dimmed, while loading: never a blank panel.
    expect(await shadow().locator('.body.dim canvas').count()).toBeGreaterThan(0);
    await waitForPanel(page, 60_000);
    server.clearFaults();
    type Timings = { bars?: number; requests?: { done: number; total: number } };
    const read = async () => JSON.parse((await section().getAttribute('data-timings')) ?? '{}') as Timings;
    // The last day's map first, then 7 days of 15m bars plus a day of warm-up as the older history arrives.
    await expect.poll(async () => (await read()).bars ?? 0, { timeout: 60_000 }).toBeGreaterThan(700);
    await expect.poll(() => shadow().locator('[data-status="extending"]').count(), { timeout: 10_000 }).toBe(0);
    const timings = await read();
    // N was planned up front and held; each load ended with n = N, one count per request sent.
    const planned = seen[0]![1];
    expect(seen.every(([, total]) => total === planned)).toBe(true);
    expect(timings.requests!.done).toBe(timings.requests!.total);
    // At least those requests reached the exchange (a minute's live refresh may add its own).
    const history = server.requests.filter((r) => r.seq > mark && /^\/(fapi\/v1\/(klines|fundingRate)|futures\/data\/(openInterestHist|globalLongShortAccountRatio))$/.test(r.path));
    expect(history.length).toBeGreaterThanOrEqual(planned);
    await shadow().locator('select[aria-label="Lookback"]').selectOption('24h');
    await waitForPanel(page);
  });

  it('filters by leverage tier and aggregates the market over the other exchanges', async () => {
    const before = (await readPanel(page)).pools.join('|');
    for (const tier of [5, 10, 20, 25]) await shadow().locator(`button[data-tier="${tier}"]`).click();
    await waitForPanel(page);
    expect(await shadow().locator('button[data-tier="5"]').getAttribute('aria-pressed')).toBe('false');
    expect(await shadow().locator('button[data-tier="125"]').getAttribute('aria-pressed')).toBe('true');
    const after = (await readPanel(page)).pools.join('|');
    expect(after).not.toBe(before);
    for (const tier of [5, 10, 20, 25]) await shadow().locator(`button[data-tier="${tier}"]`).click();
    await waitForPanel(page);
    // Aggregated: the same market on the other four exchanges (replayed), combined with this one.
    const aggregate = shadow().locator('button[data-scope="aggregate"]');
    await expect.poll(() => aggregate.isDisabled(), { timeout: 10_000 }).toBe(false);
    await aggregate.click();
    await waitForPanel(page);
    await expect.poll(() => section().locator('.market').getAttribute('data-exchanges'), { timeout: 60_000 }).toMatch(/^binance,/);
    const combined = (await section().locator('.market').getAttribute('data-exchanges'))!.split(',');
    expect(combined.length).toBeGreaterThan(1);
    await shadow().locator('button.chip', { hasText: 'This exchange' }).click();
    await waitForPanel(page);
    await expect.poll(() => section().locator('.market').getAttribute('data-exchanges')).toBeNull();
  });

  it('collapses to its header and expands again, remembered across a reload', async () => {
    await shadow().getByRole('button', { name: 'Collapse' }).click();
    expect(await section().getAttribute('data-collapsed')).toBe('true');
    expect(await shadow().locator('canvas').count()).toBe(0);
    await page.reload();
    await section().waitFor();
    await expect.poll(() => section().getAttribute('data-collapsed'), { timeout: 10_000 }).toBe('true');
    await shadow().getByRole('button', { name: 'Expand' }).click();
    await waitForPanel(page);
    expect(await section().getAttribute('data-collapsed')).toBe('false');
  });

  it('is dragged by its header and comes back at the same place after a reload', async () => {
    const header = section().locator('header .market');
    const start = (await section().boundingBox())!;
    const grip = (await header.boundingBox())!;
    await page.mouse.move(grip.x + 5, grip.y + 5);
    await page.mouse.down();
    // Down by 150 px and right by 305 px: a full panel fills the window's height (bottom-anchored,
    // top at 16 px), so there is no room above it; below, it shortens and scrolls inside itself.
    const down = 150;
    await page.mouse.move(grip.x + 310, grip.y + down, { steps: 8 });
    await page.mouse.up();
    await expect.poll(async () => Math.round((await section().boundingBox())!.x), { timeout: 5_000 }).toBe(Math.round(start.x + 305));
    const moved = (await section().boundingBox())!;
    expect(Math.abs(moved.y - (start.y + down)), JSON.stringify({ start, moved })).toBeLessThanOrEqual(10);
    expect(moved.y + moved.height, 'placed by a drag, it still ends inside the window').toBeLessThanOrEqual(page.viewportSize()!.height);
    await page.reload();
    await waitForPanel(page);
    const again = (await section().boundingBox())!;
    expect(Math.abs(again.x - moved.x)).toBeLessThanOrEqual(1);
    expect(Math.abs(again.y - moved.y)).toBeLessThanOrEqual(1);
  });

  it('follows the page from dark to light and back', async () => {
    expect(await section().getAttribute('data-theme')).toBe('dark');
    const corner = () =>
      page.evaluate(() => Array.from(document.querySelector('liqlens-panel')!.shadowRoot!.querySelector('canvas')!.getContext('2d')!.getImageData(1, 1, 1, 1).data.slice(0, 3)));
    expect(await corner()).toEqual([14, 17, 23]);
    await page.evaluate(() => {
      document.body.style.background = '#fafafa';
    });
    await expect.poll(() => section().getAttribute('data-theme'), { timeout: 5_000 }).toBe('light');
    await expect.poll(corner, { timeout: 5_000 }).toEqual([255, 255, 255]);
    await section().screenshot({ path: join(ARTIFACTS, 'panel-light.png') });
    await page.evaluate(() => {
      document.body.style.background = '';
    });
    await expect.poll(() => section().getAttribute('data-theme'), { timeout: 5_000 }).toBe('dark');
  });

  it('the keyboard command hides and shows the panel through the background', async () => {
    expect(readManifest(extensionDir)).toMatchObject({ commands: { 'toggle-panel': { suggested_key: { default: 'Alt+Shift+L' } } } });
    const tabId = await activeTabId(session);
    const send = async () => {
      const worker = await session.serviceWorker();
      await worker.evaluate(async (id) => {
        const api = (globalThis as unknown as { chrome: { tabs: { sendMessage(id: number, m: unknown): Promise<unknown> } } }).chrome;
        await api.tabs.sendMessage(id, { type: 'liqlens:toggle-panel' });
      }, tabId);
    };
    await send();
    await expect.poll(() => section().isHidden(), { timeout: 5_000 }).toBe(true);
    await send();
    await expect.poll(() => section().isVisible(), { timeout: 5_000 }).toBe(true);
  });

  it('shows a stale badge with the data age when the exchange rate-limits every request', async () => {
    // A restarted background has no computed views: the reload must go to the data layer, which
    // holds the bars but cannot update them.
    await stopServiceWorker(session);
    server.injectFault({ kind: 'rate-limit', host: 'fapi.binance.com', count: 'always', retryAfter: 1 });
    try {
      await page.reload();
      const badge = shadow().locator('[data-badge="stale"]');
      await badge.waitFor({ timeout: 60_000 });
      expect(await badge.innerText()).toMatch(/^stale · \d+ (s|min|h|d)( \d+ min)? old$/);
      // The held map is still drawn: never a blank panel.
      expect(await shadow().locator('canvas[data-theme]').count()).toBe(1);
      await section().screenshot({ path: join(ARTIFACTS, 'panel-stale.png') });
    } finally {
      server.clearFaults();
    }
  });

  it('writes the panel screenshot for the docs', async () => {
    await stopServiceWorker(session);
    await page.reload();
    await waitForPanel(page);
    const canvas = shadow().locator('canvas[data-theme]');
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.62);
    await shadow().locator('[role="tooltip"]').waitFor({ timeout: 5_000 });
    mkdirSync(join(REPO_ROOT, 'docs/screenshots'), { recursive: true });
    await section().screenshot({ path: join(REPO_ROOT, 'docs/screenshots/panel-binance-tooltip.png') });
  });
});
