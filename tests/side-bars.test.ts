/** The latest map's side bars and realized markers: sides by price, lengths, cumulative totals, clipping. */
import { describe, expect, it } from 'vitest';
import type { LiquidationMap } from '../src/engine/types';
import { renderHeatmapRgba } from '../src/render/heatmap-raster';
import { drawRealizedMarkers, markerSize } from '../src/render/markers';
import { LONG_COLOR, renderSideBarsRgba, SHORT_COLOR } from '../src/render/side-bars';
import { toLatestMapView } from '../src/worker/compact';

const map = { priceLow: 90, priceHigh: 110, long: [40, 20, 0, 0], short: [0, 0, 10, 80] };
const options = { width: 50, height: 120, plotY: 10, plotHeight: 100, priceLow: 90, priceHigh: 110, price: 100 };

function colorAt(image: { width: number; data: Uint8ClampedArray }, x: number, y: number): number[] {
  const o = (y * image.width + x) * 4;
  return [image.data[o]!, image.data[o + 1]!, image.data[o + 2]!];
}

function barLength(image: { width: number; data: Uint8ClampedArray }, y: number, color: readonly number[]): number {
  let n = 0;
  for (let x = 0; x < image.width; x++) if (colorAt(image, x, y).join() === color.join()) n++;
  return n;
}

describe('renderSideBarsRgba', () => {
  it('draws shorts above the price and longs below, lengths relative to the largest bin', () => {
    const raster = renderSideBarsRgba(map, options);
    expect(raster.barMax).toBeCloseTo(80 / 25);
    // Row 5 (top quarter: the 80 bin) is full length, in the short colour; row 30 (the 10 bin) an eighth.
    expect(barLength(raster, 10 + 5, SHORT_COLOR)).toBeGreaterThanOrEqual(46);
    expect(barLength(raster, 10 + 30, SHORT_COLOR)).toBeLessThanOrEqual(8);
    expect(barLength(raster, 10 + 95, LONG_COLOR)).toBeGreaterThanOrEqual(20);
    for (let py = 0; py < 50; py++) expect(barLength(raster, 10 + py, LONG_COLOR), `row ${py}`).toBe(0);
    for (let py = 50; py < 100; py++) expect(barLength(raster, 10 + py, SHORT_COLOR), `row ${py}`).toBe(0);
    expect(raster.cumulativeShort).toBeCloseTo(90);
    expect(raster.cumulativeLong).toBeCloseTo(60);
  });

  it('clips the map to the heatmap price range and hides a side on the wrong side of the price', () => {
    const narrow = renderSideBarsRgba(map, { ...options, priceLow: 95, priceHigh: 105 });
    // 95..105 holds the 20 of longs at 95..100 and the 10 of shorts at 100..105 only.
    expect(narrow.cumulativeShort).toBeCloseTo(10);
    expect(narrow.cumulativeLong).toBeCloseTo(20);
    // The price above everything: no short bar at all.
    const above = renderSideBarsRgba(map, { ...options, price: 200 });
    expect(above.cumulativeShort).toBe(0);
    expect(above.cumulativeLong).toBeCloseTo(60);
  });

  it('draws only the background for an empty map and rejects impossible sizes', () => {
    const empty = renderSideBarsRgba({ priceLow: 0, priceHigh: 0, long: [], short: [] }, options);
    expect(empty.barMax).toBe(0);
    expect(() => renderSideBarsRgba(map, { ...options, width: 0 })).toThrow(RangeError);
  });
});

describe('toLatestMapView', () => {
  it('rebins to at most 200 bins over the same range and keeps the totals', () => {
    const bins = 600;
    const edges = Float64Array.from({ length: bins + 1 }, (_, i) => 1000 + i);
    const long = Float64Array.from({ length: bins }, (_, i) => (i < 300 ? 1000 + i : 0));
    const short = Float64Array.from({ length: bins }, (_, i) => (i >= 300 ? 7 * i : 0));
    const engineMap = { timestamp: 0, price: 1300, priceEdges: edges, long, short, cumulativeLong: long, cumulativeShort: short, atr: 3.1234567 } as LiquidationMap;
    const view = toLatestMapView(engineMap);
    expect(view.long).toHaveLength(200);
    expect(view).toMatchObject({ priceLow: 1000, priceHigh: 1600, atr: 3.12346 });
    const sum = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0);
    expect(Math.abs(sum(view.long) - sum(long))).toBeLessThanOrEqual(200);
    expect(Math.abs(sum(view.short) - sum(short))).toBeLessThanOrEqual(200);
    expect(view.long[99]).toBeGreaterThan(0);
    expect(view.long[100]).toBe(0);
    expect(toLatestMapView({ ...engineMap, priceEdges: edges.slice(0, 11), long: long.slice(0, 10), short: short.slice(0, 10) }).long).toHaveLength(10);
  });
});

describe('drawRealizedMarkers', () => {
  it('draws events inside the plot only, sized by notional', () => {
    const heat = { timestamps: Float64Array.from([0, 1000]), priceEdges: Float64Array.from([0, 50, 100]), cells: new Float32Array(4), columns: 2, rows: 2, maxCell: 0 };
    const raster = renderHeatmapRgba(heat, [], { width: 100, height: 60, axes: false });
    const frame = { ...raster.plot, firstTimestamp: 0, columnMs: 1000, columns: 2, priceLow: 0, priceHigh: 100 };
    const drawn = drawRealizedMarkers(raster, frame, [
      { timestamp: 500, price: 50, side: 'long', usd: 5e5 },
      { timestamp: 2000, price: 50, side: 'long', usd: 5e5 },
      { timestamp: 500, price: 150, side: 'short', usd: 5e5 },
    ]);
    expect(drawn).toEqual([{ x: 25, y: 30, size: 7, side: 'long', timestamp: 500, price: 50 }]);
    expect(colorAt(raster, 25, 30)).toEqual([...LONG_COLOR]);
    expect(markerSize(5e3)).toBe(3);
    expect(markerSize(5e4)).toBe(5);
    expect(markerSize(5e5)).toBe(7);
  });
});
