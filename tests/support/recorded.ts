/**
 * The real recorded series of shared/data as engine input. The data folder sits beside the
 * repository (`../shared/data/` from the repository root), as it does in CI.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBarsCsv } from '../../src/engine/csv-input';
import type { ExchangeId, ExchangeSeries } from '../../src/engine/types';

/** Repository root (this file is tests/support/recorded.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The shared recorded data, resolved from the repository root. */
export const DATA_DIR = resolve(REPO_ROOT, '../shared/data');

export const BINANCE_5M_FILE = 'binance-btcusdt-5m-ohlc-oi-funding-cvd.csv';
export const AGG_30M_FILE = 'btc-30m-agg3ex-with-liquidations.csv';

const cache = new Map<string, ExchangeSeries>();

/** Parses one recorded CSV of the regime-export layout (cached; the result is never mutated). */
export function loadRecordedSeries(file: string, exchange: ExchangeId = 'binance', symbol = 'BTCUSDT'): ExchangeSeries {
  const key = `${file}|${exchange}|${symbol}`;
  let series = cache.get(key);
  if (!series) {
    const text = readFileSync(resolve(DATA_DIR, file), 'utf8');
    series = parseBarsCsv(text, { exchange, symbol }).series;
    cache.set(key, series);
  }
  return series;
}

/** Binance USDT-M BTCUSDT 5m (8,015 bars; OI in USD, funding as a fraction, CVD in BTC). */
export function binance5m(): ExchangeSeries {
  return loadRecordedSeries(BINANCE_5M_FILE, 'binance', 'BTCUSDT');
}

/**
 * BTC 30m aggregated over Binance+Bybit+OKX (876 bars). Read with Binance's formulas: the file
 * has no per-venue split, so one venue's formulas stand in for the three.
 */
export function aggregated30m(): ExchangeSeries {
  return loadRecordedSeries(AGG_30M_FILE, 'binance', 'BTCUSDT');
}

/** The same series with its bars cut to `from..to` (indices as in `Array.prototype.slice`). */
export function sliceSeries(series: ExchangeSeries, from: number, to?: number): ExchangeSeries {
  return { ...series, bars: series.bars.slice(from, to) };
}

/** Index of the bar opening at `iso` (UTC), or throws: tests address real bars by time. */
export function barIndexAt(series: ExchangeSeries, iso: string): number {
  const t = Date.parse(iso);
  const index = series.bars.findIndex((bar) => bar.timestamp === t);
  if (index < 0) throw new Error(`${series.exchange} ${series.symbol} has no bar at ${iso}`);
  return index;
}
