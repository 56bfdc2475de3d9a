/**
 * Checks a planned order against the latest map the panel holds. Pure and fast (the engine's
 * check takes microseconds), so it runs on the page's main thread once per animation frame
 * without a message round trip. It carries the risk and margin engines (tier tables): the content
 * script loads it on demand, once an order form is found (src/ui/warnings/order-engine.ts).
 */
import { assessRisk } from '../engine/risk';
import type { LiquidationMap, PlannedOrder, RiskAssessment } from '../engine/types';
import type { MapSnapshot } from './order-check';

const NO_BINS = new Float64Array(0);

/**
 * Checks an order against a map snapshot with the user's warning sensitivity (in ATR).
 * @example checkOrder(order, { price: 64_500, atr: 320, pools }, 1).findings[0]?.message
 */
export function checkOrder(order: PlannedOrder, map: MapSnapshot, sensitivityAtr = 1): RiskAssessment {
  // The check reads only the map's price and ATR; the per-bin arrays stay in the background.
  const snapshot: LiquidationMap = {
    timestamp: 0,
    price: map.price,
    atr: map.atr ?? Number.NaN,
    priceEdges: NO_BINS,
    long: NO_BINS,
    short: NO_BINS,
    cumulativeLong: NO_BINS,
    cumulativeShort: NO_BINS,
  };
  return assessRisk(order, snapshot, map.pools, { sensitivityAtr });
}
