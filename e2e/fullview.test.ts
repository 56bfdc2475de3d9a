/**
 * The full view and the panel's own controls in Chromium on the Binance demo page: the panel fits
 * a 1280 x 720 viewport with a warning showing and keeps the Order check in sight, compact mode
 * is remembered, the leverage preset is switched from the panel through the settings store, and
 * the full view opens from the panel and from the popup, with zoom, pan, crosshair readout, pool
 * labels, the latest map beside the heatmap and its controls.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayServer } from '../test-support/replay-server/index';
import { DEMO_FORMS } from './support/demo-pages';
import { activeTabId, buildExtension, DEMO_URL, launch, REPO_ROOT, type Session, startServer, waitForPanel } from './support/harness';

const ARTIFACTS = join(REPO_ROOT, 'e2e-artifacts');
const SCREENSHOTS = join(REPO_ROOT, 'docs/screenshots');

let server: ReplayServer;
let session: Session;
let page: Page;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const extensionDir = buildExtension();
  server = await startServer();
  session = await launch({ extensionDir, server });
  // The recorded BTCUSDT liquidations replayed fast on the page's stream (stamped with the replay
  // clock's "now"): the full view shows them as realized markers.
  server.setWsSpeed(5_000);
  page = await session.context.newPage();
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(DEMO_URL);
  await waitForPanel(page);
});

afterAll(async () => {
  await session?.close();
  await server?.stop();
});

const panel = () => page.locator('liqlens-panel section.panel');

/** The user's stored settings, read in the background. */
async function storedSettings(): Promise<{ leverage?: { preset?: string }; lookback?: string; contrast?: number }> {
  const worker = await session.serviceWorker();
  return worker.evaluate(async () => {
    const api = (globalThis as unknown as { chrome: { storage: { sync: { get(k: string): Promise<Record<string, unknown>> } } } }).chrome;
    return ((await api.storage.sync.get('settings'))['settings'] ?? {}) as { leverage?: { preset?: string } };
  });
}

/** The real levels' coverage in words (as in e2e/real-levels.test.ts). */
const REAL_WORDS = /^Real positions of \d+ large Hyperliquid accounts, \$[\d.]+[kMB] = (\d+\.\d|under 0\.1) % of Hyperliquid's open interest in BTC, updated (less than a minute|\d+ min) ago/;

type Box = { x: number; y: number; width: number; height: number };
const inside = (box: Box, width: number, height: number) => box.x >= 0 && box.y >= 0 && box.x + box.width <= width && box.y + box.height <= height;

describe('panel at 1280 x 720', () => {
  it('with a warning showing, fits the viewport, scrolls inside itself and keeps the Order check in sight', async () => {
    // A stop at the peak of the nearest long pool under the price the panel lists (inside it).
    const below = await page.locator('liqlens-panel [data-pool="below"]').filter({ hasText: 'of longs' }).first().innerText();
    const peak = below.match(/^▼ ([\d,]+)/)![1]!.replaceAll(',', '');
    const form = DEMO_FORMS.binance.inputs;
    await page.locator(form.price).fill('64543');
    await page.locator(form.size).fill('0.25');
    await page.locator(form.stop).pressSequentially(peak, { delay: 20 });
    const check = page.locator('liqlens-panel section.order-check');
    await check.locator('li[data-kind="stop-in-hunt-zone"]').waitFor({ timeout: 15_000 });
    const box = (await panel().boundingBox())!;
    expect(inside(box, 1280, 720), JSON.stringify(box)).toBe(true);
    const [scrollHeight, clientHeight] = await panel().evaluate((el) => [el.scrollHeight, el.clientHeight]);
    expect(scrollHeight, 'the content is taller than the panel: it scrolls').toBeGreaterThan(clientHeight);
    // Whatever the panel's scroll, the whole Order check is inside the viewport and on top there.
    for (const scroll of ['top', 'bottom'] as const) {
      await panel().evaluate((el, to) => el.scrollTo(0, to === 'top' ? 0 : el.scrollHeight), scroll);
      const checkBox = (await check.boundingBox())!;
      expect(inside(checkBox, 1280, 720), `${scroll}: ${JSON.stringify(checkBox)}`).toBe(true);
      expect(checkBox.y + checkBox.height).toBeLessThanOrEqual(box.y + box.height);
      const hit = await check.evaluate((el, at) => {
        const found = (el.getRootNode() as ShadowRoot).elementFromPoint(at.x, at.y);
        return found !== null && el.contains(found);
      }, { x: checkBox.x + checkBox.width / 2, y: checkBox.y + checkBox.height / 2 });
      expect(hit, `${scroll}: the Order check's centre is not covered`).toBe(true);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'panel-1280x720-warning.png') });
    // Reachable: its controls answer a click where they are.
    await check.locator('button.dismiss').click();
    await expect.poll(() => check.locator('li[data-kind="stop-in-hunt-zone"]').count()).toBe(0);
  });

  it('compact mode shows only the chart and the nearest pools, and comes back so after a reload', async () => {
    const compact = page.locator('liqlens-panel button[data-action="compact"]');
    await compact.click();
    await expect.poll(() => panel().getAttribute('data-compact')).toBe('true');
    expect(await compact.getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('liqlens-panel .context').count()).toBe(0);
    expect(await page.locator('liqlens-panel .order-check').count()).toBe(0);
    expect(await page.locator('liqlens-panel .filters').count()).toBe(0);
    const compactHeight = (await panel().boundingBox())!.height;
    expect(compactHeight).toBeLessThan(460);
    await page.reload();
    await waitForPanel(page);
    await expect.poll(() => page.locator('liqlens-panel [data-pool]').count()).toBe(4);
    expect(await panel().getAttribute('data-compact')).toBe('true');
    expect(await page.locator('liqlens-panel .context').count()).toBe(0);
    await page.locator('liqlens-panel button[data-action="compact"]').click();
    await page.locator('liqlens-panel .context').waitFor();
  });

  it('switches the leverage preset from the panel: stored in the settings, the chip plainly on, the map estimated again', async () => {
    const chip = (preset: string) => page.locator(`liqlens-panel button[data-preset="${preset}"]`);
    expect(await chip('default').getAttribute('aria-pressed')).toBe('true');
    expect(await chip('aggressive').getAttribute('aria-pressed')).toBe('false');
    const off = await chip('aggressive').evaluate((el) => getComputedStyle(el).backgroundColor);
    const on = await chip('default').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(on).not.toBe(off);
    const before = await page.locator('liqlens-panel section[data-state="ready"]').getAttribute('data-timings');
    await chip('aggressive').click();
    await expect.poll(() => storedSettings().then((s) => s.leverage?.preset)).toBe('aggressive');
    await expect.poll(() => chip('aggressive').getAttribute('aria-pressed')).toBe('true');
    expect(await chip('default').getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => page.locator('liqlens-panel section[data-state="ready"]').getAttribute('data-timings'), { timeout: 30_000 }).not.toBe(before);
    await chip('default').click();
    await expect.poll(() => storedSettings().then((s) => s.leverage?.preset)).toBe('default');
  });
});

/** The full view's canvas once its heat raster is drawn. */
async function fullViewReady(full: Page): Promise<void> {
  await full.locator('main.fullview[data-state="ready"] canvas[data-heat="ready"]').waitFor({ timeout: 60_000 });
}

const windowOf = async (full: Page): Promise<[number, number, number, number]> =>
  JSON.parse((await full.locator('canvas').getAttribute('data-window')) ?? '[]') as [number, number, number, number];

describe('full view', () => {
  let full: Page;

  it('opens from the panel for the same market and lookback, filling the window', async () => {
    await page.bringToFront();
    [full] = await Promise.all([session.context.waitForEvent('page'), page.locator('liqlens-panel button[data-action="full-view"]').click()]);
    expect(full.url()).toBe(`chrome-extension://${session.extensionId}/fullview.html?exchange=binance&symbol=BTCUSDT&lookback=24h`);
    await full.setViewportSize({ width: 1400, height: 860 });
    await fullViewReady(full);
    const canvas = (await full.locator('canvas').boundingBox())!;
    expect(canvas.width).toBeGreaterThan(1300);
    expect(canvas.height).toBeGreaterThan(650);
    // The heat and the latest map are drawn: many colours, and the map's bars in the right part.
    const pixels = await full.locator('canvas').evaluate((el: HTMLCanvasElement) => {
      const data = el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data;
      const colours = new Set<number>();
      for (let i = 0; i < data.length; i += 16) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      return colours.size;
    });
    expect(pixels).toBeGreaterThan(100);
    const labels = JSON.parse((await full.locator('canvas').getAttribute('data-pool-labels')) ?? '[]') as [string, string][];
    // Every pool the estimate lists has its label (the demo's lie partly outside the heatmap's
    // band: the view reaches them).
    const pools = await full.evaluate(async () => {
      const api = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome;
      const answer = (await api.runtime.sendMessage({ type: 'getEstimate', payload: { exchange: 'binance', symbol: 'BTCUSDT', lookback: '24h' }, version: 1 })) as { result: { pools: unknown[] } };
      return answer.result.pools.length;
    });
    expect(pools).toBeGreaterThan(2);
    expect(labels.length).toBe(pools);
    for (const [side, text] of labels) expect(text).toMatch(side === 'long' ? /^▼ longs \d+\/10 \$[\d.]+[kMB]?$/ : /^▲ shorts \d+\/10 \$[\d.]+[kMB]?$/);
    expect(await full.locator('button[data-lookback="24h"]').getAttribute('aria-pressed')).toBe('true');
    // Live: the replayed liquidations arrive over the live port and are drawn as markers, all of
    // them while the whole heatmap is in view.
    const canvasEl = full.locator('canvas');
    await expect.poll(async () => Number(await canvasEl.getAttribute('data-realized')), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect
      .poll(async () => {
        const [markers, realized] = await canvasEl.evaluate((el) => [Number(el.dataset['markers']), Number(el.dataset['realized'])]);
        return markers === realized;
      })
      .toBe(true);
    await full.screenshot({ path: join(SCREENSHOTS, 'fullview.png') });
  });

  it('has the contrast control on its legend: a higher threshold hides weaker cells in the drawing, and it is stored', async () => {
    const slider = full.locator('[data-slot="contrast"] input[data-control="contrast"]');
    await slider.waitFor();
    const before = Number(await slider.inputValue());
    await full.mouse.move(700, 5);
    await expect.poll(() => full.locator('canvas').getAttribute('data-threshold')).toBe(String(before / 100));
    // Mean luminance of the heat plot (left of the price axis and the latest map: 168 + 200 px).
    const plotLuminance = () =>
      full.locator('canvas').evaluate((el: HTMLCanvasElement) => {
        const ratio = el.width / el.clientWidth;
        const width = Math.floor((el.clientWidth - 368) * ratio);
        const data = el.getContext('2d')!.getImageData(0, Math.round(10 * ratio), width, Math.floor(el.height - 40 * ratio)).data;
        let sum = 0;
        for (let i = 0; i < data.length; i += 4) sum += 0.2126 * data[i]! + 0.7152 * data[i + 1]! + 0.0722 * data[i + 2]!;
        return sum / (data.length / 4);
      });
    const lit = await plotLuminance();
    await slider.fill('60');
    await expect.poll(() => full.locator('canvas').getAttribute('data-threshold'), { timeout: 15_000 }).toBe('0.6');
    const dimmed = await plotLuminance();
    expect(dimmed, `plot luminance ${lit.toFixed(1)} -> ${dimmed.toFixed(1)}`).toBeLessThan(lit * 0.95);
    expect(await full.locator('[data-contrast="hidden"]').innerText()).toMatch(/^hides levels under \$[\d.]+[kMB]?$/);
    await expect.poll(() => storedSettings().then((s) => s.contrast)).toBe(0.6);
    // The panel on the exchange's page remembers the same choice.
    await expect.poll(() => page.locator('liqlens-panel input[data-control="contrast"]').inputValue()).toBe('60');
    await slider.fill(String(before));
    await expect.poll(() => full.locator('canvas').getAttribute('data-threshold'), { timeout: 15_000 }).toBe(String(before / 100));
    // Live bars may arrive meanwhile: the drawing is back near where it was, not exactly.
    expect(Math.abs((await plotLuminance()) - lit)).toBeLessThan(lit * 0.05);
  });

  it("shows the real Hyperliquid levels of BTC as their own layer: marks on the price axis, the nearest levels and what they cover", async () => {
    const words = full.locator('[data-real="words"]');
    await expect.poll(async () => (await words.textContent()) ?? '', { timeout: 90_000, interval: 500 }).toMatch(REAL_WORDS);
    expect(await full.locator('.real-levels[data-coin="BTC"]').count()).toBe(1);
    await expect
      .poll(async () => (await full.locator('[data-real="below"]').textContent()) ?? '', { timeout: 90_000, interval: 500 })
      .toMatch(/^▼ (long|short) liq\. [\d,]+ \(−\d+\.\d %\) · \$[\d.]+[kMB] · [\d.]+x (cross|isolated) · 0x[0-9a-f]{4}…[0-9a-f]{4}$/);
    const canvas = full.locator('canvas');
    await expect.poll(async () => Number(await canvas.getAttribute('data-real-levels')), { timeout: 90_000, interval: 1_000 }).toBeGreaterThan(0);
    expect(Number(await canvas.getAttribute('data-real-marks'))).toBeGreaterThan(0);
    await full.screenshot({ path: join(ARTIFACTS, 'fullview-real-levels.png') });
  });

  it('zooms with the wheel and pans with a drag, in price and time', async () => {
    const whole = await windowOf(full);
    await full.mouse.move(500, 400);
    await full.mouse.wheel(0, -400);
    await expect.poll(async () => (await windowOf(full))[1] - (await windowOf(full))[0]).toBeLessThan((whole[1] - whole[0]) * 0.9);
    const zoomed = await windowOf(full);
    expect(zoomed[3] - zoomed[2]).toBeLessThan((whole[3] - whole[2]) * 0.9);
    await full.mouse.move(500, 400);
    await full.mouse.down();
    await full.mouse.move(700, 300, { steps: 8 });
    await full.mouse.up();
    await expect.poll(async () => (await windowOf(full))[0]).toBeLessThan(zoomed[0]);
    const panned = await windowOf(full);
    // Dragging up shows lower prices; the spans stay.
    expect(panned[2]).toBeLessThan(zoomed[2]);
    expect(panned[1] - panned[0]).toBeCloseTo(zoomed[1] - zoomed[0], 0);
    await full.locator('canvas').dblclick({ position: { x: 300, y: 300 } });
    await expect.poll(() => windowOf(full)).toEqual(whole);
    // The same from the keyboard.
    await full.locator('canvas').focus();
    await full.keyboard.press('+');
    await expect.poll(async () => (await windowOf(full))[1] - (await windowOf(full))[0]).toBeLessThan(whole[1] - whole[0]);
    const keyed = await windowOf(full);
    await full.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await windowOf(full))[0]).toBeLessThan(keyed[0]);
    await full.keyboard.press('0');
    await expect.poll(() => windowOf(full)).toEqual(whole);
  });

  it('reads the crosshair: cumulative liquidations from the price, the cell, and the latest map beside it', async () => {
    const box = (await full.locator('canvas').boundingBox())!;
    // 1 % under the price (inside the heatmap's band), by the window shown and the plot's rows
    // (8 px from the canvas top to 26 px from its bottom, src/ui/fullview/draw.ts).
    const [, , p0, p1] = await windowOf(full);
    const price = Number((await full.locator('[data-market]').innerText()).match(/price ([\d,]+)/)![1]!.replaceAll(',', ''));
    const yOf = (p: number) => box.y + 8 + ((p1 - p) / (p1 - p0)) * (box.height - 34);
    await full.mouse.move(box.x + 400, yOf(price * 0.99));
    const tip = full.locator('.tooltip[data-over="heatmap"]');
    await tip.waitFor();
    expect(await tip.locator('[data-tip="cumulative"]').innerText()).toMatch(/^If price reaches [\d,]+: about \$[\d.]+[kMB]? of longs liquidated on the way \(cumulative from the price\)$/);
    expect(await tip.locator('[data-tip="cell"]').innerText()).toMatch(/UTC: \$[\d.]+[kMB]? estimated at this level$/);
    await full.mouse.move(box.x + box.width - 60, yOf(price * 1.01));
    const mapTip = full.locator('.tooltip[data-over="map"]');
    await mapTip.waitFor();
    expect(await mapTip.locator('[data-tip="cumulative"]').innerText()).toMatch(/of shorts liquidated on the way/);
    expect(await mapTip.locator('[data-tip="level"]').innerText()).toMatch(/^At this level now: longs \$[\d.]+[kMB]? · shorts \$[\d.]+[kMB]?$/);
    await full.mouse.move(box.x + box.width / 2, box.y - 40);
    await expect.poll(() => full.locator('.tooltip').count()).toBe(0);
  });

  it('changes lookback and leverage preset in place; the preset is the stored setting', async () => {
    const day = await windowOf(full);
    await full.locator('button[data-lookback="3d"]').click();
    await expect.poll(async () => {
      const w = await windowOf(full);
      return (w[1] - w[0]) / 3_600_000;
    }, { timeout: 60_000 }).toBeGreaterThan(60);
    expect(await full.locator('button[data-lookback="3d"]').getAttribute('aria-pressed')).toBe('true');
    expect(await full.locator('button[data-lookback="24h"]').getAttribute('aria-pressed')).toBe('false');
    expect(day[1] - day[0]).toBeLessThan(30 * 3_600_000);
    await full.locator('button[data-preset="conservative"]').click();
    await expect.poll(() => storedSettings().then((s) => s.leverage?.preset)).toBe('conservative');
    await expect.poll(() => full.locator('button[data-preset="conservative"]').getAttribute('aria-pressed')).toBe('true');
    // The panel on the exchange's page follows the stored setting.
    await expect.poll(() => page.locator('liqlens-panel button[data-preset="conservative"]').getAttribute('aria-pressed')).toBe('true');
    await full.locator('button[data-preset="default"]').click();
    await expect.poll(() => storedSettings().then((s) => s.leverage?.preset)).toBe('default');
    await full.close();
  });

  it("opens from the popup's Expand for the popup's market", async () => {
    await page.bringToFront();
    const tabId = await activeTabId(session);
    const popup = await session.context.newPage();
    await popup.goto(`chrome-extension://${session.extensionId}/popup.html?tab=${tabId}`);
    await popup.locator('main[data-state="ready"]').waitFor({ timeout: 30_000 });
    const [opened] = await Promise.all([session.context.waitForEvent('page'), popup.locator('button[data-action="full-view"]').click()]);
    expect(new URL(opened.url()).pathname).toBe('/fullview.html');
    expect(new URL(opened.url()).searchParams.get('symbol')).toBe('BTCUSDT');
    await fullViewReady(opened);
    await opened.close();
  });

  it('says so when its address names no market it can show', async () => {
    const bad = await session.context.newPage();
    await bad.goto(`chrome-extension://${session.extensionId}/fullview.html?exchange=binance&symbol=BTCUSDT&lookback=9y`);
    expect(await bad.getByRole('alert').innerText()).toMatch(/does not name a market LiqLens can show \(lookback: expected one of 12h, 24h, 3d, 7d, 30d\)/);
    await bad.close();
  });
});
