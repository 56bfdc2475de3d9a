/**
 * The popup and the options page in a real Chromium against the local Binance replay: the popup
 * picks up the tab's market, searches the exchange's market list, watches a market and shows
 * the panel; the options page saves settings that survive a reload and reach the popup.
 * Screenshots of both are saved to docs/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayServer } from '../test-support/replay-server/index';
import { activeTabId, buildExtension, DEMO_URL, launch, REPO_ROOT, type Session, startServer, waitForPanel } from './support/harness';

const SCREENSHOTS = join(REPO_ROOT, 'docs/screenshots');

let server: ReplayServer;
let session: Session;
let page: Page;
let tabId: number;

async function openPopup(): Promise<Page> {
  const popup = await session.context.newPage();
  await popup.emulateMedia({ colorScheme: 'dark' });
  await popup.setViewportSize({ width: 356, height: 600 });
  await popup.goto(`chrome-extension://${session.extensionId}/popup.html?tab=${tabId}`);
  return popup;
}

async function openOptions(): Promise<Page> {
  const options = await session.context.newPage();
  await options.emulateMedia({ colorScheme: 'dark' });
  await options.setViewportSize({ width: 820, height: 900 });
  await options.goto(`chrome-extension://${session.extensionId}/options.html`);
  await options.locator('main[data-state="ready"]').waitFor({ timeout: 10_000 });
  return options;
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const extensionDir = buildExtension(join(REPO_ROOT, '.output/e2e-popup'));
  server = await startServer();
  session = await launch({ extensionDir, server });
  page = await session.context.newPage();
  await page.goto(DEMO_URL);
  await waitForPanel(page);
  tabId = await activeTabId(session);
});

afterAll(async () => {
  await session?.close();
  await server?.stop();
});

describe('popup', () => {
  it("shows the tab's market: mini heatmap, nearest pools, funding, OI trend and reliability", async () => {
    const popup = await openPopup();
    await popup.locator('main[data-state="ready"]').waitFor({ timeout: 30_000 });
    expect(await popup.locator('[data-market]').getAttribute('data-market')).toBe('binance:BTCUSDT');
    expect(await popup.locator('main').getAttribute('data-theme')).toBe('dark');
    await popup.locator('canvas[data-drawn]').waitFor({ timeout: 5_000 });
    const painted = await popup.locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
      const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
      const colours = new Set<number>();
      for (let i = 0; data && i < data.length; i += 4) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      return colours.size;
    });
    expect(painted).toBeGreaterThan(20);
    expect(await popup.locator('[data-pool="above"]').innerText()).toMatch(/strength \d+\/10/);
    expect(await popup.locator('[data-pool="below"]').innerText()).toMatch(/strength \d+\/10/);
    expect(await popup.locator('[data-context="funding"]').innerText()).toMatch(/%/);
    expect(await popup.locator('[data-context="oi"]').innerText()).toMatch(/% \/ .*% \/ .*%/);
    expect(await popup.locator('[data-context="reliability"]').innerText()).toMatch(/\/10/);
    expect(await popup.locator('[data-action="open-panel"]').innerText()).toBe('Show panel');
    await popup.locator('main').screenshot({ path: join(SCREENSHOTS, 'popup.png') });
    await popup.close();
  });

  it('the symbol picker searches the exchange market list and switches the market', async () => {
    const popup = await openPopup();
    await popup.locator('main[data-state="ready"]').waitFor({ timeout: 30_000 });
    const search = popup.getByRole('searchbox', { name: 'Search markets' });
    await search.fill('usdt');
    // The list comes from the exchange's market list (exchangeInfo through ccxt in the background).
    await popup.locator('.results button').first().waitFor({ timeout: 30_000 });
    expect(await popup.locator('.results button').count()).toBeGreaterThan(1);
    await search.fill('eth');
    const eth = popup.locator('button[data-symbol="ETHUSDT"]');
    await eth.waitFor({ timeout: 5_000 });
    await eth.click();
    expect(await popup.locator('[data-market]').getAttribute('data-market')).toBe('binance:ETHUSDT');
    // The replay holds bars for BTCUSDT only: ETHUSDT ends in a clear error, not a blank popup.
    await popup.locator('main[data-state="error"]').waitFor({ timeout: 30_000 });
    expect(await popup.locator('.status.error').innerText()).toMatch(/Could not estimate/);
    // Not the tab's market: the button opens that market's futures page instead.
    expect(await popup.locator('[data-action="open-panel"]').innerText()).toBe('Open futures page');
    await search.fill('BTCUSDT');
    await search.press('Enter');
    await popup.locator('main[data-state="ready"]').waitFor({ timeout: 30_000 });
    expect(await popup.locator('[data-market]').getAttribute('data-market')).toBe('binance:BTCUSDT');
    await popup.close();
  });

  it('a watched market stays watched after the popup is opened again', async () => {
    const popup = await openPopup();
    await popup.locator('main[data-state="ready"]').waitFor({ timeout: 30_000 });
    const watch = popup.locator('[data-action="watch"]');
    expect(await watch.getAttribute('aria-pressed')).toBe('false');
    await watch.click();
    await expect.poll(() => watch.getAttribute('aria-pressed')).toBe('true');
    await popup.reload();
    await popup.locator('main[data-state="ready"]').waitFor({ timeout: 30_000 });
    expect(await popup.locator('[data-action="watch"]').getAttribute('aria-pressed')).toBe('true');
    await popup.close();
  });

  it('"Show panel" brings back the panel on the exchange page after it was closed', async () => {
    await page.evaluate(() => document.querySelector('liqlens-panel')?.remove());
    expect(await page.locator('liqlens-panel').count()).toBe(0);
    const popup = await openPopup();
    await popup.locator('main[data-state="ready"]').waitFor({ timeout: 30_000 });
    await popup.locator('[data-action="open-panel"]').click();
    await waitForPanel(page);
    expect(await page.locator('liqlens-panel').count()).toBe(1);
    if (!popup.isClosed()) await popup.close();
  });
});

describe('options page', () => {
  it('changes settings that survive a reload and reach the popup', async () => {
    const options = await openOptions();
    expect(await options.locator('select[name="lookback"]').inputValue()).toBe('24h');
    await options.locator('select[name="lookback"]').selectOption('3d');
    await expect.poll(() => options.locator('[data-status]').getAttribute('data-status')).toBe('saved');
    await options.locator('input[name="leverage-preset"][value="aggressive"]').check();
    await options.locator('input[name="exchange-hyperliquid"]').uncheck();
    await options.locator('input[name="warningAtr"]').fill('0.5');
    await options.locator('input[name="warningAtr"]').press('Tab');
    await expect.poll(() => options.locator('input[name="exchange-hyperliquid"]').isChecked()).toBe(false);
    // The market watched from the popup is listed here.
    expect(await options.locator('.watches').innerText()).toContain('BTCUSDT');

    await options.reload();
    await options.locator('main[data-state="ready"]').waitFor({ timeout: 10_000 });
    expect(await options.locator('select[name="lookback"]').inputValue()).toBe('3d');
    expect(await options.locator('input[name="leverage-preset"][value="aggressive"]').isChecked()).toBe(true);
    expect(await options.locator('input[name="exchange-hyperliquid"]').isChecked()).toBe(false);
    expect(await options.locator('input[name="warningAtr"]').inputValue()).toBe('0.5');
    await options.screenshot({ path: join(SCREENSHOTS, 'options.png'), fullPage: true });

    // The theme setting overrides the system's dark preference.
    await options.locator('select[name="theme"]').selectOption('light');
    await expect.poll(() => options.locator('main').getAttribute('data-theme')).toBe('light');

    const popup = await openPopup();
    await popup.locator('main[data-state="ready"]').waitFor({ timeout: 60_000 });
    expect(await popup.locator('[data-market]').innerText()).toContain('3d');
    expect(await popup.locator('main').getAttribute('data-theme')).toBe('light');
    expect(await popup.locator('select[aria-label="Exchange"] option').allInnerTexts()).not.toContain('Hyperliquid');
    await popup.close();
    await options.locator('select[name="theme"]').selectOption('system');
    await options.close();
  });
});
