/**
 * Isolated-margin liquidation prices for linear perpetuals: the public surface of the module.
 */
export { liquidationFactor, liquidationPrice, maintenanceTier, maxLeverage, NO_LIQUIDATION_FACTOR } from './liquidation-price';
export { baseAsset, marginModel, tiersFor } from './tiers';
export { buildTiers, tierIndex, validateTiers } from './schedule';
export type { LiquidationFormula, MaintenanceBasis, MarginModel, MarginTier, TierRow } from './schedule';
export { binanceFormula, BINANCE_DEFAULT_TIERS, BINANCE_TIERS } from './binance';
export { bybitFormula, BYBIT_DEFAULT_TIERS, BYBIT_TIERS } from './bybit';
export { okxFormula, OKX_DEFAULT_TIERS, OKX_TIERS } from './okx';
export { bitgetFormula, BITGET_DEFAULT_TIERS, BITGET_TIERS } from './bitget';
export { hyperliquidFormula, hyperliquidTiers, HYPERLIQUID_DEFAULT_TIERS, HYPERLIQUID_TIERS } from './hyperliquid';
