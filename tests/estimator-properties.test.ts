import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimate } from '../src/engine/estimate';
import { Estimator } from '../src/engine/estimator';
import type { Bar, EstimateResult, ExchangeSeries } from '../src/engine/types';
import { InputError } from '../src/engine/validate';
import { buildSeries, configArb, inputArb, seriesSpecArb } from './support/arbitraries';
import { expectFiniteNonNegative, expectPerBarSane, sum, usdCells } from './support/checks';
import { chunkByTimestamps } from './support/series';

// Run counts keep the whole file well under 20 s on a 2-core machine.
const RUNS = 250;

function distinctTimestamps(input: readonly ExchangeSeries[]): number {
  return new Set(input.flatMap((s) => s.bars.map((b) => b.timestamp))).size;
}

function expectFinite(value: number | undefined, label: string): void {
  if (value !== undefined && !Number.isFinite(value)) expect.fail(`${label} is ${value}`);
}

function expectAscending(values: ArrayLike<number>, label: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) expect.fail(`${label}[${i}] is ${values[i]}`);
    if (i > 0 && !(values[i]! > values[i - 1]!)) expect.fail(`${label} not ascending at ${i}: ${values[i - 1]} then ${values[i]}`);
  }
}

/** Every number of an estimate: finite, and >= 0 where it is an amount, a price or a score. */
function expectSaneResult(result: EstimateResult, mergedBars: number): void {
  const { perBar, heatmap, map, pools, context } = result;
  expect(perBar.length).toBe(mergedBars);
  expectPerBarSane(perBar);

  expect(heatmap.columns).toBeGreaterThanOrEqual(1);
  expect(heatmap.columns).toBeLessThanOrEqual(mergedBars);
  expect(heatmap.cells.length).toBe(heatmap.columns * heatmap.rows);
  expectAscending(heatmap.priceEdges, 'heatmap.priceEdges');
  expect(heatmap.priceEdges[0]!).toBeGreaterThan(0);
  expectAscending(heatmap.timestamps, 'heatmap.timestamps');
  expectFiniteNonNegative(heatmap.cells, 'heatmap.cells');
  let max = 0;
  for (const v of usdCells(heatmap)) max = Math.max(max, v);
  expect(heatmap.maxCell).toBe(max);

  expect(map.price).toBeGreaterThan(0);
  expectFinite(map.price, 'map.price');
  expectFinite(map.atr, 'map.atr');
  expect(map.atr).toBeGreaterThanOrEqual(0);
  expectAscending(map.priceEdges, 'map.priceEdges');
  for (const key of ['long', 'short', 'cumulativeLong', 'cumulativeShort'] as const) {
    expect(map[key].length).toBe(map.priceEdges.length - 1);
    expectFiniteNonNegative(map[key], `map.${key}`);
  }

  for (const [i, pool] of pools.entries()) {
    for (const key of ['priceLow', 'priceHigh', 'peakPrice', 'notionalUsd'] as const) {
      if (!(Number.isFinite(pool[key]) && pool[key] > 0)) expect.fail(`pools[${i}].${key} is ${pool[key]}`);
    }
    expectFinite(pool.distancePct, `pools[${i}].distancePct`);
    expectFinite(pool.distanceAtr, `pools[${i}].distanceAtr`);
    if (!(Number.isInteger(pool.strength) && pool.strength >= 1 && pool.strength <= 10)) expect.fail(`pools[${i}].strength is ${pool.strength}`);
    if (!(pool.priceLow <= pool.peakPrice && pool.peakPrice <= pool.priceHigh)) expect.fail(`pools[${i}] peak outside its range`);
  }

  expect(context.price).toBeGreaterThan(0);
  expectFinite(context.price, 'context.price');
  expectFinite(context.timestamp, 'context.timestamp');
  expectFinite(context.openInterestUsd, 'context.openInterestUsd');
  expect(context.openInterestUsd).toBeGreaterThanOrEqual(0);
  expectFinite(context.funding, 'context.funding');
  expectFinite(context.fundingZ, 'context.fundingZ');
  for (const key of ['h1', 'h4', 'h24'] as const) {
    const change = context.openInterestChange[key];
    expectFinite(change, `context.openInterestChange.${key}`);
    if (change !== undefined) expect(change).toBeGreaterThanOrEqual(-1);
  }
  expectFinite(context.trendChangePct, 'context.trendChangePct');
  expect(context.trendChangePct).toBeGreaterThanOrEqual(-100);
  // The percentage is the move the arrow is decided on: never of the other sign.
  if (context.trend === 'up' && !(context.trendChangePct > 0)) expect.fail(`trend up with ${context.trendChangePct} %`);
  if (context.trend === 'down' && !(context.trendChangePct < 0)) expect.fail(`trend down with ${context.trendChangePct} %`);
  if (!(Number.isFinite(context.trendWindowMs) && context.trendWindowMs >= 0)) expect.fail(`trendWindowMs is ${context.trendWindowMs}`);
  const { score, reasons } = context.reliability;
  if (!(score >= 0 && score <= 1)) expect.fail(`reliability.score is ${score}`);
  for (const reason of reasons) {
    if (!(reason.score >= 0 && reason.score <= 1)) expect.fail(`reliability ${reason.factor} score is ${reason.score}`);
  }
}

const heatmapArb = fc.record(
  { columns: fc.integer({ min: 1, max: 400 }), rows: fc.integer({ min: 2, max: 120 }) },
  { requiredKeys: ['rows'] },
);

describe('valid input: random walks and adversarial shapes', () => {
  it('estimate() never throws and gives no NaN, infinite or negative number anywhere', () => {
    fc.assert(
      fc.property(inputArb(), configArb, heatmapArb, (input, { config, leverages }, heatmap) => {
        const result = estimate(input, { config, heatmap: { ...heatmap, ...(leverages ? { leverages } : {}) } });
        expectSaneResult(result, distinctTimestamps(input));
      }),
      { numRuns: RUNS },
    );
  });

  it('swept never exceeds opened, and live + swept never exceeds opened, after every bar', () => {
    fc.assert(
      fc.property(inputArb(), configArb, (input, options) => {
        const estimator = new Estimator(options);
        let bars = 0;
        estimator.append(input, () => {
          bars++;
          const { openedUsd, sweptUsd, liveUsd } = estimator.totals;
          if (!(Number.isFinite(openedUsd) && Number.isFinite(sweptUsd) && Number.isFinite(liveUsd))) {
            expect.fail(`bar ${bars - 1}: totals not finite ${JSON.stringify(estimator.totals)}`);
          }
          if (!(liveUsd >= 0 && sweptUsd >= 0)) expect.fail(`bar ${bars - 1}: negative totals ${JSON.stringify(estimator.totals)}`);
          if (sweptUsd > openedUsd * (1 + 1e-9)) expect.fail(`bar ${bars - 1}: swept ${sweptUsd} > opened ${openedUsd}`);
          if (sweptUsd + liveUsd > openedUsd * (1 + 1e-9)) {
            expect.fail(`bar ${bars - 1}: swept ${sweptUsd} + live ${liveUsd} > opened ${openedUsd}`);
          }
        });
        expect(bars).toBe(distinctTimestamps(input));
      }),
      { numRuns: RUNS },
    );
  });

  it('the heatmap grid never holds more than the live notional at its bar', () => {
    fc.assert(
      fc.property(inputArb({ maxSeries: 2 }), configArb, heatmapArb, fc.boolean(), (input, { config, leverages }, heatmap, wide) => {
        // Half the runs use a range wide enough to hold every level of the ladder.
        let range = {};
        if (wide) {
          const lows = input.flatMap((s) => s.bars.map((b) => b.low));
          const highs = input.flatMap((s) => s.bars.map((b) => b.high));
          range = { priceLow: Math.min(...lows) / 8, priceHigh: Math.max(...highs) * 8 };
        }
        const options = { config, heatmap: { ...heatmap, ...range, ...(leverages ? { leverages } : {}) } };
        const { heatmap: grid } = estimate(input, options);
        const estimator = new Estimator({ config, ...(leverages ? { leverages } : {}) });
        const live: number[] = [];
        const opened: number[] = [];
        estimator.append(input, () => {
          live.push(estimator.totals.liveUsd);
          opened.push(estimator.totals.openedUsd);
        });
        const first = live.length - grid.columns;
        const cells = usdCells(grid);
        for (let c = 0; c < grid.columns; c++) {
          const column = sum(cells.subarray(c * grid.rows, (c + 1) * grid.rows));
          // Float32 cells, and running sums that may leave a residue of the order of rounding.
          const allowed = live[first + c]! * (1 + 1e-4) + opened[first + c]! * 1e-9;
          if (column > allowed) expect.fail(`column ${c}: grid ${column} > live ${live[first + c]} (opened ${opened[first + c]})`);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('appending in random pieces gives exactly the result of one append', () => {
    fc.assert(
      fc.property(
        inputArb({ maxSeries: 2, maxSegments: 3, maxBarsPerSegment: 30 }),
        configArb,
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 }),
        (raw, options, sizes) => {
          // One timeframe, given on every series: the estimator takes it from the first series it
          // sees, and a first piece of one bar cannot tell it (see estimator.test.ts).
          const timeframeMs = Math.min(...raw.map(inferredStep));
          const input = raw.map((s) => ({ ...s, timeframeMs }));
          const whole = new Estimator(options);
          const all = whole.append(input);
          const chunked = new Estimator(options);
          const pieces = chunkByTimestamps(input, sizes).flatMap((chunk) => chunked.append(chunk));
          expect(pieces).toEqual(all);
          expect(chunked.totals).toEqual(whole.totals);
          expect(chunked.bars).toEqual(whole.bars);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('extremes of the accepted range do not overflow: a wick from 1e-12 to 1e15 with 1e18 of open interest', () => {
    // Valid input (every number inside the accepted ranges). The merged price is OI-weighted;
    // price x OI must not overflow to Infinity and turn the ATR into NaN.
    const bars: Bar[] = [
      { timestamp: 1_767_225_660_000, open: 1e-12, high: 1e15, low: 1e-12, close: 1e-12, openInterestUsd: 1e18 },
      { timestamp: 1_767_225_720_000, open: 1e-12, high: 1e-12, low: 1e-12, close: 1e-12, openInterestUsd: 1e18 },
      { timestamp: 1_767_225_780_000, open: 1e-12, high: 1e15, low: 1e-12, close: 1e15, openInterestUsd: 1e10 },
      { timestamp: 1_767_225_840_000, open: 1e15, high: 1e15, low: 1e-12, close: 1e-12, openInterestUsd: 1e18 },
    ];
    const input = [{ exchange: 'binance' as const, symbol: 'BTCUSDT', bars }];
    const estimator = new Estimator();
    estimator.append(input);
    for (const merged of estimator.bars) expectFinite(merged.high, `merged high at ${merged.timestamp}`);
    expectFinite(estimator.atr, 'atr');
    expectSaneResult(estimate(input, { heatmap: { rows: 20 } }), 4);
  });

  it('a price or open interest beyond the accepted range is an InputError naming bar and field', () => {
    const good = { timestamp: 1_767_225_660_000, open: 1, high: 1, low: 1, close: 1, openInterestUsd: 1e6 };
    for (const [field, value] of [['high', 1e300], ['low', 1e-300], ['openInterestUsd', 1e300]] as const) {
      const bars = [good, { ...good, timestamp: good.timestamp + 60_000, [field]: value }];
      const error = thrownBy(() => estimate([{ exchange: 'binance', symbol: 'BTCUSDT', bars }]));
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).field).toBe(field);
      expect((error as InputError).message).toContain('bar 1');
    }
  });

  it('one bar alone is a valid input', () => {
    fc.assert(
      fc.property(seriesSpecArb({ maxSegments: 1, maxBarsPerSegment: 1 }), configArb, (spec, { config }) => {
        const series = buildSeries(spec);
        expect(series.bars.length).toBe(1);
        const result = estimate([series], { config });
        expectSaneResult(result, 1);
        expect(result.perBar[0]).toEqual({ timestamp: series.bars[0]!.timestamp, longUsd: 0, shortUsd: 0 });
      }),
      { numRuns: 40 },
    );
  });
});

/** Smallest step between bars; a one-bar series says nothing, so it gets a step of 1 h. */
function inferredStep(series: ExchangeSeries): number {
  let step = Infinity;
  for (let i = 1; i < series.bars.length; i++) step = Math.min(step, series.bars[i]!.timestamp - series.bars[i - 1]!.timestamp);
  return Number.isFinite(step) ? step : 3_600_000;
}

// ---------------------------------------------------------------------------------------------
// Invalid input

// '1' is a number in a string, as exchange REST APIs send prices: the engine's types say number.
const BAD_VALUES = [Number.NaN, Infinity, -Infinity, -1, 0, 'x', '1', undefined, null, 1e-300, 1e300] as const;
type BadValue = (typeof BAD_VALUES)[number];
const FIELDS = [
  'timestamp', 'open', 'high', 'low', 'close', 'openInterestUsd', 'volume', 'takerBuyVolume', 'cvd', 'fundingRate', 'longShortRatio',
] as const;
type Field = (typeof FIELDS)[number];

type Corruption =
  | { readonly kind: 'field'; readonly series: number; readonly bar: number; readonly field: Field; readonly value: BadValue }
  | { readonly kind: 'duplicate' | 'swap' | 'null-bar' | 'empty'; readonly series: number; readonly bar: number };

const corruptionArb: fc.Arbitrary<Corruption> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('field' as const),
      series: fc.nat(),
      bar: fc.nat(),
      field: fc.constantFrom(...FIELDS),
      value: fc.constantFrom(...BAD_VALUES),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('duplicate' as const, 'swap' as const, 'null-bar' as const, 'empty' as const), series: fc.nat(), bar: fc.nat() }) },
);

/** Whether validation must reject this corruption whatever the rest of the bar is. */
function surelyInvalid(c: Corruption): boolean {
  if (c.kind !== 'field') return true;
  const v = c.value;
  const notNumber = typeof v !== 'number';
  /** Given, but not a number: null or a string (numeric or not). */
  const wrongType = v !== undefined && notNumber;
  const nonFinite = typeof v === 'number' && !Number.isFinite(v);
  switch (c.field) {
    case 'timestamp':
      return (notNumber || nonFinite || v === -1);
    case 'open':
    case 'high':
    case 'low':
    case 'close':
      return notNumber || nonFinite || v === -1 || v === 0;
    case 'openInterestUsd':
      return wrongType || v === undefined || nonFinite || v === -1;
    case 'volume':
    case 'takerBuyVolume':
      return wrongType || nonFinite || v === -1;
    case 'cvd':
      return wrongType || nonFinite;
    case 'fundingRate':
      return wrongType || nonFinite || v === -1 || v === 1e300;
    case 'longShortRatio':
      return wrongType || nonFinite || v === -1 || v === 0;
  }
}

function corrupt(input: readonly ExchangeSeries[], c: Corruption): ExchangeSeries[] {
  const out = input.map((s) => ({ ...s, bars: [...s.bars] as unknown[] }));
  const target = out[c.series % out.length]!;
  const i = c.bar % target.bars.length;
  switch (c.kind) {
    case 'field': {
      const bar = { ...(target.bars[i] as Bar) } as Record<string, unknown>;
      if (c.field === 'openInterestUsd') delete bar.openInterestBase;
      bar[c.field] = c.value;
      target.bars[i] = bar;
      break;
    }
    case 'duplicate':
      if (target.bars.length < 2) target.bars.push(target.bars[0]);
      else target.bars[Math.max(1, i)] = { ...(target.bars[Math.max(1, i)] as Bar), timestamp: (target.bars[Math.max(1, i) - 1] as Bar).timestamp };
      break;
    case 'swap': {
      if (target.bars.length < 2) target.bars.unshift({ ...(target.bars[0] as Bar), timestamp: (target.bars[0] as Bar).timestamp + 60_000 });
      else {
        const j = Math.max(1, i);
        [target.bars[j - 1], target.bars[j]] = [target.bars[j], target.bars[j - 1]];
      }
      break;
    }
    case 'null-bar':
      target.bars[i] = null;
      break;
    case 'empty':
      target.bars.length = 0;
      break;
  }
  return out as unknown as ExchangeSeries[];
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('invalid input', () => {
  it('throws only InputError (never another exception), and always throws for surely invalid bars', () => {
    fc.assert(
      fc.property(inputArb({ maxSegments: 2, maxBarsPerSegment: 15 }), corruptionArb, (input, corruption) => {
        const bad = corrupt(input, corruption);
        for (const [name, run] of [
          ['estimate', () => estimate(bad, { heatmap: { rows: 20 } })],
          ['Estimator.append', () => new Estimator().append(bad)],
        ] as const) {
          const error = thrownBy(run);
          if (error !== undefined && !(error instanceof InputError)) {
            expect.fail(`${name} threw ${(error as Error)?.name}: ${(error as Error)?.message ?? String(error)}`);
          }
          // An empty series is skipped by Estimator.append (nothing to apply) and rejected by estimate().
          const mustThrow = surelyInvalid(corruption) && !(corruption.kind === 'empty' && name === 'Estimator.append');
          if (mustThrow && error === undefined) expect.fail(`${name} accepted ${JSON.stringify(corruption)}`);
          if (error instanceof InputError) {
            expect(error.message.length).toBeGreaterThan(0);
            expect(typeof error.field).toBe('string');
            expect(Number.isInteger(error.barIndex)).toBe(true);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('an Estimator that rejected a bad append keeps working', () => {
    fc.assert(
      fc.property(inputArb({ maxSeries: 1, maxSegments: 2, maxBarsPerSegment: 20 }), fc.constantFrom(Number.NaN, Infinity, -5), (input, value) => {
        const series = input[0]!;
        const estimator = new Estimator();
        const half = Math.ceil(series.bars.length / 2);
        estimator.append([{ ...series, bars: series.bars.slice(0, half), timeframeMs: inferredStep(series) }]);
        const before = estimator.totals;
        const rest = series.bars.slice(half);
        if (rest.length === 0) return;
        const broken = rest.map((b, i) => (i === rest.length - 1 ? { ...b, close: value } : b));
        expect(thrownBy(() => estimator.append([{ ...series, bars: broken }]))).toBeInstanceOf(InputError);
        expect(estimator.totals).toEqual(before);
        const out = estimator.append([{ ...series, bars: rest }]);
        expect(out.length).toBe(rest.length);
        expectPerBarSane(out);
      }),
      { numRuns: 60 },
    );
  });
});
