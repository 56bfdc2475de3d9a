/**
 * The liquidation heatmap as RGBA pixels: price vertical (high at the top), time horizontal,
 * estimated live liquidation notional as colour, candles over the heat, a price axis on the right,
 * a time axis (UTC) below and a colour legend. Pure code over typed arrays: no DOM, no canvas,
 * no Node, so it runs in a worker, in the extension page and in the command-line tools, and the
 * same input gives the same bytes everywhere (integer pixel maths, built-in bitmap font).
 *
 * Colour: cividis (see color-scale.ts). Cells travel as square-root levels of the visible
 * maximum; the colour of a level follows the contrast control ({@link HeatScale}): cells below
 * the threshold share of the top are the plot's background, the colours spread over the rest, and
 * the top is the largest visible cell unless the scale is locked to a value. The plot is dark in
 * both themes: bright pools on a dark ground, as every liquidation heatmap draws them.
 *
 * This module lays the image out, reduces the cells to pixel columns and draws the heat, and runs
 * the steps; the candles are drawn by heatmap-candles.ts, the axes and legend by heatmap-axes.ts.
 */
import { columnFactor } from '../engine/heatmap-cells';
import type { Heatmap } from '../engine/types';
import { fillRect, GLYPH_HEIGHT, type Rgb, type RgbaImage } from './bitmap-font';
import { CIVIDIS_LUT, clampThreshold, colourIndex, DEFAULT_THRESHOLD, HEAT_SCALING, type HeatScale, heatLevel, LUT_SIZE } from './color-scale';
import { drawLegend, drawPriceAxis, drawTimeAxis, legendLabelWidth, makePriceTicks, type PriceTicks, type Theme } from './heatmap-axes';
import { type Candle, drawCandles, type Rect } from './heatmap-candles';

export type { HeatScale };

export interface HeatmapRasterOptions {
  readonly width: number;
  readonly height: number;
  /** Colours of background, text and axes; the heat scale is the same in both. Default dark. */
  readonly theme?: 'dark' | 'light';
  /**
   * Draw the price axis, time axis and legend (default true). They are left out automatically
   * when the image is smaller than 200 x 100.
   */
  readonly axes?: boolean;
  /**
   * The heat as colour levels already, as the background sends it to the panel: then the cells'
   * values are not read. Same picture as from the cells they stand for.
   */
  readonly levels?: HeatLevels;
  /** The contrast control: threshold and an optional locked top. Default: {@link DEFAULT_THRESHOLD}, top = the visible maximum. */
  readonly scale?: HeatScale;
}

/** Cell colour levels on the raster's square-root scale, and the value of the top level. */
export interface HeatLevels {
  /**
   * Per cell, `[column * rows + row]` like the heatmap's cells: 0 for no notional, else
   * round(255 * sqrt(cell / maxValue)).
   */
  readonly intensity: ArrayLike<number>;
  /** The largest cell (level 255), in USD. */
  readonly maxValue: number;
}

export interface HeatmapRaster extends RgbaImage {
  /** Where the heat is drawn inside the image (price axis maps priceEdges[0]..[rows] onto it). */
  readonly plot: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  /** Largest cell value in view (USD): the top of the colour scale. */
  readonly visibleMax: number;
  /** The USD of the top colour (the visible maximum, or the locked top). */
  readonly topUsd: number;
  /** Cells below `threshold * topUsd` are drawn as the background. */
  readonly threshold: number;
  readonly scaling: typeof HEAT_SCALING;
}

const THEMES: Record<'dark' | 'light', Theme> = {
  dark: { background: [14, 17, 23], empty: [14, 17, 23], text: [201, 209, 217], muted: [139, 148, 158], axis: [72, 79, 88] },
  // The plot stays dark in the light theme too: the top colours (yellow) would vanish on white.
  light: { background: [255, 255, 255], empty: [22, 27, 34], text: [36, 41, 47], muted: [87, 96, 106], axis: [175, 184, 193] },
};

const MIN_AXES_WIDTH = 200;
const MIN_AXES_HEIGHT = 100;

/**
 * Renders the heatmap with candles into an RGBA buffer.
 * `candles[i]` belongs to heatmap column i (pass [] for none); its length must match otherwise.
 * @example
 * const { width, height, data } = renderHeatmapRgba(result.heatmap, lastBars, { width: 1200, height: 600 });
 */
export function renderHeatmapRgba(heatmap: Heatmap, candles: readonly Candle[], options: HeatmapRasterOptions): HeatmapRaster {
  const steps = renderHeatmapSteps(heatmap, candles, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Pixel rows of heat drawn per step of {@link renderHeatmapSteps}. */
const HEAT_ROWS_PER_STEP = 16;
/** Reduced cells turned into colour levels per step of {@link renderHeatmapSteps}. */
const LEVELS_PER_STEP = 8_192;
/** Pixel columns reduced per step of {@link renderHeatmapSteps}. */
const REDUCED_COLUMNS_PER_STEP = 16;

/**
 * {@link renderHeatmapRgba} in steps of a fraction of a millisecond each (the background, columns of the
 * reduction, bands of heat rows, the candles, each axis and the legend), so a caller on a busy
 * page can run a few per task; the result, returned when the steps are done, is the same raster.
 * @example
 * const steps = renderHeatmapSteps(heatmap, candles, { width: 340, height: 220 });
 * let step = steps.next();
 * while (!step.done) step = steps.next(); // or a few steps per task
 * const raster = step.value;
 */
export function* renderHeatmapSteps(heatmap: Heatmap, candles: readonly Candle[], options: HeatmapRasterOptions): Generator<void, HeatmapRaster, void> {
  const width = Math.floor(options.width);
  const height = Math.floor(options.height);
  if (!(width >= 1 && height >= 1 && width <= 16_384 && height <= 16_384)) {
    throw new RangeError(`raster size must be 1..16384 pixels each way, got ${options.width} x ${options.height}`);
  }
  if (candles.length !== 0 && candles.length !== heatmap.columns) {
    throw new RangeError(`candles (${candles.length}) must align with the heatmap columns (${heatmap.columns})`);
  }
  const theme = THEMES[options.theme ?? 'dark'];
  const image: RgbaImage = { width, height, data: new Uint8ClampedArray(width * height * 4) };
  fillRect(image, 0, 0, width, height, theme.background);

  const priceLow = heatmap.rows > 0 ? heatmap.priceEdges[0]! : 0;
  const priceHigh = heatmap.rows > 0 ? heatmap.priceEdges[heatmap.rows]! : 1;
  const axes = (options.axes ?? true) && width >= MIN_AXES_WIDTH && height >= MIN_AXES_HEIGHT;
  const scale = axes && (height >= 900 || width >= 1800) ? 2 : 1;
  const priceTicks = axes ? makePriceTicks(priceLow, priceHigh, height, scale) : undefined;
  const plot = layout(width, height, axes, scale, priceTicks);
  yield;

  const levels = new Uint16Array(plot.width * heatmap.rows);
  let visibleMax = 0;
  if (options.levels) {
    for (let from = 0; from < plot.width; from += REDUCED_COLUMNS_PER_STEP) {
      reduceLevelColumns(heatmap, options.levels.intensity, plot.width, levels, from, Math.min(plot.width, from + REDUCED_COLUMNS_PER_STEP));
      yield;
    }
    // The value of level 255 as the cells would hold it (float32), so legend labels match.
    if (levels.some((level) => level > 0)) visibleMax = Math.fround(options.levels.maxValue);
  } else {
    const reduced = new Float32Array(levels.length);
    for (let from = 0; from < plot.width; from += REDUCED_COLUMNS_PER_STEP) {
      reduceColumns(heatmap, plot.width, reduced, from, Math.min(plot.width, from + REDUCED_COLUMNS_PER_STEP));
      yield;
    }
    for (let i = 0; i < reduced.length; i++) if (reduced[i]! > visibleMax) visibleMax = reduced[i]!;
    for (let from = 0; from < levels.length; from += LEVELS_PER_STEP) {
      toLevels(reduced, visibleMax, levels, from, Math.min(levels.length, from + LEVELS_PER_STEP));
      yield;
    }
  }
  const threshold = clampThreshold(options.scale?.threshold ?? DEFAULT_THRESHOLD);
  const locked = options.scale?.topUsd;
  const topUsd = locked !== undefined && locked > 0 && Number.isFinite(locked) ? locked : visibleMax;
  const bands = pixelRowBins(plot, heatmap);
  const palette = heatPalette(theme.empty, threshold, topUsd > 0 ? visibleMax / topUsd : 0);
  for (let from = 0; from < plot.height; from += HEAT_ROWS_PER_STEP) {
    drawHeat(image, plot, heatmap.rows, levels, bands, palette, theme, from, Math.min(plot.height, from + HEAT_ROWS_PER_STEP));
    yield;
  }
  if (candles.length > 0) {
    drawCandles(image, plot, candles, priceLow, priceHigh);
    yield;
  }

  if (axes && priceTicks) {
    drawPriceAxis(image, plot, priceTicks, priceLow, priceHigh, candles.at(-1), theme, scale);
    yield;
    drawTimeAxis(image, plot, heatmap.timestamps, theme, scale);
    yield;
    drawLegend(image, plot, visibleMax > 0 ? topUsd : 0, threshold, theme, scale);
  }
  return { ...image, plot, visibleMax, topUsd, threshold, scaling: HEAT_SCALING };
}

function layout(width: number, height: number, axes: boolean, scale: number, ticks: PriceTicks | undefined): Rect {
  if (!axes || !ticks) return { x: 0, y: 0, width, height };
  const tick = 3 * scale;
  const priceAxis = tick + 3 * scale + ticks.labelWidth + 4 * scale;
  const legend = 8 * scale + 10 * scale + 4 * scale + legendLabelWidth(scale) + 4 * scale;
  const top = 6 * scale;
  const bottom = tick + 3 * scale + GLYPH_HEIGHT * scale + 4 * scale;
  return { x: 0, y: top, width: Math.max(1, width - priceAxis - legend), height: Math.max(1, height - top - bottom) };
}

/**
 * Max over the heatmap columns that fall into each pixel column, so no hot cell is lost when
 * 8,640 columns share 1,000 pixels; pixel columns `fromX` (inclusive) to `toX` (exclusive) of
 * `reduced`, laid out by price row as `reduced[row * plotWidth + x]`, so drawing a pixel row
 * reads memory in order.
 */
function reduceColumns(heatmap: Heatmap, plotWidth: number, reduced: Float32Array, fromX: number, toX: number): void {
  const { columns, rows, cells } = heatmap;
  if (columns === 0 || rows === 0) return;
  for (let x = fromX; x < toX; x++) {
    for (let c = firstColumnOf(x, columns, plotWidth), end = endColumnOf(x, columns, plotWidth); c < end; c++) {
      const base = c * rows;
      const factor = columnFactor(heatmap, c);
      for (let r = 0, out = x; r < rows; r++, out += plotWidth) {
        const value = cells[base + r]! * factor;
        if (value > reduced[out]!) reduced[out] = value;
      }
    }
  }
}

/** The first heatmap column drawn in pixel column `x` of a plot `plotWidth` wide. */
function firstColumnOf(x: number, columns: number, plotWidth: number): number {
  return Math.floor((x * columns) / plotWidth);
}

/** One past the last heatmap column drawn in pixel column `x`: each pixel column draws at least one. */
function endColumnOf(x: number, columns: number, plotWidth: number): number {
  return Math.max(firstColumnOf(x, columns, plotWidth) + 1, Math.floor(((x + 1) * columns) / plotWidth));
}

/** Index of the price bin holding `price` (edges ascending), clamped to 0..rows-1. */
function binOf(edges: Float64Array, rows: number, price: number): number {
  let lo = 0;
  let hi = rows - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (edges[mid]! <= price) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * {@link reduceColumns} over colour levels given per cell (see {@link HeatLevels}), into the
 * levels {@link toLevels} would give: the level is monotone in the value, so the largest level of
 * the columns sharing a pixel is the level of their largest value.
 */
function reduceLevelColumns(heatmap: Heatmap, intensity: ArrayLike<number>, plotWidth: number, levels: Uint16Array, fromX: number, toX: number): void {
  const { columns, rows } = heatmap;
  if (columns === 0 || rows === 0) return;
  for (let x = fromX; x < toX; x++) {
    for (let c = firstColumnOf(x, columns, plotWidth), end = endColumnOf(x, columns, plotWidth); c < end; c++) {
      const base = c * rows;
      for (let r = 0, out = x; r < rows; r++, out += plotWidth) {
        const level = Math.round(Math.min(LUT_SIZE - 1, intensity[base + r]!));
        if (level > 0 && level + 1 > levels[out]!) levels[out] = level + 1;
      }
    }
  }
}

/**
 * Colour levels of reduced cells `from` to `to`: 0 for an empty cell, 1 + {@link heatLevel} else.
 * The level is monotone in the value, so the brightest of several cells sharing a pixel is the
 * largest level, and each cell's square root is taken once instead of once per pixel.
 */
function toLevels(reduced: Float32Array, max: number, levels: Uint16Array, from: number, to: number): void {
  if (!(max > 0)) return;
  for (let i = from; i < to; i++) levels[i] = heatLevel(reduced[i]!, max) + 1;
}

/** For each plot pixel row, the first and last price bins it touches: `bins[2 * py]`, `bins[2 * py + 1]`. */
function pixelRowBins(plot: Rect, heatmap: Heatmap): Int32Array {
  const { rows, priceEdges } = heatmap;
  const bins = new Int32Array(2 * plot.height);
  if (rows === 0) return bins;
  const low = priceEdges[0]!;
  const span = priceEdges[rows]! - low;
  for (let py = 0; py < plot.height; py++) {
    // Pixel row py covers prices [top - (py + 1) * step, top - py * step]: every bin it touches.
    const priceTop = low + (span * (plot.height - py)) / plot.height;
    const priceBottom = low + (span * (plot.height - py - 1)) / plot.height;
    const r0 = binOf(priceEdges, rows, priceBottom);
    let r1 = binOf(priceEdges, rows, priceTop);
    if (r1 > r0 && priceEdges[r1]! >= priceTop) r1--;
    bins[2 * py] = r0;
    bins[2 * py + 1] = r1;
  }
  return bins;
}

/** True when the platform stores the low byte of a 32-bit integer first (every browser's CPU today). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** RGBA packed as one 32-bit word in the platform's byte order, for a `Uint32Array` view of the pixels. */
function packRgba(r: number, g: number, b: number): number {
  return (LITTLE_ENDIAN ? (255 << 24) | (b << 16) | (g << 8) | r : (r << 24) | (g << 16) | (b << 8) | 255) >>> 0;
}

/**
 * Packed colours by level as {@link toLevels} gives them: index 0 the empty colour, 1 + i the
 * colour of square-root level i, whose value is (i / 255)^2 of the visible maximum, that is
 * `(i / 255)^2 * ratio` of the scale's top. 257 entries per raster: the threshold and the locked
 * top cost nothing per pixel.
 */
function heatPalette(empty: Rgb, threshold: number, ratio: number): Uint32Array {
  const palette = new Uint32Array(LUT_SIZE + 1);
  const background = packRgba(empty[0], empty[1], empty[2]);
  palette[0] = background;
  for (let i = 0; i < LUT_SIZE; i++) {
    const level = i / (LUT_SIZE - 1);
    const c = colourIndex(level * level * ratio, threshold);
    palette[i + 1] = c < 0 ? background : packRgba(CIVIDIS_LUT[3 * c]!, CIVIDIS_LUT[3 * c + 1]!, CIVIDIS_LUT[3 * c + 2]!);
  }
  return palette;
}

/**
 * The heat of plot rows `fromRow` (inclusive) to `toRow` (exclusive), one 32-bit store per pixel;
 * a row that touches the same bins as the row above is a copy of it.
 */
function drawHeat(image: RgbaImage, plot: Rect, rows: number, levels: Uint16Array, bins: Int32Array, palette: Uint32Array, theme: Theme, fromRow: number, toRow: number): void {
  if (rows === 0) {
    fillRect(image, plot.x, plot.y + fromRow, plot.width, toRow - fromRow, theme.empty);
    return;
  }
  const { data } = image;
  const pixels = new Uint32Array(data.buffer, data.byteOffset, data.length >> 2);
  const width = plot.width;
  for (let py = fromRow; py < toRow; py++) {
    const r0 = bins[2 * py]!;
    const r1 = bins[2 * py + 1]!;
    const start = (plot.y + py) * image.width + plot.x;
    if (py > 0 && r0 === bins[2 * py - 2] && r1 === bins[2 * py - 1]) {
      pixels.copyWithin(start, start - image.width, start - image.width + width);
      continue;
    }
    for (let x = 0; x < width; x++) {
      let level = levels[r0 * width + x]!;
      for (let r = r0 + 1, at = r * width + x; r <= r1; r++, at += width) if (levels[at]! > level) level = levels[at]!;
      pixels[start + x] = palette[level]!;
    }
  }
}
