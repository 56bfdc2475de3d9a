/** Formatting for the panel and the popup: prices, percentages, USD, funding, trend. */
import { TREND_FACTOR, TREND_FLAT_ATR } from '../engine/context';
import { FUNDING_REFERENCE_MS } from '../engine/funding-interval';
import type { MarketContext, Pool } from '../engine/types';
import { formatPrice, priceDecimals } from '../engine/price-format';
import { formatUsd, trimZeros } from '../engine/usd-format';

export { formatUsd, priceDecimals };

/** @example fmtPrice(64543.2) // '64,543' */
export function fmtPrice(price: number): string {
  return formatPrice(price, priceDecimals(price));
}

/** A signed percentage with two decimals: `+0.40 %`. */
export function fmtPct(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const sign = value > 0 ? '+' : value < 0 ? '−' : '';
  return `${sign}${Math.abs(value).toFixed(2)} %`;
}

/** A relative change (0.012 = +1.2 %), or a dash when unknown. */
export function fmtChange(fraction: number | undefined): string {
  return fraction === undefined ? '—' : fmtPct(fraction * 100);
}

/**
 * The interval funding is shown per: the engine's, 8 h, whatever interval each exchange settles
 * at (Hyperliquid's hourly rates are scaled to it), so figures of every page compare.
 */
export const FUNDING_UNIT = `/ ${FUNDING_REFERENCE_MS / 3_600_000}h`;

/**
 * Funding per 8 h as a percentage with four decimals and its interval, said to be unusual in words
 * when it is two standard deviations or more from its own recent mean: `0.0300 % / 8h (unusually high)`.
 */
export function fmtFunding(context: MarketContext): string {
  if (context.funding === undefined) return '—';
  const pct = context.funding * 100;
  const z = context.fundingZ;
  const unusual = z !== undefined && Number.isFinite(z) && Math.abs(z) >= 2 ? (z > 0 ? ' (unusually high)' : ' (unusually low)') : '';
  return `${pct >= 0 ? '' : '−'}${Math.abs(pct).toFixed(4)} % ${FUNDING_UNIT}${unusual}`;
}

/**
 * The trend's arrow with the move it is decided on and the window of that move:
 * `↓ down (−0.42 % / 1h)`. The percentage is the smoothed price's (see `MarketContext`), so its
 * sign always agrees with the arrow; a context without a window (none yet) shows no window.
 */
export function fmtTrend(context: MarketContext): string {
  const arrow = context.trend === 'up' ? '↑' : context.trend === 'down' ? '↓' : '→';
  const window = fmtSpan(context.trendWindowMs);
  return `${arrow} ${context.trend} (${fmtPct(context.trendChangePct)}${window ? ` / ${window}` : ''})`;
}

/** What the trend row's tooltip says: what the percentage measures and when the arrow is flat. */
export function trendTitle(context: MarketContext): string {
  const window = fmtSpan(context.trendWindowMs);
  const over = window ? ` over the last ${window}` : '';
  return `The smoothed price (an EMA of closes on a ${TREND_FACTOR}x timeframe) moved ${fmtPct(context.trendChangePct)}${over}; `
    + `under ${TREND_FLAT_ATR} ATR reads as flat. The last price's own change over that time can differ.`;
}

/**
 * A span of time as the lookback labels write it: `20m`, `1h`, `1.5h`, `12h`, `2d`; empty when
 * not positive.
 */
export function fmtSpan(ms: number): string {
  if (!(Number.isFinite(ms) && ms > 0)) return '';
  const minutes = ms / 60_000;
  if (minutes < 60) return `${Math.max(1, Math.round(minutes))}m`;
  const hours = minutes / 60;
  if (hours < 48) return `${trimZeros(hours.toFixed(1))}h`;
  return `${trimZeros((hours / 24).toFixed(1))}d`;
}

/**
 * The long/short account ratio with the share of accounts long: `1.22 · 55 % long`; says so when
 * the exchange gave none (the reliability reasons say what that costs the map).
 */
export function fmtAccountRatio(context: MarketContext): string {
  const ratio = context.longShortRatio;
  if (ratio === undefined || !(ratio > 0) || !Number.isFinite(ratio)) return 'not available';
  return `${ratio.toFixed(2)} · ${Math.round((100 * ratio) / (1 + ratio))} % long`;
}

/** Reliability 0..1 as words and a score out of 10. */
export function fmtReliability(context: MarketContext): string {
  const score = context.reliability.score;
  const word = score >= 0.75 ? 'good' : score >= 0.5 ? 'fair' : 'low';
  return `${word} ${(score * 10).toFixed(1)}/10`;
}

/**
 * One pool line: its centre (notional-weighted) and that price's distance from `price` in %, the USD of
 * positions that would be liquidated in it, and its strength:
 * `66,120 · +3.40 % · about $12M of shorts · strength 8/10`. The price and the percentage name
 * the same point, so a trader can check one against the other; the pool's range and its near
 * edge are in {@link poolRange}.
 */
export function poolLine(pool: Pool, price: number): string {
  return `${fmtPrice(pool.peakPrice)} · ${fmtPct(percentFrom(price, pool.peakPrice))} · about ${formatUsd(pool.notionalUsd)} of ${sideWord(pool.side)} · strength ${pool.strength}/10`;
}

/**
 * The pool's range and how far its near edge is, for a pool line's tooltip:
 * `Pool 65,900-66,400, centred at 66,120; its near edge is +3.10 % from the price`.
 */
export function poolRange(pool: Pool): string {
  return `Pool ${fmtPrice(pool.priceLow)}-${fmtPrice(pool.priceHigh)}, centred at ${fmtPrice(pool.peakPrice)}; its near edge is ${fmtPct(pool.distancePct)} from the price`;
}

/** Signed distance of `to` from `price` in % (0 when the price is unknown). */
function percentFrom(price: number, to: number): number {
  return price > 0 ? ((to - price) / price) * 100 : 0;
}

/** `longs` or `shorts`: the positions a pool or a level would liquidate. */
export function sideWord(side: 'long' | 'short'): string {
  return side === 'short' ? 'shorts' : 'longs';
}

/**
 * Pools split by side of the price, nearest first.
 * @example splitPools(view.pools, view.price, 3) // { above: [...], below: [...] }
 */
export function splitPools(pools: readonly Pool[], price: number, perSide: number): { above: Pool[]; below: Pool[] } {
  const above = pools.filter((p) => p.peakPrice > price || (p.peakPrice === price && p.side === 'short'));
  const below = pools.filter((p) => !above.includes(p));
  above.sort((a, b) => a.priceLow - b.priceLow);
  below.sort((a, b) => b.priceHigh - a.priceHigh);
  return { above: above.slice(0, perSide), below: below.slice(0, perSide) };
}

/**
 * `1,152` for 1152: a whole number with comma thousands separators, without `toLocaleString`,
 * whose first call on a page loads the browser's number-format data (about 45 ms in one task).
 */
export function groupThousands(whole: number): string {
  return formatPrice(whole, 0);
}
