/**
 * Funding rates of different intervals: every rate is read per 8 h before it is merged, leans new
 * positions or enters the context (src/engine/funding-interval.ts). Binance settles BTCUSDT every
 * 8 h, Hyperliquid every hour at an eighth of the 8-hour rate (Hyperliquid docs, Trading > Funding).
 */
import { describe, expect, it } from 'vitest';
import { estimate } from '../src/engine/estimate';
import { Estimator } from '../src/engine/estimator';
import { FUNDING_REFERENCE_MS, fundingToReference } from '../src/engine/funding-interval';
import type { Bar, ExchangeSeries } from '../src/engine/types';
import { InputError, validateSeries } from '../src/engine/validate';
import { binance5m, sliceSeries } from './support/recorded';
import { FIVE_MINUTES, T0, bar, ramp, series } from './support/series';

const HOUR = 3_600_000;
const EIGHT_HOURS = 8 * HOUR;

/** The recorded Binance bars as Hyperliquid's: the same market, its funding paid hourly at an eighth. */
function asHyperliquidHourly(source: ExchangeSeries, openInterestShare = 1): ExchangeSeries {
  return {
    exchange: 'hyperliquid',
    symbol: 'BTC',
    ...(source.timeframeMs !== undefined ? { timeframeMs: source.timeframeMs } : {}),
    fundingIntervalMs: HOUR,
    bars: source.bars.map((b) => ({
      ...b,
      openInterestUsd: b.openInterestUsd! * openInterestShare,
      ...(b.fundingRate !== undefined ? { fundingRate: b.fundingRate / 8 } : {}),
    })),
  };
}

/** Hand-made bars with a rising open interest and the given funding rate on every bar. */
function fundedBars(rate: number, count = 48): Bar[] {
  return ramp(10e6, 0.2e6, count).map((oi, i) => {
    const price = 100 + Math.sin(i / 3);
    return bar(T0 + i * FIVE_MINUTES, price, oi, { open: price, high: price * 1.002, low: price * 0.998, close: price, fundingRate: rate });
  });
}

describe('fundingToReference: a rate per its interval to a rate per 8 h', () => {
  it('hourly x 8, 4-hourly x 2, 8-hourly and absent x 1', () => {
    expect(FUNDING_REFERENCE_MS).toBe(EIGHT_HOURS);
    expect(fundingToReference(HOUR)).toBe(8);
    expect(fundingToReference(4 * HOUR)).toBe(2);
    expect(fundingToReference(EIGHT_HOURS)).toBe(1);
    expect(fundingToReference(undefined)).toBe(1);
  });
});

describe('aggregated Binance (8 h) and Hyperliquid (1 h) at equivalent rates', () => {
  const binance = sliceSeries(binance5m(), 0, 2000);
  // Hyperliquid's book is smaller than Binance's: a tenth of its open interest.
  const hyperliquid = asHyperliquidHourly(binance, 0.1);

  it('the merged funding is the 8-hour rate, not a mix diluted by the hourly one', () => {
    const estimator = new Estimator();
    estimator.append([binance, hyperliquid]);
    const merged = estimator.bars;
    let checked = 0;
    for (const [i, row] of merged.entries()) {
      const rate = binance.bars[i]!.fundingRate;
      if (rate === undefined) continue;
      checked++;
      if (!(Math.abs(row.funding! - rate) <= 1e-15)) expect.fail(`bar ${i}: merged funding ${row.funding}, every venue pays ${rate} per 8 h`);
    }
    expect(checked).toBe(binance.bars.length);
    // The recorded rates are not zero: a diluted mean would differ from them.
    expect(merged.some((row) => Math.abs(row.funding!) > 1e-5)).toBe(true);
  });

  it("the context's funding and its z-score are those of Binance alone", () => {
    const alone = estimate([binance]).context;
    const both = estimate([binance, hyperliquid]).context;
    expect(alone.funding).toBeDefined();
    expect(both.funding).toBeCloseTo(alone.funding!, 15);
    expect(both.fundingZ).toBeCloseTo(alone.fundingZ!, 9);
    expect(both.crowdedSide).toBe(alone.crowdedSide);
  });

  it('a whole 0.0100 % per 8 h on both venues reads 0.0001, with any share of open interest', () => {
    for (const share of [0.05, 1, 3]) {
      const bars = fundedBars(0.0001);
      const hourly = fundedBars(0.0001 / 8).map((b) => ({ ...b, openInterestUsd: b.openInterestUsd! * share }));
      const { context } = estimate([series(bars), { ...series(hourly, 'hyperliquid', 'BTC'), fundingIntervalMs: HOUR }]);
      expect(context.funding, `Hyperliquid at ${share}x Binance's open interest`).toBeCloseTo(0.0001, 15);
    }
  });
});

describe('the long-share lean reads every rate per 8 h', () => {
  const binance = sliceSeries(binance5m(), 0, 3000);
  const eightHourly: ExchangeSeries = { ...asHyperliquidHourly(binance), fundingIntervalMs: EIGHT_HOURS, bars: binance.bars };
  const hourly = asHyperliquidHourly(binance);

  it('hourly rates with their interval give exactly what the equivalent 8-hour rates give', () => {
    const a = estimate([eightHourly]);
    const b = estimate([hourly]);
    expect(b.perBar).toEqual(a.perBar);
    expect(b.pools).toEqual(a.pools);
    expect(Buffer.from(b.heatmap.cells.buffer).equals(Buffer.from(a.heatmap.cells.buffer))).toBe(true);
  });

  it('funding does move the map here, so the equality above is not vacuous', () => {
    const longs = (input: ExchangeSeries): number => estimate([input]).perBar.reduce((sum, row) => sum + row.longUsd, 0);
    const withFunding = longs(eightHourly);
    const withoutFunding = longs({ ...eightHourly, bars: eightHourly.bars.map(({ fundingRate: _, ...rest }) => rest) });
    expect(withFunding).not.toBe(withoutFunding);
    // An hourly rate read as 8-hourly leans an eighth as much: also a different map.
    expect(longs({ ...hourly, fundingIntervalMs: EIGHT_HOURS })).not.toBe(withFunding);
  });

  it('in pieces and after a clone, as in one append', () => {
    const whole = new Estimator();
    const perWhole = whole.append([hourly]);
    const pieces = new Estimator();
    const first = pieces.append([sliceSeries(hourly, 0, 1000)]);
    const copy = pieces.clone();
    const rest = copy.append([sliceSeries(hourly, 1000)]);
    expect([...first, ...rest]).toEqual(perWhole);
    expect(copy.bars).toEqual(whole.bars);
  });
});

describe('a series without a funding interval keeps its rates as given (8-hourly)', () => {
  const binance = sliceSeries(binance5m(), 0, 2000);

  it('the same result as with fundingIntervalMs 8 h, bit for bit', () => {
    const absent = estimate([binance]);
    const given = estimate([{ ...binance, fundingIntervalMs: EIGHT_HOURS }]);
    expect(given.perBar).toEqual(absent.perBar);
    expect(given.context).toEqual(absent.context);
    expect(Buffer.from(given.heatmap.cells.buffer).equals(Buffer.from(absent.heatmap.cells.buffer))).toBe(true);
  });

  it('the merged funding is the recorded rate itself', () => {
    const estimator = new Estimator();
    estimator.append([binance]);
    for (const [i, row] of estimator.bars.entries()) {
      if (row.funding !== binance.bars[i]!.fundingRate) expect.fail(`bar ${i}: ${row.funding} != ${binance.bars[i]!.fundingRate}`);
    }
  });
});

describe('validation of the funding interval', () => {
  const bars = fundedBars(0.0001, 6);

  it.each([
    ['zero', 0],
    ['negative', -HOUR],
    ['NaN', Number.NaN],
    ['infinite', Number.POSITIVE_INFINITY],
    ['hours instead of ms', 8],
    ['seconds instead of ms', 28_800],
    ['two days', 48 * HOUR],
    ['a string', '8h'],
  ])('rejects %s with an InputError naming the field', (_name, value) => {
    const input = { ...series(bars, 'hyperliquid', 'BTC'), fundingIntervalMs: value as number };
    let caught: unknown;
    try {
      validateSeries(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    const error = caught as InputError;
    expect(error.field).toBe('fundingIntervalMs');
    expect(error.barIndex).toBe(-1);
    expect(error.exchange).toBe('hyperliquid');
    expect(error.message).toContain('fundingIntervalMs');
    // The estimator checks it before any state changes.
    const estimator = new Estimator();
    expect(() => estimator.append([input])).toThrow(InputError);
    expect(estimator.barCount).toBe(0);
  });

  it('accepts the intervals venues use (1, 2, 4 and 8 h)', () => {
    for (const hours of [1, 2, 4, 8]) expect(validateSeries({ ...series(bars), fundingIntervalMs: hours * HOUR })).toBe(FIVE_MINUTES);
  });
});
