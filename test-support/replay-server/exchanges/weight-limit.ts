/**
 * Hyperliquid's REST weight limit, as its docs state it ("Rate limits and user limits":
 * 1,200 weight per minute per IP; `l2Book`, `allMids`, `clearinghouseState`, `orderStatus`,
 * `spotClearinghouseState`, `exchangeStatus` weigh 2, `userRole` 60, other info requests 20,
 * plus one per 20 items returned by `fundingHistory` and similar, per 60 by `candleSnapshot`).
 * Every replay client is one IP (127.0.0.1). Wall-clock minutes: the replay clock may stand still.
 */
const WEIGHT_2 = new Set(['l2Book', 'allMids', 'clearinghouseState', 'orderStatus', 'spotClearinghouseState', 'exchangeStatus']);
const PER_20 = new Set(['recentTrades', 'historicalOrders', 'userFills', 'userFillsByTime', 'fundingHistory', 'userFunding', 'nonUserFundingUpdates', 'twapHistory']);

/** The weight of one info request of `type` that returned `items` items. */
export function infoWeight(type: string, items: number): number {
  if (WEIGHT_2.has(type)) return 2;
  if (type === 'userRole') return 60;
  if (type === 'candleSnapshot') return 20 + Math.floor(items / 60);
  if (PER_20.has(type)) return 20 + Math.floor(items / 20);
  return 20;
}

export interface WeightLimitOptions {
  /** Weight per minute (default 1,200, Hyperliquid's). */
  readonly weightPerMinute?: number;
  readonly now?: () => number;
}

export class WeightLimit {
  private readonly spent: { at: number; weight: number }[] = [];
  private readonly perMinute: number;
  private readonly now: () => number;

  constructor(options: WeightLimitOptions = {}) {
    this.perMinute = options.weightPerMinute ?? 1_200;
    this.now = options.now ?? Date.now;
  }

  /** Counts a request and returns true, or false (not counted) when it would go over the limit. */
  take(weight: number): boolean {
    const t = this.now();
    while (this.spent.length > 0 && this.spent[0]!.at <= t - 60_000) this.spent.shift();
    const total = this.spent.reduce((s, e) => s + e.weight, 0);
    if (total + weight > this.perMinute) return false;
    this.spent.push({ at: t, weight });
    return true;
  }
}
