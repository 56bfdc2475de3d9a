/**
 * Bybit v5 linear: `wss://stream.bybit.com/v5/public/linear`, topic `allLiquidation.<symbol>`
 * (subscribed with `{"op":"subscribe","args":[...]}`, kept open with `{"op":"ping"}` every 20 s as
 * Bybit asks). A frame holds a list: `{ topic, type: 'snapshot', ts, data: [{ T, s, S, v, p }] }`.
 *
 * `S` is the side of the liquidated POSITION, per Bybit's documentation of this topic: "When you
 * receive a Buy update, this means that a long position has been liquidated" (so `Buy` is a long
 * liquidated, `Sell` a short): the opposite of Binance, whose `S` is the side of the liquidation
 * order. `v` is the size in base units (linear contracts are one base unit), `p` the bankruptcy
 * price; `T` the time in ms.
 */
import type { RealizedLiquidation } from '../../messaging/contract';
import { liquidatedSide, type LiquidationFeed, realized, record } from './feed';

export const BYBIT_PUBLIC_HOST = 'stream.bybit.com';

/**
 * The realized liquidations of `symbol` in one Bybit `allLiquidation` frame.
 * @example parseBybitLiquidations({ topic: 'allLiquidation.BTCUSDT', data: [{ T: 5, s: 'BTCUSDT', S: 'Buy', v: '2', p: '100' }] }, 'BTCUSDT')
 * // [{ timestamp: 5, price: 100, side: 'long', usd: 200 }]
 */
export function parseBybitLiquidations(frame: unknown, symbol: string): RealizedLiquidation[] {
  const outer = record(frame);
  if (!outer || outer['topic'] !== `allLiquidation.${symbol}` || !Array.isArray(outer['data'])) return [];
  const out: RealizedLiquidation[] = [];
  for (const item of outer['data'] as unknown[]) {
    const entry = record(item);
    if (!entry || entry['s'] !== symbol) continue;
    const event = realized(liquidatedSide(entry['S'], 'Buy', 'Sell'), entry['p'], entry['v'], entry['T']);
    if (event) out.push(event);
  }
  return out;
}

export const bybitFeed: LiquidationFeed = {
  exchange: 'bybit',
  host: BYBIT_PUBLIC_HOST,
  url: () => `wss://${BYBIT_PUBLIC_HOST}/v5/public/linear`,
  subscribe: (symbol) => JSON.stringify({ op: 'subscribe', args: [`allLiquidation.${symbol}`] }),
  heartbeat: { everyMs: 20_000, message: JSON.stringify({ op: 'ping' }) },
  parse: (frame, symbol) => parseBybitLiquidations(frame, symbol),
};
