/**
 * Every tunable parameter of the estimator, with where its default comes from.
 *
 * Nothing here is observable: leverage and margin mode of real positions are not public.
 * The defaults are assumptions, stated so the UI can show them ("assumed tiers: ...").
 */

export interface LeverageTier {
  /** Leverage of the modelled positions, e.g. 20 for 20x. */
  readonly leverage: number;
  /** Share of newly opened notional placed at this leverage; weights are normalized. */
  readonly weight: number;
  /**
   * Half-life of the positions at this leverage in hours, or `Infinity` for no decay.
   * Tiers with the same half-life share one state array (fewer arrays, faster heatmaps).
   */
  readonly halfLifeHours: number;
}

export interface EngineConfig {
  /**
   * Leverage tiers. Default 5/10/20/25/50/75/100/125x (125x is Binance's BTC maximum; tiers above
   * an exchange's own maximum are clamped to it by the margin module). Weights follow the shape reported by the
   * open-source estimators surveyed in shared/PEERS.md (mass peaks around 20-50x, thin tails at
   * 5x and 100x) extended to the 25x and 75x tiers the exchanges' leverage sliders snap to.
   * Half-lives: 3 days for every tier. 3 days is the 20x tier's half-life in the surveyed
   * estimator that decays per tier (72 h; its tiers run from 168 h at 5x to 18 h at 100x). One
   * value for all tiers keeps one state array per side: each distinct half-life adds an array
   * that opening, sweeping and the heatmap walk every bar. Shorter half-lives for the high tiers
   * were measured (README, Calibration: 2 h from 75x up helps about as much as the near-price
   * exit, which needs no second array), so they are not the default.
   */
  readonly tiers: readonly LeverageTier[];
  /**
   * Bounds of the long share of new positions. Taker flow alone can be 100 % one-sided in a
   * bar; every contract still has a holder on each side, so neither side gets less than this.
   * Default [0.2, 0.8].
   */
  readonly longShareBounds: readonly [number, number];
  /**
   * Weight of the taker-buy share deviation (from 0.5) in the long share. Default 0.6, an
   * assumption: taker flow is the input every surveyed estimator splits new positions by, so it
   * gets the largest weight of the three.
   */
  readonly takerFlowWeight: number;
  /**
   * Weight of the long/short account share deviation (from 0.5). Default 0.3, an assumption: the
   * ratio counts accounts, not notional, so it leans the split half as much as taker flow.
   */
  readonly accountRatioWeight: number;
  /**
   * Weight of funding: positive funding means longs are crowded (they pay), so a rise in OI
   * with positive funding leans long. Applied to tanh(funding / fundingScale). Default 0.1, an
   * assumption; up to 0.6 was measured without gain (README, Calibration).
   */
  readonly fundingWeight: number;
  /** Funding that counts as "strongly positive": 0.0001 = 0.01 % per 8h (Binance's base rate). */
  readonly fundingScale: number;
  /**
   * Notional of a typical position in USD; picks the maintenance-margin tier of the exchange.
   * Default 10,000: retail-sized, inside the first tier of every venue.
   */
  readonly typicalPositionUsd: number;
  /**
   * How a fall in open interest closes estimated positions:
   * `proportional` shrinks every live level of both sides by the fraction of OI that closed
   * (relative to the real OI, never to the tracked notional, so a fall can never wipe the map
   * unless OI itself went to zero).
   */
  readonly closingRule: 'proportional';
  /**
   * Share of open interest assumed to be closed and re-opened per hour. The net OI change only
   * shows the difference between opens and closes; real positions turn over all the time, and
   * that turnover keeps placing fresh levels near price. It scales with the bar's activity (its
   * volume, or its range, against the running norm). Default 0.02 (2 % per hour at normal
   * activity), an assumption; 1-10 % per hour score alike in the calibration (README).
   */
  readonly turnoverPerHour: number;
  /**
   * Share of newly opened notional placed at the tiers' liquidation levels; the rest is held with
   * enough collateral (cross margin, low effective leverage) that its liquidation price lies beyond
   * the ladder's reach, or has none. See level-share.ts for the measurement behind the default.
   */
  readonly levelShare: number;
  /**
   * Intra-bar path, first leg: before reaching its first extreme, a bar moves from its open toward
   * its second extreme by this share of its range. Default 0.16: the mean measured on the recorded
   * Binance BTCUSDT 5m series inside 30m bars (0.13-0.18 inside 15m to 4h bars).
   */
  readonly openDip: number;
  /**
   * Intra-bar path, middle leg: the leg between the two extremes retraces this share of its length
   * once on the way, so positions opened inside a bar meet the swings a bar really has. 0 = a
   * straight leg. Default 0.5: a path twice as long as the straight leg, as the 5m bars inside
   * 30m bars of the recorded Binance series trace (median 1.8-2.0 per leg).
   */
  readonly legRetrace: number;
  /**
   * Intra-bar path, last leg: after its second extreme, a bar swings back past its close toward its
   * first extreme by this share of (first extreme - close) before it closes, so the positions opened
   * at the second extreme meet the rebound. Default 0.3: the mean measured on the recorded Binance
   * BTCUSDT 5m series inside 30m bars (0.27-0.32 inside 15m to 4h bars).
   */
  readonly closeOvershoot: number;
  /**
   * Share of a level's notional that leaves per hour while the price sits within
   * `nearExitDistance` of it: holders of a position close to liquidation get the exchange's margin
   * warning and cut the position or add margin (which moves its level away), so a level the price
   * hovers next to for hours is thinner when it is finally reached than one a sudden move hits.
   * Default 0.5, an assumption: calibrated on the recorded 30m liquidations (the score is flat
   * from 0.3 to 0.7), checked on the recorded Binance 5m series; 0 turns it off.
   */
  readonly nearExitPerHour: number;
  /**
   * How close (log distance from the bar's close) a level must be for `nearExitPerHour` to apply.
   * Default 0.003 (0.3 %): the nearest level of the highest leverage tier (125x at Binance's
   * 0.4 % maintenance margin is 0.4 % from entry), about one 30m bar's move of BTC.
   */
  readonly nearExitDistance: number;
  /**
   * Bars with an unchanged open interest for at least this many consecutive bars are treated as
   * a recording gap (stale feed): nothing opens or closes, and the first change after the gap
   * re-bases instead of being read as one giant open or close. Default 12 (1 h of 5m bars).
   */
  readonly staleOpenInterestBars: number;
  /**
   * A tier's liquidation level is a spread, not a point: real positions at "20x" differ in
   * exact leverage, added margin, fees and maintenance tier. Each tier's notional is spread
   * over log distances from entry scaled by 1 - levelSpread .. 1 + levelSpread (levelSpreadPoints).
   * 0 places a single point. Default 0.3: +-30 % spans the gap between neighbouring tiers.
   */
  readonly levelSpread: number;
  /**
   * How far inside its textbook level (toward entry) a tier's spread reaches, as a share of the
   * level's log distance: the spread runs from 1 - levelSpreadInside to 1 + levelSpread times the
   * distance. Real positions sit inside their leverage setting's level too (losses on other
   * positions of a cross account, a higher maintenance tier, fees). Default 0.8: on the
   * Hyperliquid snapshot (shared/data/hyperliquid-positions), the BTC notional at or inside its
   * level reaches down to 0.19 of the textbook distance at its 5th percentile (level-share.ts,
   * tests/level-share.test.ts). Evenly spread between the two ends is an assumption.
   */
  readonly levelSpreadInside: number;
  /**
   * Points the spread is sampled at (odd, >= 3). More points give a smoother map at a cost
   * proportional to the points in the engine's hot path. Default 3.
   */
  readonly levelSpreadPoints: number;
  /**
   * Internal price resolution of the state, as a log step. Default 0.0005 = 5 bp buckets: the
   * floor of the finest bins among the surveyed estimators (shared/PEERS.md).
   */
  readonly bucketLogStep: number;
  /**
   * Levels further than this (log distance) from the current price are dropped from the state
   * as irrelevant: ln(4) = a quarter or four times the price. Default 1.386.
   */
  readonly maxLogDistance: number;
  /**
   * Gap rule: a missing bar (timestamp jump of more than 1.5 timeframes) is not invented.
   * Decay runs over the real elapsed time; the next bar's OI change is applied as usual;
   * the gap's length counts against reliability.
   */
  readonly gapTolerance: number;
}

const HOUR = 1;
const DAY = 24 * HOUR;

export const DEFAULT_CONFIG: EngineConfig = {
  tiers: [
    { leverage: 5, weight: 0.06, halfLifeHours: 3 * DAY },
    { leverage: 10, weight: 0.14, halfLifeHours: 3 * DAY },
    { leverage: 20, weight: 0.2, halfLifeHours: 3 * DAY },
    { leverage: 25, weight: 0.16, halfLifeHours: 3 * DAY },
    { leverage: 50, weight: 0.2, halfLifeHours: 3 * DAY },
    { leverage: 75, weight: 0.12, halfLifeHours: 3 * DAY },
    { leverage: 100, weight: 0.12, halfLifeHours: 3 * DAY },
    { leverage: 125, weight: 0.06, halfLifeHours: 3 * DAY },
  ],
  longShareBounds: [0.2, 0.8],
  takerFlowWeight: 0.6,
  accountRatioWeight: 0.3,
  fundingWeight: 0.1,
  fundingScale: 0.0001,
  typicalPositionUsd: 10_000,
  closingRule: 'proportional',
  turnoverPerHour: 0.02,
  levelShare: 0.076,
  openDip: 0.16,
  legRetrace: 0.5,
  closeOvershoot: 0.3,
  nearExitPerHour: 0.5,
  nearExitDistance: 0.003,
  staleOpenInterestBars: 12,
  levelSpread: 0.3,
  levelSpreadInside: 0.8,
  levelSpreadPoints: 3,
  bucketLogStep: 0.0005,
  maxLogDistance: Math.log(4),
  gapTolerance: 1.5,
};

/**
 * Leverage-weight presets offered to users (the options page picks one). Only the weights differ;
 * leverages and half-lives stay those of {@link DEFAULT_CONFIG}.
 * - `conservative`: tiers up to 25x get 1.6x their default weight, tiers above get half. Mass moves
 *   to levels 4-20 % from entry: for markets where most open interest is held at moderate leverage
 *   (altcoins whose exchanges cap leverage at 20-50x, quiet periods with neutral funding), the map
 *   then does not overstate the pools hugging the price.
 * - `aggressive`: tiers from 50x up get 1.6x, the others 0.6x. Mass moves to levels within 2 % of
 *   entry: for majors in crowded phases (strongly positive funding, fast open-interest growth),
 *   when short-lived high-leverage positions dominate the flow.
 * The engine normalizes weights, so a preset changes the shape of the map, not its total notional.
 */
export const LEVERAGE_PRESETS = {
  conservative: DEFAULT_CONFIG.tiers.map((tier) => ({
    ...tier,
    weight: tier.leverage <= 25 ? tier.weight * 1.6 : tier.weight * 0.5,
  })),
  default: DEFAULT_CONFIG.tiers,
  aggressive: DEFAULT_CONFIG.tiers.map((tier) => ({
    ...tier,
    weight: tier.leverage >= 50 ? tier.weight * 1.6 : tier.weight * 0.6,
  })),
} as const satisfies Record<string, readonly LeverageTier[]>;

/**
 * The default tiers with other weights, one per tier in the same order (e.g. a preset's or the
 * user's own). Throws a {@link ConfigError} when the count does not match.
 * @example tiersWithWeights([1, 1, 1, 1, 1, 1, 1, 1])[0] // { leverage: 5, weight: 1, halfLifeHours: 72 }
 */
export function tiersWithWeights(weights: readonly number[], tiers: readonly LeverageTier[] = DEFAULT_CONFIG.tiers): LeverageTier[] {
  if (weights.length !== tiers.length) {
    throw new ConfigError(`expected ${tiers.length} leverage weights, got ${weights.length}`);
  }
  return tiers.map((tier, i) => ({ ...tier, weight: weights[i]! }));
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Merges a partial config over the defaults and checks it.
 * @example resolveConfig({ turnoverPerHour: 0.05 }).tiers.length // 7
 */
export function resolveConfig(partial: Partial<EngineConfig> = {}): EngineConfig {
  const config: EngineConfig = { ...DEFAULT_CONFIG, ...partial };
  if (config.tiers.length === 0) throw new ConfigError('config.tiers: at least one leverage tier is needed');
  for (const [i, tier] of config.tiers.entries()) {
    if (!(tier.leverage >= 1 && Number.isFinite(tier.leverage))) {
      throw new ConfigError(`config.tiers[${i}].leverage must be a finite number >= 1, got ${tier.leverage}`);
    }
    if (!(tier.weight >= 0 && Number.isFinite(tier.weight))) {
      throw new ConfigError(`config.tiers[${i}].weight must be a finite number >= 0, got ${tier.weight}`);
    }
    if (!(tier.halfLifeHours > 0)) {
      throw new ConfigError(`config.tiers[${i}].halfLifeHours must be > 0 (Infinity for no decay)`);
    }
  }
  if (!config.tiers.some((tier) => tier.weight > 0)) throw new ConfigError('config.tiers: all weights are zero');
  const [lo, hi] = config.longShareBounds;
  if (!(lo >= 0 && hi <= 1 && lo <= hi)) throw new ConfigError('config.longShareBounds must satisfy 0 <= low <= high <= 1');
  if (!(config.bucketLogStep > 0 && config.bucketLogStep <= 0.05)) {
    throw new ConfigError('config.bucketLogStep must be in (0, 0.05]');
  }
  if (!(config.maxLogDistance > 0.3 && config.maxLogDistance <= 5)) {
    throw new ConfigError('config.maxLogDistance must be in (0.3, 5]');
  }
  if (!(config.turnoverPerHour >= 0 && config.turnoverPerHour <= 1)) throw new ConfigError('config.turnoverPerHour must be in [0, 1]');
  if (!(config.levelShare > 0 && config.levelShare <= 1)) throw new ConfigError('config.levelShare must be in (0, 1]');
  if (!(config.levelSpread >= 0 && config.levelSpread < 1)) throw new ConfigError('config.levelSpread must be in [0, 1)');
  if (!(config.levelSpreadInside >= 0 && config.levelSpreadInside < 1)) throw new ConfigError('config.levelSpreadInside must be in [0, 1)');
  if (!(Number.isInteger(config.levelSpreadPoints) && config.levelSpreadPoints >= 3 && config.levelSpreadPoints % 2 === 1 && config.levelSpreadPoints <= 15)) {
    throw new ConfigError('config.levelSpreadPoints must be an odd whole number in 3..15');
  }
  if (!(config.legRetrace >= 0 && config.legRetrace < 1)) throw new ConfigError('config.legRetrace must be in [0, 1)');
  if (!(config.openDip >= 0 && config.openDip <= 1)) throw new ConfigError('config.openDip must be in [0, 1]');
  if (!(config.closeOvershoot >= 0 && config.closeOvershoot <= 1)) throw new ConfigError('config.closeOvershoot must be in [0, 1]');
  if (!(config.nearExitPerHour >= 0 && config.nearExitPerHour <= 1)) throw new ConfigError('config.nearExitPerHour must be in [0, 1]');
  if (!(config.nearExitDistance >= 0 && config.nearExitDistance <= 0.1)) throw new ConfigError('config.nearExitDistance must be in [0, 0.1]');
  if (!(config.typicalPositionUsd > 0)) throw new ConfigError('config.typicalPositionUsd must be > 0');
  if (!(Number.isInteger(config.staleOpenInterestBars) && config.staleOpenInterestBars >= 2)) {
    throw new ConfigError('config.staleOpenInterestBars must be an integer >= 2');
  }
  return config;
}
