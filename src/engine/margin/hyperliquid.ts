/**
 * Hyperliquid perpetuals (USDC-margined, linear), isolated margin.
 *
 * Hyperliquid's tiers are public (the `meta` info response carries margin tables), so the data
 * layer can pass live ones. Sources, read in stored copies in November 2026:
 *
 * Maintenance: Hyperliquid Docs "Liquidations"
 * (https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations): "the maintenance margin
 * is half of the initial margin at max leverage, which varies from 3-50x", i.e. rate
 * 1 / (2 * max leverage).
 * Tiers and deduction: Hyperliquid Docs "Margin tiers"
 * (https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers):
 *   maintenance_margin = notional_position_value * maintenance_margin_rate - maintenance_deduction
 *   maintenance_deduction(n) = maintenance_deduction(n-1) + lower_bound(n) * (rate(n) - rate(n-1))
 * and the mainnet table reproduced below.
 * Formula: liq_price = price - side * margin_available / position_size / (1 - l * side), with
 * l = 1 / MAINTENANCE_LEVERAGE and side = 1 for long, -1 for short, as quoted from Hyperliquid's
 * docs by HyENA (https://docs.hyena.trade/trading/liquidation, a HIP-3 deployer); the formula
 * section of Hyperliquid's own Liquidations page was not in the stored excerpt (unverified there).
 * For a new isolated position margin_available = isolated margin - maintenance margin required.
 * No worked example with numbers was found.
 */
import { buildTiers, type LiquidationFormula, type MarginModel, type MarginTier } from './schedule';

/**
 * Hyperliquid's documented formula for one tier, as a factor of entry, with
 * margin_available = N / leverage - (N * rate - deduction) and l = rate:
 * `factor = 1 - side * (1 / leverage - rate + deduction / N) / (1 - rate * side)`.
 * @example hyperliquidFormula(1, 10, 10_000, { maxNotionalUsd: 150e6, maxLeverage: 40, maintenanceRate: 0.0125, maintenanceAmountUsd: 0 }) // ≈ 0.911392
 */
export const hyperliquidFormula: LiquidationFormula = (sign, leverage, notionalUsd, tier) => {
  const l = tier.maintenanceRate;
  const marginAvailableShare = 1 / leverage - (l - tier.maintenanceAmountUsd / notionalUsd);
  return 1 - (sign * marginAvailableShare) / (1 - l * sign);
};

/**
 * Builds a Hyperliquid table from (upper bound, max leverage) pairs: rate = 1 / (2 * max
 * leverage), deduction by the cumulative rule.
 * @example hyperliquidTiers([[150e6, 40], [Infinity, 20]])[1].maintenanceAmountUsd // 1,875,000
 */
export function hyperliquidTiers(rows: readonly (readonly [maxNotionalUsd: number, maxLeverage: number])[]): readonly MarginTier[] {
  return buildTiers(rows.map(([maxNotionalUsd, maxLeverage]) => ({
    maxNotionalUsd,
    maxLeverage,
    maintenanceRate: 1 / (2 * maxLeverage),
  })));
}

// Mainnet margin tiers as published on the "Margin tiers" page.
const BTC = hyperliquidTiers([[150_000_000, 40], [Infinity, 20]]);
const ETH = hyperliquidTiers([[100_000_000, 25], [Infinity, 15]]);
const SOL = hyperliquidTiers([[70_000_000, 20], [Infinity, 10]]);
const XRP = hyperliquidTiers([[40_000_000, 20], [Infinity, 10]]);
const TEN_X_20M = hyperliquidTiers([[20_000_000, 10], [Infinity, 5]]);
const TEN_X_3M = hyperliquidTiers([[3_000_000, 10], [Infinity, 5]]);

/**
 * Table for coins the page does not list: ASSUMED one tier at 10x (coins without margin tiers
 * have a single max leverage between 3x and 50x per coin, not reproduced here).
 */
export const HYPERLIQUID_DEFAULT_TIERS: readonly MarginTier[] = hyperliquidTiers([[Infinity, 10]]);

const TIERS: [string, readonly MarginTier[]][] = [
  ['BTC', BTC],
  ['ETH', ETH],
  ['SOL', SOL],
  ['XRP', XRP],
];
for (const coin of ['DOGE', 'KPEPE', 'SUI', 'WLD', 'TRUMP', 'LTC', 'ENA', 'POPCAT', 'WIF', 'AAVE', 'KBONK', 'LINK', 'CRV',
  'AVAX', 'ADA', 'UNI', 'NEAR', 'TIA', 'APT', 'BCH', 'HYPE', 'FARTCOIN']) {
  TIERS.push([coin, TEN_X_20M]);
}
for (const coin of ['OP', 'ARB', 'LDO', 'TON', 'MKR', 'ONDO', 'JUP', 'INJ', 'KSHIB', 'SEI', 'TRX', 'BNB', 'DOT']) {
  TIERS.push([coin, TEN_X_3M]);
}

/** Shipped Hyperliquid tables by upper-case coin (`kPEPE` is `KPEPE`). */
export const HYPERLIQUID_TIERS: ReadonlyMap<string, readonly MarginTier[]> = new Map(TIERS);

/** Hyperliquid lists 1000-unit coins with a `k` prefix: Binance's 1000PEPE is kPEPE. */
function thousandsAlias(base: string): string | undefined {
  return base.startsWith('1000') && base.length > 4 ? `K${base.slice(4)}` : undefined;
}

/** Hyperliquid: maintenance at the mark price, i.e. at the liquidation price's notional. */
export const HYPERLIQUID_MODEL: MarginModel = Object.freeze({
  exchange: 'hyperliquid',
  basis: 'liquidation',
  formula: hyperliquidFormula,
  tables: HYPERLIQUID_TIERS,
  defaultTiers: HYPERLIQUID_DEFAULT_TIERS,
  alias: thousandsAlias,
});
