/**
 * The two public endpoints the real-positions layer reads, with the browser's `fetch`. Nothing
 * about the user is sent: the bodies name only the endpoint type and a public account address
 * from the leaderboard; no cookie, no extension state.
 *
 * Why not ccxt: ccxt's `hyperliquid` module has `fetchPositions` (node_modules/ccxt/js/src/
 * hyperliquid.js, it posts the same `clearinghouseState` with `user`), but it first loads the
 * markets (`meta` and `spotMeta`, weight 20 each) and returns unified positions without the raw
 * `liquidationPx` string/null distinction; the leaderboard has no ccxt method at all. A plain
 * POST keeps the weight spent exactly what the budget counts.
 */

/** Hyperliquid's public info endpoint (docs: for-developers/api/info-endpoint). */
export const INFO_URL = 'https://api.hyperliquid.xyz/info';
/** The public leaderboard (outside the API's weight budget; 25-35 MB). */
export const LEADERBOARD_URL = 'https://stats-data.hyperliquid.xyz/Mainnet/leaderboard';

/** A non-2xx answer, with `Retry-After` in ms when sent. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
    what: string,
  ) {
    super(`${what}: HTTP ${status}${status === 429 ? ' (rate limited)' : ''}`);
    this.name = 'HttpStatusError';
  }
}

export type FetchLike = (url: string, init: { method: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal; credentials?: RequestCredentials }) => Promise<{
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  json(): Promise<unknown>;
}>;

/** What the poller needs from the network (tests pass fakes). */
export interface PositionsTransport {
  info(body: Readonly<Record<string, unknown>>, signal?: AbortSignal): Promise<unknown>;
  leaderboard(signal?: AbortSignal): Promise<unknown>;
}

function retryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/**
 * A signal that aborts after `ms` or with `signal`, and the function that ends the timer (no
 * `AbortSignal.any`: Firefox 115 ESR lacks it).
 */
function withTimeout(ms: number, signal?: AbortSignal): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), ms);
  const follow = () => controller.abort(signal?.reason);
  if (signal?.aborted) follow();
  else signal?.addEventListener('abort', follow, { once: true });
  return {
    signal: controller.signal,
    done: () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', follow);
    },
  };
}

/** The transport over `fetch` (default: the global one), with a time-out per request. */
export function fetchTransport(fetchImpl: FetchLike = (url, init) => fetch(url, init), timeoutMs = 15_000): PositionsTransport {
  async function call(url: string, init: Parameters<FetchLike>[1], what: string, limitMs: number, signal?: AbortSignal): Promise<unknown> {
    const limit = withTimeout(limitMs, signal);
    try {
      const response = await fetchImpl(url, { ...init, credentials: 'omit', signal: limit.signal });
      if (!response.ok) throw new HttpStatusError(response.status, retryAfter(response.headers.get('retry-after')), what);
      return await response.json();
    } finally {
      limit.done();
    }
  }
  return {
    info: (body, signal) => call(INFO_URL, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, `info ${String(body['type'])}`, timeoutMs, signal),
    // A 25-35 MB body: a longer time-out.
    leaderboard: (signal) => call(LEADERBOARD_URL, { method: 'GET' }, 'leaderboard', Math.max(timeoutMs, 120_000), signal),
  };
}
