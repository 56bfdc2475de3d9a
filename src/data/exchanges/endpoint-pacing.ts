/**
 * Pacing by endpoint, for exchanges whose public limits are per endpoint (OKX: "20 requests per
 * 2 seconds" for one endpoint, "5 per 2 seconds" for another, each counted on its own). ccxt's
 * throttle is one bucket per exchange, so every request waits behind the costliest of the others:
 * a first OKX load of 18 requests took 4 s at 120 ms a round trip. Here each endpoint has its own
 * spacing (its window over its limit, plus a margin for the network's jitter), and different
 * endpoints go side by side.
 */

export interface EndpointLimit {
  /** ccxt's path of the endpoint (`market/candles`, `rubik/stat/contracts/open-interest-history`). */
  readonly path: RegExp;
  readonly windowMs: number;
  readonly limit: number;
  /** Where the limit is published. */
  readonly source: string;
}

/** Spacing kept above the published average, for requests that arrive closer than they were sent. */
const MARGIN = 1.15;

/**
 * Waits for each endpoint's turn: `turn(path)` resolves when a request to `path` may go out.
 * Paths no rule matches share the `fallback` rule.
 * @example const pace = createEndpointPacing(OKX_LIMITS, fallback); await pace.turn('market/candles');
 */
export function createEndpointPacing(rules: readonly EndpointLimit[], fallback: EndpointLimit, now: () => number = Date.now) {
  const next = new Map<EndpointLimit, number>();
  return {
    turn(path: string): Promise<void> {
      const rule = rules.find((r) => r.path.test(path)) ?? fallback;
      const spacing = (rule.windowMs / rule.limit) * MARGIN;
      const at = Math.max(now(), next.get(rule) ?? -Infinity);
      next.set(rule, at + spacing);
      const wait = at - now();
      return wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : Promise.resolve();
    },
  };
}
