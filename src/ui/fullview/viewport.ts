/**
 * The full view's window onto the heatmap: which time and price ranges the plot shows, and how
 * wheel zoom and drag pan move it. Pure numbers, no DOM: the canvas code maps it to pixels.
 */

/** A time range (ms since epoch) and a price range. */
export interface Window {
  readonly t0: number;
  readonly t1: number;
  readonly p0: number;
  readonly p1: number;
}

/** Where the plot lies on the canvas, CSS pixels. */
export interface PlotRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The smallest span shown, as a share of the whole (64x zoom at most). */
export const MIN_SPAN_SHARE = 1 / 64;

/**
 * `view` kept inside `domain`: each span at most the domain's and at least {@link MIN_SPAN_SHARE}
 * of it, then slid (not shrunk) back inside.
 * @example clampWindow({ t0: -5, t1: 5, p0: 0, p1: 1 }, { t0: 0, t1: 100, p0: 0, p1: 1 }) // { t0: 0, t1: 10, ... }
 */
export function clampWindow(view: Window, domain: Window): Window {
  const [t0, t1] = clampRange(view.t0, view.t1, domain.t0, domain.t1);
  const [p0, p1] = clampRange(view.p0, view.p1, domain.p0, domain.p1);
  return { t0, t1, p0, p1 };
}

function clampRange(a: number, b: number, lo: number, hi: number): [number, number] {
  const full = hi - lo;
  if (!(full > 0)) return [lo, hi];
  const span = Math.min(full, Math.max(full * MIN_SPAN_SHARE, b - a));
  const centre = (a + b) / 2;
  let start = centre - span / 2;
  if (start < lo) start = lo;
  if (start + span > hi) start = hi - span;
  return [start, start + span];
}

/** Which axes a wheel turn zooms. */
export type ZoomAxes = 'both' | 'time' | 'price';

/**
 * Zooms by `factor` (below 1 zooms in) around the point at (`x`, `y`) of `plot`, which stays
 * under the pointer.
 * @example zoomAt(view, domain, plot, 300, 200, 0.8, 'both')
 */
export function zoomAt(view: Window, domain: Window, plot: PlotRect, x: number, y: number, factor: number, axes: ZoomAxes = 'both'): Window {
  const fx = Math.min(1, Math.max(0, (x - plot.x) / plot.width));
  const fy = Math.min(1, Math.max(0, (y - plot.y) / plot.height));
  const t = view.t0 + fx * (view.t1 - view.t0);
  // Price grows upwards: the top row is p1.
  const p = view.p1 - fy * (view.p1 - view.p0);
  const next: Window = {
    t0: axes === 'price' ? view.t0 : t - (t - view.t0) * factor,
    t1: axes === 'price' ? view.t1 : t + (view.t1 - t) * factor,
    p0: axes === 'time' ? view.p0 : p - (p - view.p0) * factor,
    p1: axes === 'time' ? view.p1 : p + (view.p1 - p) * factor,
  };
  return clampWindow(next, domain);
}

/**
 * Moves the window with a drag of (`dx`, `dy`) CSS pixels: content follows the pointer.
 * @example panBy(view, domain, plot, 40, 0) // earlier times come into view from the left
 */
export function panBy(view: Window, domain: Window, plot: PlotRect, dx: number, dy: number): Window {
  const dt = (-dx / plot.width) * (view.t1 - view.t0);
  const dp = (dy / plot.height) * (view.p1 - view.p0);
  const t = slide(view.t0, view.t1, dt, domain.t0, domain.t1);
  const p = slide(view.p0, view.p1, dp, domain.p0, domain.p1);
  return { t0: t[0], t1: t[1], p0: p[0], p1: p[1] };
}

function slide(a: number, b: number, delta: number, lo: number, hi: number): [number, number] {
  const span = b - a;
  const start = Math.min(Math.max(a + delta, lo), Math.max(lo, hi - span));
  return [start, start + span];
}

/** The wheel's zoom factor for a `deltaY` (pixels or lines, as the browser reports it). */
export function wheelFactor(deltaY: number, deltaMode: number): number {
  const pixels = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.exp(Math.max(-400, Math.min(400, pixels)) * 0.0015);
}

/** The price at vertical pixel `y` of `plot`. */
export function priceAt(view: Window, plot: PlotRect, y: number): number {
  return view.p1 - ((y - plot.y) / plot.height) * (view.p1 - view.p0);
}

/** The time at horizontal pixel `x` of `plot`. */
export function timeAt(view: Window, plot: PlotRect, x: number): number {
  return view.t0 + ((x - plot.x) / plot.width) * (view.t1 - view.t0);
}

/** Vertical pixel of `price` in `plot`. */
export function yOf(view: Window, plot: PlotRect, price: number): number {
  return plot.y + ((view.p1 - price) / (view.p1 - view.p0)) * plot.height;
}

/** Horizontal pixel of `time` in `plot`. */
export function xOf(view: Window, plot: PlotRect, time: number): number {
  return plot.x + ((time - view.t0) / (view.t1 - view.t0)) * plot.width;
}

/**
 * Source rectangle, in a cached raster of `width` x `height` pixels covering the whole `domain`,
 * of what `view` shows: the arguments of `drawImage(raster, sx, sy, sw, sh, ...)`.
 * @example sourceRect(domain, domain, 1000, 500) // { sx: 0, sy: 0, sw: 1000, sh: 500 }
 */
export function sourceRect(view: Window, domain: Window, width: number, height: number): { sx: number; sy: number; sw: number; sh: number } {
  const tSpan = domain.t1 - domain.t0;
  const pSpan = domain.p1 - domain.p0;
  return {
    sx: ((view.t0 - domain.t0) / tSpan) * width,
    sy: ((domain.p1 - view.p1) / pSpan) * height,
    sw: ((view.t1 - view.t0) / tSpan) * width,
    sh: ((view.p1 - view.p0) / pSpan) * height,
  };
}

/**
 * About `count` round tick values between `lo` and `hi` (1, 2 or 5 times a power of ten apart).
 * @example niceTicks(61_900, 66_100, 5) // [62000, 63000, 64000, 65000, 66000]
 */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo) || count < 1) return [];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}
