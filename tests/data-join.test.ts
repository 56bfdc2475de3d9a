/**
 * The data layer's paging through limited endpoints and its joining of separate exchange series
 * (candles, open interest, funding, ratio) into engine bars.
 */
import { describe, expect, it } from 'vitest';
import { validateSeries } from '../src/engine/validate';
import { cleanSamples, interpolateAt, joinSeries, withOpenInterestOf, type Candle } from '../src/data/exchanges/join';
import { abortable, pageForward } from '../src/data/exchanges/paging';

const M5 = 300_000;
const candles = (n: number, from = 0): Candle[] =>
  Array.from({ length: n }, (_, i) => ({ timestamp: from + i * M5, open: 10, high: 11, low: 9, close: 10 + (i % 2) * 0.5, volume: 3 }));

/** An endpoint over rows at every 5 minutes in [0, last], answering at most `max` rows from `start`. */
function endpoint(last: number, max: number) {
  const calls: [number, number, number][] = [];
  const fetchPage = async (start: number, end: number, limit: number) => {
    calls.push([start, end, limit]);
    const rows: number[] = [];
    for (let t = Math.ceil(start / M5) * M5; t <= Math.min(end, last) && rows.length < Math.min(limit, max); t += M5) rows.push(t);
    return rows;
  };
  return { calls, fetchPage };
}

describe('pageForward', () => {
  it('one call per window of `limit` rows, rows sorted and within the range', async () => {
    const { calls, fetchPage } = endpoint(10_000 * M5, 1000);
    const rows = await pageForward({ since: 0, until: 2499 * M5, stepMs: M5, limit: 1000, fetchPage, timeOf: (t) => t });
    expect(rows).toHaveLength(2500);
    expect(rows[0]).toBe(0);
    expect(rows.at(-1)).toBe(2499 * M5);
    expect(calls.map((c) => c[0])).toEqual([0, 1000 * M5, 2000 * M5]);
  });

  it('asks again inside a window that came back cut short (an endpoint with a smaller maximum)', async () => {
    const { calls, fetchPage } = endpoint(10_000 * M5, 300);
    const rows = await pageForward({ since: 0, until: 999 * M5, stepMs: M5, limit: 1000, fetchPage, timeOf: (t) => t });
    expect(rows).toHaveLength(1000);
    expect(calls.map((c) => c[0])).toEqual([0, 300 * M5, 600 * M5, 900 * M5]);
  });

  it('does not ask again for rows that are not published yet', async () => {
    const { calls, fetchPage } = endpoint(95 * M5, 1000);
    const rows = await pageForward({ since: 0, until: 99 * M5, stepMs: M5, limit: 1000, settledBefore: 96 * M5, fetchPage, timeOf: (t) => t });
    expect(rows).toHaveLength(96);
    expect(calls).toHaveLength(1);
    // Without that hint the gap at the end is asked for once more.
    const again = endpoint(95 * M5, 1000);
    await pageForward({ since: 0, until: 99 * M5, stepMs: M5, limit: 1000, fetchPage: again.fetchPage, timeOf: (t) => t });
    expect(again.calls).toHaveLength(2);
  });

  it('sparse series continue inside a window only after a full page', async () => {
    const { calls, fetchPage } = endpoint(100 * M5, 1000);
    await pageForward({ since: 0, until: 999 * M5, stepMs: M5, limit: 1000, mode: 'sparse', fetchPage, timeOf: (t) => t });
    expect(calls).toHaveLength(1);
  });

  it('is bounded against an endpoint that answers one row per call, and ignores rows outside the window', async () => {
    let calls = 0;
    const rows = await pageForward({
      since: 0,
      until: 9_999 * M5,
      stepMs: M5,
      limit: 1000,
      fetchPage: async (start) => {
        calls++;
        return [start, start + 50_000 * M5, -M5];
      },
      timeOf: (t) => t,
    });
    expect(calls).toBeLessThanOrEqual(10 * 4 + 8);
    expect(rows.every((t) => t >= 0 && t <= 9_999 * M5)).toBe(true);
  });

  it('checks the signal before every call and during one', async () => {
    const controller = new AbortController();
    let calls = 0;
    const pending = pageForward({
      since: 0,
      until: 9_999 * M5,
      stepMs: M5,
      limit: 1000,
      signal: controller.signal,
      fetchPage: async (start) => {
        calls++;
        if (calls === 2) controller.abort(new Error('stop'));
        return [start];
      },
      timeOf: (t) => t,
      mode: 'sparse',
    });
    await expect(pending).rejects.toThrow('stop');
    expect(calls).toBe(2);
    const never = new Promise<number>(() => undefined);
    const c2 = new AbortController();
    const raced = abortable(never, c2.signal);
    c2.abort();
    await expect(raced).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('joinSeries', () => {
  it('takes the latest sample stamped before each bar ends (a sample at the bar open counts)', () => {
    const { bars, backfilledOpenInterest } = joinSeries({
      candles: candles(4, 10 * M5),
      timeframeMs: M5,
      openInterest: [
        { timestamp: 10 * M5, value: 100 },
        { timestamp: 11 * M5 + 60_000, value: 110 },
        { timestamp: 13 * M5, value: 130 },
      ],
      openInterestUnit: 'usd',
      funding: [{ timestamp: 11 * M5, value: 0.0002 }],
      longShortRatio: [{ timestamp: 0, value: 1.5 }, { timestamp: 12 * M5, value: -1 }],
    });
    expect(bars.map((b) => b.openInterestUsd)).toEqual([100, 110, 110, 130]);
    expect(bars.map((b) => b.fundingRate)).toEqual([undefined, 0.0002, 0.0002, 0.0002]);
    // Non-positive ratios are dropped, the last good one carries forward.
    expect(bars.map((b) => b.longShortRatio)).toEqual([1.5, 1.5, 1.5, 1.5]);
    expect(backfilledOpenInterest).toBe(0);
    expect(validateSeries({ exchange: 'binance', symbol: 'X', bars })).toBe(M5);
  });

  it('bars before the first OI sample take its value (flat) and are counted; the anchor seeds funding and ratio', () => {
    const { bars, backfilledOpenInterest } = joinSeries({
      candles: candles(5),
      timeframeMs: M5,
      openInterest: [{ timestamp: 3 * M5, value: 7 }, { timestamp: 4 * M5, value: 8 }],
      openInterestUnit: 'base',
      anchor: { timestamp: 0, open: 1, high: 1, low: 1, close: 1, openInterestBase: 1, fundingRate: 0.0003, longShortRatio: 2 },
    });
    expect(bars.map((b) => b.openInterestBase)).toEqual([7, 7, 7, 7, 8]);
    expect(backfilledOpenInterest).toBe(3);
    expect(bars.every((b) => b.fundingRate === 0.0003 && b.longShortRatio === 2 && b.openInterestUsd === undefined)).toBe(true);
  });

  it('snapshots are interpolated linearly between them', () => {
    const samples = cleanSamples([{ timestamp: 10 * M5, value: 200 }, { timestamp: 0, value: 100 }, { timestamp: 5 * M5, value: Number.NaN }]);
    expect(samples).toEqual([{ timestamp: 0, value: 100 }, { timestamp: 10 * M5, value: 200 }]);
    expect(interpolateAt(samples, 5 * M5)).toBe(150);
    expect(interpolateAt(samples, -M5)).toBe(100);
    expect(interpolateAt(samples, 20 * M5)).toBe(200);
    const { bars } = joinSeries({ candles: candles(11), timeframeMs: M5, openInterest: samples, openInterestUnit: 'base', openInterestMode: 'interpolate' });
    expect(bars.map((b) => b.openInterestBase)).toEqual([100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200]);
  });

  it('returns no bars without any open interest, drops duplicate candles, keeps optional fields out when absent', () => {
    expect(joinSeries({ candles: candles(3), timeframeMs: M5, openInterest: [], openInterestUnit: 'usd' }).bars).toEqual([]);
    const c = candles(2);
    const { bars } = joinSeries({ candles: [c[1]!, c[0]!, c[1]!], timeframeMs: M5, openInterest: [{ timestamp: 0, value: 5 }], openInterestUnit: 'usd' });
    expect(bars.map((b) => b.timestamp)).toEqual([0, M5]);
    expect(Object.keys(bars[0]!).sort()).toEqual(['close', 'high', 'low', 'open', 'openInterestUsd', 'timestamp', 'volume']);
  });

  it('withOpenInterestOf gives every bar the reference bar open interest', () => {
    const { bars } = joinSeries({ candles: candles(3), timeframeMs: M5, openInterest: [{ timestamp: 0, value: 5 }], openInterestUnit: 'usd' });
    const flat = withOpenInterestOf(bars, { timestamp: 9, open: 1, high: 1, low: 1, close: 1, openInterestBase: 42 });
    expect(flat.map((b) => [b.openInterestBase, b.openInterestUsd])).toEqual([[42, undefined], [42, undefined], [42, undefined]]);
  });
});
