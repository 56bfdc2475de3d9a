/**
 * Shared types of the replay server: what an exchange module receives and returns.
 * An exchange (Binance, Bybit, OKX, ...) is one module in `exchanges/` implementing `ExchangeModule`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { WebSocket } from 'ws';
import type { ReplayClock } from './clock';
import type { ActiveFault } from './faults';

/** One HTTP request as the exchange handler sees it (host without port, lower case). */
export interface ReplayRequest {
  method: string;
  host: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The body of a POST, as sent. */
  body?: string;
}

/** A complete HTTP answer. `body` is sent as is; JSON helpers live in `http.ts`. */
export interface HttpReply {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
  /** Answer only after this many ms (an exchange's latency); default at once. */
  delayMs?: number;
}

export interface ExchangeContext {
  /** Directory holding the recorded data files (`shared/data`). */
  dataDir: string;
  /** The replay clock: "now" for the simulated exchange. */
  clock: ReplayClock;
  /** Pacing of websocket replays: recorded time runs this many times faster than wall time. */
  wsSpeed: () => number;
  /**
   * Re-frame replayed websocket events to the replay clock: stamped with its "now" instead of
   * their recorded time, priced at the replayed market's level (see the exchange module).
   */
  wsReplayTime: boolean;
  /** Every liquidation a websocket replay sent, as sent, in order (appended by the modules). */
  liquidationsSent: SentLiquidation[];
  /**
   * Hours between funding settlements the exchange's BTC market is served with (1, 2, 4 or 8;
   * see `ReplayServerOptions.fundingHours`).
   */
  fundingHours: (exchange: string) => number;
}

/** A liquidation as a websocket replay sent it. */
export interface SentLiquidation {
  readonly exchange: string;
  readonly symbol: string;
  /** The liquidation order's side: `SELL` closes a liquidated long, `BUY` a liquidated short. */
  readonly side: 'BUY' | 'SELL';
  /** Price and quantity as sent (re-framed when `wsReplayTime`). */
  readonly price: number;
  readonly qty: number;
  /** Event time as sent. */
  readonly time: number;
  /** The recording's time and price of the event. */
  readonly recordedTime: number;
  readonly recordedPrice: number;
}

export interface ExchangeInstance {
  /** Answers a REST request addressed to one of the module's `restHosts`. */
  handleHttp(req: ReplayRequest): HttpReply;
  /** Whether a path of its REST host is the API's (default all); other paths go to the demo pages. */
  servesPath?(path: string): boolean;
  /** Whether a websocket upgrade to this path is accepted (404 otherwise). */
  acceptsWebSocket?(req: ReplayRequest): boolean;
  /** Takes over an accepted websocket addressed to one of the module's `wsHosts`. */
  handleWebSocket?(socket: WebSocket, req: ReplayRequest): void;
  /** The exchange's own error answer for a rate-limit, ip-ban or server-error fault (a generic one otherwise). */
  faultReply?(fault: ActiveFault, req: ReplayRequest): HttpReply | undefined;
  /** End of the recorded data (epoch ms): the default "now" of the replay clock. */
  recordingEnd?(): number;
  /** Releases timers and sockets. */
  close?(): void;
}

export interface ExchangeModule {
  id: string;
  /** Host names answered with `handleHttp` (e.g. `fapi.binance.com`). */
  restHosts: readonly string[];
  /** Host names accepting websocket upgrades (e.g. `fstream.binance.com`). */
  wsHosts: readonly string[];
  /** Web hosts whose static demo pages may be served from `pagesDir` (listed in the certificate). */
  pageHosts: readonly string[];
  /** Loads the recorded data once and returns the handlers. */
  create(ctx: ExchangeContext): ExchangeInstance;
}
