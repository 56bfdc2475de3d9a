/**
 * Fault injection: make the next N requests matching a host/path pattern fail the way real
 * exchanges fail (rate limit, IP ban, 5xx, hanging connection, truncated JSON, empty list,
 * connection reset). Faults are consumed in the order they were added.
 */
export type FaultKind =
  | 'rate-limit' // HTTP 429 + Retry-After
  | 'ip-ban' // HTTP 418 + Retry-After (Binance's ban answer after ignoring 429s)
  | 'server-error' // HTTP 5xx (status, default 503)
  | 'timeout' // answer only after delayMs, or never when delayMs is omitted
  | 'malformed-json' // the real answer, cut in half
  | 'empty-array' // HTTP 200 with []
  | 'connection-reset'; // the socket is destroyed without an answer

export const FAULT_KINDS: readonly FaultKind[] = ['rate-limit', 'ip-ban', 'server-error', 'timeout', 'malformed-json', 'empty-array', 'connection-reset'];

export interface FaultSpec {
  kind: FaultKind;
  /**
   * Which paths: an exact path (`/fapi/v1/klines`), a glob where `*` matches anything
   * (`/fapi/*`, `*`), or a RegExp. Default: every path. Matched against the path without query.
   */
  path?: string | RegExp;
  /** Same as `path: new RegExp(pathRegex)`, for the JSON control API. */
  pathRegex?: string;
  /**
   * Query parameters the request must carry with these values (`{ interval: '15m' }`): a fault
   * meant for one series leaves the requests of another on the same path alone. Default: any.
   */
  query?: Record<string, string>;
  /** Host name (without port) the fault is limited to. Default: any host. */
  host?: string;
  /** How many matching requests fail; default 1; `'always'` (or Infinity) for every one. */
  count?: number | 'always';
  /** Let this many matching requests through before failing (default 0). */
  skip?: number;
  /** Seconds for the Retry-After header of rate-limit / ip-ban (defaults 1 and 120). */
  retryAfter?: number;
  /** HTTP status of server-error (500..599, default 503). */
  status?: number;
  /** timeout: answer normally after this many ms; omitted = never answer. */
  delayMs?: number;
}

export interface ActiveFault extends FaultSpec {
  id: string;
  /** Failures left (Infinity for 'always'). */
  remaining: number;
  /** Matching requests still to let through. */
  skipLeft: number;
  matcher: RegExp;
}

export class FaultRegistry {
  private faults: ActiveFault[] = [];
  private seq = 0;

  add(spec: FaultSpec): string {
    validate(spec);
    const id = `fault-${++this.seq}`;
    const count = spec.count === undefined ? 1 : spec.count === 'always' ? Infinity : spec.count;
    this.faults.push({
      ...spec,
      id,
      remaining: count,
      skipLeft: spec.skip ?? 0,
      matcher: spec.pathRegex !== undefined ? new RegExp(spec.pathRegex) : toMatcher(spec.path ?? '*'),
    });
    return id;
  }

  clear(): void {
    this.faults = [];
  }

  list(): readonly ActiveFault[] {
    return this.faults;
  }

  /** The fault to apply to this request, if any (consumes one use). */
  take(host: string, path: string, query: URLSearchParams = new URLSearchParams()): ActiveFault | undefined {
    for (const f of this.faults) {
      if (f.host !== undefined && f.host.toLowerCase() !== host) continue;
      if (!f.matcher.test(path)) continue;
      if (f.query && Object.entries(f.query).some(([name, value]) => query.get(name) !== value)) continue;
      if (f.skipLeft > 0) {
        f.skipLeft -= 1;
        continue;
      }
      f.remaining -= 1;
      if (f.remaining <= 0) this.faults = this.faults.filter((x) => x !== f);
      return f;
    }
    return undefined;
  }
}

function toMatcher(path: string | RegExp): RegExp {
  if (path instanceof RegExp) return path;
  const escaped = path.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

function validate(spec: FaultSpec): void {
  if (!FAULT_KINDS.includes(spec.kind)) throw new Error(`unknown fault kind ${JSON.stringify(spec.kind)}; one of ${FAULT_KINDS.join(', ')}`);
  if (spec.count !== undefined && spec.count !== 'always' && !(typeof spec.count === 'number' && spec.count >= 1)) {
    throw new Error(`fault count must be a number >= 1 or 'always', got ${JSON.stringify(spec.count)}`);
  }
  if (spec.query !== undefined && (typeof spec.query !== 'object' || spec.query === null || Object.values(spec.query).some((v) => typeof v !== 'string'))) {
    throw new Error(`fault query must map parameter names to strings, got ${JSON.stringify(spec.query)}`);
  }
  if (spec.kind === 'server-error' && spec.status !== undefined && !(spec.status >= 500 && spec.status <= 599)) {
    throw new Error(`server-error status must be 5xx, got ${spec.status}`);
  }
}
