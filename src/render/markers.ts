/**
 * Realized liquidations (from the exchange's live stream) as markers over the heatmap: a square
 * at the event's time and price, blue for liquidated longs and orange for liquidated shorts (the
 * side-bar colours), its size growing with the notional, outlined so it reads on any heat colour.
 */
import { fillRect, type Rgb, type RgbaImage } from './bitmap-font';
import { LONG_RGB as LONG_COLOR, SHORT_RGB as SHORT_COLOR } from './side-colors';

export interface RealizedLiquidation {
  readonly timestamp: number;
  readonly price: number;
  readonly side: 'long' | 'short';
  readonly usd: number;
}

/** Where the heatmap's plot lies and what it spans. */
export interface PlotFrame {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Open time of the first column and the time per column. */
  readonly firstTimestamp: number;
  readonly columnMs: number;
  readonly columns: number;
  readonly priceLow: number;
  readonly priceHigh: number;
}

const OUTLINE: Rgb = [255, 255, 255];

/** A marker as drawn: its centre pixel and edge, and the event it stands for. */
export interface DrawnMarker {
  readonly x: number;
  readonly y: number;
  readonly size: number;
  readonly side: 'long' | 'short';
  readonly timestamp: number;
  readonly price: number;
}

/** Marker edge in pixels: 3 below $10k, 5 up to $100k, 7 above. */
export function markerSize(usd: number): number {
  return usd >= 100_000 ? 7 : usd >= 10_000 ? 5 : 3;
}

/**
 * Draws the events that fall inside the plot (time in `[first column, last column's end)`, price
 * within the axis), in the order given (a later one over an earlier one); returns those drawn.
 * @example drawRealizedMarkers(raster, frame, view.realized ?? []).length
 */
export function drawRealizedMarkers(image: RgbaImage, frame: PlotFrame, events: readonly RealizedLiquidation[]): DrawnMarker[] {
  const start = frame.firstTimestamp;
  const end = start + frame.columns * frame.columnMs;
  const span = frame.priceHigh - frame.priceLow;
  const drawn: DrawnMarker[] = [];
  if (!(end > start) || !(span > 0)) return drawn;
  for (const event of events) {
    if (!(event.timestamp >= start && event.timestamp < end && event.price >= frame.priceLow && event.price <= frame.priceHigh)) continue;
    const cx = Math.floor(frame.x + ((event.timestamp - start) / (end - start)) * frame.width);
    const cy = Math.floor(frame.y + ((frame.priceHigh - event.price) / span) * frame.height);
    const size = markerSize(event.usd);
    const half = Math.floor(size / 2);
    clipped(image, frame, cx - half - 1, cy - half - 1, size + 2, size + 2, OUTLINE);
    clipped(image, frame, cx - half, cy - half, size, size, event.side === 'long' ? LONG_COLOR : SHORT_COLOR);
    drawn.push({ x: cx, y: cy, size, side: event.side, timestamp: event.timestamp, price: event.price });
  }
  return drawn;
}

function clipped(image: RgbaImage, frame: PlotFrame, x: number, y: number, w: number, h: number, color: Rgb): void {
  const x0 = Math.max(x, frame.x);
  const y0 = Math.max(y, frame.y);
  const x1 = Math.min(x + w, frame.x + frame.width);
  const y1 = Math.min(y + h, frame.y + frame.height);
  if (x1 > x0 && y1 > y0) fillRect(image, x0, y0, x1 - x0, y1 - y0, color);
}
