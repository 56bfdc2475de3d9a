/**
 * The full run of the current engine against the engine of an earlier git revision, in one
 * process: `npm run bench:compare -- [old] [new]` (old defaults to HEAD, the last commit: pass the
 * commit before an engine change to measure it; new defaults to the working tree, and the same
 * revision twice shows the method's own noise). The revision's `src/engine/` is extracted into a temporary
 * directory and imported next to the current one; the two run interleaved (ABBA order, so neither
 * always runs right after the other's garbage), and each layout prints both medians and the
 * ratio new/old (also the median of each back-to-back pair's ratio, and CPU times). A shared 2-core machine swings 2x between minutes, so only figures from the same
 * run are compared. The two engines' outputs are compared too (cells, column scales, per-bar rows).
 *
 * Series: the 8,640-bar 5m series of `npm run bench` (see lib/bench-series.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseBarsCsv } from '../src/engine/csv-input';
import { estimate as estimateWorkingTree } from '../src/engine/estimate';
import type { EstimateResult, ExchangeSeries } from '../src/engine/types';
import { stitched } from './lib/bench-series';

const ROOT = resolve(import.meta.dirname, '..');
const DATA = resolve(ROOT, '../shared/data/binance-btcusdt-5m-ohlc-oi-funding-cvd.csv');
const TARGET_BARS = 8_640;
const WARMUP = 10;
const RUNS = 31;

const git = (...args: string[]): string => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
type Estimate = (series: readonly ExchangeSeries[], options: { heatmap: { rows: number; barsPerColumn: number } }) => EstimateResult;

/** Imports `estimate` from the engine as it was at `commit`, extracted into a temporary directory. */
async function engineAt(commit: string): Promise<Estimate> {
  const dir = mkdtempSync(join(tmpdir(), 'liqlens-engine-'));
  try {
    // ES modules, as the working tree's engine (package.json "type": "module").
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    for (const path of git('ls-tree', '-r', '--name-only', commit, 'src/engine').split('\n').filter(Boolean)) {
      const target = join(dir, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, execFileSync('git', ['show', `${commit}:${path}`], { cwd: ROOT, maxBuffer: 64 << 20 }));
    }
    return ((await import(join(dir, 'src/engine/estimate.ts'))) as { estimate: Estimate }).estimate;
  } finally {
    // The modules are loaded: the files are no longer needed.
    rmSync(dir, { recursive: true, force: true });
  }
}

const oldCommit = git('rev-parse', '--short', process.argv[2] ?? 'HEAD').trim();
// A second revision replaces the working tree's engine; the same one twice shows the method's noise.
const newCommit = process.argv[3] === undefined ? undefined : git('rev-parse', '--short', process.argv[3]).trim();
const estimateOld = await engineAt(oldCommit);
const estimateNew: Estimate = newCommit === undefined ? estimateWorkingTree : await engineAt(newCommit);

const parsed = parseBarsCsv(readFileSync(DATA, 'utf8'));
const series: ExchangeSeries = { ...parsed.series, bars: stitched(parsed.series.bars, TARGET_BARS) };

/** The parts of two results that differ (empty when the outputs are identical), so an intended change can be told from a slip. */
function differingParts(a: EstimateResult, b: EstimateResult): string[] {
  const bytes = (x: ArrayBufferView): Buffer => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
  const parts: string[] = [];
  if (!bytes(a.heatmap.cells).equals(bytes(b.heatmap.cells))) parts.push('heatmap.cells');
  if (!bytes(a.heatmap.columnScale ?? new Float64Array(0)).equals(bytes(b.heatmap.columnScale ?? new Float64Array(0)))) parts.push('heatmap.columnScale');
  if (JSON.stringify(a.perBar) !== JSON.stringify(b.perBar)) parts.push('perBar');
  if (JSON.stringify(a.pools) !== JSON.stringify(b.pools)) parts.push('pools');
  for (const key of new Set([...Object.keys(a.context), ...Object.keys(b.context)]) as Set<keyof EstimateResult['context']>) {
    if (JSON.stringify(a.context[key]) !== JSON.stringify(b.context[key])) parts.push(`context.${key}`);
  }
  return parts;
}

const outputComparison = (parts: string[]) => (parts.length === 0 ? { identical_output: true } : { identical_output: false, differing: parts });

const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const round = (x: number): number => Math.round(x * 1000) / 1000;

// The after-GC layout: a full collection (not timed) before every run, as between two estimates
// minutes apart in the worker; it shows whether compiled code survives (see `retained` in estimator.ts).
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

for (const [barsPerColumn, afterGc] of [[1, false], [12, false], [1, true]] as const) {
  const options = { heatmap: { rows: 500, barsPerColumn } };
  const engines: [string, Estimate][] = [['old', estimateOld], ['new', estimateNew]];
  for (let i = 0; i < WARMUP; i++) for (const [, run] of engines) run([series], options);
  const times: Record<string, number[]> = { old: [], new: [] };
  const cpu: Record<string, number[]> = { old: [], new: [] };
  for (let i = 0; i < RUNS; i++) {
    const order = i % 2 === 0 ? engines : [...engines].reverse();
    for (const [name, run] of order) {
      if (afterGc) collectGarbage();
      const usage = process.cpuUsage();
      const start = performance.now();
      run([series], options);
      times[name]!.push(performance.now() - start);
      const used = process.cpuUsage(usage);
      cpu[name]!.push((used.user + used.system) / 1000);
    }
  }
  const oldMs = median(times['old']!);
  const newMs = median(times['new']!);
  // Each pair ran back to back: the median of the pairs' ratios is less moved by load that
  // changes over the run than the ratio of the medians.
  const pairRatio = median(times['new']!.map((t, i) => t / times['old']![i]!));
  console.log(JSON.stringify({
    bench: `full run${afterGc ? ' after a full garbage collection' : ''}, ${newCommit ?? 'working tree'} vs ${oldCommit}: ${TARGET_BARS} bars -> 500-row heatmap (${barsPerColumn === 1 ? 'one column per bar' : `${barsPerColumn} bars per column`}) + pools + context`,
    old_median_ms: round(oldMs),
    new_median_ms: round(newMs),
    ratio_new_old: round(newMs / oldMs),
    paired_ratio_median: round(pairRatio),
    old_cpu_median_ms: round(median(cpu['old']!)),
    new_cpu_median_ms: round(median(cpu['new']!)),
    runs: RUNS,
    budget_ratio: 1.1,
    within_budget: newMs / oldMs <= 1.1,
    ...outputComparison(differingParts(estimateOld([series], options), estimateNew([series], options))),
  }));
}
