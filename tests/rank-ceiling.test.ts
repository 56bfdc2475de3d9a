import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBarsCsv } from '../src/engine/csv-input';
import type { Bar } from '../src/engine/types';
import { causalFeatures, crossValidated, fitBoosted, fitRidge } from '../scripts/lib/rank-ceiling';
import { DATA_DIR } from './support/recorded';

const { series, realized } = parseBarsCsv(readFileSync(resolve(DATA_DIR, 'btc-30m-agg3ex-with-liquidations.csv'), 'utf8'));
const bars = series.bars;
const liqs = realized!;
const estimate = bars.map((_, i) => 1_000 * i);
const I = 200;

describe('rank ceiling: causal features', () => {
  it('reads nothing of the bar but its open and the side\'s own extreme', () => {
    const before = { long: causalFeatures(bars, estimate, liqs, I, 'long'), short: causalFeatures(bars, estimate, liqs, I, 'short') };
    const b = bars[I]!;
    const changed: Bar[] = [...bars];
    changed[I] = { ...b, close: b.close * 1.01, openInterestUsd: (b.openInterestUsd ?? 0) * 2, fundingRate: 0.01, volume: 5, longShortRatio: 3 };
    const changedLiqs = [...liqs];
    changedLiqs[I] = { ...liqs[I]!, longUsd: 1e9, shortUsd: 1e9 };
    expect(causalFeatures(changed, estimate, changedLiqs, I, 'long')).toEqual(before.long);
    expect(causalFeatures(changed, estimate, changedLiqs, I, 'short')).toEqual(before.short);
    // The opposite extreme is not read; the side's own is.
    changed[I] = { ...b, low: b.low * 0.99 };
    expect(causalFeatures(changed, estimate, liqs, I, 'short')).toEqual(before.short);
    expect(causalFeatures(changed, estimate, liqs, I, 'long')).not.toEqual(before.long);
    changed[I] = { ...b, high: b.high * 1.01 };
    expect(causalFeatures(changed, estimate, liqs, I, 'long')).toEqual(before.long);
    expect(causalFeatures(changed, estimate, liqs, I, 'short')).not.toEqual(before.short);
  });

  it('every feature is finite on the recorded file', () => {
    for (let i = 13; i < bars.length; i++) for (const side of ['long', 'short'] as const) {
      expect(causalFeatures(bars, estimate, liqs, i, side).every(Number.isFinite)).toBe(true);
    }
  });
});

describe('rank ceiling: learners', () => {
  // Inputs from the recorded closes (no invented series): x1 = the return, x2 = the relative range.
  const x = bars.slice(1).map((b, i) => [(b.close - bars[i]!.close) / bars[i]!.close, (b.high - b.low) / b.open]);
  const y = x.map(([a, c]) => 2 + 300 * a! - 100 * c!);

  it('ridge recovers a linear relation', () => {
    const model = fitRidge(x, y, 1e-9);
    const worst = Math.max(...x.map((row, i) => Math.abs(model(row) - y[i]!)));
    expect(worst).toBeLessThan(1e-6);
  });

  it('boosted trees fit a step far better than its mean', () => {
    const step: number[] = x.map(([a]) => (a! > 0 ? 1 : 0));
    const model = fitBoosted(x, step, 60);
    const mean = step.reduce((s, v) => s + v, 0) / step.length;
    const error = (f: (row: number[]) => number): number => x.reduce((s, row, i) => s + (f(row) - step[i]!) ** 2, 0);
    expect(error(model)).toBeLessThan(0.1 * error(() => mean));
  });

  it('cross-validation never lets a fold see its own targets', () => {
    const fit = (a: readonly number[][], b: readonly number[]) => fitRidge(a, b, 1);
    const first = crossValidated(x, y, fit);
    const leaked = [...y];
    const foldEnd = Math.floor(y.length / 5);
    for (let i = 0; i < foldEnd; i++) leaked[i] = 1e6;
    const second = crossValidated(x, leaked, fit);
    expect(second.slice(0, foldEnd)).toEqual(first.slice(0, foldEnd));
    expect(second.slice(foldEnd)).not.toEqual(first.slice(foldEnd));
  });
});
