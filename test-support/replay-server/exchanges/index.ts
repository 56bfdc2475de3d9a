/**
 * The exchanges the replay server knows. Adding one means writing `exchanges/<name>.ts`
 * exporting an `ExchangeModule` and listing it here.
 */
import type { ExchangeModule } from '../types';
import { binance } from './binance';
import { bitget } from './bitget';
import { bybit } from './bybit';
import { hyperliquid } from './hyperliquid';
import { hyperliquidStats } from './hyperliquid-stats';
import { okx } from './okx';

export const EXCHANGES: readonly ExchangeModule[] = [binance, bybit, okx, bitget, hyperliquid, hyperliquidStats];
