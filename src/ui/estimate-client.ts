/**
 * The UI's way to the background: the typed client over `runtime.sendMessage`, with retries
 * when the connection drops (the background service worker was stopped or restarted while the
 * request was in flight, or has not started yet).
 */
import { browser } from 'wxt/browser';
import { type Client, createClient, type EstimateRequest, type EstimateView, MessagingError, type RequestEnvelope } from '../messaging';
import { LIVE_PORT_NAME, type LivePort, openLiveView } from '../messaging/live';
import { viewKey } from '../messaging/view-key';

let shared: Client | undefined;

/** One client per page over `browser.runtime.sendMessage`. */
export function backgroundClient(): Client {
  shared ??= createClient((message: RequestEnvelope) => browser.runtime.sendMessage(message));
  return shared;
}

export interface RetryOptions {
  readonly signal?: AbortSignal;
  /** Attempts in all (default 4). */
  readonly attempts?: number;
  /** Pause before the second attempt; doubles each time (default 300 ms). */
  readonly backoffMs?: number;
}

/** True for failures where asking again can help: the message never got an answer. */
export function isRetryable(error: unknown): boolean {
  return error instanceof MessagingError && (error.code === 'transport-failed' || error.code === 'bad-response');
}

/**
 * Calls `fn`, retrying dropped connections with exponential back-off; other failures (the
 * background answered with an error) are thrown at once.
 */
export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 4;
  let delay = options.backoffMs ?? 300;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
    }
    await sleep(delay, options.signal);
    delay *= 2;
  }
}

export function requestEstimate(req: EstimateRequest, options: RetryOptions = {}, client = backgroundClient()): Promise<EstimateView> {
  return withRetry(() => client.getEstimate(req), options);
}

export interface WatchOptions {
  /** Each newer view: the first, every minute's update, realized liquidations as they arrive. */
  readonly onView: (view: EstimateView) => void;
  /** The estimate could not be made (no view has been shown). */
  readonly onError: (error: unknown) => void;
  readonly signal: AbortSignal;
  /** Opens the live port; default `browser.runtime.connect`. */
  readonly connect?: () => LivePort;
  /** The one-shot request; default {@link requestEstimate}. */
  readonly request?: (req: EstimateRequest, signal: AbortSignal) => Promise<EstimateView>;
  /** A view of `req` already in hand (it came with the background's prepared answer): shown at once. */
  readonly initial?: EstimateView;
}

/**
 * Keeps the view of `req` live while `signal` is not aborted: the live subscription (see
 * `messaging/live.ts`) and, as its fallback, the one-shot request with retries run together; the
 * newer view wins. Errors are reported only while nothing is shown: a failed update keeps the
 * last view on screen.
 * @example watchEstimate({ exchange: 'binance', symbol: 'BTCUSDT', lookback: '24h' }, { onView, onError, signal });
 */
export function watchEstimate(req: EstimateRequest, options: WatchOptions): void {
  const { signal } = options;
  let shown: EstimateView | undefined;
  const show = (view: EstimateView) => {
    if (signal.aborted || (shown && view.computedAt < shown.computedAt)) return;
    // The same computation again (the one-shot answer and the live port both bring it) with the
    // same realized liquidations: nothing new to draw on the exchange's page.
    if (shown && sameComputation(view, shown) && sameRealized(view.realized, shown.realized)) return;
    shown = view;
    options.onView(view);
  };
  if (options.initial) show(options.initial);
  const request = options.request ?? ((r, s) => requestEstimate(r, { signal: s }));
  // The one-shot answer carries no realized liquidations: the live view of the same computation,
  // with the events streamed meanwhile, stays.
  const showAnswer = (view: EstimateView) => {
    if (!shown || view.computedAt > shown.computedAt) show(view);
  };
  request(req, signal).then(showAnswer, (error: unknown) => {
    if (!signal.aborted && !shown) options.onError(error);
  });
  openLiveView({
    connect: options.connect ?? (() => browser.runtime.connect({ name: LIVE_PORT_NAME }) as unknown as LivePort),
    request: req,
    onView: show,
    // The one-shot request reports the same failures; later ones keep the last view.
    onError: () => {},
    signal,
  });
}

/**
 * Whether two requests ask for the same estimate: the background's own key of its views
 * ({@link viewKey}), false for a request it would refuse (a tier filter naming no modelled tier).
 * @example sameEstimateRequest({ exchange: 'okx', symbol: 'BTC-USDT-SWAP', lookback: '24h' }, prepared.request)
 */
export function sameEstimateRequest(a: EstimateRequest, b: EstimateRequest): boolean {
  try {
    return viewKey(a) === viewKey(b);
  } catch {
    return false;
  }
}

function sameComputation(a: EstimateView, b: EstimateView): boolean {
  return a.computedAt === b.computedAt && a.price === b.price && a.heatmap.firstTimestamp === b.heatmap.firstTimestamp && a.heatmap.maxCellUsd === b.heatmap.maxCellUsd;
}

/** The same realized events, in the same order (the list is merged by time and capped, so a change can be anywhere). */
function sameRealized(a: EstimateView['realized'], b: EstimateView['realized']): boolean {
  const x = a ?? [];
  const y = b ?? [];
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const p = x[i]!;
    const q = y[i]!;
    if (p !== q && (p.timestamp !== q.timestamp || p.price !== q.price || p.usd !== q.usd || p.side !== q.side)) return false;
  }
  return true;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
