/**
 * One retry policy around every request to an exchange, with a per-exchange circuit.
 *
 * - 429 (rate limit): waits what `Retry-After` says (capped), then tries again a few times; every
 *   call to that exchange waits out the same pause, so parallel series do not keep knocking. A
 *   pause longer than the cap is not waited for inside a request: the circuit refuses calls
 *   until it ends and the call fails as `rate-limited`.
 * - 418 (Binance's IP ban after ignored 429s): no retry. The circuit opens until the ban ends
 *   (`Retry-After`, else a long default) and refuses every call meanwhile without a request.
 * - 5xx, timeouts, dropped connections: capped exponential backoff with full jitter (a random
 *   pause between 0 and `min(maxDelay, base * 2^attempt)`), a bounded number of attempts.
 * - A malformed answer (cut or non-JSON body): not retried, fails as `bad-response`.
 *
 * The clock, the pause and the random source are injectable so tests run in virtual time.
 * ccxt takes no abort signal: a retry already waiting when its caller aborts still runs once,
 * and its result is dropped by the caller.
 */
import { DataError } from './exchanges/source';

/** What went wrong with one exchange call, for the retry decision. */
export type FailureKind = 'rate-limit' | 'ban' | 'unavailable' | 'timeout' | 'malformed' | 'other';

export interface RetryOptions {
  /** Attempts in all for 5xx, timeouts and dropped connections (default 4). */
  readonly maxAttempts?: number;
  /** First backoff ceiling (default 500 ms); doubles each attempt up to `maxDelayMs`. */
  readonly baseDelayMs?: number;
  /** Largest backoff ceiling (default 8 s). */
  readonly maxDelayMs?: number;
  /** Retries after a 429 (default 2). */
  readonly rateLimitRetries?: number;
  /** Longest `Retry-After` waited inside a request (default 30 s); longer pauses open the circuit. */
  readonly maxRetryAfterMs?: number;
  /** Pause after a 429 without `Retry-After` (default 1 s). */
  readonly defaultRetryAfterMs?: number;
  /** Ban length when a 418 gives no `Retry-After` (default 5 min). */
  readonly defaultBanMs?: number;
  /** Longest ban honoured (default 3 days, Binance's maximum). */
  readonly maxBanMs?: number;
  /** Local clock (ms). */
  readonly now?: () => number;
  /** Waits `ms` (tests pass a virtual one). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1) (tests pass a fixed one). */
  readonly random?: () => number;
}

/** HTTP facts of a failed answer, attached to the error ccxt throws for it. */
export interface HttpFailure {
  readonly status: number;
  /** `Retry-After` in ms, when the answer had one. */
  readonly retryAfterMs?: number;
}

const httpFailures = new WeakMap<object, HttpFailure>();

/** Remembers the HTTP status and `Retry-After` of the answer that caused `error`. */
export function annotateHttpFailure(error: unknown, failure: HttpFailure): void {
  if (typeof error === 'object' && error !== null && !httpFailures.has(error)) httpFailures.set(error, failure);
}

export function httpFailureOf(error: unknown): HttpFailure | undefined {
  return typeof error === 'object' && error !== null ? httpFailures.get(error) : undefined;
}

/**
 * `Retry-After` in ms: delta-seconds or an HTTP date (relative to `now`).
 * @example parseRetryAfter('3', 0) // 3000
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

// ccxt sets `name` to its error class; the class hierarchy itself does not survive minification.
const TIMEOUT_NAMES = new Set(['RequestTimeout']);
const UNAVAILABLE_NAMES = new Set(['ExchangeNotAvailable', 'OnMaintenance', 'NetworkError']);
const RATE_LIMIT_NAMES = new Set(['RateLimitExceeded', 'DDoSProtection']);
const MALFORMED_NAMES = new Set(['BadResponse', 'NullResponse']);

/** Sorts a failed call into what the policy does with it; the HTTP status wins over ccxt's class. */
export function classifyFailure(error: unknown): FailureKind {
  const http = httpFailureOf(error);
  if (http) {
    if (http.status === 418) return 'ban';
    if (http.status === 429) return 'rate-limit';
    if (http.status >= 500 && http.status <= 599) return 'unavailable';
  }
  const name = error instanceof Error ? error.name : '';
  if (TIMEOUT_NAMES.has(name)) return 'timeout';
  if (RATE_LIMIT_NAMES.has(name)) return 'rate-limit';
  if (MALFORMED_NAMES.has(name)) return 'malformed';
  if (UNAVAILABLE_NAMES.has(name)) return 'unavailable';
  return 'other';
}

/** A fetch answer whose body was not JSON (ccxt hands back the raw text then). */
export class MalformedResponseError extends Error {
  override name = 'BadResponse';
}

/** The retry policy and circuit of one exchange. */
export interface ExchangeGuard {
  /** Runs one exchange call under the policy. */
  run<T>(call: () => Promise<T>): Promise<T>;
  /** Throws the circuit's `DataError` while calls are refused (checked again just before sending). */
  check(): void;
  /** Until when (local clock) calls are refused, or 0. */
  closedUntil(): number;
  /** Requests made and retries done so far (for measurements). */
  stats(): { readonly calls: number; readonly retries: number; readonly refused: number };
}

const isoTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function seconds(ms: number): string {
  return ms < 90_000 ? `${Math.ceil(ms / 1000)} s` : `${Math.ceil(ms / 60_000)} min`;
}

function brief(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // ccxt appends the answer's body; an HTML error page in it is noise in a trader's panel.
  const markup = text.search(/<(?:!doctype|html|head|body|title)\b/i);
  const head = markup === 0 ? 'the answer was a web page, not data' : (markup > 0 ? text.slice(0, markup) : text).trim();
  return head.length > 160 ? `${head.slice(0, 159)}…` : head;
}

/**
 * The policy for one exchange (`name` appears in messages).
 * @example const guard = createExchangeGuard('binance'); await guard.run(() => exchange.fetchTime());
 */
export function createExchangeGuard(name: string, options: RetryOptions = {}): ExchangeGuard {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 8_000;
  const rateLimitRetries = options.rateLimitRetries ?? 2;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const defaultRetryAfterMs = options.defaultRetryAfterMs ?? 1_000;
  const defaultBanMs = options.defaultBanMs ?? 5 * 60_000;
  const maxBanMs = options.maxBanMs ?? 3 * 86_400_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;

  /** Calls are refused until then (a ban, or a rate-limit pause too long to wait inside a call). */
  let refuseUntil = 0;
  let refuseReason: 'banned' | 'rate-limited' = 'banned';
  /** Calls wait until then before going out (a short `Retry-After`). */
  let pauseUntil = 0;
  let calls = 0;
  let retries = 0;
  let refused = 0;

  function refuse(): DataError {
    refused++;
    const left = refuseUntil - now();
    return refuseReason === 'banned'
      ? new DataError('banned', `${name} has blocked requests from this address until ${isoTime(refuseUntil)} (in ${seconds(left)}); nothing is asked until then`, {
          retryAt: refuseUntil,
        })
      : new DataError('rate-limited', `${name} asked to wait ${seconds(left)} before the next request`, { retryAt: refuseUntil });
  }

  /** Full jitter: a pause anywhere between 0 and the capped exponential ceiling. */
  const backoff = (attempt: number): number => Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));

  return {
    closedUntil: () => (refuseUntil > now() ? refuseUntil : 0),
    check() {
      if (refuseUntil > now()) throw refuse();
    },
    stats: () => ({ calls, retries, refused }),

    async run<T>(call: () => Promise<T>): Promise<T> {
      let attempt = 0;
      let rateLimited = 0;
      for (;;) {
        if (refuseUntil > now()) throw refuse();
        const wait = pauseUntil - now();
        if (wait > 0) {
          await sleep(wait);
          if (refuseUntil > now()) throw refuse();
        }
        attempt++;
        calls++;
        let error: unknown;
        try {
          const result = await call();
          // ccxt returns the raw text when a body does not parse as JSON; these APIs answer JSON only.
          if (typeof result === 'string') throw new MalformedResponseError(`unreadable answer (${result.length} characters, not JSON)`);
          return result;
        } catch (caught) {
          error = caught;
        }
        const kind = classifyFailure(error);
        const http = httpFailureOf(error);
        switch (kind) {
          case 'ban': {
            const ban = Math.min(maxBanMs, http?.retryAfterMs ?? defaultBanMs);
            refuseUntil = Math.max(refuseUntil, now() + ban);
            refuseReason = 'banned';
            throw new DataError('banned', `${name} has blocked requests from this address for ${seconds(ban)} (HTTP 418); nothing is asked until ${isoTime(refuseUntil)}`, {
              cause: error,
              retryAt: refuseUntil,
            });
          }
          case 'rate-limit': {
            const after = http?.retryAfterMs ?? (http ? defaultRetryAfterMs : Math.max(defaultRetryAfterMs, backoff(rateLimited + 1)));
            if (after > maxRetryAfterMs) {
              refuseUntil = Math.max(refuseUntil, now() + after);
              refuseReason = 'rate-limited';
              throw new DataError('rate-limited', `${name} asked to wait ${seconds(after)} before the next request (rate limit)`, { cause: error, retryAt: refuseUntil });
            }
            pauseUntil = Math.max(pauseUntil, now() + after);
            if (rateLimited >= rateLimitRetries) {
              throw new DataError('rate-limited', `${name} is limiting requests (still after ${rateLimited + 1} tries): ${brief(error)}`, {
                cause: error,
                retryAt: pauseUntil,
              });
            }
            rateLimited++;
            retries++;
            continue;
          }
          case 'unavailable':
          case 'timeout': {
            if (attempt >= maxAttempts) {
              const what = kind === 'timeout' ? 'did not answer in time' : 'is unavailable';
              throw new DataError(kind === 'timeout' ? 'timeout' : 'unavailable', `${name} ${what} (${attempt} tries): ${brief(error)}`, { cause: error });
            }
            retries++;
            await sleep(backoff(attempt));
            continue;
          }
          case 'malformed':
            throw new DataError('bad-response', `${name} sent an answer that could not be read: ${brief(error)}`, { cause: error });
          default:
            throw error;
        }
      }
    },
  };
}
