import { liquidationPrice, marginModel, NO_LIQUIDATION_FACTOR } from './margin';
import { formatUsd } from './usd-format';
import { type PriceFormatter, priceFormatter } from './price-format';
import { usableAtr } from './stats';
import type { Finding, LiquidationMap, MarginMode, PlannedOrder, Pool, RiskAssessment, Severity, Side } from './types';

/** Pools of this strength or more are "strong": a level inside one is in danger. */
export const STRONG_STRENGTH = 7;
/** Volatility buffer beyond a pool's far edge for a suggested stop, in ATR. */
export const STOP_BUFFER_ATR = 0.25;
/** Notional used for the order's own liquidation price when the size is not given. */
export const DEFAULT_ORDER_NOTIONAL_USD = 10_000;
/** The largest cut of the suggested size factor: a level inside a strength-10 pool halves it. */
export const MAX_SIZE_CUT = 0.5;

export interface AssessRiskOptions {
  /**
   * How far from a pool (in ATR) a level still counts as "just short of it". One ATR is one
   * ordinary bar's range: a sweep heading into the pool covers that in a bar. Default 1.0.
   */
  readonly sensitivityAtr?: number;
}

/** Which way price has to move for a sweep to reach a level. */
type Sweep = 'down' | 'up';

interface Hit {
  readonly pool: Pool;
  /**
   * `inside` the pool; `before` it, on the side the sweep comes from; `past` its far edge by less
   * than the stop buffer, where a sweep that overshoots the pool still reaches.
   */
  readonly place: 'inside' | 'before' | 'past';
  readonly inside: boolean;
  /** Distance from the level to the pool's nearest edge in price units (0 inside). */
  readonly distance: number;
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, danger: 2 };

/**
 * Checks a planned order against the liquidation pools: where its entry, stop, own liquidation
 * price and take-profit sit relative to the pools a sweep could run through. Pure, never throws;
 * bad order input becomes an `invalid-order` finding.
 *
 * A long is hurt by a downward sweep through long-liquidation pools below it, a short by an
 * upward sweep through short-liquidation pools above it; a level is "just short" of a pool when
 * it sits within `sensitivityAtr` ATR of the pool's near edge on the side the sweep comes from.
 *
 * Severity rule (entry and stop): inside a pool of strength >= 7 → danger; inside a weaker one
 * or just short of a strong one → warning; just short of a weaker one → info. A stop (or the
 * liquidation price) less than the 0.25 ATR stop buffer past a pool's far edge counts as just
 * short of it: an overshooting sweep reaches it, and the suggested stop sits further out anyway.
 * The order's own liquidation price is one step stricter (inside any pool → danger, just short →
 * warning) unless a stop sits between entry and liquidation (then info: the stop triggers
 * first). Take-profit findings are info. `invalid-order` is a warning.
 *
 * Margin mode: the liquidation price is always the isolated one (a cross position draws on the
 * account's balance, which LiqLens never reads, and so liquidates further away: the isolated
 * price is the nearest it can be). Only with `marginMode: 'isolated'` is it worded as the
 * position's own; for cross or an unknown mode the words say it is the isolated figure
 * ("Estimated liquidation 61,562 (20x, if isolated; a cross position liquidates further away,
 * depending on the account's balance)", "at 20x isolated margin the position would be
 * liquidated before ..."), and for cross the liquidation finding is at most a warning.
 *
 * Size factor rule (entry-before-pool): `1 - 0.5 * strength / 10 * (1 - distance / window)`,
 * rounded to 0.01, where `window = sensitivityAtr * ATR` and distance is 0 inside the pool: a
 * strength-10 pool right at the entry halves the size, a pool at the window's edge leaves it whole.
 *
 * Suggested stop: beyond the pool's far edge by 0.25 ATR (past the next pool too when that one
 * starts within the buffer), rounded outward to the precision prices are shown with. When that
 * stop would lie past the order's own liquidation price there is no suggested stop: the finding
 * says the position would be liquidated first (at isolated margin, unless the mode is isolated), names the highest leverage at which the
 * liquidation price lies beyond it (`stopPastLiquidation`), and the usual ways out (lower
 * leverage, smaller size, reconsidering the entry).
 * @example
 * const risk = assessRisk({ side: 'long', entry: 64_800, stop: 63_950 }, map, pools);
 * risk.findings[0]?.message
 * // 'Stop 63,950 sits inside a long-liquidation pool (63,700-64,100, strength 8/10) holding an
 * //  estimated $8M; a sweep there would fill it. A stop beyond 63,550 clears it.'
 */
export function assessRisk(
  order: PlannedOrder,
  map: LiquidationMap,
  pools: readonly Pool[],
  options: AssessRiskOptions = {},
): RiskAssessment {
  const findings: Finding[] = [];
  const invalid = (message: string): void => {
    findings.push({ kind: 'invalid-order', severity: 'warning', message });
  };
  if (order === null || typeof order !== 'object') {
    invalid('No order to check');
    return { findings, severity: 'warning' };
  }
  if (!Array.isArray(pools)) pools = [];
  const side = order.side;
  if (side !== 'long' && side !== 'short') {
    invalid(`Order side must be 'long' or 'short', got ${String(side)}; nothing else was checked`);
    return { findings, severity: 'warning' };
  }
  const entry = order.entry;
  if (!isPositive(entry)) {
    invalid(`Entry price must be a positive number, got ${String(entry)}; nothing else was checked`);
    return { findings, severity: 'warning' };
  }
  const fmt = priceFormatter(entry);
  const isLong = side === 'long';

  let stop: number | undefined;
  if (order.stop !== undefined) {
    if (!isPositive(order.stop)) {
      invalid(`Stop must be a positive price, got ${String(order.stop)}; the stop was not checked`);
    } else if (isLong ? order.stop >= entry : order.stop <= entry) {
      invalid(
        `Stop ${fmt(order.stop)} is ${isLong ? 'at or above' : 'at or below'} the entry ${fmt(entry)} of a ${side}: it would trigger on entry; the stop was not checked`,
      );
    } else {
      stop = order.stop;
    }
  }
  let takeProfit: number | undefined;
  if (order.takeProfit !== undefined) {
    if (!isPositive(order.takeProfit)) {
      invalid(`Take-profit must be a positive price, got ${String(order.takeProfit)}; it was not checked`);
    } else if (isLong ? order.takeProfit <= entry : order.takeProfit >= entry) {
      invalid(
        `Take-profit ${fmt(order.takeProfit)} is ${isLong ? 'at or below' : 'at or above'} the entry ${fmt(entry)} of a ${side}; it was not checked`,
      );
    } else {
      takeProfit = order.takeProfit;
    }
  }
  let leverage: number | undefined;
  if (order.leverage !== undefined) {
    if (Number.isFinite(order.leverage) && order.leverage >= 1) leverage = order.leverage;
    else invalid(`Leverage must be a number of at least 1, got ${String(order.leverage)}; the liquidation price was not estimated`);
  }
  let marginMode: MarginMode | undefined;
  if (order.marginMode !== undefined) {
    if (order.marginMode === 'cross' || order.marginMode === 'isolated') marginMode = order.marginMode;
    else invalid(`Margin mode must be 'cross' or 'isolated', got ${String(order.marginMode)}; the liquidation price is worded as for an unknown mode`);
  }
  // The liquidation price below is the isolated one: the position's own only when the form says isolated.
  const isolated = marginMode === 'isolated';
  const crossNote = marginMode === 'cross'
    ? "a cross position liquidates further away, depending on the account's balance"
    : "the margin mode was not read, and a cross position liquidates further away, depending on the account's balance";
  /** The leverage a liquidation figure is for: `20x`, or `20x, if isolated; ...` when the mode is not isolated. */
  const liquidationBasis = (lev: number): string => (isolated ? formatLeverage(lev) : `${formatLeverage(lev)}, if isolated; ${crossNote}`);
  let notional = DEFAULT_ORDER_NOTIONAL_USD;
  if (order.sizeUsd !== undefined) {
    if (isPositive(order.sizeUsd)) notional = order.sizeUsd;
    else invalid(`Size must be a positive USD amount, got ${String(order.sizeUsd)}; $10,000 was assumed`);
  }

  const referencePrice = isPositive(map?.price) ? map.price : entry;
  const atr = usableAtr(map?.atr ?? Number.NaN, referencePrice);
  const sensitivity = options.sensitivityAtr !== undefined && Number.isFinite(options.sensitivityAtr) && options.sensitivityAtr >= 0
    ? options.sensitivityAtr
    : 1;
  const window = sensitivity * atr;
  const buffer = STOP_BUFFER_ATR * atr;
  // A sweep against the position runs through pools of the position's own side.
  const adverse: Sweep = isLong ? 'down' : 'up';
  const favourable: Sweep = isLong ? 'up' : 'down';
  const atrText = (distance: number): string => (atr > 0 ? `${(distance / atr).toFixed(1)} ATR` : fmt(distance));

  /** The order's estimated liquidation price at `lev`: undefined for none (about 1x) or unknown. */
  const liquidationAt = (lev: number): number | undefined => {
    try {
      const exchange = order.exchange ?? 'binance';
      const symbol = typeof order.symbol === 'string' ? order.symbol.trim() : '';
      // Without a symbol the exchange's default table stands in (its tiers for an unlisted asset).
      const value = liquidationPrice(
        { exchange, symbol, side, entryPrice: entry, leverage: lev, notionalUsd: notional },
        symbol === '' ? marginModel(exchange).defaultTiers : undefined,
      );
      // About 1x long has no liquidation price; the formula marks that with a tiny factor.
      const none = value <= entry * NO_LIQUIDATION_FACTOR * 2;
      return isPositive(value) && !none && (isLong ? value < entry : value > entry) ? value : undefined;
    } catch {
      // An unknown symbol or tier table leaves the liquidation price out; the rest still holds.
      return undefined;
    }
  };
  const liquidation = leverage !== undefined ? liquidationAt(leverage) : undefined;

  // entry-before-pool
  const entryHit = worstHit(entry, adverse, pools, window);
  if (entryHit) {
    const { pool, inside, distance } = entryHit;
    const closeness = window > 0 ? 1 - Math.min(1, distance / window) : inside ? 1 : 0;
    const factor = round2(Math.max(1 - MAX_SIZE_CUT, 1 - MAX_SIZE_CUT * (pool.strength / 10) * closeness));
    const where = inside
      ? `sits inside ${describe(pool, fmt)}`
      : `sits ${atrText(distance)} ${isLong ? 'above' : 'below'} ${describe(pool, fmt)}`;
    findings.push({
      kind: 'entry-before-pool',
      severity: levelSeverity(entryHit),
      message: `Entry ${fmt(entry)} ${where}; a sweep through it would move against the position. Size factor ${factor.toFixed(2)} (a closer or stronger pool lowers it; 1.00 = unchanged).`,
      pool,
      suggestedSizeFactor: factor,
    });
  }

  // stop-in-hunt-zone
  if (stop !== undefined) {
    const hit = worstHit(stop, adverse, pools, window, buffer);
    if (hit) {
      const { pool, place, distance } = hit;
      const where = place === 'inside'
        ? `sits inside ${describe(pool, fmt)}; a sweep there would fill it.`
        : place === 'past'
          ? `sits ${atrText(distance)} past the far edge of ${describe(pool, fmt)}; a sweep that overshoots the pool would reach it.`
          : `sits ${atrText(distance)} ${isLong ? 'above' : 'below'} ${describe(pool, fmt)}; a sweep into the pool would reach it.`;
      const beyond = stopBeyond(pool, adverse, pools, buffer, fmt);
      let clears = '';
      let suggestedStop: number | undefined;
      let pastLiquidation: Finding['stopPastLiquidation'];
      if (beyond && liquidation !== undefined && (isLong ? beyond.price <= liquidation : beyond.price >= liquidation)) {
        // No stop clears the pool at this leverage: the position is liquidated first. No stop to
        // use then; what changes the picture is the leverage, the size or the entry.
        const leverageBelow = highestLeverageBeyond(leverage!, beyond.price, isLong, liquidationAt);
        pastLiquidation = { stop: beyond.price, liquidation, ...(leverageBelow !== undefined ? { leverageBelow } : {}) };
        const lower = leverageBelow !== undefined
          ? `a lower leverage (at ${formatLeverage(leverageBelow)} or less the estimated ${isolated ? '' : 'isolated '}liquidation price lies beyond ${fmt(beyond.price)})`
          : 'a lower leverage';
        // The stop as placed may already lie past the liquidation price: it would never trigger.
        const pastItself = isLong ? stop <= liquidation : stop >= liquidation;
        // Said of the isolated case unless the form says isolated: a cross position liquidates further away.
        const past = isolated
          ? ` A stop clear of the pool would sit beyond ${fmt(beyond.price)}, past the estimated liquidation price ${fmt(liquidation)} at ${formatLeverage(leverage!)}: the position would be liquidated before such a stop could trigger.`
            + (pastItself ? ` The stop ${fmt(stop)} itself lies past that price and would not trigger either.` : '')
          : ` A stop clear of the pool would sit beyond ${fmt(beyond.price)}, past the estimated liquidation price ${fmt(liquidation)} (${liquidationBasis(leverage!)}): at ${formatLeverage(leverage!)} isolated margin the position would be liquidated before such a stop could trigger.`
            + (pastItself ? ` The stop ${fmt(stop)} itself lies past that price: at isolated margin it would not trigger either.` : '');
        clears = `${past} The usual ways out of this are ${lower}, a smaller size, or reconsidering the entry.`;
      } else if (beyond) {
        suggestedStop = beyond.price;
        clears = beyond.alsoClears
          ? ` A stop beyond ${fmt(beyond.price)} clears it and the pool right behind it (${range(beyond.alsoClears, fmt)}).`
          : ` A stop beyond ${fmt(beyond.price)} clears it.`;
      }
      const finding: Finding = {
        kind: 'stop-in-hunt-zone',
        severity: levelSeverity(hit),
        message: `Stop ${fmt(stop)} ${where}${clears}`,
        pool,
        ...(suggestedStop !== undefined ? { suggestedStop } : {}),
        ...(pastLiquidation ? { stopPastLiquidation: pastLiquidation } : {}),
      };
      findings.push(finding);
    }
  }

  // liquidation-in-pool
  if (liquidation !== undefined) {
    const hit = worstHit(liquidation, adverse, pools, window, buffer);
    if (hit) {
      const { pool, place, distance } = hit;
      const stopFirst = stop !== undefined && (isLong ? stop > liquidation : stop < liquidation);
      let severity: Severity = stopFirst ? 'info' : place === 'inside' ? 'danger' : 'warning';
      // A cross position liquidates further out than this isolated figure, by how much depends on a
      // balance LiqLens never reads: the nearest case is worth a warning, not a danger.
      if (marginMode === 'cross' && severity === 'danger') severity = 'warning';
      const where = place === 'inside'
        ? `sits inside ${describe(pool, fmt)}; ${isolated ? 'a sweep there would liquidate the position along with the pool.' : 'a sweep there would reach it.'}`
        : place === 'past'
          ? `sits ${atrText(distance)} past the far edge of ${describe(pool, fmt)}; a sweep that overshoots the pool would reach it.`
          : `sits ${atrText(distance)} ${isLong ? 'above' : 'below'} ${describe(pool, fmt)}; a sweep into the pool would pass through it.`;
      const protectedBy = stopFirst ? ` The stop at ${fmt(stop!)} triggers first unless it slips.` : '';
      findings.push({
        kind: 'liquidation-in-pool',
        severity,
        message: `Estimated liquidation ${fmt(liquidation)} (${liquidationBasis(leverage!)}) ${where}${protectedBy}`,
        pool,
      });
    }
  }

  // take-profit-before-pool
  if (takeProfit !== undefined) {
    const hit = worstHit(takeProfit, favourable, pools, window);
    if (hit) {
      const { pool, inside, distance } = hit;
      const where = inside
        ? `sits inside ${describe(pool, fmt)}; a sweep there would fill it.`
        : `sits ${atrText(distance)} ${isLong ? 'below' : 'above'} ${describe(pool, fmt)}; a sweep into the pool would carry price through it.`;
      findings.push({
        kind: 'take-profit-before-pool',
        severity: 'info',
        message: `Take-profit ${fmt(takeProfit)} ${where}`,
        pool,
      });
    }
  }

  let severity: Severity = 'info';
  for (const finding of findings) {
    if (SEVERITY_RANK[finding.severity] > SEVERITY_RANK[severity]) severity = finding.severity;
  }
  return liquidation !== undefined ? { findings, liquidationPrice: liquidation, severity } : { findings, severity };
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function usablePool(pool: Pool): boolean {
  return Number.isFinite(pool.priceLow) && Number.isFinite(pool.priceHigh) && pool.priceLow <= pool.priceHigh
    && Number.isFinite(pool.strength);
}

/**
 * The pool a sweep in `sweep` direction would hit `level` with, worst first: inside beats just
 * short (before the pool within `window`, or past its far edge within `overshoot`), then higher
 * strength, then nearer. Down sweeps run through long pools, up sweeps through short pools.
 */
function worstHit(level: number, sweep: Sweep, pools: readonly Pool[], window: number, overshoot = 0): Hit | undefined {
  const side: Side = sweep === 'down' ? 'long' : 'short';
  let best: Hit | undefined;
  for (const pool of pools) {
    if (pool.side !== side || !usablePool(pool)) continue;
    let hit: Hit | undefined;
    if (level >= pool.priceLow && level <= pool.priceHigh) {
      hit = { pool, place: 'inside', inside: true, distance: 0 };
    } else {
      const before = sweep === 'down' ? level - pool.priceHigh : pool.priceLow - level;
      const past = sweep === 'down' ? pool.priceLow - level : level - pool.priceHigh;
      if (before > 0 && before <= window) hit = { pool, place: 'before', inside: false, distance: before };
      else if (past > 0 && past < overshoot) hit = { pool, place: 'past', inside: false, distance: past };
    }
    if (hit && (!best || worse(hit, best))) best = hit;
  }
  return best;
}

function worse(a: Hit, b: Hit): boolean {
  if (a.inside !== b.inside) return a.inside;
  if (a.pool.strength !== b.pool.strength) return a.pool.strength > b.pool.strength;
  return a.distance < b.distance;
}

function levelSeverity(hit: Hit): Severity {
  const strong = hit.pool.strength >= STRONG_STRENGTH;
  if (hit.inside) return strong ? 'danger' : 'warning';
  return strong ? 'warning' : 'info';
}

/**
 * Price beyond the pool's far edge plus the buffer. When that lands inside (or within the buffer
 * of) another pool of the same side, it moves past that one too, once: a stop parked at the
 * start of the next pool would be in the next hunt zone.
 */
function stopBeyond(
  pool: Pool,
  sweep: Sweep,
  pools: readonly Pool[],
  buffer: number,
  fmt: PriceFormatter,
): { price: number; alsoClears?: Pool } | undefined {
  const down = sweep === 'down';
  let price = down ? pool.priceLow - buffer : pool.priceHigh + buffer;
  let alsoClears: Pool | undefined;
  for (const other of pools) {
    if (other === pool || other.side !== pool.side || !usablePool(other)) continue;
    const reached = down
      ? price <= other.priceHigh + buffer && price >= other.priceLow
      : price >= other.priceLow - buffer && price <= other.priceHigh;
    if (reached) {
      price = down ? other.priceLow - buffer : other.priceHigh + buffer;
      alsoClears = other;
      break;
    }
  }
  price = fmt.round(price, down ? 'down' : 'up');
  if (!isPositive(price)) return undefined;
  return alsoClears ? { price, alsoClears } : { price };
}

function range(pool: Pool, fmt: PriceFormatter): string {
  return `${fmt(pool.priceLow)}-${fmt(pool.priceHigh)}`;
}

/**
 * The pool in words: side, range, relative strength and its estimated USD, which the engine keeps
 * on the scale of realized liquidations (config levelShare, docs/calibration.md).
 */
function describe(pool: Pool, fmt: PriceFormatter): string {
  const usd = Number.isFinite(pool.notionalUsd) && pool.notionalUsd > 0 ? ` holding an estimated ${formatUsd(pool.notionalUsd)}` : '';
  return `a ${pool.side}-liquidation pool (${range(pool, fmt)}, strength ${pool.strength}/10)${usd}`;
}

/**
 * The highest whole leverage below `leverage` at which the liquidation price lies beyond `stop`
 * (or there is none), or undefined when not even 1x does. At most one formula call per step.
 */
function highestLeverageBeyond(leverage: number, stop: number, isLong: boolean, liquidationAt: (lev: number) => number | undefined): number | undefined {
  const start = Number.isInteger(leverage) ? leverage - 1 : Math.floor(leverage);
  for (let lev = Math.min(start, 200); lev >= 1; lev--) {
    const value = liquidationAt(lev);
    if (value === undefined || (isLong ? value < stop : value > stop)) return lev;
  }
  return undefined;
}

function formatLeverage(leverage: number): string {
  return `${Number.isInteger(leverage) ? leverage : leverage.toFixed(1)}x`;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
