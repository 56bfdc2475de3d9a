/** The order-form adapters, one per exchange. */
import type { ExchangeId } from '../../engine/types';
import type { SiteAdapter } from '../types';
import { binanceAdapter } from './binance';
import { bitgetAdapter } from './bitget';
import { bybitAdapter } from './bybit';
import { hyperliquidAdapter } from './hyperliquid';
import { okxAdapter } from './okx';

export const ADAPTERS: Readonly<Record<ExchangeId, SiteAdapter>> = {
  binance: binanceAdapter,
  bybit: bybitAdapter,
  okx: okxAdapter,
  bitget: bitgetAdapter,
  hyperliquid: hyperliquidAdapter,
};

/**
 * The adapter for an exchange's order page.
 * @example adapterFor('okx').findForm(document)
 */
export function adapterFor(exchange: ExchangeId): SiteAdapter {
  return ADAPTERS[exchange];
}
