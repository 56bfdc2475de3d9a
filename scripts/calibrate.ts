/**
 * Calibration against realized liquidations.
 *
 *   npm run calibrate [-- <file.csv>] [--warmup N] [--json]
 *
 * Default file: ../shared/data/btc-30m-agg3ex-with-liquidations.csv (BTC 30m aggregated over
 * Binance+Bybit+OKX, with the liquidations that really happened in each bar). Any CSV in that
 * layout works, so the same measure runs on longer series kept outside the repository.
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
    console.log(`file: ${file}`);
    console.log(`bars: ${report.bars} (warm-up ${report.warmupBars} bars excluded, ${report.scoredBars} scored)`);
    console.log('Spearman rank correlation of estimated vs realized liquidations per bar:');
    for (const side of ['long', 'short'] as const) {
      const r = report[side];
      console.log(
        `  ${side.padEnd(5)}  model ${r.model.toFixed(3)}   baseline (OI x adverse move) ${r.baseline.toFixed(3)}   ` +
          `margin ${(r.model - r.baseline >= 0 ? '+' : '') + (r.model - r.baseline).toFixed(3)}   ${r.meetsTarget ? 'meets' : 'misses'} target`,
      );
    }
    console.log(`target: >= ${CALIBRATION_TARGET.minimum} on both sides and >= ${CALIBRATION_TARGET.margin} above the baseline`);
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
