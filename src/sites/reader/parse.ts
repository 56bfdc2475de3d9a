/**
 * Numbers, leverage and size units as order forms show them. Pure string functions.
 */
import type { MarginMode, Side } from '../../engine/types';

/**
 * A positive number from a form or page text: `64,812.3`, `64 812.3`, `0.0123 BTC`, `20.00x`.
 * Undefined for empty or unparsable text.
 * @example parseAmount('64,812.3') // 64812.3
 */
export function parseAmount(raw: string | null | undefined): number | undefined {
  if (raw === null || raw === undefined) return undefined;
  const match = /[0-9][0-9,\s\u00a0\u202f']*(?:\.[0-9]+)?|\.[0-9]+/.exec(raw);
  if (!match) return undefined;
  const value = Number(match[0].replace(/[,\s\u00a0\u202f']/g, ''));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * Leverage from `20x`, `20.00x`, `Cross 20X`, `全仓 20x`, `×20`. OKX shows the long and the short
 * leverage side by side (`5x5x`, `10x 20x`): the second is the short's, taken when `side` is short.
 * @example parseLeverage('5x10x', 'short') // 10
 */
export function parseLeverage(raw: string, side?: Side): number | undefined {
  const values: number[] = [];
  for (const match of raw.matchAll(/(\d+(?:\.\d+)?)\s*[x×]|[x×]\s*(\d+(?:\.\d+)?)/gi)) {
    const value = Number(match[1] ?? match[2]);
    if (Number.isFinite(value) && value >= 1) values.push(value);
  }
  if (values.length === 0) return undefined;
  return side === 'short' && values.length >= 2 ? values[1] : values[0];
}

/**
 * The margin mode a leverage or margin-mode control names: `Cross 20x`, `全仓 20x`, `Isolated`,
 * `逐仓`. Undefined when it names none, or both (a control that lists the choices).
 * @example parseMarginMode('Cross 20x') // 'cross'
 */
export function parseMarginMode(raw: string): MarginMode | undefined {
  const cross = /\bcross\b|全仓/i.test(raw);
  const isolated = /\bisolated\b|逐仓/i.test(raw);
  if (cross === isolated) return undefined;
  return cross ? 'cross' : 'isolated';
}

/** Units whose amount is already a USD notional. */
export const QUOTE_UNITS = ['USDT', 'USDC', 'USD'] as const;

/** Words that name no unit, though written in capitals like one. */
const NOT_UNITS = new Set(['QTY', 'MAX', 'MIN', 'TP', 'SL', 'GTC', 'IOC', 'FOK', 'BBO', 'AVBL', 'COST']);

/**
 * The unit a size field's unit switch shows: `contracts` (`Cont`, `Contracts`, `张`), a quote
 * currency (`USDT`, `USDC`, `USD`), `coin` (`Coin`, `币`), or a coin's symbol (`BTC`).
 * Undefined when the text names no unit.
 * @example parseSizeUnit('Amount (Contracts)') // 'contracts'
 */
export function parseSizeUnit(raw: string): string | undefined {
  const text = raw.replace(/\s+/g, ' ').trim();
  if (text === '' || text.length > 60) return undefined;
  if (/\bcont(?:ract)?s?\b|张|張/i.test(text)) return 'contracts';
  const quote = /\b(USDT|USDC|USD)\b/.exec(text);
  if (quote) return quote[1];
  if (/\bcoins?\b|币/i.test(text)) return 'coin';
  for (const match of text.matchAll(/\b(?:k|1000)?[A-Z][A-Z0-9]{1,11}\b/g)) {
    if (!NOT_UNITS.has(match[0])) return match[0];
  }
  return undefined;
}
