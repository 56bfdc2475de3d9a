/**
 * Pools stand out on the real demo data: the heatmap as the panel draws it (the view's levels, the
 * panel's size, the default contrast, dark) over the recording's last day, the one `npm start`
 * replays. The strongest pool's pixel rows must be at least 2.5x as bright (mean relative
 * luminance) as the median plot pixel outside every pool. And the contrast rules themselves:
 * levels under the threshold are the background, a locked top keeps colours comparable.
 */
import { describe, expect, it } from 'vitest';
import { CIVIDIS_LUT, colourIndex, DEFAULT_THRESHOLD, legendShare } from '../src/render/color-scale';
import { type HeatmapRaster, renderHeatmapRgba } from '../src/render/heatmap-raster';
import { DEFAULT_SETTINGS } from '../src/settings/schema';
import { CHART_HEIGHT, HEATMAP_WIDTH } from '../src/ui/panel/chart';
import { runJob } from '../src/worker/api';
import { fromHeatmapView, toHeatmapView } from '../src/worker/compact';
import type { Pool } from '../src/engine/types';
import type { HeatmapView } from '../src/messaging/contract';
import { binance5m } from './support/recorded';

/** The demo's estimate: 48 h of the recording loaded, the last 24 h shown in 144 columns of 10 min, 120 rows (the service's plan for 24h). */
function demo(): { view: HeatmapView; pools: readonly Pool[] } {
  const series = binance5m();
  const end = series.bars.at(-1)!.timestamp;
  const bars = series.bars.filter((b) => b.timestamp > end - 48 * 3_600_000);
  const output = runJob({ series: [{ ...series, timeframeMs: 300_000, bars }], heatmap: { columns: 144, barsPerColumn: 2, rows: 120 } });
  return { view: toHeatmapView(output.heatmap, output.candles, 600_000), pools: output.pools };
}

const channel = (c: number) => {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
};

function panelRaster(view: HeatmapView, threshold: number): HeatmapRaster {
  const { heatmap, candles } = fromHeatmapView(view);
  return renderHeatmapRgba(heatmap, candles, {
    width: HEATMAP_WIDTH,
    height: CHART_HEIGHT,
    theme: 'dark',
    levels: { intensity: view.intensity, maxValue: view.maxCellUsd },
    scale: { threshold },
  });
}

/** Mean luminance of the strongest pool's pixel rows and the median of plot pixels in rows outside every pool. */
function poolContrast(raster: HeatmapRaster, view: HeatmapView, pools: readonly Pool[]) {
  const { plot } = raster;
  const strongest = [...pools].sort((a, b) => b.notionalUsd - a.notionalUsd)[0]!;
  const inPool: number[] = [];
  const outside: number[] = [];
  let background = 0;
  for (let py = 0; py < plot.height; py++) {
    const price = view.priceHigh - ((py + 0.5) / plot.height) * (view.priceHigh - view.priceLow);
    const inStrongest = price >= strongest.priceLow && price <= strongest.priceHigh;
    const inAny = pools.some((p) => price >= p.priceLow && price <= p.priceHigh);
    for (let x = 0; x < plot.width; x++) {
      const o = 4 * ((plot.y + py) * raster.width + plot.x + x);
      const [r, g, b] = [raster.data[o]!, raster.data[o + 1]!, raster.data[o + 2]!];
      const luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
      if (inStrongest) inPool.push(luminance);
      else if (!inAny) {
        outside.push(luminance);
        if (r === 14 && g === 17 && b === 23) background++;
      }
    }
  }
  outside.sort((a, b) => a - b);
  const mean = inPool.reduce((a, b) => a + b, 0) / inPool.length;
  const median = outside[outside.length >> 1]!;
  return { strongest, rows: inPool.length / plot.width, mean, median, ratio: mean / median, backgroundShare: background / outside.length };
}

describe('pools stand out on the demo', () => {
  const { view, pools } = demo();

  it('the strongest pool is at least 2.5x as bright as the median cell outside every pool, at the default contrast', () => {
    expect(DEFAULT_SETTINGS.contrast).toBe(DEFAULT_THRESHOLD);
    const measured = poolContrast(panelRaster(view, DEFAULT_SETTINGS.contrast), view, pools);
    console.log(
      `strongest pool ${measured.strongest.priceLow.toFixed(0)}-${measured.strongest.priceHigh.toFixed(0)} (${measured.rows} px rows): mean luminance ${measured.mean.toFixed(3)}, ` +
        `median outside pools ${measured.median.toFixed(3)}, ratio ${measured.ratio.toFixed(2)}, background ${(100 * measured.backgroundShare).toFixed(0)} % of the outside`,
    );
    expect(measured.rows).toBeGreaterThanOrEqual(3);
    expect(measured.ratio).toBeGreaterThanOrEqual(2.5);
    // Cells under the threshold are drawn as the background: a good part of the area outside pools.
    expect(measured.backgroundShare).toBeGreaterThan(0.25);
  });

  it('a higher threshold hides more and the pool still stands out; none hides nothing and stands out less', () => {
    const none = poolContrast(panelRaster(view, 0), view, pools);
    const high = poolContrast(panelRaster(view, 0.4), view, pools);
    const standard = poolContrast(panelRaster(view, DEFAULT_THRESHOLD), view, pools);
    expect(none.backgroundShare).toBeLessThan(0.05);
    expect(high.backgroundShare).toBeGreaterThan(standard.backgroundShare);
    // Past the default, the threshold starts to hide the pool's own weaker rows too, so the ratio
    // need not keep rising; the pool must still stand out.
    expect(high.ratio).toBeGreaterThan(2.5);
    expect(standard.ratio).toBeGreaterThan(none.ratio);
  });
});

describe('the contrast rules', () => {
  /** Three rows over 100..130: a top cell, a cell at 40 % of it, one at 10 %. */
  const heatmap = {
    timestamps: Float64Array.from([0, 60_000]),
    priceEdges: Float64Array.from([100, 110, 120, 130]),
    cells: Float32Array.from([1e6, 4e5, 1e5, 1e6, 4e5, 1e5]).reverse(),
    columns: 2,
    rows: 3,
    maxCell: 1e6,
  };
  const colourAt = (raster: HeatmapRaster, row: number) => {
    const y = raster.plot.y + Math.floor(((2.5 - row) / 3) * raster.plot.height);
    const o = 4 * (y * raster.width + raster.plot.x + 2);
    return [raster.data[o], raster.data[o + 1], raster.data[o + 2]];
  };
  const lut = (i: number) => [CIVIDIS_LUT[3 * i], CIVIDIS_LUT[3 * i + 1], CIVIDIS_LUT[3 * i + 2]];

  it('draws levels under the threshold as the background and the top in the top colour', () => {
    const raster = renderHeatmapRgba(heatmap, [], { width: 40, height: 30, axes: false, scale: { threshold: 0.2 } });
    // rows: 0 = 100..110 (1e5, under 20 %), 1 = 4e5, 2 = 1e6
    expect(colourAt(raster, 0)).toEqual([14, 17, 23]);
    expect(colourAt(raster, 1)).toEqual(lut(colourIndex(0.4, 0.2)));
    expect(colourAt(raster, 2)).toEqual(lut(255));
    expect(raster.threshold).toBe(0.2);
    expect(raster.topUsd).toBe(1e6);
    // At threshold 0 the faint cell shows.
    expect(colourAt(renderHeatmapRgba(heatmap, [], { width: 40, height: 30, axes: false, scale: { threshold: 0 } }), 0)).not.toEqual([14, 17, 23]);
  });

  it('a locked top keeps colours comparable: a map with a quarter of the notional draws darker, not re-stretched', () => {
    const quarter = { ...heatmap, cells: heatmap.cells.map((v) => v / 4), maxCell: 2.5e5 };
    const unlocked = renderHeatmapRgba(quarter, [], { width: 40, height: 30, axes: false, scale: { threshold: 0.2 } });
    expect(colourAt(unlocked, 2)).toEqual(lut(255));
    const locked = renderHeatmapRgba(quarter, [], { width: 40, height: 30, axes: false, scale: { threshold: 0.2, topUsd: 1e6 } });
    expect(locked.topUsd).toBe(1e6);
    expect(colourAt(locked, 2)).toEqual(lut(colourIndex(0.25, 0.2)));
    // 4e5 / 4 = 1e5 is under 20 % of the locked top: background.
    expect(colourAt(locked, 1)).toEqual([14, 17, 23]);
  });

  it('the legend runs from the threshold to the top', () => {
    expect(legendShare(0, 0.2)).toBeCloseTo(0.2, 12);
    expect(legendShare(1, 0.2)).toBe(1);
    expect(colourIndex(legendShare(0.5, 0.2), 0.2)).toBe(128);
  });
});
