/**
 * What a user waits for on a first visit: `npm run bench:load [-- --latency MS]`. The built
 * extension in Chromium, a fresh profile (empty cache) per scenario, against the replay server
 * with a round trip of `--latency` ms (default 120) on every exchange host and the exchanges'
 * published public rate limits enforced (`test-support/replay-server/rate-limits.ts`). One JSON
 * line per scenario:
 *
 * `{"scenario","firstMapMs","completeMs","requests","http429"}`
 *
 * - `firstMapMs`: navigation start of the futures page to the first painted heatmap (for the
 *   aggregated scenarios, the first heatmap over the exchanges combined; the "Aggregated" switch
 *   is pressed as soon as the panel shows it).
 * - `completeMs`: to the heatmap over the whole lookback, the loading line gone.
 * - `requests`: REST requests to the exchanges' hosts during the scenario; `http429`: those
 *   refused for a rate limit.
 */
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { buildExtension, DEMO_URL, launch, PAGES_DIR } from '../e2e/support/harness';
import { EXCHANGES } from '../src/messaging/contract';
import { DEFAULT_SETTINGS, SETTINGS_VERSION, type Settings } from '../src/settings/schema';
import { defaultDataDir, startReplayServer } from '../test-support/replay-server/index';

const { values } = parseArgs({ options: { latency: { type: 'string', default: '120' }, only: { type: 'string' }, detail: { type: 'boolean', default: false } }, strict: true });
const LATENCY_MS = Number(values.latency);
if (!(LATENCY_MS >= 0)) throw new Error(`--latency must be a number of ms, got ${values.latency}`);

interface Scenario {
  readonly scenario: string;
  readonly settings: Partial<Settings>;
  readonly aggregate: boolean;
}

const SCENARIOS: readonly Scenario[] = [
  { scenario: 'single-binance-24h', settings: { lookback: '24h' }, aggregate: false },
  { scenario: 'single-binance-7d', settings: { lookback: '7d' }, aggregate: false },
  { scenario: 'aggregate-4-exchanges-7d', settings: { lookback: '7d', exchanges: ['binance', 'bybit', 'okx', 'bitget'] }, aggregate: true },
  { scenario: 'aggregate-5-exchanges-30d', settings: { lookback: '30d', exchanges: [...EXCHANGES] }, aggregate: true },
];

/**
 * Runs in the page: presses "Aggregated" when asked and it is there, and resolves with the times
 * (ms after navigation start) of the first heatmap drawn for the scenario and of the one drawn
 * once nothing is loading. Source text, so it uses nothing from this module.
 */
const WATCH = `(aggregate, timeoutMs) => new Promise((resolve, reject) => {
  const deadline = Date.now() + timeoutMs;
  let first;
  let settled;
  const poll = () => {
    const root = document.querySelector('liqlens-panel')?.shadowRoot;
    const panel = root?.querySelector('[data-state]');
    if (panel?.getAttribute('data-state') === 'error') return reject(new Error('panel error: ' + panel.textContent));
    const button = root?.querySelector('button[data-scope="aggregate"]');
    if (aggregate && button && button.getAttribute('aria-pressed') !== 'true' && !button.disabled) button.click();
    const drawn = Number(root?.querySelector('canvas')?.dataset.drawn);
    const combined = !aggregate || (root?.querySelector('.market')?.getAttribute('data-exchanges') ?? '') !== '';
    if (Number.isFinite(drawn) && combined) {
      first ??= drawn - performance.timeOrigin;
      const loading = root?.querySelector('[data-status="loading"], [data-status="extending"]');
      // Complete once the map drawn stays without a loading line for a second (the panel asks the
      // background for progress every 300 ms while older history loads).
      if (!loading && panel?.getAttribute('data-state') === 'ready') {
        if (!settled || settled.drawn !== drawn) settled = { drawn, since: Date.now() };
        if (Date.now() - settled.since >= 1000) return resolve({ first, complete: drawn - performance.timeOrigin });
      } else settled = undefined;
    }
    if (Date.now() > deadline) return reject(new Error('no complete heatmap within ' + timeoutMs + ' ms'));
    setTimeout(poll, 20);
  };
  poll();
})`;

async function watch(page: Page, aggregate: boolean): Promise<{ first: number; complete: number }> {
  return (await page.evaluate(`(${WATCH})(${aggregate}, 120000)`)) as { first: number; complete: number };
}

const extensionDir = buildExtension(new URL('../.output/bench-load', import.meta.url).pathname);
const server = await startReplayServer({ dataDir: defaultDataDir(), pagesDir: PAGES_DIR, wsTimes: 'replay', latencyMs: LATENCY_MS, rateLimits: true });
const apiHosts = new Set(['fapi.binance.com', 'api.bybit.com', 'www.okx.com', 'api.bitget.com', 'api.hyperliquid.xyz']);
try {
  for (const s of SCENARIOS) {
    if (values.only && !s.scenario.includes(values.only)) continue;
    const session = await launch({ extensionDir, server });
    try {
      // The settings as the options page stores them (WXT keeps the schema version beside the value).
      const settings: Settings = { ...DEFAULT_SETTINGS, ...s.settings };
      const worker = await session.serviceWorker();
      await worker.evaluate(
        async ([value, version]) => {
          const api = (globalThis as unknown as { chrome: { storage: { sync: { set(items: object): Promise<void> } } } }).chrome;
          await api.storage.sync.set({ settings: value, settings$: { v: version } });
        },
        [settings, SETTINGS_VERSION] as const,
      );
      const page = await session.context.newPage();
      server.clearRequests();
      await page.goto(DEMO_URL);
      const { first, complete } = await watch(page, s.aggregate);
      const api = server.requests.filter((r) => !r.websocket && apiHosts.has(r.host) && (r.host !== 'www.okx.com' || r.path.startsWith('/api/')));
      if (values.detail) {
        // Where the time goes: each request's arrival after the first one, per host (stderr).
        const t0 = api[0]?.time ?? 0;
        for (const host of apiHosts) console.error(host, api.filter((r) => r.host === host).map((r) => `${r.time - t0}:${r.path.split('/').at(-1)}${r.status === 429 ? '(429)' : ''}`).join(' '));
      }
      console.log(
        JSON.stringify({
          scenario: s.scenario,
          firstMapMs: Math.round(first),
          completeMs: Math.round(complete),
          requests: api.length,
          http429: api.filter((r) => r.status === 429).length,
          latencyMs: LATENCY_MS,
        }),
      );
    } finally {
      await session.close();
    }
  }
} finally {
  await server.stop();
}
