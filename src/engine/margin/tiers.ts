/**
 * Symbol normalization and the lookup of an exchange's shipped margin table.
 */
import type { ExchangeId } from '../types';
import { BINANCE_MODEL } from './binance';
import { BITGET_MODEL } from './bitget';
import { BYBIT_MODEL } from './bybit';
import { HYPERLIQUID_MODEL } from './hyperliquid';
import { OKX_MODEL } from './okx';
import type { MarginModel, MarginTier } from './schedule';

export type { MarginTier, TierRow, MarginModel, MaintenanceBasis, LiquidationFormula } from './schedule';
export { buildTiers, validateTiers } from './schedule';

const MODELS: Readonly<Record<ExchangeId, MarginModel>> = Object.freeze({
  binance: BINANCE_MODEL,
  bybit: BYBIT_MODEL,
  okx: OKX_MODEL,
  bitget: BITGET_MODEL,
  hyperliquid: HYPERLIQUID_MODEL,
});

/**
 * The margin model (formula, basis, shipped tables) of an exchange. Throws a `RangeError` for an
 * unknown exchange id.
 * @example marginModel('bybit').basis // 'entry'
 */
export function marginModel(exchange: ExchangeId): MarginModel {
  const model = Object.hasOwn(MODELS, exchange) ? MODELS[exchange] : undefined;
  if (!model) throw new RangeError(`unknown exchange '${String(exchange)}'; expected one of ${Object.keys(MODELS).join(', ')}`);
  return model;
}

/** Quote suffixes stripped (once) from concatenated ids, longest first. */
const QUOTE_SUFFIXES = ['FDUSD', 'USDT', 'USDC', 'BUSD', 'USD'] as const;

/**
 * The upper-case base asset of a symbol in any of the usual spellings: ccxt unified
 * (`BTC/USDT:USDT`), Binance/Bybit ids (`BTCUSDT`, `1000PEPEUSDT`), OKX (`BTC-USDT-SWAP`),
 * Bitget v1 (`BTCUSDT_UMCBL`), dated ids (`BTCUSDT_250627`), `PERP` ids (`BTCPERP`) and bare coins (`BTC`, `kPEPE`).
 * A symbol that is nothing but a quote (`USDT`) is returned as is. Throws a `RangeError` for a
 * non-string or empty symbol.
 * @example baseAsset('btc-usdt-swap') // 'BTC'
 * @example baseAsset('1000PEPEUSDT') // '1000PEPE'
 */
export function baseAsset(symbol: string): string {
  if (typeof symbol !== 'string' || symbol.trim() === '') throw new RangeError(`symbol must be a non-empty string, got '${String(symbol)}'`);
  let s = symbol.trim().toUpperCase();
  const slash = s.indexOf('/');
  if (slash > 0) return s.slice(0, slash);
  const colon = s.indexOf(':');
  if (colon > 0) s = s.slice(0, colon);
  const dash = s.indexOf('-');
  if (dash > 0) return s.slice(0, dash);
  const underscore = s.indexOf('_');
  if (underscore > 0) s = s.slice(0, underscore);
  if (s.length > 4 && s.endsWith('PERP')) s = s.slice(0, -4);
  for (const suffix of QUOTE_SUFFIXES) {
    if (s.length > suffix.length && s.endsWith(suffix)) {
      s = s.slice(0, -suffix.length);
      break;
    }
  }
  return s;
}

/**
 * The shipped maintenance-margin table of `symbol` on `exchange`, or the exchange's default table
 * when none is shipped for its base asset. Tables are frozen and shared: the same symbol always
 * returns the same array.
 * @example tiersFor('binance', 'BTC/USDT:USDT')[0] // { maxNotionalUsd: 300000, maxLeverage: 125, maintenanceRate: 0.004, maintenanceAmountUsd: 0 }
 */
export function tiersFor(exchange: ExchangeId, symbol: string): readonly MarginTier[] {
  const model = marginModel(exchange);
  const base = baseAsset(symbol);
  const direct = model.tables.get(base);
  if (direct) return direct;
  const alias = model.alias?.(base);
  const aliased = alias === undefined ? undefined : model.tables.get(alias);
  return aliased ?? model.defaultTiers;
}
