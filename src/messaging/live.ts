/**
 * Live views: while a panel or popup is open it holds a long-lived port (`runtime.connect`,
 * name {@link LIVE_PORT_NAME}) to the background, subscribes to one market and lookback, and
 * receives every updated {@link EstimateView} (new bars, fetched every minute) and realized
 * liquidations as they stream in. Every message is validated on both ends, like the one-shot
 * contract in `contract.ts`. Independent of `chrome`/`browser` globals: the caller passes the
 * runtime's `connect` in.
 */
import type { Side } from '../engine/types';
import {
  type EstimateRequest,
  type EstimateView,
  EXCHANGES,
  LOOKBACKS,
  MAX_ERROR_MESSAGE,
  type MessageError,
  ERROR_CODES,
  PROTOCOL_VERSION,
  type RealizedLiquidation,
  REQUEST_VALIDATORS,
  SIDES,
} from './contract';
import { type KeptPort, keepPortOpen } from './kept-port';
import { type Check, type Checked, DEFAULT_MAX_STRING, describe, isPlainObject, number, object, oneOf, optional, string } from './validate';

/** The port's name; the background accepts live ports of this name only. */
export const LIVE_PORT_NAME = 'liqlens-live';
/** Realized liquidations kept per view (the newest). */
export const MAX_REALIZED = 2_000;
/** Most realized events in one push. */
const MAX_REALIZED_PUSH = 500;
/** The client says it is still there this often (an open, active port keeps Chrome's service worker running). */
export const KEEPALIVE_MS = 20_000;

// ---------------------------------------------------------------------------------------------
// Messages

/** Panel/popup → background. */
export type LiveClientMessage =
  | { readonly type: 'subscribe'; readonly version: typeof PROTOCOL_VERSION; readonly request: EstimateRequest }
  | { readonly type: 'keepalive'; readonly version: typeof PROTOCOL_VERSION };

/** Background → panel/popup. */
export type LiveServerMessage =
  | { readonly type: 'view'; readonly version: typeof PROTOCOL_VERSION; readonly view: EstimateView }
  | {
      readonly type: 'realized';
      readonly version: typeof PROTOCOL_VERSION;
      readonly exchange: EstimateView['exchange'];
      readonly symbol: string;
      readonly events: readonly RealizedLiquidation[];
    }
  | { readonly type: 'error'; readonly version: typeof PROTOCOL_VERSION; readonly error: MessageError };

const version: Check<typeof PROTOCOL_VERSION> = (value, path) =>
  value === PROTOCOL_VERSION ? { ok: true, value: PROTOCOL_VERSION } : { ok: false, issue: { path, reason: `expected protocol version ${PROTOCOL_VERSION}` } };

const finite = number();
const positive = number({ min: 0, exclusiveMin: true });
const timestamp = number({ min: 0, integer: true });

export const realizedLiquidation: Check<RealizedLiquidation> = object<RealizedLiquidation>({
  timestamp,
  price: positive,
  side: oneOf<Side>(SIDES),
  usd: positive,
});

function list<T>(item: Check<T>, max: number): Check<readonly T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) return { ok: false, issue: { path, reason: `expected an array, got ${describe(value)}` } };
    if (value.length > max) return { ok: false, issue: { path, reason: `more than ${max} items` } };
    const out: T[] = [];
    for (let i = 0; i < value.length; i++) {
      const checked = item(value[i], `${path}.${i}`);
      if (!checked.ok) return checked;
      out.push(checked.value);
    }
    return { ok: true, value: out };
  };
}

const fail = (path: string, reason: string): Checked<never> => ({ ok: false, issue: { path, reason } });

/**
 * The parts of a pushed view the panel and popup rely on: market and lookback, the heatmap's
 * numbers (an intensity per cell, 0..255), pools and context as objects, realized events in shape.
 * Fields added to the view later pass through unchecked.
 */
export const estimateView: Check<EstimateView> = (value, path) => {
  if (!isPlainObject(value)) return fail(path, `expected a plain object, got ${describe(value)}`);
  const head = object<Pick<EstimateView, 'exchange' | 'symbol' | 'lookback' | 'computedAt' | 'price'>>({
    exchange: oneOf(EXCHANGES),
    symbol: string({ min: 1, max: DEFAULT_MAX_STRING }),
    lookback: oneOf(LOOKBACKS),
    computedAt: timestamp,
    price: finite,
  });
  const picked = head({ exchange: value['exchange'], symbol: value['symbol'], lookback: value['lookback'], computedAt: value['computedAt'], price: value['price'] }, path);
  if (!picked.ok) return picked;
  const heatmap = value['heatmap'];
  if (!isPlainObject(heatmap)) return fail(`${path}.heatmap`, 'expected a plain object');
  for (const key of ['columns', 'rows', 'firstTimestamp', 'columnMs', 'priceLow', 'priceHigh', 'maxCellUsd'] as const) {
    const checked = finite(heatmap[key], `${path}.heatmap.${key}`);
    if (!checked.ok) return checked;
  }
  const intensity = heatmap['intensity'];
  if (!Array.isArray(intensity) || intensity.length !== (heatmap['columns'] as number) * (heatmap['rows'] as number)) {
    return fail(`${path}.heatmap.intensity`, 'expected columns x rows intensities');
  }
  for (const cell of intensity) if (typeof cell !== 'number' || !(cell >= 0 && cell <= 255)) return fail(`${path}.heatmap.intensity`, 'expected numbers 0..255');
  if (!Array.isArray(value['pools']) || !value['pools'].every(isPlainObject)) return fail(`${path}.pools`, 'expected an array of objects');
  if (!isPlainObject(value['context'])) return fail(`${path}.context`, 'expected a plain object');
  if (value['realized'] !== undefined) {
    const realized = list(realizedLiquidation, MAX_REALIZED)(value['realized'], `${path}.realized`);
    if (!realized.ok) return realized;
  }
  if (value['exchanges'] !== undefined) {
    const exchanges = list(oneOf(EXCHANGES), EXCHANGES.length)(value['exchanges'], `${path}.exchanges`);
    if (!exchanges.ok) return exchanges;
  }
  if (value['loadingExchanges'] !== undefined) {
    const loading = list(oneOf(EXCHANGES), EXCHANGES.length)(value['loadingExchanges'], `${path}.loadingExchanges`);
    if (!loading.ok) return loading;
  }
  return { ok: true, value: value as unknown as EstimateView };
};

const messageError = object<MessageError>({
  code: oneOf(ERROR_CODES),
  message: string({ max: MAX_ERROR_MESSAGE }),
  path: optional(string({ max: DEFAULT_MAX_STRING })),
});

const CLIENT_MESSAGES: { readonly [T in LiveClientMessage['type']]: Check<Extract<LiveClientMessage, { type: T }>> } = {
  subscribe: object({ type: oneOf(['subscribe']), version, request: REQUEST_VALIDATORS.getEstimate }),
  keepalive: object({ type: oneOf(['keepalive']), version }),
};

const SERVER_MESSAGES: { readonly [T in LiveServerMessage['type']]: Check<Extract<LiveServerMessage, { type: T }>> } = {
  view: object({ type: oneOf(['view']), version, view: estimateView }),
  realized: object({
    type: oneOf(['realized']),
    version,
    exchange: oneOf(EXCHANGES),
    symbol: string({ min: 1, max: DEFAULT_MAX_STRING }),
    events: list(realizedLiquidation, MAX_REALIZED_PUSH),
  }),
  error: object({ type: oneOf(['error']), version, error: messageError }),
};

function byType<M extends { readonly type: string }>(table: { readonly [T in M['type']]: Check<Extract<M, { type: T }>> }): Check<M> {
  return (value, path) => {
    if (!isPlainObject(value)) return fail(path, `expected a message object, got ${describe(value)}`);
    const type = value['type'];
    if (typeof type !== 'string' || !Object.hasOwn(table, type)) return fail(`${path}.type`, 'no such live message type');
    return (table[type as M['type']] as unknown as Check<M>)(value, path);
  };
}

/**
 * Checks a message a panel or popup sent on a live port.
 * @example readClientMessage({ type: 'keepalive', version: 1 }) // { ok: true, value: { type: 'keepalive', version: 1 } }
 */
export const readClientMessage: (value: unknown) => Checked<LiveClientMessage> = (value) => byType<LiveClientMessage>(CLIENT_MESSAGES)(value, 'message');

/**
 * Checks a message the background pushed on a live port.
 * @example readServerMessage({ type: 'error', version: 1, error: { code: 'handler-failed', message: 'x' } }).ok // true
 */
export const readServerMessage: (value: unknown) => Checked<LiveServerMessage> = (value) => byType<LiveServerMessage>(SERVER_MESSAGES)(value, 'message');

/** Up to {@link MAX_REALIZED_PUSH} events a push: the newest. */
export function realizedPush(exchange: EstimateView['exchange'], symbol: string, events: readonly RealizedLiquidation[]): LiveServerMessage {
  return { type: 'realized', version: PROTOCOL_VERSION, exchange, symbol, events: events.slice(-MAX_REALIZED_PUSH) };
}

/**
 * Realized events from `from` on, oldest first, without duplicates, at most {@link MAX_REALIZED}
 * (the newest).
 * @example mergeRealized([a], [a, b], 0) // [a, b]
 */
export function mergeRealized(
  held: readonly RealizedLiquidation[],
  incoming: readonly RealizedLiquidation[],
  from: number,
): readonly RealizedLiquidation[] {
  const seen = new Set<string>();
  const out: RealizedLiquidation[] = [];
  for (const event of [...held, ...incoming]) {
    if (event.timestamp < from) continue;
    const key = `${event.timestamp}:${event.price}:${event.side}:${event.usd}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(event);
  }
  out.sort((a, b) => a.timestamp - b.timestamp);
  return out.length > MAX_REALIZED ? out.slice(-MAX_REALIZED) : out;
}

// ---------------------------------------------------------------------------------------------
// The panel's and popup's side

/** The parts of `runtime.Port` used here. */
export type LivePort = KeptPort;

export interface LiveViewOptions {
  /** Opens a port to the background, e.g. `() => browser.runtime.connect({ name: LIVE_PORT_NAME })`. */
  readonly connect: () => LivePort;
  readonly request: EstimateRequest;
  /** Every view: the first, each update, and each time realized events arrive. */
  readonly onView: (view: EstimateView) => void;
  /** The background answered with an error, or a message failed validation. */
  readonly onError: (error: MessageError) => void;
  readonly signal: AbortSignal;
  /** Pause before reconnecting after the background went away (doubles, at most 30 s). Default 500 ms. */
  readonly reconnectMs?: number;
}

/**
 * Keeps a view live until `signal` aborts: subscribes, applies pushes, merges realized events
 * into the current view (kept for its time window), says it is still there every
 * {@link KEEPALIVE_MS}, and reconnects when the background restarts.
 * @example
 * openLiveView({ connect: () => browser.runtime.connect({ name: LIVE_PORT_NAME }), request, onView: setView, onError, signal });
 */
export function openLiveView(options: LiveViewOptions): void {
  let current: EstimateView | undefined;

  const show = (view: EstimateView) => {
    current = view;
    options.onView(view);
  };

  function onMessage(raw: unknown): boolean {
    const checked = readServerMessage(raw);
    if (!checked.ok) {
      options.onError({ code: 'bad-response', message: checked.issue.reason, path: checked.issue.path });
      return false;
    }
    const message = checked.value;
    if (message.type === 'error') options.onError(message.error);
    else if (message.type === 'view') {
      const held = current && current.exchange === message.view.exchange && current.symbol === message.view.symbol ? (current.realized ?? []) : [];
      show({ ...message.view, realized: mergeRealized(held, message.view.realized ?? [], message.view.heatmap.firstTimestamp) });
    } else if (current && current.exchange === message.exchange && current.symbol === message.symbol) {
      show({ ...current, realized: mergeRealized(current.realized ?? [], message.events, current.heatmap.firstTimestamp) });
    }
    return true;
  }

  keepPortOpen<LiveClientMessage>({
    connect: options.connect,
    signal: options.signal,
    hello: { type: 'subscribe', version: PROTOCOL_VERSION, request: options.request },
    keepalive: { type: 'keepalive', version: PROTOCOL_VERSION },
    keepaliveMs: KEEPALIVE_MS,
    reconnectMs: options.reconnectMs ?? 500,
    onMessage,
    onError: options.onError,
  });
}
