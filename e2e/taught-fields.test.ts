/**
 * "Point to the field" in a real Chromium, on a demo page whose order form no adapter reads
 * (e2e/pages/www.bybit.com/ja-JP/trade/usdt/DOGEUSDT.html): the order check lists every field as
 * not read; pointing shows a highlight over the page without moving it, Escape cancels, a click
 * picks without reaching the page; the picked fields are read, again after a reload that gives
 * every input a new id, until Forget.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayServer } from '../test-support/replay-server/index';
import { buildExtension, launch, type Session, startServer } from './support/harness';

const URL = 'https://www.bybit.com/ja-JP/trade/usdt/DOGEUSDT';

let server: ReplayServer;
let session: Session;

beforeAll(async () => {
  const extensionDir = buildExtension();
  server = await startServer();
  session = await launch({ extensionDir, server });
});

afterAll(async () => {
  await session?.close();
  await server?.stop();
});

const check = (page: Page) => page.locator('liqlens-panel section.order-check');
const input = (page: Page, key: string) => page.locator(`[data-demo="${key}"]`);

async function readState(page: Page): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const li of await check(page).locator('li[data-field]').all()) out[(await li.getAttribute('data-field')) ?? ''] = await li.getAttribute('data-read');
  return out;
}

async function reading(page: Page): Promise<unknown> {
  const el = check(page).locator('[data-reading]');
  return (await el.count()) === 0 ? null : JSON.parse((await el.getAttribute('data-reading')) ?? 'null');
}

/** Opens "Point to a field…" and starts picking `field`. */
async function startPicking(page: Page, field: string): Promise<void> {
  await check(page).locator('button.point-open').click();
  await check(page).locator(`button[data-pick="${field}"]`).click();
}

/** Starts picking `field` from the order check and clicks the demo input `key`. */
async function pick(page: Page, field: string, key: string): Promise<void> {
  await startPicking(page, field);
  await page.locator('liqlens-field-picker').waitFor({ state: 'attached' });
  await input(page, key).click();
  await page.locator('liqlens-field-picker').waitFor({ state: 'detached' });
  await expect.poll(() => check(page).locator(`li[data-field="${field}"] .taught`).count()).toBe(1);
}

async function open(page: Page): Promise<void> {
  await page.goto(URL);
  await check(page).waitFor({ timeout: 30_000 });
}

describe('point to the field on a form the adapter cannot read', () => {
  it('picks price, stop and size, reads them, keeps them across a reload, and forgets them', async () => {
    const page = await session.context.newPage();
    await open(page);
    expect(await check(page).getAttribute('data-form')).toBe('unreadable');
    const before = await readState(page);
    expect(Object.keys(before)).toEqual(['price', 'stop', 'takeProfit', 'size', 'leverage', 'side', 'orderType']);
    expect(Object.values(before).every((read) => read === 'false')).toBe(true);

    // Hovering highlights the input under the pointer; the page does not move; Escape cancels.
    const priceBox = await input(page, 'price').boundingBox();
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await startPicking(page, 'price');
    expect(await check(page).locator('[role="status"]').innerText()).toContain('Click the Price field on the page');
    const picker = page.locator('liqlens-field-picker');
    await picker.waitFor({ state: 'attached' });
    expect(await picker.locator('.hint').innerText()).toContain('Click the Price field');
    await input(page, 'price').hover();
    const highlight = picker.locator('.box');
    await highlight.waitFor({ state: 'visible' });
    const box = (await highlight.boundingBox())!;
    expect(Math.abs(box.x - (priceBox!.x - 2))).toBeLessThanOrEqual(1);
    expect(Math.abs(box.width - (priceBox!.width + 4))).toBeLessThanOrEqual(1);
    expect(await input(page, 'price').boundingBox()).toEqual(priceBox);
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBe(height);
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached' });
    expect(await check(page).locator('button.forget').count()).toBe(0);
    expect((await readState(page))['price']).toBe('false');

    await pick(page, 'price', 'price');
    await pick(page, 'stop', 'sl');
    await pick(page, 'size', 'size');
    // Picking swallowed every click: the page saw none, and no input got a value from LiqLens.
    expect(await page.evaluate(() => (window as unknown as { pageClicks: number }).pageClicks)).toBe(0);
    for (const key of ['price', 'sl', 'size', 'tp']) expect(await input(page, key).inputValue()).toBe('');
    expect(await check(page).innerText()).toContain('Fields you pointed to on this site: Price, Stop, Size.');

    await input(page, 'price').fill('0.1834');
    await input(page, 'sl').fill('0.1790');
    await input(page, 'size').fill('1200');
    const expected = { type: 'limit', typeFrom: 'inferred', side: 'long', sideFrom: 'levels', entry: 0.1834, stop: 0.179, size: { amount: 1200 }, taught: ['price', 'stop', 'size'] };
    await expect.poll(() => reading(page), { timeout: 10_000 }).toMatchObject(expected);
    const after = await readState(page);
    expect(after).toMatchObject({ price: 'true', stop: 'true', size: 'true', side: 'true', orderType: 'true', takeProfit: 'false', leverage: 'false' });
    await check(page).locator('button.point-open').click();
    expect(await check(page).locator('button[data-pick]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-pick')))).toEqual(['takeProfit']);
    await check(page).locator('button.point-close').click();

    // A reload gives every input a new id: the stored locators still find them.
    const oldId = await input(page, 'price').getAttribute('id');
    await open(page);
    expect(await input(page, 'price').getAttribute('id')).not.toBe(oldId);
    await input(page, 'price').fill('0.1834');
    await input(page, 'sl').fill('0.1790');
    await input(page, 'size').fill('1200');
    await expect.poll(() => reading(page), { timeout: 10_000 }).toMatchObject(expected);

    // Forget: back to nothing read, also after the next reload.
    await check(page).locator('button.forget').click();
    await expect.poll(() => reading(page), { timeout: 10_000 }).toBeNull();
    expect(await check(page).locator('button.forget').count()).toBe(0);
    await open(page);
    await input(page, 'price').fill('0.1834');
    await page.waitForTimeout(300);
    expect(await reading(page)).toBeNull();
    await page.close();
  });
});
