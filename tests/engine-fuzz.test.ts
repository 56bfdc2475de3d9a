/**
 * Engine fuzzing: many short generated series whose fields are drawn from adversarial values
 * (NaN, ±Infinity, zero, negative, 1e300, 1e-300, missing fields, duplicate and unsorted
 * timestamps, huge jumps, zero open interest) pushed through validation, the estimate (per-bar
 * liquidations, heatmap, map, pools, context) and the risk assessment.
 *
 * Invalid input must end in an InputError naming the bar and the field; valid input must give no
 * exception and no NaN, infinite or negative number anywhere. Series are short so that the
 * 10,000+ cases run in seconds.
 *
 * A second property runs valid series of hundreds of bars built from regimes that reach the
 * engine's rarer paths, and asserts that they were reached: a stretch of unchanged open interest
 * (the stale-OI rule), far levels waiting for their hourly batch, and an open interest that swings
 * by 10^4 every bar for long enough that the levels' shared scale would underflow to zero without
 * its renormalisation (after which new positions would be Infinity or NaN).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/engine/config';
import { estimate } from '../src/engine/estimate';
import { Estimator } from '../src/engine/estimator';
import { assessRisk } from '../src/engine/risk';
import type { Bar, EstimateResult, ExchangeSeries } from '../src/engine/types';
import { InputError, validateSeries } from '../src/engine/validate';
import { EXCHANGES } from './support/arbitraries';
import { T0 } from './support/series';

const CASES = 10_000;

/** Never valid in any number field of a bar; 1e300 and MAX_VALUE are beyond the accepted ranges of prices and OI. */
const BAD_NUMBERS = [Number.NaN, Infinity, -Infinity, 0, -1, -1e300, 1e300, Number.MAX_VALUE] as const;

/**
 * A shape factor for a price field: mostly ordinary, sometimes a x1.2 wick either way. (Larger
 * moves come as jumps between bars: a x1000 range inside one bar is valid but slow to walk, bar by bar.)
 */
const priceValue = fc.oneof(
  { weight: 20, arbitrary: fc.double({ min: 0.9, max: 1.1, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(1.2, 1 / 1.2, 1 + Number.EPSILON) },
);

/** Open interest: ordinary, zero, extreme (1e300, MAX_VALUE) or missing (undefined). */
const oiValue = fc.oneof(
  { weight: 20, arbitrary: fc.double({ min: 1e6, max: 1e9, noNaN: true }) },
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.constantFrom(1e18, 1e-300, Number.MIN_VALUE) },
);

/** An optional field: absent, ordinary or extreme. */
function optional(ordinary: fc.Arbitrary<number>): fc.Arbitrary<number | undefined> {
  return fc.oneof(
    { weight: 10, arbitrary: fc.constant(undefined) },
    { weight: 10, arbitrary: ordinary },
    { weight: 1, arbitrary: fc.constantFrom(0, 1e300, Number.MIN_VALUE) },
  );
}

const FIELDS = ['timestamp', 'open', 'high', 'low', 'close', 'openInterestUsd', 'openInterestBase', 'volume', 'takerBuyVolume', 'cvd', 'fundingRate', 'longShortRatio'] as const;

/** One deliberate breakage: a bad number in one field of one bar. */
interface Corruption {
  readonly bar: number;
  readonly field: (typeof FIELDS)[number];
  readonly value: number;
}

const corruptionArb: fc.Arbitrary<Corruption> = fc.record({
  bar: fc.nat(),
  field: fc.constantFrom(...FIELDS),
  value: fc.constantFrom(...BAD_NUMBERS),
});

interface RawBar {
  /** Step from the previous bar in timeframes: 1 usually, 0 (duplicate), -1 (unsorted) or a gap. */
  readonly step: number;
  /** Price level multiplier against the previous close (huge jumps included). */
  readonly jump: number;
  readonly shape: readonly [number, number, number, number];
  readonly oi: number | undefined;
  readonly oiInBase: boolean;
  readonly volume: number | undefined;
  readonly takerBuyVolume: number | undefined;
  readonly cvd: number | undefined;
  readonly fundingRate: number | undefined;
  readonly longShortRatio: number | undefined;
}

const rawBar: fc.Arbitrary<RawBar> = fc.record({
  step: fc.oneof({ weight: 60, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constantFrom(0, -1) }, { weight: 2, arbitrary: fc.constantFrom(7, 1000) }),
  jump: fc.oneof({ weight: 25, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constantFrom(1e6, 1e-6, 1000, 1e-3, 2, 0.5) }),
  shape: fc.tuple(priceValue, priceValue, priceValue, priceValue),
  oi: oiValue,
  oiInBase: fc.boolean(),
  volume: optional(fc.double({ min: 0, max: 1e4, noNaN: true })),
  takerBuyVolume: optional(fc.double({ min: 0, max: 1e4, noNaN: true })),
  cvd: optional(fc.double({ min: -1e6, max: 1e6, noNaN: true })),
  fundingRate: optional(fc.double({ min: -0.01, max: 0.01, noNaN: true })),
  longShortRatio: optional(fc.double({ min: 0.1, max: 10, noNaN: true })),
});

type MutableBar = { -readonly [K in keyof Bar]: Bar[K] };

/**
 * Builds bars from raw draws: prices follow the previous close times `jump`, shaped into a
 * high/low/open/close (which can break high >= low when a shape value is invalid or extreme).
 */
function buildBars(raws: readonly RawBar[], stepMs: number, startPrice: number, corruption: Corruption | undefined): Bar[] {
  const bars: Bar[] = [];
  let t = T0;
  let level = startPrice;
  for (const [i, raw] of raws.entries()) {
    if (i > 0) t += raw.step * stepMs;
    // Levels stay where a wick is still inside the accepted price range.
    level = Math.min(1e11, Math.max(1e-8, level * raw.jump));
    const [a, b, c, d] = raw.shape.map((x) => x * level) as [number, number, number, number];
    const high = Math.max(a, b, c, d);
    const low = Math.min(a, b, c, d);
    const bar: MutableBar = { timestamp: t, open: b, high, low, close: c };
    if (raw.oi !== undefined) {
      if (raw.oiInBase) bar.openInterestBase = raw.oi / (Number.isFinite(bar.close) && bar.close > 0 ? bar.close : 1);
      else bar.openInterestUsd = raw.oi;
    }
    if (raw.volume !== undefined) bar.volume = raw.volume;
    if (raw.takerBuyVolume !== undefined) bar.takerBuyVolume = raw.takerBuyVolume;
    if (raw.cvd !== undefined) bar.cvd = raw.cvd;
    if (raw.fundingRate !== undefined) bar.fundingRate = raw.fundingRate;
    if (raw.longShortRatio !== undefined) bar.longShortRatio = raw.longShortRatio;
    if (corruption && corruption.bar % raws.length === i) bar[corruption.field] = corruption.value;
    bars.push(bar);
    level = Math.min(1e11, Math.max(1e-8, c));
  }
  return bars;
}

const seriesArb: fc.Arbitrary<ExchangeSeries> = fc
  .record({
    exchange: fc.constantFrom(...EXCHANGES),
    stepMs: fc.constantFrom(60_000, 300_000, 1_800_000),
    startPrice: fc.constantFrom(1e-8, 0.5, 65_000, 1e11),
    raws: fc.array(rawBar, { minLength: 1, maxLength: 8 }),
    // freq 2: half of the series carry one bad number.
    corruption: fc.option(corruptionArb, { nil: undefined, freq: 2 }),
  })
  .map(({ exchange, stepMs, startPrice, raws, corruption }) => ({
    exchange,
    symbol: exchange === 'hyperliquid' ? 'BTC' : 'BTCUSDT',
    bars: buildBars(raws, stepMs, startPrice, corruption),
  }));

const inputArb = fc.uniqueArray(seriesArb, { minLength: 1, maxLength: 3, selector: (s) => s.exchange });

/** Bars that no reading of the rules can accept (an independent check of the validator). */
function surelyInvalid(series: ExchangeSeries): boolean {
  return series.bars.some((bar, i) => {
    const prices = [bar.open, bar.high, bar.low, bar.close];
    if (prices.some((p) => !(Number.isFinite(p) && p > 0))) return true;
    if (bar.high < bar.low) return true;
    if (!Number.isFinite(bar.timestamp) || bar.timestamp < 0) return true;
    if (i > 0 && bar.timestamp <= series.bars[i - 1]!.timestamp) return true;
    if (bar.openInterestUsd === undefined && bar.openInterestBase === undefined) return true;
    const oi = bar.openInterestUsd ?? bar.openInterestBase!;
    return !(Number.isFinite(oi) && oi >= 0);
  });
}

function fail(label: string, value: unknown): never {
  return expect.fail(`${label} is ${String(value)}`);
}

function checkNumbers(values: ArrayLike<number>, label: string, allowNegative = false): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v) || (!allowNegative && v < 0)) fail(`${label}[${i}]`, v);
  }
}

/** Walks any output object: every number must be finite (and >= 0 unless the key may be signed). */
const SIGNED = /distance|change|trend|slope|funding|delta|lean|bias|drift|pct/i;
function checkDeep(value: unknown, path: string, seen = new Set<unknown>()): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(path, value);
    if (value < 0 && !SIGNED.test(path)) fail(path, value);
    return;
  }
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (ArrayBuffer.isView(value)) {
    checkNumbers(value as unknown as ArrayLike<number>, path, SIGNED.test(path));
    return;
  }
  for (const [key, inner] of Object.entries(value)) checkDeep(inner, `${path}.${key}`, seen);
}

function checkResult(result: EstimateResult): void {
  checkNumbers(result.heatmap.cells, 'heatmap.cells');
  checkNumbers(result.map.long, 'map.long');
  checkNumbers(result.map.short, 'map.short');
  for (const [i, row] of result.perBar.entries()) {
    if (!(Number.isFinite(row.longUsd) && row.longUsd >= 0 && Number.isFinite(row.shortUsd) && row.shortUsd >= 0)) {
      fail(`perBar[${i}]`, JSON.stringify(row));
    }
  }
  checkDeep(result.pools, 'pools');
  checkDeep(result.context, 'context');
  checkDeep({ maxCell: result.heatmap.maxCell, atr: result.map.atr, price: result.map.price }, 'heatmap');
}

function checkRisk(result: EstimateResult, pick: number): void {
  const price = result.map.price;
  const atr = result.map.atr;
  const side = pick % 2 === 0 ? 'long' : 'short';
  const sign = side === 'long' ? 1 : -1;
  const offsets = [0, 0.001, 0.01, 0.2, -0.05];
  const d = offsets[pick % offsets.length]!;
  // Entries at the price, stops and take-profits around it, one wild leverage: no throw, no NaN.
  const risk = assessRisk(
    {
      side,
      entry: price * (1 + d),
      stop: price * (1 - sign * (0.01 + Math.abs(d))) - sign * atr,
      takeProfit: price * (1 + sign * 0.03),
      leverage: [1, 20, 125, 1e6][pick % 4]!,
      sizeUsd: [1, 25_000, 1e12][pick % 3]!,
    },
    result.map,
    result.pools,
  );
  checkDeep(risk, 'risk');
  for (const finding of risk.findings) expect(finding.message.length).toBeGreaterThan(0);
}

describe('engine fuzzing', () => {
  it(`${CASES.toLocaleString('en-US')} adversarial inputs: InputError naming bar and field, or sane output everywhere`, () => {
    let valid = 0;
    let invalid = 0;
    let refused = 0;
    fc.assert(
      fc.property(inputArb, fc.nat(), (input, pick) => {
        let rejection: unknown;
        for (const series of input) {
          try {
            validateSeries(series);
          } catch (error) {
            rejection = error;
            break;
          }
        }
        if (rejection !== undefined) {
          invalid++;
          if (!(rejection instanceof InputError)) fail('validation error', rejection);
          if (rejection.barIndex >= 0) {
            expect(rejection.message).toContain(`bar ${rejection.barIndex}`);
            expect(rejection.message).toContain(rejection.field);
          }
          // The facade rejects the same input the same way, and nothing else escapes.
          let error: unknown;
          try {
            estimate(input, { heatmap: { rows: 24 } });
          } catch (caught) {
            error = caught;
          }
          if (!(error instanceof InputError)) fail('estimate() on invalid input threw', error);
          return;
        }
        if (input.some(surelyInvalid)) fail('validation accepted', JSON.stringify(input));
        let result: EstimateResult | undefined;
        try {
          result = estimate(input, { heatmap: { rows: 24 } });
        } catch (error) {
          // Valid bars can still combine into an input the estimate refuses (e.g. two series
          // giving one exchange's bar twice); it must say so with an InputError.
          if (!(error instanceof InputError)) fail('estimate() on valid input threw', error);
          refused++;
          return;
        }
        checkResult(result);
        checkRisk(result, pick);
        // Counted only once estimated and checked: an engine refusing everything fails below.
        valid++;
      }),
      { numRuns: CASES },
    );
    // Both branches are exercised in earnest: a fifth of the cases at least estimated.
    expect(valid).toBeGreaterThan(CASES / 5);
    expect(invalid).toBeGreaterThan(CASES / 10);
    // Series that pass validation one by one and are refused together stay the exception.
    expect(refused).toBeLessThan(valid / 10);
    // About 4 s on an idle 2-core machine; the limit leaves room for a busy one.
  }, 120_000);

  it('valid series of hundreds of bars reach the stale-OI rule, the hourly batches and renormalisation', () => {
    const stats = { runs: 0, staleRegimes: 0, staleFlagged: 0, batchesSeen: 0, subHourRuns: 0 };
    fc.assert(
      fc.property(longSeriesArb, fc.nat(), ({ series, regimes }, pick) => {
        // Observed bar by bar on the public Estimator: far levels waiting for their hour.
        const estimator = new Estimator();
        const stepMs = series.bars[1]!.timestamp - series.bars[0]!.timestamp;
        let waitingSeen = false;
        estimator.append([series], (index) => {
          const { waitingUsd, liveUsd } = estimator.totals;
          if (!(Number.isFinite(waitingUsd) && Number.isFinite(liveUsd))) fail(`totals at bar ${index}`, JSON.stringify(estimator.totals));
          if (waitingUsd > 0) waitingSeen = true;
          // A batch is placed by the end of its clock hour.
          const timestamp = series.bars[index]!.timestamp;
          if (waitingUsd > 0 && Math.floor((timestamp + stepMs) / 3_600_000) !== Math.floor(timestamp / 3_600_000)) {
            fail(`bar ${index}: waiting at the end of its hour`, waitingUsd);
          }
        });
        if (stepMs < 3_600_000) {
          stats.subHourRuns++;
          if (waitingSeen) stats.batchesSeen++;
        }
        // Stale OI: a regime of unchanged OI longer than the rule's length is flagged from its 12th equal value.
        const flags = estimator.bars.map((bar) => bar.openInterestStale);
        for (const [r, regime] of regimes.entries()) {
          if (regime.kind !== 'flat-oi' || regime.bars < DEFAULT_CONFIG.staleOpenInterestBars + 1) continue;
          stats.staleRegimes++;
          // Its first bar repeats the previous bar's OI: the run of equal values starts one bar before.
          const runStart = Math.max(0, regime.start - 1);
          const firstFlagged = runStart + DEFAULT_CONFIG.staleOpenInterestBars - 1;
          const end = regime.start + regime.bars;
          // After moving OI (not another flat stretch), the first 11 equal values are not stale yet.
          const afterMove = r === 0 || regimes[r - 1]!.kind !== 'flat-oi';
          if (flags.slice(firstFlagged, end).some((flag) => !flag) || (afterMove && flags.slice(Math.max(0, runStart - 1), firstFlagged).some(Boolean))) {
            fail(`stale flags of the flat regime at bars ${regime.start}-${end - 1}`, flags.slice(Math.max(0, runStart - 1), end).map(Number).join(''));
          }
          stats.staleFlagged++;
        }
        // Renormalisation: every series holds a sawtooth of 90+ falls of 10^4 with bars after it;
        // without it the scale is 0 by then and the totals above turn NaN at the next opening.
        // After it, the map still holds finite, positive notional.
        const result = estimate([series], { heatmap: { rows: 60 } });
        checkResult(result);
        checkRisk(result, pick);
        expect(estimator.totals.liveUsd).toBeGreaterThan(0);
        stats.runs++;
      }),
      { numRuns: LONG_CASES },
    );
    // Every run estimated; the rare paths were reached in earnest.
    expect(stats.runs).toBe(LONG_CASES);
    expect(stats.staleFlagged).toBe(stats.staleRegimes);
    expect(stats.staleRegimes).toBeGreaterThan(LONG_CASES / 2);
    expect(stats.batchesSeen).toBeGreaterThan(0.8 * stats.subHourRuns);
    expect(stats.subHourRuns).toBeGreaterThan(LONG_CASES / 2);
  }, 120_000);
});

const LONG_CASES = 40;

/** A stretch of a long series: how price and open interest move over `bars` bars. */
interface Regime {
  /** walk: both drift; flat-oi: OI repeats exactly (a recording gap); sawtooth: OI x10^4 and back every bar. */
  readonly kind: 'walk' | 'flat-oi' | 'sawtooth';
  readonly bars: number;
  /** Index of the regime's first bar in the series (filled in when built). */
  readonly start: number;
}

/** A small deterministic generator for per-bar noise (mulberry32), seeded by fast-check. */
function noise(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const regimeArb = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('walk' as const), bars: fc.integer({ min: 12, max: 90 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('flat-oi' as const), bars: fc.integer({ min: 14, max: 40 }) }) },
  // 180+ bars: 90 falls of 10^4 take the scale below 1e-324, under the smallest double.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sawtooth' as const), bars: fc.integer({ min: 180, max: 220 }) }) },
);

const longSeriesArb = fc
  .record({
    exchange: fc.constantFrom(...EXCHANGES),
    stepMs: fc.constantFrom(300_000, 300_000, 900_000, 3_600_000),
    startPrice: fc.constantFrom(0.5, 65_000, 1e7),
    vol: fc.constantFrom(0.001, 0.004, 0.02),
    seed: fc.integer(),
    // Each series has at least one of each, in a random order, between walks.
    extra: fc.array(regimeArb, { minLength: 1, maxLength: 4 }),
    order: fc.nat(),
  })
  .map(({ exchange, stepMs, startPrice, vol, seed, extra, order }) => {
    const random = noise(seed);
    const kinds: Omit<Regime, 'start'>[] = [{ kind: 'walk', bars: 30 }, { kind: 'flat-oi', bars: 20 }, { kind: 'sawtooth', bars: 180 }, ...extra];
    // A rotation of the list, always ending on a walk so a rise follows every sawtooth.
    const rotated = [...kinds.slice(order % kinds.length), ...kinds.slice(0, order % kinds.length)];
    const plan = [...rotated, { kind: 'walk' as const, bars: 24 }];
    const bars: Bar[] = [];
    const regimes: Regime[] = [];
    let price: number = startPrice;
    let oi = 1e8;
    let t = T0;
    for (const { kind, bars: count } of plan) {
      regimes.push({ kind, bars: count, start: bars.length });
      for (let k = 0; k < count; k++) {
        const open = price;
        const close = open * Math.exp(vol * (2 * random() - 1));
        const high = Math.max(open, close) * (1 + vol * random());
        const low = Math.min(open, close) / (1 + vol * random());
        if (kind === 'walk') oi *= Math.exp(0.01 * (2 * random() - 0.9));
        else if (kind === 'sawtooth') oi = k % 2 === 0 ? 1e12 : 1e8;
        bars.push({ timestamp: t, open, high, low, close, openInterestUsd: oi, volume: 100, takerBuyVolume: 100 * random() });
        price = close;
        t += stepMs;
      }
    }
    const series: ExchangeSeries = { exchange, symbol: exchange === 'hyperliquid' ? 'BTC' : 'BTCUSDT', bars };
    return { series, regimes };
  });
