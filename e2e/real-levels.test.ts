/**
 * Real Hyperliquid levels in a real Chromium against the replay (the leaderboard and
 * clearinghouseState built from the recorded snapshot of 547 accounts): the layer shows on the
 * demo Binance and Hyperliquid BTC pages with its words and its marks, the background reads the
 * leaderboard once, stays within its weight share, and stops polling when no panel is open.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayServer } from '../test-support/replay-server/index';
import { buildExtension, launch, REPO_ROOT, type Session, startServer } from './support/harness';

const ARTIFACTS = join(REPO_ROOT, 'e2e-artifacts');
let server: ReplayServer;
let session: Session;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const extensionDir = buildExtension(join(REPO_ROOT, '.output/e2e-real-levels'));
  server = await startServer();
  session = await launch({ extensionDir, server });
});

afterAll(async () => {
  await session?.close();
  await server?.stop();
});

const WORDS = /^Real positions of \d+ large Hyperliquid accounts, \$[\d.]+[kMB] = (\d+\.\d|under 0\.1) % of Hyperliquid's open interest in BTC, updated (less than a minute|\d+ min) ago/;

async function realLayer(page: Page) {
  const panel = page.locator('liqlens-panel');
  await panel.locator('section.panel[data-state="ready"]').waitFor({ timeout: 60_000 });
  const words = panel.locator('[data-real="words"]');
  await expect.poll(async () => (await words.textContent({ timeout: 60_000 })) ?? '', { timeout: 60_000, interval: 500 }).toMatch(WORDS);
  return panel;
}

const info = () => server.requests.filter((r) => r.host === 'api.hyperliquid.xyz' && r.path === '/info');

describe('real Hyperliquid levels beside the estimate', () => {
  const pages: Page[] = [];

  it('on the Binance BTCUSDT page: the words, the nearest levels with size, leverage and account, the marks on the price axis', async () => {
    const page = await session.context.newPage();
    pages.push(page);
    const started = Date.now();
    await page.goto('https://www.binance.com/en/futures/BTCUSDT');
    const panel = await realLayer(page);
    expect(await panel.locator('[data-real-levels][data-coin="BTC"]').count()).toBe(1);
    // The nearest level lines, once a holder with a level on that side has been read.
    await expect.poll(async () => (await panel.locator('[data-real="below"]').textContent()) ?? '', { timeout: 60_000, interval: 500 }).toMatch(/^▼ (long|short) liq\. [\d,]+ \(−\d+\.\d %\) · \$[\d.]+[kMB] · [\d.]+x (cross|isolated) · 0x[0-9a-f]{4}…[0-9a-f]{4}$/);
    // Marks on the price axis: the recorded snapshot holds 24 BTC levels between 58,000 and 71,000.
    await expect.poll(async () => Number((await panel.locator('canvas.real-marks').getAttribute('data-real-levels', { timeout: 60_000 })) ?? 0), { timeout: 90_000, interval: 1_000 }).toBeGreaterThan(0);
    await panel.locator('section.panel').screenshot({ path: join(ARTIFACTS, 'panel-real-levels-binance.png') });
    // The leaderboard once; every /info request within 300 weight a minute (clearinghouseState 2, others 20).
    expect(server.requests.filter((r) => r.host === 'stats-data.hyperliquid.xyz' && r.path === '/Mainnet/leaderboard')).toHaveLength(1);
    const minutes = (Date.now() - started) / 60_000;
    expect(info().length).toBeGreaterThan(10);
    expect(info().length).toBeLessThanOrEqual(Math.ceil(minutes * 150) + 12);
  });

  it('on the Hyperliquid BTC page: the same layer, the list read from the cache', async () => {
    const page = await session.context.newPage();
    pages.push(page);
    await page.goto('https://app.hyperliquid.xyz/trade/BTC');
    const panel = await realLayer(page);
    expect(await panel.locator('[data-real="above"]').textContent()).toMatch(/^▲ /);
    expect(server.requests.filter((r) => r.host === 'stats-data.hyperliquid.xyz')).toHaveLength(1);
    await panel.locator('section.panel').screenshot({ path: join(ARTIFACTS, 'panel-real-levels-hyperliquid.png') });
  });

  it('stops polling when no panel shows a market', async () => {
    for (const page of pages) await page.close();
    // A request in flight may still land; then nothing.
    await new Promise((r) => setTimeout(r, 2_000));
    const after = info().length;
    await new Promise((r) => setTimeout(r, 6_000));
    expect(info().length).toBe(after);
  });
});
