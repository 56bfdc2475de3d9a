/** The panel's pure helpers: page theme, remembered layout, hover read-out, failure words, the shortcut's forwarding. */
import { describe, expect, it } from 'vitest';
import type { EstimateView } from '../../messaging/contract';
import { createToggleChannel, forwardPanelCommand, isTogglePanelMessage, TOGGLE_COMMAND, TOGGLE_PANEL } from './commands';
import { hoverAt } from './hover';
import { clampPosition, DEFAULT_LAYOUT, loadLayout, type PanelLayouts, readLayout, saveLayout } from './layout-store';
import { failureKind, fmtAge, fmtProgress } from './status';
import { luminanceOf, pageTheme, resolveTheme, type ThemeSource } from './theme';

function source(body: string, html = 'rgba(0, 0, 0, 0)', prefersLight = false): ThemeSource {
  const bodyEl = { id: 'body' } as unknown as HTMLElement;
  const htmlEl = { id: 'html' } as unknown as HTMLElement;
  return {
    document: { body: bodyEl, documentElement: htmlEl } as unknown as Document,
    getComputedStyle: (element) => ({ backgroundColor: element === bodyEl ? body : html }),
    matchMedia: () => ({ matches: prefersLight }),
  };
}

describe('theme', () => {
  it('reads luminance from rgb() colours and ignores transparent ones', () => {
    expect(luminanceOf('rgb(255, 255, 255)')).toBeCloseTo(1);
    expect(luminanceOf('rgb(0, 0, 0)')).toBe(0);
    expect(luminanceOf('rgba(11, 14, 17, 1)')).toBeLessThan(0.01);
    expect(luminanceOf('rgba(255, 255, 255, 0)')).toBeUndefined();
    expect(luminanceOf('rgb(255 255 255 / 10%)')).toBeUndefined();
    expect(luminanceOf('transparent')).toBeUndefined();
  });

  it('follows the page background, then html, then the system preference', () => {
    expect(pageTheme(source('rgb(11, 14, 17)'))).toBe('dark');
    expect(pageTheme(source('rgb(250, 250, 250)'))).toBe('light');
    expect(pageTheme(source('rgba(0, 0, 0, 0)', 'rgb(255, 255, 255)'))).toBe('light');
    expect(pageTheme(source('rgba(0, 0, 0, 0)', 'rgba(0, 0, 0, 0)', true))).toBe('light');
    expect(pageTheme(source('rgba(0, 0, 0, 0)', 'rgba(0, 0, 0, 0)', false))).toBe('dark');
  });

  it('lets a setting override the page', () => {
    expect(resolveTheme('light', 'dark')).toBe('light');
    expect(resolveTheme('auto', 'dark')).toBe('dark');
    expect(resolveTheme(undefined, 'light')).toBe('light');
  });
});

describe('layout store', () => {
  function store(initial: unknown) {
    const s = { value: initial, getValue: async () => s.value, setValue: async (v: PanelLayouts) => void (s.value = v) };
    return s;
  }

  it('keeps one layout per site and reads anything unreadable as the default', async () => {
    const s = store({ 'www.okx.com': { collapsed: true, x: 5, y: 6 }, 'www.bybit.com': 'junk' });
    expect(await loadLayout('www.okx.com', s)).toEqual({ collapsed: true, x: 5, y: 6 });
    expect(await loadLayout('www.bybit.com', s)).toEqual(DEFAULT_LAYOUT);
    expect(await loadLayout('__proto__', s)).toEqual(DEFAULT_LAYOUT);
    await saveLayout('www.binance.com', { collapsed: false, x: 800.4, y: 90 }, s);
    expect(s.value).toEqual({
      'www.okx.com': { collapsed: true, x: 5, y: 6 },
      'www.bybit.com': { collapsed: false },
      'www.binance.com': { collapsed: false, x: 800, y: 90 },
    });
    expect(await loadLayout('www.binance.com', store('not an object'))).toEqual(DEFAULT_LAYOUT);
  });

  it('drops a position that is not a pair of finite numbers', () => {
    expect(readLayout({ collapsed: 'yes', x: Number.NaN, y: 3 })).toEqual({ collapsed: false });
    expect(readLayout({ collapsed: true, x: 1e9, y: 3 })).toEqual({ collapsed: true });
    expect(readLayout({ collapsed: true, x: 1 })).toEqual({ collapsed: true });
  });

  it('keeps the panel reachable inside the viewport', () => {
    const viewport = { width: 1280, height: 800 };
    const size = { width: 440, height: 600 };
    expect(clampPosition({ x: 5000, y: -20 }, size, viewport)).toEqual({ x: 1232, y: 0 });
    expect(clampPosition({ x: -1000, y: 5000 }, size, viewport)).toEqual({ x: 48 - 440, y: 752 });
    expect(clampPosition({ x: 300, y: 200 }, size, viewport)).toEqual({ x: 300, y: 200 });
  });
});

describe('hover read-out', () => {
  const view = {
    price: 100,
    heatmap: { columns: 2, rows: 2, firstTimestamp: 0, columnMs: 1000, priceLow: 90, priceHigh: 110, maxCellUsd: 1e6, intensity: [0, 255, 128, 1] },
    latestMap: { priceLow: 90, priceHigh: 110, long: [5, 3, 0, 0], short: [0, 0, 2, 7], atr: 1 },
  } as unknown as EstimateView;
  const plot = { x: 0, y: 10, width: 200, height: 100 };

  it('gives the price, the sides of the latest map there, the cell and the distance', () => {
    const top = hoverAt(view, plot, 150, 10)!;
    expect(top.price).toBeCloseTo(109.9);
    expect(top.distancePct).toBeCloseTo(9.9);
    expect(top).toMatchObject({ shortUsd: 7, longUsd: 0, time: 1000 });
    expect(top.cellUsd).toBeCloseTo(1e6 / 65025, 6);
    const low = hoverAt(view, plot, 10, 105)!;
    expect(low).toMatchObject({ longUsd: 5, shortUsd: 0, time: 0, cellUsd: 0 });
    expect(low.distancePct).toBeLessThan(0);
    expect(hoverAt(view, plot, 10, 5)).toBeUndefined();
    expect(hoverAt(view, plot, 200, 50)).toBeUndefined();
  });
});

describe('status words', () => {
  it('tells unsupported markets from unreachable ones', () => {
    expect(failureKind("binance: no supported perpetual market 'FOOUSDT'")).toBe('unsupported');
    expect(failureKind('not enough history for FOOUSDT (1 bars)')).toBe('unsupported');
    expect(failureKind('binance BTCUSDT: klines failed (RateLimitExceeded 429)')).toBe('offline');
    expect(failureKind('Could not establish connection. Receiving end does not exist. (transport-failed)')).toBe('offline');
    expect(failureKind('the engine rejected a bar')).toBe('other');
  });

  it('words ages and progress', () => {
    expect(fmtAge(40_000)).toBe('40 s');
    expect(fmtAge(12 * 60_000)).toBe('12 min');
    expect(fmtAge(90 * 60_000)).toBe('1 h 30 min');
    expect(fmtAge(3 * 86_400_000)).toBe('3 d');
    expect(fmtAge(-1)).toBe('unknown');
    expect(fmtProgress(3, 8)).toBe('3 of 8 requests');
    expect(fmtProgress(0, 1)).toBe('0 of 1 request');
    expect(fmtProgress(1152, 2304, 'bars')).toBe('1,152 of 2,304 bars');
  });
});

describe('keyboard command', () => {
  it('is forwarded by the background to the tab it came from, and only that command', async () => {
    const sent: [number, unknown][] = [];
    const listener = forwardPanelCommand(async (id, message) => void sent.push([id, message]));
    listener(TOGGLE_COMMAND, { id: 7 });
    listener('other', { id: 7 });
    listener(TOGGLE_COMMAND, {});
    listener(TOGGLE_COMMAND);
    expect(sent).toEqual([[7, { type: TOGGLE_PANEL }]]);
    // A tab without the content script rejects; nothing is thrown.
    forwardPanelCommand(() => Promise.reject(new Error('no receiver')))(TOGGLE_COMMAND, { id: 1 });
  });

  it('accepts only the exact toggle message and passes it to subscribers', () => {
    expect(isTogglePanelMessage({ type: TOGGLE_PANEL })).toBe(true);
    expect(isTogglePanelMessage({ type: TOGGLE_PANEL, extra: 1 })).toBe(false);
    expect(isTogglePanelMessage('liqlens:toggle-panel')).toBe(false);
    const channel = createToggleChannel();
    let count = 0;
    const stop = channel.subscribe(() => count++);
    channel.emit();
    stop();
    channel.emit();
    expect(count).toBe(1);
  });
});
