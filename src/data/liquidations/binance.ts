/**
 * Binance USDT-M: `wss://fstream.binance.com/ws/<symbol>@forceOrder`, one frame per liquidation
 * order (Binance pushes at most one per symbol per second, so this is a sample of them). `S` is
 * the side of the liquidation ORDER: a SELL order closes a liquidated long, a BUY a short. The
 * notional is the average fill price times the filled quantity (base units).
 */
import type { RealizedLiquidation } from '../../messaging/contract';
import { liquidatedSide, type LiquidationFeed, realized, record } from './feed';

export const BINANCE_FORCE_ORDER_HOST = 'fstream.binance.com';

/**
 * One Binance `forceOrder` frame (raw or in a combined-stream envelope) as a realized liquidation
 * of `symbol`, or `undefined` for any other frame.
 * @example parseForceOrder({ e: 'forceOrder', E: 1, o: { s: 'BTCUSDT', S: 'SELL', ap: '100', z: '2', T: 5 } }, 'BTCUSDT')
 * // { timestamp: 5, price: 100, side: 'long', usd: 200 }
 */
export function parseForceOrder(frame: unknown, symbol: string): RealizedLiquidation | undefined {
  const outer = record(frame);
  if (!outer) return undefined;
  const payload = record(outer['data']) ?? outer;
  if (payload['e'] !== 'forceOrder') return undefined;
  const order = record(payload['o']);
  if (!order || order['s'] !== symbol) return undefined;
  return realized(liquidatedSide(order['S'], 'SELL', 'BUY'), order['ap'] ?? order['p'], order['z'] ?? order['q'], order['T'] ?? payload['E']);
}

export const binanceFeed: LiquidationFeed = {
  exchange: 'binance',
  host: BINANCE_FORCE_ORDER_HOST,
  url: (symbol) => `wss://${BINANCE_FORCE_ORDER_HOST}/ws/${symbol.toLowerCase()}@forceOrder`,
  parse(frame, symbol) {
    const event = parseForceOrder(frame, symbol);
    return event ? [event] : [];
  },
};
