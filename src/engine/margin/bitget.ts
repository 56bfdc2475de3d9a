/**
 * Bitget USDT-M perpetual futures, isolated margin.
 *
 * Sources, read in stored copies in November 2026:
 *
 * Formula: Bitget support article "Bitget futures: Estimated liquidation price"
 * (https://www.bitget.com/support/articles/12560603808759, dated 2025-09-18):
 *   Estimated liquidation price = [position margin (+ pre-calculated offset) - position size x
 *   average entry price x position direction] / [position size x (MMR + taker fee ratio -
 *   position direction)], direction 1 for long and -1 for short.
 * One copy of the page has the "pre-calculated offset" term, an older one not; Bitget moved its
 * maintenance margin to a tiered calculation for positions opened after 2025-11-10 16:00 UTC+8
 * ("Bitget to update maintenance margin and estimated liquidation price calculations for classic
 * account futures", article 12560603841843). The engine reads the offset as the tier's
 * maintenance amount derived by the cumulative rule (unverified that Bitget's offset is exactly
 * that). The taker fee term is user-specific and set to 0 here.
 * Margin ratio definition (article 360052911052): (position margin + unrealized PnL) / position
 * value at the mark price, so maintenance is evaluated at the liquidation price.
 * No worked example with numbers was found.
 */
import { buildTiers, cumulativeAmountFormula, tierRow, type LiquidationFormula, type MarginModel, type MarginTier } from './schedule';

/**
 * Bitget's documented isolated formula for one tier, as a factor of entry (taker fee 0):
 * `factor = (1 / leverage + offset / N - side) / (MMR - side)`.
 * @example bitgetFormula(-1, 20, 10_000, { maxNotionalUsd: 200_000, maxLeverage: 125, maintenanceRate: 0.004, maintenanceAmountUsd: 0 }) // ≈ 1.045817
 */
export const bitgetFormula: LiquidationFormula = cumulativeAmountFormula;

const row = tierRow;

/**
 * BTCUSDT: Bitget announcement "Announcement on adjustment of leverage, position tiers and
 * maintenance margin rate for BTCUSDT perpetual futures trading pair" (effective 2025-09-26 08:22
 * UTC, article 12560603838668), the "after adjustment" column. It raised the first tier from 125x
 * to 150x; all other rows were unchanged.
 */
const BTC = buildTiers([
  row(200_000, 150, 0.004),
  row(1_000_000, 100, 0.005),
  row(5_000_000, 75, 0.007),
  row(15_000_000, 50, 0.01),
  row(50_000_000, 25, 0.02),
  row(100_000_000, 20, 0.03),
  row(150_000_000, 10, 0.06),
  row(300_000_000, 5, 0.12),
  row(500_000_000, 4, 0.15),
  row(700_000_000, 3, 0.2),
  row(900_000_000, 2, 0.3),
  row(1_200_000_000, 1, 0.6),
]);

/**
 * Table for symbols without their own: the "new" SAFEUSDT tiers of Bitget's "Bitget to adjust
 * maintenance margin rate for USDT-M perpetual futures trading pair" (2025-03-27, article
 * 12560603824682). A small-cap table; ETH and other majors use it too, since no published
 * Bitget table for them was found (their real tiers are likely more generous: unverified).
 */
export const BITGET_DEFAULT_TIERS: readonly MarginTier[] = buildTiers([
  row(10_000, 75, 0.01),
  row(40_000, 50, 0.015),
  row(50_000, 40, 0.018),
  row(100_000, 25, 0.025),
  row(200_000, 20, 0.03),
  row(700_000, 10, 0.05),
  row(1_500_000, 5, 0.12),
  row(2_000_000, 4, 0.15),
  row(3_000_000, 3, 0.2),
  row(5_500_000, 2, 0.3),
  row(10_000_000, 1, 0.6),
]);

/** Shipped Bitget tables by base asset. */
export const BITGET_TIERS: ReadonlyMap<string, readonly MarginTier[]> = new Map([['BTC', BTC]]);

/** Bitget: maintenance margin at the mark price, i.e. at the liquidation price's notional. */
export const BITGET_MODEL: MarginModel = Object.freeze({
  exchange: 'bitget',
  basis: 'liquidation',
  formula: bitgetFormula,
  tables: BITGET_TIERS,
  defaultTiers: BITGET_DEFAULT_TIERS,
});
