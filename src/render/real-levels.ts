/**
 * Real liquidation levels (Hyperliquid positions, not an estimate) as marks on the price axis:
 * one tick per pixel row holding levels, its length by the square root of the notional there
 * (relative to the largest in view, as the heat's intensity scale), drawn from the plot's right
 * edge inwards in a style of their own (outlined ticks ending in a diamond) so they never read
 * as estimated heat. Pure geometry: the panel and the full view draw the same marks.
 */
import type { Side } from '../engine/types';

export interface LevelInput {
  readonly price: number;
  readonly side: Side;
  readonly notionalUsd: number;
}

export interface RealLevelMark {
  /** Pixel row (top of a 1-px row), inside the plot. */
  readonly y: number;
  /** Tick length in pixels, at least `minLength`. */
  readonly length: number;
  /** The side with more notional in this row. */
  readonly side: Side;
  /** Notional of every level in this row, USD. */
  readonly notionalUsd: number;
  /** Levels merged into this row. */
  readonly count: number;
}

export interface MarkLayout {
  readonly priceLow: number;
  readonly priceHigh: number;
  /** The plot's top and height in pixels (price axis: priceHigh at the top). */
  readonly plotY: number;
  readonly plotHeight: number;
  /** Longest tick, pixels. */
  readonly maxLength: number;
  readonly minLength?: number;
}

/**
 * The marks of `levels` inside the price range, one per pixel row, largest row first so the
 * caller can draw small ones over big ones last (or slice the biggest).
 * @example realLevelMarks([{ price: 100, side: 'long', notionalUsd: 1e6 }], { priceLow: 0, priceHigh: 200, plotY: 0, plotHeight: 200, maxLength: 20 })
 * // [{ y: 100, length: 20, side: 'long', notionalUsd: 1000000, count: 1 }]
 */
export function realLevelMarks(levels: readonly LevelInput[], layout: MarkLayout): RealLevelMark[] {
  const { priceLow, priceHigh, plotY, plotHeight, maxLength } = layout;
  const minLength = layout.minLength ?? 3;
  if (!(priceHigh > priceLow) || !(plotHeight > 0)) return [];
  const rows = new Map<number, { long: number; short: number; count: number }>();
  for (const level of levels) {
    if (!(level.price >= priceLow && level.price <= priceHigh) || !(level.notionalUsd > 0)) continue;
    const y = plotY + Math.min(plotHeight - 1, Math.floor(((priceHigh - level.price) / (priceHigh - priceLow)) * plotHeight));
    const row = rows.get(y) ?? { long: 0, short: 0, count: 0 };
    row[level.side] += level.notionalUsd;
    row.count++;
    rows.set(y, row);
  }
  let max = 0;
  for (const row of rows.values()) max = Math.max(max, row.long + row.short);
  const marks: RealLevelMark[] = [];
  for (const [y, row] of rows) {
    const notionalUsd = row.long + row.short;
    const length = Math.max(minLength, Math.round(maxLength * Math.sqrt(notionalUsd / max)));
    marks.push({ y, length: Math.min(maxLength, length), side: row.long >= row.short ? 'long' : 'short', notionalUsd, count: row.count });
  }
  return marks.sort((a, b) => b.notionalUsd - a.notionalUsd);
}
