import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Heatmap } from '../src/engine/types';
import { drawText, measureText } from '../src/render/bitmap-font';
import { CIVIDIS_LUT, colourIndex, DEFAULT_THRESHOLD, HEAT_SCALING, heatLevel, levelValue, LUT_SIZE } from '../src/render/color-scale';
import { formatUsd } from '../src/engine/usd-format';
import { formatPrice } from '../src/engine/price-format';
import { CANDLE_DOWN, CANDLE_UP, type Candle } from '../src/render/heatmap-candles';
import { type HeatmapRaster, renderHeatmapRgba } from '../src/render/heatmap-raster';

const T0 = Date.UTC(2026, 0, 1);
const STEP = 30 * 60_000;

/** A columns x rows heatmap over prices 100..200 with `fill(col, row)` as cell values. */
function makeHeatmap(columns: number, rows: number, fill: (col: number, row: number) => number): Heatmap {
  const cells = new Float32Array(columns * rows);
  let maxCell = 0;
  for (let c = 0; c < columns; c++) {
    for (let r = 0; r < rows; r++) {
      cells[c * rows + r] = fill(c, r);
      maxCell = Math.max(maxCell, cells[c * rows + r]!);
    }
  }
  return {
    timestamps: Float64Array.from({ length: columns }, (_, i) => T0 + i * STEP),
    priceEdges: Float64Array.from({ length: rows + 1 }, (_, i) => 100 + (100 * i) / rows),
    cells,
    columns,
    rows,
    maxCell,
  };
}

function pixel(raster: HeatmapRaster, x: number, y: number): [number, number, number, number] {
  const o = (Math.floor(y) * raster.width + Math.floor(x)) * 4;
  return [raster.data[o]!, raster.data[o + 1]!, raster.data[o + 2]!, raster.data[o + 3]!];
}

function lut(level: number): [number, number, number, number] {
  return [CIVIDIS_LUT[3 * level]!, CIVIDIS_LUT[3 * level + 1]!, CIVIDIS_LUT[3 * level + 2]!, 255];
}

/** Pixel centre of heatmap cell (col, row) inside the plot. */
function cellCentre(raster: HeatmapRaster, heatmap: Heatmap, col: number, row: number): [number, number] {
  const { plot } = raster;
  const low = heatmap.priceEdges[0]!;
  const high = heatmap.priceEdges[heatmap.rows]!;
  const price = (heatmap.priceEdges[row]! + heatmap.priceEdges[row + 1]!) / 2;
  return [plot.x + ((col + 0.5) * plot.width) / heatmap.columns, plot.y + ((high - price) / (high - low)) * plot.height];
}

function priceY(raster: HeatmapRaster, heatmap: Heatmap, price: number): number {
  const low = heatmap.priceEdges[0]!;
  const high = heatmap.priceEdges[heatmap.rows]!;
  return raster.plot.y + ((high - price) / (high - low)) * raster.plot.height;
}

function sha256(data: Uint8ClampedArray): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A smooth field with one hot cell at (7, 31). */
const HOT = { col: 7, row: 31 };
const heatmap = makeHeatmap(20, 50, (c, r) => (c === HOT.col && r === HOT.row ? 5_000_000 : 1000 * (1 + ((c * 7 + r * 3) % 11))));
/** Candles in the lower half of the price range (110..140), away from the hot cell (~163). */
const candles: Candle[] = Array.from({ length: 20 }, (_, i) => {
  const open = 120 + (i % 5) * 2;
  const close = i % 2 === 0 ? open + 8 : open - 8;
  return { open, close, high: Math.max(open, close) + 2, low: Math.min(open, close) - 2 };
});

describe('color scale (cividis, sqrt)', () => {
  it('has 256 entries from dark blue to yellow with rising luminance', () => {
    expect(CIVIDIS_LUT).toHaveLength(LUT_SIZE * 3);
    expect(lut(0)).toEqual([0, 32, 81, 255]);
    expect(lut(255)).toEqual([253, 234, 69, 255]);
    const lin = (c: number): number => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    let previous = -1;
    for (let i = 0; i < LUT_SIZE; i++) {
      const y = 0.2126 * lin(CIVIDIS_LUT[3 * i]!) + 0.7152 * lin(CIVIDIS_LUT[3 * i + 1]!) + 0.0722 * lin(CIVIDIS_LUT[3 * i + 2]!);
      expect(y, `luminance at level ${i}`).toBeGreaterThanOrEqual(previous);
      previous = y;
    }
  });

  it('maps values on a square-root scale of the maximum; empty cells get no level', () => {
    expect(HEAT_SCALING).toBe('sqrt');
    expect(heatLevel(100, 100)).toBe(255);
    expect(heatLevel(1000, 100)).toBe(255);
    expect(heatLevel(25, 100)).toBe(128);
    expect(heatLevel(1, 100)).toBe(26);
    expect(heatLevel(0, 100)).toBe(-1);
    expect(heatLevel(Number.NaN, 100)).toBe(-1);
    expect(heatLevel(5, 0)).toBe(-1);
    expect(levelValue(0.5, 1000)).toBe(250);
  });
});

describe('renderHeatmapRgba', () => {
  const options = { width: 400, height: 300 } as const;

  it('returns an RGBA buffer of the requested size, fully opaque', () => {
    const raster = renderHeatmapRgba(heatmap, candles, options);
    expect(raster.width).toBe(400);
    expect(raster.height).toBe(300);
    expect(raster.data).toBeInstanceOf(Uint8ClampedArray);
    expect(raster.data).toHaveLength(400 * 300 * 4);
    for (let i = 3; i < raster.data.length; i += 4) if (raster.data[i] !== 255) expect.fail(`alpha at byte ${i}`);
    expect(raster.plot.x).toBe(0);
    expect(raster.plot.width).toBeGreaterThan(250);
    expect(raster.plot.width).toBeLessThan(400);
    expect(raster.plot.height).toBeGreaterThan(250);
    expect(raster.visibleMax).toBe(5_000_000);
    expect(raster.scaling).toBe('sqrt');
  });

  it('is deterministic: the same input gives the same bytes', () => {
    const a = renderHeatmapRgba(heatmap, candles, options);
    const b = renderHeatmapRgba(makeHeatmap(20, 50, (c, r) => heatmap.cells[c * 50 + r]!), candles.map((c) => ({ ...c })), options);
    expect(sha256(b.data)).toBe(sha256(a.data));
    const light = renderHeatmapRgba(heatmap, candles, { ...options, theme: 'light' });
    expect(sha256(light.data)).not.toBe(sha256(a.data));
    expect(sha256(renderHeatmapRgba(heatmap, candles, { ...options, theme: 'light' }).data)).toBe(sha256(light.data));
  });

  it('gives the hottest cell the top colour of the scale', () => {
    for (const theme of ['dark', 'light'] as const) {
      const raster = renderHeatmapRgba(heatmap, candles, { ...options, theme });
      const [x, y] = cellCentre(raster, heatmap, HOT.col, HOT.row);
      expect(pixel(raster, x, y)).toEqual(lut(255));
      // A cold cell elsewhere is not the top colour.
      const [cx, cy] = cellCentre(raster, heatmap, 15, 45);
      expect(pixel(raster, cx, cy)).not.toEqual(lut(255));
      // Its colour is the contrast rule's: the background below the threshold, else its index.
      const level = heatLevel(heatmap.cells[15 * 50 + 45]!, 5_000_000) / 255;
      const index = colourIndex(level * level, DEFAULT_THRESHOLD);
      expect(pixel(raster, cx, cy)).toEqual(index < 0 ? (theme === 'dark' ? [14, 17, 23, 255] : [22, 27, 34, 255]) : lut(index));
      expect(pixel(renderHeatmapRgba(heatmap, candles, { ...options, theme, scale: { threshold: 0 } }), cx, cy)).toEqual(lut(colourIndex(level * level, 0)));
    }
  });

  it('keeps the hottest cell when many columns share a pixel (max, not average)', () => {
    const wide = makeHeatmap(3000, 40, (c, r) => (c === 1234 && r === 20 ? 9e6 : 10));
    const raster = renderHeatmapRgba(wide, [], { width: 300, height: 200 });
    let found = 0;
    const top = lut(255);
    for (let y = raster.plot.y; y < raster.plot.y + raster.plot.height; y++) {
      for (let x = raster.plot.x; x < raster.plot.x + raster.plot.width; x++) {
        if (pixel(raster, x, y).every((v, i) => v === top[i])) found++;
      }
    }
    expect(found).toBeGreaterThan(0);
  });

  it('draws candles over the heat: body pixels have the candle colours', () => {
    const raster = renderHeatmapRgba(heatmap, candles, options);
    const columnWidth = raster.plot.width / heatmap.columns;
    for (const i of [0, 1, 10, 19]) {
      const candle = candles[i]!;
      const x = raster.plot.x + (i + 0.5) * columnWidth;
      const y = priceY(raster, heatmap, (candle.open + candle.close) / 2);
      expect(pixel(raster, x, y), `candle ${i}`).toEqual([...(candle.close >= candle.open ? CANDLE_UP : CANDLE_DOWN), 255]);
      // The wick reaches beyond the body: above the body top, at the centre column.
      const wickY = priceY(raster, heatmap, candle.high - 0.5);
      expect(pixel(raster, Math.floor(x), wickY), `wick ${i}`).toEqual([...(candle.close >= candle.open ? CANDLE_UP : CANDLE_DOWN), 255]);
    }
    // Without candles the same pixel is heat.
    const bare = renderHeatmapRgba(heatmap, [], options);
    const y0 = priceY(bare, heatmap, (candles[0]!.open + candles[0]!.close) / 2);
    expect(pixel(bare, bare.plot.x + 0.5 * columnWidth, y0)).not.toEqual([...CANDLE_UP, 255]);
  });

  it('draws the legend bar from the top colour down to the bottom colour, with labels', () => {
    const raster = renderHeatmapRgba(heatmap, candles, options);
    // Find the legend bar: the column right of the plot whose top pixel is the top colour.
    const top = raster.plot.y;
    const bottom = raster.plot.y + raster.plot.height - 1;
    let legendX = -1;
    for (let x = raster.width - 1; x > raster.plot.x + raster.plot.width; x--) {
      if (pixel(raster, x, top).every((v, i) => v === lut(255)[i]) && pixel(raster, x, bottom).every((v, i) => v === lut(0)[i])) {
        legendX = x;
        break;
      }
    }
    expect(legendX).toBeGreaterThan(raster.plot.x + raster.plot.width);
    // Some text pixels exist in the price axis and legend label areas.
    const background = pixel(raster, raster.width - 1, raster.height - 1);
    let ink = 0;
    for (let y = 0; y < raster.height; y++) {
      for (let x = raster.plot.x + raster.plot.width + 2; x < legendX - 2; x++) {
        if (!pixel(raster, x, y).every((v, i) => v === background[i])) ink++;
      }
    }
    expect(ink).toBeGreaterThan(100);
  });

  it('without axes the plot fills the image', () => {
    const raster = renderHeatmapRgba(heatmap, candles, { ...options, axes: false });
    expect(raster.plot).toEqual({ x: 0, y: 0, width: 400, height: 300 });
    const tiny = renderHeatmapRgba(heatmap, candles, { width: 60, height: 40 });
    expect(tiny.plot).toEqual({ x: 0, y: 0, width: 60, height: 40 });
  });

  it('renders an empty heatmap as background and rejects misaligned candles', () => {
    const empty = makeHeatmap(5, 10, () => 0);
    const raster = renderHeatmapRgba(empty, [], options);
    expect(raster.visibleMax).toBe(0);
    expect(pixel(raster, raster.plot.x + 10, raster.plot.y + 10)).toEqual([14, 17, 23, 255]);
    expect(() => renderHeatmapRgba(heatmap, candles.slice(1), options)).toThrow(RangeError);
    expect(() => renderHeatmapRgba(heatmap, candles, { width: 0, height: 10 })).toThrow(RangeError);
  });
});

describe('labels', () => {
  it('formats prices and USD amounts deterministically', () => {
    expect(formatPrice(64250, 0)).toBe('64,250');
    expect(formatPrice(1234567.891, 2)).toBe('1,234,567.89');
    expect(formatPrice(0.12345, 3)).toBe('0.123');
    expect(formatPrice(-1500, 0)).toBe('-1,500');
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(950)).toBe('$950');
    expect(formatUsd(12_345)).toBe('$12.3k');
    expect(formatUsd(12_345_678)).toBe('$12.3M');
    expect(formatUsd(4_560_000)).toBe('$4.56M');
    expect(formatUsd(1_000_000_000)).toBe('$1B');
    expect(formatUsd(999_999)).toBe('$1M');
  });

  it('draws bitmap text inside its measured box', () => {
    const image = { width: 80, height: 12, data: new Uint8ClampedArray(80 * 12 * 4) };
    drawText(image, 1, 1, '$64,000.5k', [255, 255, 255]);
    const width = measureText('$64,000.5k');
    let inked = 0;
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        if (image.data[(y * image.width + x) * 4] === 255) {
          inked++;
          expect(x).toBeGreaterThanOrEqual(1);
          expect(x).toBeLessThan(1 + width);
          expect(y).toBeLessThan(1 + 8); // 7 rows + the comma's descender
        }
      }
    }
    expect(inked).toBeGreaterThan(40);
  });
});
