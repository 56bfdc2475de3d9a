/**
 * Hyperliquid perpetuals, replayed for tests: `POST /info` with the request types ccxt's
 * `hyperliquid` module and `src/data/exchanges/hyperliquid.ts` send (`exchangeStatus`, `meta`,
 * `metaAndAssetCtxs`, `spotMeta`, `candleSnapshot`, `fundingHistory`), in Hyperliquid's response
 * shapes (markets named by coin, numbers as strings, times as numbers).
 *
 * No Hyperliquid recording exists: every value here is Binance's recorded BTCUSDT series standing
 * in (candles, the current open interest, funding), a test fixture only, never Hyperliquid's
 * market. Hyperliquid settles funding hourly: Binance's recorded 8-hour rate divided by 8 at every
 * hour (reconstructed; `fundingHours` can change the interval). Candles include the bar still
 * forming. Only BTC is listed; no spot tokens.
 */
import { json } from '../http';
import type { ExchangeContext, ExchangeInstance, ExchangeModule, HttpReply, ReplayRequest } from '../types';
import { recordedSeries, type RecordedSeries } from './recorded-series';

const MIN = 60_000;
const INTERVALS: Readonly<Record<string, number>> = { '5m': 5 * MIN, '15m': 15 * MIN, '1h': 60 * MIN };
const COIN = 'BTC';
/** Latest candles kept per interval. */
const CANDLE_REACH = 5000;
const UNIVERSE = [{ name: COIN, szDecimals: 5, maxLeverage: 40 }];

type Body = Record<string, unknown>;

function time(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

class HyperliquidReplay implements ExchangeInstance {
  private readonly series: RecordedSeries;

  constructor(private readonly ctx: ExchangeContext) {
    this.series = recordedSeries(ctx.dataDir, 'binance-stand-in');
  }

  handleHttp(req: ReplayRequest): HttpReply {
    if (req.path !== '/info' || req.method !== 'POST') return json(404, { error: `unknown path ${req.path}` });
    let body: unknown;
    try {
      body = JSON.parse(req.body ?? '');
    } catch {
      return json(422, 'Failed to deserialize the JSON body into the target type');
    }
    if (typeof body !== 'object' || body === null) return json(422, 'Failed to deserialize the JSON body into the target type');
    const answer = this.answer(body as Body, this.ctx.clock.now());
    return answer === undefined ? json(422, 'Failed to deserialize the JSON body into the target type') : json(200, answer);
  }

  private assetCtx(now: number) {
    const last = this.series.candles(5 * MIN, now - 2 * 86_400_000, now, now);
    const price = last.at(-1)?.close ?? 0;
    const dayAgo = last.find((k) => k.openTime >= now - 86_400_000)?.open ?? price;
    const funding = this.series.funding(0, now, now).at(-1)?.rate ?? 0;
    // Hyperliquid counts both sides of every position: twice the one-sided count Binance records.
    const oi = 2 * (this.series.openInterestNow(now)?.base ?? 0);
    const dayBase = last.filter((k) => k.openTime >= now - 86_400_000).reduce((sum, k) => sum + k.volume, 0);
    return {
      funding: String(funding / 8),
      openInterest: oi.toFixed(5),
      prevDayPx: String(dayAgo),
      dayNtlVlm: (dayBase * price).toFixed(2),
      premium: '0.0',
      oraclePx: String(price),
      markPx: String(price),
      midPx: String(price),
      impactPxs: [String(price), String(price)],
      dayBaseVlm: dayBase.toFixed(5),
    };
  }

  private answer(body: Body, now: number): unknown {
    switch (body['type']) {
      case 'exchangeStatus':
        return { time: String(now), specialStatuses: null };
      case 'meta':
        return { universe: UNIVERSE };
      case 'metaAndAssetCtxs':
        return [{ universe: UNIVERSE }, [this.assetCtx(now)]];
      case 'spotMeta':
        return { universe: [], tokens: [] };
      case 'spotMetaAndAssetCtxs':
        return [{ universe: [], tokens: [] }, []];
      case 'candleSnapshot': {
        const req = (body['req'] ?? {}) as Body;
        const interval = INTERVALS[String(req['interval'])];
        if (req['coin'] !== COIN) return [];
        if (!interval) return undefined;
        const rows = this.series.candles(interval, time(req['startTime'], 0), time(req['endTime'], now), now).slice(0, 5000);
        const reach = now - CANDLE_REACH * interval;
        return rows
          .filter((k) => k.openTime >= reach)
          .map((k) => ({ t: k.openTime, T: k.closeTime, s: COIN, i: req['interval'], o: String(k.open), c: String(k.close), h: String(k.high), l: String(k.low), v: k.volume.toFixed(5), n: 0 }));
      }
      case 'fundingHistory': {
        if (body['coin'] !== COIN) return [];
        // Hourly by default: the recorded 8-hour rate / 8 at every hour (see recorded-series.ts).
        const rows = this.series.fundingAt(this.ctx.fundingHours('hyperliquid'), time(body['startTime'], 0), time(body['endTime'], now), now).slice(0, 500);
        return rows.map((f) => ({ coin: COIN, fundingRate: String(f.rate), premium: '0.0', time: f.time }));
      }
      default:
        return undefined;
    }
  }

  recordingEnd(): number {
    return this.series.end;
  }
}

export const hyperliquid: ExchangeModule = {
  id: 'hyperliquid',
  restHosts: ['api.hyperliquid.xyz'],
  wsHosts: [],
  pageHosts: ['app.hyperliquid.xyz'],
  create: (ctx) => new HyperliquidReplay(ctx),
};
