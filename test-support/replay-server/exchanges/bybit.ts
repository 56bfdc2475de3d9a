/**
 * Bybit USDT perpetuals (v5, category `linear`), replayed for tests: the public endpoints ccxt's
 * `bybit` module and `src/data/exchanges/bybit.ts` call, in Bybit's response shape
 * (`{ retCode, retMsg, result, retExtInfo, time }`, lists newest first, numbers as strings).
 * Data: `recorded-series.ts` (Bybit's own recorded 1h candles and funding; Binance's recorded
 * BTCUSDT 5m/15m candles and open interest standing in where no Bybit recording exists).
 * The long/short account ratio is Binance's recorded ratio standing in (see `recorded-series.ts`),
 * in Bybit's shape (`buyRatio`/`sellRatio` as fractions of accounts). Open interest and the ratio
 * page with `nextPageCursor` as Bybit does (`lastid=<row>&lasttime=<s>`, URL-encoded, as in the
 * recorded answer in `../shared/data/exchange-fixtures/bybit.json`); `cursor` continues with the
 * older rows. Risk-limit tiers: Bybit's documented BTCUSDT rows (see `RISK_LIMITS`).
 *
 * Websocket `stream.bybit.com/v5/public/linear`: the `allLiquidation.BTCUSDT` topic replays
 * Binance's recorded BTCUSDT liquidation events re-framed as Bybit's (no Bybit liquidation
 * recording exists; see `liquidation-replay.ts`), and `{"op":"ping"}` is answered.
 */
import { json } from '../http';
import { ApiError, intParam } from './api-error';
import type { ExchangeContext, ExchangeInstance, ExchangeModule, HttpReply, ReplayRequest } from '../types';
import { recordedSeries, type RecordedSeries } from './recorded-series';
import type { WebSocket } from 'ws';
import { loadBinanceData } from './binance-data';
import { EventPacer, liquidationAsSent, sendJson } from './liquidation-replay';

const MIN = 60_000;
const INTERVALS: Readonly<Record<string, number>> = { '5': 5 * MIN, '15': 15 * MIN, '60': 60 * MIN };
const OI_PERIODS: Readonly<Record<string, number>> = { '5min': 5 * MIN, '15min': 15 * MIN, '30min': 30 * MIN, '1h': 60 * MIN, '4h': 240 * MIN, '1d': 1440 * MIN };
/** `period` of `/v5/market/account-ratio` (Bybit v5 docs, "Get Long Short Ratio"). */
const RATIO_PERIODS = OI_PERIODS;

/**
 * BTCUSDT risk limits in `/v5/market/risk-limit`'s documented shape (Bybit v5 docs, "Get Risk
 * Limit": https://bybit-exchange.github.io/docs/v5/market/risk-limit): `riskLimitValue` in USDT,
 * `maintenanceMargin` and `initialMargin` as fractions (0.005 = 0.5 %), `mmDeduction` in USDT. No
 * recording of this endpoint exists (the ccxt fixture has none). The first row is the one Bybit's
 * help center states (2,000,000 USDT at 0.5 %, 100x; the engine's shipped table); the next rows are
 * fixture values, not Bybit's table (a step of 0.06 points per 600,000 USDT), with the deduction
 * by the cumulative rule, so that tests see more than one tier.
 */
const RISK_LIMITS = [
  { id: 1, riskLimitValue: '2000000', maintenanceMargin: '0.005', initialMargin: '0.01', maxLeverage: '100.00', mmDeduction: '0' },
  { id: 2, riskLimitValue: '2600000', maintenanceMargin: '0.0056', initialMargin: '0.0111', maxLeverage: '90.00', mmDeduction: '1200' },
  { id: 3, riskLimitValue: '3200000', maintenanceMargin: '0.0062', initialMargin: '0.0125', maxLeverage: '80.00', mmDeduction: '2760' },
  { id: 4, riskLimitValue: '3800000', maintenanceMargin: '0.0068', initialMargin: '0.0142', maxLeverage: '70.00', mmDeduction: '4680' },
];

/** Bybit's cursor for the rows older than `row` (a row time in ms), as its API spells it. */
function cursorFor(index: number, time: number): string {
  return encodeURIComponent(`lastid=${index}&lasttime=${Math.floor(time / 1000)}`);
}

/** The `lasttime` (ms) of a cursor, or undefined when none was sent. */
function cursorTime(q: URLSearchParams): number | undefined {
  const raw = q.get('cursor');
  if (!raw) return undefined;
  const match = /lasttime=(\d+)/.exec(decodeURIComponent(raw));
  if (!match) throw new ApiError('10001', 'params error: cursor invalid');
  return Number(match[1]) * 1000;
}

/** A newest-first page of `rows` (oldest first) older than the cursor, and the cursor to the next one. */
function cursorPage<T extends { time: number }>(rows: readonly T[], q: URLSearchParams, n: number): { page: T[]; next: string } {
  const before = cursorTime(q);
  const older = before === undefined ? rows : rows.filter((r) => r.time < before);
  const page = older.slice(-n).reverse();
  const oldest = page.at(-1);
  const more = oldest !== undefined && older.length > page.length;
  return { page, next: more ? cursorFor(older.length - page.length, oldest.time) : '' };
}
const SYMBOL = 'BTCUSDT';

/** BTCUSDT as `/v5/market/instruments-info` lists it (Bybit's documented example values). */
const INSTRUMENT = {
  symbol: SYMBOL,
  contractType: 'LinearPerpetual',
  status: 'Trading',
  baseCoin: 'BTC',
  quoteCoin: 'USDT',
  launchTime: '1585526400000',
  deliveryTime: '0',
  deliveryFeeRate: '',
  priceScale: '2',
  leverageFilter: { minLeverage: '1', maxLeverage: '100.00', leverageStep: '0.01' },
  priceFilter: { minPrice: '0.50', maxPrice: '999999.00', tickSize: '0.50' },
  lotSizeFilter: { maxOrderQty: '100.000', minOrderQty: '0.001', qtyStep: '0.001', postOnlyMaxOrderQty: '1000.000' },
  unifiedMarginTrade: true,
  fundingInterval: 480,
  upperFundingRate: '0.005',
  lowerFundingRate: '-0.005',
  settleCoin: 'USDT',
};

const int = (q: URLSearchParams, name: string) => intParam(q, name, (n) => new ApiError('10001', `params error: ${n} invalid`));

function limit(q: URLSearchParams, fallback: number, max: number): number {
  const value = int(q, 'limit') ?? fallback;
  if (value < 1 || value > max) throw new ApiError('10001', 'params error: limit invalid');
  return value;
}

class BybitReplay implements ExchangeInstance {
  private readonly series: RecordedSeries;
  private readonly sockets = new Set<EventPacer>();

  constructor(private readonly ctx: ExchangeContext) {
    this.series = recordedSeries(ctx.dataDir, 'bybit');
  }

  handleHttp(req: ReplayRequest): HttpReply {
    const now = this.ctx.clock.now();
    const ok = (result: unknown) => json(200, { retCode: 0, retMsg: 'OK', result, retExtInfo: {}, time: now });
    try {
      return ok(this.answer(req, now));
    } catch (error) {
      if (error instanceof ApiError) return json(200, { retCode: Number(error.code), retMsg: error.message, result: {}, retExtInfo: {}, time: now });
      throw error;
    }
  }

  private answer(req: ReplayRequest, now: number): unknown {
    const q = req.query;
    const symbolOk = () => {
      if (q.get('category') !== 'linear') throw new ApiError('10001', 'params error: category invalid');
      if (q.get('symbol') !== SYMBOL) throw new ApiError('10001', 'params error: Symbol Is Invalid');
    };
    switch (req.path) {
      case '/v5/market/time':
        return { timeSecond: String(Math.floor(now / 1000)), timeNano: `${now}000000` };
      case '/v5/market/instruments-info':
        if (q.get('category') !== 'linear') return { category: q.get('category') ?? '', list: [], nextPageCursor: '' };
        // Nothing is in pre-launch.
        return { category: 'linear', list: q.get('status') === 'PreLaunch' ? [] : [{ ...INSTRUMENT, fundingInterval: this.ctx.fundingHours('bybit') * 60 }], nextPageCursor: '' };
      case '/v5/market/kline': {
        symbolOk();
        const interval = INTERVALS[q.get('interval') ?? ''];
        if (!interval) throw new ApiError('10001', 'params error: interval invalid');
        const end = int(q, 'end') ?? now;
        const rows = this.series.candles(interval, int(q, 'start') ?? 0, end, now);
        const n = limit(q, 200, 1000);
        // From `start` when given, else the latest; newest first.
        const page = q.get('start') ? rows.slice(0, n) : rows.slice(-n);
        return {
          category: 'linear',
          symbol: SYMBOL,
          list: page.reverse().map((k) => [String(k.openTime), String(k.open), String(k.high), String(k.low), String(k.close), k.volume.toFixed(3), k.quoteVolume.toFixed(4)]),
        };
      }
      case '/v5/market/open-interest': {
        symbolOk();
        const period = OI_PERIODS[q.get('intervalTime') ?? ''];
        if (!period) throw new ApiError('10001', 'params error: intervalTime invalid');
        const rows = this.series.openInterest(period, int(q, 'startTime') ?? 0, int(q, 'endTime') ?? now, now);
        const { page, next } = cursorPage(rows, q, limit(q, 50, 200));
        return { symbol: SYMBOL, category: 'linear', list: page.map((p) => ({ openInterest: p.base.toFixed(8), timestamp: String(p.time) })), nextPageCursor: next };
      }
      case '/v5/market/funding/history': {
        symbolOk();
        // Bybit refuses a startTime without an endTime (v5 docs, "Get Funding Rate History").
        if (q.get('startTime') && !q.get('endTime')) throw new ApiError('10001', 'params error: endTime is required when startTime is given');
        const rows = this.series.fundingAt(this.ctx.fundingHours('bybit'), int(q, 'startTime') ?? 0, int(q, 'endTime') ?? now, now);
        const page = rows.slice(-limit(q, 200, 200)).reverse();
        return { category: 'linear', list: page.map((f) => ({ symbol: SYMBOL, fundingRate: String(f.rate), fundingRateTimestamp: String(f.time) })) };
      }
      case '/v5/market/account-ratio': {
        symbolOk();
        const period = RATIO_PERIODS[q.get('period') ?? ''];
        if (!period) throw new ApiError('10001', 'params error: period invalid');
        const rows = this.series.ratio(period, int(q, 'startTime') ?? 0, int(q, 'endTime') ?? now, now);
        const { page, next } = cursorPage(rows, q, limit(q, 50, 500));
        const list = page.map((p) => {
          const buy = p.longAccount / (p.longAccount + p.shortAccount);
          return { symbol: SYMBOL, buyRatio: buy.toFixed(4), sellRatio: (1 - buy).toFixed(4), timestamp: String(p.time) };
        });
        return { list, nextPageCursor: next };
      }
      case '/v5/market/risk-limit':
        if (q.get('category') !== 'linear') throw new ApiError('10001', 'params error: category invalid');
        if (q.get('symbol') !== null && q.get('symbol') !== SYMBOL) return { category: 'linear', list: [], nextPageCursor: '' };
        return {
          category: 'linear',
          list: RISK_LIMITS.map((r) => ({ ...r, symbol: SYMBOL, section: [], isLowestRisk: r.id === 1 ? 1 : 0 })),
          nextPageCursor: '',
        };
      default:
        throw new ApiError('10404', `unknown path ${req.path}`);
    }
  }

  recordingEnd(): number {
    return this.series.end;
  }

  acceptsWebSocket(req: ReplayRequest): boolean {
    return req.path === '/v5/public/linear';
  }

  handleWebSocket(socket: WebSocket): void {
    const data = loadBinanceData(this.ctx.dataDir);
    const events = data.forceOrders.filter((e) => e.symbol === SYMBOL);
    const topic = `allLiquidation.${SYMBOL}`;
    const pacer = new EventPacer(events, this.ctx.wsSpeed, (event) => {
      if (socket.readyState !== socket.OPEN) return;
      const sent = liquidationAsSent(data, this.ctx, event);
      const price = Number(sent.price.toFixed(2));
      const qty = Number(sent.qty.toFixed(6));
      // Binance's SELL order closed a long: Bybit names the liquidated position, `Buy` for a long.
      const entry = { T: sent.time, s: SYMBOL, S: event.side === 'SELL' ? 'Buy' : 'Sell', v: String(qty), p: String(price) };
      sendJson(socket, { topic, type: 'snapshot', ts: sent.time, data: [entry] });
      this.ctx.liquidationsSent.push({ exchange: 'bybit', symbol: SYMBOL, side: event.side, price, qty, time: sent.time, recordedTime: event.time, recordedPrice: event.price });
    });
    this.sockets.add(pacer);
    socket.on('close', () => {
      pacer.stop();
      this.sockets.delete(pacer);
    });
    socket.on('message', (raw) => {
      let msg: { op?: unknown; args?: unknown; req_id?: unknown };
      try {
        msg = JSON.parse(String(raw)) as typeof msg;
      } catch {
        sendJson(socket, { success: false, ret_msg: 'error:request not json', op: '' });
        return;
      }
      const reqId = typeof msg.req_id === 'string' ? { req_id: msg.req_id } : {};
      if (msg.op === 'ping') return sendJson(socket, { success: true, ret_msg: 'pong', conn_id: 'replay', op: 'ping', ...reqId });
      if (msg.op !== 'subscribe' || !Array.isArray(msg.args)) return sendJson(socket, { success: false, ret_msg: `error:unknown op ${String(msg.op)}`, conn_id: 'replay', ...reqId });
      const unknown = msg.args.map(String).filter((a) => a !== topic);
      if (unknown.length > 0) return sendJson(socket, { success: false, ret_msg: `error:handler not found,topic:${unknown.join(',')}`, conn_id: 'replay', op: 'subscribe', ...reqId });
      sendJson(socket, { success: true, ret_msg: '', conn_id: 'replay', op: 'subscribe', ...reqId });
      pacer.start();
    });
  }

  close(): void {
    for (const pacer of this.sockets) pacer.stop();
    this.sockets.clear();
  }
}

export const bybit: ExchangeModule = {
  id: 'bybit',
  restHosts: ['api.bybit.com'],
  wsHosts: ['stream.bybit.com'],
  pageHosts: ['www.bybit.com'],
  create: (ctx) => new BybitReplay(ctx),
};
