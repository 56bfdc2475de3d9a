/**
 * Golden images of the renderers for fixed inputs: the heatmap with candles, axes and legend and
 * the latest map's side bars for a day of the real recorded Binance BTCUSDT 5m data (the view the
 * background would send, kept as a fixture so engine changes do not move the renderer's goldens),
 * and a small fixed grid in the light theme with realized-liquidation markers.
 * `UPDATE_GOLDEN=1 npx vitest run tests/golden-render.test.ts` rewrites fixture and goldens; without
 * it a missing fixture or golden fails the test.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Heatmap } from '../src/engine/types';
import type { HeatmapView, LatestMapView } from '../src/messaging/contract';
import { renderHeatmapRgba } from '../src/render/heatmap-raster';
import { drawRealizedMarkers } from '../src/render/markers';
import { LONG_COLOR, renderSideBarsRgba, SHORT_COLOR } from '../src/render/side-bars';
import { runJob } from '../src/worker/api';
import { fromHeatmapView, toHeatmapView, toLatestMapView } from '../src/worker/compact';
import { GOLDEN_DIR, matchGolden, UPDATE_GOLDEN } from './support/golden';
import { binance5m } from './support/recorded';

interface Fixture {
  readonly source: string;
  readonly price: number;
  readonly heatmap: HeatmapView;
  readonly latestMap: LatestMapView;
}

const FIXTURE = join(GOLDEN_DIR, 'binance-btcusdt-24h.view.json');

/** The background's view of the recording's last day (48 h loaded: a day of warm-up). */
function recordedView(): Fixture {
  const series = binance5m();
  const end = series.bars.at(-1)!.timestamp;
  const bars = series.bars.filter((b) => b.timestamp > end - 48 * 3_600_000);
  const output = runJob({ series: [{ ...series, timeframeMs: 300_000, bars }], heatmap: { columns: 144, barsPerColumn: 2, rows: 120 } });
  return {
    source: 'shared/data/binance-btcusdt-5m-ohlc-oi-funding-cvd.csv, last 48 h, 144 columns of 10 min, 120 rows',
    price: output.context.price,
    heatmap: toHeatmapView(output.heatmap, output.candles, 600_000),
    latestMap: toLatestMapView(output.map),
  };
}

/** The committed view; written only under UPDATE_GOLDEN=1, a missing one fails (never regenerated silently). */
function fixture(path = FIXTURE): Fixture {
  if (UPDATE_GOLDEN) writeFileSync(path, `${JSON.stringify(recordedView())}\n`);
  if (!existsSync(path)) throw new Error(`no fixture ${path}: UPDATE_GOLDEN=1 npx vitest run tests/golden-render.test.ts writes it`);
  return JSON.parse(readFileSync(path, 'utf8')) as Fixture;
}

/** 6 columns x 5 rows over 100..200: a hot band that moves up, candles walking with it. */
function smallGrid(): { heatmap: Heatmap; candles: { open: number; high: number; low: number; close: number }[] } {
  const columns = 6;
  const rows = 5;
  const cells = new Float32Array(columns * rows);
  for (let c = 0; c < columns; c++) for (let r = 0; r < rows; r++) cells[c * rows + r] = r === Math.min(rows - 1, 1 + (c >> 1)) ? 1_000_000 : 50_000 * (r + 1);
  const candles = Array.from({ length: columns }, (_, c) => ({ open: 130 + 8 * c, high: 145 + 8 * c, low: 125 + 8 * c, close: 138 + 8 * c }));
  return {
    heatmap: {
      timestamps: Float64Array.from({ length: columns }, (_, c) => Date.UTC(2026, 0, 6) + c * 3_600_000),
      priceEdges: Float64Array.from({ length: rows + 1 }, (_, r) => 100 + 20 * r),
      cells,
      columns,
      rows,
      maxCell: 1_000_000,
    },
    candles,
  };
}

describe('golden images of the heatmap renderer', () => {
  it('a day of recorded Binance BTCUSDT: heat, candles, axes and legend (dark)', () => {
    const view = fixture();
    const { heatmap, candles } = fromHeatmapView(view.heatmap);
    const raster = renderHeatmapRgba(heatmap, candles, { width: 400, height: 240, theme: 'dark' });
    expect(matchGolden('binance-btcusdt-24h-dark', raster)).toMatchObject({ mismatched: 0 });
  });

  it('the same day in the light theme', () => {
    const view = fixture();
    const { heatmap, candles } = fromHeatmapView(view.heatmap);
    const raster = renderHeatmapRgba(heatmap, candles, { width: 400, height: 240, theme: 'light' });
    expect(matchGolden('binance-btcusdt-24h-light', raster)).toMatchObject({ mismatched: 0 });
  });

  it('the latest map of that day as side bars on the heatmap price scale', () => {
    const view = fixture();
    const { heatmap, candles } = fromHeatmapView(view.heatmap);
    const { plot } = renderHeatmapRgba(heatmap, candles, { width: 400, height: 240 });
    const bars = renderSideBarsRgba(view.latestMap, {
      width: 64,
      height: 240,
      plotY: plot.y,
      plotHeight: plot.height,
      priceLow: view.heatmap.priceLow,
      priceHigh: view.heatmap.priceHigh,
      price: view.price,
    });
    expect(bars.cumulativeLong).toBeGreaterThan(0);
    expect(bars.cumulativeShort).toBeGreaterThan(0);
    expect(matchGolden('binance-btcusdt-24h-side-bars', bars)).toMatchObject({ mismatched: 0 });
  });

  it('a fixed small grid with candles and realized liquidations (light)', () => {
    const { heatmap, candles } = smallGrid();
    const raster = renderHeatmapRgba(heatmap, candles, { width: 240, height: 140, theme: 'light' });
    const start = heatmap.timestamps[0]!;
    const drawn = drawRealizedMarkers(
      raster,
      { ...raster.plot, firstTimestamp: start, columnMs: 3_600_000, columns: 6, priceLow: 100, priceHigh: 200 },
      [
        { timestamp: start + 1.5 * 3_600_000, price: 122, side: 'long', usd: 250_000 },
        { timestamp: start + 4.2 * 3_600_000, price: 181, side: 'short', usd: 20_000 },
        { timestamp: start + 5.5 * 3_600_000, price: 160, side: 'short', usd: 2_000 },
        // Outside the plot: not drawn.
        { timestamp: start - 3_600_000, price: 150, side: 'long', usd: 1e6 },
        { timestamp: start + 3_600_000, price: 250, side: 'long', usd: 1e6 },
      ],
    );
    expect(drawn.map((m) => m.side)).toEqual(['long', 'short', 'short']);
    expect(matchGolden('grid-light-markers', raster)).toMatchObject({ mismatched: 0 });
  });
});

describe('the golden comparison itself', () => {
  it('a missing fixture or golden fails and is not written', () => {
    if (UPDATE_GOLDEN) return;
    const dir = mkdtempSync(join(tmpdir(), 'liqlens-golden-'));
    try {
      const missing = join(dir, 'missing.view.json');
      expect(() => fixture(missing)).toThrow(/UPDATE_GOLDEN=1/);
      expect(existsSync(missing)).toBe(false);
      const { heatmap, candles } = smallGrid();
      const result = matchGolden('no-such-golden', renderHeatmapRgba(heatmap, candles, { width: 40, height: 30 }), { failedDir: dir });
      expect(result.problem).toMatch(/no golden no-such-golden\.png/);
      expect(result).not.toMatchObject({ mismatched: 0 });
      expect(existsSync(join(GOLDEN_DIR, 'no-such-golden.png'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails on a changed pixel and writes the actual image and a diff', () => {
    if (UPDATE_GOLDEN) return;
    const { heatmap, candles } = smallGrid();
    const raster = renderHeatmapRgba(heatmap, candles, { width: 240, height: 140, theme: 'light' });
    drawRealizedMarkers(raster, { ...raster.plot, firstTimestamp: heatmap.timestamps[0]!, columnMs: 3_600_000, columns: 6, priceLow: 100, priceHigh: 200 }, [
      { timestamp: heatmap.timestamps[0]! + 1.5 * 3_600_000, price: 122, side: 'long', usd: 250_000 },
      { timestamp: heatmap.timestamps[0]! + 4.2 * 3_600_000, price: 181, side: 'short', usd: 20_000 },
      { timestamp: heatmap.timestamps[0]! + 5.5 * 3_600_000, price: 160, side: 'short', usd: 2_000 },
    ]);
    const failedDir = mkdtempSync(join(tmpdir(), 'liqlens-golden-'));
    try {
      // Within the tolerance: still a match.
      raster.data[0] = raster.data[0]! - 2;
      expect(matchGolden('grid-light-markers', raster, { failedDir }).mismatched).toBe(0);
      raster.data[4 * (70 * 240 + 100)] = 0;
      raster.data[4 * (70 * 240 + 100) + 1] = 255;
      const result = matchGolden('grid-light-markers', raster, { failedDir });
      expect(result.mismatched).toBe(1);
      expect(existsSync(join(failedDir, 'grid-light-markers.actual.png'))).toBe(true);
      expect(existsSync(join(failedDir, 'grid-light-markers.diff.png'))).toBe(true);
    } finally {
      rmSync(failedDir, { recursive: true, force: true });
    }
  });

  it('the side-bar colours stay a colour-blind-safe pair: blue for longs, orange for shorts', () => {
    expect(LONG_COLOR).toEqual([47, 127, 216]);
    expect(SHORT_COLOR).toEqual([232, 131, 58]);
  });
});

describe('heatmap raster from the colour levels the background sends', () => {
  it('draws the same bytes as from the cells they stand for, at the panel and popup sizes, and with columns merged', () => {
    const { heatmap: view } = fixture();
    const { heatmap, candles } = fromHeatmapView(view);
    const levels = { intensity: view.intensity, maxValue: view.maxCellUsd };
    for (const [width, height, theme] of [
      [340, 220, 'dark'],
      [340, 220, 'light'],
      [332, 140, 'dark'],
      // No axes, a plot narrower than the 144 columns: several columns share a pixel.
      [100, 80, 'dark'],
    ] as const) {
      const fromCells = renderHeatmapRgba(heatmap, candles, { width, height, theme });
      const fromLevels = renderHeatmapRgba(heatmap, candles, { width, height, theme, levels });
      expect(Buffer.from(fromLevels.data).equals(Buffer.from(fromCells.data)), `${width}x${height} ${theme}`).toBe(true);
      expect(fromLevels.visibleMax).toBe(fromCells.visibleMax);
    }
  });

  it('shows an all-empty view as empty', () => {
    const { heatmap: view } = fixture();
    const empty = { ...view, intensity: view.intensity.map(() => 0), maxCellUsd: 0 };
    const { heatmap, candles } = fromHeatmapView(empty);
    const fromLevels = renderHeatmapRgba(heatmap, candles, { width: 340, height: 220, levels: { intensity: empty.intensity, maxValue: 0 } });
    expect(Buffer.from(fromLevels.data).equals(Buffer.from(renderHeatmapRgba(heatmap, candles, { width: 340, height: 220 }).data))).toBe(true);
    expect(fromLevels.visibleMax).toBe(0);
  });
});
