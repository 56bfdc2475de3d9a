/**
 * The order warnings in a real Chromium on each exchange's demo page: the panel appears, the
 * site adapter reads the order form as the user types, a stop typed inside a liquidation pool
 * brings a warning beside the form that never covers the submit buttons. Screenshots of each
 * page with the warning showing land in docs/screenshots/.
 *
 * Exchanges whose public API the replay server does not answer yet get the panel's error state
 * and a "not checked" note beside the form; as soon as the replay server serves their host,
 * the same test requires the heatmap and the pool warning.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liquidationPrice } from '../src/engine/margin/liquidation-price';
import type { Pool } from '../src/engine/types';
import type { EstimateView } from '../src/messaging/contract';
import type { OrderFormReading } from '../src/sites/types';
import type { ExchangeId } from '../src/engine/types';
import type { ReplayServer } from '../test-support/replay-server/index';
import { BINANCE_ZH_CN, DEMO_FORMS, type DemoForm } from './support/demo-pages';
import { buildExtension, launch, REPO_ROOT, type Session, startServer, waitForPanel } from './support/harness';

const SCREENSHOTS = join(REPO_ROOT, 'docs/screenshots');
const ARTIFACTS = join(REPO_ROOT, 'e2e-artifacts');

interface Case extends DemoForm {
  /** Names the case's figures and screenshot. */
  readonly name: string;
  readonly exchange: ExchangeId;
  readonly symbol: string;
  /** The host of the exchange's public API (served by the replay server once it knows the exchange). */
  readonly apiHost: string;
}

/** Each exchange's demo page and the API host of its exchange. */
const CASES: readonly Case[] = [
  { name: 'binance', exchange: 'binance', symbol: 'BTCUSDT', apiHost: 'fapi.binance.com', ...DEMO_FORMS.binance },
  { name: 'bybit', exchange: 'bybit', symbol: 'BTCUSDT', apiHost: 'api.bybit.com', ...DEMO_FORMS.bybit },
  { name: 'okx', exchange: 'okx', symbol: 'BTC-USDT-SWAP', apiHost: 'www.okx.com', ...DEMO_FORMS.okx },
  { name: 'bitget', exchange: 'bitget', symbol: 'BTCUSDT', apiHost: 'api.bitget.com', ...DEMO_FORMS.bitget },
  { name: 'hyperliquid', exchange: 'hyperliquid', symbol: 'BTC', apiHost: 'api.hyperliquid.xyz', ...DEMO_FORMS.hyperliquid },
  { name: 'binance-zh-CN', exchange: 'binance', symbol: 'BTCUSDT', apiHost: 'fapi.binance.com', ...BINANCE_ZH_CN },
];

let server: ReplayServer;
let session: Session;
const figures: Record<string, number> = {};

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  const extensionDir = buildExtension();
  server = await startServer();
  session = await launch({ extensionDir, server });
});

afterAll(async () => {
  await session?.close();
  await server?.stop();
  if (Object.keys(figures).length > 0) writeFileSync(join(ARTIFACTS, 'order-warning-figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
});

/** The demo page's input at `selector` (exactly one). */
async function field(page: Page, selector: string): Promise<Locator> {
  const locator = page.locator(selector);
  expect(await locator.count(), selector).toBe(1);
  return locator;
}

/** The estimate the panel shows, asked from the background (it answers from its computed views). */
async function estimate(c: Case): Promise<EstimateView> {
  const probe = await session.context.newPage();
  try {
    await probe.goto(`chrome-extension://${session.extensionId}/popup.html?tab=999999`);
    return await probe.evaluate(async (req) => {
      const api = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome;
      const answer = (await api.runtime.sendMessage({ type: 'getEstimate', payload: req, version: 1 })) as { ok: boolean; result: EstimateView };
      if (!answer.ok) throw new Error(JSON.stringify(answer));
      return answer.result;
    }, { exchange: c.exchange, symbol: c.symbol, lookback: '24h' });
  } finally {
    await probe.close();
  }
}

async function readingOf(page: Page): Promise<OrderFormReading | null> {
  const attr = await page.locator('liqlens-panel [data-reading]').getAttribute('data-reading', { timeout: 10_000 });
  return attr ? (JSON.parse(attr) as OrderFormReading) : null;
}

type Rect = { x: number; y: number; width: number; height: number };
function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe.each(CASES)('order warnings on $name', (c) => {
  it('panel appears, the form is read as typed, a stop inside a pool brings the warning beside the form', async () => {
    const page = await session.context.newPage();
    await page.goto(c.url);
    const served = server.hosts.includes(c.apiHost);
    await page.locator('liqlens-panel section[data-state]').waitFor({ timeout: 30_000 });
    let entry = 64_000;
    let stop = 63_500;
    let pool: Pool | undefined;
    if (served) {
      await waitForPanel(page);
      const view = await estimate(c);
      // The context row shows the account ratio the exchange gave, or says it has none, with the
      // reliability reason that says how much of the lookback it covers. The replay serves Bybit's,
      // OKX's and Bitget's ratios in their own shapes with Binance's recorded ratio standing in.
      const ratio = page.locator('liqlens-panel [data-context="ratio"]');
      const ratioReason = view.context.reliability.reasons.find((r) => r.factor === 'long-short-ratio');
      expect(ratioReason).toBeDefined();
      if (c.exchange === 'bitget') {
        expect(server.requests.some((r) => r.host === c.apiHost && r.path === '/api/v2/mix/market/account-long-short' && r.status === 200)).toBe(true);
        // Bitget's account-long-short answers its latest 30 rows: the ratio reaches the view.
        expect(view.context.longShortRatio).toBeGreaterThan(0);
      }
      if (view.context.longShortRatio === undefined) {
        expect(await ratio.innerText()).toBe('not available');
        expect(ratioReason!.text).toMatch(/^No long\/short account ratio from the exchange/);
        expect(await ratio.getAttribute('title')).toContain(ratioReason!.text);
      } else {
        expect(await ratio.innerText()).toMatch(/^\d+\.\d\d · \d+ % long$/);
      }
      // The strongest long-liquidation pool below the price: a long's stop inside it is in a hunt zone.
      pool = view.pools.filter((p) => p.side === 'long' && p.priceHigh < view.price).sort((a, b) => b.strength - a.strength)[0];
      expect(pool, 'a long pool below the price').toBeDefined();
      entry = Math.round(view.price);
      stop = Math.round((pool!.priceLow + pool!.priceHigh) / 2);
    } else {
      await page.locator('liqlens-panel section[data-state="error"]').waitFor({ timeout: 30_000 });
    }

    await (await field(page, c.inputs.price)).fill(String(entry));
    await (await field(page, c.inputs.size)).fill('0.25');
    const stopInput = await field(page, c.inputs.stop);
    await stopInput.pressSequentially(String(stop), { delay: 20 });

    // Every demo page shows a cross margin mode beside or in its leverage control.
    await expect.poll(() => readingOf(page), { timeout: 10_000 }).toMatchObject({ side: 'long', type: 'limit', entry, stop, leverage: c.leverage, marginMode: 'cross' });

    const card = page.locator('liqlens-order-warning .card');
    if (served) {
      const finding = card.locator('li[data-kind="stop-in-hunt-zone"]');
      await finding.waitFor({ timeout: 10_000 });
      const text = await finding.innerText();
      // The pool's estimated USD is on the scale of realized liquidations (src/engine/risk.ts describe()).
      expect(text).toMatch(/^Stop [\d,]+ sits (inside|[\d.]+ ATR (above|past the far edge of)) a long-liquidation pool \([\d,.]+-[\d,.]+, strength \d+\/10\) holding an estimated \$[\d.]+[KMBT]?; a sweep/);
      expect(text).toContain(`Stop ${stop.toLocaleString('en-US')} sits inside a long-liquidation pool`);
      // A stop beyond the pool is named, or, when it would lie past the order's own liquidation
      // price at the page's leverage, that at isolated margin the position would be liquidated
      // first (the page shows cross: a cross position liquidates further away).
      expect(text).toMatch(/A stop beyond [\d,]+ clears it|A stop clear of the pool would sit beyond [\d,]+, past the estimated liquidation price [\d,]+ \(\d+x, if isolated; a cross position liquidates further away, depending on the account's balance\): at \d+x isolated margin the position would be liquidated before such a stop could trigger/);
      expect(await card.getAttribute('data-severity')).toMatch(/warning|danger/);
      await expect.poll(() => page.locator('liqlens-panel .order-check li[data-kind="stop-in-hunt-zone"]').count()).toBe(1);
    } else {
      await card.and(page.locator('[data-state="no-map"]')).waitFor({ timeout: 10_000 });
    }
    const latency = Number(await page.locator('liqlens-order-warning').getAttribute('data-latency-ms'));
    figures[`${c.name}InputToWarningMs`] = latency;
    expect(Number.isFinite(latency)).toBe(true);

    // Beside the form, never over a submit button.
    const cardBox = await card.boundingBox();
    expect(cardBox).not.toBeNull();
    const submit = await page.locator(c.submit).all();
    expect(submit.length).toBeGreaterThanOrEqual(1);
    for (const button of submit) {
      const b = await button.boundingBox();
      expect(b, c.submit).not.toBeNull();
      expect(overlaps(cardBox!, b!), `warning covers ${await button.innerText()}`).toBe(false);
    }
    // The exchange's own inputs hold what the user typed, nothing else.
    expect(await stopInput.inputValue()).toBe(String(stop));
    // One screenshot per exchange (the Chinese page shows the same form).
    if (c.name === c.exchange) await page.screenshot({ path: join(SCREENSHOTS, `panel-${c.exchange}.png`) });
    await page.close();
  });
});

describe('order warnings: dismiss, copy, re-render, market order, manual entry (Binance)', () => {
  const c = CASES[0]!;
  let page: Page;
  let pool: Pool;
  let shortPool: Pool;
  let price: number;

  beforeAll(async () => {
    await session.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: 'https://www.binance.com' });
    page = await session.context.newPage();
    await page.goto(c.url);
    await waitForPanel(page);
    const view = await estimate(c);
    price = view.price;
    pool = view.pools.filter((p) => p.side === 'long' && p.priceHigh < view.price).sort((a, b) => b.strength - a.strength)[0]!;
    // The nearest short pool above the price: a short's stop beyond it stays inside its liquidation price at 20x.
    shortPool = view.pools.filter((p) => p.side === 'short' && p.priceLow > view.price).sort((a, b) => a.priceLow - b.priceLow)[0]!;
  });

  afterAll(async () => {
    await page?.close();
  });

  it('no "Use suggested stop" past the liquidation price; dismissing hides the warning for this order only; "Use suggested stop" copies, the form keeps its value', async () => {
    const entry = Math.round(price);
    await (await field(page, c.inputs.price)).fill(String(entry));
    await (await field(page, c.inputs.size)).fill('0.25');
    const stopInput = await field(page, c.inputs.stop);
    const card = page.locator('liqlens-order-warning .card');
    // A long with its stop in the pool, at the lowest leverage whose liquidation price lies between
    // the pool's far edge and the stop: the stop itself triggers, but any stop clear of the pool
    // would lie past the order's own liquidation price, so no stop is offered. The leverage is set
    // as the page shows it after the user changes it: the "Cross 20x" button reads the new figure.
    const stopInPool = Math.round((pool.priceLow + pool.priceHigh) / 2);
    const liquidationAt = (leverage: number) =>
      liquidationPrice({ exchange: 'binance', symbol: 'BTCUSDT', side: 'long', entryPrice: entry, leverage, notionalUsd: entry * 0.25 });
    const leverage = Array.from({ length: 125 }, (_, i) => i + 1).find((l) => liquidationAt(l) > pool.priceLow && liquidationAt(l) < stopInPool);
    expect(leverage, `a leverage liquidating between ${pool.priceLow} and ${stopInPool}`).toBeDefined();
    const leverageButton = page.locator(c.form).getByRole('button', { name: /^Cross \d+x$/ });
    const setLeverage = (l: number) => leverageButton.evaluate((el, to) => { el.textContent = `Cross ${to}x`; }, l);
    await setLeverage(leverage!);
    await stopInput.fill(String(stopInPool));
    await expect.poll(() => readingOf(page)).toMatchObject({ leverage, stop: stopInPool });
    const longFinding = card.locator('li[data-kind="stop-in-hunt-zone"]');
    await expect.poll(() => longFinding.innerText().catch(() => ''), { timeout: 10_000 }).toContain('the position would be liquidated before such a stop could trigger');
    const longText = await longFinding.innerText();
    // The page shows "Cross": said of the isolated case, never as a fact about the position.
    expect(longText).toContain(`(${leverage}x, if isolated; a cross position liquidates further away, depending on the account's balance): at ${leverage}x isolated margin the position would be liquidated`);
    expect(longText).not.toContain('itself lies past that price');
    expect(longText).toMatch(/a lower leverage \(at \d+x or less the estimated isolated liquidation price lies beyond [\d,]+\), a smaller size, or reconsidering the entry/);
    expect(await card.locator('button[data-copy-stop]').count()).toBe(0);
    await setLeverage(c.leverage);
    await expect.poll(() => readingOf(page).then((r) => r?.leverage)).toBe(c.leverage);

    // A short with its stop in the near pool above: the stop beyond it is offered.
    const stop = String(Math.round((shortPool.priceLow + shortPool.priceHigh) / 2));
    await stopInput.fill(stop);
    const copyButton = card.locator('button[data-copy-stop]');
    // Back at 20x the long's stop gets its own suggestion first; wait for the short's, beyond its pool.
    await expect
      .poll(async () => Number(await copyButton.getAttribute('data-copy-stop', { timeout: 1_000 }).catch(() => 0)), { timeout: 10_000 })
      .toBeGreaterThan(shortPool.priceHigh);
    const suggested = await copyButton.getAttribute('data-copy-stop');
    await copyButton.click();
    await card.locator('.copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(suggested);
    expect(await stopInput.inputValue()).toBe(stop);

    await card.locator('button.dismiss').click();
    await expect.poll(() => card.count()).toBe(0);
    // Another stop is another order: the warning comes back.
    await stopInput.fill(String(Number(stop) + 1));
    await card.waitFor({ timeout: 10_000 });
  });

  it('follows the form when the page re-renders it, and takes the last price for a market order', async () => {
    await page.evaluate((selector) => {
      // The whole trading column, as a single-page app re-renders it.
      const form = document.querySelector(selector)!;
      form.replaceWith(form.cloneNode(true));
    }, c.form);
    const stopInput = await field(page, c.inputs.stop);
    await stopInput.fill(String(Math.round(pool.priceLow - 5_000)));
    await expect.poll(() => readingOf(page).then((r) => r?.stop)).toBe(Math.round(pool.priceLow - 5_000));
    // The panel may sit over the form (it is dragged away by hand): click the tab as the page sees it.
    await page.locator(c.marketTab).dispatchEvent('click');
    await expect.poll(() => readingOf(page)).toMatchObject({ type: 'market', entry: 64_543, entryFrom: 'last-price' });
  });

  it('reads on without the order-type tabs (the type inferred), and offers manual entry when the form cannot be read', async () => {
    // Tabs gone: the price input shown says limit, the other fields are still read.
    await page.locator(c.limitTab).dispatchEvent('click');
    await page.evaluate(() => document.querySelector('main > .css-13ywdf7 [data-tab-key]')?.parentElement?.remove());
    await (await field(page, c.inputs.price)).fill(String(Math.round(price)));
    await expect.poll(() => readingOf(page)).toMatchObject({ type: 'limit', typeFrom: 'inferred', entry: Math.round(price) });
    // No price or size input left: nothing to read.
    await page.evaluate(() => {
      for (const input of document.querySelectorAll('main > .css-13ywdf7 input')) input.remove();
    });
    const list = page.locator('liqlens-panel section.order-check');
    await expect.poll(() => list.getAttribute('data-form')).toBe('unreadable');
    await list.getByRole('button', { name: 'Enter side, entry and stop' }).click();
    await list.getByLabel('Side').selectOption('long');
    await list.getByLabel('Entry').fill(String(Math.round(price)));
    await list.getByLabel('Stop').fill(String(Math.round((pool.priceLow + pool.priceHigh) / 2)));
    await list.locator('li[data-kind="stop-in-hunt-zone"]').waitFor({ timeout: 10_000 });
    // Nothing is shown beside a form that could not be read.
    expect(await page.locator('liqlens-order-warning .card').count()).toBe(0);
  });
});
