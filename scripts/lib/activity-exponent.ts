/**
 * The volume a bar's range goes with, measured on recorded candles: the least-squares slope of
 * log(volume / its norm) on log(range / its norm), each norm the engine's own running mean
 * (flow-signals.ts `activity`: the mean takes the bar first, then divides by min(samples, span)).
 * The engine's `activityRangeExponent` default is this slope on Binance's recorded 1h candles
 * with a 30-day span (`activityNormHours`); tests/activity-exponent.test.ts keeps them equal.
 */
import { pearson, std } from '../../src/engine/stats';
import { num, readCsv } from '../../test-support/replay-server/csv';

export interface Candle {
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export interface ExponentMeasure {
  readonly slope: number;
  readonly correlation: number;
  readonly bars: number;
}

/** Candles per venue from the recorded 1h file (columns venue, h, l, c, v; every cell a number). */
export function candlesByVenue(file: string): Map<string, Candle[]> {
  const t = readCsv(file);
  const c = { venue: t.col('venue'), h: t.col('h'), l: t.col('l'), c: t.col('c'), v: t.col('v') };
  const out = new Map<string, Candle[]>();
  for (const row of t.rows) {
    const venue = row[c.venue]!;
    const list = out.get(venue) ?? [];
    list.push({ high: num(row, c.h, file), low: num(row, c.l, file), close: num(row, c.c, file), volume: num(row, c.v, file) });
    out.set(venue, list);
  }
  return out;
}

/** Slope and correlation of log(volume / norm) on log(range / norm), norms spanning `spanBars`. */
export function measureActivityExponent(candles: readonly Candle[], spanBars: number, warmupBars = 50): ExponentMeasure {
  let volumeMean = 0;
  let rangeMean = 0;
  let samples = 0;
  const xs: number[] = [];
  const ys: number[] = [];
  for (const candle of candles) {
    const range = (candle.high - candle.low) / candle.close;
    if (!(range > 0 && candle.volume > 0)) continue;
    samples++;
    const divisor = Math.min(samples, spanBars);
    volumeMean += (candle.volume - volumeMean) / divisor;
    rangeMean += (range - rangeMean) / divisor;
    if (samples <= warmupBars) continue;
    xs.push(Math.log(range / rangeMean));
    ys.push(Math.log(candle.volume / volumeMean));
  }
  // Least-squares slope = correlation x (spread of y / spread of x).
  const correlation = pearson(xs, ys);
  return { slope: (correlation * std(ys)) / std(xs), correlation, bars: xs.length };
}
