/** The compact heatmap: square-root intensities that round-trip to the colour the raster draws. */
import { describe, expect, it } from 'vitest';
import type { Heatmap } from '../engine/types';
import { fromHeatmapView, toHeatmapView } from './compact';

const heatmap: Heatmap = {
  columns: 2,
  rows: 2,
  timestamps: Float64Array.from([1_000, 4_000]),
  priceEdges: Float64Array.from([100, 110, 120]),
  cells: Float32Array.from([0, 1_000_000, 250_000, 10]),
  maxCell: 1_000_000,
};

describe('toHeatmapView / fromHeatmapView', () => {
  it('packs cells on the square-root scale and keeps faint cells visible', () => {
    const view = toHeatmapView(heatmap, [1, 2, 0.5, 1.5, 1.5, 3, 1, 2.123456789], 3_000);
    expect(view).toMatchObject({ columns: 2, rows: 2, firstTimestamp: 1_000, columnMs: 3_000, priceLow: 100, priceHigh: 120, maxCellUsd: 1_000_000 });
    // sqrt(0.25) = 0.5 -> 128; 10 USD of 1M (1e-5) -> sqrt 0.0032 -> 1, not lost to rounding.
    expect(view.intensity).toEqual([0, 255, 128, 1]);
    expect(view.candles).toEqual([1, 2, 0.5, 1.5, 1.5, 3, 1, 2.1234568]);
  });

  it('unpacks into a heatmap and candles for the raster', () => {
    const { heatmap: back, candles } = fromHeatmapView(toHeatmapView(heatmap, [1, 2, 0.5, 1.5, 1.5, 3, 1, 2], 3_000));
    expect(Array.from(back.timestamps)).toEqual([1_000, 4_000]);
    expect(Array.from(back.priceEdges)).toEqual([100, 110, 120]);
    expect(back.cells[1]).toBe(1_000_000);
    // One intensity step near the middle of the scale is under 1 % of the value.
    expect(Math.abs(back.cells[2]! / 250_000 - 1)).toBeLessThan(0.01);
    expect(candles).toEqual([
      { open: 1, high: 2, low: 0.5, close: 1.5 },
      { open: 1.5, high: 3, low: 1, close: 2 },
    ]);
  });
});
