/**
 * LiqLens under a hostile or unlucky page, in a real Chromium against the replay server: a page
 * stylesheet that resets everything, look-alike messages from page scripts, a page that replaces
 * its DOM, typed order values that must stay in the browser, the service worker stopped in the
 * middle of a fetch and of an estimate (no partial series stored), and the extension reloaded
 * under an open tab (the old panel leaves; new and reloaded tabs get a fresh one).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayServer } from '../test-support/replay-server/index';
import { buildExtension, DEMO_URL, isContentChunkLoad, launch, patternHosts, readManifest, REPO_ROOT, type Session, startServer, stopServiceWorker, waitForPanel } from './support/harness';

const HOSTILE_CSS = readFileSync(join(REPO_ROOT, 'tests/fixtures/hostile.css'), 'utf8');

let server: ReplayServer;
let session: Session;
let extensionDir: string;
let page: Page;
/** Every request the browser made, with its body. */
const seen: { url: string; body: string }[] = [];
/** Errors in the page's console and uncaught exceptions, by page. */
const consoleErrors: string[] = [];

beforeAll(async () => {
  extensionDir = buildExtension(join(REPO_ROOT, '.output/e2e-hardening'));
  server = await startServer();
  session = await launch({ extensionDir, server });
  session.context.on('request', (request) => seen.push({ url: request.url(), body: request.postData() ?? '' }));
  page = await session.context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`${error.name}: ${error.message}`));
});

afterAll(async () => {
  await session?.close();
  await server?.stop();
});

/** Runs `fn` in an extension page (it has the extension's IndexedDB and storage). */
async function inExtensionPage<T>(fn: () => Promise<T>): Promise<T> {
  const probe = await session.context.newPage();
  try {
    await probe.goto(`chrome-extension://${session.extensionId}/popup.html?tab=999999`);
    return await probe.evaluate(fn);
  } finally {
    await probe.close();
  }
}

interface HeldSeries {
  readonly key: string;
  readonly timeframeMs: number;
  readonly barCount: number;
  readonly first: number;
  readonly last: number;
  readonly times: readonly number[];
}

/** The series cache as the extension holds it (without creating the database when it is missing). */
function readHeldSeries(): Promise<HeldSeries[]> {
  return inExtensionPage(async () => {
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes('liqlens-series')) return [];
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('liqlens-series');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const all = (store: string) =>
      new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result as unknown[]);
        request.onerror = () => reject(request.error);
      });
    const entries = (await all('entries')) as { key: string; timeframeMs: number; barCount: number; firstTimestamp: number; lastTimestamp: number }[];
    const bars = (await all('bars')) as { key: string; bars: { timestamp: number }[] }[];
    db.close();
    return entries.map((e) => ({
      key: e.key,
      timeframeMs: e.timeframeMs,
      barCount: e.barCount,
      first: e.firstTimestamp,
      last: e.lastTimestamp,
      times: bars.find((b) => b.key === e.key)?.bars.map((b) => b.timestamp) ?? [],
    }));
  });
}

/** Everything the extension keeps: IndexedDB records of every database and extension storage, as text. */
function dumpExtensionState(): Promise<string> {
  return inExtensionPage(async () => {
    const out: unknown[] = [];
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(info.name!);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        out.push(
          await new Promise((resolve, reject) => {
            const request = db.transaction(store).objectStore(store).getAll();
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          }),
        );
      }
      db.close();
    }
    const api = (globalThis as unknown as { chrome: { storage: Record<string, { get(keys: null): Promise<unknown> } | undefined> } }).chrome;
    for (const area of ['local', 'sync', 'session']) out.push(await api.storage[area]?.get(null));
    return JSON.stringify(out);
  });
}

const PANEL_PROPS = [
  'display',
  'position',
  'right',
  'bottom',
  'width',
  'height',
  'color',
  'background-color',
  'font-size',
  'font-family',
  'font-weight',
  'line-height',
  'letter-spacing',
  'text-transform',
  'margin-top',
  'padding-top',
  'border-top-width',
  'border-top-style',
  'box-sizing',
  'opacity',
  'transform',
  'filter',
  'visibility',
  'zoom',
];

/** Computed styles of the panel's host and of its main parts, and the panel's box. */
function panelStyles(target: Page): Promise<Record<string, Record<string, string>>> {
  return target.evaluate((props) => {
    const host = document.querySelector('liqlens-panel');
    const root = host?.shadowRoot;
    const parts: Record<string, Element | null | undefined> = {
      host,
      panel: root?.querySelector('section.panel'),
      header: root?.querySelector('header'),
      canvas: root?.querySelector('canvas'),
      select: root?.querySelector('select'),
      pool: root?.querySelector('[data-pool]'),
      dd: root?.querySelector('.context dd'),
      note: root?.querySelector('.note'),
    };
    const out: Record<string, Record<string, string>> = {};
    for (const [name, element] of Object.entries(parts)) {
      if (!element) throw new Error(`panel part ${name} missing`);
      const style = getComputedStyle(element);
      out[name] = Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)]));
      const box = element.getBoundingClientRect();
      out[name]!['box'] = [box.x, box.y, box.width, box.height].map(Math.round).join(',');
    }
    return out;
  }, PANEL_PROPS);
}

/** Computed styles of the page's own elements (the panel's host left out), and its stylesheets. */
function pageStyles(target: Page) {
  return target.evaluate(() => {
    const props = ['display', 'color', 'background-color', 'font-size', 'font-family', 'margin-top', 'padding-top', 'width', 'height', 'box-sizing'];
    // The extension's own hosts (panel, order warning) are left out: they are its UI, not the page's.
    const elements = [document.documentElement, document.body, ...document.body.querySelectorAll('*')].filter((el) => !el.tagName.startsWith('LIQLENS-'));
    return {
      sheets: document.styleSheets.length,
      adopted: document.adoptedStyleSheets.length,
      styleElements: document.querySelectorAll('style, link[rel="stylesheet"]').length,
      elements: elements.map((el) => {
        const style = getComputedStyle(el);
        // The root's height too: the hosts are out of the page's flow and add no line box to it.
        return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}: ${props.map((p) => style.getPropertyValue(p)).join(' | ')}`;
      }),
    };
  });
}

describe('LiqLens on a hostile page', () => {
  it('the panel’s styles do not leak into the page', async () => {
    // The same page where the content script does not run (an address outside its matches)...
    const html = readFileSync(join(REPO_ROOT, 'e2e/pages/www.binance.com/en/futures/BTCUSDT.html'), 'utf8');
    await page.goto('https://www.binance.com/en/markets');
    await page.setContent(html);
    expect(await page.locator('liqlens-panel').count()).toBe(0);
    const without = await pageStyles(page);
    expect(without.elements.length).toBeGreaterThan(20);
    // ...and with the panel on it: every page element styled alike, no stylesheet added to the page.
    await page.goto(DEMO_URL);
    await waitForPanel(page);
    expect(await pageStyles(page)).toEqual(without);
  });

  it('a hostile page stylesheet does not reach the panel', async () => {
    await page.goto(DEMO_URL);
    await waitForPanel(page);
    const before = await panelStyles(page);
    expect(before['panel']!['position']).toBe('fixed');
    expect(before['host']!['position']).toBe('fixed');
    expect(before['host']!['box']).toBe('0,0,0,0');
    expect(before['canvas']!['display']).toBe('block');
    await page.addStyleTag({ content: HOSTILE_CSS });
    // The stylesheet did apply to the page itself.
    expect(await page.evaluate(() => getComputedStyle(document.body).getPropertyValue('background-color'))).toBe('rgb(255, 255, 0)');
    const after = await panelStyles(page);
    // The host too: an empty fixed box at the viewport's corner, out of the page's flow.
    expect(after).toEqual(before);
    await page.reload();
    await waitForPanel(page);
  });

  it('look-alike messages from the page get nothing, and the content script ignores them', async () => {
    const marker = 'LOOKALIKEUSDT';
    const mark = server.requests.at(-1)?.seq ?? 0;
    const panelBefore = await page.evaluate(() => document.querySelector('liqlens-panel')?.shadowRoot?.querySelector('[data-state]')?.getAttribute('data-state'));
    const outcome = await page.evaluate(
      async ({ extensionId, marker }) => {
        const received: unknown[] = [];
        window.addEventListener('message', (event) => received.push(event.data));
        const lookAlikes = [
          { type: 'getEstimate', payload: { exchange: 'binance', symbol: marker, lookback: '24h' }, version: 1 },
          { type: 'assessOrder', payload: { exchange: 'binance', symbol: marker, order: { side: 'long', entryPrice: 1, leverage: 10 } }, version: 1 },
          { type: 'ping', payload: {}, version: 1 },
          { type: 'liqlens:page-market' },
          { ok: true, version: 1, type: 'getEstimate', result: { symbol: marker } },
        ];
        for (const message of lookAlikes) {
          window.postMessage(message, '*');
          document.dispatchEvent(new CustomEvent('liqlens', { detail: message }));
        }
        // The events WXT's content script context listens to, faked by the page.
        window.dispatchEvent(new Event(`${extensionId}:content:wxt:locationchange`));
        window.dispatchEvent(new Event('wxt:locationchange'));
        // A page cannot reach the extension's runtime (no externally_connectable).
        const runtime = (globalThis as unknown as { chrome?: { runtime?: { sendMessage?: (...args: unknown[]) => unknown } } }).chrome?.runtime;
        let direct = 'no chrome.runtime.sendMessage in the page';
        if (typeof runtime?.sendMessage === 'function') {
          direct = await new Promise<string>((resolve) => {
            try {
              runtime.sendMessage!(extensionId, lookAlikes[0], (answer: unknown) => resolve(`answered: ${JSON.stringify(answer ?? null)}`));
              setTimeout(() => resolve('no answer'), 1_500);
            } catch (error) {
              resolve(`threw: ${String(error)}`);
            }
          });
        }
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        // Only the page's own posts came back through the window.
        const foreign = received.filter((data) => !lookAlikes.some((m) => JSON.stringify(m) === JSON.stringify(data)));
        return { direct, foreign, count: received.length };
      },
      { extensionId: session.extensionId, marker },
    );
    expect(outcome.direct).not.toMatch(/^answered: \{/);
    expect(outcome.foreign).toEqual([]);
    expect(outcome.count).toBe(5);
    // Nothing reached the exchange for the look-alike market, and the background never heard of it.
    expect(server.requests.filter((r) => r.seq > mark && JSON.stringify(r.query).includes(marker))).toEqual([]);
    const status = await inExtensionPage(async () => {
      const api = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome;
      return api.runtime.sendMessage({ type: 'getStatus', payload: { exchange: 'binance', symbol: 'LOOKALIKEUSDT' }, version: 1 });
    });
    expect(status).toMatchObject({ ok: true, result: { markets: [{ symbol: marker, state: 'idle', bars: 0 }] } });
    // The panel is still there and in the same state, once.
    expect(await page.locator('liqlens-panel').count()).toBe(1);
    const panelAfter = await page.evaluate(() => document.querySelector('liqlens-panel')?.shadowRoot?.querySelector('[data-state]')?.getAttribute('data-state'));
    expect(panelAfter).toBe(panelBefore);
  });

  it('typed order values never leave the browser and are not stored', async () => {
    const values = { price: '12345.678', size: '0.98765', stop: '11111.111', takeProfit: '13579.135' };
    const mark = seen.length;
    const serverMark = server.requests.at(-1)?.seq ?? 0;
    // The demo form's number fields in order: price, size, then the take-profit and stop prices.
    const fields = page.locator('main > .css-13ywdf7 input[inputmode="decimal"]');
    expect(await fields.count()).toBeGreaterThanOrEqual(4);
    for (const [i, value] of [values.price, values.size, values.takeProfit, values.stop].entries()) await fields.nth(i).fill(value);
    // Whatever reacts to the form (a pre-trade check) has time to run; a new estimate is asked too.
    await page.locator('liqlens-panel').locator('select[aria-label="Lookback"]').selectOption('12h');
    await waitForPanel(page);
    await page.waitForTimeout(1_500);
    const requests = seen.slice(mark).map((r) => `${r.url} ${r.body}`);
    const logged = server.requests.filter((r) => r.seq > serverMark).map((r) => `${r.host}${r.path} ${JSON.stringify(r.query)}`);
    const state = await dumpExtensionState();
    for (const value of Object.values(values)) {
      for (const request of [...requests, ...logged]) expect(request).not.toContain(value);
      expect(state).not.toContain(value);
    }
    // The extension's own requests went to the exchanges' API hosts only.
    const allowed = new Set(patternHosts(readManifest(extensionDir).host_permissions ?? []));
    const extensionOrigin = `chrome-extension://${session.extensionId}/`;
    for (const request of seen.map((r) => r.url).filter((u) => !u.startsWith(extensionOrigin) && !u.startsWith('https://www.binance.com/') && !isContentChunkLoad(u))) {
      expect(allowed, request).toContain(new URL(request).hostname);
    }
  });

  it('the content script survives the page replacing its body and its whole document', async () => {
    await page.evaluate(() => {
      const body = document.createElement('body');
      const note = document.createElement('p');
      note.textContent = 'The page re-rendered its body.';
      body.append(note);
      document.body.replaceWith(body);
    });
    await waitForPanel(page);
    expect(await page.locator('liqlens-panel').count()).toBe(1);

    await page.evaluate(() => {
      // eslint-disable-next-line no-restricted-syntax -- the test plays a page that rewrites its own document
      document.documentElement.innerHTML = '<head><title>re-rendered</title></head><body><main>New app shell</main></body>';
    });
    await waitForPanel(page);
    expect(await page.locator('liqlens-panel').count()).toBe(1);

  });

  it('the service worker stopped mid-fetch: the panel recovers without a reload and no partial series is stored', async () => {
    await page.goto(DEMO_URL);
    await waitForPanel(page);
    const navigations: string[] = [];
    const onNavigate = (frame: { url(): string; parentFrame(): unknown }) => {
      if (frame.parentFrame() === null) navigations.push(frame.url());
    };
    page.on('framenavigated', onNavigate);
    const held = async () => (await readHeldSeries()).filter((s) => s.timeframeMs === 900_000);
    expect(await held()).toEqual([]);
    // 7 days use 15-minute bars, none held yet: requests for them go unanswered until released,
    // and the worker is stopped meanwhile. Every such request, not just the first: the panel's
    // port starts the worker again at once, and that worker's own fetch (whole, rightly stored)
    // must not land before the check below. By interval: the page's 5-minute refresh goes on.
    server.injectFault({ kind: 'timeout', path: '/fapi/v1/klines', query: { interval: '15m' }, count: 'always' });
    const mark = server.requests.at(-1)?.seq ?? 0;
    const asked = () => server.requests.filter((r) => r.seq > mark && r.path === '/fapi/v1/klines' && r.query['interval'] === '15m').length;
    await page.locator('liqlens-panel').locator('select[aria-label="Lookback"]').selectOption('7d');
    await expect.poll(asked, { timeout: 15_000 }).toBeGreaterThan(0);
    const before = asked();
    await stopServiceWorker(session);
    // The restarted worker asks again; nothing of the interrupted fetch was written.
    await expect.poll(asked, { timeout: 15_000 }).toBeGreaterThan(before);
    expect(await held()).toEqual([]);
    // The outage ends: the restarted worker's held request is answered.
    server.clearFaults();
    server.releaseHeld();
    const panel = await waitForPanel(page, 60_000);
    expect(panel.pools.length).toBeGreaterThan(0);
    page.off('framenavigated', onNavigate);
    expect(navigations).toEqual([]);
    // A first visit shows the last day's map first and extends it as older history arrives: wait
    // for the whole lookback, then what is stored is whole, every bar from the first to the last.
    await expect.poll(async () => (await held())[0]?.barCount ?? 0, { timeout: 60_000 }).toBeGreaterThan(7 * 96);
    const series = await held();
    expect(series).toHaveLength(1);
    const [one] = series;
    expect(one!.barCount).toBe(one!.times.length);
    expect(one!.times[0]).toBe(one!.first);
    expect(one!.times.at(-1)).toBe(one!.last);
    expect((one!.last - one!.first) / 900_000 + 1).toBe(one!.barCount);
    expect(one!.barCount).toBeGreaterThan(7 * 96);
  });

  it('the service worker stopped mid-estimate: the panel recovers and the stored series stays whole', async () => {
    // Hourly bars for 30 days: the longest estimate. The worker is stopped right after the data arrived.
    server.injectFault({ kind: 'timeout', path: '/fapi/v1/klines', delayMs: 1_500 });
    const mark = server.requests.at(-1)?.seq ?? 0;
    await page.locator('liqlens-panel').locator('select[aria-label="Lookback"]').selectOption('30d');
    await expect
      .poll(() => server.requests.filter((r) => r.seq > mark && r.path === '/fapi/v1/klines' && r.status === 200).length, { timeout: 20_000, interval: 20 })
      .toBeGreaterThan(0);
    await stopServiceWorker(session);
    const panel = await waitForPanel(page, 60_000);
    expect(panel.pools.length).toBeGreaterThan(0);
    server.clearFaults();
    for (const series of await readHeldSeries()) {
      expect(series.barCount, series.key).toBe(series.times.length);
      expect((series.last - series.first) / series.timeframeMs + 1, series.key).toBe(series.barCount);
    }
  });

  it('reloading the extension removes the old panel and leaves no "Extension context invalidated" error', async () => {
    await page.goto(DEMO_URL);
    await waitForPanel(page);
    consoleErrors.length = 0;
    // Developer mode, as for anyone reloading an unpacked extension: without it this Chromium
    // disables a command-line-loaded extension on reload ("unsupported developer extension").
    const settings = await session.context.newPage();
    await settings.goto('chrome://extensions/');
    const developerMode = await settings.evaluate(async () => {
      const api = (globalThis as unknown as { chrome: { developerPrivate: { updateProfileConfiguration(c: object): Promise<void>; getProfileConfiguration(): Promise<{ inDeveloperMode: boolean }> } } }).chrome.developerPrivate;
      await api.updateProfileConfiguration({ inDeveloperMode: true });
      return (await api.getProfileConfiguration()).inDeveloperMode;
    });
    expect(developerMode).toBe(true);
    await settings.close();
    const probe = await session.context.newPage();
    await probe.goto(`chrome-extension://${session.extensionId}/popup.html?tab=999999`);
    // The extension's own pages close as it reloads, possibly before the call returns.
    await probe
      .evaluate(() => {
        (globalThis as unknown as { chrome: { runtime: { reload(): void } } }).chrome.runtime.reload();
      })
      .catch(() => undefined);
    await expect.poll(() => page.locator('liqlens-panel').count(), { timeout: 10_000 }).toBe(0);
    // The page keeps working and nothing of the old script complains (give late timers a chance).
    await page.mouse.move(10, 10);
    await page.waitForTimeout(2_000);
    expect(consoleErrors.filter((text) => /Extension context invalidated|liqlens/i.test(text))).toEqual([]);
  });

  it('after the reload a new tab and a reloaded tab get a fresh, working panel', async () => {
    // Chromium does not inject the reloaded extension's content script into tabs already open:
    // the old tab stays without a panel until it navigates.
    expect(await page.locator('liqlens-panel').count()).toBe(0);
    const fresh = await session.context.newPage();
    const freshErrors: string[] = [];
    fresh.on('pageerror', (error) => freshErrors.push(`${error.name}: ${error.message}`));
    try {
      await fresh.goto(DEMO_URL);
      const panel = await waitForPanel(fresh, 60_000);
      expect(panel.pools.length).toBeGreaterThan(0);
      expect(panel.canvas.nonEmpty).toBeGreaterThan(0);
      expect(await fresh.locator('liqlens-panel').count()).toBe(1);
      // Its controls reach the reloaded background: a shorter lookback brings a later window.
      const section = fresh.locator('liqlens-panel').locator('section.panel');
      const start = Number(await section.getAttribute('data-window-start'));
      const other = (await section.locator('select[aria-label="Lookback"]').inputValue()) === '12h' ? '24h' : '12h';
      await section.locator('select[aria-label="Lookback"]').selectOption(other);
      await expect.poll(async () => Number(await section.getAttribute('data-window-start')), { timeout: 30_000 }).not.toBe(start);
      await waitForPanel(fresh, 30_000);
    } finally {
      await fresh.close();
    }
    expect(freshErrors).toEqual([]);
    // The old tab, navigated again, gets its panel back.
    consoleErrors.length = 0;
    await page.reload();
    await waitForPanel(page, 60_000);
    expect(await page.locator('liqlens-panel').count()).toBe(1);
    expect(consoleErrors.filter((text) => /Extension context invalidated|liqlens/i.test(text))).toEqual([]);
  });
});
