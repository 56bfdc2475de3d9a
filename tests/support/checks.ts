/**
 * Checks and measurements shared by the estimator tests.
 */
import { expect } from 'vitest';
import { Estimator, type EstimatorOptions } from '../../src/engine/estimator';
import { heatmapCell } from '../../src/engine/heatmap-cells';
import type { BarLiquidations, ExchangeSeries, Heatmap, LiquidationMap } from '../../src/engine/types';

export function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
}

/** The heatmap's cells in USD (each times its column's factor), same layout as `cells`. */
export function usdCells(heatmap: Heatmap): Float64Array {
  const out = new Float64Array(heatmap.cells.length);
  for (let c = 0; c < heatmap.columns; c++) for (let r = 0; r < heatmap.rows; r++) out[c * heatmap.rows + r] = heatmapCell(heatmap, c, r);
  return out;
}

/** Index of the first value that is NaN, infinite or negative, or -1. */
export function firstBadValue(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(Number.isFinite(v) && v >= 0)) return i;
  }
  return -1;
}

/** Fails naming the first NaN, infinite or negative value. */
export function expectFiniteNonNegative(values: ArrayLike<number>, label: string): void {
  const bad = firstBadValue(values);
  if (bad >= 0) expect.fail(`${label}[${bad}] is ${values[bad]}, expected a finite number >= 0`);
}

export function expectPerBarSane(perBar: readonly BarLiquidations[], label = 'perBar'): void {
  for (const [i, row] of perBar.entries()) {
    if (!(Number.isFinite(row.longUsd) && row.longUsd >= 0 && Number.isFinite(row.shortUsd) && row.shortUsd >= 0)) {
      expect.fail(`${label}[${i}] = ${JSON.stringify(row)}: liquidations must be finite and >= 0`);
    }
  }
}

/** Evenly spaced edges, in the test's own words (independent of the engine's helper). */
export function edges(low: number, high: number, bins: number): Float64Array {
  return Float64Array.from({ length: bins + 1 }, (_, i) => low + ((high - low) * i) / bins);
}

/** Notional-weighted mean price of one side of a map (NaN when the side is empty). */
export function massCentre(map: LiquidationMap, side: 'long' | 'short'): number {
  const values = map[side];
  let weighted = 0;
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const mid = (map.priceEdges[i]! + map.priceEdges[i + 1]!) / 2;
    weighted += values[i]! * mid;
    total += values[i]!;
  }
  return weighted / total;
}

/** Lowest and highest bin mid-price holding more than `share` of the side's largest bin. */
export function massExtent(map: LiquidationMap, side: 'long' | 'short', share = 1e-9): [number, number] {
  const values = map[side];
  let peak = 0;
  for (let i = 0; i < values.length; i++) peak = Math.max(peak, values[i]!);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i]! > peak * share && values[i]! > 0) {
      const mid = (map.priceEdges[i]! + map.priceEdges[i + 1]!) / 2;
      lo = Math.min(lo, mid);
      hi = Math.max(hi, mid);
    }
  }
  return [lo, hi];
}

/** Sum of one side's notional over the bins whose mid-price lies in `low..high`. */
export function massBetween(map: LiquidationMap, side: 'long' | 'short', low: number, high: number): number {
  const values = map[side];
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const mid = (map.priceEdges[i]! + map.priceEdges[i + 1]!) / 2;
    if (mid >= low && mid <= high) total += values[i]!;
  }
  return total;
}

export interface Run {
  readonly estimator: Estimator;
  readonly perBar: BarLiquidations[];
  /** Live notional after each merged bar. */
  readonly live: number[];
}

/** Runs a fresh estimator over the input, recording the live notional after every bar. */
export function runWithLive(input: readonly ExchangeSeries[], options: EstimatorOptions = {}): Run {
  const estimator = new Estimator(options);
  const live: number[] = [];
  const perBar = estimator.append(input, () => live.push(estimator.totals.liveUsd));
  return { estimator, perBar, live };
}
