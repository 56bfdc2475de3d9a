/**
 * Kept estimates on the recorded Binance 5m series: extending a session by the new bars gives
 * exactly what a session started over the same bars gives (and the engine's own map, pools and
 * context), it applies only the new bars, the still-forming bar is replaced when it closes, and
 * bars that do not follow on or leave the price band are refused without changing the state.
 */
import { describe, expect, it } from 'vitest';
import { binance5m, sliceSeries } from '../../tests/support/recorded';
import { estimate } from '../engine/estimate';
import type { Bar, ExchangeSeries } from '../engine/types';
import type { EstimateJob, EstimateOutput } from './api';
import { EstimateSession, SessionRefusedError } from './estimate-session';
import { createSessionStore } from './session-store';

const recorded: ExchangeSeries = { ...binance5m(), timeframeMs: 300_000 };
/** The panel's 24h view: 2 days loaded, 144 columns of 2 bars, 120 rows. */
const HEATMAP = { columns: 144, barsPerColumn: 2, rows: 120 } as const;
const START = 3_000;
const LOADED = 576;

/**
 * The newest bar as it looks just after it opened: every price at its open, the open interest
 * still the previous bar's (derived from the recorded bars; nothing else is known yet then).
 */
function justOpened(bar: Bar, previous: Bar): Bar {
  return { ...bar, high: bar.open, low: bar.open, close: bar.open, openInterestUsd: previous.openInterestUsd };
}

/** Recorded bars [from, to), the last one still forming when `forming` is set. */
function bars(from: number, to: number, forming: boolean): Bar[] {
  const out = recorded.bars.slice(from, to);
  if (forming) out[out.length - 1] = justOpened(out.at(-1)!, recorded.bars[to - 2]!);
  return out;
}

function job(series: readonly ExchangeSeries[]): EstimateJob {
  return { series, heatmap: HEATMAP };
}

function withBars(list: Bar[], source: ExchangeSeries = recorded): ExchangeSeries {
  return { ...source, bars: list };
}

function expectSameOutput(a: EstimateOutput, b: EstimateOutput): void {
  expect(a.heatmap.columns).toBe(b.heatmap.columns);
  expect(a.heatmap.timestamps).toEqual(b.heatmap.timestamps);
  expect(a.heatmap.priceEdges).toEqual(b.heatmap.priceEdges);
  expect(a.heatmap.maxCell).toBe(b.heatmap.maxCell);
  // Cell by cell, bit for bit (toEqual on 17,000 floats names the first difference too slowly).
  const differs = a.heatmap.cells.findIndex((v, i) => v !== b.heatmap.cells[i]);
  expect(differs).toBe(-1);
  expect(a.heatmap.cells.length).toBe(b.heatmap.cells.length);
  expect(a.candles).toEqual(b.candles);
  expect(a.map).toEqual(b.map);
  expect(a.pools).toEqual(b.pools);
  expect(a.context).toEqual(b.context);
}

describe('EstimateSession', () => {
  it('extended minute by minute, it gives exactly the output of a session started over the same bars', () => {
    const end = START + LOADED;
    const session = EstimateSession.start(job([withBars(bars(START, end, true))]));
    let at = end;
    // 30 refreshes: most move one bar on, some find the same bar still forming, one brings 3 bars.
    for (const step of [1, 0, 1, 1, 0, 3, 1, 1, 0, 1, 2, 1, 1, 1, 0, 1, 1, 1, 1, 1, 2, 1, 1, 0, 1, 1, 1, 1, 1, 1]) {
      const previous = at;
      at += step;
      // What the refresh sends: the bars from the one that was forming on.
      expect(session.position.formingAt).toBe(recorded.bars[previous - 1]!.timestamp);
      session.extend([withBars(bars(previous - 1, at, true))]);
      const fresh = EstimateSession.start(job([withBars(bars(START, at, true))]), session.layout);
      expectSameOutput(session.output(), fresh.output());
    }
  });

  it('its map, pools and context are exactly the engine\'s over the same bars', () => {
    const end = START + LOADED;
    const session = EstimateSession.start(job([withBars(bars(START, end, true))]));
    session.extend([withBars(bars(end - 1, end + 5, true))]);
    const all = withBars(bars(START, end + 5, true));
    const engine = estimate([all], { heatmap: { rows: 120 } });
    const output = session.output();
    expect(output.map).toEqual(engine.map);
    expect(output.pools).toEqual(engine.pools);
    expect(output.context).toEqual(engine.context);
  });

  it('applies only the new bars: the one that was forming (now closed) and the new forming one', () => {
    const end = START + LOADED;
    const session = EstimateSession.start(job([withBars(bars(START, end, true))]));
    expect(session.started).toEqual({ finalBars: LOADED - 1, formingBars: 1 });
    expect(session.extend([withBars(bars(end - 1, end + 1, true))])).toEqual({ finalBars: 1, formingBars: 1 });
    // The same bar still forming a minute later: nothing closes, the forming bar is replaced.
    expect(session.extend([withBars(bars(end, end + 1, false))])).toEqual({ finalBars: 0, formingBars: 1 });
    expect(session.extend([withBars(bars(end, end + 4, true))])).toEqual({ finalBars: 3, formingBars: 1 });
    expect(session.position.formingAt).toBe(recorded.bars[end + 3]!.timestamp);
  });

  it('replaces the forming bar: its early look leaves no trace once it closed', () => {
    const end = START + LOADED;
    const early = EstimateSession.start(job([withBars(bars(START, end, true))]));
    early.extend([withBars(bars(end - 1, end + 2, false))]);
    const closed = EstimateSession.start(job([withBars(bars(START, end + 2, false))]), early.layout);
    expectSameOutput(early.output(), closed.output());
  });

  it('shows the latest columns, fixed in time, the newest one holding the newest bar', () => {
    const end = START + LOADED;
    const session = EstimateSession.start(job([withBars(bars(START, end, true))]));
    const before = session.output().heatmap;
    session.extend([withBars(bars(end - 1, end + 3, true))]);
    const after = session.output().heatmap;
    expect(before.columns).toBe(144);
    expect(after.columns).toBe(144);
    const newest = recorded.bars[end + 2]!.timestamp;
    expect(after.timestamps.at(-1)).toBe(Math.floor(newest / 600_000) * 600_000);
    expect(after.timestamps[1]! - after.timestamps[0]!).toBe(600_000);
    // A column complete before keeps its cells, on the same bins.
    const shift = (after.timestamps[0]! - before.timestamps[0]!) / 600_000;
    expect(shift).toBeGreaterThan(0);
    const column = 100;
    expect(after.cells.slice((column - shift) * 120, (column - shift + 1) * 120)).toEqual(before.cells.slice(column * 120, (column + 1) * 120));
  });

  it('refuses bars that do not follow on, or reach beyond the price band, and keeps its state', () => {
    const end = START + LOADED;
    const session = EstimateSession.start(job([withBars(bars(START, end, true))]));
    const reference = EstimateSession.start(job([withBars(bars(START, end, true))]), session.layout);
    // Starting after the forming bar: the bar that was forming is missing.
    expect(() => session.extend([withBars(bars(end, end + 2, true))])).toThrow(SessionRefusedError);
    // Starting before it: a bar already applied.
    expect(() => session.extend([withBars(bars(end - 2, end + 2, true))])).toThrow(/not after the kept state/);
    const high = session.layout.priceHigh;
    const spike = { ...recorded.bars[end]!, high, close: recorded.bars[end]!.close };
    const refused = (() => {
      try {
        session.extend([withBars([recorded.bars[end - 1]!, spike])]);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refused).toBeInstanceOf(SessionRefusedError);
    expect((refused as SessionRefusedError).reason).toBe('out-of-range');
    expectSameOutput(session.output(), reference.output());
  });

  it('two exchanges: a peer bar arriving late for the forming timestamp is applied with it', () => {
    const binance = sliceSeries(recorded, START, START + LOADED + 4);
    const bybit: ExchangeSeries = { ...binance, exchange: 'bybit', bars: binance.bars.map((b) => ({ ...b, openInterestUsd: b.openInterestUsd! * 0.4 })) };
    const n = LOADED;
    // Bybit lags one bar at the first load.
    const session = EstimateSession.start(job([withBars(binance.bars.slice(0, n), binance), withBars(bybit.bars.slice(0, n - 1), bybit)]));
    session.extend([withBars(binance.bars.slice(n - 1, n + 2), binance), withBars(bybit.bars.slice(n - 1, n + 2), bybit)]);
    const fresh = EstimateSession.start(job([withBars(binance.bars.slice(0, n + 2), binance), withBars(bybit.bars.slice(0, n + 2), bybit)]), session.layout);
    expectSameOutput(session.output(), fresh.output());
  });
});

describe('createSessionStore', () => {
  const end = START + LOADED;
  const first = job([withBars(bars(START, end, true))]);

  it('extends a kept session only with its id; another id or key is missing', () => {
    const store = createSessionStore();
    const started = store.handle({ kind: 'start', key: 'k', job: first });
    if (!started.ok) throw new Error('start refused');
    expect(started.applied).toEqual({ finalBars: LOADED - 1, formingBars: 1 });
    const tail = [withBars(bars(end - 1, end + 1, true))];
    expect(store.handle({ kind: 'extend', key: 'k', id: started.id + 1, series: tail })).toMatchObject({ ok: false, reason: 'missing' });
    expect(store.handle({ kind: 'extend', key: 'other', id: started.id, series: tail })).toMatchObject({ ok: false, reason: 'missing' });
    expect(store.handle({ kind: 'extend', key: 'k', id: started.id, series: tail })).toMatchObject({ ok: true, id: started.id, applied: { finalBars: 1, formingBars: 1 } });
    expect(store.handle({ kind: 'extend', key: 'k', id: started.id, series: [withBars(bars(end + 2, end + 3, true))] })).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('keeps at most `max` sessions, the least recently used going first, and drops idle ones', () => {
    let now = 0;
    const store = createSessionStore({ max: 2, idleMs: 1_000, now: () => now });
    const ids = new Map<string, number>();
    for (const key of ['a', 'b', 'c']) {
      const answer = store.handle({ kind: 'start', key, job: first });
      if (answer.ok) ids.set(key, answer.id);
    }
    expect(store.size).toBe(2);
    const tail = [withBars(bars(end - 1, end, false))];
    expect(store.handle({ kind: 'extend', key: 'a', id: ids.get('a')!, series: tail })).toMatchObject({ ok: false, reason: 'missing' });
    expect(store.handle({ kind: 'extend', key: 'b', id: ids.get('b')!, series: tail })).toMatchObject({ ok: true });
    now += 1_001;
    expect(store.handle({ kind: 'extend', key: 'c', id: ids.get('c')!, series: tail })).toMatchObject({ ok: false, reason: 'missing' });
    expect(store.size).toBe(0);
  });
});
