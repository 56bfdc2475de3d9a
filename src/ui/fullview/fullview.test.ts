/**
 * The full view's pure parts: its address read strictly, the window's zoom and pan kept inside
 * the heatmap, the raster's source rectangle, and the crosshair's readout from the latest map.
 */
import { describe, expect, it } from 'vitest';
import type { EstimateView } from '../../messaging/contract';
import { domainOf } from './chart-controller';
import { frameLayout } from './draw';
import { layerSize } from './heat-layer';
import { fullViewQuery, parseFullViewQuery } from './params';
import { readoutAt } from './readout';
import { clampWindow, MIN_SPAN_SHARE, niceTicks, panBy, priceAt, sourceRect, timeAt, type Window, wheelFactor, zoomAt } from './viewport';

describe('full view address', () => {
  it('reads market, lookback, tier filter and scope, and writes them back the same', () => {
    const parsed = parseFullViewQuery('?exchange=okx&symbol=BTC-USDT-SWAP&lookback=7d&leverages=50,100&aggregate=1');
    expect(parsed).toEqual({ ok: true, params: { exchange: 'okx', symbol: 'BTC-USDT-SWAP', lookback: '7d', leverages: [50, 100], aggregate: true } });
    if (!parsed.ok) throw new Error('unreachable');
    expect(parseFullViewQuery(fullViewQuery(parsed.params))).toEqual(parsed);
    expect(fullViewQuery({ exchange: 'binance', symbol: 'BTCUSDT', lookback: '24h' })).toBe('?exchange=binance&symbol=BTCUSDT&lookback=24h');
  });

  it.each([
    ['', 'exchange: missing'],
    ['?exchange=kraken&symbol=BTCUSDT&lookback=24h', 'exchange: expected one of'],
    ['?exchange=binance&symbol=<img>&lookback=24h', 'symbol: has an unexpected format'],
    ['?exchange=binance&symbol=BTCUSDT&lookback=2y', 'lookback: expected one of'],
    ['?exchange=binance&symbol=BTCUSDT&lookback=24h&leverages=50,x', 'leverages.1: expected a number'],
    ['?exchange=binance&symbol=BTCUSDT&lookback=24h&aggregate=yes', 'aggregate: expected 1 or 0'],
    ['?exchange=binance&symbol=BTCUSDT&lookback=24h&theme=red', 'unknown parameter "theme"'],
  ])('refuses %s with a clear error', (search, error) => {
    const parsed = parseFullViewQuery(search);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(error);
  });
});

const DOMAIN: Window = { t0: 0, t1: 1_000, p0: 100, p1: 200 };
const PLOT = { x: 0, y: 10, width: 500, height: 400 };

describe('full view window', () => {
  it('zooms around the pointer, which stays over the same time and price', () => {
    const zoomed = zoomAt(DOMAIN, DOMAIN, PLOT, 100, 110, 0.5);
    expect(zoomed.t1 - zoomed.t0).toBeCloseTo(500);
    expect(zoomed.p1 - zoomed.p0).toBeCloseTo(50);
    expect(timeAt(zoomed, PLOT, 100)).toBeCloseTo(timeAt(DOMAIN, PLOT, 100));
    expect(priceAt(zoomed, PLOT, 110)).toBeCloseTo(priceAt(DOMAIN, PLOT, 110));
    const priceOnly = zoomAt(DOMAIN, DOMAIN, PLOT, 100, 110, 0.5, 'price');
    expect([priceOnly.t0, priceOnly.t1]).toEqual([0, 1_000]);
    expect(priceOnly.p1 - priceOnly.p0).toBeCloseTo(50);
  });

  it('never zooms out past the whole heatmap nor in past its limit', () => {
    expect(zoomAt(DOMAIN, DOMAIN, PLOT, 250, 210, 4)).toEqual(DOMAIN);
    let win = DOMAIN;
    for (let i = 0; i < 50; i++) win = zoomAt(win, DOMAIN, PLOT, 250, 210, 0.5);
    expect(win.t1 - win.t0).toBeCloseTo(1_000 * MIN_SPAN_SHARE);
    expect(win.p1 - win.p0).toBeCloseTo(100 * MIN_SPAN_SHARE);
  });

  it('pans with the pointer and stops at the edges', () => {
    const half = zoomAt(DOMAIN, DOMAIN, PLOT, 250, 210, 0.5);
    // Dragging right shows earlier times; dragging down shows higher prices.
    const moved = panBy(half, DOMAIN, PLOT, 50, 40);
    expect(moved.t0).toBeCloseTo(half.t0 - 50);
    expect(moved.p0).toBeCloseTo(half.p0 + 5);
    const far = panBy(half, DOMAIN, PLOT, 100_000, -100_000);
    expect(far).toEqual({ t0: 0, t1: half.t1 - half.t0, p0: 100, p1: 100 + (half.p1 - half.p0) });
    expect(clampWindow({ t0: -50, t1: 50, p0: 190, p1: 260 }, DOMAIN)).toEqual({ t0: 0, t1: 100, p0: 130, p1: 200 });
  });

  it('maps the window onto the cached raster that covers the whole heatmap', () => {
    expect(sourceRect(DOMAIN, DOMAIN, 720, 300)).toEqual({ sx: 0, sy: 0, sw: 720, sh: 300 });
    // The upper half of prices and the later half of time: the raster's top-right quarter.
    expect(sourceRect({ t0: 500, t1: 1_000, p0: 150, p1: 200 }, DOMAIN, 720, 300)).toEqual({ sx: 360, sy: 0, sw: 360, sh: 150 });
    expect(layerSize({ columns: 8_640, rows: 300 })).toEqual({ width: 4_096, height: 300 });
  });

  it('zooms by a factor that grows with the wheel and is bounded', () => {
    expect(wheelFactor(-100, 0)).toBeLessThan(1);
    expect(wheelFactor(100, 0)).toBeGreaterThan(1);
    expect(wheelFactor(3, 1)).toBeCloseTo(wheelFactor(48, 0));
    expect(wheelFactor(1e9, 0)).toBe(wheelFactor(400, 0));
  });

  it('labels round prices and leaves room for the axis and the latest map', () => {
    expect(niceTicks(61_900, 66_100, 5)).toEqual([62_000, 63_000, 64_000, 65_000, 66_000]);
    const layout = frameLayout(1400, 800);
    expect(layout.plot.width + layout.axis.width + layout.side.width).toBe(1400);
    expect(layout.side.y).toBe(layout.plot.y);
    expect(layout.side.height).toBe(layout.plot.height);
  });
});

describe('full view domain', () => {
  it('reaches every pool the estimate lists, also outside the heatmap band', () => {
    const pool = (priceLow: number, priceHigh: number) => ({ side: 'long', priceLow, priceHigh, peakPrice: priceLow, notionalUsd: 1, strength: 5, distancePct: 0, distanceAtr: 0 });
    const base = { heatmap: { columns: 10, rows: 4, firstTimestamp: 1_000, columnMs: 100, priceLow: 90, priceHigh: 110, maxCellUsd: 1, intensity: [] } };
    expect(domainOf({ ...base, pools: [pool(95, 97)] } as unknown as EstimateView)).toEqual({ t0: 1_000, t1: 2_000, p0: 90, p1: 110 });
    const wide = domainOf({ ...base, pools: [pool(80, 82), pool(95, 97)] } as unknown as EstimateView);
    expect(wide.p0).toBeLessThan(80);
    expect(wide.p1).toBe(110);
  });
});

describe('full view readout', () => {
  const view = {
    price: 100,
    heatmap: { columns: 2, rows: 2, firstTimestamp: 0, columnMs: 10, priceLow: 90, priceHigh: 110, maxCellUsd: 1e6, intensity: [0, 255, 128, 1] },
    // Bins of 5 from 90 to 110: longs below the price, shorts above.
    latestMap: { priceLow: 90, priceHigh: 110, long: [4e6, 2e6, 0, 0], short: [0, 0, 3e6, 5e6], atr: 1 },
    pools: [],
  } as unknown as EstimateView;

  it('counts the longs liquidated from the price down to a lower price, and the cell there', () => {
    const at = readoutAt(view, 92.5, 15);
    expect(at.side).toBe('long');
    // Half of the 90-95 bin and all of 95-100.
    expect(at.cumulativeUsd).toBeCloseTo(2e6 + 2e6);
    expect(at.distancePct).toBeCloseTo(-7.5);
    expect(at.time).toBe(10);
    expect(at.cellUsd).toBeCloseTo((128 / 255) ** 2 * 1e6);
    expect([at.binLongUsd, at.binShortUsd]).toEqual([4e6, 0]);
  });

  it('counts the shorts liquidated from the price up to a higher price; no cell outside the heatmap', () => {
    const at = readoutAt(view, 110, undefined);
    expect(at.side).toBe('short');
    expect(at.cumulativeUsd).toBeCloseTo(8e6);
    expect(at.time).toBeUndefined();
    expect(at.cellUsd).toBe(0);
  });
});
