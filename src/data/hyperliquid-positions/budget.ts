/**
 * Spending a share of Hyperliquid's request weight, and backing off when it says no.
 *
 * Source of the limits: Hyperliquid docs, "Rate limits and user limits"
 * (hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/rate-limits-and-user-limits;
 * mirror dzmbs/hyperliquid-docs : docs/for-developers/api/rate-limits-and-user-limits.md):
 * "REST requests share an aggregated weight limit of 1200 per minute" per IP address;
 * `clearinghouseState` (like `l2Book`, `allMids`, `exchangeStatus`) weighs 2, "all other
 * documented info requests have weight 20" (so `metaAndAssetCtxs` weighs 20). The user trading
 * on Hyperliquid from the same IP shares that limit, so LiqLens spends only a set share of it.
 */

/** Hyperliquid's REST limit per IP, weight per minute (docs, above). */
export const HYPERLIQUID_WEIGHT_PER_MINUTE = 1_200;
/** Weight of one `clearinghouseState` request (docs, above). */
export const CLEARINGHOUSE_STATE_WEIGHT = 2;
/** Weight of `metaAndAssetCtxs` and other documented info requests (docs, above). */
export const INFO_REQUEST_WEIGHT = 20;
/** LiqLens's default share: a quarter of the limit, the rest left to the user's own trading. */
export const DEFAULT_WEIGHT_PER_MINUTE = 300;
/** The accepted range of the setting. */
export const WEIGHT_PER_MINUTE_RANGE = { min: 20, max: 600 } as const;

const WINDOW_MS = 60_000;

/**
 * A sliding one-minute window of spent weight: a request is allowed only when the weight spent
 * in the 60 s before it, plus its own, stays within `perMinute`; and requests are paced evenly
 * (one every `60 s x weight / perMinute`) so a minute's share is never spent in a burst.
 */
export class WeightBudget {
  private readonly spent: { at: number; weight: number }[] = [];
  private lastAt = -Infinity;

  constructor(readonly perMinute: number) {
    if (!(perMinute > 0) || !Number.isFinite(perMinute)) throw new RangeError(`weight per minute must be > 0, got ${perMinute}`);
  }

  /** Weight spent in the window ending at `now`. */
  spentIn(now: number): number {
    this.expire(now);
    return this.spent.reduce((sum, s) => sum + s.weight, 0);
  }

  /** Earliest time (>= now) at which `weight` may be spent. */
  nextAt(weight: number, now: number): number {
    if (weight > this.perMinute) return Infinity;
    this.expire(now);
    const paced = this.lastAt + (WINDOW_MS * weight) / this.perMinute;
    let at = Math.max(now, paced);
    // Within the window: wait until enough of the oldest spends leave it.
    let total = this.spent.reduce((sum, s) => sum + s.weight, 0);
    for (const s of this.spent) {
      if (total + weight <= this.perMinute) break;
      total -= s.weight;
      at = Math.max(at, s.at + WINDOW_MS);
    }
    return at;
  }

  /** Spends `weight` at `now` when allowed; false (nothing spent) when not. */
  trySpend(weight: number, now: number): boolean {
    if (this.nextAt(weight, now) > now) return false;
    this.spent.push({ at: now, weight });
    this.lastAt = now;
    return true;
  }

  private expire(now: number): void {
    while (this.spent.length > 0 && this.spent[0]!.at <= now - WINDOW_MS) this.spent.shift();
  }
}

export interface BackoffOptions {
  /** First pause after a failure; doubles with each failure in a row. */
  readonly baseMs?: number;
  readonly maxMs?: number;
  /** 0..1; a pause is spread by up to this share (so many users' browsers do not retry in step). */
  readonly jitter?: number;
  readonly random?: () => number;
}

/**
 * Exponential back-off for the whole poller: one failure pauses every request (never a retry
 * per account), each further failure in a row doubles the pause, a `Retry-After` longer than the
 * pause is honoured, and a success resets it.
 */
export class Backoff {
  private failures = 0;
  private until = -Infinity;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 10_000;
    this.maxMs = options.maxMs ?? 10 * 60_000;
    this.jitter = options.jitter ?? 0.2;
    this.random = options.random ?? Math.random;
  }

  /** Records a failure at `now`; returns the time until which nothing is sent. */
  fail(now: number, retryAfterMs?: number): number {
    this.failures++;
    const pause = Math.min(this.maxMs, this.baseMs * 2 ** (this.failures - 1));
    const spread = pause * (1 + this.jitter * this.random());
    this.until = now + Math.max(spread, Math.min(retryAfterMs ?? 0, this.maxMs * 3));
    return this.until;
  }

  succeed(): void {
    this.failures = 0;
    this.until = -Infinity;
  }

  /** Failures in a row. */
  get streak(): number {
    return this.failures;
  }

  /** Time until which nothing is sent (-Infinity when not backing off). */
  pausedUntil(): number {
    return this.until;
  }
}
