/**
 * The Firefox build (MV2) in a stock Firefox (Debian's firefox-esr, driven over WebDriver BiDi)
 * against the local Binance replay: it installs, its background page starts the estimator as a
 * module Web Worker (Firefox has no offscreen documents), bars are cached in IndexedDB, ccxt's
 * five exchange modules load, the panel on the futures page and the popup's quick-look show an
 * estimate, and the browser reached the exchange hosts only.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINANCE_FORCE_ORDER_HOST } from '../src/data/liquidation-stream';
import type { ReplayServer } from '../test-support/replay-server/index';
import { assertFirefoxInstalled, declaredAddonId, type FirefoxSession, launchFirefox } from './support/firefox';
import {
  buildExtension,
  DEMO_URL,
  panelReadiness,
  panelSnapshot,
  type PanelState,
  patternHosts,
  readManifest,
  REPO_ROOT,
  startServer,
} from './support/harness';

let server: ReplayServer;
let firefox: FirefoxSession;
let extensionDir: string;
/** An extension page kept open for the whole file: it reaches the background page. */
let probe: string;
/** The demo futures page. */
let page: string;

interface WorkerStart {
  readonly url: string;
  readonly type?: string;
}

interface EstimateAnswer {
  readonly ok: boolean;
  readonly error?: { message: string };
  readonly result?: {
    pools: unknown[];
    exchanges?: string[];
    timings?: { workerStarted: boolean; cachedBars?: number; fetchedBars?: number };
  };
}

beforeAll(async () => {
  assertFirefoxInstalled();
  extensionDir = buildExtension(join(REPO_ROOT, '.output/e2e-firefox'), 'firefox');
  server = await startServer();
  firefox = await launchFirefox({ extensionDir, server });
  probe = (await firefox.bidi.send('browsingContext.getTree', { maxDepth: 0 })).contexts[0]?.context ?? '';
  page = await firefox.newTab();
});

afterAll(async () => {
  await firefox?.close();
  await server?.stop();
});

/** Firefox's output, shown when an assertion fails (console messages of the extension included). */
function withLog(what: string): string {
  return `${what}\n--- Firefox output ---\n${firefox.log().slice(-6_000)}`;
}

describe('Firefox build', () => {
  it('installs as a temporary add-on; its background is a page that can start workers, with no offscreen API', async () => {
    expect(firefox.extensionId).toBe(declaredAddonId(extensionDir));
    await firefox.navigate(probe, `${firefox.extensionOrigin}/popup.html?tab=999999`);
    const background = await firefox.bidi.evaluateJson<{ href: string; worker: string; offscreen: string; starts: number }>(
      probe,
      `(async () => {
        const bg = await browser.runtime.getBackgroundPage();
        // Records every Worker the background page constructs from now on (nothing is started before an estimate).
        bg.liqlensWorkerStarts = [];
        bg.Worker = new Proxy(bg.Worker, {
          construct(target, args) {
            bg.liqlensWorkerStarts.push({ url: String(args[0]), type: args[1]?.type });
            return Reflect.construct(target, args);
          },
        });
        return { href: bg.location.href, worker: typeof bg.Worker, offscreen: typeof bg.browser.offscreen, starts: bg.liqlensWorkerStarts.length };
      })()`,
    );
    expect(background).toEqual({
      href: `${firefox.extensionOrigin}/_generated_background_page.html`,
      worker: 'function',
      offscreen: 'undefined',
      starts: 0,
    });
  });

  it('shows the panel with pools and a drawn heatmap on the futures page, estimated in a module worker of the background page', async () => {
    await firefox.navigate(page, DEMO_URL);
    const ready = await firefox.waitFor<{ state: string; text: string }>(page, `(${panelReadiness.toString()})()`, 30_000).catch((error: unknown) => {
      throw new Error(withLog(String(error)));
    });
    expect(ready.state, withLog(ready.text)).toBe('ready');
    const panel = await firefox.bidi.evaluateJson<PanelState>(page, `(${panelSnapshot.toString()})()`);
    expect(panel.text).toContain('BTCUSDT');
    expect(panel.pools.length).toBeGreaterThan(0);
    expect(panel.canvas.nonEmpty, withLog('the heatmap canvas is blank')).toBeGreaterThan(panel.canvas.width * panel.canvas.height * 0.2);
    expect(panel.canvas.distinct).toBeGreaterThan(20);

    const starts = await firefox.bidi.evaluateJson<WorkerStart[]>(probe, `browser.runtime.getBackgroundPage().then((bg) => bg.liqlensWorkerStarts)`);
    expect(starts).toHaveLength(1);
    expect(starts[0]?.type).toBe('module');
    expect(starts[0]?.url).toMatch(/^\/assets\/estimator\.worker-[\w-]+\.js$/);
  });

  it('answers an extension page for a longer lookback from the same worker, with the bars already held read from IndexedDB', async () => {
    const answer = await firefox.bidi.evaluateJson<EstimateAnswer>(
      probe,
      `browser.runtime.sendMessage({ type: 'getEstimate', payload: { exchange: 'binance', symbol: 'BTCUSDT', lookback: '3d' }, version: 1 })`,
    );
    expect(answer.error?.message).toBeUndefined();
    expect(answer.ok).toBe(true);
    expect(answer.result?.pools.length).toBeGreaterThan(0);
    expect(answer.result?.timings?.workerStarted).toBe(false);
    // The panel's 24h of 5m bars were cached; 3d needs only the older ones fetched.
    expect(answer.result?.timings?.cachedBars).toBeGreaterThan(500);
    expect(answer.result?.timings?.fetchedBars).toBeGreaterThan(0);
    const starts = await firefox.bidi.evaluateJson<WorkerStart[]>(probe, `browser.runtime.getBackgroundPage().then((bg) => bg.liqlensWorkerStarts)`);
    expect(starts).toHaveLength(1);
  });

  it("aggregates the five exchanges through each one's ccxt module in the background page", async () => {
    const answer = await firefox.bidi.evaluateJson<EstimateAnswer>(
      probe,
      `browser.runtime.sendMessage({ type: 'getEstimate', payload: { exchange: 'binance', symbol: 'BTCUSDT', lookback: '24h', aggregate: true }, version: 1 })`,
    );
    expect(answer.error?.message).toBeUndefined();
    expect(answer.result?.exchanges).toEqual(['binance', 'bybit', 'okx', 'bitget', 'hyperliquid']);
    expect(answer.result?.pools.length).toBeGreaterThan(0);
  });

  it("shows BTCUSDT in the popup's quick-look, picked in its market search", async () => {
    // In a tab the popup describes no futures page; its search picks the market as a user would.
    const popup = await firefox.newTab();
    await firefox.navigate(popup, `${firefox.extensionOrigin}/popup.html?tab=999999`);
    await firefox.waitFor(popup, `(() => { const box = document.querySelector('input[type="search"]'); box?.focus(); return !!box && document.activeElement === box; })()`);
    await firefox.bidi.type(popup, 'BTCUSDT');
    await firefox.waitFor(popup, `!!document.querySelector('button[data-symbol="BTCUSDT"]')`);
    await firefox.bidi.type(popup, '\uE007');
    const shown = await firefox.waitFor<{ market: string | null; above: string; below: string; colours: number }>(
      popup,
      `(() => {
        const main = document.querySelector('main[data-state]');
        if (main?.getAttribute('data-state') === 'error') return { market: null, above: main.textContent, below: '', colours: 0 };
        const canvas = document.querySelector('canvas[data-drawn]');
        if (main?.getAttribute('data-state') !== 'ready' || !canvas) return false;
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        const colours = new Set();
        for (let i = 0; i < data.length; i += 4) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        return {
          market: document.querySelector('[data-market]')?.getAttribute('data-market') ?? null,
          above: document.querySelector('[data-pool="above"]')?.textContent ?? '',
          below: document.querySelector('[data-pool="below"]')?.textContent ?? '',
          colours: colours.size,
        };
      })()`,
    );
    expect(shown.market, withLog(shown.above)).toBe('binance:BTCUSDT');
    expect(shown.above).toMatch(/strength \d+\/10/);
    expect(shown.below).toMatch(/strength \d+\/10/);
    expect(shown.colours).toBeGreaterThan(20);
  });

  it('shows the full view page: the heatmap drawn from its cached raster, pool labels, wheel zoom', async () => {
    const tab = await firefox.newTab();
    await firefox.navigate(tab, `${firefox.extensionOrigin}/fullview.html?exchange=binance&symbol=BTCUSDT&lookback=24h`);
    const shown = await firefox
      .waitFor<{ labels: string; colours: number; window: string; canvas: string }>(
        tab,
        `(() => {
          const main = document.querySelector('main.fullview');
          if (main?.getAttribute('data-state') === 'error') return { labels: main.textContent, colours: 0, window: '', canvas: '' };
          const canvas = document.querySelector('canvas[data-heat="ready"]');
          if (main?.getAttribute('data-state') !== 'ready' || !canvas) return false;
          const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          const colours = new Set();
          for (let i = 0; i < data.length; i += 16) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
          const canvasState = canvas.width + 'x' + canvas.height + ' drawn ' + (Date.now() - Number(canvas.dataset.drawn)) + ' ms ago, ' + document.visibilityState;
          return { labels: canvas.dataset.poolLabels, colours: colours.size, window: canvas.dataset.window, canvas: canvasState };
        })()`,
        60_000,
      )
      .catch((error: unknown) => {
        throw new Error(withLog(String(error)));
      });
    expect(shown.colours, withLog(`${shown.labels}\ncanvas ${shown.canvas}`)).toBeGreaterThan(100);
    expect(JSON.parse(shown.labels).length).toBeGreaterThan(0);
    const whole = JSON.parse(shown.window) as number[];
    const zoomed = await firefox.waitFor<number[]>(
      tab,
      `(() => {
        const canvas = document.querySelector('canvas');
        const box = canvas.getBoundingClientRect();
        if (!window.liqlensWheeled) {
          window.liqlensWheeled = true;
          canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: -400, clientX: box.left + 300, clientY: box.top + 200, bubbles: true, cancelable: true }));
        }
        const now = JSON.parse(canvas.dataset.window);
        return now[1] - now[0] < ${whole[1]! - whole[0]!} ? now : false;
      })()`,
    );
    expect(zoomed[3]! - zoomed[2]!).toBeLessThan(whole[3]! - whole[2]!);
  });

  it('reached the exchange hosts only, and the extension logged no errors', () => {
    // MV2 lists host permissions among the permissions.
    const hostPatterns = (readManifest(extensionDir).permissions ?? []).filter((p) => p.includes('://'));
    expect(hostPatterns).toContain('https://fapi.binance.com/*');
    const allowed = new Set([...patternHosts(hostPatterns), 'www.binance.com', BINANCE_FORCE_ORDER_HOST]);
    const hosts = [...new Set(firefox.proxied.map((r) => r.host))];
    expect(hosts).toContain('fapi.binance.com');
    for (const host of hosts) expect([...allowed], host).toContain(host);
    expect(firefox.proxied.filter((r) => !r.tunnelled)).toEqual([]);
    const errors = firefox
      .log()
      .split('\n')
      .filter((line) => /^JavaScript error: moz-extension:/.test(line));
    expect(errors).toEqual([]);
  });
});
