/**
 * Engine benchmarks: `npm run bench`. One JSON line per figure, medians of several runs.
 *
 * Series: the recorded Binance BTCUSDT 5m file (8,015 bars, 2026-05-25..06-22). A 30-day window
 * is 8,640 bars, so the last 625 bars are stitched on from the same recording: bars 1..625 of the
 * file, re-timed to follow the last bar and re-based in price and open interest so that their
 * returns and OI changes are the recorded ones. No price path is invented.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { performance } from 'node:perf_hooks';
import { parseBarsCsv } from '../src/engine/csv-input';
import { estimate, latestMap } from '../src/engine/estimate';
import { BucketBinning, Estimator } from '../src/engine/estimator';
import { computeContext } from '../src/engine/context';
import { findPools } from '../src/engine/pools';
import { assessRisk } from '../src/engine/risk';
import type { ExchangeSeries } from '../src/engine/types';
import type { Lookback } from '../src/messaging/contract';
import { runJob } from '../src/worker/api';
import { EstimateSession } from '../src/worker/estimate-session';
import type { EstimatorHost } from '../src/worker/host';
import { createEstimateService, planLoad } from '../src/worker/service';
import { inProcessHost } from '../tests/support/in-process-host';
import { stitched } from './lib/bench-series';

const DATA = resolve(import.meta.dirname, '../../shared/data/binance-btcusdt-5m-ohlc-oi-funding-cvd.csv');
const TARGET_BARS = 8_640;
const EXTRA_BARS = 200;

interface Figures {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Median CPU time of the process per run (user + system): less sensitive to other load on a shared machine. */
  readonly cpuMedian: number;
}

/** `before` runs ahead of each timed run, outside the timing. */
function timeRuns(runs: number, body: (run: number) => void, before?: () => void): Figures {
  const times: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < runs; run++) {
    before?.();
    const usage = process.cpuUsage();
    const start = performance.now();
    body(run);
    times.push(performance.now() - start);
    const used = process.cpuUsage(usage);
    cpu.push((used.user + used.system) / 1000);
  }
  return summarize(times, cpu);
}

function summarize(times: number[], cpu: number[]): Figures {
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, min: times[0]!, max: times.at(-1)!, cpuMedian: cpu[Math.floor(cpu.length / 2)]! };
}

function report(name: string, runs: number, figures: Figures, budgetMs: number, extra: object = {}): void {
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  console.log(JSON.stringify({
    bench: name,
    median_ms: round(figures.median),
    min_ms: round(figures.min),
    max_ms: round(figures.max),
    cpu_median_ms: round(figures.cpuMedian),
    runs,
    budget_ms: budgetMs,
    within_budget: figures.median < budgetMs,
    ...extra,
  }));
}

const csvText = readFileSync(DATA, 'utf8');
const parsed = parseBarsCsv(csvText);
const all = stitched(parsed.series.bars, TARGET_BARS + EXTRA_BARS);
const series: ExchangeSeries = { ...parsed.series, bars: all.slice(0, TARGET_BARS) };
const extra = all.slice(TARGET_BARS);

// Warm up the way a long-lived worker is warm after its first requests. A fresh process needs
// about ten full runs to settle (V8 compiling the hot methods, the heap growing to its working
// size): with three, the first measured runs took 50-117 ms against 36-46 ms afterwards.
for (let i = 0; i < 10; i++) estimate([series], { heatmap: { rows: 500 } });
for (let i = 0; i < 3; i++) estimate([series], { heatmap: { rows: 500, barsPerColumn: 12 } });

const fullRuns = 15;
for (const barsPerColumn of [1, 12]) {
  let pools = 0;
  let columns = 0;
  const full = timeRuns(fullRuns, () => {
    const result = estimate([series], { heatmap: { rows: 500, barsPerColumn } });
    pools = result.pools.length;
    columns = result.heatmap.columns;
  });
  report(`full run: 8,640 bars -> ${columns}x500 heatmap (${barsPerColumn === 1 ? 'one column per bar' : `${barsPerColumn} bars per column`}) + pools + context`, fullRuns, full, 50, {
    bars: TARGET_BARS,
    recorded_bars: parsed.series.bars.length,
    grid: `${columns}x500`,
    pools,
  });
}

// The same full run when a full garbage collection ran since the last estimate, as it does between
// two estimates minutes apart in the worker. Every run is preceded by one (not timed). V8 drops
// compiled code whose hidden classes a collection freed, so this is the figure that shows whether
// the engine keeps them (see `retained` in estimator.ts).
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
{
  let pools = 0;
  const afterGc = timeRuns(fullRuns, () => {
    pools = estimate([series], { heatmap: { rows: 500 } }).pools.length;
  }, collectGarbage);
  report('full run after a full garbage collection: 8,640 bars -> 8640x500 heatmap (one column per bar) + pools + context', fullRuns, afterGc, 50, {
    bars: TARGET_BARS,
    grid: '8640x500',
    pools,
  });
}

// One-bar update: append one closed bar, add its heatmap column, rebuild map, pools, context.
const estimator = new Estimator();
estimator.append([series]);
const edges = estimate([series], { heatmap: { rows: 500 } }).heatmap.priceEdges;
const column = new Float32Array(500);
const binning = new BucketBinning();
const update = timeRuns(EXTRA_BARS, (run) => {
  estimator.append([{ ...series, bars: [extra[run]!] }]);
  column.fill(0);
  estimator.sampleInto(edges, column, 0, binning);
  const map = latestMap(estimator);
  findPools(map);
  computeContext({ bars: estimator.barColumns, timeframeMs: estimator.timeframeMs, exchanges: estimator.exchangeCount, atr: estimator.atr });
});
report('one-bar incremental update (+ heatmap column, map, pools, context)', EXTRA_BARS, update, 1);

const map = latestMap(estimator);
const mapPools = findPools(map);
const price = map.price;
const riskRuns = 2_000;
const risk = timeRuns(riskRuns, (run) => {
  const side = run % 2 === 0 ? 'long' : 'short';
  const offset = (run % 50) / 5000;
  assessRisk(
    {
      side,
      entry: price * (1 + (side === 'long' ? -offset : offset)),
      stop: price * (side === 'long' ? 0.985 - offset : 1.015 + offset),
      takeProfit: price * (side === 'long' ? 1.03 : 0.97),
      leverage: 20,
      sizeUsd: 25_000,
    },
    map,
    mapPools,
  );
});
report('risk assessment (one planned order)', riskRuns, risk, 1, { pools: mapPools.length });

// Reading the recorded CSV file (the CLI's input path).
const csvRuns = 10;
report(`parse CSV (${parsed.series.bars.length} recorded rows)`, csvRuns, timeRuns(csvRuns, () => parseBarsCsv(csvText)), 100);

// Pool finding on the latest map (done after every update, in the worker).
const poolRuns = 500;
report(`find pools (${map.long.length}-bin latest map)`, poolRuns, timeRuns(poolRuns, () => findPools(map)), 2, { pools: mapPools.length });

// Minute refresh of an open panel's view, one new 5m bar each time (the bar that was forming
// closes, a new one opens). Before: the whole estimate over the loaded bars (`runJob`, what every
// refresh did). After: the kept state extended by those two bars and its output (`EstimateSession`).
// Then the whole refresh in the background's service (bars from memory, compact view built), with
// the kept state and with it refused every time (the fall-back path).
const refreshRuns = 60;
for (const [lookback, loaded] of [['24h', 576], ['3d', 1_152], ['30d', 8_640]] as const) {
  const plan = planLoad(lookback as Lookback, '5m');
  const barsPerColumn = Math.max(1, Math.ceil(plan.windowBars / 180));
  const heatmap = { columns: Math.floor(plan.windowBars / barsPerColumn), barsPerColumn, rows: 120 };
  const window = (end: number): ExchangeSeries => ({ ...series, timeframeMs: 300_000, bars: all.slice(end - loaded, end) });
  const first = TARGET_BARS;
  const full = timeRuns(refreshRuns, (run) => runJob({ series: [window(first + 1 + run)], heatmap }));
  const session = EstimateSession.start({ series: [window(first)], heatmap });
  const kept = timeRuns(refreshRuns, (run) => {
    session.extend([{ ...series, timeframeMs: 300_000, bars: all.slice(first + run - 1, first + run + 1) }]);
    session.output();
  });
  const grid = `${heatmap.columns}x120`;
  report(`minute refresh, estimate in the worker, before (whole estimate): ${lookback} view, ${loaded} bars -> ${grid}`, refreshRuns, full, 50, { bars: loaded });
  report(`minute refresh, estimate in the worker, after (kept state + 2 bars): ${lookback} view, ${loaded} bars -> ${grid}`, refreshRuns, kept, 5, { bars: loaded, appended: 2 });

  for (const mode of ['whole estimate', 'kept state'] as const) {
    let end = first;
    const inner = inProcessHost();
    const host: EstimatorHost =
      mode === 'kept state'
        ? inner
        : { ...inner, session: (request) => (request.kind === 'extend' ? Promise.resolve({ ok: false, reason: 'missing', message: 'bench: whole estimate' }) : inner.session(request)) };
    const service = createEstimateService({
      host,
      version: 'bench',
      reuseMs: 0,
      loadSeries: async (exchange, symbol) => ({ series: { ...window(end), exchange, symbol } }),
    });
    const req = { exchange: 'binance', symbol: 'BTCUSDT', lookback: lookback as Lookback, timeframe: '5m' } as const;
    await service.getEstimate(req);
    const times: number[] = [];
    const cpu: number[] = [];
    for (let run = 0; run < refreshRuns; run++) {
      end++;
      const usage = process.cpuUsage();
      const started = performance.now();
      await service.refresh(req);
      times.push(performance.now() - started);
      const used = process.cpuUsage(usage);
      cpu.push((used.user + used.system) / 1000);
    }
    const figures = summarize(times, cpu);
    report(`minute refresh, whole service (bars in memory, view built), ${mode === 'kept state' ? 'after' : 'before'} (${mode}): ${lookback} view, ${loaded} bars`, refreshRuns, figures, 50, { bars: loaded });
  }
}
