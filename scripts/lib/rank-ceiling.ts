import type { RealizedLiquidations } from '../../src/engine/csv-input';
import { spearman } from '../../src/engine/stats';
import type { Bar, Side } from '../../src/engine/types';
import { adverseMove, type CalibrationRun } from './calibration';

/*
 * How far can any model rank a bar's realized liquidations from what was known when the bar opened?
 * The calibration (calibration.ts) scores the engine's causal estimate; this scores general learners
 * given the same information and more: the engine's estimate itself, the bar's adverse extreme, and
 * every market figure of the bars before it. The learners are fitted to the calibration file (with
 * five contiguous folds, each scored by a model fitted on the other four), which the engine's own
 * mechanisms must never be, so their figures are a generous ceiling for a causal estimate on that
 * file, not a target. The same learners given one more input of the bar (its opposite extreme, which
 * only positions opened inside the bar and caught by its rebound can follow) show what the gap is.
 */

/** Bars before the first scored one: the feature window (12 bars) must be complete. */
const HISTORY_BARS = 12;
/** Logs of USD amounts are taken of amount + this, so bars without liquidations stay finite. */
const USD_FLOOR = 1_000;
/** Logs of relative moves are taken of move + this (a bar can have no adverse move at all). */
const MOVE_FLOOR = 1e-5;

/** The names of the causal features, in column order (see `causalFeatures`). */
export const CAUSAL_FEATURES = [
  'log engine estimate',
  'log adverse move',
  'log adverse move, squared',
  'log mean range of the 12 bars before',
  'previous bar return, toward the side',
  '12-bar return before, toward the side',
  'previous funding, toward the side',
  'previous bar open-interest change',
  'log realized, this side, previous bar',
  'log realized, other side, previous bar',
  'log open interest at the open',
] as const;

/**
 * The feature row of bar `i` for one side: the engine's causal estimate, the bar's adverse move
 * (the one figure of the bar the estimate may read besides the other extreme, which is kept out),
 * and figures of the bars before it. Nothing of bar `i` other than its open and its adverse extreme
 * is read. Returns are signed so that a positive value moves toward the side's liquidations (a fall
 * for longs); funding is signed the other way round (positive funding means crowded longs).
 */
export function causalFeatures(bars: readonly Bar[], estimate: readonly number[], realized: readonly RealizedLiquidations[], i: number, side: Side): number[] {
  const bar = bars[i]!;
  const previous = bars[i - 1]!;
  const sign = side === 'long' ? -1 : 1;
  const move = Math.log(adverseMove(bar, side) + MOVE_FLOOR);
  let rangeSum = 0;
  for (let j = i - HISTORY_BARS; j < i; j++) rangeSum += (bars[j]!.high - bars[j]!.low) / bars[j]!.open;
  const oi = (j: number): number => bars[j]!.openInterestUsd ?? 0;
  const same = side === 'long' ? realized[i - 1]!.longUsd : realized[i - 1]!.shortUsd;
  const other = side === 'long' ? realized[i - 1]!.shortUsd : realized[i - 1]!.longUsd;
  return [
    Math.log(estimate[i]! + USD_FLOOR),
    move,
    move * move,
    Math.log(rangeSum / HISTORY_BARS),
    (sign * (previous.close - previous.open)) / previous.open,
    (sign * (previous.close - bars[i - HISTORY_BARS]!.open)) / bars[i - HISTORY_BARS]!.open,
    sign * (previous.fundingRate ?? 0),
    oi(i - 2) > 0 ? (oi(i - 1) - oi(i - 2)) / oi(i - 2) : 0,
    Math.log(same + USD_FLOOR),
    Math.log(other + USD_FLOOR),
    Math.log(oi(i - 1) + USD_FLOOR),
  ];
}

/** Ridge regression on standardized columns (the intercept is not penalized). Returns a predictor. */
export function fitRidge(x: readonly number[][], y: readonly number[], lambda: number): (row: readonly number[]) => number {
  const n = x.length;
  const p = x[0]!.length;
  const mean = new Array<number>(p).fill(0);
  const sd = new Array<number>(p).fill(0);
  for (const row of x) for (let j = 0; j < p; j++) mean[j]! += row[j]! / n;
  for (const row of x) for (let j = 0; j < p; j++) sd[j]! += (row[j]! - mean[j]!) ** 2 / n;
  for (let j = 0; j < p; j++) sd[j] = Math.sqrt(sd[j]!) || 1;
  const z = (row: readonly number[]): number[] => [1, ...row.map((v, j) => (v - mean[j]!) / sd[j]!)];
  const q = p + 1;
  // Normal equations (Z'Z + lambda I) w = Z'y, solved by Gaussian elimination with partial pivoting.
  const a = Array.from({ length: q }, () => new Array<number>(q + 1).fill(0));
  for (let r = 0; r < n; r++) {
    const zr = z(x[r]!);
    for (let j = 0; j < q; j++) {
      for (let k = 0; k < q; k++) a[j]![k]! += zr[j]! * zr[k]!;
      a[j]![q]! += zr[j]! * y[r]!;
    }
  }
  for (let j = 1; j < q; j++) a[j]![j]! += lambda;
  for (let c = 0; c < q; c++) {
    let pivot = c;
    for (let r = c + 1; r < q; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[pivot]![c]!)) pivot = r;
    [a[c], a[pivot]] = [a[pivot]!, a[c]!];
    for (let r = 0; r < q; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k <= q; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  const w = a.map((row, j) => row[q]! / row[j]!);
  return (row) => z(row).reduce((sum, v, j) => sum + v * w[j]!, 0);
}

type TreeNode = { leaf: number } | { feature: number; threshold: number; left: TreeNode; right: TreeNode };

/** A regression tree on residuals: greedy splits at 19 quantiles of each feature, leaves of at least `minLeaf` rows. */
function fitTree(x: readonly number[][], r: readonly number[], rows: number[], depth: number, minLeaf: number): TreeNode {
  const total = rows.reduce((s, i) => s + r[i]!, 0);
  if (depth === 0 || rows.length < 2 * minLeaf) return { leaf: total / rows.length };
  let best: { gain: number; feature: number; threshold: number } | undefined;
  for (let f = 0; f < x[0]!.length; f++) {
    const sorted = rows.map((i) => x[i]![f]!).sort((a, b) => a - b);
    const thresholds = new Set<number>();
    for (let k = 1; k < 20; k++) thresholds.add(sorted[Math.floor((k / 20) * (sorted.length - 1))]!);
    for (const t of thresholds) {
      let sl = 0, nl = 0;
      for (const i of rows) if (x[i]![f]! <= t) { sl += r[i]!; nl++; }
      const nr = rows.length - nl;
      if (nl < minLeaf || nr < minLeaf) continue;
      const gain = (sl * sl) / nl + ((total - sl) * (total - sl)) / nr;
      if (!best || gain > best.gain) best = { gain, feature: f, threshold: t };
    }
  }
  if (!best) return { leaf: total / rows.length };
  const { feature, threshold } = best;
  return {
    feature,
    threshold,
    left: fitTree(x, r, rows.filter((i) => x[i]![feature]! <= threshold), depth - 1, minLeaf),
    right: fitTree(x, r, rows.filter((i) => x[i]![feature]! > threshold), depth - 1, minLeaf),
  };
}

function predictTree(node: TreeNode, row: readonly number[]): number {
  let n = node;
  while (!('leaf' in n)) n = row[n.feature]! <= n.threshold ? n.left : n.right;
  return n.leaf;
}

/** Gradient-boosted regression trees (squared error): 150 trees of depth 3, learning rate 0.05. */
export function fitBoosted(x: readonly number[][], y: readonly number[], rounds = 150, rate = 0.05, depth = 3, minLeaf = 15): (row: readonly number[]) => number {
  const start = y.reduce((s, v) => s + v, 0) / y.length;
  const fitted = new Array<number>(y.length).fill(start);
  const trees: TreeNode[] = [];
  const all = y.map((_, i) => i);
  for (let k = 0; k < rounds; k++) {
    const tree = fitTree(x, y.map((v, i) => v - fitted[i]!), all, depth, minLeaf);
    trees.push(tree);
    for (let i = 0; i < y.length; i++) fitted[i]! += rate * predictTree(tree, x[i]!);
  }
  return (row) => trees.reduce((s, t) => s + rate * predictTree(t, row), start);
}

type Fit = (x: readonly number[][], y: readonly number[]) => (row: readonly number[]) => number;

/** Out-of-fold predictions: `folds` contiguous blocks, each predicted by a model fitted on the others. */
export function crossValidated(x: readonly number[][], y: readonly number[], fit: Fit, folds = 5): number[] {
  const n = y.length;
  const out = new Array<number>(n).fill(0);
  for (let f = 0; f < folds; f++) {
    const from = Math.floor((f * n) / folds);
    const to = Math.floor(((f + 1) * n) / folds);
    const train = y.map((_, i) => i).filter((i) => i < from || i >= to);
    const model = fit(train.map((i) => x[i]!), train.map((i) => y[i]!));
    for (let i = from; i < to; i++) out[i] = model(x[i]!);
  }
  return out;
}

export interface CeilingScore {
  /** Spearman of the engine's causal estimate against realized (the calibration's figure). */
  readonly engine: number;
  /** Cross-validated Spearman of ridge regression on the causal features. */
  readonly ridge: number;
  /** The same ridge scored on the rows it was fitted to (no held-out fold): an upper bound for a linear fit. */
  readonly ridgeInSample: number;
  /** Cross-validated ridge on the engine's estimate and the bar's move alone (features 0-2). */
  readonly ridgeEstimateAndMove: number;
  /** Cross-validated ridge on all causal features but the previous bars' range. */
  readonly ridgeWithoutPriorRange: number;
  /** Cross-validated ridge on all causal features but the previous bar's realized liquidations. */
  readonly ridgeWithoutPriorLiquidations: number;
  /** Cross-validated Spearman of boosted trees on the causal features. */
  readonly boosted: number;
  /** Cross-validated Spearman of boosted trees given also the bar's opposite move (not causal for this side's map). */
  readonly boostedWithOppositeMove: number;
}

export interface CeilingReport {
  readonly scoredBars: number;
  readonly long: CeilingScore;
  readonly short: CeilingScore;
}

/** Ridge penalty on standardized features; 1-100 score within 0.003 of each other on the 30m file. */
const RIDGE_LAMBDA = 10;

/**
 * Scores the learners of this module on one run of the engine over a calibration file, after the
 * run's warm-up. Realized figures are the target as log(USD + 1,000).
 */
export function rankCeiling(run: CalibrationRun): CeilingReport {
  const { bars, perBar, realized } = run;
  const first = Math.max(run.warmupBars, HISTORY_BARS + 1);
  const side = (s: Side): CeilingScore => {
    const estimate = perBar.map((b) => (s === 'long' ? b.longUsd : b.shortUsd));
    const real: number[] = [];
    const est: number[] = [];
    const x: number[][] = [];
    const withOpposite: number[][] = [];
    for (let i = first; i < bars.length; i++) {
      const row = causalFeatures(bars, estimate, realized, i, s);
      x.push(row);
      withOpposite.push([...row, Math.log(adverseMove(bars[i]!, s === 'long' ? 'short' : 'long') + MOVE_FLOOR)]);
      real.push(s === 'long' ? realized[i]!.longUsd : realized[i]!.shortUsd);
      est.push(estimate[i]!);
    }
    const y = real.map((v) => Math.log(v + USD_FLOOR));
    const ridge: Fit = (a, b) => fitRidge(a, b, RIDGE_LAMBDA);
    const inSample = fitRidge(x, y, RIDGE_LAMBDA);
    const ridgeOn = (columns: number[]): number =>
      spearman(crossValidated(x.map((row) => columns.map((c) => row[c]!)), y, ridge), real);
    const all = CAUSAL_FEATURES.map((_, c) => c);
    return {
      engine: spearman(est, real),
      ridge: ridgeOn(all),
      ridgeInSample: spearman(x.map(inSample), real),
      ridgeEstimateAndMove: ridgeOn([0, 1, 2]),
      ridgeWithoutPriorRange: ridgeOn(all.filter((c) => c !== 3)),
      ridgeWithoutPriorLiquidations: ridgeOn(all.filter((c) => c !== 8 && c !== 9)),
      boosted: spearman(crossValidated(x, y, (a, b) => fitBoosted(a, b)), real),
      boostedWithOppositeMove: spearman(crossValidated(withOpposite, y, (a, b) => fitBoosted(a, b)), real),
    };
  };
  return { scoredBars: bars.length - first, long: side('long'), short: side('short') };
}
