/**
 * Binance USDⓈ-M perpetuals, isolated margin.
 *
 * Binance serves its leverage brackets (GET /fapi/v1/leverageBracket) only to signed requests,
 * so the engine ships them. Sources, each as read in a stored copy in November 2026:
 *
 * Formula: Binance FAQ "How to Calculate Liquidation Price of USDT-Margined Futures"
 * (https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93, published
 * 2020-08-14). The page states that in isolated mode WB is the isolated wallet balance and
 * TMM = UPNL = 0, defines cum as the maintenance amount, and says that when the position valued
 * at the liquidation price falls in another bracket than at the opening price, that bracket's
 * rate and amount must be substituted and the price recalculated. The formula itself is an image
 * on that page; the expression below is its usual transcription
 *   LP = (WB - TMM + UPNL + cum - Side * Position * EP) / (Position * MMR - Side * Position)
 * (as reproduced in public calculators, e.g. gist highfestiva/b71e76f51eed84d56c1be8ebbcc286b5),
 * confirmed here only by reproducing the engine's worked example (long 1 BTC at 67,000, 10x,
 * bracket 0.40 % / cum 0: WB = 6,700, LP = 60,300 / 0.996 = 60,542.17).
 * Maintenance amount rule (same FAQ): amount_n = floor_n * (rate_n - rate_(n-1)) + amount_(n-1);
 * the tables below derive it with {@link buildTiers} instead of typing it.
 * Fees are not part of Binance's formula and are not modelled.
 */
import { buildTiers, cumulativeAmountFormula, tierRow, type LiquidationFormula, type MarginModel, type MarginTier } from './schedule';

/**
 * Binance's isolated formula for one bracket, as a factor of entry. With Position = N / EP and
 * WB = N / leverage the price scales out:
 * `factor = (1 / leverage + cum / N - side) / (MMR - side)`.
 * @example binanceFormula(1, 10, 67_000, { maxNotionalUsd: 300_000, maxLeverage: 125, maintenanceRate: 0.004, maintenanceAmountUsd: 0 }) * 67_000 // ≈ 60,542.17
 */
export const binanceFormula: LiquidationFormula = cumulativeAmountFormula;

const row = tierRow;

/**
 * BTCUSDT. Bounds and rates as published in a third-party snapshot of the leverageBracket
 * response (a public repository's cached copy, 2025; unverified here against Binance). Its cum
 * column (0, 300, 1,500, 12,000, 132,000, 482,000, 2,982,000, 14,482,000, 26,482,000,
 * 41,482,000, 121,482,000, 421,482,000) equals what the cumulative rule derives from these rows,
 * which the tests check. The snapshot lists 150x for the first bracket; the engine keeps 125x,
 * Binance's long-standing BTCUSDT maximum (as in the 2021 announcement below). Whether the
 * current first-bracket maximum is 125x or 150x is unverified here.
 * Older published table for comparison: Binance announcement "Updates to Leverage and Margin
 * Tiers of Binance Futures Contracts (2021-03-18)" (first bracket 0-50,000 at 0.40 %, 125x).
 */
const BTC = buildTiers([
  row(300_000, 125, 0.004),
  row(800_000, 100, 0.005),
  row(3_000_000, 75, 0.0065),
  row(12_000_000, 50, 0.01),
  row(70_000_000, 25, 0.02),
  row(100_000_000, 20, 0.025),
  row(230_000_000, 10, 0.05),
  row(480_000_000, 5, 0.1),
  row(600_000_000, 4, 0.125),
  row(800_000_000, 3, 0.15),
  row(1_200_000_000, 2, 0.25),
  row(1_800_000_000, 1, 0.5),
]);

/**
 * XRPUSDT, the "new" tiers of Binance announcement "Updates on the Leverage & Margin Tiers of
 * Multiple USDⓈ-M Perpetual Contracts (2024-08-27)". The stored copy is cut after the 5x row
 * (8,000,000-16,000,000 at 10 %), so the table ends there; larger notionals reuse that row.
 */
const XRP = buildTiers([
  row(10_000, 75, 0.005),
  row(20_000, 50, 0.0065),
  row(160_000, 40, 0.01),
  row(800_000, 25, 0.02),
  row(1_600_000, 20, 0.025),
  row(8_000_000, 10, 0.05),
  row(16_000_000, 5, 0.1),
]);

/**
 * Table for symbols without their own: the "new" tiers Binance published for HIVEUSDT,
 * POWRUSDT, SIRENUSDT, BNTUSDT, SQDUSDT and SKYAIUSDT in "Update on the Leverage & Margin Tiers
 * of Multiple USDⓈ-M Perpetual Contracts" (effective 2025-09-15 06:30 UTC). A small-cap table:
 * conservative (50x, 1.50 % first bracket) for larger coins.
 */
export const BINANCE_DEFAULT_TIERS: readonly MarginTier[] = buildTiers([
  row(5_000, 50, 0.015),
  row(10_000, 20, 0.025),
  row(20_000, 10, 0.05),
  row(50_000, 5, 0.1),
  row(250_000, 4, 0.125),
  row(4_500_000, 3, 0.1667),
  row(7_500_000, 2, 0.25),
  row(12_500_000, 1, 0.5),
]);

/**
 * Shipped Binance tables by base asset.
 * ETH: ASSUMED equal to the BTC table; no published ETHUSDT bracket table was found (unverified).
 * SOL, BNB, DOGE: ASSUMED equal to the XRP table; no published tables were found (unverified).
 */
export const BINANCE_TIERS: ReadonlyMap<string, readonly MarginTier[]> = new Map([
  ['BTC', BTC],
  ['ETH', BTC],
  ['XRP', XRP],
  ['SOL', XRP],
  ['BNB', XRP],
  ['DOGE', XRP],
]);

/** Binance: maintenance margin at the liquidation price's notional, brackets re-selected there. */
export const BINANCE_MODEL: MarginModel = Object.freeze({
  exchange: 'binance',
  basis: 'liquidation',
  formula: binanceFormula,
  tables: BINANCE_TIERS,
  defaultTiers: BINANCE_DEFAULT_TIERS,
});
