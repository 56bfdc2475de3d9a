/**
 * Small numeric helpers shared by the pool finder, the market context and calibration.
 * Each function says how it treats non-finite values; none of them throws.
 */

/** The price fields {@link atr} reads. */
export interface RangeBar {
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/**
 * Median of the finite values (NaN and ±Infinity are skipped); NaN when none is left.
 * @example median([3, 1, 2, 10]) // 2.5
 */
export function median(values: ArrayLike<number>): number {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) finite.push(v);
  }
  const n = finite.length;
  if (n === 0) return Number.NaN;
  finite.sort((a, b) => a - b);
  const mid = n >> 1;
  return n % 2 === 1 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}

/**
 * Arithmetic mean of the finite values; NaN when there are none.
 * @example mean([1, 2, 3, NaN]) // 2
 */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      sum += v;
      count++;
    }
  }
  return count === 0 ? Number.NaN : sum / count;
}

/**
 * Mean and population standard deviation of the finite values, with their count.
 * Two-pass, because funding rates are tiny numbers around a non-zero mean and the one-pass
 * formula loses them to cancellation. NaN mean and std when there are no finite values.
 * @example meanStd([2, 4, 4, 4, 5, 5, 7, 9]) // { mean: 5, std: 2, count: 8 }
 */
export function meanStd(values: ArrayLike<number>): { mean: number; std: number; count: number } {
  const m = mean(values);
  if (Number.isNaN(m)) return { mean: Number.NaN, std: Number.NaN, count: 0 };
  let squares = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      squares += (v - m) * (v - m);
      count++;
    }
  }
  return { mean: m, std: Math.sqrt(squares / count), count };
}

/**
 * Population standard deviation of the finite values; NaN when there are none.
 * @example std([2, 4, 4, 4, 5, 5, 7, 9]) // 2
 */
export function std(values: ArrayLike<number>): number {
  return meanStd(values).std;
}

/**
 * Exponential moving average with smoothing 2 / (period + 1), seeded with the first value.
 * A non-finite value carries the previous average forward, so one bad print does not poison
 * every later value.
 * @example ema([1, 2, 3], 3) // Float64Array [1, 1.5, 2.25]
 */
export function ema(values: ArrayLike<number>, period: number): Float64Array {
  const out = new Float64Array(values.length);
  const alpha = 2 / (Math.max(1, period) + 1);
  let current = Number.NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) current = Number.isNaN(current) ? v : current + alpha * (v - current);
    out[i] = current;
  }
  return out;
}

/**
 * Average true range at the last bar, Wilder-smoothed over `period` bars. The first bars
 * average what exists so far (the same warm-up as the estimator), so a short series still gets
 * a usable range. 0 for an empty series; bars with non-finite prices are skipped.
 * @example atr([{ high: 11, low: 9, close: 10 }, { high: 12, low: 10, close: 11 }], 14) // 2
 */
export function atr(bars: ArrayLike<RangeBar>, period = 14): number {
  let value = 0;
  let previousClose: number | undefined;
  let count = 0;
  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i]!;
    const { high, low, close } = bar;
    if (!Number.isFinite(high) || !Number.isFinite(low) || !Number.isFinite(close)) continue;
    const trueRange = previousClose === undefined
      ? high - low
      : Math.max(high - low, Math.abs(high - previousClose), Math.abs(low - previousClose));
    count++;
    value += (trueRange - value) / Math.min(count, Math.max(1, period));
    previousClose = close;
  }
  return value;
}

/**
 * The ATR to measure distances with: `atrValue` when it is a positive finite number, otherwise
 * 1 % of `price` (a typical daily-scale range for perpetuals), so distances in ATR stay finite
 * on maps built from one bar or a flat series. 0 only when the price is unusable too.
 * @example usableAtr(0, 50_000) // 500
 */
export function usableAtr(atrValue: number, price: number): number {
  if (Number.isFinite(atrValue) && atrValue > 0) return atrValue;
  return Number.isFinite(price) && price > 0 ? price * 0.01 : 0;
}

/**
 * Ranks 1..n with ties given their average rank (the standard fractional ranking).
 * Expects finite values ({@link spearman} drops the others before ranking).
 * @example averageRanks([10, 20, 20, 30]) // Float64Array [1, 2.5, 2.5, 4]
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && values[order[end]!]! === values[order[start]!]!) end++;
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]!] = rank;
    start = end;
  }
  return ranks;
}

/**
 * Spearman rank correlation of two equally long series (Pearson correlation of their average
 * ranks, so ties are handled exactly). Pairs where either value is not finite are dropped first.
 * NaN when fewer than 2 pairs remain or when either side is constant (no ranking exists).
 * @example spearman([1, 2, 3, 4], [10, 20, 30, 40]) // 1
 */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = a[i]!;
    const v = b[i]!;
    if (Number.isFinite(u) && Number.isFinite(v)) {
      x.push(u);
      y.push(v);
    }
  }
  if (x.length < 2) return Number.NaN;
  return pearson(averageRanks(x), averageRanks(y));
}

/**
 * Pearson correlation of the pairs where both values are finite; NaN when fewer than 2 pairs
 * or when either side has zero variance.
 * @example pearson([1, 2, 3], [2, 4, 7]) // 0.993...
 */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let sx = 0;
  let sy = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const u = a[i]!;
    const v = b[i]!;
    if (Number.isFinite(u) && Number.isFinite(v)) {
      sx += u;
      sy += v;
      count++;
    }
  }
  if (count < 2) return Number.NaN;
  const mx = sx / count;
  const my = sy / count;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const u = a[i]!;
    const v = b[i]!;
    if (Number.isFinite(u) && Number.isFinite(v)) {
      sxy += (u - mx) * (v - my);
      sxx += (u - mx) * (u - mx);
      syy += (v - my) * (v - my);
    }
  }
  if (sxx === 0 || syy === 0) return Number.NaN;
  const r = sxy / Math.sqrt(sxx * syy);
  // Rounding can push a perfect correlation a hair past 1.
  return Math.max(-1, Math.min(1, r));
}

/**
 * Clamps `value` into [low, high]; NaN becomes `low`.
 * @example clamp(1.4, 0, 1) // 1
 */
export function clamp(value: number, low: number, high: number): number {
  if (!(value >= low)) return low;
  return value > high ? high : value;
}
