import type { EstimateRequest, EstimateView } from '../../src/messaging/contract';

/**
 * A small estimate view for the full view's tests: one short pool 4 % above `price`, a 2 x 2
 * heatmap spanning 90 % .. 110 % of it, a context with only the fields the page reads.
 */
export function smallView(req: Pick<EstimateRequest, 'exchange' | 'symbol' | 'lookback'>, price = 100): EstimateView {
  const k = price / 100;
  return {
    exchange: req.exchange,
    symbol: req.symbol,
    lookback: req.lookback,
    computedAt: 1,
    price,
    pools: [{ side: 'short', priceLow: 104, priceHigh: 106, peakPrice: 105, notionalUsd: 2_500_000, strength: 8, distancePct: 4, distanceAtr: 2.5 }],
    context: { timestamp: 0, price: 100, openInterestChange: {}, trend: 'up', trendChangePct: 1, trendWindowMs: 3_600_000, reliability: { score: 0.8, reasons: [] } } as unknown as EstimateView['context'],
    heatmap: { columns: 2, rows: 2, firstTimestamp: 0, columnMs: 60_000, priceLow: 90 * k, priceHigh: 110 * k, maxCellUsd: 1e6, intensity: [0, 255, 128, 1] },
  };
}
