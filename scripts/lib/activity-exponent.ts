/**
 * The volume a bar's range goes with, measured on recorded candles: the least-squares slope of
 * log(volume / its norm) on log(range / its norm), each norm the engine's own running mean
 * (flow-signals.ts `activity`: the mean takes the bar first, then divides by min(samples, span)).
 * The engine's `activityRangeExponent` default is this slope on Binance's recorded 1h candles
 * with a 30-day span (`activityNormHours`); tests/activity-exponent.test.ts keeps them equal.
 */

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

/** Candles per venue from the recorded 1h file's CSV text (columns ts_ms, …, venue, coin, o, h, l, c, v). */
export function candlesByVenue(csv: string): Map<string, Candle[]> {
  const lines = csv.split(/\r?\n/).filter((line) => line.length > 0);
  const header = lines[0]!.split(',');
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`the candle file has no ${name} column`);
    return i;
  };
  const [venue, h, l, c, v] = [col('venue'), col('h'), col('l'), col('c'), col('v')];
  const out = new Map<string, Candle[]>();
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    const list = out.get(f[venue]!) ?? [];
    list.push({ high: Number(f[h]), low: Number(f[l]), close: Number(f[c]), volume: Number(f[v]) });
    out.set(f[venue]!, list);
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
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  return { slope: sxy / sxx, correlation: sxy / Math.sqrt(sxx * syy), bars: n };
}
