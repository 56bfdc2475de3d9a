/**
 * One frame of the full view on a 2D canvas: the cached heat raster drawn through the current
 * window (one `drawImage` with a source rectangle: panning and zooming never recompute cells),
 * candles, the price line, the pools with their labels on the price axis, realized liquidations,
 * the axes, the latest map's bars and cumulative curves beside the plot on the same price scale
 * with a USD axis of their own, the real Hyperliquid levels as marks at the plot's right edge, and
 * the crosshair. Every part drawn per frame is bounded by what
 * is in view (visible candles, at most 200 map bins, the pools).
 */
import type { EstimateView } from '../../messaging/contract';
import { type Rgb } from '../../render/bitmap-font';
import { CANDLE_DOWN, CANDLE_UP } from '../../render/heatmap-candles';
import { markerSize } from '../../render/markers';
import { type LevelInput, realLevelMarks } from '../../render/real-levels';
import { LONG_COLOR, SHORT_COLOR } from '../../render/side-bars';
import { fmtPrice, formatUsd } from '../format';
import { paintRealLevelMarks } from '../panel/real-level-paint';
import { niceTicks, type PlotRect, sourceRect, type Window, xOf, yOf } from './viewport';

/** The heat raster of the whole heatmap, kept between frames. */
export interface HeatLayer {
  readonly image: CanvasImageSource;
  readonly width: number;
  readonly height: number;
}

export interface FrameLayout {
  readonly width: number;
  readonly height: number;
  readonly plot: PlotRect;
  /** The price axis with the pool labels, right of the plot. */
  readonly axis: PlotRect;
  /** The latest map's bars and cumulative curves, right of the axis (same rows as the plot). */
  readonly side: PlotRect;
}

/** Width of the price axis (ticks and pool labels) and of the latest map beside it, CSS pixels. */
export const AXIS_WIDTH = 168;
export const SIDE_WIDTH = 200;
const TOP = 8;
const BOTTOM = 26;

/**
 * Where the plot, the price axis and the latest map lie on a canvas of `width` x `height`.
 * @example frameLayout(1400, 800).plot // { x: 0, y: 8, width: 1032, height: 766 }
 */
export function frameLayout(width: number, height: number): FrameLayout {
  const plotWidth = Math.max(40, width - AXIS_WIDTH - SIDE_WIDTH);
  const plotHeight = Math.max(40, height - TOP - BOTTOM);
  return {
    width,
    height,
    plot: { x: 0, y: TOP, width: plotWidth, height: plotHeight },
    axis: { x: plotWidth, y: TOP, width: AXIS_WIDTH, height: plotHeight },
    side: { x: plotWidth + AXIS_WIDTH, y: TOP, width: Math.max(0, width - plotWidth - AXIS_WIDTH), height: plotHeight },
  };
}

export interface FramePalette {
  readonly background: string;
  readonly text: string;
  readonly muted: string;
  readonly grid: string;
  readonly crosshair: string;
}

export const FRAME_PALETTES: Readonly<Record<'dark' | 'light', FramePalette>> = {
  dark: { background: '#0e1117', text: '#c9d1d9', muted: '#8b949e', grid: 'rgba(139,148,158,0.25)', crosshair: 'rgba(240,246,252,0.7)' },
  light: { background: '#ffffff', text: '#24292f', muted: '#57606a', grid: 'rgba(87,96,106,0.25)', crosshair: 'rgba(31,35,40,0.7)' },
};

export interface Frame {
  readonly view: EstimateView;
  readonly heat: HeatLayer | undefined;
  /** What the window may show: the heatmap's extent and every pool. */
  readonly domain: Window;
  /** What the heat layer covers (default: `domain`). */
  readonly heatDomain?: Window;
  /** What the plot shows now. */
  readonly window: Window;
  readonly layout: FrameLayout;
  readonly palette: FramePalette;
  /** The crosshair, in canvas CSS pixels, when the pointer is over the plot or the map. */
  readonly crosshair?: { readonly x: number; readonly y: number };
  /** Real Hyperliquid liquidation levels of the coin (not estimated): marks on the price axis side. */
  readonly realLevels?: readonly LevelInput[];
}

const css = (rgb: Rgb, alpha = 1): string => `rgba(${rgb[0]},${rgb[1]},${rgb[2]},${alpha})`;

/**
 * Draws one frame; returns the pool labels and how many realized liquidations it drew.
 * @example drawFrame(ctx, { view, heat, domain, window, layout: frameLayout(w, h), palette: FRAME_PALETTES.dark })
 */
export function drawFrame(ctx: CanvasRenderingContext2D, frame: Frame): DrawnFrame {
  const { layout, palette, window: win, view } = frame;
  const { plot } = layout;
  ctx.fillStyle = palette.background;
  ctx.fillRect(0, 0, layout.width, layout.height);

  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.x, plot.y, plot.width, plot.height);
  ctx.clip();
  // The part of the window the heat raster covers (the window may reach past it: to pools
  // outside the heatmap's band, or to a newer domain while the raster of an update is built).
  const heatDomain = frame.heatDomain ?? frame.domain;
  const shown: Window = { t0: Math.max(win.t0, heatDomain.t0), t1: Math.min(win.t1, heatDomain.t1), p0: Math.max(win.p0, heatDomain.p0), p1: Math.min(win.p1, heatDomain.p1) };
  if (frame.heat && shown.t1 > shown.t0 && shown.p1 > shown.p0) {
    const src = sourceRect(shown, heatDomain, frame.heat.width, frame.heat.height);
    const x0 = xOf(win, plot, shown.t0);
    const y0 = yOf(win, plot, shown.p1);
    // Nearest-neighbour: a cell stays a sharp block at any zoom, and scaling is cheapest so.
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(frame.heat.image, src.sx, src.sy, src.sw, src.sh, x0, y0, xOf(win, plot, shown.t1) - x0, yOf(win, plot, shown.p0) - y0);
  }
  drawCandles(ctx, view, win, plot);
  drawPools(ctx, view, win, plot);
  const markers = drawRealized(ctx, view, win, plot);
  drawPriceLine(ctx, view.price, win, plot, palette);
  const real = drawRealLevels(ctx, frame.realLevels, win, plot, palette);
  ctx.restore();

  drawTimeAxis(ctx, win, plot, palette);
  const labels = drawPriceAxis(ctx, view, win, layout.axis, palette);
  drawSideMap(ctx, view, win, layout.side, palette);
  if (frame.crosshair) drawCrosshair(ctx, frame.crosshair, layout, palette);
  return { labels, markers, real };
}

/** What a frame drew: the pool labels on the price axis, the number of realized liquidations, the real-level marks. */
export interface DrawnFrame {
  readonly labels: DrawnPoolLabel[];
  readonly markers: number;
  /** Real-level marks drawn (one per pixel row) and the levels they hold. */
  readonly real: { readonly marks: number; readonly levels: number };
}

/** Longest real-level mark, CSS pixels (the panel's is 48 on a plot a quarter as wide). */
const REAL_MARK_LENGTH = 72;

/** The real levels inside the window, from the plot's right edge inwards (left of the pool bands). */
function drawRealLevels(ctx: CanvasRenderingContext2D, levels: readonly LevelInput[] | undefined, win: Window, plot: PlotRect, palette: FramePalette): DrawnFrame['real'] {
  if (!levels || levels.length === 0) return { marks: 0, levels: 0 };
  const marks = realLevelMarks(levels, { priceLow: win.p0, priceHigh: win.p1, plotY: plot.y, plotHeight: plot.height, maxLength: Math.min(REAL_MARK_LENGTH, plot.width / 4) });
  paintRealLevelMarks(ctx, marks, plot.x + plot.width - 8, palette === FRAME_PALETTES.light ? 'light' : 'dark');
  return { marks: marks.length, levels: marks.reduce((n, m) => n + m.count, 0) };
}

function drawCandles(ctx: CanvasRenderingContext2D, view: EstimateView, win: Window, plot: PlotRect): void {
  const h = view.heatmap;
  const flat = h.candles;
  if (!flat || flat.length !== h.columns * 4 || h.columns === 0) return;
  const first = Math.max(0, Math.floor((win.t0 - h.firstTimestamp) / h.columnMs));
  const last = Math.min(h.columns - 1, Math.ceil((win.t1 - h.firstTimestamp) / h.columnMs));
  const columnPx = (h.columnMs / (win.t1 - win.t0)) * plot.width;
  // Columns narrower than 3 px are merged into one candle (open of the first, close of the last).
  const group = Math.max(1, Math.ceil(3 / columnPx));
  const bodyPx = Math.max(1, Math.min(12, columnPx * group * 0.6));
  const up = css(CANDLE_UP);
  const down = css(CANDLE_DOWN);
  for (let c = first - (first % group); c <= last; c += group) {
    const end = Math.min(h.columns - 1, c + group - 1);
    const open = flat[c * 4]!;
    const close = flat[end * 4 + 3]!;
    let high = -Infinity;
    let low = Infinity;
    for (let k = c; k <= end; k++) {
      high = Math.max(high, flat[k * 4 + 1]!);
      low = Math.min(low, flat[k * 4 + 2]!);
    }
    const x = xOf(win, plot, h.firstTimestamp + (c + (end - c + 1) / 2) * h.columnMs);
    ctx.fillStyle = close >= open ? up : down;
    const yHigh = yOf(win, plot, high);
    const yLow = yOf(win, plot, low);
    ctx.fillRect(Math.round(x), yHigh, 1, Math.max(1, yLow - yHigh));
    const yTop = yOf(win, plot, Math.max(open, close));
    const yBottom = yOf(win, plot, Math.min(open, close));
    ctx.fillRect(Math.round(x - bodyPx / 2), yTop, bodyPx, Math.max(1, yBottom - yTop));
  }
}

function drawPools(ctx: CanvasRenderingContext2D, view: EstimateView, win: Window, plot: PlotRect): void {
  // A thin band at the right edge of the plot marks each pool's price range.
  for (const pool of view.pools) {
    const top = yOf(win, plot, pool.priceHigh);
    const bottom = yOf(win, plot, pool.priceLow);
    if (bottom < plot.y || top > plot.y + plot.height) continue;
    ctx.fillStyle = css(pool.side === 'long' ? LONG_COLOR : SHORT_COLOR, 0.9);
    ctx.fillRect(plot.x + plot.width - 6, top, 6, Math.max(2, bottom - top));
  }
}

/** Draws the realized liquidations inside the window; returns how many. */
function drawRealized(ctx: CanvasRenderingContext2D, view: EstimateView, win: Window, plot: PlotRect): number {
  const shown = (view.realized ?? []).filter((e) => e.timestamp >= win.t0 && e.timestamp <= win.t1 && e.price >= win.p0 && e.price <= win.p1);
  // Outlines first, then the squares: markers that crowd a candle keep their colours.
  for (const pass of ['outline', 'fill'] as const) {
    for (const event of shown) {
      const x = Math.round(xOf(win, plot, event.timestamp));
      const y = Math.round(yOf(win, plot, event.price));
      const size = markerSize(event.usd) + 2;
      const half = Math.floor(size / 2);
      if (pass === 'outline') {
        ctx.fillStyle = 'rgba(255,255,255,0.75)';
        ctx.fillRect(x - half - 1, y - half - 1, size + 2, size + 2);
      } else {
        ctx.fillStyle = css(event.side === 'long' ? LONG_COLOR : SHORT_COLOR);
        ctx.fillRect(x - half, y - half, size, size);
      }
    }
  }
  return shown.length;
}

function drawPriceLine(ctx: CanvasRenderingContext2D, price: number, win: Window, plot: PlotRect, palette: FramePalette): void {
  if (price < win.p0 || price > win.p1) return;
  const y = Math.round(yOf(win, plot, price)) + 0.5;
  ctx.strokeStyle = palette.text;
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  ctx.moveTo(plot.x, y);
  ctx.lineTo(plot.x + plot.width, y);
  ctx.stroke();
  ctx.setLineDash([]);
}

const TIME_STEPS = [5, 15, 30, 60, 120, 240, 360, 720, 1440, 2880, 10080].map((m) => m * 60_000);

function drawTimeAxis(ctx: CanvasRenderingContext2D, win: Window, plot: PlotRect, palette: FramePalette): void {
  const span = win.t1 - win.t0;
  const step = TIME_STEPS.find((s) => (span / s) * 110 <= plot.width) ?? TIME_STEPS.at(-1)!;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  ctx.textAlign = 'center';
  const baseY = plot.y + plot.height;
  for (let t = Math.ceil(win.t0 / step) * step; t <= win.t1; t += step) {
    const x = Math.round(xOf(win, plot, t)) + 0.5;
    // A label cut by the plot's edges is left out.
    if (x < plot.x + 18 || x > plot.x + plot.width - 18) continue;
    ctx.fillStyle = palette.grid;
    ctx.fillRect(x, baseY, 1, 4);
    ctx.fillStyle = palette.muted;
    const iso = new Date(t).toISOString();
    const label = step >= 1440 * 60_000 || iso.slice(11, 16) === '00:00' ? iso.slice(5, 10) : iso.slice(11, 16);
    ctx.fillText(label, x, baseY + 6);
  }
  ctx.textAlign = 'left';
  ctx.fillText('UTC', plot.x + plot.width + 6, baseY + 6);
}

/** A pool label as drawn on the price axis. */
export interface DrawnPoolLabel {
  readonly side: 'long' | 'short';
  readonly y: number;
  readonly text: string;
}

function drawPriceAxis(ctx: CanvasRenderingContext2D, view: EstimateView, win: Window, axis: PlotRect, palette: FramePalette): DrawnPoolLabel[] {
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  // The current price, then the pools (strongest first, so a weak one gives way where they
  // crowd), then the round-price ticks where room is left.
  const taken: number[] = [];
  const label = (y: number, text: string, fill: string, color: string): boolean => {
    if (y < axis.y + 6 || y > axis.y + axis.height - 6 || taken.some((other) => Math.abs(other - y) < 15)) return false;
    taken.push(y);
    const width = Math.min(axis.width - 8, ctx.measureText(text).width + 8);
    ctx.fillStyle = fill;
    ctx.fillRect(axis.x + 4, y - 7, width, 14);
    ctx.fillStyle = color;
    ctx.fillText(text, axis.x + 8, y, axis.width - 16);
    return true;
  };
  if (view.price >= win.p0 && view.price <= win.p1) label(yOf(win, axis, view.price), fmtPrice(view.price), palette.text, palette.background);
  const drawn: DrawnPoolLabel[] = [];
  for (const pool of [...view.pools].sort((a, b) => b.strength - a.strength)) {
    if (pool.peakPrice < win.p0 || pool.peakPrice > win.p1) continue;
    const y = yOf(win, axis, pool.peakPrice);
    const text = `${pool.side === 'long' ? '▼ longs' : '▲ shorts'} ${pool.strength}/10 ${formatUsd(pool.notionalUsd)}`;
    if (label(y, text, css(pool.side === 'long' ? LONG_COLOR : SHORT_COLOR), '#ffffff')) drawn.push({ side: pool.side, y, text });
  }
  for (const tick of niceTicks(win.p0, win.p1, Math.max(2, Math.floor(axis.height / 60)))) {
    const y = Math.round(yOf(win, axis, tick)) + 0.5;
    ctx.fillStyle = palette.grid;
    ctx.fillRect(axis.x, y, 4, 1);
    if (taken.some((other) => Math.abs(other - y) < 12)) continue;
    ctx.fillStyle = palette.muted;
    ctx.fillText(fmtPrice(tick), axis.x + 6, y);
  }
  return drawn;
}

/**
 * The latest map on the plot's price scale: a bar per bin (longs below the price, shorts above),
 * and the cumulative notional from the price outwards as a curve, on a USD axis of its own.
 */
function drawSideMap(ctx: CanvasRenderingContext2D, view: EstimateView, win: Window, side: PlotRect, palette: FramePalette): void {
  const map = view.latestMap;
  if (side.width < 20) return;
  ctx.fillStyle = palette.grid;
  ctx.fillRect(side.x, side.y, 1, side.height);
  const bins = map ? Math.min(map.long.length, map.short.length) : 0;
  if (!map || bins === 0) return;
  const binWidth = (map.priceHigh - map.priceLow) / bins;
  const room = side.width - 8;
  let barMax = 0;
  for (let b = 0; b < bins; b++) {
    const lo = map.priceLow + b * binWidth;
    if (lo + binWidth < win.p0 || lo > win.p1) continue;
    // Longs sit below the price and shorts above (a bin straddling the price keeps both).
    barMax = Math.max(barMax, lo < view.price ? map.long[b]! : 0, lo + binWidth > view.price ? map.short[b]! : 0);
  }
  // Cumulative from the price: shorts upwards to the top of the window, longs downwards.
  let cumShortTop = 0;
  let cumLongBottom = 0;
  const clipLo = Math.max(win.p0, map.priceLow);
  const clipHi = Math.min(win.p1, map.priceHigh);
  for (let b = 0; b < bins; b++) {
    const lo = map.priceLow + b * binWidth;
    const hi = lo + binWidth;
    const up = Math.min(hi, clipHi) - Math.max(lo, view.price);
    if (up > 0) cumShortTop += map.short[b]! * (up / binWidth);
    const down = Math.min(hi, view.price) - Math.max(lo, clipLo);
    if (down > 0) cumLongBottom += map.long[b]! * (down / binWidth);
  }
  const cumMax = Math.max(cumShortTop, cumLongBottom);
  if (barMax > 0) {
    for (let b = 0; b < bins; b++) {
      const lo = map.priceLow + b * binWidth;
      const hi = lo + binWidth;
      if (hi < win.p0 || lo > win.p1) continue;
      const long = lo < view.price ? map.long[b]! : 0;
      const short = hi > view.price ? map.short[b]! : 0;
      const value = Math.max(long, short);
      if (!(value > 0)) continue;
      const yTop = Math.max(side.y, yOf(win, side, hi));
      const yBottom = Math.min(side.y + side.height, yOf(win, side, lo));
      if (yBottom <= yTop) continue;
      ctx.fillStyle = css(short >= long ? SHORT_COLOR : LONG_COLOR, 0.85);
      ctx.fillRect(side.x + 1, yTop, Math.max(1, (value / barMax) * room), Math.max(1, yBottom - yTop - 0.5));
    }
  }
  if (cumMax > 0) {
    ctx.strokeStyle = palette.text;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    const priceY = yOf(win, side, view.price);
    // Upwards from the price (shorts), then downwards (longs), one point per bin edge in view.
    for (const direction of [1, -1] as const) {
      let sum = 0;
      let first = true;
      const order = direction === 1 ? range(0, bins) : range(0, bins).reverse();
      for (const b of order) {
        const lo = map.priceLow + b * binWidth;
        const hi = lo + binWidth;
        const part = direction === 1 ? Math.min(hi, clipHi) - Math.max(lo, view.price) : Math.min(hi, view.price) - Math.max(lo, clipLo);
        if (part <= 0) continue;
        if (first) {
          ctx.moveTo(side.x + 1, Math.min(side.y + side.height, Math.max(side.y, priceY)));
          first = false;
        }
        sum += (direction === 1 ? map.short[b]! : map.long[b]!) * (part / binWidth);
        const edge = direction === 1 ? Math.min(hi, clipHi) : Math.max(lo, clipLo);
        ctx.lineTo(side.x + 1 + (sum / cumMax) * room, yOf(win, side, edge));
      }
    }
    ctx.stroke();
    ctx.lineWidth = 1;
  }
  // Its own axis: USD of the cumulative curve (the bars share it only in proportion).
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  ctx.fillStyle = palette.muted;
  const baseY = side.y + side.height;
  ctx.textAlign = 'left';
  ctx.fillText('$0', side.x + 2, baseY + 6);
  ctx.textAlign = 'right';
  ctx.fillText(`${formatUsd(cumMax)} cumulative`, side.x + side.width - 2, baseY + 6);
  ctx.fillStyle = palette.grid;
  ctx.fillRect(side.x, baseY, side.width, 1);
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}

function drawCrosshair(ctx: CanvasRenderingContext2D, at: { x: number; y: number }, layout: FrameLayout, palette: FramePalette): void {
  const { plot } = layout;
  if (at.y < plot.y || at.y > plot.y + plot.height) return;
  ctx.fillStyle = palette.crosshair;
  ctx.fillRect(0, Math.round(at.y), layout.width, 1);
  if (at.x >= plot.x && at.x <= plot.x + plot.width) ctx.fillRect(Math.round(at.x), plot.y, 1, plot.height);
}
