/**
 * The exchanges the replay server knows. Adding one (Bybit, OKX, Bitget, Hyperliquid) means
 * writing `exchanges/<name>.ts` exporting an `ExchangeModule` and listing it here.
 */
import type { ExchangeModule } from '../types';
import { binance } from './binance';

export const EXCHANGES: readonly ExchangeModule[] = [binance];
