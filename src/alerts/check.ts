/**
 * When to alert: price within the user's warning distance (in ATR) of a strong estimated pool of a
 * watched market, once per pool per cooldown. Pure, so the rule is tested without a browser; the
 * background feeds it estimates and keeps the cooldowns it returns.
 */
import type { Pool } from '../engine/types';
import { EXCHANGES, type MarketRef, MAX_SYMBOL_LENGTH, SYMBOL_PATTERN } from '../messaging/contract';
import { fmtPrice } from '../ui/format';

/** Pools this strong (1..10, relative to the map's strongest) or stronger alert. */
export const STRONG_POOL_STRENGTH = 7;
/** A pool that alerted stays quiet this long. */
export const ALERT_COOLDOWN_MS = 4 * 3_600_000;
/**
 * Estimates drift between checks, so a pool is "the same pool" when it is on the same side of the
 * same market and its peak moved less than this share of price.
 */
export const SAME_POOL_TOLERANCE = 0.005;
/** Most cooldowns kept (oldest dropped first). */
export const MAX_COOLDOWNS = 200;

/** A pool that alerted, and when. */
export interface Cooldown extends MarketRef {
  readonly side: Pool['side'];
  readonly peakPrice: number;
  /** When it alerted, ms since epoch. */
  readonly at: number;
}

const ALERT_ID_PREFIX = 'liqlens';

/**
 * The market an alert id names (ids outlive the service worker that made them), or undefined.
 * @example alertMarket('liqlens|okx|BTC-USDT-SWAP|short|64400.0') // { exchange: 'okx', symbol: 'BTC-USDT-SWAP' }
 */
export function alertMarket(id: string): MarketRef | undefined {
  const [prefix, exchangeId, symbol] = id.split('|');
  const exchange = EXCHANGES.find((e) => e === exchangeId);
  if (prefix !== ALERT_ID_PREFIX || !exchange || !symbol || symbol.length > MAX_SYMBOL_LENGTH || !SYMBOL_PATTERN.test(symbol)) return undefined;
  return { exchange, symbol };
}

export interface Alert {
  /** Stable id of the alert (also the notification's id). */
  readonly id: string;
  readonly market: MarketRef;
  readonly pool: Pool;
  readonly title: string;
  readonly message: string;
}

export interface CheckInput {
  readonly market: MarketRef;
  readonly price: number;
  readonly pools: readonly Pool[];
  /** The user's warning distance, in ATR. */
  readonly warningAtr: number;
  readonly cooldowns: readonly Cooldown[];
  readonly now: number;
  readonly cooldownMs?: number;
  readonly minStrength?: number;
}

export interface CheckResult {
  readonly alerts: readonly Alert[];
  /** The cooldowns to keep: still running ones plus the new alerts'. */
  readonly cooldowns: readonly Cooldown[];
}

/**
 * The alerts one estimate of a watched market raises, and the cooldowns to keep.
 * @example
 * const { alerts, cooldowns } = checkAlerts({ market, price: 64_000, pools, warningAtr: 1, cooldowns: [], now: Date.now() });
 */
export function checkAlerts(input: CheckInput): CheckResult {
  const cooldownMs = input.cooldownMs ?? ALERT_COOLDOWN_MS;
  const minStrength = input.minStrength ?? STRONG_POOL_STRENGTH;
  const running = input.cooldowns.filter((c) => input.now - c.at >= 0 && input.now - c.at < cooldownMs);
  const alerts: Alert[] = [];
  const added: Cooldown[] = [];
  // Nearest first, so the closest pool of a side is the one that alerts.
  const candidates = input.pools
    .filter((pool) => pool.strength >= minStrength && Number.isFinite(pool.distanceAtr) && Math.abs(pool.distanceAtr) <= input.warningAtr)
    .sort((a, b) => Math.abs(a.distanceAtr) - Math.abs(b.distanceAtr));
  for (const pool of candidates) {
    if ([...running, ...added].some((c) => samePool(c, input.market, pool))) continue;
    added.push({ exchange: input.market.exchange, symbol: input.market.symbol, side: pool.side, peakPrice: pool.peakPrice, at: input.now });
    alerts.push(describeAlert(input.market, input.price, pool));
  }
  const cooldowns = [...running, ...added].slice(-MAX_COOLDOWNS);
  return { alerts, cooldowns };
}

function samePool(cooldown: Cooldown, market: MarketRef, pool: Pool): boolean {
  return (
    cooldown.exchange === market.exchange &&
    cooldown.symbol === market.symbol &&
    cooldown.side === pool.side &&
    Math.abs(pool.peakPrice / cooldown.peakPrice - 1) < SAME_POOL_TOLERANCE
  );
}

const EXCHANGE_NAMES: Readonly<Record<MarketRef['exchange'], string>> = {
  binance: 'Binance',
  bybit: 'Bybit',
  okx: 'OKX',
  bitget: 'Bitget',
  hyperliquid: 'Hyperliquid',
};

/**
 * The notification: the distance and the point it is measured to are the same (the pool's near
 * edge, as `Pool.distancePct`/`distanceAtr` are), and the centre is named as the centre:
 * `Price 63,300 is 0.08 % (0.5 ATR) from the edge of the pool at 62,671-63,252 (centred near
 * 62,985, strength 10/10).` Prices as the panel writes them ({@link fmtPrice}).
 */
function describeAlert(market: MarketRef, price: number, pool: Pool): Alert {
  const who = pool.side === 'short' ? 'short' : 'long';
  const range = `${fmtPrice(pool.priceLow)}-${fmtPrice(pool.priceHigh)}`;
  // The pools' distances are 0 exactly when the price is inside (the edge is the price itself).
  const where = pool.distancePct === 0
    ? `inside the pool at ${range}`
    : `${Math.abs(pool.distancePct).toFixed(2)} % (${Math.abs(pool.distanceAtr).toFixed(1)} ATR) from the edge of the pool at ${range}`;
  return {
    id: [ALERT_ID_PREFIX, market.exchange, market.symbol, pool.side, pool.peakPrice.toPrecision(6)].join('|'),
    market,
    pool,
    title: `${market.symbol} · ${EXCHANGE_NAMES[market.exchange]}: near an estimated ${who}-liquidation pool`,
    message: `Price ${fmtPrice(price)} is ${where} (centred near ${fmtPrice(pool.peakPrice)}, strength ${pool.strength}/10). An estimate from public data, not a signal.`,
  };
}

/** Reads stored cooldowns; malformed entries are dropped (they only cost one repeated alert). */
export function readCooldowns(value: unknown): Cooldown[] {
  if (!Array.isArray(value)) return [];
  const out: Cooldown[] = [];
  for (const entry of value) {
    if (typeof entry !== 'object' || entry === null) continue;
    const c = entry as Record<string, unknown>;
    const exchange = EXCHANGES.find((id) => id === c['exchange']);
    if (
      exchange !== undefined &&
      typeof c['symbol'] === 'string' &&
      (c['side'] === 'long' || c['side'] === 'short') &&
      typeof c['peakPrice'] === 'number' &&
      c['peakPrice'] > 0 &&
      typeof c['at'] === 'number' &&
      Number.isFinite(c['at'])
    ) {
      out.push({ exchange, symbol: c['symbol'], side: c['side'], peakPrice: c['peakPrice'], at: c['at'] });
    }
  }
  return out.slice(-MAX_COOLDOWNS);
}
