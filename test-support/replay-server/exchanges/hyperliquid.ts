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
 *
 * Real positions: `clearinghouseState` answers from the recorded snapshot of 547 accounts
 * (`hyperliquid-positions.ts` says what is recorded and what reconstructed), after a latency.
 * Hyperliquid's weight limit is enforced on every `/info` request (`weight-limit.ts`): over
 * 1,200 a minute the answer is HTTP 429.
 */
import { json } from '../http';
import type { ExchangeContext, ExchangeInstance, ExchangeModule, HttpReply, ReplayRequest } from '../types';
import { positionsSnapshot, type PositionsSnapshot } from './hyperliquid-positions';
import { recordedSeries, type RecordedSeries } from './recorded-series';
import { infoWeight, WeightLimit, type WeightLimitOptions } from './weight-limit';

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

export interface HyperliquidReplayOptions extends WeightLimitOptions {
  /** Latency of a `clearinghouseState` answer, ms (default 60; no recording of it exists). */
  readonly positionsLatencyMs?: number;
}

class HyperliquidReplay implements ExchangeInstance {
  private readonly series: RecordedSeries;
  private positionsHeld: PositionsSnapshot | undefined;
  private readonly limit: WeightLimit;

  constructor(
    private readonly ctx: ExchangeContext,
    private readonly options: HyperliquidReplayOptions = {},
  ) {
    this.series = recordedSeries(ctx.dataDir, 'binance-stand-in');
    this.limit = new WeightLimit(options);
  }

  /** Loaded on the first positions request only (other tests never read the CSV). */
  private get positions(): PositionsSnapshot {
    return (this.positionsHeld ??= positionsSnapshot(this.ctx.dataDir));
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
    const request = body as Body;
    const answer = this.answer(request, this.ctx.clock.now());
    if (answer === undefined) return json(422, 'Failed to deserialize the JSON body into the target type');
    // The real 429's body was never recorded: status 429 and a null body.
    if (!this.limit.take(infoWeight(String(request['type']), Array.isArray(answer) ? answer.length : 0))) return json(429, null);
    const reply = json(200, answer);
    return request['type'] === 'clearinghouseState' ? { ...reply, delayMs: this.options.positionsLatencyMs ?? 60 } : reply;
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
      case 'clearinghouseState': {
        const user = body['user'];
        // The API refuses a missing or malformed user with 422, as any undeserialisable body.
        if (typeof user !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(user)) return undefined;
        return this.positions.clearinghouseState(user);
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

/** The Hyperliquid module with its own latency and weight limit (tests of the limit). */
export function hyperliquidWith(options: HyperliquidReplayOptions): ExchangeModule {
  return {
    id: 'hyperliquid',
    restHosts: ['api.hyperliquid.xyz'],
    wsHosts: [],
    pageHosts: ['app.hyperliquid.xyz'],
    create: (ctx) => new HyperliquidReplay(ctx, options),
  };
}

export const hyperliquid: ExchangeModule = hyperliquidWith({});
