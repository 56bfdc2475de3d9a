/**
 * What every exchange module of the data layer provides: bar series with open interest, funding
 * and long/short ratio in the engine's shape, the exchange's clock, and margin tiers.
 */
import type { MarginTier } from '../../engine/margin/schedule';
import type { Bar, ExchangeId, ExchangeSeries } from '../../engine/types';
import type { Timeframe } from '../timeframes';

/** The range of a series fetch, as its request plan reads it. */
export interface SeriesPlanRequest {
  readonly timeframe: Timeframe;
  /** Open time (ms) of the first bar wanted; bars from the one containing `since` on are returned. */
  readonly since: number;
  /** Open time (ms) of the last bar wanted, inclusive; default the exchange's current bar. */
  readonly until?: number;
}

export interface SeriesRequest extends SeriesPlanRequest {
  /** The exchange's own market id (`BTCUSDT`, `BTC-USDT-SWAP`, Hyperliquid `BTC`) or ccxt's unified symbol. */
  readonly symbol: string;
  /** Aborts paging: the call rejects with the signal's reason and starts no further window (one already waiting in ccxt's throttle may still go out). */
  readonly signal?: AbortSignal;
  /**
   * The newest bar already held for this market (usually the one at `since`, fetched again since it
   * may have been open). Its funding and long/short ratio seed the forward fill; exchanges without
   * open-interest history interpolate open interest from its value (see their module).
   */
  readonly anchor?: Bar;
  /** The exchange's clock (ms) when the caller already read it; otherwise it is read here. */
  readonly now?: number;
  /** Candles received so far of the number expected; called after every page. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Requests completed of those planned (see `../request-tally` for the rule); first called with
   * the plan before any request is sent, then after every request.
   */
  readonly onRequests?: (done: number, total: number) => void;
}

/**
 * A fetched series: the engine's {@link ExchangeSeries} plus where and when it came from. Its
 * `fundingIntervalMs` is the spacing of the funding settlements fetched, or the exchange's
 * documented interval (`funding-interval.ts`); absent when neither tells.
 */
export interface FetchedSeries extends ExchangeSeries {
  /** The symbol as the request gave it. */
  readonly symbol: string;
  readonly timeframeMs: number;
  /** The exchange's clock when the fetch started (ms); the local clock if it gave none. */
  readonly serverTime: number;
  /** What is missing or approximated in this series, in plain words (empty when nothing). */
  readonly notes: readonly string[];
}

export interface MarginTiersResult {
  readonly tiers: readonly MarginTier[];
  /** `live` from the exchange's public endpoint, `shipped` from the engine's tables. */
  readonly source: 'live' | 'shipped';
  /** Why the shipped table was used, when it was. */
  readonly note?: string;
}

/** What an exchange's public REST API gives the data layer. */
export interface ExchangeCapabilities {
  /** Taker-buy volume per candle. */
  readonly takerBuyVolume: boolean;
  /** `history`: a per-bar open-interest endpoint; `snapshots`: only the current value (see the module). */
  readonly openInterest: 'history' | 'snapshots';
  /** How far back open-interest history reaches for a 5m timeframe (ms), when limited. */
  readonly openInterestReachMs?: number;
  readonly funding: boolean;
  /** Long/short account ratio history. */
  readonly longShortRatio: boolean;
  /** Maintenance-margin tiers from a public endpoint (otherwise the engine's shipped table). */
  readonly liveMarginTiers: boolean;
}

/** A market the extension supports (a linear perpetual), as the message contract's `MarketInfo`. */
export interface MarketSummary {
  readonly exchange: ExchangeId;
  /** The exchange's own id, as page addresses give it: `BTCUSDT`, `BTC-USDT-SWAP`, `BTC`. */
  readonly symbol: string;
  /** ccxt's unified symbol: `BTC/USDT:USDT`. */
  readonly unified: string;
  readonly base: string;
  readonly quote: string;
  /** Highest leverage the exchange offers on it, when the market list says. */
  readonly maxLeverage?: number;
  /** Base units per contract, when the market list says (order forms may count sizes in contracts). */
  readonly contractSize?: number;
}

export interface ExchangeSource {
  readonly id: ExchangeId;
  readonly capabilities: ExchangeCapabilities;
  /** The exchange's clock (ms since epoch); the local clock when the exchange does not answer. */
  serverTime(signal?: AbortSignal): Promise<number>;
  /** Bars from `since` to `until` (or now), paged within the exchange's limits. */
  fetchSeries(request: SeriesRequest): Promise<FetchedSeries>;
  /**
   * The requests {@link fetchSeries} plans for a range on the exchange's clock `now`, sending
   * nothing: pages of every series at the exchange's page limits (see `../request-tally`).
   */
  planRequests(request: SeriesPlanRequest & { readonly now: number }): number;
  /** Maintenance-margin tiers of a market, live where public, else the engine's shipped table. */
  fetchMarginTiers(symbol: string, options?: { readonly signal?: AbortSignal }): Promise<MarginTiersResult>;
  /** The supported markets (active linear perpetuals), sorted by symbol. */
  listMarkets(options?: { readonly signal?: AbortSignal }): Promise<readonly MarketSummary[]>;
  /** Base units per contract of a market (1 where the exchange counts in base units). */
  contractSize(symbol: string, options?: { readonly signal?: AbortSignal }): Promise<number>;
}

/**
 * - `unknown-symbol`, `no-data`: the market or its bars do not exist there.
 * - `bad-data`: bars the engine rejects; `bad-response`: an answer that could not be read, or
 *   an empty one where bars are known to exist.
 * - `rate-limited`, `banned` (HTTP 418), `unavailable` (5xx, dropped connection), `timeout`:
 *   the exchange could not be asked; `retryAt` says when asking again makes sense, when known.
 * - `exchange`: any other failure of the exchange's API.
 */
export type DataErrorCode =
  | 'unknown-symbol'
  | 'no-data'
  | 'bad-data'
  | 'bad-response'
  | 'rate-limited'
  | 'banned'
  | 'unavailable'
  | 'timeout'
  | 'exchange';

/** A failure of the data layer that callers can show: the message names the exchange and market. */
export class DataError extends Error {
  override name = 'DataError';
  /** When asking the exchange again makes sense (local clock, ms), for rate limits and bans. */
  readonly retryAt?: number;
  constructor(
    readonly code: DataErrorCode,
    message: string,
    options?: { readonly cause?: unknown; readonly retryAt?: number },
  ) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    if (options?.retryAt !== undefined) this.retryAt = options.retryAt;
  }
}
