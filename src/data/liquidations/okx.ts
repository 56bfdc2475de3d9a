/**
 * OKX: `wss://ws.okx.com:8443/ws/v5/public`, channel `liquidation-orders` of all SWAP instruments
 * (`{"op":"subscribe","args":[{"channel":"liquidation-orders","instType":"SWAP"}]}`), filtered
 * here to the followed `instId`; kept open with the text `ping` every 25 s (OKX closes a
 * connection silent for 30 s). A frame: `{ arg, data: [{ instId, details: [{ side, posSide, bkPx,
 * sz, ts }] }] }`. `posSide` names the liquidated position (`long`, `short`); in net mode it is
 * `net` and the order side tells it (a `sell` closes a long). `sz` counts contracts: times the
 * contract size (`ctVal`, 0.01 BTC for BTC-USDT-SWAP) gives base units; `bkPx` is the bankruptcy
 * price.
 */
import type { RealizedLiquidation } from '../../messaging/contract';
import { liquidatedSide, type LiquidationFeed, realized, record, toNumber } from './feed';

export const OKX_PUBLIC_HOST = 'ws.okx.com';

/**
 * The realized liquidations of `instId` in one OKX `liquidation-orders` frame; `contractSize` in
 * base units per contract (none are read without it).
 * @example parseOkxLiquidations({ arg: { channel: 'liquidation-orders' }, data: [{ instId: 'BTC-USDT-SWAP', details: [{ side: 'sell', posSide: 'long', bkPx: '100', sz: '200', ts: '5' }] }] }, 'BTC-USDT-SWAP', 0.01)
 * // [{ timestamp: 5, price: 100, side: 'long', usd: 200 }]
 */
export function parseOkxLiquidations(frame: unknown, instId: string, contractSize: number | undefined): RealizedLiquidation[] {
  const outer = record(frame);
  const arg = record(outer?.['arg']);
  if (!outer || arg?.['channel'] !== 'liquidation-orders' || !Array.isArray(outer['data'])) return [];
  if (contractSize === undefined || !(contractSize > 0) || !Number.isFinite(contractSize)) return [];
  const out: RealizedLiquidation[] = [];
  for (const item of outer['data'] as unknown[]) {
    const entry = record(item);
    if (!entry || entry['instId'] !== instId || !Array.isArray(entry['details'])) continue;
    for (const raw of entry['details'] as unknown[]) {
      const detail = record(raw);
      if (!detail) continue;
      const position = detail['posSide'];
      // One-way mode (net) names no position side: the liquidation order's side tells it.
      const oneWay = position === 'net' || position === '' || position === undefined;
      const side = position === 'long' || position === 'short' ? position : oneWay ? liquidatedSide(detail['side'], 'sell', 'buy') : undefined;
      const event = realized(side, detail['bkPx'], toNumber(detail['sz']) * contractSize, detail['ts']);
      if (event) out.push(event);
    }
  }
  return out;
}

export const okxFeed: LiquidationFeed = {
  exchange: 'okx',
  host: OKX_PUBLIC_HOST,
  url: () => `wss://${OKX_PUBLIC_HOST}:8443/ws/v5/public`,
  subscribe: () => JSON.stringify({ op: 'subscribe', args: [{ channel: 'liquidation-orders', instType: 'SWAP' }] }),
  heartbeat: { everyMs: 25_000, message: 'ping' },
  needs: ['contractSize'],
  parse: (frame, instId, market) => parseOkxLiquidations(frame, instId, market.contractSize),
};
