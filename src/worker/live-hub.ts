/**
 * The background's side of live views (`src/messaging/live.ts`): accepts live ports from this
 * extension's panels and popups, answers each subscription with its view, fetches new bars once
 * a minute while any port is open (just after each minute turns, when exchanges publish closed
 * bars) and pushes every updated view, and streams realized liquidations of the subscribed
 * markets. Nothing is polled and no stream is open when no port is: an open port keeps Chrome's
 * service worker running, and the panels' keep-alive messages keep the port active.
 */
import type { ExchangeId } from '../engine/types';
import { senderProblem, type SenderInfo } from '../messaging/dispatch';
import type { EstimateRequest, EstimateView, MessageError, RealizedLiquidation } from '../messaging/contract';
import { PROTOCOL_VERSION } from '../messaging/contract';
import { LIVE_PORT_NAME, type LiveServerMessage, mergeRealized, readClientMessage, realizedPush } from '../messaging/live';
import { viewKey } from '../messaging/view-key';
import type { EstimateService } from './service';

/** The parts of `runtime.Port` the hub uses. */
export interface HubPort {
  readonly name: string;
  readonly sender?: SenderInfo;
  postMessage(message: unknown): void;
  disconnect(): void;
  readonly onMessage: { addListener(listener: (message: unknown) => void): void };
  readonly onDisconnect: { addListener(listener: () => void): void };
}

/** Follows one market's realized liquidations (see `src/data/liquidation-stream.ts`). */
export type StreamOpener = (
  exchange: ExchangeId,
  symbol: string,
  onEvent: (event: RealizedLiquidation) => void,
) => { close(): void } | undefined;

export interface LiveHubOptions {
  readonly service: Pick<EstimateService, 'getEstimate' | 'refresh' | 'onView'>;
  /** This extension's id: ports from anyone else are closed. */
  readonly ownId: string;
  readonly openStream?: StreamOpener;
  /** Milliseconds until the next refresh; default: 2 s after the next wall-clock minute. */
  readonly nextRefreshIn?: () => number;
  readonly now?: () => number;
}

export interface LiveHub {
  /** The `runtime.onConnect` listener. */
  onConnect(port: HubPort): void;
  /** Open subscriptions and followed markets (for tests and status). */
  stats(): { readonly subscriptions: number; readonly streams: number; readonly refreshScheduled: boolean };
}

/** Realized events are kept for the longest lookback (30 days). */
const KEEP_REALIZED_MS = 30 * 86_400_000;

interface Subscription {
  readonly port: HubPort;
  readonly request: EstimateRequest;
  readonly key: string;
  readonly market: string;
  /** `computedAt` of the last view sent, so a view is not sent twice. */
  sentAt: number;
}

interface FollowedMarket {
  readonly stream: { close(): void } | undefined;
  events: readonly RealizedLiquidation[];
}

/** 2 s after the next minute turns on the local clock. */
export function untilNextMinute(now: number = Date.now()): number {
  return 60_000 - (now % 60_000) + 2_000;
}

/**
 * @example browser.runtime.onConnect.addListener(createLiveHub({ service, ownId: browser.runtime.id, openStream }).onConnect);
 */
export function createLiveHub(options: LiveHubOptions): LiveHub {
  const now = options.now ?? Date.now;
  const nextRefreshIn = options.nextRefreshIn ?? (() => untilNextMinute(now()));
  const subscriptions = new Map<HubPort, Subscription>();
  const markets = new Map<string, FollowedMarket>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const marketKey = (exchange: ExchangeId, symbol: string) => `${exchange}:${symbol}`;

  function post(port: HubPort, message: LiveServerMessage): void {
    try {
      port.postMessage(message);
    } catch {
      drop(port); // The other end is gone.
    }
  }

  function postError(port: HubPort, error: MessageError): void {
    post(port, { type: 'error', version: PROTOCOL_VERSION, error });
  }

  function withRealized(view: EstimateView, market: string): EstimateView {
    const followed = markets.get(market);
    if (!followed) return view;
    return { ...view, realized: mergeRealized([], followed.events, view.heatmap.firstTimestamp) };
  }

  function sendView(sub: Subscription, view: EstimateView): void {
    if (view.computedAt === sub.sentAt) return;
    sub.sentAt = view.computedAt;
    post(sub.port, { type: 'view', version: PROTOCOL_VERSION, view: withRealized(view, sub.market) });
  }

  options.service.onView((view, request) => {
    const key = viewKey(request);
    for (const sub of subscriptions.values()) if (sub.key === key) sendView(sub, view);
  });

  function follow(exchange: ExchangeId, symbol: string): void {
    const market = marketKey(exchange, symbol);
    if (markets.has(market)) return;
    const entry: FollowedMarket = {
      events: [],
      stream: options.openStream?.(exchange, symbol, (event) => {
        // Kept by the exchange's clock (its newest event) where the local one runs ahead of it:
        // by the local clock alone, a computer set days fast (or a replay of past data) would drop
        // every event, and a panel that shows its view after the events arrived would get none.
        const newest = Math.max(event.timestamp, entry.events.at(-1)?.timestamp ?? Number.NEGATIVE_INFINITY);
        entry.events = mergeRealized(entry.events, [event], Math.min(now(), newest) - KEEP_REALIZED_MS);
        for (const sub of subscriptions.values()) if (sub.market === market) post(sub.port, realizedPush(exchange, symbol, [event]));
      }),
    };
    markets.set(market, entry);
  }

  function unfollowUnused(): void {
    const used = new Set([...subscriptions.values()].map((s) => s.market));
    for (const [market, entry] of markets) {
      if (used.has(market)) continue;
      entry.stream?.close();
      markets.delete(market);
    }
  }

  function schedule(): void {
    if (timer !== undefined || subscriptions.size === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      refreshAll();
      schedule();
    }, nextRefreshIn());
  }

  function refreshAll(): void {
    const requests = new Map<string, EstimateRequest>();
    for (const sub of subscriptions.values()) requests.set(sub.key, sub.request);
    for (const [key, request] of requests) {
      options.service.refresh(request).catch((error: unknown) => {
        for (const sub of subscriptions.values()) if (sub.key === key) postError(sub.port, { code: 'handler-failed', message: errorText(error) });
      });
    }
  }

  function drop(port: HubPort): void {
    if (!subscriptions.delete(port)) return;
    unfollowUnused();
    if (subscriptions.size === 0 && timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
  }

  function subscribe(port: HubPort, request: EstimateRequest): void {
    const sub: Subscription = { port, request, key: viewKey(request), market: marketKey(request.exchange, request.symbol), sentAt: Number.NaN };
    subscriptions.set(port, sub);
    unfollowUnused();
    follow(request.exchange, request.symbol);
    schedule();
    options.service.getEstimate(request).then(
      (view) => {
        if (subscriptions.get(port) === sub) sendView(sub, view);
      },
      (error: unknown) => {
        if (subscriptions.get(port) === sub) postError(port, { code: 'handler-failed', message: errorText(error) });
      },
    );
  }

  return {
    onConnect(port) {
      if (port.name !== LIVE_PORT_NAME) return; // Another feature's port.
      if (senderProblem(port.sender ?? {}, options.ownId) !== undefined) {
        port.disconnect();
        return;
      }
      port.onDisconnect.addListener(() => drop(port));
      port.onMessage.addListener((raw) => {
        const checked = readClientMessage(raw);
        if (!checked.ok) {
          postError(port, { code: 'invalid-payload', message: checked.issue.reason, path: checked.issue.path });
          return;
        }
        if (checked.value.type === 'subscribe') subscribe(port, checked.value.request);
      });
    },
    stats() {
      return { subscriptions: subscriptions.size, streams: markets.size, refreshScheduled: timer !== undefined };
    },
  };
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : typeof error === 'string' ? error : 'estimate failed';
  return text.length <= 500 ? text : `${text.slice(0, 499)}…`;
}
