/**
 * Realized liquidations as they happen, from an exchange's public websocket.
 *
 * Binance USDT-M only for now: `wss://fstream.binance.com/ws/<symbol>@forceOrder` (Binance pushes
 * at most one liquidation per symbol per second, so this is a sample of them). A small direct
 * client rather than ccxt.pro's `watchLiquidations`: ccxt's websocket module for Binance alone is
 * about 290 KB of source plus 70 KB of its websocket base (it brings signing, order books and
 * caches the extension never uses), which with Bybit's and OKX's would break the background's
 * 350 KB gzip budget; the stream needs one URL and one frame format. Bybit
 * (`allLiquidation.<symbol>`) and OKX (`liquidation-orders`) can be added the same way.
 */
import type { ExchangeId } from '../engine/types';
import type { RealizedLiquidation } from '../messaging/contract';

export const BINANCE_FORCE_ORDER_HOST = 'fstream.binance.com';

/** The parts of the `WebSocket` API used here (the global one in the browser). */
export interface SocketLike {
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  onclose: (() => void) | null;
  onerror: (() => void) | null;
  close(): void;
}

export interface LiquidationStreamOptions {
  /** Opens a socket; default the global `WebSocket`. */
  readonly open?: (url: string) => SocketLike;
  /** First pause before reconnecting after the socket closed (doubles, at most 60 s). Default 1 s. */
  readonly reconnectMs?: number;
}

export interface LiquidationStream {
  close(): void;
}

/** True where realized liquidations of `exchange` can be followed. */
export function followsRealized(exchange: ExchangeId): boolean {
  return exchange === 'binance';
}

/**
 * One Binance `forceOrder` frame as a realized liquidation of `symbol`, or `undefined` for any
 * other frame (subscription answers, other symbols, malformed data). A SELL order closes a
 * liquidated long; the notional is the average fill price times the filled quantity.
 * @example parseForceOrder({ e: 'forceOrder', E: 1, o: { s: 'BTCUSDT', S: 'SELL', ap: '100', z: '2', T: 5 } }, 'BTCUSDT')
 * // { timestamp: 5, price: 100, side: 'long', usd: 200 }
 */
export function parseForceOrder(frame: unknown, symbol: string): RealizedLiquidation | undefined {
  if (typeof frame !== 'object' || frame === null) return undefined;
  const payload = 'data' in frame && typeof frame.data === 'object' ? frame.data : frame;
  if (typeof payload !== 'object' || payload === null || !('o' in payload)) return undefined;
  if (!('e' in payload) || payload.e !== 'forceOrder') return undefined;
  const order = payload.o as Record<string, unknown> | null;
  if (typeof order !== 'object' || order === null || order['s'] !== symbol) return undefined;
  const side = order['S'] === 'SELL' ? 'long' : order['S'] === 'BUY' ? 'short' : undefined;
  const price = Number(order['ap'] ?? order['p']);
  const quantity = Number(order['z'] ?? order['q']);
  const timestamp = Number(order['T'] ?? ('E' in payload ? payload.E : Number.NaN));
  if (!side || !(price > 0) || !(quantity > 0) || !Number.isSafeInteger(timestamp) || timestamp < 0) return undefined;
  return { timestamp, price, side, usd: price * quantity };
}

/**
 * Follows the realized liquidations of one market until `close()`; reconnects when the socket
 * drops. `undefined` where the exchange is not followed (see {@link followsRealized}).
 * @example const stream = openLiquidationStream('binance', 'BTCUSDT', (event) => keep(event)); stream?.close();
 */
export function openLiquidationStream(
  exchange: ExchangeId,
  symbol: string,
  onEvent: (event: RealizedLiquidation) => void,
  options: LiquidationStreamOptions = {},
): LiquidationStream | undefined {
  if (!followsRealized(exchange)) return undefined;
  const open = options.open ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const url = `wss://${BINANCE_FORCE_ORDER_HOST}/ws/${symbol.toLowerCase()}@forceOrder`;
  const firstPause = options.reconnectMs ?? 1_000;
  let pause = firstPause;
  let closed = false;
  let socket: SocketLike | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

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
    current.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      let frame: unknown;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      const realized = parseForceOrder(frame, symbol);
      if (!realized) return;
      pause = firstPause;
      onEvent(realized);
    };
    current.onerror = () => {};
    current.onclose = () => {
      if (socket === current) {
        socket = undefined;
        reconnect();
      }
    };
  }

  function reconnect(): void {
    if (closed) return;
    timer = setTimeout(connect, pause);
    pause = Math.min(pause * 2, 60_000);
  }

  connect();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
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
