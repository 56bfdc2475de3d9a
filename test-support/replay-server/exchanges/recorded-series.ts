/**
 * The BTC perpetual series the Bybit, OKX, Bitget and Hyperliquid replays serve (test fixtures
 * only), built from the recorded files and the Binance replay's own data:
 *
 * - Bybit and OKX, funding: the venue's own recording (`btc-funding-binance-bybit-okx.csv`). It
 *   ends on 2026-03-05, months before the recorded Binance 5m series that sets the replay clock,
 *   so its times are moved forward by a whole number of hours to end where that series ends;
 *   values as recorded. (Funding then settles at other hours of the day than on the exchange.)
 * - Bybit and OKX, 1h candles: the hours of the 5m series below (so the 1h chart shows the same
 *   prices as the 5m one) and, before the 5m recording starts, the venue's own recorded 1h
 *   candles (`btc-1h-candles-binance-bybit-okx.csv`) moved forward like the funding and scaled by
 *   one factor so their last close meets the first 5m hour's open: reconstructed, since the
 *   venue's recording lies 12 % away from the 5m level. Volumes as recorded.
 * - Every candle series includes the bar still forming at "now", as the exchanges' endpoints do
 *   (reconstructed from the 5m bars; see `forming.ts`).
 * - Bybit and OKX, 5m and 15m candles and open interest: no recording of those venues exists;
 *   Binance's recorded BTCUSDT series stands in (open interest converted to the venue's units at
 *   the bar's close), so their 5m charts show Binance's prices.
 * - Bitget and Hyperliquid: no recording at all; Binance's recorded BTCUSDT series (candles, open
 *   interest, funding) stands in for everything.
 * - Funding of a market settling every 1, 2 or 4 hours (`fundingAt`): every recording settles
 *   every 8 hours. Reconstructed: a settlement at each whole multiple of the interval (UTC) with the
 *   latest recorded 8-hour rate scaled to the interval (rate x hours / 8), none before the first
 *   recorded rate. A fixture for paging and coverage, not a venue's hourly rates.
 * - Long/short account ratio (`ratio`) of Bybit, OKX and Bitget: none recorded. Binance's recorded
 *   BTCUSDT 1h account ratio (500 hours) stands in, moved forward by whole hours so that its last
 *   hour is the one the 5m recording ends in; other periods are its value at each period's start (the hour's value held
 *   through a 5m or 15m period). A fixture for shapes, paging and coverage: a ratio counts one
 *   venue's accounts, so these are not those venues' traders.
 */
import { join } from 'node:path';
import { readCsv, num } from '../csv';
import { formingBar } from './forming';
import { type BinanceData, type FundingPoint, type Kline, loadBinanceData, type LongShortPoint, lowerBound, type OiPoint, samplesForPeriod, upperBound } from './binance-data';

const MIN = 60_000;
const HOUR = 60 * MIN;
export const TIMEFRAMES_MS: Readonly<Record<'5m' | '15m' | '1h', number>> = { '5m': 5 * MIN, '15m': 15 * MIN, '1h': HOUR };

export type Venue = 'bybit' | 'okx' | 'binance-stand-in';

export interface RecordedSeries {
  /** Candles of `intervalMs` (5m, 15m or 1h) in [start, end] by open time that opened before `now`: the closed ones and the one still forming. */
  candles(intervalMs: number, start: number, end: number, now: number): Kline[];
  /** Open-interest samples at `periodMs` boundaries in [start, end], taken before `now`. */
  openInterest(periodMs: number, start: number, end: number, now: number): OiPoint[];
  /** Funding settlements in [start, end], before `now` (as recorded: every 8 hours). */
  funding(start: number, end: number, now: number): FundingPoint[];
  /** Funding settlements of a market settling every `hours` (reconstructed below 8; see the file comment). */
  fundingAt(hours: number, start: number, end: number, now: number): FundingPoint[];
  /** Long/short account ratio rows at `periodMs` in [start, end], published before `now` (see the file comment). */
  ratio(periodMs: number, start: number, end: number, now: number): LongShortPoint[];
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

/**
 * 8-hourly recorded rates as a market settling every `hours` would have them: a settlement at
 * each multiple of the interval in [start, end] from the first recorded rate on, with the latest
 * recorded rate times hours / 8.
 */
export function fundingEvery(recorded: readonly FundingPoint[], hours: number, start: number, end: number): FundingPoint[] {
  if (hours === 8 || recorded.length === 0) return between(recorded, start, end, (f) => f.time);
  const step = hours * HOUR;
  const out: FundingPoint[] = [];
  let i = -1;
  for (let t = Math.ceil(Math.max(start, recorded[0]!.time) / step) * step; t <= end; t += step) {
    while (i + 1 < recorded.length && recorded[i + 1]!.time <= t) i++;
    if (i >= 0) out.push({ time: t, rate: (recorded[i]!.rate * hours) / 8 });
  }
  return out;
}

const cache = new Map<string, RecordedSeries>();
const ratioRows = new Map<string, LongShortPoint[]>();

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
    funding = venueFunding(dataDir, venue).map((f) => ({ ...f, time: f.time + shift }));
    // The hours of the 5m series, and the venue's own hours before it, scaled to meet it.
    const fiveHours = hourly.filter((k) => k.openTime >= five[0]!.openTime);
    const firstFive = fiveHours[0];
    const before = own.map((k) => ({ ...k, openTime: k.openTime + shift, closeTime: k.closeTime + shift })).filter((k) => !firstFive || k.openTime < firstFive.openTime);
    const join = before.at(-1);
    const scale = firstFive && join ? firstFive.open / join.close : 1;
    hourly = [
      ...before.map((k) => ({ ...k, open: k.open * scale, high: k.high * scale, low: k.low * scale, close: k.close * scale, quoteVolume: k.quoteVolume * scale, takerBuyQuote: k.takerBuyQuote * scale })),
      ...fiveHours,
    ];
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
      const closed = between(all, start, until, (k) => k.openTime).filter((k) => k.closeTime < now);
      const forming = formingBar(five, intervalMs, now);
      return forming && forming.openTime >= start && forming.openTime <= until && forming.openTime > (closed.at(-1)?.openTime ?? -Infinity) ? [...closed, forming] : closed;
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
    fundingAt(hours, start, until, now) {
      return fundingEvery(funding, hours, start, Math.min(until, now));
    },
    ratio(periodMs, start, until, now) {
      const key = `${dataDir}\n${periodMs}`;
      let rows = ratioRows.get(key);
      if (!rows) {
        const hourlyRatio = binance.longShort.get('BTCUSDT')?.find((s) => s.stepMs === HOUR)?.points ?? [];
        const last = hourlyRatio.at(-1);
        rows = [];
        if (last) {
          // The last recorded hour becomes the hour the 5m recording ends in.
          const shift = Math.floor((end - 1) / HOUR) * HOUR - Math.floor(last.time / HOUR) * HOUR;
          const shifted = hourlyRatio.map((p) => ({ ...p, time: p.time + shift }));
          let i = -1;
          for (let t = Math.ceil(shifted[0]!.time / periodMs) * periodMs; t <= shifted.at(-1)!.time + HOUR - periodMs; t += periodMs) {
            while (i + 1 < shifted.length && shifted[i + 1]!.time <= t) i++;
            if (i >= 0) rows.push({ ...shifted[i]!, time: t });
          }
        }
        ratioRows.set(key, rows);
      }
      // A period's row is published once the period has closed.
      return between(rows, start, until, (p) => p.time).filter((p) => p.time + periodMs <= now);
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
