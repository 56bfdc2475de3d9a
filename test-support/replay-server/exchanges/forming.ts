/**
 * The bar still forming at the replay's "now", as every real exchange's candle endpoint returns it
 * (Binance klines, Bybit kline, OKX candles with `confirm` "0", Bitget candles, Hyperliquid
 * candleSnapshot all include the current bar). Reconstructed from the recorded 5m bars: the closed
 * 5m bars of the interval so far, plus the 5m bar containing "now" cut at the elapsed fraction of
 * its five minutes (its close moved from its open toward the recorded close, its range and volume
 * scaled the same way). A fixture so that clients meet a bar whose values still change, not a
 * record of what the exchange showed at that instant.
 */
import { type Kline, lowerBound } from './binance-data';

const FIVE_MIN = 300_000;

/** The recorded 5m bar cut at `now` (undefined before it opens or once it has closed). */
function partial(bar: Kline, now: number): Kline | undefined {
  const f = (now - bar.openTime) / FIVE_MIN;
  if (!(f > 0 && f < 1)) return undefined;
  const close = bar.open + (bar.close - bar.open) * f;
  const top = Math.max(bar.open, close);
  const bottom = Math.min(bar.open, close);
  return {
    ...bar,
    close,
    high: top + (bar.high - Math.max(bar.open, bar.close)) * f,
    low: bottom - (Math.min(bar.open, bar.close) - bar.low) * f,
    volume: bar.volume * f,
    quoteVolume: bar.quoteVolume * f,
    takerBuyBase: bar.takerBuyBase * f,
    takerBuyQuote: bar.takerBuyQuote * f,
    trades: Math.round(bar.trades * f),
  };
}

/**
 * The bar of `intervalMs` (a multiple of 5 minutes, at most a day) containing `now`, built from the
 * recorded 5m bars; undefined when no recorded 5m bar lies in it before `now`.
 * @example formingBar(five, 3_600_000, now)?.closeTime // the hour's end - 1
 */
export function formingBar(five: readonly Kline[], intervalMs: number, now: number): Kline | undefined {
  if (intervalMs % FIVE_MIN !== 0 || intervalMs > 86_400_000) return undefined;
  const openTime = Math.floor(now / intervalMs) * intervalMs;
  if (now === openTime) return undefined;
  const from = lowerBound(five, openTime, (k) => k.openTime);
  const to = lowerBound(five, now, (k) => k.openTime);
  const parts: Kline[] = [];
  for (let i = from; i < to; i++) {
    const bar = five[i]!;
    if (bar.closeTime < now) parts.push(bar);
    else {
      const cut = partial(bar, now);
      if (cut) parts.push(cut);
    }
  }
  const first = parts[0];
  const last = parts.at(-1);
  if (!first || !last) return undefined;
  const total = (key: 'volume' | 'quoteVolume' | 'takerBuyBase' | 'takerBuyQuote' | 'trades') => parts.reduce((s, k) => s + k[key], 0);
  return {
    openTime,
    closeTime: openTime + intervalMs - 1,
    open: first.open,
    high: Math.max(...parts.map((k) => k.high)),
    low: Math.min(...parts.map((k) => k.low)),
    close: last.close,
    volume: total('volume'),
    quoteVolume: total('quoteVolume'),
    trades: total('trades'),
    takerBuyBase: total('takerBuyBase'),
    takerBuyQuote: total('takerBuyQuote'),
  };
}
