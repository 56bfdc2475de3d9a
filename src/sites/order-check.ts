/**
 * Turns an order-form reading into the engine's planned order. The check itself is in
 * ./check-order.ts: it carries the risk and margin engines, which the content script loads on
 * demand (src/ui/warnings/order-engine.ts), so this module stays free of them.
 */
import type { ExchangeId, PlannedOrder, Pool, Side } from '../engine/types';
import type { FormSize, OrderFormReading } from './types';

/** What the check needs of an estimate: the latest price, its ATR and the pools. */
export interface MapSnapshot {
  readonly price: number;
  /** Average true range in price units; without it the engine measures in 1 % of price. */
  readonly atr?: number;
  readonly pools: readonly Pool[];
}

export interface OrderMarket {
  readonly exchange: ExchangeId;
  readonly symbol: string;
  /** The base coin (`BTC`), to tell a size in coins from one in quote currency. */
  readonly base: string;
  /** Base units per contract (OKX `BTC-USDT-SWAP`: 0.01), from the exchange's market list; for sizes in contracts. */
  readonly contractSize?: number;
}

/** An order typed by hand in the panel when the page's form cannot be read. */
export interface ManualOrder {
  readonly side: Side;
  readonly entry: number;
  readonly stop?: number;
}

/** Quote units whose amount is already a USD notional. */
const USD_UNITS = new Set(['USDT', 'USDC', 'USD']);

/**
 * The USD notional of a size as the form shows it: quote units as they are, coins at the entry,
 * contracts through the market's contract size; undefined when the unit is not known, or is
 * contracts and the contract size is not.
 * @example sizeUsd({ amount: 0.5, unit: 'BTC' }, 64_000, 'BTC') // 32000
 * @example sizeUsd({ amount: 3, unit: 'contracts' }, 64_000, 'BTC', 0.01) // 1920
 */
export function sizeUsd(size: FormSize | undefined, entry: number, base: string, contractSize?: number): number | undefined {
  if (!size) return undefined;
  if (USD_UNITS.has(size.unit)) return size.amount;
  if (size.unit === 'coin' || size.unit.toUpperCase() === base.toUpperCase()) return size.amount * entry;
  if (size.unit === 'contracts' && contractSize !== undefined && contractSize > 0 && Number.isFinite(contractSize)) return size.amount * contractSize * entry;
  return undefined;
}

/**
 * The engine's planned order for a reading; undefined until the side and the entry are known
 * (a market order without a last price on the page takes the map's price).
 * @example plannedOrder({ type: 'limit', entryFrom: 'limit-price', side: 'long', entry: 64_000, stop: 63_500 }, market)
 */
export function plannedOrder(reading: OrderFormReading | ManualOrder, market: OrderMarket, mapPrice?: number): PlannedOrder | undefined {
  const side = reading.side;
  // A market order, or one whose type is unknown with no price input shown, fills near the price.
  const entry = reading.entry ?? ('type' in reading && reading.type !== 'limit' ? mapPrice : undefined);
  if (side === undefined || entry === undefined) return undefined;
  const form = 'type' in reading ? reading : undefined;
  const usd = sizeUsd(form?.size, entry, market.base, market.contractSize);
  return {
    side,
    entry,
    exchange: market.exchange,
    symbol: market.symbol,
    ...(reading.stop !== undefined ? { stop: reading.stop } : {}),
    ...(form?.takeProfit !== undefined ? { takeProfit: form.takeProfit } : {}),
    ...(form?.leverage !== undefined ? { leverage: form.leverage } : {}),
    ...(form?.marginMode !== undefined ? { marginMode: form.marginMode } : {}),
    ...(usd !== undefined ? { sizeUsd: usd } : {}),
  };
}

/**
 * A key for "this order": dismissing a warning hides it until the side, entry, stop, take-profit,
 * leverage or margin mode changes.
 */
export function orderKey(order: PlannedOrder): string {
  return [order.side, order.entry, order.stop ?? '', order.takeProfit ?? '', order.leverage ?? '', order.marginMode ?? ''].join('|');
}
