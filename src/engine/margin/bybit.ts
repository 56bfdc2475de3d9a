/**
 * Bybit USDT perpetuals, isolated margin.
 *
 * Bybit publishes its risk-limit tiers without a key (GET /v5/market/risk-limit returns
 * riskLimitValue, maintenanceMargin, initialMargin, maxLeverage and mmDeduction), so the data
 * layer can pass live tiers; the tables here are the fallback. Sources, read in stored copies in
 * November 2026:
 *
 * Formula: Bybit help center "Liquidation Price (USDT Contract)"
 * (https://testnet.bybit.com/en-US/help-center/s/article/Liquidation-Price-USDT-Contract):
 *   LP (long)  = Entry Price - [(Initial Margin - Maintenance Margin) / Position Size] - Extra Margin / Position Size
 *   LP (short) = Entry Price + [(Initial Margin - Maintenance Margin) / Position Size] + Extra Margin / Position Size
 *   Position Value = Contract Size x Entry Price, IM = Position Value / leverage,
 *   MM = Position Value x MMR - Maintenance Margin Deduction.
 * Worked example on that page: long 1 BTC at 20,000 USDT, 50x, MMR 0.5 %: IM 400, MM 100,
 * LP = 19,700. Maintenance margin is taken at the entry notional here, unlike Binance.
 * The newer "Liquidation Price Calculation under Isolated Mode (Unified Trading Account)" page
 * (last updated 2026-05-27) adds estimated fees to close and values positions at mark price; those
 * terms are user-specific and not modelled (unverified here how far they move the price).
 * Maintenance deductions below are derived by the cumulative rule; they were not compared with
 * the mmDeduction values Bybit's API returns.
 */
import { buildTiers, tierRow, type LiquidationFormula, type MarginModel, type MarginTier } from './schedule';

/**
 * Bybit's documented isolated formula for one risk-limit tier, as a factor of entry:
 * `factor = 1 - side * (1 / leverage - MMR + deduction / N)`, i.e. (IM - MM) / Position Value.
 * @example bybitFormula(1, 50, 20_000, { maxNotionalUsd: 2_000_000, maxLeverage: 100, maintenanceRate: 0.005, maintenanceAmountUsd: 0 }) * 20_000 // 19,700
 */
export const bybitFormula: LiquidationFormula = (sign, leverage, notionalUsd, tier) =>
  1 - sign * (1 / leverage - tier.maintenanceRate + tier.maintenanceAmountUsd / notionalUsd);

const row = tierRow;

/**
 * BTCUSDT: "when you open a BTCUSDT position with a position value of 2,000,000 USDT or below,
 * the maintenance margin rate (MMR) required for the position is 0.5 %" — Bybit help center
 * "Maintenance Margin (USDT Contract)". Max leverage 100x for that tier is unverified here.
 * Higher tiers were not found; larger notionals reuse this row (pass live tiers for whales).
 */
const BTC = buildTiers([row(2_000_000, 100, 0.005)]);

/**
 * ETH, SOL, XRP, BNB, DOGE: ASSUMED one tier at 1 % maintenance and 50x. The 1 % comes from
 * Bybit's "Risk Limit (Inverse Contract)" page (updated 2025-11-25: "maintenance margin base rate
 * is 0.5 % for BTC and 1 % for ETH, EOS and XRP"), which is about inverse contracts; applying it to
 * USDT contracts, and the 50x cap (initial margin twice maintenance, as in the 2025-07-01 table
 * below), are assumptions. Cap 1,000,000 USDT is likewise assumed.
 */
const MAJOR_ASSUMED = buildTiers([row(1_000_000, 50, 0.01)]);

/**
 * Table for symbols without their own: the "After Adjustment" tiers of Bybit's "Risk Limit
 * Adjustment for Perpetual Contracts (Jul 1, 2025)" for VOXELUSDT, SWEATUSDT and other small caps,
 * first eleven rows (to 100,000 USDT at 5 %, 10x); the stored copy's later rows were not read.
 * Larger notionals reuse the last row.
 */
export const BYBIT_DEFAULT_TIERS: readonly MarginTier[] = buildTiers([
  row(5_000, 20, 0.025),
  row(9_000, 19, 0.0263),
  row(13_000, 18, 0.0278),
  row(17_000, 17, 0.0294),
  row(21_000, 16, 0.0313),
  row(25_000, 15, 0.0333),
  row(40_000, 14, 0.0357),
  row(55_000, 13, 0.0385),
  row(70_000, 12, 0.0417),
  row(85_000, 11, 0.0455),
  row(100_000, 10, 0.05),
]);

/** Shipped Bybit tables by base asset (see the notes on each table for what is assumed). */
export const BYBIT_TIERS: ReadonlyMap<string, readonly MarginTier[]> = new Map([
  ['BTC', BTC],
  ['ETH', MAJOR_ASSUMED],
  ['SOL', MAJOR_ASSUMED],
  ['XRP', MAJOR_ASSUMED],
  ['BNB', MAJOR_ASSUMED],
  ['DOGE', MAJOR_ASSUMED],
]);

/** Bybit: IM and MM at the entry notional, tier chosen by the entry notional. */
export const BYBIT_MODEL: MarginModel = Object.freeze({
  exchange: 'bybit',
  basis: 'entry',
  formula: bybitFormula,
  tables: BYBIT_TIERS,
  defaultTiers: BYBIT_DEFAULT_TIERS,
});
