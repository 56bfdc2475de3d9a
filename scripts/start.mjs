#!/usr/bin/env node
// `npm start`: builds LiqLens, starts the local replay of Binance (real recorded BTCUSDT data) with
// a demo futures page, and opens that page in Chromium with the extension loaded.
//
// With a display ($DISPLAY set) the browser window stays open until you close it (or Ctrl-C).
// Without one it runs headless: it saves screenshots of the on-page panel and the popup into
// demo-out/, prints the nearest liquidation pools and the market context, and exits.
//
// Options: --headless (even with a display), --out DIR (default demo-out).
// `npm start` runs scripts/ensure-setup.mjs first ("prestart"): dependencies and Chromium are in
// place when this file runs (it imports tsx at once).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { headless: { type: 'boolean', default: false }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  strict: true,
});
if (values.help) {
  console.log('usage: npm start [-- --headless] [-- --out DIR]');
  process.exit(0);
}
const headless = values.headless || !process.env.DISPLAY;
const out = resolve(root, values.out ?? 'demo-out');

function step(label) {
  console.log(`\n> ${label}`);
}

step('building the extension (Chrome MV3) into .output/chrome-mv3');
const build = spawnSync('npx', ['wxt', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error(`build failed (exit ${build.status ?? build.signal})`);
  process.exit(build.status ?? 1);
}
const extensionDir = join(root, '.output/chrome-mv3');

// The harness and the replay server are TypeScript: load them through tsx.
register();
const harness = await import('../e2e/support/harness.ts');
const { defaultDataDir } = await import('../test-support/replay-server/index.ts');
if (!existsSync(join(defaultDataDir(), 'binance-btcusdt-5m-ohlc-oi-funding-cvd.csv'))) {
  console.error(`recorded data not found in ${defaultDataDir()}: the repository expects shared/data beside it`);
  process.exit(1);
}
if (!existsSync(harness.CHROMIUM)) {
  console.error(`Chromium not found at ${harness.CHROMIUM} (apt-get install chromium, or set LIQLENS_CHROMIUM)`);
  process.exit(1);
}

step('starting the replay server (recorded Binance USDT-M data) and the demo pages');
const server = await harness.startServer();
console.log(`  ${server.url}, replay time ${new Date(server.now()).toISOString()}`);

step(`launching Chromium${headless ? ' (headless: no display)' : ''} with LiqLens on ${harness.DEMO_URL}`);
const session = await harness.launch({ extensionDir, server, headless });
let closing = false;
async function shutdown(code) {
  if (closing) return;
  closing = true;
  await session.close().catch(() => {});
  await server.stop().catch(() => {});
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(130));

try {
  const page = session.context.pages()[0] ?? (await session.context.newPage());
  await page.goto(harness.DEMO_URL);
  const panel = await harness.waitForPanel(page, 60_000);
  console.log(`  panel drawn ${panel.paintedMs} ms after navigation`);

  if (!headless) {
    console.log('\nLiqLens is running in the browser window. Close it (or press Ctrl-C) to stop.');
    await new Promise((resolveClosed) => session.context.on('close', resolveClosed));
    await shutdown(0);
  }

  mkdirSync(out, { recursive: true });
  await page.locator('liqlens-panel').locator('section.panel').screenshot({ path: join(out, 'panel.png') });
  await page.screenshot({ path: join(out, 'page.png') });

  const tabId = await harness.activeTabId(session);
  const popup = await session.context.newPage();
  await popup.setViewportSize({ width: 360, height: 320 });
  await popup.goto(`chrome-extension://${session.extensionId}/popup.html?tab=${tabId}`);
  await popup.locator('main[data-state="ready"]').waitFor({ timeout: 60_000 });
  await popup.locator('main').screenshot({ path: join(out, 'popup.png') });

  // The same estimate the panel shows, asked from an extension page, for the summary below.
  const answer = await popup.evaluate(() =>
    globalThis.chrome.runtime.sendMessage({ type: 'getEstimate', payload: { exchange: 'binance', symbol: 'BTCUSDT', lookback: '24h' }, version: 1 }),
  );
  if (!answer?.ok) throw new Error(`estimate failed: ${JSON.stringify(answer?.error)}`);
  const view = answer.result;
  writeFileSync(join(out, 'estimate-view.json'), `${JSON.stringify({ ...view, heatmap: { ...view.heatmap, intensity: `${view.heatmap.intensity.length} values` } }, null, 2)}\n`);
  printSummary(view);
  // The chart's band (heatmap.priceLow/priceHigh in estimate-view.json) holds every listed pool.
  const { poolsOffChart } = await import('../src/ui/chart-band.ts');
  const off = poolsOffChart(view.heatmap, view.pools, view.price);
  const band = `${Math.round(view.heatmap.priceLow).toLocaleString('en-US')}-${Math.round(view.heatmap.priceHigh).toLocaleString('en-US')}`;
  console.log(off.length === 0 ? `Chart band ${band}: every listed pool is on the chart` : `Chart band ${band}: ${off.length} listed pool(s) outside it`);
  console.log(`\nScreenshots (panel.png, popup.png, page.png) and estimate-view.json: ${out}`);
  await shutdown(0);
} catch (error) {
  console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
}

function printSummary(view) {
  const price = (p) => p.toLocaleString('en-US', { maximumFractionDigits: p >= 1000 ? 0 : 4 });
  const usd = (v) => (v >= 1e9 ? `$${(v / 1e9).toFixed(2)}B` : v >= 1e6 ? `$${(v / 1e6).toFixed(1)}M` : `$${Math.round(v / 1e3)}k`);
  const pct = (v) => `${v >= 0 ? '+' : ''}${v.toFixed(2)} %`;
  const line = (p) => `${price(p.priceLow)}-${price(p.priceHigh)}  strength ${p.strength}/10  ${pct(p.distancePct)}  ${usd(p.notionalUsd)}`;
  const above = view.pools.filter((p) => p.peakPrice > view.price).sort((a, b) => a.priceLow - b.priceLow);
  const below = view.pools.filter((p) => p.peakPrice <= view.price).sort((a, b) => b.priceHigh - a.priceHigh);
  console.log(`\n${view.symbol} on ${view.exchange}, ${view.lookback} estimate, price ${price(view.price)}`);
  console.log('Pools above (short liquidations), nearest first:');
  for (const p of above.slice(0, 3)) console.log(`  ▲ ${line(p)}`);
  if (above.length === 0) console.log('  none');
  console.log('Pools below (long liquidations), nearest first:');
  for (const p of below.slice(0, 3)) console.log(`  ▼ ${line(p)}`);
  if (below.length === 0) console.log('  none');
  const c = view.context;
  const change = (v) => (v === undefined ? '-' : pct(v * 100));
  console.log(
    // The engine gives funding per 8 h (src/engine/funding-interval.ts).
    `Funding ${c.funding === undefined ? '-' : `${(c.funding * 100).toFixed(4)} % / 8h`}, ` +
      `OI 1h ${change(c.openInterestChange.h1)} / 24h ${change(c.openInterestChange.h24)}, ` +
      `trend ${c.trend}, reliability ${(c.reliability.score * 10).toFixed(1)}/10`,
  );
  if (view.timings) {
    const t = view.timings;
    console.log(`Timings: load ${t.loadMs} ms (${t.cachedBars ?? 0} of ${t.bars} bars from the cache), engine ${t.estimateMs} ms, background total ${t.totalMs} ms`);
  }
}
