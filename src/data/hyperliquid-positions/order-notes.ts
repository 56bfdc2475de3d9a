/**
 * What a planned order's stop has to do with the real Hyperliquid levels: a description of risk
 * for the pre-trade warnings ("a real $4.1M long liquidation on Hyperliquid sits 0.3 % beyond
 * your stop"), never advice. Pure; the warnings may cite it beside their own findings.
 */
import { priceFormatter } from '../../engine/price-format';
import type { Side } from '../../engine/types';
import type { RealLevel, RealLevelsView } from '../../messaging/real-levels';
import { formatUsd } from '../../engine/usd-format';

/** How far beyond the stop a real level is still cited, as a share of the stop price. */
export const BEYOND_STOP_SHARE = 0.01;
/** Distances under this (in % of the stop) read "just beyond" / "just before" rather than a figure. */
export const JUST_BEYOND_PCT = 0.05;

export interface StopOrder {
  readonly side: Side;
  readonly entry: number;
  readonly stop: number;
}

export interface RealLevelNote {
  readonly level: RealLevel;
  /** Distance from the stop, % of the stop price (positive: beyond it, away from the entry). */
  readonly beyondStopPct: number;
  readonly text: string;
}

/**
 * The view a note reads: its levels, and for a coin Hyperliquid lists per 1,000 (`kPEPE` for a
 * page's PEPE) the names and factor its prices were converted with (already per page unit).
 */
export type CitedView = Pick<RealLevelsView, 'levels'> & Partial<Pick<RealLevelsView, 'coin' | 'watched' | 'priceFactor'>>;

/** What the order's price in {@link StopOrder.stop} is: its stop, or its own estimated liquidation price. */
export type NoteAt = 'stop' | 'liquidation';

const NAMES: Readonly<Record<NoteAt, string>> = { stop: 'your stop', liquidation: 'your estimated liquidation price' };

/**
 * The largest real level of the side a move toward the stop would liquidate (longs below a long's
 * stop, shorts above a short's), between the entry and 1 % beyond the stop; undefined when none.
 * With `at: 'liquidation'`, `order.stop` is the order's own estimated liquidation price and the
 * words name it so.
 * @example realLevelNote({ side: 'long', entry: 70_000, stop: 68_000 }, view)?.text
 * // 'A real $4.1M long liquidation on Hyperliquid sits 0.3 % beyond your stop (67,800).'
 */
export function realLevelNote(order: StopOrder, view: CitedView, at: NoteAt = 'stop'): RealLevelNote | undefined {
  const { side, entry, stop } = order;
  if (!(entry > 0 && stop > 0) || (side === 'long' ? stop >= entry : stop <= entry)) return undefined;
  const far = side === 'long' ? stop * (1 - BEYOND_STOP_SHARE) : stop * (1 + BEYOND_STOP_SHARE);
  let best: RealLevel | undefined;
  for (const level of view.levels) {
    if (level.side !== side) continue;
    const inside = side === 'long' ? level.price < entry && level.price >= far : level.price > entry && level.price <= far;
    if (inside && (!best || level.notionalUsd > best.notionalUsd)) best = level;
  }
  if (!best) return undefined;
  const beyondStopPct = (100 * (side === 'long' ? stop - best.price : best.price - stop)) / stop;
  const name = NAMES[at];
  // The price as the finding beside it writes the order's prices (decimals from the entry), so a
  // level just past a stop never reads as the stop itself or the other side of it.
  const price = priceFormatter(entry)(best.price);
  // A thousand coin says so once: the level is kPEPE's, its price per PEPE like the order's.
  const unit = view.watched !== undefined && view.priceFactor !== undefined && view.coin !== undefined ? ` (${view.coin}, price shown per ${view.watched})` : '';
  return { level: best, beyondStopPct, text: `A real ${formatUsd(best.notionalUsd)} ${side} liquidation on Hyperliquid${unit} sits ${where(beyondStopPct, name)} (${price}).` };
}

/**
 * Where the level sits against the price named: `0.3 % beyond your stop`, `between your entry and
 * your stop, 0.7 % before it`; under {@link JUST_BEYOND_PCT} "just beyond" / "just before", as a
 * one-decimal figure would read 0.0 %, which says "at" it.
 */
function where(beyondPct: number, name: string): string {
  if (beyondPct === 0) return `at ${name}`;
  if (Math.abs(beyondPct) < JUST_BEYOND_PCT) return beyondPct > 0 ? `just beyond ${name}` : `between your entry and ${name}, just before it`;
  return beyondPct > 0 ? `${beyondPct.toFixed(1)} % beyond ${name}` : `between your entry and ${name}, ${(-beyondPct).toFixed(1)} % before it`;
}
