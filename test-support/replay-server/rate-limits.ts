/**
 * The exchanges' published public REST rate limits, enforced by the replay when asked
 * (`rateLimits: true`): a request over a limit is answered with HTTP 429 and `Retry-After`, in the
 * exchange's own error shape (each module's `faultReply`). Windows slide over wall-clock time, as
 * the exchanges count. Each rule names its source; where the exchange's page was not at hand, the
 * limit is the one ccxt encodes for the endpoint (its per-endpoint costs are taken from the same
 * pages) and says so.
 */
import type { ReplayRequest } from './types';

export interface RateRule {
  readonly host: string;
  /** Paths the rule counts (default every path of the host). */
  readonly path?: RegExp;
  readonly windowMs: number;
  /** Weight (or requests) allowed per window. */
  readonly limit: number;
  /** Weight of one request (default 1). */
  readonly weight?: (req: ReplayRequest) => number;
  /** Where the limit is published. */
  readonly source: string;
}

/** Binance's klines weight by `limit` (default 500), per its "Kline/Candlestick Data" page. */
function binanceKlinesWeight(req: ReplayRequest): number {
  const limit = Number(req.query.get('limit') ?? 500);
  return limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10;
}

function binanceWeight(req: ReplayRequest): number {
  if (req.path === '/fapi/v1/klines') return binanceKlinesWeight(req);
  // The statistics endpoints have their own limit below and no request weight.
  if (req.path.startsWith('/futures/data/')) return 0;
  if (req.path === '/fapi/v1/premiumIndex' && !req.query.get('symbol')) return 10;
  return 1;
}

/** Hyperliquid info request weights: 2 for a few light types, 20 for the rest (candleSnapshot adds per 60 rows; not counted here). */
function hyperliquidWeight(req: ReplayRequest): number {
  let type: unknown;
  try {
    type = (JSON.parse(req.body ?? '{}') as { type?: unknown }).type;
  } catch {
    type = undefined;
  }
  return type === 'exchangeStatus' || type === 'l2Book' || type === 'allMids' || type === 'clearinghouseState' || type === 'orderStatus' || type === 'spotClearinghouseState' ? 2 : 20;
}

const OKX_DOCS = 'OKX API v5 docs, the endpoint\'s "Rate Limit" line (the same limit as ccxt\'s okx cost for it: cost 1 = 20 requests per 2 s)';
const BITGET_DOCS = 'Bitget API v2 docs, the endpoint\'s "Rate limit" line (ccxt\'s bitget costs match: cost 1 = 20 per second)';

/** The published limits, per host (and path where an endpoint has its own). */
export const RATE_LIMITS: readonly RateRule[] = [
  {
    host: 'fapi.binance.com',
    windowMs: 60_000,
    limit: 2400,
    weight: binanceWeight,
    source: 'Binance USDⓈ-M Futures docs, "General Info: Limits": REQUEST_WEIGHT 2400 per minute per IP (exchangeInfo rateLimits)',
  },
  {
    host: 'fapi.binance.com',
    path: /^\/futures\/data\//,
    windowMs: 300_000,
    limit: 1000,
    source: 'Binance USDⓈ-M Futures docs, "Open Interest Statistics" and "Long/Short Ratio": IP rate limit 1000 requests / 5 min',
  },
  {
    host: 'fapi.binance.com',
    path: /^\/fapi\/v1\/(fundingRate|fundingInfo)$/,
    windowMs: 300_000,
    limit: 500,
    source: 'Binance USDⓈ-M Futures docs, "Get Funding Rate History": shares 500 / 5 min / IP with GET /fapi/v1/fundingInfo',
  },
  { host: 'api.bybit.com', windowMs: 5_000, limit: 600, source: 'Bybit v5 docs, "Rate Limit Rules": 600 requests per 5 s per IP' },
  { host: 'www.okx.com', path: /^\/api\/v5\/market\/candles$/, windowMs: 2_000, limit: 40, source: `${OKX_DOCS}: Get candlesticks, 40 per 2 s` },
  { host: 'www.okx.com', path: /^\/api\/v5\/market\/history-candles$/, windowMs: 2_000, limit: 20, source: `${OKX_DOCS}: Get candlesticks history, 20 per 2 s` },
  { host: 'www.okx.com', path: /^\/api\/v5\/market\/ticker$/, windowMs: 2_000, limit: 20, source: `${OKX_DOCS}: Get ticker, 20 per 2 s` },
  { host: 'www.okx.com', path: /^\/api\/v5\/public\/instruments$/, windowMs: 2_000, limit: 20, source: `${OKX_DOCS}: Get instruments, 20 per 2 s` },
  { host: 'www.okx.com', path: /^\/api\/v5\/public\/(time|funding-rate-history|position-tiers)$/, windowMs: 2_000, limit: 10, source: `${OKX_DOCS}: system time, funding rate history, position tiers, 10 per 2 s each` },
  {
    host: 'www.okx.com',
    path: /^\/api\/v5\/rubik\/stat\/contracts\/open-interest-history$/,
    windowMs: 2_000,
    limit: 10,
    source: `${OKX_DOCS}: contract open interest history, 10 per 2 s`,
  },
  {
    host: 'www.okx.com',
    path: /^\/api\/v5\/rubik\/stat\/contracts\/long-short-account-ratio-contract$/,
    windowMs: 2_000,
    limit: 5,
    source: `${OKX_DOCS}: contract long/short account ratio, 5 per 2 s`,
  },
  { host: 'api.bitget.com', path: /^\/api\/v2\/mix\/market\/account-long-short$/, windowMs: 1_000, limit: 1, source: 'Bitget API v2 docs, "Get Account Long/Short": 1 request per second (IP)' },
  { host: 'api.bitget.com', path: /^\/api\/v2\/mix\/market\/(candles|history-candles|open-interest|history-fund-rate|contracts)$/, windowMs: 1_000, limit: 20, source: `${BITGET_DOCS}: 20 per second per endpoint` },
  { host: 'api.bitget.com', path: /^\/api\/v2\/mix\/market\/query-position-lever$/, windowMs: 1_000, limit: 10, source: `${BITGET_DOCS}: position tiers, 10 per second` },
  { host: 'api.bitget.com', windowMs: 60_000, limit: 6000, source: 'Bitget API docs, "Rate Limit": 6,000 requests per minute per IP over all public endpoints' },
  {
    host: 'api.hyperliquid.xyz',
    windowMs: 60_000,
    limit: 1200,
    weight: hyperliquidWeight,
    source: 'Hyperliquid docs, "Rate limits and user limits": REST weight 1200 per minute per IP; info requests weigh 2 (exchangeStatus, l2Book, allMids, ...) or 20',
  },
];

/** Sliding-window counters over {@link RATE_LIMITS}; `take` records a request or says how long to wait. */
export class RateLimiter {
  private readonly log = new Map<RateRule, { time: number; weight: number }[]>();

  constructor(
    private readonly rules: readonly RateRule[] = RATE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Undefined when the request is within every limit (and counted), else the ms until it would be. */
  take(req: ReplayRequest): number | undefined {
    const time = this.now();
    const matching = this.rules.filter((r) => r.host === req.host && (r.path === undefined || r.path.test(req.path)));
    let wait = 0;
    const weights = matching.map((rule) => {
      const weight = rule.weight?.(req) ?? 1;
      const entries = (this.log.get(rule) ?? []).filter((e) => e.time > time - rule.windowMs);
      this.log.set(rule, entries);
      let used = entries.reduce((sum, e) => sum + e.weight, 0);
      if (used + weight > rule.limit) {
        // Wait until enough of the window has slid out.
        for (const e of entries) {
          used -= e.weight;
          if (used + weight <= rule.limit) {
            wait = Math.max(wait, e.time + rule.windowMs - time);
            break;
          }
        }
      }
      return weight;
    });
    if (wait > 0) return wait;
    matching.forEach((rule, i) => {
      if (weights[i]! > 0) this.log.get(rule)!.push({ time, weight: weights[i]! });
    });
    return undefined;
  }
}
