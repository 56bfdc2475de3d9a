/**
 * Candles over the heatmap's plot, and the plot's price-to-pixel mapping they share with the price
 * axis (heatmap-axes.ts). Pure code over typed arrays, like the rest of the raster.
 */
import { fillRect, type Rgb, type RgbaImage } from './bitmap-font';

/** The price bar of one heatmap column. */
export interface Candle {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/** Candle colours (the usual exchange teal-green / red); outlines keep them readable on the heat. */
export const CANDLE_UP: Rgb = [38, 166, 154];
export const CANDLE_DOWN: Rgb = [239, 83, 80];
const CANDLE_OUTLINE: Rgb = [8, 10, 14];
/** A candle gets at least this many pixels; narrower columns are merged into one candle. */
const MIN_CANDLE_PX = 4;

/** Where the plot lies inside the image, in pixels. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Pixel row (fractional) of `price` on the plot, `high` at its top and `low` at its bottom. */
export function priceToY(plot: Rect, low: number, high: number, price: number): number {
  return plot.y + ((high - price) / (high - low)) * plot.height;
}

/**
 * Candles over the heat. Columns narrower than {@link MIN_CANDLE_PX} are merged (open of the
 * first, close of the last, extreme high and low). All dark outlines are drawn before any
 * colour, so a neighbour's outline never covers a body.
 */
export function drawCandles(image: RgbaImage, plot: Rect, candles: readonly Candle[], low: number, high: number): void {
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
