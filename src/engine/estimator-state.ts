import { resolveConfig, type EngineConfig } from './config';
import type { Contribution, ExchangeTrack, Opening } from './exchange-track';
import { MergedBarList } from './merged-bars';
import type { TrackedGrid } from './tracked-grid';

const LN2 = Math.log(2);
export const MS_PER_HOUR = 3_600_000;

/**
 * The estimator's state is a log-price ladder of buckets per side and per decay group
 * (tiers sharing a half-life share one array). Costs per bar do not grow with history:
 * - decay and proportional closing are one multiplication of a per-group scale (lazy: a bucket
 *   stores notional divided by its group's scale);
 * - a sweep clears buckets between the bar's extreme and the side's frontier, and every bucket
 *   it clears was filled by an earlier opening, so sweeping is amortized against opening;
 * - opening touches only the buckets under the bar's range, shifted by each tier's liquidation
 *   distance.
 */

export interface EstimatorOptions {
  readonly config?: Partial<EngineConfig>;
  /** Keep only these leverages (tier filter); weights stay those of the full tier list. */
  readonly leverages?: readonly number[];
}

/**
 * Everything an estimator keeps between bars: the level ladder, the exchanges' tracks, the merged
 * bars, running figures and per-bar scratch. The engine's modules (ladder, placement, tracked
 * grid, read-outs) work on it directly; `Estimator` (estimator.ts) adds the public interface. One
 * class, so V8 gives every estimator one hidden class and the per-bar functions stay monomorphic.
 * @internal
 */
export class EstimatorState {
  readonly config: EngineConfig;
  readonly tiers: EngineConfig['tiers'];
  /** Normalized weight per tier (0 for tiers filtered out). */
  readonly tierWeight: Float64Array;
  /** Sum of the kept tiers' normalized weights (1 without a tier filter). */
  readonly activeWeight: number;
  readonly tierGroup: Int32Array;
  readonly groupDecayPerMs: Float64Array;
  readonly groupCount: number;
  readonly size: number;
  readonly step: number;
  /** Buckets per side per group: `long[g][i]` holds stored notional (true = stored * scale[g]). */
  readonly long: Float64Array[];
  readonly short: Float64Array[];
  readonly scale: Float64Array;
  /** Highest occupied long bucket per group (-1 when none). */
  readonly longTop: Int32Array;
  /** Lowest occupied short bucket per group (size when none). */
  readonly shortBottom: Int32Array;
  /** Absolute log-bucket index of array position 0; undefined until the first bar. */
  base: number | undefined;
  readonly tracks = new Map<string, ExchangeTrack>();
  /** The same tracks as a list, for the per-leg loops (no iterator per call). */
  readonly trackList: ExchangeTrack[] = [];
  readonly merged = new MergedBarList();
  /**
   * The current bar's openings, one per track that opened: its first entries, as many as opened
   * (the list is not truncated per bar; V8 would drop and regrow its storage every time).
   */
  readonly opening: Opening[] = [];

  /** The one contribution of a single-series bar (reused every bar). */
  readonly single: Contribution[] = [];
  lastTimestamp = -Infinity;
  timeframe = 0;
  atrValue = 0;
  /** Share a level near the close keeps per bar (see exitNearPrice); -1 until the bar duration is known. */
  nearExitKeep = -1;
  /** The funding rate (per 8 h) whose long-share lean (see longShare) is in `fundingLean`; NaN before the first. */
  leanFunding = Number.NaN;
  fundingLean = 0;
  /** The last merged close (NaN before the first bar) and its ladder position, log(close) / step. */
  lastClose = Number.NaN;
  lastCloseLog = Number.NaN;
  /** The decay factors of the last elapsed time decayed over (bars are mostly evenly spaced). */
  decayElapsed = Number.NaN;
  readonly decayFactor: Float64Array;
  /** Running projection of the state onto a heatmap's bins, per group (see trackGrid). */
  grid: TrackedGrid | undefined;
  /** The merged bar's path (see barPath); reused every bar. */
  readonly path = new Float64Array(8);
  /** log(path[q]) / step for the merged path, and a scratch for each exchange's own path. */
  readonly pathLog = new Float64Array(8);
  readonly ownLog = new Float64Array(8);
  /** log(low) / step and log(high) / step of the current bar, for its sweep before any opening. */
  readonly extremeLog = new Float64Array(2);
  openedUsd = 0;
  sweptUsd = 0;
  /**
   * USD swept in the current bar, long and short. Hot per-leg methods add here rather than
   * return a number: in V8 a float returned or passed to a call that is not inlined is boxed,
   * an allocation per call.
   */
  readonly swept = new Float64Array(2);
  /**
   * The ladder buckets the current bar's legs opened near levels in, per side (long lo, hi, short
   * lo, hi): noted for the tracked grid once per bar rather than once per leg.
   */
  readonly openedRange = new Int32Array(4);

  constructor(options: EstimatorOptions = {}) {
    this.config = resolveConfig(options.config);
    this.tiers = this.config.tiers;
    const totalWeight = this.tiers.reduce((sum, tier) => sum + tier.weight, 0);
    const keep = options.leverages ? new Set(options.leverages) : undefined;
    this.tierWeight = Float64Array.from(this.tiers, (tier) => (keep && !keep.has(tier.leverage) ? 0 : tier.weight / totalWeight));
    this.activeWeight = this.tierWeight.reduce((sum, w) => sum + w, 0);
    const halfLives = [...new Set(this.tiers.map((tier) => tier.halfLifeHours))];
    this.groupCount = halfLives.length;
    this.tierGroup = Int32Array.from(this.tiers, (tier) => halfLives.indexOf(tier.halfLifeHours));
    this.groupDecayPerMs = Float64Array.from(halfLives, (hours) => (Number.isFinite(hours) ? LN2 / (hours * MS_PER_HOUR) : 0));
    this.step = this.config.bucketLogStep;
    this.size = 2 * Math.ceil(this.config.maxLogDistance / this.step) + 1;
    this.long = halfLives.map(() => new Float64Array(this.size));
    this.short = halfLives.map(() => new Float64Array(this.size));
    this.scale = new Float64Array(this.groupCount).fill(1);
    this.decayFactor = new Float64Array(this.groupCount);
    this.longTop = new Int32Array(this.groupCount).fill(-1);
    this.shortBottom = new Int32Array(this.groupCount).fill(this.size);
  }
}
