import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  atr,
  averageRanks,
  clamp,
  ema,
  mean,
  meanStd,
  median,
  pearson,
  spearman,
  std,
  usableAtr,
} from '../src/engine/stats';

describe('median / mean / std', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([3, 1, 2, 10])).toBe(2.5);
    expect(median(new Float64Array([5]))).toBe(5);
  });

  it('skips non-finite values and gives NaN when nothing is left', () => {
    expect(median([1, Number.NaN, 3, Infinity])).toBe(2);
    expect(median([])).toBeNaN();
    expect(mean([1, 2, 3, Number.NaN])).toBe(2);
    expect(mean([])).toBeNaN();
  });

  it('gives the population standard deviation', () => {
    expect(meanStd([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ mean: 5, std: 2, count: 8 });
    expect(std([1, 1, 1])).toBe(0);
    expect(std([])).toBeNaN();
  });

  it('keeps tiny funding-sized deviations that a one-pass formula would lose', () => {
    const values = [1.0001e-4, 1.0002e-4, 1.0003e-4];
    expect(std(values)).toBeCloseTo(Math.sqrt(2 / 3) * 1e-8, 20);
  });
});

describe('ema', () => {
  it('seeds with the first value and smooths with 2 / (period + 1)', () => {
    expect(Array.from(ema([1, 2, 3], 3))).toEqual([1, 1.5, 2.25]);
  });

  it('carries the average over non-finite values', () => {
    expect(Array.from(ema([Number.NaN, 2, Number.NaN, 4], 1))).toEqual([Number.NaN, 2, 2, 4]);
  });
});

describe('atr', () => {
  it('uses the true range including gaps from the previous close', () => {
    // Ranges 2, then max(2, |13 - 10|, |11 - 10|) = 3: running mean during warm-up = 2.5
    expect(atr([{ high: 11, low: 9, close: 10 }, { high: 13, low: 11, close: 12 }])).toBe(2.5);
  });

  it('settles at the constant range with Wilder smoothing', () => {
    const bars = Array.from({ length: 100 }, () => ({ high: 101, low: 99, close: 100 }));
    expect(atr(bars)).toBeCloseTo(2, 12);
    expect(atr([])).toBe(0);
  });

  it('falls back to 1 % of price when the ATR is unusable', () => {
    expect(usableAtr(0, 50_000)).toBe(500);
    expect(usableAtr(Number.NaN, 200)).toBe(2);
    expect(usableAtr(12, 50_000)).toBe(12);
    expect(usableAtr(0, Number.NaN)).toBe(0);
  });
});

describe('spearman', () => {
  it('is 1 for any increasing relation and -1 for a decreasing one', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBe(1);
    expect(spearman([1, 2, 3, 4], [1, 8, 27, 64])).toBe(1);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
  });

  it('gives ties their average rank', () => {
    expect(Array.from(averageRanks([10, 20, 20, 30]))).toEqual([1, 2.5, 2.5, 4]);
    expect(Array.from(averageRanks([5, 5, 5]))).toEqual([2, 2, 2]);
    // scipy.stats.spearmanr([1, 2, 2, 3], [1, 3, 2, 4]) = 0.9486832980505138
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(0.9486832980505138, 12);
  });

  it('accepts typed arrays and drops pairs with a non-finite value', () => {
    expect(spearman(new Float64Array([1, 2, Number.NaN, 3]), new Float32Array([3, 2, 100, 1]))).toBe(-1);
  });

  it('is NaN when there is nothing to rank', () => {
    expect(spearman([1], [1])).toBeNaN();
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(spearman([], [])).toBeNaN();
  });

  it('stays in [-1, 1] and is symmetric', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 })), { minLength: 2, maxLength: 40 }),
        (pairs) => {
          const a = pairs.map((p) => p[0]);
          const b = pairs.map((p) => p[1]);
          const r = spearman(a, b);
          if (Number.isNaN(r)) return;
          expect(r).toBeGreaterThanOrEqual(-1);
          expect(r).toBeLessThanOrEqual(1);
          expect(spearman(b, a)).toBeCloseTo(r, 12);
        },
      ),
    );
  });

  it('pearson measures linear fit', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [5, 5, 5])).toBeNaN();
  });
});

describe('clamp', () => {
  it('bounds values and maps NaN to the low end', () => {
    expect(clamp(1.4, 0, 1)).toBe(1);
    expect(clamp(-1, 0, 1)).toBe(0);
    expect(clamp(Number.NaN, 0, 1)).toBe(0);
    expect(clamp(0.3, 0, 1)).toBe(0.3);
  });
});
