/**
 * Real liquidation levels of large Hyperliquid accounts (`src/data/hyperliquid-positions/`):
 * while a panel or popup shows a market it holds a port (`runtime.connect`, name
 * {@link REAL_LEVELS_PORT_NAME}) to the background, says which coin it shows, and receives
 * every updated {@link RealLevelsView}. The background polls only while such a port is open.
 * Every message is validated on both ends, as in `contract.ts` and `live.ts`.
 */
import type { Side } from '../engine/types';
import { ERROR_CODES, MAX_ERROR_MESSAGE, type MessageError, PROTOCOL_VERSION, SIDES } from './contract';
import { type KeptPort, keepPortOpen } from './kept-port';
import { arrayOf, type Check, type Checked, DEFAULT_MAX_STRING, describe, isPlainObject, number, object, oneOf, optional, string } from './validate';

/** The port's name; the background accepts real-levels ports of this name only. */
export const REAL_LEVELS_PORT_NAME = 'liqlens-real-levels';
/** Most levels one view carries (the largest by notional). */
export const MAX_REAL_LEVELS = 150;
/** The client says it is still there this often (keeps Chrome's service worker and the poller running). */
export const REAL_LEVELS_KEEPALIVE_MS = 20_000;
/** Hyperliquid coin names: `BTC`, `kPEPE`. */
export const COIN_PATTERN = /^[A-Za-z0-9]{1,20}$/;

/** One real liquidation level: a position's liquidation price as Hyperliquid computes it. */
export interface RealLevel {
  readonly price: number;
  /** The side of the position that would be liquidated there. */
  readonly side: Side;
  /** The position's notional (|size| x mark), USD. */
  readonly notionalUsd: number;
  /** The position's leverage setting. */
  readonly leverage: number;
  readonly marginType: 'cross' | 'isolated';
  /** The account's public address (lower case). */
  readonly account: string;
}

/**
 * The price factors a view may carry: Hyperliquid's thousand coins (`kPEPE` = 1,000 PEPE) only,
 * so a message can never rescale prices by anything else.
 */
export const PRICE_FACTORS: readonly number[] = [1 / 1000];

/** What the followed accounts show for one coin. */
export interface RealLevelsView {
  /** Hyperliquid's name of the coin (`kPEPE`). */
  readonly coin: string;
  /**
   * The coin the watch named when Hyperliquid holds it under another name at another unit
   * (`PEPE`, quoted per 1 PEPE, held in `kPEPE`); always with {@link priceFactor}.
   */
  readonly watched?: string;
  /**
   * With {@link watched}: every price in this view (levels, mark) is Hyperliquid's price times
   * this factor, i.e. per unit of `watched` (one of {@link PRICE_FACTORS}). USD figures are as is.
   */
  readonly priceFactor?: number;
  /** Hyperliquid's mark price of the coin, when read. */
  readonly mark?: number;
  /** Levels sorted by price (at most {@link MAX_REAL_LEVELS}, the largest kept). */
  readonly levels: readonly RealLevel[];
  /** Followed accounts holding a position in the coin. */
  readonly holders: number;
  /** Their positions' notional in the coin, USD (levels or not). */
  readonly notionalUsd: number;
  /** Of that, positions without a liquidation price (the API's `null`). */
  readonly withoutLevelUsd: number;
  /** Hyperliquid's open interest in the coin (its `openInterest` in coins x mark), USD. */
  readonly openInterestUsd?: number;
  /** The oldest read among the holders' states, ms: every level shown is at least this fresh. */
  readonly updatedAt?: number;
  /** Accounts followed (the leaderboard's largest by account value). */
  readonly followed: number;
  /** Of those, accounts read at least once since the panel opened. */
  readonly read: number;
  /** When the followed list was read from the leaderboard, ms. */
  readonly leaderboardAt?: number;
  /** Plain words when something is not as it should be (the leaderboard failed, rate limited). */
  readonly problem?: string;
  /** While backing off after a rate limit or error: when requests resume, ms. */
  readonly pausedUntil?: number;
}

// ---------------------------------------------------------------------------------------------
// Messages

export type RealLevelsClientMessage =
  | { readonly type: 'watch'; readonly version: typeof PROTOCOL_VERSION; readonly coin: string }
  | { readonly type: 'keepalive'; readonly version: typeof PROTOCOL_VERSION };

export type RealLevelsServerMessage =
  | { readonly type: 'levels'; readonly version: typeof PROTOCOL_VERSION; readonly view: RealLevelsView }
  | { readonly type: 'error'; readonly version: typeof PROTOCOL_VERSION; readonly error: MessageError };

const version: Check<typeof PROTOCOL_VERSION> = (value, path) =>
  value === PROTOCOL_VERSION ? { ok: true, value: PROTOCOL_VERSION } : { ok: false, issue: { path, reason: `expected protocol version ${PROTOCOL_VERSION}` } };

const coin = string({ min: 1, max: 20, pattern: COIN_PATTERN });
const usd = number({ min: 0, max: 1e13 });
const price = number({ min: 0, exclusiveMin: true, max: 1e12 });
const time = number({ min: 0, integer: true });
const count = number({ min: 0, max: 1e6, integer: true });
const address = string({ min: 42, max: 42, pattern: /^0x[0-9a-f]{40}$/ });

const level = object<RealLevel>({
  price,
  side: oneOf(SIDES),
  notionalUsd: usd,
  leverage: number({ min: 0, exclusiveMin: true, max: 1000 }),
  marginType: oneOf(['cross', 'isolated'] as const),
  account: address,
});

const priceFactor: Check<number> = (value, path) =>
  typeof value === 'number' && PRICE_FACTORS.includes(value)
    ? { ok: true, value }
    : { ok: false, issue: { path, reason: `expected a price factor of ${PRICE_FACTORS.join(', ')}, got ${describe(value)}` } };

const viewFields = object<RealLevelsView>({
  coin,
  watched: optional(coin),
  priceFactor: optional(priceFactor),
  mark: optional(price),
  levels: arrayOf(level, { max: MAX_REAL_LEVELS }),
  holders: count,
  notionalUsd: usd,
  withoutLevelUsd: usd,
  openInterestUsd: optional(usd),
  updatedAt: optional(time),
  followed: count,
  read: count,
  leaderboardAt: optional(time),
  problem: optional(string({ max: MAX_ERROR_MESSAGE })),
  pausedUntil: optional(time),
});

/** Checks a view as the panel receives it: `watched` and `priceFactor` come together or not at all. */
export const realLevelsView: Check<RealLevelsView> = (value, path) => {
  const checked = viewFields(value, path);
  if (!checked.ok) return checked;
  const v = checked.value;
  if ((v.watched === undefined) !== (v.priceFactor === undefined)) {
    return { ok: false, issue: { path: `${path}.${v.watched === undefined ? 'watched' : 'priceFactor'}`, reason: 'watched and priceFactor come together' } };
  }
  if (v.watched === v.coin) return { ok: false, issue: { path: `${path}.watched`, reason: 'the same as coin' } };
  return checked;
};

const watch = object<Extract<RealLevelsClientMessage, { type: 'watch' }>>({ type: oneOf(['watch'] as const), version, coin });
const keepalive = object<Extract<RealLevelsClientMessage, { type: 'keepalive' }>>({ type: oneOf(['keepalive'] as const), version });
const levels = object<Extract<RealLevelsServerMessage, { type: 'levels' }>>({ type: oneOf(['levels'] as const), version, view: realLevelsView });
const messageError = object<MessageError>({
  code: oneOf(ERROR_CODES),
  message: string({ max: MAX_ERROR_MESSAGE }),
  path: optional(string({ max: DEFAULT_MAX_STRING })),
});
const error = object<Extract<RealLevelsServerMessage, { type: 'error' }>>({ type: oneOf(['error'] as const), version, error: messageError });

function byType<T>(raw: unknown, table: Readonly<Record<string, Check<T>>>): Checked<T> {
  if (!isPlainObject(raw)) return { ok: false, issue: { path: 'message', reason: `expected an object, got ${describe(raw)}` } };
  const type = raw['type'];
  const check = typeof type === 'string' && Object.hasOwn(table, type) ? table[type] : undefined;
  if (!check) return { ok: false, issue: { path: 'message.type', reason: 'unknown message type' } };
  return check(raw, 'message');
}

/** A panel's message as the background receives it. */
export function readRealLevelsClientMessage(raw: unknown): Checked<RealLevelsClientMessage> {
  return byType<RealLevelsClientMessage>(raw, { watch, keepalive });
}

/** The background's message as the panel receives it. */
export function readRealLevelsServerMessage(raw: unknown): Checked<RealLevelsServerMessage> {
  return byType<RealLevelsServerMessage>(raw, { levels, error });
}

// ---------------------------------------------------------------------------------------------
// The panel's and popup's side

/** The parts of `runtime.Port` used here. */
export type RealLevelsPort = KeptPort;

export interface RealLevelsWatchOptions {
  /** e.g. `() => browser.runtime.connect({ name: REAL_LEVELS_PORT_NAME })`. */
  readonly connect: () => RealLevelsPort;
  readonly coin: string;
  readonly onView: (view: RealLevelsView) => void;
  readonly onError?: (error: MessageError) => void;
  readonly signal: AbortSignal;
  /** Pause before reconnecting (doubles, at most 30 s). Default 1 s. */
  readonly reconnectMs?: number;
}

/**
 * Follows one coin's real levels until `signal` aborts (then the port closes, and the background
 * stops polling when no other panel watches). Reconnects when the background restarts.
 */
export function watchRealLevels(options: RealLevelsWatchOptions): void {
  const fail = (e: MessageError) => options.onError?.(e);
  keepPortOpen<RealLevelsClientMessage>({
    connect: options.connect,
    signal: options.signal,
    hello: { type: 'watch', version: PROTOCOL_VERSION, coin: options.coin },
    keepalive: { type: 'keepalive', version: PROTOCOL_VERSION },
    keepaliveMs: REAL_LEVELS_KEEPALIVE_MS,
    reconnectMs: options.reconnectMs ?? 1_000,
    onMessage: (raw) => {
      const checked = readRealLevelsServerMessage(raw);
      if (!checked.ok) {
        fail({ code: 'bad-response', message: checked.issue.reason, path: checked.issue.path });
        return false;
      }
      if (checked.value.type === 'levels') {
        const view = checked.value.view;
        if ((view.watched ?? view.coin) === options.coin) options.onView(view);
      } else fail(checked.value.error);
      return true;
    },
    onError: fail,
  });
}
