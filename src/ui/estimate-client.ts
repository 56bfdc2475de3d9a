/**
 * The UI's way to the background: the typed client over `runtime.sendMessage`, with retries
 * when the connection drops (the background service worker was stopped or restarted while the
 * request was in flight, or has not started yet).
 */
import { browser } from 'wxt/browser';
import { type Client, createClient, type EstimateRequest, type EstimateView, MessagingError, type RequestEnvelope } from '../messaging';

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
