/**
 * The heatmap canvas redraws its raster only for a heatmap that differs: a view with an equal
 * heatmap (a refresh that found no new bar, a realized liquidation arriving) keeps the raster and
 * draws the markers over it again. In a DOM without a browser (linkedom), the canvas's context
 * recording what is put into it; the heatmap is the recorded Binance day of the golden images.
 */
import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import { render } from 'preact';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HeatmapView } from '../messaging/contract';
import type { RealizedLiquidation } from '../render/markers';
import { HeatmapCanvas } from './HeatmapCanvas';
import { sameHeatmapView } from './same-heatmap';

const rasters = vi.hoisted(() => ({ started: 0 }));
vi.mock('../render/heatmap-raster', async (importOriginal) => {
  const original = await importOriginal<typeof import('../render/heatmap-raster')>();
  return {
    ...original,
    renderHeatmapSteps: (...args: Parameters<typeof original.renderHeatmapSteps>) => {
      rasters.started++;
      return original.renderHeatmapSteps(...args);
    },
  };
});

const { document, window } = parseHTML('<!doctype html><html><body></body></html>');
const heatmap = (JSON.parse(readFileSync(new URL('../../tests/golden/binance-btcusdt-24h.view.json', import.meta.url), 'utf8')) as { heatmap: HeatmapView }).heatmap;
/** Inside the recorded day: the middle column's time, the middle of the price axis. */
const event = (usd: number): RealizedLiquidation => ({
  timestamp: heatmap.firstTimestamp + (heatmap.columns / 2) * heatmap.columnMs,
  price: (heatmap.priceLow + heatmap.priceHigh) / 2,
  side: 'long',
  usd,
});

let root: HTMLElement;
let puts: number;

beforeAll(() => {
  const globals = globalThis as Record<string, unknown>;
  globals['document'] = document;
  globals['ImageData'] = class {
    constructor(
      readonly data: Uint8ClampedArray,
      readonly width: number,
      readonly height: number,
    ) {}
  };
  (window.HTMLCanvasElement.prototype as unknown as { getContext: () => unknown }).getContext = () => ({
    putImageData: () => {
      puts++;
    },
  });
});

afterEach(() => {
  render(null, root);
});

function canvas(): HTMLCanvasElement {
  return root.querySelector('canvas') as unknown as HTMLCanvasElement;
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

function mount(view: HeatmapView, realized?: readonly RealizedLiquidation[]): void {
  render(<HeatmapCanvas heatmap={view} width={340} height={220} {...(realized ? { realized } : {})} />, root);
}

describe('HeatmapCanvas', () => {
  it('keeps the raster for an equal heatmap and draws new markers over it', async () => {
    root = document.createElement('div') as unknown as HTMLElement;
    document.body.appendChild(root as unknown as Node);
    rasters.started = 0;
    puts = 0;
    mount(heatmap);
    await until(() => puts === 1);
    expect(rasters.started).toBe(1);
    expect(canvas().dataset['markers']).toBe('0');

    // The same heatmap in a new object (as every message brings it), with a realized liquidation.
    mount(structuredClone(heatmap), [event(50_000)]);
    await until(() => puts === 2);
    expect(canvas().dataset['markers']).toBe('1');
    mount(structuredClone(heatmap), [event(50_000), { ...event(200_000), side: 'short' }]);
    await until(() => puts === 3);
    expect(canvas().dataset['markers']).toBe('2');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(rasters.started).toBe(1);

    // A heatmap that differs in one cell is drawn anew, its markers with it.
    const changed = { ...heatmap, intensity: heatmap.intensity.map((v, i) => (i === 7 ? (v + 1) % 256 : v)) };
    mount(changed, [event(50_000)]);
    await until(() => rasters.started === 2 && puts === 4);
    expect(canvas().dataset['markers']).toBe('1');
  });
});

describe('sameHeatmapView', () => {
  it('compares grid, scale, intensities and candles', () => {
    expect(sameHeatmapView(heatmap, structuredClone(heatmap))).toBe(true);
    expect(sameHeatmapView(heatmap, { ...heatmap, maxCellUsd: heatmap.maxCellUsd * 2 })).toBe(false);
    expect(sameHeatmapView(heatmap, { ...heatmap, firstTimestamp: heatmap.firstTimestamp + heatmap.columnMs })).toBe(false);
    expect(sameHeatmapView(heatmap, { ...heatmap, intensity: heatmap.intensity.slice(0, -1) })).toBe(false);
    const candles = [...(heatmap.candles ?? [])];
    candles[candles.length - 1] = candles.at(-1)! + 1;
    expect(sameHeatmapView(heatmap, { ...heatmap, candles })).toBe(false);
    const { candles: _dropped, ...withoutCandles } = heatmap;
    expect(sameHeatmapView(heatmap, withoutCandles)).toBe(heatmap.candles === undefined || heatmap.candles.length === 0);
  });
});
