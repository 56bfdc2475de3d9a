/**
 * The one message contract between the extension's parts: content script → background and
 * popup → background. Every message is a {@link RequestEnvelope}; every answer a
 * {@link ResponseEnvelope}. The {@link Handlers} type map is the single source: request and
 * response types are inferred from it, and {@link REQUEST_VALIDATORS} is type-checked against it.
 *
 * Everything here is plain data that survives JSON (Chrome's message serialization) and
 * structured clone (Firefox): no typed arrays, no `undefined`-only meaning, no class instances.
 */
import { DEFAULT_CONFIG } from '../engine/config';
import type { ExchangeId, MarginMode, MarketContext, PlannedOrder, Pool, RiskAssessment, Side } from '../engine/types';
import { arrayOf, boolean, type Check, describe, number, object, oneOf, optional, string } from './validate';

// In a module of its own so that code importing only the version (the content script's first
// file) does not take in the validators.
export { PROTOCOL_VERSION, type ProtocolVersion } from './version';
import type { Settings } from '../settings/schema';
import type { ProtocolVersion } from './version';

/** Lists the keys of a record whose type requires every member of the union (so a list cannot fall behind its type). */
function keysOf<K extends string>(record: Readonly<Record<K, true>>): readonly K[] {
  return Object.freeze(Object.keys(record) as K[]);
}

export const EXCHANGES = keysOf<ExchangeId>({ binance: true, bybit: true, okx: true, bitget: true, hyperliquid: true });
export const SIDES = keysOf<Side>({ long: true, short: true });
export const MARGIN_MODES = keysOf<MarginMode>({ cross: true, isolated: true });

/** How much history the estimate covers. */
export type Lookback = '12h' | '24h' | '3d' | '7d' | '30d';

const HOUR_MS = 3_600_000;
/** Each lookback in milliseconds. */
export const LOOKBACK_MS: Readonly<Record<Lookback, number>> = {
  '12h': 12 * HOUR_MS,
  '24h': 24 * HOUR_MS,
  '3d': 72 * HOUR_MS,
  '7d': 168 * HOUR_MS,
  '30d': 720 * HOUR_MS,
};
export const LOOKBACKS = Object.freeze(Object.keys(LOOKBACK_MS) as Lookback[]);

/** Longest exchange market id accepted (`1000000MOGUSDT`, `BTC-USDT-SWAP`, `kPEPE`). */
export const MAX_SYMBOL_LENGTH = 40;
/** Exchange market ids: letters and digits, with `-`, `_`, `.` or `:` inside. */
export const SYMBOL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
/** Largest price, size or notional accepted in a request. */
export const MAX_AMOUNT = 1e12;
/** Highest leverage accepted in a request (no exchange offers more). */
export const MAX_LEVERAGE = 1000;

// ---------------------------------------------------------------------------------------------
// Requests

export interface MarketRef {
  readonly exchange: ExchangeId;
  /** The exchange's own market id, as `parsePageUrl` returns it: `BTCUSDT`, `BTC-USDT-SWAP`, `BTC`. */
  readonly symbol: string;
}

/** Bar size of the series an estimate runs on; `planLoad` picks one from the lookback when absent. */
export type BarTimeframe = '5m' | '15m' | '1h';
export const BAR_TIMEFRAMES = keysOf<BarTimeframe>({ '5m': true, '15m': true, '1h': true });

/** Leverage of each modelled tier, in the order a `leverageWeights` list gives their weights. */
export const LEVERAGE_TIERS: readonly number[] = Object.freeze(DEFAULT_CONFIG.tiers.map((tier) => tier.leverage));
/** Largest single leverage weight accepted (weights are normalized, so only their ratios matter). */
export const MAX_LEVERAGE_WEIGHT = 100;
/** Accepted range of the pre-trade warning distance, in ATR. */
export const SENSITIVITY_ATR_RANGE = { min: 0.1, max: 5 } as const;

export interface EstimateRequest extends MarketRef {
  readonly lookback: Lookback;
  /** Bar size to estimate on (default: chosen from the lookback). */
  readonly timeframe?: BarTimeframe;
  /**
   * Share of new positions per leverage tier, one weight per {@link LEVERAGE_TIERS} entry (same
   * order, normalized by the engine); default: the engine's own weights.
   */
  readonly leverageWeights?: readonly number[];
  /**
   * Only positions at these leverages (the engine's modelled tiers, e.g. `[50, 75, 100, 125]`);
   * all tiers when absent. At least one must be a modelled tier.
   */
  readonly leverages?: readonly number[];
  /**
   * True: over every exchange the background can aggregate; false or absent: this exchange
   * only. {@link StatusView.aggregate} says whether the background can.
   */
  readonly aggregate?: boolean;
  /**
   * With `aggregate`: the exchanges to combine (the options' choice); the page's own exchange is
   * always included. All five when absent.
   */
  readonly aggregateWith?: readonly ExchangeId[];
}

/** Most leverage tiers a filter may name. */
export const MAX_LEVERAGE_FILTER = 16;

/** Status of one market when both fields are given, of everything the background tracks when neither is. */
export interface StatusRequest {
  readonly exchange?: ExchangeId;
  readonly symbol?: string;
}

export interface AssessOrderRequest extends MarketRef {
  readonly order: PlannedOrder;
  /** How close to a pool (in ATR) a level counts as "just short of it" (default: the engine's). */
  readonly sensitivityAtr?: number;
}

export interface ListMarketsRequest {
  readonly exchange: ExchangeId;
}

/**
 * A futures page is about to show its panel for this market: the background starts the estimate
 * the panel will ask for (under the user's settings) while the panel's code is still loading.
 */
export type PrepareEstimateRequest = MarketRef;

/**
 * Opens the full-size view of a market in a new tab (the content script cannot open an extension
 * page itself): the same market, lookback, tier filter and scope as the panel that asked.
 */
export interface OpenFullViewRequest extends MarketRef {
  readonly lookback: Lookback;
  readonly leverages?: readonly number[];
  readonly aggregate?: boolean;
}

/** `ping` takes no fields. */
export type PingRequest = Readonly<Record<never, never>>;

// ---------------------------------------------------------------------------------------------
// Responses

/**
 * The heatmap in a compact, message-friendly form: intensities instead of USD floats.
 * Price bins are evenly spaced from `priceLow` to `priceHigh`; columns are `columnMs` apart.
 */
export interface HeatmapView {
  readonly columns: number;
  readonly rows: number;
  /** Open time of the first column's bar, ms since epoch (UTC). */
  readonly firstTimestamp: number;
  /** Time between columns in ms (the bar duration). */
  readonly columnMs: number;
  readonly priceLow: number;
  readonly priceHigh: number;
  /** USD notional of the brightest cell; intensity 255 stands for this value. */
  readonly maxCellUsd: number;
  /**
   * Row-major by time, `intensity[col * rows + row]`, integers 0..255 on the square-root scale of
   * the heatmap's colours: round(255 * sqrt(cell USD / maxCellUsd)). Cell USD = (i / 255)^2 * maxCellUsd.
   */
  readonly intensity: readonly number[];
  /** One candle per column, flat `open, high, low, close` (length 4 x columns), when known. */
  readonly candles?: readonly number[];
}

/**
 * The latest liquidation map, compact: live estimated USD per price bin on each side, bins evenly
 * spaced from `priceLow` to `priceHigh` (at most {@link MAX_MAP_BINS}, whole dollars). Cumulative
 * curves follow from these and the view's `price`.
 */
export interface LatestMapView {
  readonly priceLow: number;
  readonly priceHigh: number;
  /** Long liquidations per bin (they sit below the price), USD. */
  readonly long: readonly number[];
  /** Short liquidations per bin (they sit above the price), USD. */
  readonly short: readonly number[];
  /** Average true range (14 bars) at the latest bar, in price units. */
  readonly atr: number;
}

/** One realized liquidation from the exchange's live stream. */
export interface RealizedLiquidationView {
  readonly timestamp: number;
  readonly price: number;
  /** The side whose position was liquidated. */
  readonly side: Side;
  readonly usd: number;
}

/** Most bins a {@link LatestMapView} carries. */
export const MAX_MAP_BINS = 200;

/** Where the time of one estimate went, in milliseconds (for status displays and measurements). */
export interface EstimateTimings {
  /** Loading the bar series (cache and exchange). */
  readonly loadMs: number;
  /** The engine's own run in the worker. */
  readonly estimateMs: number;
  /** The whole request in the background, worker start included. */
  readonly totalMs: number;
  /** True when this request had to start the estimator worker (and its offscreen document). */
  readonly workerStarted: boolean;
  /** Bars loaded for the estimate. */
  readonly bars: number;
  /** Of those, bars served from the cache without being fetched again. */
  readonly cachedBars?: number;
  /** Bars fetched from the exchange for this estimate. */
  readonly fetchedBars?: number;
  /** History requests of the load: completed of planned, as the loading line counted them. */
  readonly requests?: { readonly done: number; readonly total: number };
  /**
   * Bars applied to the estimator state kept from the previous update (the bars that closed
   * since, and the newest one); absent when the whole estimate was computed anew.
   */
  readonly appendedBars?: number;
  /** Why the whole estimate was computed anew instead (e.g. "nothing kept"); absent after an extension. */
  readonly recomputed?: string;
}

/** A realized liquidation as the live stream delivers it (`src/messaging/live.ts`). */
export type RealizedLiquidation = RealizedLiquidationView;

/** What the panel and the popup show for one market and lookback. */
export interface EstimateView extends MarketRef {
  readonly lookback: Lookback;
  /** When the estimate was computed, ms since epoch. */
  readonly computedAt: number;
  /** Price at the latest bar. */
  readonly price: number;
  readonly pools: readonly Pool[];
  readonly context: MarketContext;
  readonly heatmap: HeatmapView;
  /** The liquidation map at the latest bar (side bars and cumulative curves). */
  readonly latestMap?: LatestMapView;
  /**
   * Realized liquidations from the live stream inside the heatmap's time window, oldest first,
   * while the view is kept live (`live.ts`); absent where the exchange's stream is not followed.
   */
  readonly realized?: readonly RealizedLiquidationView[];
  /** The leverage filter the estimate was computed with; absent for all tiers. */
  readonly leverages?: readonly number[];
  /** The exchanges whose positions an aggregated estimate combines (the page's own first); absent for one exchange. */
  readonly exchanges?: readonly ExchangeId[];
  /**
   * Exchanges of an aggregated first map of the recent window that had not answered in time: left
   * out of this map, joined in the map over the whole lookback that follows.
   */
  readonly loadingExchanges?: readonly ExchangeId[];
  readonly timings?: EstimateTimings;
  /** True when the exchange could not be reached and held bars were used as they were. */
  readonly stale?: boolean;
  /** What the data is missing or approximates, in plain words (at most 8). */
  readonly notes?: readonly string[];
}

export type MarketState = 'idle' | 'loading' | 'ready' | 'error';

export interface MarketStatus extends MarketRef {
  readonly state: MarketState;
  /** Time of the latest data received, ms since epoch. */
  readonly updatedAt?: number;
  /** Bars held for this market. */
  readonly bars: number;
  /** A short, user-facing explanation when `state` is `error` (or a note while loading). */
  readonly message?: string;
  /**
   * While `state` is `loading`: history requests completed (`done`) of those planned (`total`), over
   * every exchange of the estimate (rule: `src/data/request-tally.ts`), and the page exchange's bars
   * available of those the lookback needs.
   */
  readonly progress?: {
    readonly done: number;
    readonly total: number;
    readonly bars?: { readonly done: number; readonly total: number };
  };
  /** True when the latest load could not update from the exchange (offline, rate-limited) and served held bars. */
  readonly stale?: boolean;
}

export interface StatusView {
  /** The extension's version (manifest `version`). */
  readonly version: string;
  readonly markets: readonly MarketStatus[];
  /** Whether estimates can be aggregated over exchanges (`aggregate: true`), and why not. */
  readonly aggregate?: { readonly available: boolean; readonly reason?: string };
}

export interface MarketInfo extends MarketRef {
  /** ccxt unified symbol: `BTC/USDT:USDT`. */
  readonly unified: string;
  readonly base: string;
  readonly quote: string;
  /** Highest leverage the exchange offers on this market, when known. */
  readonly maxLeverage?: number;
  /** Base units per contract, when known: the order check converts a size typed in contracts. */
  readonly contractSize?: number;
}

/** What the background started for a {@link PrepareEstimateRequest}: the request it is computing. */
export interface PreparedEstimate {
  readonly request: EstimateRequest;
  /** The user's settings the request was made from: the page's panel starts with them. */
  readonly settings: Settings;
  /**
   * The estimate of the request when it was ready within a short wait (held bars, a view kept
   * from before): the panel shows it without asking again. Unchecked here, as every answer.
   */
  readonly view?: EstimateView;
}

/** The full view's tab was created. */
export interface FullViewOpened {
  readonly opened: true;
}

export interface Pong {
  readonly pong: true;
  readonly version: ProtocolVersion;
}

// ---------------------------------------------------------------------------------------------
// The contract

/**
 * The background's message handlers, one per message type. The background implements this
 * type and passes it to `dispatch`; `createClient` gives callers the same methods.
 */
export interface Handlers {
  readonly getEstimate: (req: EstimateRequest) => Promise<EstimateView>;
  readonly getStatus: (req: StatusRequest) => Promise<StatusView>;
  readonly assessOrder: (req: AssessOrderRequest) => Promise<RiskAssessment>;
  readonly listMarkets: (req: ListMarketsRequest) => Promise<readonly MarketInfo[]>;
  readonly prepareEstimate: (req: PrepareEstimateRequest) => Promise<PreparedEstimate>;
  readonly ping: (req: PingRequest) => Promise<Pong>;
  readonly openFullView: (req: OpenFullViewRequest) => Promise<FullViewOpened>;
}

export type MessageType = keyof Handlers;
/** The payload type of message `T`, inferred from its handler. */
export type RequestOf<T extends MessageType> = Parameters<Handlers[T]>[0];
/** The result type of message `T`, inferred from its handler. */
export type ResponseOf<T extends MessageType> = Awaited<ReturnType<Handlers[T]>>;


/** What every message sent to the background looks like. Exactly these three keys. */
export interface RequestEnvelope<T extends MessageType = MessageType> {
  readonly type: T;
  readonly payload: RequestOf<T>;
  readonly version: ProtocolVersion;
}

export type ErrorCode =
  /** The sender is not this extension (another extension, a web page) or not one of its pages. */
  | 'forbidden-sender'
  /** The message is not a `{ type, payload, version }` object. */
  | 'bad-envelope'
  /** The message speaks another protocol version. */
  | 'unsupported-version'
  /** No handler of that name. */
  | 'unknown-type'
  /** The payload does not match the message's request type. */
  | 'invalid-payload'
  /** The handler threw or rejected. */
  | 'handler-failed'
  /** (client side) The answer is not a well-formed response envelope. */
  | 'bad-response'
  /** (client side) Sending failed: no receiver, extension reloaded, channel closed. */
  | 'transport-failed';

export const ERROR_CODES = keysOf<ErrorCode>({
  'forbidden-sender': true,
  'bad-envelope': true,
  'unsupported-version': true,
  'unknown-type': true,
  'invalid-payload': true,
  'handler-failed': true,
  'bad-response': true,
  'transport-failed': true,
});

/** Longest error message carried in a response. */
export const MAX_ERROR_MESSAGE = 500;

export interface MessageError {
  readonly code: ErrorCode;
  readonly message: string;
  /** Path of the offending field for `invalid-payload` / `bad-envelope`: `payload.order.entry`. */
  readonly path?: string;
}

export interface OkResponse<T extends MessageType = MessageType> {
  readonly ok: true;
  readonly version: ProtocolVersion;
  readonly type: T;
  readonly result: ResponseOf<T>;
}

export interface ErrorResponse {
  readonly ok: false;
  readonly version: ProtocolVersion;
  readonly error: MessageError;
}

/** What the background answers to every message. */
export type ResponseEnvelope<T extends MessageType = MessageType> = OkResponse<T> | ErrorResponse;

// ---------------------------------------------------------------------------------------------
// Request validators

const exchange = oneOf(EXCHANGES);
const symbol = string({ min: 1, max: MAX_SYMBOL_LENGTH, pattern: SYMBOL_PATTERN });
const price = number({ min: 0, exclusiveMin: true, max: MAX_AMOUNT });

const plannedOrder = object<PlannedOrder>({
  side: oneOf(SIDES),
  entry: price,
  stop: optional(price),
  takeProfit: optional(price),
  leverage: optional(number({ min: 1, max: MAX_LEVERAGE })),
  marginMode: optional(oneOf(MARGIN_MODES)),
  sizeUsd: optional(number({ min: 0, exclusiveMin: true, max: MAX_AMOUNT })),
  exchange: optional(exchange),
  symbol: optional(symbol),
});

/** One finite weight per leverage tier, none negative, at least one positive. */
const leverageWeights: Check<readonly number[]> = (value, path) => {
  if (!Array.isArray(value)) return { ok: false, issue: { path, reason: `expected an array, got ${describe(value)}` } };
  if (value.length !== LEVERAGE_TIERS.length) {
    return { ok: false, issue: { path, reason: `expected ${LEVERAGE_TIERS.length} weights (one per leverage tier)` } };
  }
  const weight = number({ min: 0, max: MAX_LEVERAGE_WEIGHT });
  const copy: number[] = [];
  for (const [i, item] of value.entries()) {
    const checked = weight(item, `${path}.${i}`);
    if (!checked.ok) return checked;
    copy.push(checked.value);
  }
  if (!copy.some((w) => w > 0)) return { ok: false, issue: { path, reason: 'at least one weight must be above 0' } };
  return { ok: true, value: copy };
};

const statusRequest = object<StatusRequest>({ exchange: optional(exchange), symbol: optional(symbol) });

/** One validator per message type, each checked against the handler's request type. */
export const REQUEST_VALIDATORS: { readonly [T in MessageType]: Check<RequestOf<T>> } = {
  getEstimate: object<EstimateRequest>({
    exchange,
    symbol,
    lookback: oneOf(LOOKBACKS),
    timeframe: optional(oneOf(BAR_TIMEFRAMES)),
    leverageWeights: optional(leverageWeights),
    leverages: optional(arrayOf(number({ min: 1, max: MAX_LEVERAGE }), { min: 1, max: MAX_LEVERAGE_FILTER, unique: true })),
    aggregate: optional(boolean()),
    aggregateWith: optional(arrayOf(exchange, { min: 1, max: EXCHANGES.length, unique: true })),
  }),
  getStatus: (value, path) => {
    const checked = statusRequest(value, path);
    if (checked.ok && (checked.value.exchange === undefined) !== (checked.value.symbol === undefined)) {
      return { ok: false, issue: { path, reason: 'give both exchange and symbol, or neither' } };
    }
    return checked;
  },
  assessOrder: object<AssessOrderRequest>({
    exchange,
    symbol,
    order: plannedOrder,
    sensitivityAtr: optional(number(SENSITIVITY_ATR_RANGE)),
  }),
  listMarkets: object<ListMarketsRequest>({ exchange }),
  prepareEstimate: object<PrepareEstimateRequest>({ exchange, symbol }),
  ping: object<PingRequest>({}),
  openFullView: object<OpenFullViewRequest>({
    exchange,
    symbol,
    lookback: oneOf(LOOKBACKS),
    leverages: optional(arrayOf(number({ min: 1, max: MAX_LEVERAGE }), { min: 1, max: MAX_LEVERAGE_FILTER, unique: true })),
    aggregate: optional(boolean()),
  }),
};

/** Every message type, in contract order. */
export const MESSAGE_TYPES = Object.freeze(Object.keys(REQUEST_VALIDATORS) as MessageType[]);

/**
 * True when `type` names a message of this contract (own keys only: `toString` is not a message).
 * @example isMessageType('ping') // true
 */
export function isMessageType(type: unknown): type is MessageType {
  return typeof type === 'string' && Object.hasOwn(REQUEST_VALIDATORS, type);
}
