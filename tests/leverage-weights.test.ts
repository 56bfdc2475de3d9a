/**
 * Leverage weights from the settings change the estimate: the request's weights reach the engine
 * through the service and the worker's job, and on recorded Binance data the aggressive preset
 * puts the estimated liquidations nearer the price than the conservative one.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, tiersWithWeights } from '../src/engine/config';
import type { ExchangeSeries } from '../src/engine/types';
import { PRESET_WEIGHTS } from '../src/settings/schema';
import { type EstimateJob, runJob } from '../src/worker/api';
import type { EstimatorHost } from '../src/worker/host';
import { createEstimateService } from '../src/worker/service';
import { createSessionStore } from '../src/worker/session-store';
import { binance5m } from './support/recorded';

const recorded = binance5m();
const lastDay: ExchangeSeries = { ...recorded, bars: recorded.bars.slice(-576) };

/** Notional-weighted mean distance of the liquidation map's mass from the price, in %. */
function meanDistancePct(weights: readonly number[] | undefined): number {
  const output = runJob({ series: [lastDay], heatmap: { columns: 48, rows: 60 }, ...(weights ? { leverageWeights: weights } : {}) });
  const { map } = output;
  const price = output.context.price;
  let mass = 0;
  let moment = 0;
  for (let i = 0; i < map.long.length; i++) {
    const mid = (map.priceEdges[i]! + map.priceEdges[i + 1]!) / 2;
    const usd = map.long[i]! + map.short[i]!;
    mass += usd;
    moment += usd * Math.abs(mid / price - 1) * 100;
  }
  return moment / mass;
}

describe('leverage weights', () => {
  it('tiersWithWeights keeps leverages and half-lives and refuses a wrong count', () => {
    const tiers = tiersWithWeights(PRESET_WEIGHTS.aggressive);
    expect(tiers.map((t) => t.leverage)).toEqual(DEFAULT_CONFIG.tiers.map((t) => t.leverage));
    expect(tiers.map((t) => t.halfLifeHours)).toEqual(DEFAULT_CONFIG.tiers.map((t) => t.halfLifeHours));
    expect(() => tiersWithWeights([1, 2])).toThrow(/expected 8 leverage weights/);
  });

  it('aggressive weights put the estimated mass nearer the price than default, default nearer than conservative', () => {
    const conservative = meanDistancePct(PRESET_WEIGHTS.conservative);
    const standard = meanDistancePct(undefined);
    const aggressive = meanDistancePct(PRESET_WEIGHTS.aggressive);
    expect(aggressive).toBeLessThan(standard);
    expect(standard).toBeLessThan(conservative);
    // The default preset's weights are the engine's own: sending them changes nothing.
    expect(meanDistancePct(PRESET_WEIGHTS.default)).toBeCloseTo(standard, 6);
  });

  it('the service passes the weights to the worker and keeps maps of other weights apart', async () => {
    const jobs: EstimateJob[] = [];
    const sessions = createSessionStore();
    const host: EstimatorHost = {
      run: async (job) => runJob(job),
      session: async (request) => {
        if (request.kind === 'start') jobs.push(request.job);
        return sessions.handle(request);
      },
      close: async () => {},
      stats: () => ({ kind: 'in-process', connects: 1, connected: true, inFlight: 0 }),
    };
    const service = createEstimateService({
      host,
      version: '0.0.0',
      loadSeries: async (exchange, symbol) => ({ series: { ...lastDay, exchange, symbol } }),
    });
    const req = { exchange: 'binance' as const, symbol: 'BTCUSDT', lookback: '12h' as const };
    const plain = await service.getEstimate(req);
    const aggressive = await service.getEstimate({ ...req, leverageWeights: PRESET_WEIGHTS.aggressive });
    await service.getEstimate({ ...req, leverageWeights: PRESET_WEIGHTS.aggressive });
    expect(jobs).toHaveLength(2);
    expect(jobs[0]!.leverageWeights).toBeUndefined();
    expect(jobs[1]!.leverageWeights).toEqual(PRESET_WEIGHTS.aggressive);
    expect(aggressive.pools).not.toEqual(plain.pools);
  });
});
