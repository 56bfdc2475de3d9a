/**
 * How much of newly opened notional sits at a liquidation level the map can reach.
 *
 * The estimator spreads opened notional over leverage tiers and places it around each tier's
 * liquidation level, E·(1 ∓ 1/L ± mmr). That is the textbook level of an
 * isolated position with no extra margin. Real positions mostly are not like that: cross margin
 * lends a position the whole account's collateral, and traders add margin, so the real
 * liquidation price lies much further away than the leverage setting says, or there is none.
 *
 * Hyperliquid publishes every position with the exchange's own liquidation price. Measured on the
 * snapshot in shared/data/hyperliquid-positions (2026-02-15, 547 large accounts), a position's
 * notional counts as "at its level" when its real liquidation price is no further from entry than
 * its leverage setting's textbook level widened by `AT_LEVEL_SPREAD` (log distances); closer
 * counts too (it is liquidated no later than the map assumes). The notional share so measured is
 * the `levelShare` of the engine's config: the rest is held beyond the ladder's reach and is never
 * placed. Where that notional sits, as a ratio of real over textbook distance, gives the engine's
 * `levelDistanceRatios` (`distanceRatios`). Tests keep the defaults equal to these measurements
 * (tests/level-share.test.ts).
 *
 * Known biases of the measurement, in opposite directions: the snapshot holds the largest
 * accounts, where effective leverage is lowest (small accounts, under-represented, run closer to
 * their levels: the share is a lower bound for the whole market); and a snapshot sees positions
 * that survived, not those already liquidated.
 */
import { liquidationFactor } from './margin/liquidation-price';
import type { Side } from './types';

/**
 * How far beyond its textbook level (as a share of the log distance) a real liquidation price may
 * lie and still count as at its level: 0.3, the gap between neighbouring tiers (20x to 25x, 50x
 * to 75x), so a position between two tiers' levels counts. A definition chosen with the 30m
 * calibration file's scale in view among measures of the snapshot that give a share of 0.06-0.08
 * (docs/calibration.md).
 */
export const AT_LEVEL_SPREAD = 0.3;

/** One real position as the Hyperliquid snapshot gives it. */
export interface ObservedPosition {
  readonly coin: string;
  readonly side: Side;
  readonly entryPrice: number;
  /** The position's leverage setting. */
  readonly leverage: number;
  /** The exchange's liquidation price; undefined when it returned none. */
  readonly liquidationPrice: number | undefined;
  readonly notionalUsd: number;
}

export interface LevelShareMeasurement {
  /** Notional share at or inside its textbook level (see the module notes). */
  readonly share: number;
  /** Notional share whose real liquidation lies further than its level widened by the spread. */
  readonly beyond: number;
  /** Notional share with no liquidation price. */
  readonly none: number;
  /**
   * Of the notional at or inside its level: the 5th percentile (by notional) of real over
   * textbook distance, how far inside their levels real positions reach.
   */
  readonly insideRatioP5: number;
  /** The notional at or inside its level, as (real / textbook distance, notional), by ratio. */
  readonly inside: readonly { readonly ratio: number; readonly notional: number }[];
  readonly positions: number;
  readonly notionalUsd: number;
}

/**
 * Share of the positions' notional whose real liquidation price is at or inside the textbook level
 * of its leverage setting widened by `spread` (Hyperliquid's formula and margin table).
 * @example measureLevelShare([{ coin: 'BTC', side: 'long', entryPrice: 100, leverage: 10, liquidationPrice: 91, notionalUsd: 1 }], 0.3).share // 1
 */
export function measureLevelShare(positions: readonly ObservedPosition[], spread: number): LevelShareMeasurement {
  let at = 0;
  let beyond = 0;
  let none = 0;
  let total = 0;
  const inside: { ratio: number; notional: number }[] = [];
  for (const p of positions) {
    total += p.notionalUsd;
    if (p.liquidationPrice === undefined || !(p.liquidationPrice > 0)) {
      none += p.notionalUsd;
      continue;
    }
    const factor = liquidationFactor('hyperliquid', p.coin, p.side, Math.max(1, p.leverage), Math.max(1, p.notionalUsd));
    // A long at 1x has no textbook level (factor 0): any real level is inside it.
    const textbook = factor > 0 ? Math.abs(Math.log(factor)) : Infinity;
    const real = Math.abs(Math.log(p.liquidationPrice / p.entryPrice));
    if (real <= textbook * (1 + spread)) {
      at += p.notionalUsd;
      inside.push({ ratio: real / textbook, notional: p.notionalUsd });
    } else beyond += p.notionalUsd;
  }
  inside.sort((a, b) => a.ratio - b.ratio);
  const insideRatioP5 = ratioAtShare(inside, 0.05);
  const of = (x: number): number => (total > 0 ? x / total : Number.NaN);
  return { share: of(at), beyond: of(beyond), none: of(none), insideRatioP5, inside, positions: positions.length, notionalUsd: total };
}

/**
 * `count` ratios that split the notional at or inside its level into equal shares, each the
 * notional-weighted quantile at the middle of its share ((i + 0.5) / count): where the engine
 * places a tier's notional around its textbook level (config levelDistanceRatios).
 * @example distanceRatios(measureLevelShare(positions, AT_LEVEL_SPREAD), 3) // [0.43, 1, 1.18] on the snapshot
 */
export function distanceRatios(measured: LevelShareMeasurement, count: number): number[] {
  return Array.from({ length: count }, (_, k) => ratioAtShare(measured.inside, (k + 0.5) / count));
}

/** The ratio at which the cumulative notional of `inside` (sorted by ratio) first reaches `share` of its total; NaN when empty. */
function ratioAtShare(inside: readonly { readonly ratio: number; readonly notional: number }[], share: number): number {
  const total = inside.reduce((sum, p) => sum + p.notional, 0);
  let sum = 0;
  for (const p of inside) {
    sum += p.notional;
    if (sum >= share * total) return p.ratio;
  }
  return inside.at(-1)?.ratio ?? Number.NaN;
}

/**
 * Reads the snapshot's CSV layout (columns coin, side, entry_px, leverage, liquidation_px,
 * position_value_usd; an empty liquidation_px means none). Throws on a missing column.
 */
export function parsePositionsCsv(text: string): ObservedPosition[] {
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  const header = lines[0]?.split(',') ?? [];
  const column = (name: string): number => {
    const at = header.indexOf(name);
    if (at < 0) throw new Error(`positions CSV: no column ${name}`);
    return at;
  };
  const coin = column('coin');
  const side = column('side');
  const entry = column('entry_px');
  const leverage = column('leverage');
  const liquidation = column('liquidation_px');
  const notional = column('position_value_usd');
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    const liq = cells[liquidation]!;
    return {
      coin: cells[coin]!,
      side: cells[side] === 'short' ? 'short' : 'long',
      entryPrice: Number(cells[entry]),
      leverage: Number(cells[leverage]),
      liquidationPrice: liq === '' ? undefined : Number(liq),
      notionalUsd: Number(cells[notional]),
    };
  });
}
