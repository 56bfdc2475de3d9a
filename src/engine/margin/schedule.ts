/**
 * Margin-tier schedules: the shape every exchange table shares, how the maintenance amount
 * (Binance's "cum", Bybit's "mm deduction", Hyperliquid's "maintenance deduction") follows from
 * the table, and the checks a table must pass before a formula may use it.
 */
import type { ExchangeId } from '../types';

/**
 * One row of a maintenance-margin table. The row covers notionals above the previous row's
 * `maxNotionalUsd` (0 for the first row) up to and including its own `maxNotionalUsd`.
 */
export interface MarginTier {
  /** Upper bound of the row's position notional in USD (inclusive); `Infinity` for an open last row. */
  readonly maxNotionalUsd: number;
  /** Highest leverage the exchange allows for a position in this row. */
  readonly maxLeverage: number;
  /** Maintenance margin rate as a fraction (0.004 = 0.40 %). */
  readonly maintenanceRate: number;
  /**
   * Maintenance amount in USD subtracted from notional x rate, so maintenance margin is
   * `notional * maintenanceRate - maintenanceAmountUsd` (Binance "cum", Bybit "mm deduction").
   */
  readonly maintenanceAmountUsd: number;
}

/** A published table row before its maintenance amount is derived. */
export interface TierRow {
  readonly maxNotionalUsd: number;
  readonly maxLeverage: number;
  readonly maintenanceRate: number;
}

/**
 * Whether an exchange's maintenance margin is evaluated at the liquidation price (mark-price
 * notional, the case for Binance, OKX, Bitget and Hyperliquid) or at the entry notional (the
 * formula Bybit documents for USDT contracts).
 */
export type MaintenanceBasis = 'liquidation' | 'entry';

/**
 * An exchange's documented isolated-margin formula for one table row, as a factor of the entry
 * price: `liquidation price = entry * factor`. `sign` is +1 for a long and -1 for a short.
 */
export type LiquidationFormula = (sign: 1 | -1, leverage: number, notionalUsd: number, tier: MarginTier) => number;

/** Everything the engine knows about one exchange's isolated margin. */
export interface MarginModel {
  readonly exchange: ExchangeId;
  readonly basis: MaintenanceBasis;
  readonly formula: LiquidationFormula;
  /** Shipped tables keyed by upper-case base asset (`BTC`, `1000PEPE`, `KPEPE`). */
  readonly tables: ReadonlyMap<string, readonly MarginTier[]>;
  /** Table used for any base asset without a shipped table. */
  readonly defaultTiers: readonly MarginTier[];
  /** Optional second key to try, e.g. Hyperliquid lists Binance's `1000PEPE` as `kPEPE`. */
  readonly alias?: (base: string) => string | undefined;
}

/** Maintenance amounts are rounded to 1e-6 USD so binary noise (300.00000000000006) disappears. */
function roundAmount(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * Builds a frozen table from published rows, deriving each maintenance amount by the cumulative
 * rule every tiered exchange documents:
 * `amount_0 = 0`, `amount_n = amount_(n-1) + floor_n * (rate_n - rate_(n-1))` with `floor_n` the
 * previous row's cap. This keeps maintenance margin continuous in notional. With
 * `cumulative: false` the amounts stay 0 (the row's rate applies to the whole position, as in
 * OKX's position tiers).
 * @example buildTiers([{ maxNotionalUsd: 300_000, maxLeverage: 125, maintenanceRate: 0.004 },
 *   { maxNotionalUsd: 800_000, maxLeverage: 100, maintenanceRate: 0.005 }])[1].maintenanceAmountUsd // 300
 */
export function buildTiers(rows: readonly TierRow[], options: { readonly cumulative?: boolean } = {}): readonly MarginTier[] {
  const cumulative = options.cumulative ?? true;
  const tiers: MarginTier[] = [];
  let amount = 0;
  let previousCap = 0;
  let previousRate = 0;
  for (const [i, row] of rows.entries()) {
    if (cumulative && i > 0) amount = roundAmount(amount + previousCap * (row.maintenanceRate - previousRate));
    tiers.push(Object.freeze({
      maxNotionalUsd: row.maxNotionalUsd,
      maxLeverage: row.maxLeverage,
      maintenanceRate: row.maintenanceRate,
      maintenanceAmountUsd: amount,
    }));
    previousCap = row.maxNotionalUsd;
    previousRate = row.maintenanceRate;
  }
  validateTiers(tiers);
  return Object.freeze(tiers);
}

const validated = new WeakSet<readonly MarginTier[]>();

/**
 * Checks a table and throws a `RangeError` naming the first bad row: at least one row; caps
 * positive and strictly ascending (only the last may be `Infinity`); leverage >= 1 and not
 * rising; rates in (0, 1) and not falling; amounts finite and >= 0; and every row's rate below
 * its initial margin rate (`maintenanceRate * maxLeverage < 1`), without which a position could
 * be liquidated the moment it opens. A table that passed once is remembered and not re-checked.
 * @example validateTiers(tiersFor('binance', 'BTCUSDT')) // passes silently
 */
export function validateTiers(tiers: readonly MarginTier[]): void {
  if (validated.has(tiers)) return;
  if (!Array.isArray(tiers) || tiers.length === 0) throw new RangeError('margin tiers: at least one tier is needed');
  let previous: MarginTier | undefined;
  for (const [i, tier] of tiers.entries()) {
    const where = `margin tiers[${i}]`;
    const cap = tier.maxNotionalUsd;
    if (!(cap > 0) || Number.isNaN(cap) || (cap === Infinity && i !== tiers.length - 1)) {
      throw new RangeError(`${where}.maxNotionalUsd must be > 0 and finite (Infinity only in the last tier), got ${cap}`);
    }
    if (!(tier.maxLeverage >= 1 && Number.isFinite(tier.maxLeverage))) {
      throw new RangeError(`${where}.maxLeverage must be a finite number >= 1, got ${tier.maxLeverage}`);
    }
    if (!(tier.maintenanceRate > 0 && tier.maintenanceRate < 1)) {
      throw new RangeError(`${where}.maintenanceRate must be in (0, 1), got ${tier.maintenanceRate}`);
    }
    if (!(tier.maintenanceAmountUsd >= 0 && Number.isFinite(tier.maintenanceAmountUsd))) {
      throw new RangeError(`${where}.maintenanceAmountUsd must be a finite number >= 0, got ${tier.maintenanceAmountUsd}`);
    }
    if (!(tier.maintenanceRate * tier.maxLeverage < 1)) {
      throw new RangeError(
        `${where}: maintenance rate ${tier.maintenanceRate} is not below the initial margin rate 1/${tier.maxLeverage}`,
      );
    }
    if (previous) {
      if (!(cap > previous.maxNotionalUsd)) throw new RangeError(`${where}.maxNotionalUsd must exceed the previous tier's`);
      if (tier.maxLeverage > previous.maxLeverage) throw new RangeError(`${where}.maxLeverage must not exceed the previous tier's`);
      if (tier.maintenanceRate < previous.maintenanceRate) {
        throw new RangeError(`${where}.maintenanceRate must not be below the previous tier's`);
      }
    }
    previous = tier;
  }
  validated.add(tiers);
}

/**
 * Index of the row holding `notionalUsd` (row caps are inclusive); notionals above the last cap
 * use the last row. Assumes a validated table.
 * @example tierIndex(tiersFor('binance', 'BTCUSDT'), 300_001) // 1
 */
export function tierIndex(tiers: readonly MarginTier[], notionalUsd: number): number {
  const last = tiers.length - 1;
  for (let i = 0; i < last; i++) {
    if (notionalUsd <= tiers[i]!.maxNotionalUsd) return i;
  }
  return last;
}

/**
 * One row of a published tier table.
 * @example tierRow(300_000, 125, 0.004) // { maxNotionalUsd: 300000, maxLeverage: 125, maintenanceRate: 0.004 }
 */
export const tierRow = (maxNotionalUsd: number, maxLeverage: number, maintenanceRate: number): TierRow => ({
  maxNotionalUsd,
  maxLeverage,
  maintenanceRate,
});

/**
 * The isolated-margin liquidation factor of venues that deduct a cumulative maintenance amount
 * (Binance's "cum", Bitget's offset): with position N / EP and wallet balance N / leverage the
 * entry price scales out, `factor = (1 / leverage + amount / N - side) / (MMR - side)`.
 * @example cumulativeAmountFormula(1, 10, 67_000, { maxNotionalUsd: 300_000, maxLeverage: 125, maintenanceRate: 0.004, maintenanceAmountUsd: 0 }) * 67_000 // ≈ 60,542.17
 */
export const cumulativeAmountFormula: LiquidationFormula = (sign, leverage, notionalUsd, tier) =>
  (1 / leverage + tier.maintenanceAmountUsd / notionalUsd - sign) / (tier.maintenanceRate - sign);
