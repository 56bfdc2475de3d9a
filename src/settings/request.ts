import type { EstimateRequest, Lookback, MarketRef } from '../messaging/contract';
import { leverageWeights, type Settings } from './schema';

/**
 * The estimate request for a market under the user's settings (lookback, bar size, leverage weights).
 * @example estimateRequestFor({ exchange: 'binance', symbol: 'BTCUSDT' }, settings) // { ..., lookback: '24h' }
 */
export function estimateRequestFor(market: MarketRef, settings: Settings, lookback: Lookback = settings.lookback): EstimateRequest {
  const weights = leverageWeights(settings.leverage);
  return {
    exchange: market.exchange,
    symbol: market.symbol,
    lookback,
    ...(settings.timeframe !== 'auto' ? { timeframe: settings.timeframe } : {}),
    ...(weights ? { leverageWeights: weights } : {}),
  };
}
