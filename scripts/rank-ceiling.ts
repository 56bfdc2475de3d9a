/**
 * How far any model ranks realized liquidations from what was known when each bar opened.
 *
 *   npm run rank-ceiling [-- <file.csv>]
 *
 * Fits ridge regression and boosted trees to the calibration file (five contiguous folds, each
 * predicted by a model fitted on the other four) on the engine's causal estimate, the bar's adverse
 * move and figures of the bars before it, and prints their Spearman per side next to the engine's
 * and the baseline's. Learners fitted to the file are a ceiling for the engine, never a model of it
 * (docs/calibration.md, "How high a causal estimate can rank").
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runOnFile, scoreRun } from './lib/calibration';
import { CAUSAL_FEATURES, rankCeiling } from './lib/rank-ceiling';

const DEFAULT_FILE = resolve(import.meta.dirname, '../../shared/data/btc-30m-agg3ex-with-liquidations.csv');

const args = process.argv.slice(2);
if (args.some((a) => a.startsWith('--'))) {
  console.error('usage: npm run rank-ceiling [-- <file.csv>]');
  process.exit(2);
}
const file = args[0] ? resolve(args[0]) : DEFAULT_FILE;
// One run of the engine feeds both the calibration's baseline and the learners.
const run = runOnFile(readFileSync(file, 'utf8'));
const calibration = scoreRun(run);
const report = rankCeiling(run);
const f = (x: number): string => x.toFixed(3);
console.log(`file: ${file}`);
console.log(`scored bars: ${report.scoredBars} (after a warm-up of ${calibration.warmupBars} bars)`);
console.log(`causal features: ${CAUSAL_FEATURES.join('; ')}`);
for (const side of ['long', 'short'] as const) {
  const r = report[side];
  console.log(`${side}:`);
  console.log(`  Spearman vs realized   engine ${f(r.engine)}   baseline ${f(calibration[side].baseline)}`);
  console.log(`  learners fitted to this file, causal features   ridge ${f(r.ridge)} (in-sample ${f(r.ridgeInSample)})   boosted trees ${f(r.boosted)}`);
  console.log(
    `  ridge on the estimate and the move alone ${f(r.ridgeEstimateAndMove)}   without the bars-before range ${f(r.ridgeWithoutPriorRange)}   ` +
      `without the previous bar's realized liquidations ${f(r.ridgeWithoutPriorLiquidations)}`,
  );
  console.log(`  boosted trees given also the bar's opposite move (not causal for this side)   ${f(r.boostedWithOppositeMove)}`);
}
