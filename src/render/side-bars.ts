/**
 * The latest liquidation map as horizontal side bars beside the heatmap: long liquidations below
 * the price, short liquidations above, each bar's length relative to the largest bin in view, and
 * the cumulative notional from the price outwards as a curve. Shares the heatmap's vertical price
 * mapping (`plot.y`, `plot.height`, `priceLow..priceHigh`), so a bar sits level with the heat row
 * of the same price. Pure code over typed arrays, like the heatmap raster.
 *
 * Colours: blue for longs, orange for shorts, the one pair of side-colors.ts; the curves are drawn
 * in the text colour.
 */
import { fillRect, type Rgb, type RgbaImage } from './bitmap-font';
import { LONG_RGB, SHORT_RGB } from './side-colors';

/** The map as the panel receives it: evenly spaced bins from `priceLow` to `priceHigh`. */
export interface SideMap {
  readonly priceLow: number;
  readonly priceHigh: number;
  readonly long: readonly number[];
  readonly short: readonly number[];
}

export interface SideBarsOptions {
  readonly width: number;
  readonly height: number;
  /** Vertical extent of the heatmap plot in this image's pixels. */
  readonly plotY: number;
  readonly plotHeight: number;
  /** Price range of the heatmap's vertical axis (bottom, top). */
  readonly priceLow: number;
  readonly priceHigh: number;
  /** The current price: longs below it, shorts above. */
  readonly price: number;
  readonly theme?: 'dark' | 'light';
}

/** The side colours of side-colors.ts, under the names the renderers' callers know. */
export const LONG_COLOR: Rgb = LONG_RGB;
export const SHORT_COLOR: Rgb = SHORT_RGB;

const THEME: Record<'dark' | 'light', { background: Rgb; curve: Rgb; axis: Rgb }> = {
  dark: { background: [14, 17, 23], curve: [230, 237, 243], axis: [72, 79, 88] },
  light: { background: [255, 255, 255], curve: [36, 41, 47], axis: [175, 184, 193] },
};

export interface SideBarsRaster extends RgbaImage {
  /** Largest per-pixel-row notional drawn (USD): a full-width bar. */
  readonly barMax: number;
  /** Cumulative notional at the top and bottom edge of the plot (USD): shorts above, longs below. */
  readonly cumulativeShort: number;
  readonly cumulativeLong: number;
}

/**
 * Renders the side bars with cumulative curves.
 * @example renderSideBarsRgba(view.latestMap, { width: 72, height: 220, plotY: 6, plotHeight: 196, priceLow, priceHigh, price })
 */
export function renderSideBarsRgba(map: SideMap, options: SideBarsOptions): SideBarsRaster {
  const width = Math.floor(options.width);
  const height = Math.floor(options.height);
  if (!(width >= 1 && height >= 1 && width <= 4096 && height <= 16_384)) {
    throw new RangeError(`side bars size must be 1..4096 x 1..16384 pixels, got ${options.width} x ${options.height}`);
  }
  const theme = THEME[options.theme ?? 'dark'];
  const image: RgbaImage = { width, height, data: new Uint8ClampedArray(width * height * 4) };
  fillRect(image, 0, 0, width, height, theme.background);
  const top = Math.max(0, Math.floor(options.plotY));
  const rowsInPlot = Math.max(0, Math.min(height - top, Math.floor(options.plotHeight)));
  const { priceLow, priceHigh, price } = options;
  const bins = Math.min(map.long.length, map.short.length);
  const binWidth = bins > 0 ? (map.priceHigh - map.priceLow) / bins : 0;
  if (rowsInPlot === 0 || !(priceHigh > priceLow) || !(binWidth > 0)) return { ...image, barMax: 0, cumulativeShort: 0, cumulativeLong: 0 };

  // Notional per pixel row: the map's bins split by overlap onto the rows' price ranges.
  const longRow = new Float64Array(rowsInPlot);
  const shortRow = new Float64Array(rowsInPlot);
  const span = (priceHigh - priceLow) / rowsInPlot;
  for (let py = 0; py < rowsInPlot; py++) {
    const rowHigh = priceHigh - py * span;
    const rowLow = rowHigh - span;
    const b0 = Math.max(0, Math.floor((rowLow - map.priceLow) / binWidth));
    const b1 = Math.min(bins - 1, Math.floor((rowHigh - map.priceLow) / binWidth));
    for (let b = b0; b <= b1; b++) {
      const a = map.priceLow + b * binWidth;
      const overlap = Math.min(rowHigh, a + binWidth) - Math.max(rowLow, a);
      if (overlap <= 0) continue;
      const share = overlap / binWidth;
      longRow[py]! += (map.long[b] ?? 0) * share;
      shortRow[py]! += (map.short[b] ?? 0) * share;
    }
  }
  // Longs sit below the price and shorts above; a row straddling the price keeps both.
  const priceRow = (priceHigh - price) / span;
  let barMax = 0;
  for (let py = 0; py < rowsInPlot; py++) {
    if (py + 1 <= priceRow) longRow[py] = 0;
    if (py >= priceRow) shortRow[py] = 0;
    barMax = Math.max(barMax, longRow[py]!, shortRow[py]!);
  }

  // Cumulative from the price outwards: shorts upwards (rows above), longs downwards.
  const cumShort = new Float64Array(rowsInPlot);
  const cumLong = new Float64Array(rowsInPlot);
  let sum = 0;
  for (let py = rowsInPlot - 1; py >= 0; py--) cumShort[py] = sum += shortRow[py]!;
  sum = 0;
  for (let py = 0; py < rowsInPlot; py++) cumLong[py] = sum += longRow[py]!;
  const cumulativeShort = cumShort[0]!;
  const cumulativeLong = cumLong[rowsInPlot - 1]!;
  const cumMax = Math.max(cumulativeShort, cumulativeLong);

  fillRect(image, 0, top, 1, rowsInPlot, theme.axis);
  const room = width - 2;
  for (let py = 0; py < rowsInPlot; py++) {
    const long = longRow[py]!;
    const short = shortRow[py]!;
    const value = Math.max(long, short);
    if (barMax > 0 && value > 0) {
      const length = Math.max(1, Math.round((value / barMax) * room));
      fillRect(image, 1, top + py, length, 1, short >= long ? SHORT_COLOR : LONG_COLOR);
    }
  }
  if (cumMax > 0) {
    // The curve as connected 1-pixel steps: each row's x joined to the previous row's x.
    let previous: number | undefined;
    for (let py = 0; py < rowsInPlot; py++) {
      const value = py < priceRow ? cumShort[py]! : cumLong[py]!;
      const x = 1 + Math.min(room - 1, Math.round((value / cumMax) * (room - 1)));
      const from = previous === undefined ? x : Math.min(previous, x);
      const to = previous === undefined ? x : Math.max(previous, x);
      fillRect(image, from, top + py, to - from + 1, 1, theme.curve);
      previous = x;
    }
  }
  return { ...image, barMax, cumulativeShort, cumulativeLong };
}
