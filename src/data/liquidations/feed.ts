/**
 * What the liquidation stream client (`../liquidation-stream.ts`) needs to know of one exchange's
 * public liquidation websocket: where it is, what to send, and how to read its frames.
 */
import type { ExchangeId } from '../../engine/types';
import type { RealizedLiquidation } from '../../messaging/contract';
import { isPlainObject } from '../../messaging/validate';

/** What a feed may need to know of the followed market. */
export interface MarketFacts {
  /** Base units per contract, for feeds that count in contracts (OKX). */
  readonly contractSize?: number;
}

export interface LiquidationFeed {
  readonly exchange: ExchangeId;
  /** The websocket's host name (no host permission is needed for a websocket). */
  readonly host: string;
  /** The address for one market. */
  url(symbol: string): string;
  /** Sent once the socket is open, when the exchange wants a subscription message. */
  subscribe?(symbol: string): string;
  /** Sent this often while open: the exchange closes a connection it does not hear from. */
  readonly heartbeat?: { readonly everyMs: number; readonly message: string };
  /** The market facts it cannot read frames without. */
  readonly needs?: readonly (keyof MarketFacts)[];
  /**
   * The realized liquidations of `symbol` in one frame (already JSON-parsed); none for any other
   * frame (subscription answers, other markets, malformed data). Never throws.
   */
  parse(frame: unknown, symbol: string, market: MarketFacts): RealizedLiquidation[];
}

/** A plain data object (the message boundary's own test), or undefined. */
export function record(value: unknown): Record<string, unknown> | undefined {
  return isPlainObject(value) ? value : undefined;
}

/**
 * One realized liquidation from loose frame fields, or undefined unless every field is sound:
 * a positive finite price and quantity, a whole non-negative millisecond time.
 * @example realized('long', '100', '2', '5') // { timestamp: 5, price: 100, side: 'long', usd: 200 }
 */
export function realized(side: 'long' | 'short' | undefined, price: unknown, quantity: unknown, time: unknown): RealizedLiquidation | undefined {
  const p = toNumber(price);
  const q = toNumber(quantity);
  const t = toNumber(time);
  if (!side || !(p > 0) || !(q > 0) || !Number.isSafeInteger(t) || t < 0) return undefined;
  const usd = p * q;
  if (!Number.isFinite(usd)) return undefined;
  return { timestamp: t, price: p, side, usd };
}

/**
 * The liquidated side that a frame's field names, given the field's word for each side (each
 * exchange has its own, and its own meaning: an order's side or the position's).
 * @example liquidatedSide('SELL', 'SELL', 'BUY') // 'long' (Binance: a liquidation sell closes a long)
 */
export function liquidatedSide(value: unknown, longWord: string, shortWord: string): 'long' | 'short' | undefined {
  return value === longWord ? 'long' : value === shortWord ? 'short' : undefined;
}

/** A number from a frame's number or numeric string; NaN for anything else (blank strings too). */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}
