// The ambient `ccxt-exchange/*` declarations, for every project compiling a file of this folder.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- a script .d.ts cannot be imported
/// <reference path="./ccxt-modules.d.ts" />
/**
 * The guard around a ccxt instance: every request goes through the exchange's retry policy and
 * ban check, is paced by endpoint where the exchange's limits are per endpoint, and a failed HTTP
 * answer keeps its status and `Retry-After` for the retry policy.
 */
import type { Exchange } from 'ccxt-exchange/types';
import { annotateHttpFailure, type ExchangeGuard, parseRetryAfter } from '../retry';
import { createEndpointPacing, type EndpointLimit } from './endpoint-pacing';

/** The parts of a fetch `Response` (or undici's answer) read to annotate a failure. */
interface ResponseLike {
  readonly status?: number;
  readonly headers?: { get?(name: string): string | null } | Record<string, unknown>;
}

function headerOf(response: ResponseLike, name: string): string | undefined {
  const headers = response.headers;
  if (!headers) return undefined;
  if (typeof headers.get === 'function') return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Puts every request of a ccxt instance under the exchange's retry policy. `fetch2` is the one
 * path of every REST call (ccxt's rate-limit throttle included, so a retry waits its turn too);
 * `fetch` sends after the throttle; `handleRestResponse` sees the HTTP answer, whose status and `Retry-After` ccxt's errors lose.
 */
export function guardExchange(exchange: Exchange, guard: ExchangeGuard, now: () => number, limits?: readonly EndpointLimit[]): void {
  const target = exchange as unknown as {
    fetch2: (...args: unknown[]) => Promise<unknown>;
    fetch: (...args: unknown[]) => Promise<unknown>;
    handleRestResponse: (response: ResponseLike, ...rest: unknown[]) => unknown;
    throttle: (cost?: number) => Promise<unknown>;
    enableRateLimit: boolean;
  };
  const fetch2 = target.fetch2.bind(exchange);
  if (limits && limits.length > 0) {
    // Paced by endpoint here, so ccxt's one bucket stands aside (while rate limiting is on at all).
    const pacing = createEndpointPacing(limits.slice(0, -1), limits[limits.length - 1]!);
    target.throttle = () => Promise.resolve();
    target.fetch2 = (...args) =>
      guard.run(async () => {
        if (target.enableRateLimit) await pacing.turn(String(args[0]));
        return fetch2(...args);
      });
  } else {
    target.fetch2 = (...args) => guard.run(() => fetch2(...args));
  }
  // Calls queued in ccxt's throttle while a ban began are refused before they go out.
  const send = target.fetch.bind(exchange);
  target.fetch = async (...args) => {
    guard.check();
    return send(...args);
  };
  const handle = target.handleRestResponse.bind(exchange);
  target.handleRestResponse = (response, ...rest) => {
    const result = handle(response, ...rest);
    const status = response.status ?? 0;
    if (status < 400 || !(result instanceof Promise)) return result;
    return result.catch((error: unknown) => {
      const retryAfterMs = parseRetryAfter(headerOf(response, 'retry-after'), now());
      annotateHttpFailure(error, retryAfterMs !== undefined ? { status, retryAfterMs } : { status });
      throw error;
    });
  };
}
