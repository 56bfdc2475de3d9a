import { describe, expect, it } from 'vitest';
import { estimate } from '../src/engine/estimate';
import { Estimator } from '../src/engine/estimator';
import type { Bar, ExchangeId, ExchangeSeries } from '../src/engine/types';
import { InputError, inferTimeframe, validateSeries } from '../src/engine/validate';
import { aggregated30m, binance5m } from './support/recorded';
import { FIVE_MINUTES, MINUTE, T0, bar, flatBars, ramp, series } from './support/series';

/** Six valid 5m bars with some movement and every optional field set. */
function validBars(): Bar[] {
  return [100, 101, 99, 102, 103, 101].map((close, i) => ({
    timestamp: T0 + i * FIVE_MINUTES,
    open: 100,
    high: Math.max(100, close) + 0.5,
    low: Math.min(100, close) - 0.5,
    close,
    volume: 10 + i,
    takerBuyVolume: 5,
    cvd: i * 2,
    openInterestUsd: 1e6 + i * 1e4,
    fundingRate: 0.0001,
    longShortRatio: 1.2,
  }));
}

/** The valid bars with bar `index` replaced by `patch` applied to it. */
function withBad(index: number, patch: Record<string, unknown>, exchange: ExchangeId = 'okx', symbol = 'BTC-USDT-SWAP'): ExchangeSeries {
  const bars = validBars();
  bars[index] = { ...bars[index]!, ...patch } as Bar;
  return { exchange, symbol, bars };
}

/** Runs `fn`, expects an InputError and returns it. */
function catchInputError(fn: () => unknown): InputError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected an InputError to be thrown').toBeInstanceOf(InputError);
  return caught as InputError;
}

function expectNamed(error: InputError, barIndex: number, exchange: string, field: string): void {
  expect(error.barIndex).toBe(barIndex);
  expect(error.exchange).toBe(exchange);
  expect(error.field).toBe(field);
  expect(error.name).toBe('InputError');
  expect(error).toBeInstanceOf(Error);
  if (barIndex >= 0) expect(error.message).toMatch(new RegExp(`\\bbar ${barIndex}\\b`));
  expect(error.message).toContain(exchange);
  expect(error.message).toContain(field);
}

describe('validateSeries: bad bars throw an InputError naming bar, exchange and field', () => {
  const cases: [string, number, Record<string, unknown>, string][] = [
    ['unsorted timestamps', 3, { timestamp: T0 + FIVE_MINUTES / 2 }, 'timestamp'],
    ['a duplicate timestamp', 3, { timestamp: T0 + 2 * FIVE_MINUTES }, 'timestamp'],
    ['a NaN timestamp', 2, { timestamp: Number.NaN }, 'timestamp'],
    ['a negative timestamp', 0, { timestamp: -1 }, 'timestamp'],
    ['a NaN open', 4, { open: Number.NaN }, 'open'],
    ['a NaN high', 1, { high: Number.NaN }, 'high'],
    ['an infinite high', 5, { high: Infinity }, 'high'],
    ['a NaN low', 2, { low: Number.NaN }, 'low'],
    ['an infinite close', 3, { close: Infinity }, 'close'],
    ['a -Infinity close', 3, { close: -Infinity }, 'close'],
    ['a zero low', 2, { low: 0 }, 'low'],
    ['a negative low', 2, { low: -5 }, 'low'],
    ['a zero open', 0, { open: 0 }, 'open'],
    ['a negative close', 5, { close: -101 }, 'close'],
    ['a price given as a string', 1, { close: '101' }, 'close'],
    ['high below low', 3, { high: 98, low: 99, open: 98.5, close: 98.5 }, 'high'],
    ['open above high', 2, { open: 200 }, 'open'],
    ['open below low', 4, { open: 1 }, 'open'],
    ['close above high', 1, { close: 150 }, 'close'],
    ['close below low', 1, { close: 50 }, 'close'],
    ['missing open interest', 3, { openInterestUsd: undefined }, 'openInterestUsd'],
    ['negative open interest', 2, { openInterestUsd: -1 }, 'openInterestUsd'],
    ['NaN open interest', 2, { openInterestUsd: Number.NaN }, 'openInterestUsd'],
    ['infinite base open interest', 2, { openInterestBase: Infinity }, 'openInterestBase'],
    ['negative volume', 4, { volume: -3 }, 'volume'],
    ['NaN taker-buy volume', 4, { takerBuyVolume: Number.NaN }, 'takerBuyVolume'],
    ['an infinite cvd', 1, { cvd: Infinity }, 'cvd'],
    ['NaN funding', 3, { fundingRate: Number.NaN }, 'fundingRate'],
    ['infinite funding', 3, { fundingRate: -Infinity }, 'fundingRate'],
    ['funding of 100 % per interval', 3, { fundingRate: 1 }, 'fundingRate'],
    ['funding of -150 %', 3, { fundingRate: -1.5 }, 'fundingRate'],
    ['a zero long/short ratio', 5, { longShortRatio: 0 }, 'longShortRatio'],
    ['a NaN long/short ratio', 5, { longShortRatio: Number.NaN }, 'longShortRatio'],
  ];

  it.each(cases)('%s', (_label, index, patch, field) => {
    const input = withBad(index, patch);
    const error = catchInputError(() => validateSeries(input));
    expectNamed(error, index, 'okx', field);
  });

  it('names the exchange it was given, not a fixed one', () => {
    for (const exchange of ['binance', 'bybit', 'bitget', 'hyperliquid'] as const) {
      const error = catchInputError(() => validateSeries(withBad(2, { volume: -1 }, exchange, 'BTC')));
      expectNamed(error, 2, exchange, 'volume');
    }
  });

  it('reports the first bad bar when several are bad', () => {
    const bars = validBars();
    bars[4] = { ...bars[4]!, close: Number.NaN };
    bars[2] = { ...bars[2]!, volume: -1 };
    const error = catchInputError(() => validateSeries({ exchange: 'bybit', symbol: 'BTCUSDT', bars }));
    expectNamed(error, 2, 'bybit', 'volume');
  });

  it('rejects an empty series and a non-object bar', () => {
    const empty = catchInputError(() => validateSeries({ exchange: 'binance', symbol: 'BTCUSDT', bars: [] }));
    expect(empty.barIndex).toBe(-1);
    expect(empty.field).toBe('bars');
    const bars: unknown[] = validBars();
    bars[1] = null;
    const notObject = catchInputError(() => validateSeries({ exchange: 'binance', symbol: 'BTCUSDT', bars: bars as Bar[] }));
    expect(notObject.barIndex).toBe(1);
  });

  it('the message carries the bar time when the timestamp is usable', () => {
    const error = catchInputError(() => validateSeries(withBad(2, { low: -1 })));
    expect(error.message).toContain(new Date(T0 + 2 * FIVE_MINUTES).toISOString());
  });
});

describe('validateSeries: valid input', () => {
  it('accepts a hand-made series with every optional field and returns its step', () => {
    expect(validateSeries({ exchange: 'binance', symbol: 'BTCUSDT', bars: validBars() })).toBe(FIVE_MINUTES);
  });

  it('accepts a series with open interest in base units only', () => {
    const bars = validBars().map(({ openInterestUsd: _, ...rest }) => ({ ...rest, openInterestBase: 12.5 }));
    expect(validateSeries({ exchange: 'okx', symbol: 'BTC-USDT-SWAP', bars })).toBe(FIVE_MINUTES);
  });

  it('accepts zero open interest, zero volume, zero and negative funding, negative cvd', () => {
    const bars = validBars().map((b, i) => ({ ...b, openInterestUsd: 0, volume: 0, takerBuyVolume: 0, fundingRate: i % 2 ? -0.003 : 0, cvd: -1e6 }));
    expect(() => validateSeries(series(bars))).not.toThrow();
  });

  it('accepts the recorded Binance 5m and aggregated 30m series', () => {
    expect(validateSeries(binance5m())).toBe(5 * MINUTE);
    expect(validateSeries(aggregated30m())).toBe(30 * MINUTE);
  });
});

describe('timeframe inference', () => {
  it('uses the smallest step, so gaps do not stretch the timeframe', () => {
    const times = [0, 15, 20, 40, 45, 60].map((m) => T0 + m * MINUTE);
    const bars = times.map((t) => bar(t, 100, 1e6));
    expect(inferTimeframe(series(bars))).toBe(5 * MINUTE);
    expect(validateSeries(series(bars))).toBe(5 * MINUTE);
  });

  it('finds a 1h step in 1h bars and a 1m step in 1m bars', () => {
    expect(inferTimeframe(series(flatBars(100, ramp(1e6, 1, 10), T0, 60 * MINUTE)))).toBe(60 * MINUTE);
    expect(inferTimeframe(series(flatBars(100, ramp(1e6, 1, 10), T0, MINUTE)))).toBe(MINUTE);
  });

  it('takes an explicit timeframeMs over the bar spacing', () => {
    const bars = flatBars(100, ramp(1e6, 1, 10), T0, 5 * MINUTE);
    expect(inferTimeframe(series(bars, 'binance', 'BTCUSDT', 15 * MINUTE))).toBe(15 * MINUTE);
    expect(validateSeries(series(bars, 'binance', 'BTCUSDT', MINUTE))).toBe(MINUTE);
  });

  it('rejects an explicit timeframeMs that is not a positive finite number', () => {
    for (const timeframeMs of [0, -300_000, Number.NaN, Infinity]) {
      const error = catchInputError(() => validateSeries(series(validBars(), 'bybit', 'BTCUSDT', timeframeMs)));
      expect(error.field).toBe('timeframeMs');
      expect(error.exchange).toBe('bybit');
      expect(error.barIndex).toBe(-1);
    }
  });

  it('a single bar with an explicit timeframe keeps it', () => {
    expect(validateSeries(series([bar(T0, 100, 1e6)], 'binance', 'BTCUSDT', 30 * MINUTE))).toBe(30 * MINUTE);
  });
});

describe('validation through the estimator and the facade', () => {
  it('Estimator.append throws the InputError and leaves the state as it was', () => {
    const good = validBars();
    const estimator = new Estimator();
    estimator.append([series(good.slice(0, 3))]);
    const before = { bars: estimator.bars.length, totals: estimator.totals };
    const bad = good.slice(3).map((b, i) => (i === 1 ? { ...b, high: Number.NaN } : b));
    const error = catchInputError(() => estimator.append([series(bad)]));
    expectNamed(error, 1, 'binance', 'high');
    expect(estimator.bars.length).toBe(before.bars);
    expect(estimator.totals).toEqual(before.totals);

    // After the rejected call, the good rest gives the same result as an uninterrupted run.
    estimator.append([series(good.slice(3))]);
    const fresh = new Estimator();
    fresh.append([series(good)]);
    expect(estimator.bars).toEqual(fresh.bars);
    expect(estimator.totals).toEqual(fresh.totals);
  });

  it('Estimator.append rejects base open interest that is not finite in USD', () => {
    const bars = validBars().map(({ openInterestUsd: _, ...rest }, i) => ({ ...rest, openInterestBase: i === 4 ? 1e308 : 10 }));
    const error = catchInputError(() => new Estimator().append([series(bars, 'okx', 'BTC-USDT-SWAP')]));
    expect(error.barIndex).toBe(4);
    expect(error.exchange).toBe('okx');
    expect(error.field).toBe('openInterestBase');
  });

  it('Estimator.append rejects two series of one exchange and symbol with the same bar', () => {
    const bars = validBars();
    const error = catchInputError(() => new Estimator().append([series(bars.slice(0, 4)), series(bars.slice(3))]));
    expect(error.exchange).toBe('binance');
    expect(error.field).toBe('timestamp');
  });

  it('estimate() throws InputError for a bad bar in any of its series', () => {
    const error = catchInputError(() => estimate([series(validBars()), withBad(5, { fundingRate: 2 }, 'bybit', 'BTCUSDT')]));
    expectNamed(error, 5, 'bybit', 'fundingRate');
    expect(catchInputError(() => estimate([])).field).toBe('series');
  });

  it('estimate() checks heatmap options', () => {
    const input = [series(validBars())];
    expect(catchInputError(() => estimate(input, { heatmap: { columns: 0 } })).field).toBe('heatmap.columns');
    expect(catchInputError(() => estimate(input, { heatmap: { rows: 1 } })).field).toBe('heatmap.rows');
    expect(catchInputError(() => estimate(input, { heatmap: { priceLow: 200, priceHigh: 100 } })).field).toBe('heatmap.priceLow');
  });
});
