/**
 * The series the background estimates from. Stopgap until the data layer (`src/data/`, ccxt
 * fetchers with a cache) is wired in: Binance USDT-M only, straight from its public REST API
 * (klines, open-interest history, funding), no cache. Same signature as the data layer's
 * `loadSeries`, so swapping it is a one-line change in the background.
 */
import type { Bar, ExchangeId } from '../engine/types';
import type { LoadedSeriesLike, LoadOptions, Timeframe } from './service';
import { TIMEFRAME_MS } from './service';

const BINANCE_API = 'https://fapi.binance.com';
const KLINES_LIMIT = 1500;
const OI_LIMIT = 500;
const FUNDING_LIMIT = 1000;

async function getJson(url: string, signal: AbortSignal | undefined): Promise<unknown> {
  const response = await fetch(url, signal ? { signal } : {});
  if (!response.ok) throw new Error(`${new URL(url).pathname}: HTTP ${response.status}`);
  return response.json();
}

function rows(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${what}: unexpected answer`);
  return value;
}

export async function loadSeries(
  exchange: ExchangeId,
  symbol: string,
  timeframe: Timeframe,
  lookbackMs: number,
  options: LoadOptions = {},
): Promise<LoadedSeriesLike> {
  if (exchange !== 'binance') throw new Error(`${exchange} is not supported yet`);
  const { signal } = options;
  const tf = TIMEFRAME_MS[timeframe];
  const serverTime = (await getJson(`${BINANCE_API}/fapi/v1/time`, signal)) as { serverTime?: number };
  const end = typeof serverTime.serverTime === 'number' ? serverTime.serverTime : Date.now();
  const start = Math.floor((end - lookbackMs) / tf) * tf;
  const sym = encodeURIComponent(symbol);

  const klines: unknown[] = [];
  for (let from = start; from < end; ) {
    const page = rows(await getJson(`${BINANCE_API}/fapi/v1/klines?symbol=${sym}&interval=${timeframe}&startTime=${from}&limit=${KLINES_LIMIT}`, signal), 'klines');
    klines.push(...page);
    const last = page.at(-1) as unknown[] | undefined;
    if (!last || page.length < KLINES_LIMIT) break;
    from = Number(last[0]) + tf;
  }

  const oi = new Map<number, number>();
  for (let from = start; from < end; from += OI_LIMIT * tf) {
    const to = Math.min(end, from + OI_LIMIT * tf - 1);
    const page = rows(await getJson(`${BINANCE_API}/futures/data/openInterestHist?symbol=${sym}&period=${timeframe}&startTime=${from}&endTime=${to}&limit=${OI_LIMIT}`, signal), 'openInterestHist');
    for (const row of page as { timestamp?: unknown; sumOpenInterestValue?: unknown }[]) {
      oi.set(Number(row.timestamp), Number(row.sumOpenInterestValue));
    }
  }

  const funding: { time: number; rate: number }[] = [];
  const fundingPage = rows(await getJson(`${BINANCE_API}/fapi/v1/fundingRate?symbol=${sym}&startTime=${start}&limit=${FUNDING_LIMIT}`, signal), 'fundingRate');
  for (const row of fundingPage as { fundingTime?: unknown; fundingRate?: unknown }[]) {
    funding.push({ time: Number(row.fundingTime), rate: Number(row.fundingRate) });
  }
  funding.sort((a, b) => a.time - b.time);

  const bars: Bar[] = [];
  let lastOi: number | undefined;
  let f = 0;
  let rate: number | undefined;
  for (const raw of klines as unknown[][]) {
    const openTime = Number(raw[0]);
    const closeTime = openTime + tf;
    if (closeTime > end) break;
    // Open interest at the bar's close: the sample stamped at the close, else at the open, else the last one seen.
    lastOi = oi.get(closeTime) ?? oi.get(openTime) ?? lastOi;
    while (f < funding.length && funding[f]!.time <= closeTime) rate = funding[f++]!.rate;
    if (lastOi === undefined || !(lastOi > 0)) continue;
    bars.push({
      timestamp: openTime,
      open: Number(raw[1]),
      high: Number(raw[2]),
      low: Number(raw[3]),
      close: Number(raw[4]),
      volume: Number(raw[5]),
      takerBuyVolume: Number(raw[9]),
      openInterestUsd: lastOi,
      ...(rate !== undefined && Number.isFinite(rate) ? { fundingRate: rate } : {}),
    });
  }
  return { series: { exchange, symbol, timeframeMs: tf, bars }, cachedBars: 0, fetchedBars: bars.length };
}
