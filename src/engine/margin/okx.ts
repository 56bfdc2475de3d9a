/**
 * OKX USDT-margined perpetual swaps, isolated margin.
 *
 * OKX publishes position tiers without a key (GET /api/v5/public/position-tiers: tier, minSz,
 * maxSz, mmr, imr, maxLever; no deduction field), so the data layer can pass live tiers. OKX
 * states tier bounds in contracts, not USD, so a USD table is only valid near the price it was
 * converted at. Sources, read in stored copies in November 2026:
 *
 * Formula: OKX's isolated margin ratio is (margin + unrealized PnL) / (maintenance margin +
 * liquidation fee), liquidation at a ratio <= 100 %, maintenance margin = position value at mark
 * price x the tier's MMR. As summarised from OKX's help center by third-party pages
 * (bilikayo.com/18302.html, gabolde.com/9378.html, ukcamo.com/5262.html); OKX's own page for
 * swaps was not read here, so this is unverified. Solving the ratio = 100 % for the price, with
 * the fee term left out (it depends on the user's fee tier):
 *   margin + side * Q * (LP - EP) = Q * LP * MMR
 *   => LP = (side * Q * EP - margin) / (Q * (side - MMR))
 * Field list without a deduction: nautilus_trader's OKXPositionTier model of that endpoint. The
 * engine therefore applies a tier's rate to the whole position (maintenance amount 0).
 * No worked example from OKX was found.
 */
import { buildTiers, tierRow, type LiquidationFormula, type MarginModel, type MarginTier } from './schedule';

/**
 * OKX's isolated condition solved for the price, as a factor of entry (fee term omitted):
 * `factor = (side - 1 / leverage + amount / N) / (side - MMR)`; the amount is 0 in OKX tables.
 * @example okxFormula(1, 10, 10_000, { maxNotionalUsd: 1e6, maxLeverage: 100, maintenanceRate: 0.004, maintenanceAmountUsd: 0 }) // ≈ 0.903614
 */
export const okxFormula: LiquidationFormula = (sign, leverage, notionalUsd, tier) =>
  (sign - 1 / leverage - tier.maintenanceAmountUsd / notionalUsd) / (sign - tier.maintenanceRate);

const row = tierRow;

/**
 * BTC and ETH: ASSUMED, not a published OKX table. One tier of 0.40 % maintenance and 100x up to
 * 1,000,000 USDT, then 0.80 % / 50x to 5,000,000 USDT and 1.50 % / 25x beyond. These mirror the
 * first tiers other venues publish for BTC; replace them with live position tiers.
 */
const MAJOR_ASSUMED = buildTiers(
  [row(1_000_000, 100, 0.004), row(5_000_000, 50, 0.008), row(Infinity, 25, 0.015)],
  { cumulative: false },
);

/**
 * Table for other symbols: the tier-1..3 rates and leverages of ADAUSDT in OKX's "OKX to adjust
 * position tiers of perpetual swaps" (May 19, 2023; "after": 0.50 % / 75x, 0.75 % / 50x,
 * 1.00 % / 40x). That announcement gives bounds in contracts (1,500 / 3,000 / 6,000 conts); the
 * USD bounds here (25,000 / 50,000 / 100,000, then 1.50 % / 20x beyond) are ASSUMED.
 */
export const OKX_DEFAULT_TIERS: readonly MarginTier[] = buildTiers(
  [row(25_000, 75, 0.005), row(50_000, 50, 0.0075), row(100_000, 40, 0.01), row(Infinity, 20, 0.015)],
  { cumulative: false },
);

/** Shipped OKX tables by base asset; all are assumptions (see above). */
export const OKX_TIERS: ReadonlyMap<string, readonly MarginTier[]> = new Map([
  ['BTC', MAJOR_ASSUMED],
  ['ETH', MAJOR_ASSUMED],
]);

/** OKX: maintenance margin at the mark price, i.e. at the liquidation price's notional. */
export const OKX_MODEL: MarginModel = Object.freeze({
  exchange: 'okx',
  basis: 'liquidation',
  formula: okxFormula,
  tables: OKX_TIERS,
  defaultTiers: OKX_DEFAULT_TIERS,
});
