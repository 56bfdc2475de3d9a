/**
 * Real-browser harness: builds the extension, starts the replay server (recorded Binance data
 * and the demo pages), and launches Debian's Chromium with LiqLens loaded, every exchange host
 * mapped to the replay server. Used by the browser tests and by `npm start`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';
import { defaultDataDir, type ReplayServer, startReplayServer } from '../../test-support/replay-server/index';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const PAGES_DIR = join(REPO_ROOT, 'e2e/pages');
export const CHROMIUM = process.env['LIQLENS_CHROMIUM'] ?? '/usr/bin/chromium';
export const DEMO_URL = 'https://www.binance.com/en/futures/BTCUSDT';

/**
 * Builds the extension for `browser` (Chrome MV3 by default, or Firefox MV2) into `outDir`
 * (default: a folder of its own under `.output/`, so a build running elsewhere in the tree cannot
 * swap files under the browser). Returns the folder.
 */
export function buildExtension(outDir = join(REPO_ROOT, '.output/e2e'), browser: 'chrome' | 'firefox' = 'chrome'): string {
  const config = JSON.stringify({ root: REPO_ROOT, outDir, browser });
  const script = `import('wxt').then((w) => w.build(${config}))`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`extension build failed:\n${result.stdout}\n${result.stderr}`);
  const dir = join(outDir, browser === 'firefox' ? 'firefox-mv2' : 'chrome-mv3');
  if (!existsSync(join(dir, 'manifest.json'))) throw new Error(`no manifest in ${dir}`);
  return dir;
}

/** The extension's manifest as built. */
export function readManifest(extensionDir: string): BuiltManifest {
  return JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8')) as BuiltManifest;
}

/** The fields of a built manifest the tests read. */
export interface BuiltManifest {
  readonly host_permissions?: string[];
  readonly permissions?: string[];
  readonly version: string;
  /** Firefox's build only. */
  readonly browser_specific_settings?: { readonly gecko?: { readonly id?: string } };
}

export async function startServer(): Promise<ReplayServer> {
  // Replayed liquidations carry the replay clock's time, so they fall inside the panel's window.
  return startReplayServer({ dataDir: defaultDataDir(), pagesDir: PAGES_DIR, wsTimes: 'replay' });
}

export interface Session {
  readonly context: BrowserContext;
  readonly extensionId: string;
  readonly userDataDir: string;
  /** The background service worker (re-read after restarts with `serviceWorker()`). */
  serviceWorker(): Promise<Worker>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  readonly extensionDir: string;
  readonly server: ReplayServer;
  readonly headless?: boolean;
  /** Keep the profile (IndexedDB cache) between launches; default: a fresh temporary profile. */
  readonly userDataDir?: string;
}

/**
 * Chromium with the extension loaded; every host name resolves to the replay server (hosts the
 * server does not know get 404 there and show up in its request log), so nothing leaves the
 * machine and every request the browser makes can be checked.
 */
export async function launch(options: LaunchOptions): Promise<Session> {
  const ownDir = options.userDataDir === undefined;
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'liqlens-profile-'));
  const { extensionDir, server } = options;
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: options.headless ?? true,
    ignoreDefaultArgs: ['--disable-extensions'],
    viewport: { width: 1280, height: 800 },
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--host-resolver-rules=${server.hostResolverRules}, MAP * 127.0.0.1:${server.port}, EXCLUDE localhost`,
      '--ignore-certificate-errors',
    ],
  });
  const findWorker = async (): Promise<Worker> => {
    const existing = context.serviceWorkers().filter((w) => w.url().endsWith('/background.js')).at(-1);
    if (existing) return existing;
    return context.waitForEvent('serviceworker', { predicate: (w) => w.url().endsWith('/background.js'), timeout: 15_000 });
  };
  const worker = await findWorker();
  const extensionId = new URL(worker.url()).host;
  // A stopped service worker keeps its Playwright handle but does not evaluate until started again.
  const serviceWorker = async (): Promise<Worker> => {
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    try {
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.startWorker', { scopeURL: `chrome-extension://${extensionId}/` });
    } finally {
      await cdp.detach().catch(() => {});
    }
    return findWorker();
  };
  return {
    context,
    extensionId,
    userDataDir,
    serviceWorker,
    async close() {
      await context.close();
      if (ownDir) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Host names of the hosts in manifest match patterns (`https://fapi.binance.com/*` → `fapi.binance.com`). */
export function patternHosts(patterns: readonly string[]): string[] {
  return patterns.map((p) => new URL(p.replace('/*', '/')).hostname);
}

/**
 * The content script importing the extension's own code (`content-chunks/`, web-accessible under
 * a per-session `chrome-extension://<random>/` address): not a network request.
 */
export function isContentChunkLoad(url: string): boolean {
  const parsed = new URL(url);
  return parsed.protocol === 'chrome-extension:' && parsed.pathname.startsWith('/content-chunks/');
}

/**
 * Runs in the page: the panel's state once its heatmap is drawn or it shows an error, else false.
 * Passed as source to the browser, so it uses nothing from this module.
 */
export function panelReadiness(): { state: string; text: string } | false {
  const root = document.querySelector('liqlens-panel')?.shadowRoot;
  const panel = root?.querySelector('[data-state]');
  const state = panel?.getAttribute('data-state');
  if (state === 'error') return { state, text: panel?.textContent ?? '' };
  const drawn = root?.querySelector('canvas')?.dataset['drawn'];
  if (state !== 'ready' || drawn === undefined) return false;
  return { state, text: '' };
}

/** Waits for the panel's shadow root to show a drawn heatmap; returns what it shows. */
export async function waitForPanel(page: Page, timeoutMs = 30_000): Promise<PanelState> {
  const handle = await page.waitForFunction(panelReadiness, undefined, { timeout: timeoutMs, polling: 50 });
  return panelShown(page, (await handle.jsonValue()) as { state: string; text: string });
}

/**
 * The panel's state once it shows a drawn heatmap or an error (see {@link panelReadiness}), for
 * benchmarks of the page's load: the polling runs as a small promise evaluated in the page after
 * its load event. Playwright's `waitForFunction` and locators first inject its helper script
 * (about 330 KB), whose compilation is one 25-80 ms task on the page's main thread in the middle
 * of the load, ahead of the panel's own tasks: a cost no user's page has. Unlike
 * `waitForFunction` it does not survive a navigation of the page while it waits.
 */
export async function pollPanelInPage(page: Page, timeoutMs = 30_000): Promise<{ state: string; text: string }> {
  return (await page.evaluate(`new Promise((resolve, reject) => {
    const readiness = ${panelReadiness.toString()};
    const deadline = Date.now() + ${timeoutMs};
    const poll = () => {
      const state = readiness();
      if (state) resolve(state);
      else if (Date.now() > deadline) reject(new Error('the panel showed neither a heatmap nor an error within ${timeoutMs} ms'));
      else setTimeout(poll, 50);
    };
    poll();
  })`)) as { state: string; text: string };
}

/** {@link waitForPanel} through {@link pollPanelInPage}. */
export async function waitForPanelByPagePolling(page: Page, timeoutMs = 30_000): Promise<PanelState> {
  return panelShown(page, await pollPanelInPage(page, timeoutMs));
}

async function panelShown(page: Page, state: { state: string; text: string }): Promise<PanelState> {
  if (state.state === 'error') throw new Error(`panel shows an error: ${state.text}`);
  return readPanel(page);
}

export interface PanelState {
  readonly text: string;
  /** When the heatmap was drawn, ms after the page's navigation started. */
  readonly paintedMs: number;
  readonly pools: readonly string[];
  readonly canvas: { readonly width: number; readonly height: number; readonly nonEmpty: number; readonly distinct: number };
}

/**
 * Runs in the page: the panel's text, pool rows, and how many canvas pixels differ from the
 * background. Passed as source to the browser, so it uses nothing from this module.
 */
export function panelSnapshot(): PanelState {
  const root = document.querySelector('liqlens-panel')?.shadowRoot;
  const canvas = root?.querySelector('canvas');
  let nonEmpty = 0;
  const colours = new Set<number>();
  if (canvas) {
    const ctx = canvas.getContext('2d');
    const data = ctx?.getImageData(0, 0, canvas.width, canvas.height).data;
    if (data) {
      const [r0, g0, b0] = [data[0], data[1], data[2]];
      for (let i = 0; i < data.length; i += 4) {
        if (data[i] !== r0 || data[i + 1] !== g0 || data[i + 2] !== b0) nonEmpty++;
        colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      }
    }
  }
  const pools = [...(root?.querySelectorAll('[data-pool]') ?? [])].map((el) => el.textContent ?? '');
  const panel = root?.querySelector('[data-state]');
  return {
    text: panel?.textContent ?? '',
    paintedMs: Math.round(Number(canvas?.dataset['drawn'] ?? Number.NaN) - performance.timeOrigin),
    pools,
    canvas: { width: canvas?.width ?? 0, height: canvas?.height ?? 0, nonEmpty, distinct: colours.size },
  };
}

/** Reads the panel (see {@link panelSnapshot}). */
export async function readPanel(page: Page): Promise<PanelState> {
  return page.evaluate(panelSnapshot);
}

/** Id of the active tab, asked from the background (which may see tab ids, not their addresses). */
export async function activeTabId(session: Session): Promise<number> {
  const worker = await session.serviceWorker();
  return worker.evaluate(async () => {
    const api = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id?: number }[]> } } }).chrome;
    const tabs = await api.tabs.query({ active: true, lastFocusedWindow: true });
    const id = tabs[0]?.id;
    if (id === undefined) throw new Error('no active tab');
    return id;
  });
}

/**
 * Stops the background service worker, as Chrome does after 30 s idle; the next message starts
 * it again from scratch (computed views, the worker connection and timers are gone).
 */
export async function stopServiceWorker(session: Session): Promise<void> {
  const page = session.context.pages()[0] ?? (await session.context.newPage());
  const cdp = await session.context.newCDPSession(page);
  try {
    const versions = new Map<string, { scriptURL: string; runningStatus: string }>();
    // An open panel's live port starts the worker again at once: a stop seen at any moment counts.
    const stoppedOnce = new Set<string>();
    cdp.on('ServiceWorker.workerVersionUpdated', (event) => {
      for (const v of event.versions) {
        versions.set(v.versionId, v);
        if (v.runningStatus === 'stopped') stoppedOnce.add(v.versionId);
      }
    });
    await cdp.send('ServiceWorker.enable');
    const script = `chrome-extension://${session.extensionId}/background.js`;
    const deadline = Date.now() + 5_000;
    let target: string | undefined;
    while (Date.now() < deadline) {
      target = [...versions].find(([, v]) => v.scriptURL === script && v.runningStatus === 'running')?.[0];
      if (target !== undefined) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (target === undefined) throw new Error('background service worker not found running');
    stoppedOnce.delete(target);
    await cdp.send('ServiceWorker.stopWorker', { versionId: target });
    while (Date.now() < deadline + 5_000) {
      if (stoppedOnce.has(target)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('background service worker did not stop');
  } finally {
    await cdp.detach().catch(() => {});
  }
}

export interface ExtensionPageEstimate {
  /** Time from sending the message to the answer, in the extension page (ms). */
  readonly ms: number;
  readonly ok: boolean;
  readonly error?: string;
  /** The background's `timings` of the answered view. */
  readonly timings?: Record<string, number>;
}

/**
 * Asks the background for the 24h BTCUSDT estimate from an extension page (the popup page, tied
 * to no tab), the way the popup does, and times the answer there.
 */
export async function estimateFromExtensionPage(session: Session): Promise<ExtensionPageEstimate> {
  const probe = await session.context.newPage();
  try {
    await probe.goto(`chrome-extension://${session.extensionId}/popup.html?tab=999999`);
    return await probe.evaluate(async () => {
      const api = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome;
      const started = performance.now();
      const answer = (await api.runtime.sendMessage({
        type: 'getEstimate',
        payload: { exchange: 'binance', symbol: 'BTCUSDT', lookback: '24h' },
        version: 1,
      })) as { ok: boolean; error?: { message: string }; result?: { timings?: Record<string, number> } };
      return {
        ms: performance.now() - started,
        ok: answer.ok,
        ...(answer.error ? { error: answer.error.message } : {}),
        ...(answer.result?.timings ? { timings: answer.result.timings } : {}),
      };
    });
  } finally {
    await probe.close();
  }
}
