import type { EngineConfig } from '../../src/engine/config';
import { parseBarsCsv } from '../../src/engine/csv-input';
import { Estimator } from '../../src/engine/estimator';
import { spearman } from '../../src/engine/stats';

export const CALIBRATION_TARGET = { minimum: 0.8, margin: 0.05 } as const;

/**
 * Warm-up: the estimated map starts empty and needs a day of opened positions before its sweeps
 * mean anything, so the first 24 hours of bars are not scored.
 */
const WARMUP_MS = 24 * 3_600_000;

export interface SideScore {
  readonly model: number;
  readonly baseline: number;
  readonly meetsTarget: boolean;
}

export interface CalibrationReport {
  readonly bars: number;
  readonly warmupBars: number;
  readonly scoredBars: number;
  readonly long: SideScore;
  readonly short: SideScore;
}

/**
 * Scores the model's per-bar estimated liquidations against the realized ones in a CSV of the
 * regime-export layout (realized `liquidation_long_usd` / `liquidation_short_usd` columns).
 * The baseline is "open interest x the bar's adverse move": long OI·(open−low)/open, short
 * OI·(high−open)/open, with the OI at the bar's open (the previous bar's close value).
 */
export function calibrate(csv: string, options: { warmupBars?: number; config?: Partial<EngineConfig> } = {}): CalibrationReport {
  const { series, realized } = parseBarsCsv(csv);
  if (!realized) throw new Error('the file has no realized liquidation columns (liquidation_long_usd, liquidation_short_usd)');
  const estimator = new Estimator(options.config ? { config: options.config } : {});
  const perBar = estimator.append([series]);
  const bars = series.bars;
  const timeframe = estimator.timeframeMs;
  const warmupBars = options.warmupBars ?? Math.ceil(WARMUP_MS / timeframe);
  const modelLong: number[] = [];
  const modelShort: number[] = [];
  const baseLong: number[] = [];
  const baseShort: number[] = [];
  const realLong: number[] = [];
  const realShort: number[] = [];
  for (let i = Math.max(1, warmupBars); i < bars.length; i++) {
    const bar = bars[i]!;
    const oiAtOpen = bars[i - 1]!.openInterestUsd ?? 0;
    modelLong.push(perBar[i]!.longUsd);
    modelShort.push(perBar[i]!.shortUsd);
    baseLong.push((oiAtOpen * (bar.open - bar.low)) / bar.open);
    baseShort.push((oiAtOpen * (bar.high - bar.open)) / bar.open);
    realLong.push(realized[i]!.longUsd);
    realShort.push(realized[i]!.shortUsd);
  }
  const score = (model: number[], baseline: number[], real: number[]): SideScore => {
    const m = spearman(model, real);
    const b = spearman(baseline, real);
    return { model: m, baseline: b, meetsTarget: m >= CALIBRATION_TARGET.minimum && m - b >= CALIBRATION_TARGET.margin };
  };
  return {
    bars: bars.length,
    warmupBars,
    scoredBars: modelLong.length,
    long: score(modelLong, baseLong, realLong),
    short: score(modelShort, baseShort, realShort),
  };
}
