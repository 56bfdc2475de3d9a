/**
 * The BTC perpetual series the Bybit, OKX, Bitget and Hyperliquid replays serve (test fixtures
 * only), built from the recorded files and the Binance replay's own data:
 *
 * - Bybit and OKX, 1h candles and funding: the venue's own recordings
 *   (`btc-1h-candles-binance-bybit-okx.csv`, `btc-funding-binance-bybit-okx.csv`). They end on
 *   2026-03-05, months before the recorded Binance 5m series that sets the replay clock, so their
 *   times are moved forward by a whole number of hours to end where that series ends; prices and
 *   values are as recorded. (Funding then settles at other hours of the day than on the exchange.)
 * - Bybit and OKX, 5m and 15m candles and open interest: no recording of those venues exists;
 *   Binance's recorded BTCUSDT series stands in (open interest converted to the venue's units at
 *   the bar's close), so their 5m charts show Binance's prices.
 * - Bitget and Hyperliquid: no recording at all; Binance's recorded BTCUSDT series (candles, open
 *   interest, funding) stands in for everything.
 */
import { join } from 'node:path';
import { readCsv, num } from '../csv';
import { type BinanceData, type FundingPoint, type Kline, loadBinanceData, lowerBound, type OiPoint, samplesForPeriod, upperBound } from './binance-data';

const MIN = 60_000;
const HOUR = 60 * MIN;
export const TIMEFRAMES_MS: Readonly<Record<'5m' | '15m' | '1h', number>> = { '5m': 5 * MIN, '15m': 15 * MIN, '1h': HOUR };

export type Venue = 'bybit' | 'okx' | 'binance-stand-in';

export interface RecordedSeries {
  /** Closed candles of `intervalMs` (5m, 15m or 1h) in [start, end] by open time, closed before `now`. */
  candles(intervalMs: number, start: number, end: number, now: number): Kline[];
  /** Open-interest samples at `periodMs` boundaries in [start, end], taken before `now`. */
  openInterest(periodMs: number, start: number, end: number, now: number): OiPoint[];
  /** Funding settlements in [start, end], before `now`. */
  funding(start: number, end: number, now: number): FundingPoint[];
  /** The latest open interest at `now` (for exchanges that publish only a snapshot). */
  openInterestNow(now: number): OiPoint | undefined;
  /** End of the recorded 5m series (the replay's default "now"). */
  readonly end: number;
}

function venueCandles(dataDir: string, venue: 'bybit' | 'okx'): Kline[] {
  const file = join(dataDir, 'btc-1h-candles-binance-bybit-okx.csv');
  const t = readCsv(file);
  const c = { ts: t.col('ts_ms'), venue: t.col('venue'), o: t.col('o'), h: t.col('h'), l: t.col('l'), cl: t.col('c'), v: t.col('v') };
  // OKX records volume in contracts of 0.01 BTC; the others in BTC.
  const toBase = venue === 'okx' ? 0.01 : 1;
  return t.rows
    .filter((r) => r[c.venue] === venue)
    .map((r) => {
      const openTime = num(r, c.ts, file);
      const [open, high, low, close] = [num(r, c.o, file), num(r, c.h, file), num(r, c.l, file), num(r, c.cl, file)];
      const volume = num(r, c.v, file) * toBase;
      // Not recorded: quote volume (≈ volume × mean OHLC price) and the taker split (served even).
      return { openTime, closeTime: openTime + HOUR - 1, open, high, low, close, volume, quoteVolume: (volume * (open + high + low + close)) / 4, trades: 0, takerBuyBase: volume / 2, takerBuyQuote: (volume * close) / 2 };
    })
    .sort((a, b) => a.openTime - b.openTime);
}

function venueFunding(dataDir: string, venue: 'bybit' | 'okx'): FundingPoint[] {
  const file = join(dataDir, 'btc-funding-binance-bybit-okx.csv');
  const t = readCsv(file);
  const c = { ts: t.col('ts_ms'), venue: t.col('venue'), rate: t.col('funding_rate') };
  return t.rows
    .filter((r) => r[c.venue] === venue)
    .map((r) => ({ time: num(r, c.ts, file), rate: num(r, c.rate, file) }))
    .sort((a, b) => a.time - b.time);
}

function between<T>(items: readonly T[], start: number, end: number, key: (item: T) => number): T[] {
  return items.slice(lowerBound(items, start, key), upperBound(items, end, key));
}

const cache = new Map<string, RecordedSeries>();

/** The series served for `venue` (see the file comment for what is recorded and what stands in). */
export function recordedSeries(dataDir: string, venue: Venue): RecordedSeries {
  const key = `${dataDir}\n${venue}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const binance: BinanceData = loadBinanceData(dataDir);
  const klines = binance.klines.get('BTCUSDT');
  const five = klines?.get('5m') ?? [];
  const last5m = five.at(-1);
  if (!klines || !last5m) throw new Error('no recorded Binance BTCUSDT 5m bars');
  const end = last5m.closeTime + 1;
  const oiSeries = binance.openInterest.get('BTCUSDT') ?? [];

  let hourly = klines.get('1h') ?? [];
  let funding = binance.fundingEvents.get('BTCUSDT') ?? [];
  if (venue !== 'binance-stand-in') {
    const own = venueCandles(dataDir, venue);
    const lastOwn = own.at(-1);
    if (!lastOwn) throw new Error(`no recorded ${venue} 1h candles`);
    const shift = Math.floor((end - (lastOwn.closeTime + 1)) / HOUR) * HOUR;
    hourly = own.map((k) => ({ ...k, openTime: k.openTime + shift, closeTime: k.closeTime + shift }));
    funding = venueFunding(dataDir, venue).map((f) => ({ ...f, time: f.time + shift }));
  }

  const byInterval = new Map<number, Kline[]>([
    [5 * MIN, five],
    [15 * MIN, klines.get('15m') ?? []],
    [HOUR, hourly],
  ]);
  const series: RecordedSeries = {
    end,
    candles(intervalMs, start, until, now) {
      const all = byInterval.get(intervalMs) ?? [];
      return between(all, start, until, (k) => k.openTime).filter((k) => k.closeTime < now);
    },
    openInterest(periodMs, start, until, now) {
      const points = samplesForPeriod(oiSeries, periodMs).filter((p) => p.time <= now);
      const inRange = between(points, start, until, (p) => p.time);
      if (venue === 'binance-stand-in' || periodMs !== HOUR) return inRange;
      // Binance's USD open interest in the venue's coins at the venue's own hourly close.
      const closes = new Map(hourly.map((k) => [k.openTime + HOUR, k.close]));
      return inRange.map((p) => ({ ...p, base: p.value / (closes.get(p.time) ?? p.value / p.base) }));
    },
    funding(start, until, now) {
      return between(funding, start, until, (f) => f.time).filter((f) => f.time <= now);
    },
    openInterestNow(now) {
      const points = samplesForPeriod(oiSeries, 5 * MIN);
      const i = upperBound(points, now, (p) => p.time) - 1;
      return i >= 0 ? points[i] : undefined;
    },
  };
  cache.set(key, series);
  return series;
}
