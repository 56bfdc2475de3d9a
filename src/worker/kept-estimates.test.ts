/**
 * Minute refreshes through the estimate service over the recorded Binance 5m series: a refresh
 * applies only the new bars to the state kept in the worker, and the view is computed anew when
 * the worker lost it, a past bar changed (a gap filled), or the kept state began too long ago.
 */
import { describe, expect, it } from 'vitest';
import { inProcessHost } from '../../tests/support/in-process-host';
import { binance5m } from '../../tests/support/recorded';
import type { Bar, ExchangeSeries } from '../engine/types';
import { EstimateSession } from './estimate-session';
import { keptSlackMs, tailAfterSamePast } from './kept-estimates';
import { createEstimateService, planLoad, type SeriesLoader } from './service';
import { createSessionStore, type SessionStore } from './session-store';
import type { EstimateRequest } from '../messaging/contract';

const recorded = binance5m();
const REQ: EstimateRequest = { exchange: 'binance', symbol: 'BTCUSDT', lookback: '24h' };
const plan = planLoad('24h');

/** The data layer as a clock moves on: the latest `lookbackMs` of bars up to bar `newest`. */
interface LoaderState {
  newest: number;
  edit?: (bars: Bar[]) => Bar[];
  fundingIntervalMs?: number;
}

function movingLoader(state: LoaderState): SeriesLoader {
  return async (exchange, symbol, _timeframe, lookbackMs) => {
    const end = recorded.bars[state.newest]!.timestamp;
    let bars = recorded.bars.filter((b) => b.timestamp > end - lookbackMs && b.timestamp <= end);
    if (state.edit) bars = state.edit(bars);
    const interval = state.fundingIntervalMs;
    return { series: { exchange, symbol, timeframeMs: 300_000, ...(interval !== undefined ? { fundingIntervalMs: interval } : {}), bars } };
  };
}

function setup(start = 5_000) {
  const state: LoaderState = { newest: start };
  const stores: SessionStore[] = [];
  const host = inProcessHost(() => {
    const store = createSessionStore();
    stores.push(store);
    return store;
  });
  const service = createEstimateService({ loadSeries: movingLoader(state), host, version: '1', reuseMs: 0 });
  return { state, stores, service, host };
}

describe('minute refresh on a kept estimate', () => {
  it('applies only the new bars: the one that was forming and each new one', async () => {
    const { state, service } = setup();
    const first = await service.getEstimate(REQ);
    expect(first.timings?.appendedBars).toBeUndefined();
    expect(first.timings?.bars).toBe(576);
    // A minute later, still the same 5m bar: only it is applied again.
    expect((await service.refresh(REQ)).timings?.appendedBars).toBe(1);
    state.newest += 1;
    expect((await service.refresh(REQ)).timings?.appendedBars).toBe(2);
    state.newest += 3;
    const later = await service.refresh(REQ);
    expect(later.timings?.appendedBars).toBe(4);
    expect(later.price).toBe(recorded.bars[state.newest]!.close);
  });

  it('gives the view a session started over the same bars gives', async () => {
    const { state, service } = setup();
    await service.getEstimate(REQ);
    const firstBars = recorded.bars.filter((b) => b.timestamp > recorded.bars[state.newest]!.timestamp - plan.loadMs && b.timestamp <= recorded.bars[state.newest]!.timestamp);
    state.newest += 7;
    const view = await service.refresh(REQ);
    expect(view.timings?.appendedBars).toBe(8);
    // The kept state holds every bar since the first load (its start is fixed), and its layout.
    const allBars = recorded.bars.filter((b) => b.timestamp >= firstBars[0]!.timestamp && b.timestamp <= recorded.bars[state.newest]!.timestamp);
    const series: ExchangeSeries = { exchange: 'binance', symbol: 'BTCUSDT', timeframeMs: 300_000, bars: allBars };
    const job = { series: [series], heatmap: { columns: 144, barsPerColumn: 2, rows: 120 } };
    const layout = EstimateSession.start({ ...job, series: [{ ...series, bars: firstBars }] }).layout;
    const fresh = EstimateSession.start(job, layout).output();
    expect(view.price).toBe(fresh.context.price);
    expect(view.pools).toEqual(fresh.pools);
    expect(view.context).toEqual(fresh.context);
    expect(view.heatmap.firstTimestamp).toBe(fresh.heatmap.timestamps[0]);
    expect(view.heatmap.maxCellUsd).toBe(fresh.heatmap.maxCell);
  });

  it('computes anew when the worker lost the state, a past bar changed, or the state began too long ago', async () => {
    const { state, stores, service, host } = setup();
    await service.getEstimate(REQ);
    state.newest += 1;
    expect((await service.refresh(REQ)).timings?.appendedBars).toBe(2);

    // Evicted: six other views were kept in the worker since.
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f']) stores.at(-1)!.handle({ kind: 'start', key, job: { series: [{ ...recorded, timeframeMs: 300_000, bars: recorded.bars.slice(0, 10) }], heatmap: { rows: 4 } } });
    state.newest += 1;
    expect((await service.refresh(REQ)).timings?.appendedBars).toBeUndefined();
    state.newest += 1;
    expect((await service.refresh(REQ)).timings?.appendedBars).toBe(2);

    // The worker was closed (idle, or its document closed): a new one has nothing kept.
    await host.close();
    state.newest += 1;
    expect((await service.refresh(REQ)).timings?.appendedBars).toBeUndefined();
    expect(stores).toHaveLength(2);
    state.newest += 1;
    expect((await service.refresh(REQ)).timings?.appendedBars).toBe(2);

    // A gap filled in the cache: a bar an hour back differs from the one applied.
    const edited = recorded.bars[state.newest - 12]!.timestamp;
    state.edit = (bars) => bars.map((b) => (b.timestamp === edited ? { ...b, openInterestUsd: b.openInterestUsd! * 1.001 } : b));
    state.newest += 1;
    expect((await service.refresh(REQ)).timings?.appendedBars).toBeUndefined();
    state.newest += 1;
    expect((await service.refresh(REQ)).timings?.appendedBars).toBe(2);

    // The state's start falls behind the load span by more than the slack.
    // Started two bars ago, one load span back: its first bar is loadMs - 5 min older than its newest.
    const slackBars = keptSlackMs(24 * 3_600_000) / 300_000;
    state.newest += slackBars;
    expect((await service.refresh(REQ)).timings?.appendedBars).toBe(slackBars + 1);
    state.newest += 1;
    expect((await service.refresh(REQ)).timings?.appendedBars).toBeUndefined();
  });

  it('computes anew when the funding interval of a series changed (the kept state read the rates at the old one)', async () => {
    const { state, service } = setup();
    state.fundingIntervalMs = 8 * 3_600_000;
    await service.getEstimate(REQ);
    state.newest += 1;
    expect((await service.refresh(REQ)).timings?.appendedBars).toBe(2);
    state.fundingIntervalMs = 4 * 3_600_000;
    state.newest += 1;
    const view = await service.refresh(REQ);
    expect(view.timings?.appendedBars).toBeUndefined();
    expect(view.timings?.recomputed).toMatch(/shape/);
    state.newest += 1;
    expect((await service.refresh(REQ)).timings?.appendedBars).toBe(2);
  });
});

describe('tailAfterSamePast', () => {
  const series: ExchangeSeries = { exchange: 'binance', symbol: 'BTCUSDT', timeframeMs: 300_000, bars: recorded.bars.slice(100, 200) };
  const formingAt = recorded.bars[199]!.timestamp;

  it('gives the bars from the forming one on when the past is the same (the window moved on)', () => {
    const next = { ...series, bars: recorded.bars.slice(102, 203) };
    expect(tailAfterSamePast(series, next, formingAt)?.bars).toEqual(recorded.bars.slice(199, 203));
  });

  it('gives nothing when a past bar differs, one is missing or added, or the history reaches further back', () => {
    const changed = recorded.bars.slice(102, 203).map((b, i) => (i === 50 ? { ...b, close: b.close + 1 } : b));
    expect(tailAfterSamePast(series, { ...series, bars: changed }, formingAt)).toBeUndefined();
    const missing = recorded.bars.slice(102, 203).filter((_, i) => i !== 60);
    expect(tailAfterSamePast(series, { ...series, bars: missing }, formingAt)).toBeUndefined();
    expect(tailAfterSamePast(series, { ...series, bars: recorded.bars.slice(90, 203) }, formingAt)).toBeUndefined();
    expect(tailAfterSamePast(series, { ...series, exchange: 'bybit', bars: recorded.bars.slice(102, 203) }, formingAt)).toBeUndefined();
  });
});
