/**
 * One coin's real levels from the account states held: what the panel shows and the words say.
 * Pure: no network, no clock.
 */
import { MAX_REAL_LEVELS, type RealLevel, type RealLevelsView } from '../../messaging/real-levels';
import type { AccountState, AssetContext } from './parse';

export interface HeldState {
  readonly state: AccountState;
  /** Local time of the read, ms. */
  readonly readAt: number;
}

export interface LevelsInput {
  readonly coin: string;
  /** Followed addresses, in the leaderboard order. */
  readonly followed: readonly string[];
  readonly states: ReadonlyMap<string, HeldState>;
  readonly asset?: AssetContext;
  readonly leaderboardAt?: number;
  readonly problem?: string;
  readonly pausedUntil?: number;
}

/**
 * The view of `coin`: every followed account's position in it, the largest
 * {@link MAX_REAL_LEVELS} liquidation prices as levels (sorted by price), the notional they and
 * the positions without a level hold, and Hyperliquid's open interest to compare with.
 */
export function buildLevelsView(input: LevelsInput): RealLevelsView {
  const levels: RealLevel[] = [];
  let holders = 0;
  let notional = 0;
  let withoutLevel = 0;
  let read = 0;
  let oldest = Infinity;
  for (const address of input.followed) {
    const held = input.states.get(address);
    if (!held) continue;
    read++;
    let holds = false;
    for (const p of held.state.positions) {
      if (p.coin !== input.coin) continue;
      holds = true;
      notional += p.notionalUsd;
      if (p.liquidationPx === undefined) {
        withoutLevel += p.notionalUsd;
        continue;
      }
      levels.push({ price: p.liquidationPx, side: p.side, notionalUsd: p.notionalUsd, leverage: p.leverage, marginType: p.marginType, account: address });
    }
    if (holds) {
      holders++;
      oldest = Math.min(oldest, held.readAt);
    }
  }
  const kept = levels.length > MAX_REAL_LEVELS ? [...levels].sort((a, b) => b.notionalUsd - a.notionalUsd).slice(0, MAX_REAL_LEVELS) : levels;
  kept.sort((a, b) => a.price - b.price);
  const asset = input.asset;
  return {
    coin: input.coin,
    ...(asset ? { mark: asset.markPx, openInterestUsd: Math.round(asset.openInterest * asset.markPx) } : {}),
    levels: kept.map((l) => ({ ...l, notionalUsd: Math.round(l.notionalUsd) })),
    holders,
    notionalUsd: Math.round(notional),
    withoutLevelUsd: Math.round(withoutLevel),
    ...(Number.isFinite(oldest) ? { updatedAt: Math.floor(oldest) } : {}),
    followed: input.followed.length,
    read,
    ...(input.leaderboardAt !== undefined ? { leaderboardAt: Math.floor(input.leaderboardAt) } : {}),
    ...(input.problem ? { problem: input.problem.slice(0, 500) } : {}),
    ...(input.pausedUntil !== undefined && Number.isFinite(input.pausedUntil) ? { pausedUntil: Math.floor(input.pausedUntil) } : {}),
  };
}

/**
 * How far from the price a real level still counts as "nearest": a product choice, not an
 * exchange fact. Levels further out (a short at 2x liquidates near twice the price) say nothing
 * about the next move, and the snapshot holds many of them; they stay marks on the axis only.
 */
export const NEAREST_REACH = 0.2;

/**
 * The nearest level above and below `price` within `reach` (a fraction of the price; by price, the
 * largest when several share it).
 */
export function nearestLevels(view: Pick<RealLevelsView, 'levels'>, price: number, reach = NEAREST_REACH): { above?: RealLevel; below?: RealLevel } {
  let above: RealLevel | undefined;
  let below: RealLevel | undefined;
  for (const l of view.levels) {
    if (Math.abs(l.price - price) > reach * price) continue;
    if (l.price >= price) {
      if (!above || l.price < above.price || (l.price === above.price && l.notionalUsd > above.notionalUsd)) above = l;
    } else if (!below || l.price > below.price || (l.price === below.price && l.notionalUsd > below.notionalUsd)) below = l;
  }
  return { ...(above ? { above } : {}), ...(below ? { below } : {}) };
}
