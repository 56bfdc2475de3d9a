/**
 * Realized liquidations as they happen, from the exchanges' public websockets: one small feed
 * module per exchange in `liquidations/`, listed in {@link FEEDS}.
 *
 * Small direct clients rather than ccxt.pro's `watchLiquidations`: ccxt's websocket module for
 * Binance alone is about 290 KB of source plus 70 KB of its websocket base (it brings signing,
 * order books and caches the extension never uses), which with Bybit's and OKX's would break the
 * background's 350 KB gzip budget; each stream needs one URL, at most one subscription message,
 * a heartbeat and one frame format. Bitget and Hyperliquid are not followed.
 */
import type { ExchangeId } from '../engine/types';
import type { RealizedLiquidation } from '../messaging/contract';
import { binanceFeed } from './liquidations/binance';
import { bybitFeed } from './liquidations/bybit';
import type { LiquidationFeed, MarketFacts } from './liquidations/feed';
import { okxFeed } from './liquidations/okx';

export { BINANCE_FORCE_ORDER_HOST, parseForceOrder } from './liquidations/binance';
export { parseBybitLiquidations } from './liquidations/bybit';
export { parseOkxLiquidations } from './liquidations/okx';

/** The exchanges whose realized liquidations are followed. */
export const FEEDS: readonly LiquidationFeed[] = [binanceFeed, bybitFeed, okxFeed];

/** Host names of the liquidation websockets (no host permission is needed for them). */
export const LIQUIDATION_STREAM_HOSTS: readonly string[] = FEEDS.map((feed) => feed.host);

/** The parts of the `WebSocket` API used here (the global one in the browser). */
export interface SocketLike {
  onopen: (() => void) | null;
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  onclose: (() => void) | null;
  onerror: (() => void) | null;
  send(data: string): void;
  close(): void;
}

export interface LiquidationStreamOptions {
  /** Opens a socket; default the global `WebSocket`. */
  readonly open?: (url: string) => SocketLike;
  /** First pause before reconnecting after the socket closed (doubles, at most 60 s). Default 1 s. */
  readonly reconnectMs?: number;
  /** Base units per contract of a market, for feeds that count in contracts (OKX). */
  readonly contractSize?: (exchange: ExchangeId, symbol: string) => Promise<number | undefined>;
}

export interface LiquidationStream {
  close(): void;
}

/** True where realized liquidations of `exchange` can be followed. */
export function followsRealized(exchange: ExchangeId): boolean {
  return feedFor(exchange) !== undefined;
}

function feedFor(exchange: ExchangeId): LiquidationFeed | undefined {
  return FEEDS.find((feed) => feed.exchange === exchange);
}

/**
 * Follows the realized liquidations of one market until `close()`: subscribes when the socket
 * opens, sends the feed's heartbeat, reads every frame through the feed (a malformed one is
 * skipped), and reconnects with a doubling pause when the socket drops. `undefined` where the
 * exchange is not followed (see {@link followsRealized}). A feed that needs the contract size
 * connects once it is known, and not at all when it cannot be learned.
 * @example const stream = openLiquidationStream('bybit', 'BTCUSDT', (event) => keep(event)); stream?.close();
 */
export function openLiquidationStream(
  exchange: ExchangeId,
  symbol: string,
  onEvent: (event: RealizedLiquidation) => void,
  options: LiquidationStreamOptions = {},
): LiquidationStream | undefined {
  const found = feedFor(exchange);
  if (!found) return undefined;
  // A const of the narrowed type: the nested functions below do not keep `found`'s narrowing.
  const feed: LiquidationFeed = found;
  const open = options.open ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const url = feed.url(symbol);
  const firstPause = options.reconnectMs ?? 1_000;
  let pause = firstPause;
  let closed = false;
  let socket: SocketLike | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let market: MarketFacts = {};

  function connect(): void {
    if (closed) return;
    let current: SocketLike;
    try {
      current = open(url);
    } catch {
      reconnect();
      return;
    }
    socket = current;
    current.onopen = () => {
      if (socket !== current) return;
      try {
        if (feed.subscribe) current.send(feed.subscribe(symbol));
      } catch {
        return; // Closed meanwhile: onclose reconnects.
      }
      if (feed.heartbeat) {
        const { everyMs, message } = feed.heartbeat;
        clearInterval(heartbeat);
        heartbeat = setInterval(() => {
          try {
            if (socket === current) current.send(message);
          } catch {
            // Closing: onclose follows.
          }
        }, everyMs);
      }
    };
    current.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      let frame: unknown;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return; // Heartbeat answers ('pong') and anything else that is not JSON.
      }
      const events = feed.parse(frame, symbol, market);
      if (events.length === 0) return;
      pause = firstPause;
      for (const realized of events) onEvent(realized);
    };
    current.onerror = () => {};
    current.onclose = () => {
      if (socket !== current) return;
      socket = undefined;
      clearInterval(heartbeat);
      heartbeat = undefined;
      reconnect();
    };
  }

  function reconnect(): void {
    if (closed) return;
    timer = setTimeout(connect, pause);
    pause = Math.min(pause * 2, 60_000);
  }

  if (feed.needs?.includes('contractSize')) {
    const lookup = options.contractSize?.(exchange, symbol) ?? Promise.resolve(undefined);
    lookup.then(
      (contractSize) => {
        if (contractSize === undefined || !(contractSize > 0)) return; // Frames could not be read.
        market = { contractSize };
        connect();
      },
      () => {},
    );
  } else {
    connect();
  }
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(heartbeat);
      const last = socket;
      socket = undefined;
      try {
        last?.close();
      } catch {
        // Already closed.
      }
    },
  };
}
