/**
 * Liquidation prices of isolated-margin positions on linear (USDT/USDC) perpetuals.
 *
 * Every exchange's formula is scale-free in price: the liquidation price is the entry price
 * times a factor that depends only on side, leverage, notional and the margin table. The
 * estimator therefore asks for {@link liquidationFactor} (no allocation once an exchange/symbol
 * pair has been seen); {@link liquidationPrice} multiplies it by the entry.
 *
 * Rules shared by every function here:
 * - the margin tier is the row of the table holding the notional (row caps inclusive; notionals
 *   above the last cap use the last row);
 * - leverage above the maximum that tier allows is clamped to that maximum: such a position
 *   cannot be opened, the nearest one that can is the max-leverage one;
 * - where an exchange values maintenance margin at the mark price (Binance, OKX, Bitget,
 *   Hyperliquid), the tier is re-selected at the liquidation price's notional, as Binance's FAQ
 *   prescribes; Bybit's documented formula takes it at the entry notional;
 * - a long whose formula gives no positive price (about 1x, where no price makes the margin run
 *   out) gets `entry * NO_LIQUIDATION_FACTOR`, a tiny positive price, so logs stay finite;
 * - non-finite input, a non-positive entry or notional, leverage below 1, an unknown side or
 *   exchange, and a malformed tier table throw a `RangeError`.
 */
import type { ExchangeId, LiquidationLevelInput, Side } from '../types';
import { tierIndex, validateTiers, type LiquidationFormula, type MarginModel, type MarginTier } from './schedule';
import { marginModel, tiersFor } from './tiers';

/**
 * Factor returned for a long that no positive price liquidates (Number.EPSILON, ≈ 2.2e-16).
 * Callers can compare against it to show "no liquidation".
 */
export const NO_LIQUIDATION_FACTOR = Number.EPSILON;

interface Resolved {
  readonly model: MarginModel;
  readonly tiers: readonly MarginTier[];
}

/** Shipped tables resolved per exchange, then per symbol exactly as given (no string building on a hit). */
const resolvedByExchange = new Map<ExchangeId, Map<string, Resolved>>();
let lastExchange: ExchangeId | undefined;
let lastSymbol: string | undefined;
let lastResolved: Resolved | undefined;

function resolveShipped(exchange: ExchangeId, symbol: string): Resolved {
  if (exchange === lastExchange && symbol === lastSymbol && lastResolved) return lastResolved;
  let bySymbol = resolvedByExchange.get(exchange);
  if (!bySymbol) {
    marginModel(exchange); // throws for an unknown exchange before anything is cached
    bySymbol = new Map();
    resolvedByExchange.set(exchange, bySymbol);
  }
  let resolved = bySymbol.get(symbol);
  if (!resolved) {
    resolved = { model: marginModel(exchange), tiers: tiersFor(exchange, symbol) };
    bySymbol.set(symbol, resolved);
  }
  lastExchange = exchange;
  lastSymbol = symbol;
  lastResolved = resolved;
  return resolved;
}

function tableOf(exchange: ExchangeId, symbol: string, tiers: readonly MarginTier[] | undefined): readonly MarginTier[] {
  if (tiers === undefined) return resolveShipped(exchange, symbol).tiers;
  validateTiers(tiers);
  marginModel(exchange); // still rejects an unknown exchange
  return tiers;
}

function sideSign(side: Side): 1 | -1 {
  if (side === 'long') return 1;
  if (side === 'short') return -1;
  throw new RangeError(`side must be 'long' or 'short', got '${String(side)}'`);
}

function checkNotional(notionalUsd: number): void {
  if (!(Number.isFinite(notionalUsd) && notionalUsd > 0)) {
    throw new RangeError(`notionalUsd must be a finite number > 0, got ${notionalUsd}`);
  }
}

function checkLeverage(leverage: number): void {
  if (!(Number.isFinite(leverage) && leverage >= 1)) {
    throw new RangeError(`leverage must be a finite number >= 1, got ${leverage}`);
  }
}

/**
 * Root of "margin + PnL = maintenance margin at the liquidation notional" across tiers: start in
 * the entry tier and move one tier at a time towards the liquidation notional until the result
 * lies in the tier that produced it. Where the maintenance margin jumps at a bound (tables
 * without maintenance amounts, as OKX's), the price at the bound itself is the answer.
 */
function solveAtLiquidation(
  formula: LiquidationFormula,
  tiers: readonly MarginTier[],
  start: number,
  sign: 1 | -1,
  leverage: number,
  notionalUsd: number,
): number {
  const last = tiers.length - 1;
  let k = start;
  let factor = formula(sign, leverage, notionalUsd, tiers[k]!);
  for (;;) {
    const liquidationNotional = notionalUsd * factor;
    if (sign > 0) {
      if (k === 0) return factor;
      const floor = tiers[k - 1]!.maxNotionalUsd;
      if (liquidationNotional > floor) return factor;
      const lower = formula(sign, leverage, notionalUsd, tiers[k - 1]!);
      if (notionalUsd * lower > floor) return floor / notionalUsd;
      k--;
      factor = lower;
    } else {
      if (k === last) return factor;
      const cap = tiers[k]!.maxNotionalUsd;
      if (liquidationNotional <= cap) return factor;
      const upper = formula(sign, leverage, notionalUsd, tiers[k + 1]!);
      if (notionalUsd * upper <= cap) return cap / notionalUsd;
      k++;
      factor = upper;
    }
  }
}

function factorOf(model: MarginModel, tiers: readonly MarginTier[], sign: 1 | -1, leverage: number, notionalUsd: number): number {
  const start = tierIndex(tiers, notionalUsd);
  const entryTier = tiers[start]!;
  const clamped = leverage > entryTier.maxLeverage ? entryTier.maxLeverage : leverage;
  const factor = model.basis === 'entry'
    ? model.formula(sign, clamped, notionalUsd, entryTier)
    : solveAtLiquidation(model.formula, tiers, start, sign, clamped, notionalUsd);
  return sign > 0 && !(factor > 0) ? NO_LIQUIDATION_FACTOR : factor;
}

/**
 * Liquidation price divided by entry price for an isolated position of `notionalUsd` at
 * `leverage`: below 1 (and > 0) for a long, above 1 for a short. This is the estimator's hot
 * path: after the first call for an exchange/symbol pair it allocates nothing. `tiers` replaces
 * the shipped table (e.g. live Bybit or OKX tiers); a table passes validation once and is then
 * remembered.
 * @example liquidationFactor('binance', 'BTCUSDT', 'long', 10, 67_000) // ≈ 0.903614 (0.9 / 0.996)
 * @example liquidationFactor('bybit', 'BTCUSDT', 'short', 50, 20_000) // 1.015
 */
export function liquidationFactor(
  exchange: ExchangeId,
  symbol: string,
  side: Side,
  leverage: number,
  notionalUsd: number,
  tiers?: readonly MarginTier[],
): number {
  const sign = sideSign(side);
  checkLeverage(leverage);
  checkNotional(notionalUsd);
  if (tiers === undefined) {
    const resolved = resolveShipped(exchange, symbol);
    return factorOf(resolved.model, resolved.tiers, sign, leverage, notionalUsd);
  }
  validateTiers(tiers);
  return factorOf(marginModel(exchange), tiers, sign, leverage, notionalUsd);
}

/**
 * Estimated liquidation price of an isolated position, by the exchange's documented formula and
 * its shipped margin table (or `tiers`, e.g. live tiers from the data layer). Fees are not
 * included. See the module notes for tier selection and the leverage clamp.
 * @example liquidationPrice({ exchange: 'binance', symbol: 'BTCUSDT', side: 'long', entryPrice: 67_000, leverage: 10, notionalUsd: 67_000 }) // ≈ 60,542.17
 */
export function liquidationPrice(input: LiquidationLevelInput, tiers?: readonly MarginTier[]): number {
  if (input === null || typeof input !== 'object') throw new RangeError('liquidationPrice needs a LiquidationLevelInput object');
  const { exchange, symbol, side, entryPrice, leverage, notionalUsd } = input;
  if (!(Number.isFinite(entryPrice) && entryPrice > 0)) {
    throw new RangeError(`entryPrice must be a finite number > 0, got ${entryPrice}`);
  }
  return entryPrice * liquidationFactor(exchange, symbol, side, leverage, notionalUsd, tiers);
}

/**
 * The margin tier (maintenance rate, maintenance amount, max leverage) a position of
 * `notionalUsd` falls in on `exchange` for `symbol`, from the shipped table or `tiers`.
 * @example maintenanceTier('binance', 'BTCUSDT', 500_000) // { maxNotionalUsd: 800000, maxLeverage: 100, maintenanceRate: 0.005, maintenanceAmountUsd: 300 }
 */
export function maintenanceTier(
  exchange: ExchangeId,
  symbol: string,
  notionalUsd: number,
  tiers?: readonly MarginTier[],
): MarginTier {
  checkNotional(notionalUsd);
  const table = tableOf(exchange, symbol, tiers);
  return table[tierIndex(table, notionalUsd)]!;
}

/**
 * Highest leverage the exchange allows for a position of `notionalUsd` (the leverage that
 * {@link liquidationFactor} clamps to).
 * @example maxLeverage('hyperliquid', 'BTC', 10_000) // 40
 */
export function maxLeverage(
  exchange: ExchangeId,
  symbol: string,
  notionalUsd: number,
  tiers?: readonly MarginTier[],
): number {
  return maintenanceTier(exchange, symbol, notionalUsd, tiers).maxLeverage;
}
