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
 */
import { columnFactor } from '../engine/heatmap-cells';
import type { Heatmap } from '../engine/types';
import { drawText, fillRect, GLYPH_HEIGHT, measureText, type Rgb, type RgbaImage } from './bitmap-font';
import { CIVIDIS_LUT, clampThreshold, colourIndex, DEFAULT_THRESHOLD, HEAT_SCALING, type HeatScale, heatLevel, legendShare, LUT_SIZE } from './color-scale';

export type { HeatScale };

export interface Candle {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

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

interface Theme {
  readonly background: Rgb;
  /** Plot cells with no estimated notional. */
  readonly empty: Rgb;
  readonly text: Rgb;
  readonly muted: Rgb;
  readonly axis: Rgb;
}

const THEMES: Record<'dark' | 'light', Theme> = {
  dark: { background: [14, 17, 23], empty: [14, 17, 23], text: [201, 209, 217], muted: [139, 148, 158], axis: [72, 79, 88] },
  // The plot stays dark in the light theme too: the top colours (yellow) would vanish on white.
  light: { background: [255, 255, 255], empty: [22, 27, 34], text: [36, 41, 47], muted: [87, 96, 106], axis: [175, 184, 193] },
};

/** Candle colours (the usual exchange teal-green / red); outlines keep them readable on the heat. */
export const CANDLE_UP: Rgb = [38, 166, 154];
export const CANDLE_DOWN: Rgb = [239, 83, 80];
const CANDLE_OUTLINE: Rgb = [8, 10, 14];
/** A candle gets at least this many pixels; narrower columns are merged into one candle. */
const MIN_CANDLE_PX = 4;

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

interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

interface PriceTicks {
  readonly values: readonly number[];
  readonly labels: readonly string[];
  readonly decimals: number;
  readonly labelWidth: number;
}

/** Legend labels are at most this wide ("$999.9k" is 7 glyphs). */
function legendLabelWidth(scale: number): number {
  return measureText('$888.8M', scale);
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

function priceToY(plot: Rect, low: number, high: number, price: number): number {
  return plot.y + ((high - price) / (high - low)) * plot.height;
}

/**
 * Candles over the heat. Columns narrower than {@link MIN_CANDLE_PX} are merged (open of the
 * first, close of the last, extreme high and low). All dark outlines are drawn before any
 * colour, so a neighbour's outline never covers a body.
 */
function drawCandles(image: RgbaImage, plot: Rect, candles: readonly Candle[], low: number, high: number): void {
  if (!(high > low)) return;
  const n = candles.length;
  const group = Math.max(1, Math.ceil((MIN_CANDLE_PX * n) / plot.width));
  const shapes: { x0: number; x1: number; wick: number; top: number; bottom: number; bodyTop: number; bodyBottom: number; up: boolean }[] = [];
  for (let first = 0; first < n; first += group) {
    const last = Math.min(n, first + group) - 1;
    let hi = -Infinity;
    let lo = Infinity;
    for (let i = first; i <= last; i++) {
      hi = Math.max(hi, candles[i]!.high);
      lo = Math.min(lo, candles[i]!.low);
    }
    const open = candles[first]!.open;
    const close = candles[last]!.close;
    const left = plot.x + (first * plot.width) / n;
    const right = plot.x + ((last + 1) * plot.width) / n;
    const slot = right - left;
    const bodyWidth = Math.max(1, Math.floor(slot * 0.7));
    const wick = Math.floor((left + right) / 2);
    const x0 = Math.round(wick + 0.5 - bodyWidth / 2);
    const yHigh = Math.floor(priceToY(plot, low, high, hi));
    const yLow = Math.floor(priceToY(plot, low, high, lo));
    const bodyTop = Math.floor(priceToY(plot, low, high, Math.max(open, close)));
    const bodyBottom = Math.max(bodyTop, Math.floor(priceToY(plot, low, high, Math.min(open, close))));
    shapes.push({ x0, x1: x0 + bodyWidth, wick, top: yHigh, bottom: Math.max(yHigh, yLow), bodyTop, bodyBottom, up: close >= open });
  }
  const clip = (image: RgbaImage, x: number, y: number, w: number, h: number, color: Rgb): void => {
    const cx0 = Math.max(x, plot.x);
    const cy0 = Math.max(y, plot.y);
    const cx1 = Math.min(x + w, plot.x + plot.width);
    const cy1 = Math.min(y + h, plot.y + plot.height);
    if (cx1 > cx0 && cy1 > cy0) fillRect(image, cx0, cy0, cx1 - cx0, cy1 - cy0, color);
  };
  const outline = shapes.length > 0 && shapes[0]!.x1 - shapes[0]!.x0 >= 2;
  if (outline) {
    for (const s of shapes) {
      clip(image, s.wick - 1, s.top - 1, 3, s.bottom - s.top + 3, CANDLE_OUTLINE);
      clip(image, s.x0 - 1, s.bodyTop - 1, s.x1 - s.x0 + 2, s.bodyBottom - s.bodyTop + 3, CANDLE_OUTLINE);
    }
  }
  for (const s of shapes) {
    const color = s.up ? CANDLE_UP : CANDLE_DOWN;
    clip(image, s.wick, s.top, 1, s.bottom - s.top + 1, color);
    clip(image, s.x0, s.bodyTop, s.x1 - s.x0, s.bodyBottom - s.bodyTop + 1, color);
  }
}

/** A "nice" step (1, 2, 2.5 or 5 x 10^k) at least `raw`. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= raw * (1 - 1e-9)) return m * power;
  return 10 * power;
}

function makePriceTicks(low: number, high: number, height: number, scale: number): PriceTicks {
  const plotHeight = Math.max(1, height - 30 * scale);
  const count = Math.max(2, Math.floor(plotHeight / (GLYPH_HEIGHT * scale * 5)));
  if (!(high > low) || !Number.isFinite(high - low)) return { values: [], labels: [], decimals: 0, labelWidth: measureText('0', scale) };
  const step = niceStep((high - low) / count);
  const exponent = Math.floor(Math.log10(step) + 1e-9);
  const halfStep = Math.abs(step / 10 ** exponent - 2.5) < 1e-9; // 2.5 x 10^k needs one more decimal
  const decimals = Math.max(0, -exponent + (halfStep ? 1 : 0));
  const values: number[] = [];
  const labels: string[] = [];
  for (let k = Math.ceil(low / step - 1e-9); k * step <= high + step * 1e-9; k++) {
    const value = k * step;
    values.push(value);
    labels.push(formatPrice(value, decimals));
  }
  let labelWidth = 0;
  for (const label of [...labels, formatPrice(high, decimals + 1)]) labelWidth = Math.max(labelWidth, measureText(label, scale));
  return { values, labels, decimals, labelWidth };
}

/**
 * A price with thousands separators and a fixed number of decimals.
 * @example formatPrice(64250, 0) // '64,250'
 * @example formatPrice(0.12345, 3) // '0.123'
 */
export function formatPrice(value: number, decimals: number): string {
  const fixed = Math.abs(value).toFixed(Math.min(20, Math.max(0, decimals)));
  const [whole, fraction] = fixed.split('.');
  let grouped = '';
  for (let i = 0; i < whole!.length; i++) {
    if (i > 0 && (whole!.length - i) % 3 === 0) grouped += ',';
    grouped += whole![i];
  }
  const sign = value < 0 && Number(fixed) !== 0 ? '-' : '';
  return sign + grouped + (fraction ? `.${fraction}` : '');
}

/**
 * USD with a k / M / B suffix and 3 significant digits.
 * @example formatUsd(12_345_678) // '$12.3M'
 * @example formatUsd(0) // '$0'
 */
export function formatUsd(value: number): string {
  const abs = Math.abs(value);
  const sign = value < 0 ? '-' : '';
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (abs >= size * 0.9995) {
      const scaled = abs / size;
      const digits = scaled >= 99.95 ? 0 : scaled >= 9.995 ? 1 : 2;
      return `${sign}$${trimZeros(scaled.toFixed(digits))}${suffix}`;
    }
  }
  return `${sign}$${trimZeros(abs >= 100 ? abs.toFixed(0) : abs.toFixed(abs >= 10 ? 1 : 2))}`;
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

function drawPriceAxis(
  image: RgbaImage,
  plot: Rect,
  ticks: PriceTicks,
  low: number,
  high: number,
  last: Candle | undefined,
  theme: Theme,
  scale: number,
): void {
  const axisX = plot.x + plot.width;
  fillRect(image, axisX, plot.y, 1, plot.height, theme.axis);
  const textHeight = GLYPH_HEIGHT * scale;
  const tick = 3 * scale;
  let lastY: number | undefined;
  let lastLabel = '';
  if (last && last.close >= low && last.close <= high) {
    lastY = Math.round(priceToY(plot, low, high, last.close));
    lastLabel = formatPrice(last.close, ticks.decimals + 1);
  }
  for (let i = 0; i < ticks.values.length; i++) {
    const y = Math.round(priceToY(plot, low, high, ticks.values[i]!));
    if (y < plot.y || y >= plot.y + plot.height) continue;
    fillRect(image, axisX + 1, y, tick, 1, theme.axis);
    if (lastY !== undefined && Math.abs(y - lastY) < textHeight + 3 * scale) continue;
    const labelY = Math.min(Math.max(y - Math.floor(textHeight / 2), 0), image.height - textHeight);
    drawText(image, axisX + 1 + tick + 3 * scale, labelY, ticks.labels[i]!, theme.text, scale);
  }
  if (lastY !== undefined && last) {
    const color = last.close >= last.open ? CANDLE_UP : CANDLE_DOWN;
    // Dotted line at the last close across the plot, and a filled price tag on the axis.
    for (let x = plot.x; x < plot.x + plot.width; x += 4 * scale) fillRect(image, x, lastY, 2 * scale, 1, color);
    const tagWidth = measureText(lastLabel, scale) + 4 * scale;
    const tagTop = Math.min(Math.max(lastY - Math.floor(textHeight / 2) - 2 * scale, 0), image.height - textHeight - 4 * scale);
    fillRect(image, axisX + 1, tagTop, tick + 2 * scale + tagWidth, textHeight + 4 * scale, color);
    drawText(image, axisX + 1 + tick + 3 * scale, tagTop + 2 * scale, lastLabel, [255, 255, 255], scale);
  }
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TIME_STEPS = [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 4 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 3 * DAY, 7 * DAY, 14 * DAY, 30 * DAY];

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** UTC labels: `MM-DD` at midnight (or for day steps), `HH:MM` otherwise. */
function timeLabel(timestamp: number, step: number): string {
  const date = new Date(timestamp);
  if (step >= DAY || timestamp % DAY === 0) return `${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}`;
  return `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}`;
}

function drawTimeAxis(image: RgbaImage, plot: Rect, timestamps: Float64Array, theme: Theme, scale: number): void {
  const n = timestamps.length;
  const axisY = plot.y + plot.height;
  fillRect(image, plot.x, axisY, plot.width + 1, 1, theme.axis);
  if (n === 0) return;
  const first = timestamps[0]!;
  const lastTime = timestamps[n - 1]!;
  let timeframe = Infinity;
  for (let i = 1; i < n; i++) timeframe = Math.min(timeframe, timestamps[i]! - timestamps[i - 1]!);
  if (!(timeframe > 0 && Number.isFinite(timeframe))) timeframe = MINUTE;
  const columnWidth = plot.width / n;
  const labelWidth = measureText('00-00', scale) + 12 * scale;
  // Columns per step are the step over the timeframe (gaps make it approximate, which is fine).
  const step = TIME_STEPS.find((s) => (s / timeframe) * columnWidth >= labelWidth && s >= timeframe) ?? TIME_STEPS.at(-1)!;
  const tick = 3 * scale;
  let column = 0;
  let previousRight = -Infinity;
  for (let t = Math.ceil(first / step) * step; t <= lastTime; t += step) {
    while (column < n && timestamps[column]! < t) column++;
    if (column >= n) break;
    if (timestamps[column]! - t >= timeframe) continue;
    const x = Math.floor(plot.x + (column + 0.5) * columnWidth);
    fillRect(image, x, axisY + 1, 1, tick, theme.axis);
    const label = timeLabel(t, step);
    const width = measureText(label, scale);
    const left = Math.min(Math.max(x - Math.floor(width / 2), plot.x), plot.x + plot.width - width);
    if (left < previousRight + 4 * scale) continue;
    drawText(image, left, axisY + 1 + tick + 3 * scale, label, t % DAY === 0 ? theme.text : theme.muted, scale);
    previousRight = left + width;
  }
}

/**
 * Vertical colour bar right of the price axis, from the threshold (bottom: cells below it are the
 * background) to the top of the scale, labelled in USD at one price level of the chart.
 */
function drawLegend(image: RgbaImage, plot: Rect, max: number, threshold: number, theme: Theme, scale: number): void {
  const barWidth = 10 * scale;
  const x = image.width - (4 * scale + legendLabelWidth(scale) + 4 * scale + barWidth);
  const top = plot.y;
  const height = plot.height;
  fillRect(image, x - 1, top - 1, barWidth + 2, height + 2, theme.axis);
  for (let py = 0; py < height; py++) {
    const level = height === 1 ? 255 : Math.round((255 * (height - 1 - py)) / (height - 1));
    fillRect(image, x, top + py, barWidth, 1, [CIVIDIS_LUT[3 * level]!, CIVIDIS_LUT[3 * level + 1]!, CIVIDIS_LUT[3 * level + 2]!]);
  }
  const textHeight = GLYPH_HEIGHT * scale;
  const labelX = x + barWidth + 4 * scale;
  const labels: [number, string][] = [
    [top, formatUsd(max)],
    [top + Math.round(height / 2), formatUsd(legendShare(0.5, threshold) * max)],
    [top + height - 1, formatUsd(threshold * max)],
  ];
  for (const [y, text] of labels) {
    const labelY = Math.min(Math.max(y - Math.floor(textHeight / 2), 0), image.height - textHeight);
    drawText(image, labelX, labelY, text, theme.text, scale);
  }
}
