/**
 * Every pool the panel lists lies on the chart: the heatmap's price band (and the side bars drawn
 * on it) spans the latest map's reach around the price, on real recorded data, through both paths
 * the background uses (a kept session, as the service and `npm start` run it, and a one-off run),
 * for a 5m day (the demo) and a 30m week (where 30 ATR is wider than 8 %).
 */
import { describe, expect, it } from 'vitest';
import { runJob, type EstimateJob } from '../src/worker/api';
import { toHeatmapView, toLatestMapView } from '../src/worker/compact';
import { EstimateSession } from '../src/worker/estimate-session';
import { poolsOffChart } from '../src/ui/chart-band';
import { splitPools } from '../src/ui/format';
import { aggregated30m, binance5m } from './support/recorded';
import type { ExchangeSeries } from '../src/engine/types';

function lastHours(series: ExchangeSeries, hours: number, timeframeMs: number): ExchangeSeries {
  const end = series.bars.at(-1)!.timestamp;
  return { ...series, timeframeMs, bars: series.bars.filter((b) => b.timestamp > end - hours * 3_600_000) };
}

const cases: { name: string; job: EstimateJob; columnMs: number }[] = [
  // The demo: 24 h shown, 48 h loaded, 144 columns of two 5m bars, 120 rows (the service's plan).
  { name: 'Binance BTCUSDT 5m, 24 h (the demo)', job: { series: [lastHours(binance5m(), 48, 300_000)], heatmap: { columns: 144, barsPerColumn: 2, rows: 120 } }, columnMs: 600_000 },
  // A week of 30m bars with a day before it.
  { name: 'BTC 30m, 7 d', job: { series: [lastHours(aggregated30m(), 8 * 24, 1_800_000)], heatmap: { columns: 168, barsPerColumn: 2, rows: 120 } }, columnMs: 3_600_000 },
];

describe('the chart band holds every listed pool', () => {
  for (const { name, job, columnMs } of cases) {
    for (const [path, output] of [
      ['kept session', () => EstimateSession.start(job).output()],
      ['one-off run', () => runJob(job)],
    ] as const) {
      it(`${name}, ${path}`, () => {
        const out = output();
        const view = toHeatmapView(out.heatmap, out.candles, columnMs);
        const price = out.context.price;
        const { above, below } = splitPools(out.pools, price, 2);
        // The recordings have pools on both sides, and some beyond the traded range.
        expect(above.length).toBeGreaterThan(0);
        expect(below.length).toBeGreaterThan(0);
        for (const pool of [...above, ...below]) {
          expect(pool.priceLow, `${pool.side} pool ${pool.priceLow}-${pool.priceHigh}`).toBeGreaterThanOrEqual(view.priceLow);
          expect(pool.priceHigh, `${pool.side} pool ${pool.priceLow}-${pool.priceHigh}`).toBeLessThanOrEqual(view.priceHigh);
        }
        expect(poolsOffChart(view, out.pools, price)).toEqual([]);
        // Every pool the estimate finds, listed or not, and the side bars' whole map.
        expect(poolsOffChart(view, out.pools, price, Infinity)).toEqual([]);
        const map = toLatestMapView(out.map);
        expect(map.priceLow).toBeGreaterThanOrEqual(view.priceLow - 1e-6);
        expect(map.priceHigh).toBeLessThanOrEqual(view.priceHigh + 1e-6);
      });
    }
  }

  it('poolsOffChart names a listed pool outside the band', () => {
    const pool = { side: 'short', priceLow: 67_000, priceHigh: 67_300, peakPrice: 67_100, notionalUsd: 1e8, strength: 5, distancePct: 3.8, distanceAtr: 20 } as const;
    expect(poolsOffChart({ priceLow: 61_924, priceHigh: 66_084 }, [pool], 64_543)).toEqual([pool]);
    expect(poolsOffChart({ priceLow: 59_000, priceHigh: 70_000 }, [pool], 64_543)).toEqual([]);
  });
});
