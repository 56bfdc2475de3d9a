/**
 * The background's estimate service over recorded Binance data and an in-process host: the view
 * it sends, reuse of a fresh view, shared in-flight requests, status, pre-trade checks, errors.
 */
import { releaseProxy, type Remote } from 'comlink';
import { describe, expect, it } from 'vitest';
import { binance5m } from '../../tests/support/recorded';
import type { ExchangeSeries } from '../engine/types';
import { dispatch } from '../messaging';
import { type EstimateJob, type EstimatorApi, runJob } from './api';
import { fromHeatmapView } from './compact';
import { createHost } from './host';
import { createEstimateService, planLoad, type SeriesLoader } from './service';

const recorded = binance5m();

function inProcessHost() {
  return createHost({
    kind: 'in-process',
    connect: async () => ({
      remote: { run: async (job: EstimateJob) => runJob(job), ping: async () => 'pong', [releaseProxy]: () => {} } as unknown as Remote<EstimatorApi>,
      dispose: async () => {},
    }),
  });
}

/** The latest `lookbackMs` of the recording, like the data layer would serve it. */
function recordedLoader(calls: string[]): SeriesLoader {
  return async (exchange, symbol, timeframe, lookbackMs) => {
    calls.push(`${exchange}:${symbol}:${timeframe}:${lookbackMs}`);
    if (timeframe !== '5m') throw new Error(`no ${timeframe} bars recorded`);
    const end = recorded.bars.at(-1)!.timestamp;
    const bars = recorded.bars.filter((b) => b.timestamp > end - lookbackMs);
    return { series: { exchange, symbol, timeframeMs: 300_000, bars } satisfies ExchangeSeries, cachedBars: 0, fetchedBars: bars.length };
  };
}

describe('planLoad', () => {
  it('picks the bar size by lookback and adds a warm-up within 30 days', () => {
    expect(planLoad('12h')).toEqual({ timeframe: '5m', timeframeMs: 300_000, loadMs: 24 * 3_600_000, windowBars: 144 });
    expect(planLoad('3d')).toMatchObject({ timeframe: '5m', loadMs: 4 * 86_400_000, windowBars: 864 });
    expect(planLoad('7d')).toMatchObject({ timeframe: '15m', loadMs: 8 * 86_400_000, windowBars: 672 });
    expect(planLoad('30d')).toMatchObject({ timeframe: '1h', loadMs: 30 * 86_400_000, windowBars: 720 });
  });
});

describe('createEstimateService', () => {
  it('answers getEstimate with pools, context and a compact heatmap with candles', async () => {
    const calls: string[] = [];
    const service = createEstimateService({ loadSeries: recordedLoader(calls), host: inProcessHost(), version: '9.9.9' });
    const view = await service.getEstimate({ exchange: 'binance', symbol: 'BTCUSDT', lookback: '24h' });
    expect(calls).toEqual([`binance:BTCUSDT:5m:${48 * 3_600_000}`]);
    expect(view.price).toBe(recorded.bars.at(-1)!.close);
    expect(view.pools.length).toBeGreaterThan(0);
    const { heatmap } = view;
    expect(heatmap.columns).toBe(144);
    expect(heatmap.columnMs).toBe(600_000);
    expect(heatmap.rows).toBe(120);
    expect(heatmap.intensity).toHaveLength(144 * 120);
    expect(Math.max(...heatmap.intensity)).toBe(255);
    expect(heatmap.candles).toHaveLength(144 * 4);
    expect(heatmap.candles!.at(-1)).toBe(view.price);
    expect(view.timings).toMatchObject({ workerStarted: true, bars: 576 });
    // Plain data: survives JSON, the way Chrome carries messages.
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
    expect(fromHeatmapView(heatmap).heatmap.maxCell).toBe(heatmap.maxCellUsd);
  });

  it('serves a fresh view again and shares a request in flight', async () => {
    const calls: string[] = [];
    let now = 1_000_000;
    const service = createEstimateService({ loadSeries: recordedLoader(calls), host: inProcessHost(), version: '1', now: () => now, reuseMs: 10_000 });
    const req = { exchange: 'binance', symbol: 'BTCUSDT', lookback: '12h' } as const;
    const [a, b] = await Promise.all([service.getEstimate(req), service.getEstimate(req)]);
    expect(a).toBe(b);
    expect(calls).toHaveLength(1);
    now += 5_000;
    expect(await service.getEstimate(req)).toBe(a);
    now += 10_000;
    await service.getEstimate(req);
    expect(calls).toHaveLength(2);
  });

  it('reports status per market and assesses an order against the latest map', async () => {
    const service = createEstimateService({ loadSeries: recordedLoader([]), host: inProcessHost(), version: '0.1.0' });
    expect(await service.getStatus({ exchange: 'binance', symbol: 'ETHUSDT' })).toEqual({
      version: '0.1.0',
      markets: [{ exchange: 'binance', symbol: 'ETHUSDT', state: 'idle', bars: 0 }],
    });
    const view = await service.getEstimate({ exchange: 'binance', symbol: 'BTCUSDT', lookback: '3d' });
    const status = await service.getStatus({});
    expect(status.markets).toEqual([
      { exchange: 'binance', symbol: 'BTCUSDT', state: 'ready', bars: 1152, updatedAt: recorded.bars.at(-1)!.timestamp },
    ]);
    const below = view.pools.find((p) => p.side === 'long')!;
    const risk = await service.assessOrder({
      exchange: 'binance',
      symbol: 'BTCUSDT',
      order: { side: 'long', entry: view.price, stop: (below.priceLow + below.priceHigh) / 2, leverage: 10 },
    });
    expect(risk.liquidationPrice).toBeLessThan(view.price);
    expect(risk.findings.some((f) => f.kind === 'stop-in-hunt-zone')).toBe(true);
  });

  it('turns a loading failure into an error status and a handler-failed answer', async () => {
    const service = createEstimateService({ loadSeries: recordedLoader([]), host: inProcessHost(), version: '1' });
    const answer = await dispatch(
      { type: 'getEstimate', payload: { exchange: 'binance', symbol: 'BTCUSDT', lookback: '7d' }, version: 1 },
      { id: 'me', url: 'chrome-extension://me/popup.html' },
      'me',
      service,
    );
    expect(answer).toEqual({ ok: false, version: 1, error: { code: 'handler-failed', message: 'no 15m bars recorded' } });
    const status = await service.getStatus({ exchange: 'binance', symbol: 'BTCUSDT' });
    expect(status.markets[0]).toMatchObject({ state: 'error', message: 'no 15m bars recorded' });
  });
});
