/**
 * Calibration against realized liquidations.
 *
 *   npm run calibrate [-- <file.csv>] [--warmup N] [--json]
 *
 * Default file: ../shared/data/btc-30m-agg3ex-with-liquidations.csv (BTC 30m aggregated over
 * Binance+Bybit+OKX, with the liquidations that really happened in each bar). Any CSV in that
 * layout works, so the same measure runs on longer series kept outside the repository.
 *
 * Prints per side: Spearman of the causal estimate (the map at the previous bar's end swept over
 * the bar's low..high) and of the baseline against realized liquidations, the partial Spearman
 * given the baseline, the top-decile overlap, and the scale (sum ratio, median per-bar ratio).
 * What the figures mean and the current ones: docs/calibration.md.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { calibrate, CALIBRATION_TARGET } from './lib/calibration';

const DEFAULT_FILE = resolve(import.meta.dirname, '../../shared/data/btc-30m-agg3ex-with-liquidations.csv');

function main(argv: string[]): number {
  let file = DEFAULT_FILE;
  let warmup: number | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--warmup') warmup = Number(argv[++i]);
    else if (arg === '--json') json = true;
    else if (arg.startsWith('--')) {
      console.error(`unknown option ${arg}\nusage: npm run calibrate [-- <file.csv>] [--warmup N] [--json]`);
      return 2;
    } else file = resolve(arg);
  }
  const text = readFileSync(file, 'utf8');
  const report = calibrate(text, warmup === undefined ? {} : { warmupBars: warmup });
  if (json) {
    console.log(JSON.stringify(report));
  } else {
    const t = CALIBRATION_TARGET;
    const f = (x: number): string => x.toFixed(3);
    const signed = (x: number): string => (x >= 0 ? '+' : '') + x.toFixed(3);
    console.log(`file: ${file}`);
    console.log(`bars: ${report.bars} (warm-up ${report.warmupBars} bars excluded, ${report.scoredBars} scored)`);
    console.log('estimate of a bar = the map as it stood at the end of the previous bar, swept over the bar\'s low..high (causal)');
    for (const side of ['long', 'short'] as const) {
      const r = report[side];
      console.log(`${side}:`);
      console.log(`  Spearman vs realized      model ${f(r.model)}   baseline (OI x adverse move) ${f(r.baseline)}   margin ${signed(r.model - r.baseline)}`);
      console.log(`  partial Spearman given the baseline  ${f(r.partial)}`);
      console.log(`  top-decile overlap        model ${f(r.topDecile)}   baseline ${f(r.baselineTopDecile)}   margin ${signed(r.topDecile - r.baselineTopDecile)}`);
      console.log(
        `  scale                     sum(est)/sum(realized) ${f(r.sumRatio)} ($${(r.estimatedUsd / 1e6).toFixed(1)}M / $${(r.realizedUsd / 1e6).toFixed(1)}M)   ` +
          `median per-bar ratio ${f(r.medianRatio)} over ${r.medianBars} bars with >= $${t.medianFloorUsd / 1000}k realized`,
      );
      console.log(
        `  bars with an adverse move under 0.02 % ${r.flatBars} (out of the map's reach): realized $${(r.flatBarsRealizedUsd / 1e6).toFixed(1)}M, ` +
          `Spearman with the opposite move ${f(r.flatBarsOppositeSpearman)}`,
      );
      console.log(`  rank targets ${r.meetsTarget ? 'met' : 'missed'}, scale ${r.meetsScale ? 'in range' : 'out of range'}`);
    }
    console.log(
      `targets: Spearman >= ${t.minimum} and >= ${t.margin} above the baseline, partial >= ${t.partial}, top-decile overlap >= baseline + ${t.decileMargin}; ` +
        `sum ratio in [${t.sumRatio.join(', ')}], median ratio in [${t.medianRatio.join(', ')}]`,
    );
    console.log('realized figures are a published sample: Binance sends at most one liquidation order per symbol per second (docs/calibration.md)');
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
