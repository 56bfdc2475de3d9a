/**
 * Binance USDT-M data for the replay server, loaded once from the recorded files in `shared/data`
 * (see its README) and indexed for fast lookups. Nothing here invents a price: every OHLC, open
 * interest, funding and long/short value is a recorded one. Where Binance returns a field that no
 * file records, the derivation is spelled out next to the code that makes it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { num, readCsv } from '../csv';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export const FILES = {
  bars5m: 'binance-btcusdt-5m-ohlc-oi-funding-cvd.csv',
  bars1h: 'btc-1h-candles-binance-bybit-okx.csv',
  funding: 'btc-funding-binance-bybit-okx.csv',
  oi1h: 'binance-btcusdt-oi-1h.json',
  longShort1h: 'binance-btcusdt-global-long-short-1h.json',
  forceOrders: 'binance-forceorder-events-2026-01-06.csv',
  exchangeInfo: 'binance-fapi-shapes/http_futures_market_exchange_info.json',
} as const;

export interface Kline {
  openTime: number;
  closeTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  quoteVolume: number;
  trades: number;
  takerBuyBase: number;
  takerBuyQuote: number;
}

/** Open interest at an instant: base units (BTC) and USD value. */
export interface OiPoint {
  time: number;
  base: number;
  value: number;
}

export interface FundingPoint {
  time: number;
  rate: number;
}

export interface LongShortPoint {
  time: number;
  ratio: number;
  longAccount: number;
  shortAccount: number;
}

export interface ForceOrderEvent {
  time: number;
  symbol: string;
  side: 'BUY' | 'SELL';
  price: number;
  qty: number;
}

/** Level samples (open interest, ratios) recorded every `stepMs`. */
export interface SampledSeries<T extends { time: number }> {
  stepMs: number;
  points: T[];
}

export interface SymbolSpec {
  symbol: string;
  pricePrecision: number;
  quantityPrecision: number;
  /** The `symbols[]` entry of `/fapi/v1/exchangeInfo`. */
  info: Record<string, unknown>;
}

export interface BinanceData {
  /** Top-level fields of exchangeInfo (without `symbols` and `serverTime`). */
  exchangeInfoBase: Record<string, unknown>;
  symbols: Map<string, SymbolSpec>;
  /** symbol → interval → bars sorted by openTime. */
  klines: Map<string, Map<string, Kline[]>>;
  /** symbol → recorded open interest series, each with its native sampling step. */
  openInterest: Map<string, SampledSeries<OiPoint>[]>;
  /** symbol → settled funding events (sorted). */
  fundingEvents: Map<string, FundingPoint[]>;
  /** symbol → current (forward-filled) funding rate at each recorded instant (sorted). */
  fundingLevel: Map<string, FundingPoint[]>;
  longShort: Map<string, SampledSeries<LongShortPoint>[]>;
  /** All recorded liquidation events, in time order. */
  forceOrders: ForceOrderEvent[];
}

/** Kline intervals Binance USDT-M accepts; `null` = accepted but no recorded series exists. */
export const KLINE_INTERVALS: Readonly<Record<string, number | null>> = {
  '1m': null,
  '3m': null,
  '5m': 5 * MIN,
  '15m': 15 * MIN,
  '30m': 30 * MIN,
  '1h': HOUR,
  '2h': 2 * HOUR,
  '4h': 4 * HOUR,
  '6h': 6 * HOUR,
  '8h': 8 * HOUR,
  '12h': 12 * HOUR,
  '1d': DAY,
  '3d': null, // Binance's 3d bucket alignment is not documented: not served (empty) rather than guessed.
  '1w': 7 * DAY,
  '1M': 31 * DAY, // calendar months; the number is only a nominal length
};

/** Periods of `/futures/data/*` statistics endpoints (no 1m). */
export const STAT_PERIODS: Readonly<Record<string, number>> = {
  '5m': 5 * MIN,
  '15m': 15 * MIN,
  '30m': 30 * MIN,
  '1h': HOUR,
  '2h': 2 * HOUR,
  '4h': 4 * HOUR,
  '6h': 6 * HOUR,
  '12h': 12 * HOUR,
  '1d': DAY,
};

const cache = new Map<string, BinanceData>();

/** Loads (once per data directory and process) and indexes the Binance data. */
export function loadBinanceData(dataDir: string): BinanceData {
  const hit = cache.get(dataDir);
  if (hit) return hit;
  const data = build(dataDir);
  cache.set(dataDir, data);
  return data;
}

function build(dataDir: string): BinanceData {
  const path = (name: string) => join(dataDir, name);
  const forceOrders = loadForceOrders(path(FILES.forceOrders));
  const bars1hBinance = load1hBars(path(FILES.bars1h));
  const five = load5m(path(FILES.bars5m), median(bars1hBinance.map((b) => b.volume)) / 12);

  const btcKlines = new Map<string, Kline[]>();
  btcKlines.set('5m', five.bars);
  btcKlines.set('15m', aggregate(five.bars, 5 * MIN, fixedBucket(15 * MIN)));
  btcKlines.set('30m', aggregate(five.bars, 5 * MIN, fixedBucket(30 * MIN)));
  // 1h: the recorded Binance 1h candles, plus full hours built from the 5m recording where the
  // 1h file has no candle (the two recordings do not overlap in time).
  const hourly = mergeByOpenTime(bars1hBinance, aggregate(five.bars, 5 * MIN, fixedBucket(HOUR)));
  btcKlines.set('1h', hourly);
  for (const iv of ['2h', '4h', '6h', '8h', '12h', '1d'] as const) {
    btcKlines.set(iv, aggregate(hourly, HOUR, fixedBucket(KLINE_INTERVALS[iv] as number)));
  }
  btcKlines.set('1w', aggregate(hourly, HOUR, weekBucket));
  btcKlines.set('1M', aggregate(hourly, HOUR, monthBucket));

  const oi1h = (JSON.parse(readFileSync(path(FILES.oi1h), 'utf8')) as { time: number; openInterest: number; openInterestValue: number }[]).map(
    (p): OiPoint => ({ time: p.time, base: p.openInterest, value: p.openInterestValue }),
  );
  const longShort = (JSON.parse(readFileSync(path(FILES.longShort1h), 'utf8')) as { time: number; ratio: number; longAccount: number; shortAccount: number }[]).map(
    (p): LongShortPoint => ({ time: p.time, ratio: p.ratio, longAccount: p.longAccount, shortAccount: p.shortAccount }),
  );

  const exchangeInfo = JSON.parse(readFileSync(path(FILES.exchangeInfo), 'utf8')) as Record<string, unknown> & { symbols: Record<string, unknown>[] };
  const { symbols: templateSymbols, serverTime: _serverTime, ...exchangeInfoBase } = exchangeInfo;

  const symbols = buildSymbols(templateSymbols, forceOrders);
  return {
    exchangeInfoBase,
    symbols,
    klines: new Map([['BTCUSDT', btcKlines]]),
    openInterest: new Map([
      [
        'BTCUSDT',
        [
          { stepMs: 5 * MIN, points: five.oi },
          { stepMs: HOUR, points: mergeByTime(oi1h) },
        ],
      ],
    ]),
    fundingEvents: new Map([['BTCUSDT', mergeByTime([...loadFundingEvents(path(FILES.funding)), ...five.fundingEvents])]]),
    fundingLevel: new Map([['BTCUSDT', five.fundingLevel]]),
    longShort: new Map([['BTCUSDT', [{ stepMs: HOUR, points: mergeByTime(longShort) }]]]),
    forceOrders,
  };
}

function load5m(file: string, targetMedianVolume: number) {
  const t = readCsv(file);
  const c = {
    ts: t.col('timestamp'),
    o: t.col('price_open'),
    h: t.col('price_high'),
    l: t.col('price_low'),
    cl: t.col('price_close'),
    funding: t.col('funding_close'),
    oi: t.col('oi_close'),
    cvd: t.col('cvd_close'),
  };
  const rows = t.rows.map((r) => ({
    time: num(r, c.ts, file),
    open: num(r, c.o, file),
    high: num(r, c.h, file),
    low: num(r, c.l, file),
    close: num(r, c.cl, file),
    funding: num(r, c.funding, file),
    oi: num(r, c.oi, file),
    cvd: num(r, c.cvd, file),
  }));
  rows.sort((a, b) => a.time - b.time);

  // Taker delta per bar. The file's cvd is the running sum of (takerBuyVol − takerSellVol) in BTC,
  // so takerBuy − takerSell = Δcvd between consecutive bars. Two exceptions:
  //  - the first bar has no predecessor: its delta is unknown and taken as 0 (an even split);
  //  - the running sum was restarted once (2026-05-31 15:05, from about −14,488 to +64): a jump
  //    that lands near zero is a reset, and that bar's delta is its own cvd (counted from 0).
  const delta = rows.map((r, i) => {
    if (i === 0) return 0;
    const d = r.cvd - rows[i - 1]!.cvd;
    const isReset = Math.abs(d) > 5_000 && Math.abs(r.cvd) < 0.05 * Math.abs(d);
    return isReset ? r.cvd : d;
  });
  // Total volume is not recorded for this series. Assumption (documented, deterministic):
  //   volume = |Δcvd| + S · (high − low) / open
  // i.e. the taker imbalance plus a two-sided part that grows with the bar's range, with S set so
  // that the median 5m volume equals 1/12 of the median recorded Binance BTCUSDT 1h volume
  // (btc-1h-candles file, venue=binance). It guarantees volume >= |Δcvd|, so
  //   takerBuyVolume = (volume + Δcvd) / 2 and takerSellVolume = (volume − Δcvd) / 2
  // are both >= 0 and differ by exactly the recorded delta.
  const rangeRel = rows.map((r) => (r.high - r.low) / r.open);
  const scale = Math.max(0, (targetMedianVolume - median(delta.map(Math.abs))) / Math.max(median(rangeRel), 1e-9));

  const bars: Kline[] = rows.map((r, i) => {
    const d = delta[i]!;
    const volume = Math.abs(d) + scale * rangeRel[i]!;
    const takerBuyBase = (volume + d) / 2;
    // Quote volumes are not recorded: approximated as base volume × the bar's mean OHLC price.
    const typical = (r.open + r.high + r.low + r.close) / 4;
    return {
      openTime: r.time,
      closeTime: r.time + 5 * MIN - 1,
      open: r.open,
      high: r.high,
      low: r.low,
      close: r.close,
      volume,
      quoteVolume: volume * typical,
      trades: 0, // the number of trades is not recorded anywhere: served as 0
      takerBuyBase,
      takerBuyQuote: takerBuyBase * typical,
    };
  });

  // Open interest: the file records sumOpenInterestValue (USD) per 5m stamp; the base amount
  // (sumOpenInterest, BTC) is derived as value ÷ the bar's close price.
  const oi: OiPoint[] = rows.map((r) => ({ time: r.time, base: r.oi / r.close, value: r.oi }));

  // Funding: the file forward-fills the settled rate, which changes right at a settlement
  // (00:00, 08:00, 16:00 UTC) or on the next 5m stamp. The rate settled at T is therefore the
  // value recorded at T + 5m.
  const fundingEvents: FundingPoint[] = [];
  for (const r of rows) {
    const settlement = r.time - 5 * MIN;
    if (settlement % (8 * HOUR) === 0) fundingEvents.push({ time: settlement, rate: r.funding });
  }
  const fundingLevel: FundingPoint[] = rows.map((r) => ({ time: r.time, rate: r.funding }));
  return { bars, oi, fundingEvents, fundingLevel };
}

function load1hBars(file: string): Kline[] {
  const t = readCsv(file);
  const c = { ts: t.col('ts_ms'), venue: t.col('venue'), o: t.col('o'), h: t.col('h'), l: t.col('l'), cl: t.col('c'), v: t.col('v') };
  const bars: Kline[] = [];
  for (const r of t.rows) {
    if (r[c.venue] !== 'binance') continue;
    const open = num(r, c.o, file);
    const high = num(r, c.h, file);
    const low = num(r, c.l, file);
    const close = num(r, c.cl, file);
    const volume = num(r, c.v, file);
    const typical = (open + high + low + close) / 4;
    // Recorded: OHLC and base volume. Not recorded: quote volume (≈ volume × mean OHLC price)
    // and the taker split, served as an even split (half the volume taker-bought), i.e. no
    // imbalance information, rather than an invented one.
    bars.push({
      openTime: num(r, c.ts, file),
      closeTime: num(r, c.ts, file) + HOUR - 1,
      open,
      high,
      low,
      close,
      volume,
      quoteVolume: volume * typical,
      trades: 0,
      takerBuyBase: volume / 2,
      takerBuyQuote: (volume / 2) * typical,
    });
  }
  return bars.sort((a, b) => a.openTime - b.openTime);
}

function loadFundingEvents(file: string): FundingPoint[] {
  const t = readCsv(file);
  const c = { ts: t.col('ts_ms'), venue: t.col('venue'), rate: t.col('funding_rate') };
  return t.rows.filter((r) => r[c.venue] === 'binance').map((r) => ({ time: num(r, c.ts, file), rate: num(r, c.rate, file) }));
}

function loadForceOrders(file: string): ForceOrderEvent[] {
  const t = readCsv(file);
  const c = { ts: t.col('timestamp_s'), symbol: t.col('symbol'), side: t.col('side'), price: t.col('price'), qty: t.col('base_qty') };
  const events = t.rows.map((r): ForceOrderEvent => {
    const side = r[c.side];
    if (side !== 'BUY' && side !== 'SELL') throw new Error(`${file}: bad side ${side}`);
    return {
      time: Math.round(num(r, c.ts, file) * 1000),
      symbol: r[c.symbol] ?? '',
      side,
      price: num(r, c.price, file),
      qty: num(r, c.qty, file),
    };
  });
  // Stable sort keeps the file order for equal timestamps.
  return events.map((e, i) => ({ e, i })).sort((a, b) => a.e.time - b.e.time || a.i - b.i).map(({ e }) => e);
}

/**
 * exchangeInfo symbols: BTCUSDT and ETHUSDT as in Binance's documented example (the shape file);
 * every other symbol seen in the recorded liquidations gets the BTCUSDT entry with its own name,
 * base asset and precisions. Those precisions are derived from the recorded event prices and
 * quantities (the most decimals seen), the same way the filters' tick and step sizes are.
 */
function buildSymbols(templates: Record<string, unknown>[], events: readonly ForceOrderEvent[]): Map<string, SymbolSpec> {
  const out = new Map<string, SymbolSpec>();
  const perpetual = templates.filter((s) => s.contractType === 'PERPETUAL' && s.quoteAsset === 'USDT');
  for (const s of perpetual) {
    out.set(String(s.symbol), {
      symbol: String(s.symbol),
      pricePrecision: Number(s.pricePrecision),
      quantityPrecision: Number(s.quantityPrecision),
      info: structuredClone(s),
    });
  }
  const btc = perpetual.find((s) => s.symbol === 'BTCUSDT');
  if (!btc) throw new Error(`${FILES.exchangeInfo}: no BTCUSDT template`);
  const seen = new Map<string, { priceDecimals: number; qtyDecimals: number; maxPrice: number }>();
  for (const e of events) {
    const s = seen.get(e.symbol) ?? { priceDecimals: 0, qtyDecimals: 0, maxPrice: 0 };
    s.priceDecimals = Math.max(s.priceDecimals, decimals(e.price));
    s.qtyDecimals = Math.max(s.qtyDecimals, decimals(e.qty));
    s.maxPrice = Math.max(s.maxPrice, e.price);
    seen.set(e.symbol, s);
  }
  for (const [symbol, s] of seen) {
    if (out.has(symbol) || !symbol.endsWith('USDT')) continue;
    const info = structuredClone(btc);
    const tick = (10 ** -s.priceDecimals).toFixed(s.priceDecimals);
    const step = (10 ** -s.qtyDecimals).toFixed(s.qtyDecimals);
    info.symbol = symbol;
    info.pair = symbol;
    info.baseAsset = symbol.slice(0, -'USDT'.length);
    info.pricePrecision = s.priceDecimals;
    info.quantityPrecision = s.qtyDecimals;
    info.filters = (info.filters as Record<string, unknown>[]).map((f) => {
      if (f.filterType === 'PRICE_FILTER') return { ...f, minPrice: tick, maxPrice: (s.maxPrice * 1000).toFixed(s.priceDecimals), tickSize: tick };
      if (f.filterType === 'LOT_SIZE' || f.filterType === 'MARKET_LOT_SIZE') return { ...f, minQty: step, stepSize: step };
      return f;
    });
    out.set(symbol, { symbol, pricePrecision: s.priceDecimals, quantityPrecision: s.qtyDecimals, info });
  }
  return out;
}

/** Decimals of a recorded number, ignoring float artefacts such as "757.0". */
function decimals(x: number): number {
  const s = String(Number(x.toPrecision(12)));
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

type Bucket = (t: number) => { start: number; end: number };

function fixedBucket(ms: number): Bucket {
  return (t) => {
    const start = Math.floor(t / ms) * ms;
    return { start, end: start + ms };
  };
}

/** Binance weekly candles open on Monday 00:00 UTC (1970-01-05 was a Monday). */
const weekBucket: Bucket = (t) => {
  const monday0 = 4 * DAY;
  const start = Math.floor((t - monday0) / (7 * DAY)) * 7 * DAY + monday0;
  return { start, end: start + 7 * DAY };
};

const monthBucket: Bucket = (t) => {
  const d = new Date(t);
  return { start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
};

/** Combines recorded bars into longer ones; a bucket is served only when every source bar is present. */
function aggregate(source: readonly Kline[], sourceMs: number, bucket: Bucket): Kline[] {
  const out: Kline[] = [];
  let i = 0;
  while (i < source.length) {
    const { start, end } = bucket(source[i]!.openTime);
    const group: Kline[] = [];
    while (i < source.length && source[i]!.openTime < end) group.push(source[i++]!);
    if (group.length !== (end - start) / sourceMs || group[0]!.openTime !== start) continue;
    out.push({
      openTime: start,
      closeTime: end - 1,
      open: group[0]!.open,
      high: Math.max(...group.map((b) => b.high)),
      low: Math.min(...group.map((b) => b.low)),
      close: group.at(-1)!.close,
      volume: sum(group, 'volume'),
      quoteVolume: sum(group, 'quoteVolume'),
      trades: sum(group, 'trades'),
      takerBuyBase: sum(group, 'takerBuyBase'),
      takerBuyQuote: sum(group, 'takerBuyQuote'),
    });
  }
  return out;
}

function mergeByOpenTime(primary: readonly Kline[], secondary: readonly Kline[]): Kline[] {
  const have = new Set(primary.map((b) => b.openTime));
  return [...primary, ...secondary.filter((b) => !have.has(b.openTime))].sort((a, b) => a.openTime - b.openTime);
}

function mergeByTime<T extends { time: number }>(points: T[]): T[] {
  const byTime = new Map<number, T>();
  for (const p of points) if (!byTime.has(p.time)) byTime.set(p.time, p);
  return [...byTime.values()].sort((a, b) => a.time - b.time);
}

function sum(bars: readonly Kline[], key: keyof Kline): number {
  let s = 0;
  for (const b of bars) s += b[key];
  return s;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** First index whose key is >= x, in an array sorted by key. */
export function lowerBound<T>(items: readonly T[], x: number, key: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(items[mid]!) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose key is > x. */
export function upperBound<T>(items: readonly T[], x: number, key: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(items[mid]!) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Statistics for `periodMs` from level samples: a sample taken at a period boundary is the
 * statistic for that period, as Binance stamps them (`1h` → HH:00). A series contributes only
 * when the period is a whole multiple of its sampling step (hourly samples never answer `5m`).
 */
export function samplesForPeriod<T extends { time: number }>(series: readonly SampledSeries<T>[], periodMs: number): T[] {
  const points: T[] = [];
  for (const s of series) {
    if (periodMs % s.stepMs !== 0) continue;
    for (const p of s.points) if (p.time % periodMs === 0) points.push(p);
  }
  return mergeByTime(points);
}
