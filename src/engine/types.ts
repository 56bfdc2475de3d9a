/**
 * Public data shapes of the estimator engine. Pure data: every shape here can be
 * structured-cloned between the worker, the background and the UI.
 */
import type { MergedBarColumns } from './merged-bars';

/** Exchanges whose liquidation formulas and default margin tiers the engine knows. */
export type ExchangeId = 'binance' | 'bybit' | 'okx' | 'bitget' | 'hyperliquid';

export type Side = 'long' | 'short';

/** One candle with the open interest observed at its close. */
export interface Bar {
  /** Bar open time, ms since epoch (UTC). */
  readonly timestamp: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Traded base volume; optional. */
  readonly volume?: number;
  /** Taker-buy base volume; optional. With `volume` it gives the taker-buy share. */
  readonly takerBuyVolume?: number;
  /**
   * Cumulative taker delta (base units, buys minus sells) at the bar's close; optional.
   * Used only through its change from the previous bar, when `takerBuyVolume` is absent.
   */
  readonly cvd?: number;
  /** Open interest at the bar's close in USD notional. Give this or `openInterestBase`. */
  readonly openInterestUsd?: number;
  /** Open interest at the bar's close in base units; converted at the bar's close price. */
  readonly openInterestBase?: number;
  /**
   * Funding rate as a fraction per the series' funding interval (0.0001 = 0.01 %; see
   * `ExchangeSeries.fundingIntervalMs`); optional.
   */
  readonly fundingRate?: number;
  /** Long/short account ratio (longs / shorts, e.g. 1.2); optional. */
  readonly longShortRatio?: number;
}

/** One exchange's bar series for one symbol. */
export interface ExchangeSeries {
  readonly exchange: ExchangeId;
  /** Unified symbol, e.g. `BTC/USDT:USDT`, or the exchange's own id; used for margin tiers. */
  readonly symbol: string;
  /** Bar duration in ms (e.g. 300_000 for 5m). Inferred from timestamps when omitted. */
  readonly timeframeMs?: number;
  /**
   * How often the exchange settles this market's funding, in ms: the interval its bars'
   * `fundingRate` is per (28_800_000 for 8 h, 3_600_000 for Hyperliquid's hourly rates). The
   * engine scales every rate to 8 h before it merges or reads them (see funding-interval.ts).
   * Absent: the rates are taken as 8-hourly, as given.
   */
  readonly fundingIntervalMs?: number;
  readonly bars: readonly Bar[];
}

/** The normalized per-bar row the estimator consumes (all exchanges merged). */
export interface MergedBar {
  readonly timestamp: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Summed open interest in USD over the exchanges that reported it for this bar. */
  readonly openInterestUsd: number;
  /**
   * Open-interest-weighted funding as a fraction per 8 h (each exchange's rate scaled from its
   * own interval), when any exchange has it.
   */
  readonly funding?: number;
  /** Long/short account ratio, open-interest-weighted, when any exchange has it. */
  readonly longShortRatio?: number;
  /** Taker-buy share of volume 0..1, when volume data (or a CVD change) exists. */
  readonly takerBuyShare?: number;
  /** How many exchanges contributed to this bar. */
  readonly exchanges: number;
  /** True when open interest is inside a stale (unchanged) stretch: a recording gap. */
  readonly openInterestStale: boolean;
  /** Number of missing bars before this one (0 when contiguous). */
  readonly gapBefore: number;
}

/** What the context step reads besides the bars. */
export interface ContextInput {
  /** Merged bars as objects, or as the estimator's columns (`Estimator.barColumns`). */
  readonly bars: readonly MergedBar[] | MergedBarColumns;
  readonly timeframeMs: number;
  /** Number of exchanges in the input. */
  readonly exchanges: number;
  /** Average true range (14 bars) at the latest bar. */
  readonly atr: number;
}

export interface LiquidationLevelInput {
  readonly exchange: ExchangeId;
  readonly symbol: string;
  readonly side: Side;
  readonly entryPrice: number;
  readonly leverage: number;
  /** Position notional in USD at entry; picks the maintenance-margin tier. */
  readonly notionalUsd: number;
}

/**
 * Estimated liquidations of one bar, causal: what the map as it stood at the end of the previous
 * bar holds between this bar's low and high. Nothing else of the bar (open interest, flow,
 * funding, ratio, open, close) moves them; positions opened inside the bar enter the map after.
 */
export interface BarLiquidations {
  readonly timestamp: number;
  readonly longUsd: number;
  readonly shortUsd: number;
}

/** A time x price grid of live estimated liquidation notional (USD). */
export interface Heatmap {
  /** Column timestamps (open time of each column's first bar), length = columns. */
  readonly timestamps: Float64Array;
  /** Price bin edges, ascending, length = rows + 1. */
  readonly priceEdges: Float64Array;
  /**
   * Row-major by time: `cells[col * rows + row] * columnScale[col]` is USD in price bin `row`
   * after column `col`'s last bar (see {@link heatmapCell}). Never negative.
   */
  readonly cells: Float32Array;
  /**
   * One factor per column (absent: 1 for every column). Decay and closing shrink every level of
   * a bar by the same factor, so a run writes each column in its state's own units and says here
   * what one unit is worth in USD, instead of multiplying every cell.
   */
  readonly columnScale?: Float64Array;
  readonly columns: number;
  readonly rows: number;
  /** Largest cell value, for colour scaling. */
  readonly maxCell: number;
}

/** The liquidation map at the latest bar. */
export interface LiquidationMap {
  readonly timestamp: number;
  readonly price: number;
  /** Price bin edges, ascending, length = bins + 1. */
  readonly priceEdges: Float64Array;
  /** Live long-liquidation notional per bin (USD). */
  readonly long: Float64Array;
  /** Live short-liquidation notional per bin (USD). */
  readonly short: Float64Array;
  /**
   * Cumulative long notional from the current price downwards: `cumulativeLong[i]` is
   * the sum of `long` over bins `i..k` where bin `k` holds the current price (0 above price).
   */
  readonly cumulativeLong: Float64Array;
  /** Cumulative short notional from the current price upwards (0 below price). */
  readonly cumulativeShort: Float64Array;
  /** Average true range (14 bars) at the latest bar, in price units. */
  readonly atr: number;
}

export interface Pool {
  /** `long` pools sit below price (long liquidations), `short` pools above. */
  readonly side: Side;
  readonly priceLow: number;
  readonly priceHigh: number;
  /** Notional-weighted centre price. */
  readonly peakPrice: number;
  readonly notionalUsd: number;
  /** 1..10, relative to the strongest pool in the map. */
  readonly strength: number;
  /** Signed distance from the current price to the nearest edge, in % of price (negative below). */
  readonly distancePct: number;
  /** The same distance in ATRs. */
  readonly distanceAtr: number;
}

export type Trend = 'up' | 'down' | 'flat';

export interface ReliabilityReason {
  readonly factor: 'history' | 'coverage' | 'open-interest' | 'exchanges' | 'stale-open-interest' | 'long-short-ratio';
  /** 0..1 contribution of this factor. */
  readonly score: number;
  readonly text: string;
}

export interface MarketContext {
  readonly timestamp: number;
  readonly price: number;
  /** Latest funding as a fraction per 8 h (see `MergedBar.funding`), undefined when no series has funding. */
  readonly funding?: number;
  /** z-score of the latest funding over the lookback (of the rates per 8 h). */
  readonly fundingZ?: number;
  /** The side that pays funding: `long` when funding > 0. */
  readonly crowdedSide?: Side;
  /** Latest long/short account ratio (longs / shorts), undefined when no exchange gave one. */
  readonly longShortRatio?: number;
  readonly openInterestUsd: number;
  /** Relative change of open interest (0.01 = +1 %); undefined when history is shorter. */
  readonly openInterestChange: { readonly h1?: number; readonly h4?: number; readonly h24?: number };
  /** Trend on a 4x higher timeframe (EMA slope of 4x-aggregated closes). */
  readonly trend: Trend;
  /**
   * The move of that EMA over the window its slope is read on, in % (+0.5 = up 0.5 %): the
   * quantity the trend is decided on, so positive when 'up' and negative when 'down'. A smoothed
   * move, not the last price's return.
   */
  readonly trendChangePct: number;
  /** The time {@link trendChangePct} spans, ms (1 h on 5m bars; 0 without bars). */
  readonly trendWindowMs: number;
  readonly reliability: { readonly score: number; readonly reasons: readonly ReliabilityReason[] };
}

export type Severity = 'info' | 'warning' | 'danger';

/**
 * How a position is margined: `isolated` by its own margin alone, `cross` by the account's whole
 * balance (so a cross position liquidates further from its entry than an isolated one).
 */
export type MarginMode = 'cross' | 'isolated';

export interface PlannedOrder {
  readonly side: Side;
  readonly entry: number;
  readonly stop?: number;
  readonly takeProfit?: number;
  readonly leverage?: number;
  /**
   * The margin mode the order form shows; absent when it shows none. The liquidation price is
   * estimated as isolated either way: LiqLens never reads the account's balance a cross position
   * draws on, and the isolated price is the nearest a position at this leverage can liquidate.
   */
  readonly marginMode?: MarginMode;
  /** Position size in USD notional. */
  readonly sizeUsd?: number;
  /** Exchange whose formula gives the order's own liquidation price; default binance. */
  readonly exchange?: ExchangeId;
  readonly symbol?: string;
}

export type FindingKind =
  | 'entry-before-pool'
  | 'stop-in-hunt-zone'
  | 'liquidation-in-pool'
  | 'take-profit-before-pool'
  | 'invalid-order';

export interface Finding {
  readonly kind: FindingKind;
  readonly severity: Severity;
  readonly message: string;
  readonly pool?: Pool;
  /** A stop beyond the pool plus a volatility buffer, when the finding is about the stop. */
  readonly suggestedStop?: number;
  /** Suggested fraction of the planned size (0..1), when a pool sits close to the entry. */
  readonly suggestedSizeFactor?: number;
  /**
   * Set when a stop that clears the pool would lie past the order's own estimated liquidation
   * price (then there is no `suggestedStop`): that stop, the liquidation price, and the highest
   * whole leverage below the order's at which the liquidation price lies beyond that stop.
   */
  readonly stopPastLiquidation?: { readonly stop: number; readonly liquidation: number; readonly leverageBelow?: number };
}

export interface RiskAssessment {
  readonly findings: readonly Finding[];
  /** The order's own estimated liquidation price, when leverage was given. */
  readonly liquidationPrice?: number;
  /** Highest severity among findings, `info` when none. */
  readonly severity: Severity;
}

export interface HeatmapOptions {
  /** Number of columns (default: as many as the bars allow, at most 8,640). */
  readonly columns?: number;
  /**
   * Bars per column (default 1). A column shows the state after its last bar; the window is the
   * latest `columns x barsPerColumn` bars. A panel a few hundred pixels wide showing 30 days of
   * 5m bars needs no more than one column per hour (12).
   */
  readonly barsPerColumn?: number;
  /** Number of price bins (default 500). */
  readonly rows?: number;
  /**
   * Price range; by default the window's low..high widened by 3 ATR or 2 %, whichever is more,
   * so bins adapt to price and volatility.
   */
  readonly priceLow?: number;
  readonly priceHigh?: number;
  /** Only these leverage tiers (by leverage); default all. */
  readonly leverages?: readonly number[];
}

export interface EstimateResult {
  /** Estimated liquidations per input bar (merged timeline), in input order. */
  readonly perBar: readonly BarLiquidations[];
  readonly heatmap: Heatmap;
  readonly map: LiquidationMap;
  readonly pools: readonly Pool[];
  readonly context: MarketContext;
}
