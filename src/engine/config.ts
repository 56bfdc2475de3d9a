/**
 * Every tunable parameter of the estimator, with where its default comes from. Each default says
 * one of: an exchange's documentation, a measurement on named recorded data (shared/data), or a
 * calibration choice the score is flat around (figures from `npm run calibrate` on the recorded
 * 30m file with realized liquidations; see docs/calibration.md). Leverage and margin of the
 * positions on Binance, Bybit, OKX and Bitget are not public; Hyperliquid's are, and the share of
 * notional placed at liquidation levels is measured there.
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
   * Leverage tiers. Default 5/10/20/25/50/75/100/125x. Source: exchange documentation (125x is
   * Binance's BTC maximum, see margin/binance.ts; tiers above an exchange's own maximum are
   * clamped to it by the margin module). Weights: the shape of the open-source estimators surveyed
   * in shared/PEERS.md (pcdogyu's 5/10/20/50/100x at .08/.22/.32/.25/.13: mass around 20-50x,
   * thin tails) extended to the 25x and 75x tiers the exchanges' leverage sliders snap to; the
   * rank score is flat around them (presets `conservative` / `aggressive`: Spearman within 0.001
   * of the default on both sides; they move the dollars, median per-bar ratio 0.78 / 1.81).
   * Half-lives: 3 days for every tier, the 20x tier's half-life in that surveyed estimator (72 h).
   * A calibration choice the score is flat around: 12 h .. 7 days give Spearman within 0.001 on
   * both sides. One value for all tiers keeps one state array per side (each distinct half-life
   * adds an array that opening, sweeping and the heatmap walk every bar).
   */
  readonly tiers: readonly LeverageTier[];
  /**
   * Bounds of the long share of new positions. Taker flow alone can be 100 % one-sided in a
   * bar; every contract still has a holder on each side, so neither side gets less than this.
   * Default [0.2, 0.8]: a calibration choice the score is flat around ([0.1, 0.9], the surveyed
   * estimator's clamp, and [0.3, 0.7] score the same to the third digit).
   */
  readonly longShareBounds: readonly [number, number];
  /**
   * Weight of the taker-buy share deviation (from 0.5) in the long share. Default 0.6. Not
   * measured: the calibration file has no taker flow (0 and 0.6 score the same there, so the
   * score is flat around it only trivially). Taker flow is the input every surveyed estimator
   * splits new positions by (shared/PEERS.md), so it gets the largest weight of the three.
   */
  readonly takerFlowWeight: number;
  /**
   * Weight of the long/short account share deviation (from 0.5). Default 0.3. Not measured: the
   * calibration file has no long/short ratio. The ratio counts accounts, not notional (Binance's
   * globalLongShortAccountRatio documentation), so it leans the split half as much as taker flow.
   */
  readonly accountRatioWeight: number;
  /**
   * Weight of funding: positive funding means longs are crowded (they pay), so a rise in OI
   * with positive funding leans long. Applied to tanh(funding / fundingScale). Default 0.1: a
   * calibration choice the score is flat around (0 and 0.3 move Spearman by at most 0.004).
   */
  readonly fundingWeight: number;
  /**
   * Funding that counts as "strongly positive": 0.0001 = 0.01 % per 8h. Source: exchange
   * documentation (Binance's base rate: interest 0.03 % a day over three fundings, premium 0).
   * Every rate is scaled to 8 h before it is compared (a series' `fundingIntervalMs`).
   */
  readonly fundingScale: number;
  /**
   * Notional of a typical position in USD; picks the maintenance-margin tier of the exchange.
   * Default 10,000: inside the first maintenance tier of every venue's BTC table (exchange
   * documentation, margin/*.ts), so any retail size gives the same levels.
   */
  readonly typicalPositionUsd: number;
  /**
   * How a fall in open interest closes estimated positions:
   * `proportional` shrinks every live level of both sides by the fraction of OI that closed
   * (relative to the real OI, never to the tracked notional, so a fall can never wipe the map
   * unless OI itself went to zero). A design choice, not a number: the surveyed estimator that
   * shrinks relative to its tracked notional wipes its map 93 times on the recorded 5m file
   * (shared/PEERS.md).
   */
  readonly closingRule: 'proportional';
  /**
   * Share of open interest assumed to be closed and re-opened per hour. The net OI change only
   * shows the difference between opens and closes; real positions turn over all the time, and
   * that turnover keeps placing fresh levels near price. It scales with the bar's activity (its
   * volume, or its range, against the running norm). Default 0.02 (2 % per hour at normal
   * activity): a calibration choice the rank score is flat around (1 % and 5 % per hour give
   * Spearman within 0.003). It is not flat in dollars: the estimated USD grows in proportion
   * (sum ratio 0.45 at 1 %, 1.29 at 5 %). No recorded file has both volume and open interest to
   * measure it; 2 % is the value the engine had before its dollars were compared with realized
   * liquidations, kept, not re-fitted to them.
   */
  readonly turnoverPerHour: number;
  /**
   * Without volume, a bar's activity (which scales turnover) is its relative range over its norm
   * (`activityNormHours`) raised to this power: the volume that goes with a range. Default 1.13.
   * Measured: on the recorded 1h candles (shared/data/btc-1h-candles-binance-bybit-okx.csv), the
   * least-squares slope of log(volume / its norm) on log(range / its norm), both norms the engine's
   * running mean over 30 days, is 1.13 on Binance (8,686 bars after 50 of warm-up; Bybit 1.18, OKX
   * 1.09; correlation 0.90; scripts/lib/activity-exponent.ts, tests/activity-exponent.test.ts keeps the default equal
   * to it). 1 would treat volume as proportional to range, which busy bars contradict. Not used for
   * bars with volume.
   */
  readonly activityRangeExponent: number;
  /**
   * Span of the running norm a bar's activity is measured against, in hours. Default 720 (30
   * days, the longest history the extension loads). Turnover is volume against open interest, and
   * open interest moves slowly: a norm that followed the last few days would call a volatile week
   * "normal" and open no more positions in it than in a quiet one, while its volume, on the same
   * open interest, is far higher (on Binance's recorded 1h candles the mean hourly range of the
   * busiest of 52 weeks is 4.0 times the quietest's). A design choice; on the recorded 30m file
   * (438 h, so any span over it is the mean since the file's start) a 100 h span ranks the short
   * side lower (Spearman 0.749 against 0.756; the long side is flat, 0.830 / 0.831): it was looked
   * for after the file's residuals rose with the 24 h range (docs/calibration.md).
   */
  readonly activityNormHours: number;
  /**
   * Share of newly opened notional placed at the tiers' liquidation levels; the rest is held with
   * enough collateral (cross margin, low effective leverage) that its liquidation price lies beyond
   * the ladder's reach, or has none. Default 0.076. Measured: on the Hyperliquid snapshot of real
   * positions (shared/data/hyperliquid-positions, 236 BTC positions, $690M), 7.6 % of the notional
   * has its exchange-computed liquidation price at or inside its leverage setting's level widened
   * by 30 % (level-share.ts; tests/level-share.test.ts keeps the default equal to it).
   * It sets the map's dollars in proportion and leaves its ranking unchanged.
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
   * Default 0.5: a calibration choice on the recorded 30m liquidations (Spearman 0.814-0.819
   * long, 0.736-0.746 short from 0.3 to 0.7; 0 gives 0.809 / 0.727); 0 turns it off.
   */
  readonly nearExitPerHour: number;
  /**
   * How close (log distance from the bar's close) a level must be for `nearExitPerHour` to apply.
   * Default 0.003 (0.3 %), just inside the nearest textbook level of the highest leverage tier
   * (125x at Binance's 0.4 % maintenance margin is 0.4 % from entry: exchange documentation,
   * margin/binance.ts); a calibration choice the score is flat around (0.2 % and 0.4 %:
   * Spearman within 0.001).
   */
  readonly nearExitDistance: number;
  /**
   * Bars with an unchanged open interest for at least this many consecutive bars are treated as
   * a recording gap (stale feed): nothing opens or closes, and the first change after the gap
   * re-bases instead of being read as one giant open or close. Default 12 (1 h of 5m bars).
   * Measured: on the recorded Binance 5m file open interest never repeats between consecutive
   * bars except in its 1,679-bar outage, and never on the 30m file; any value from 2 up detects
   * the outage, 12 leaves room for a venue that reports OI coarser than its bars.
   */
  readonly staleOpenInterestBars: number;
  /**
   * Where a tier's notional sits around its textbook level: each ratio scales the level's log
   * distance from entry and carries an equal share of the tier. Real positions at "20x" are not
   * all at the 20x level: losses elsewhere in a cross account, a higher maintenance tier and fees
   * put them inside it, extra margin a little beyond. Default [0.43, 1, 1.18]. Measured: on the
   * Hyperliquid snapshot (shared/data/hyperliquid-positions), over the notional at or inside its
   * level widened by 30 % (111 positions, all coins; 16 of them BTC), the notional-weighted
   * quantiles 1/6, 1/2 and 5/6 of real over textbook distance, the middles of three equal shares
   * (level-share.ts `distanceRatios`; tests/level-share.test.ts keeps the default equal to it).
   * [1] places a single point at the textbook level. More ratios give a smoother map at a cost
   * proportional to their count in the engine's hot path (five quantiles: Spearman 0.827 / 0.756
   * on the recorded 30m file, three: 0.831 / 0.756).
   */
  readonly levelDistanceRatios: readonly number[];
  /**
   * Internal price resolution of the state, as a log step. Default 0.0005 = 5 bp buckets: the
   * floor of the finest bins among the surveyed estimators (pcdogyu's max(5 bp, 0.1 ATR),
   * shared/PEERS.md); half the heatmap's finest bin (10 bp, estimate.ts).
   */
  readonly bucketLogStep: number;
  /**
   * Levels further than this (log distance) from the current price are dropped from the state
   * as irrelevant: ln(4) = a quarter or four times the price. Default 1.386. A bound, not a
   * model choice: the farthest level placed (the 5x tier at 1.3 times its 20 % distance) lies
   * at 0.29, so nothing within reach of a month's BTC moves is ever dropped.
   */
  readonly maxLogDistance: number;
  /**
   * Gap rule: a missing bar (timestamp jump of more than 1.5 timeframes) is not invented.
   * Decay runs over the real elapsed time; the next bar's OI change is applied as usual;
   * the gap's length counts against reliability. Default 1.5. Source: exchange documentation
   * (kline open times are exact multiples of the interval), so anything over one interval is a
   * gap; half an interval of margin for venues that stamp bars late.
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
  activityRangeExponent: 1.13,
  activityNormHours: 30 * DAY,
  levelShare: 0.076,
  openDip: 0.16,
  legRetrace: 0.5,
  closeOvershoot: 0.3,
  nearExitPerHour: 0.5,
  nearExitDistance: 0.003,
  staleOpenInterestBars: 12,
  levelDistanceRatios: [0.43, 1, 1.18],
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
  if (!(config.activityRangeExponent >= 0 && config.activityRangeExponent <= 3)) throw new ConfigError('config.activityRangeExponent must be in [0, 3]');
  if (!(config.activityNormHours >= 1 && config.activityNormHours <= 24 * 365)) throw new ConfigError('config.activityNormHours must be in [1, 8760]');
  if (!(config.levelShare > 0 && config.levelShare <= 1)) throw new ConfigError('config.levelShare must be in (0, 1]');
  const ratios = config.levelDistanceRatios;
  if (!(Array.isArray(ratios) && ratios.length >= 1 && ratios.length <= 15 && ratios.every((r) => r > 0 && r <= 3))) {
    throw new ConfigError('config.levelDistanceRatios must hold 1 to 15 ratios, each in (0, 3]');
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
