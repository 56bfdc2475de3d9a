/**
 * The estimator's merged bars are kept as columns: the objects and the columns it hands out say
 * the same, the context reads either the same way, and a copy is independent.
 */
import { describe, expect, it } from 'vitest';
import { computeContext } from '../src/engine/context';
import { Estimator } from '../src/engine/estimator';
import { columnsOf } from '../src/engine/merged-bars';
import { aggregated30m, binance5m, sliceSeries } from './support/recorded';

describe('merged bars as columns', () => {
  it('objects and columns hold the same bars, absent fields undefined in one and NaN in the other', () => {
    const estimator = new Estimator();
    estimator.append([sliceSeries(binance5m(), 0, 600)]);
    const bars = estimator.bars;
    const columns = estimator.barColumns;
    expect(bars.length).toBe(600);
    expect(columns.length).toBe(600);
    expect(columns.close.length).toBe(600);
    for (let i = 0; i < bars.length; i++) {
      const bar = bars[i]!;
      expect(bar.timestamp).toBe(columns.timestamp[i]);
      expect(bar.close).toBe(columns.close[i]);
      expect(bar.openInterestUsd).toBe(columns.openInterestUsd[i]);
      expect(bar.openInterestStale).toBe(columns.openInterestStale[i] === 1);
      expect(bar.funding ?? Number.NaN).toBe(columns.funding[i]);
      expect(bar.longShortRatio ?? Number.NaN).toBe(columns.longShortRatio[i]);
      expect(bar.takerBuyShare ?? Number.NaN).toBe(columns.takerBuyShare[i]);
    }
    // The recorded 5m file has funding but no account ratio.
    expect(bars.some((b) => b.funding !== undefined)).toBe(true);
    expect(bars.every((b) => b.longShortRatio === undefined)).toBe(true);
    expect(columnsOf(bars).funding).toEqual(columns.funding);
  });

  it('the context reads the columns exactly as it reads the objects', () => {
    const estimator = new Estimator();
    estimator.append([aggregated30m()]);
    const input = { timeframeMs: estimator.timeframeMs, exchanges: estimator.exchangeCount, atr: estimator.atr };
    expect(computeContext({ ...input, bars: estimator.barColumns })).toEqual(computeContext({ ...input, bars: estimator.bars }));
    // Without the estimator's ATR the context falls back to its own, from either form.
    expect(computeContext({ ...input, atr: Number.NaN, bars: estimator.barColumns })).toEqual(computeContext({ ...input, atr: Number.NaN, bars: estimator.bars }));
  });

  it('grows past its first capacity, and a copy of the estimator keeps its own bars', () => {
    const series = binance5m();
    const estimator = new Estimator();
    estimator.append([sliceSeries(series, 0, 200)]);
    const copy = estimator.clone();
    const before = copy.bars;
    estimator.append([sliceSeries(series, 200, 1200)]);
    expect(estimator.barCount).toBe(1200);
    expect(copy.barCount).toBe(200);
    expect(copy.bars).toBe(before);
    expect(estimator.timestampAt(1199)).toBe(series.bars[1199]!.timestamp);
    expect(estimator.bars.slice(0, 200)).toEqual(before);
    // One bar at a time (the live path) grows the columns twofold, not by one bar per append.
    for (let i = 1200; i < 1300; i++) estimator.append([sliceSeries(series, i, i + 1)]);
    expect(estimator.barCount).toBe(1300);
    expect(estimator.barColumns.timestamp.buffer.byteLength).toBe(2400 * 8);
    expect(estimator.bars.at(-1)!.timestamp).toBe(series.bars[1299]!.timestamp);
  });
});
