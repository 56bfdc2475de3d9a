/**
 * Binance USDT-M futures, replayed: the public REST endpoints of `fapi.binance.com` that ccxt's
 * `binanceusdm` calls, and the liquidation stream of `fstream.binance.com`. Paths, parameters,
 * limits, error bodies and response shapes follow Binance (shapes: shared/data/binance-fapi-shapes).
 * Values come from the recorded files, see `binance-data.ts`.
 */
import type { WebSocket } from 'ws';
import { formingBar } from './forming';
import { fundingEvery } from './recorded-series';
import { EventPacer, lastRecordedPrice, liquidationAsSent, sendJson } from './liquidation-replay';
import { json } from '../http';
import type { ActiveFault } from '../faults';
import type { ExchangeContext, ExchangeInstance, ExchangeModule, HttpReply, ReplayRequest, SentLiquidation } from '../types';
import {
  type BinanceData,
  type ForceOrderEvent,
  type Kline,
  KLINE_INTERVALS,
  type LongShortPoint,
  type OiPoint,
  STAT_PERIODS,
  type SymbolSpec,
  loadBinanceData,
  lowerBound,
  samplesForPeriod,
  upperBound,
} from './binance-data';

const DAY = 86_400_000;
const FUNDING_INTERVAL = 8 * 3_600_000;
/** `/futures/data/*` statistics are kept for the latest 30 days only. */
const STATS_WINDOW = 30 * DAY;

class BinanceError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    msg: string,
  ) {
    super(msg);
  }
}

const mandatory = (name: string) =>
  new BinanceError(400, -1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);
const invalidSymbol = () => new BinanceError(400, -1121, 'Invalid symbol.');
/** fapi wording, e.g. klines `limit=1501`. */
const fapiInvalid = (name: string) => new BinanceError(400, -1130, `Data sent for parameter '${name}' is not valid.`);
/** `/futures/data/*` wording, e.g. an openInterestHist `startTime` older than 30 days. */
const statsInvalid = (name: string) => new BinanceError(400, -1130, `parameter '${name}' is invalid.`);

function intParam(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^[0-9]{1,20}$/.test(raw)) {
    throw new BinanceError(400, -1100, `Illegal characters found in parameter '${name}'; legal range is '^[0-9]{1,20}$'.`);
  }
  return Number(raw);
}

function limitParam(q: URLSearchParams, fallback: number, max: number, invalid: (name: string) => BinanceError): number {
  const limit = intParam(q, 'limit') ?? fallback;
  if (limit < 1 || limit > max) throw invalid('limit');
  return limit;
}

function timeRange(q: URLSearchParams): { start?: number; end?: number } {
  const start = intParam(q, 'startTime');
  const end = intParam(q, 'endTime');
  if (start !== undefined && end !== undefined && start > end) {
    throw new BinanceError(400, -1023, 'Start time is greater than end time.');
  }
  return { start, end };
}

const STATUS_TEXT: Record<number, string> = { 502: 'Bad Gateway', 504: 'Gateway Time-out' };

const fix = (x: number, decimals: number) => x.toFixed(decimals);

class BinanceReplay implements ExchangeInstance {
  private readonly data: BinanceData;
  private readonly sockets = new Set<ForceOrderStream>();
  private readonly statsCache = new Map<string, unknown[]>();
  private weightMinute = -1;
  private weightUsed = 0;

  constructor(private readonly ctx: ExchangeContext) {
    this.data = loadBinanceData(ctx.dataDir);
  }

  handleHttp(req: ReplayRequest): HttpReply {
    const route = ROUTES[req.path];
    if (!route || (req.method !== 'GET' && req.method !== 'HEAD')) {
      return json(404, { code: -5000, msg: `Path ${req.path}, Method ${req.method} is invalid` });
    }
    const used = this.useWeight(route.weight(req.query));
    const headers = { 'x-mbx-used-weight-1m': String(used), 'access-control-allow-origin': '*' };
    try {
      return json(200, route.handler.call(this, req.query, this.ctx.clock.now()), headers);
    } catch (err) {
      if (err instanceof BinanceError) return json(err.status, { code: err.code, msg: err.message }, headers);
      throw err;
    }
  }

  acceptsWebSocket(req: ReplayRequest): boolean {
    return parseWsPath(req) !== undefined;
  }

  handleWebSocket(socket: WebSocket, req: ReplayRequest): void {
    const target = parseWsPath(req);
    if (!target) {
      socket.close(1008, 'unknown path');
      return;
    }
    const stream = new ForceOrderStream(socket, this.data, target.combined, this.ctx.wsSpeed, (event) => this.asSent(event), this.ctx.liquidationsSent);
    this.sockets.add(stream);
    socket.on('close', () => {
      stream.stop();
      this.sockets.delete(stream);
    });
    stream.subscribe(target.streams);
  }

  recordingEnd(): number {
    const bars = this.data.klines.get('BTCUSDT')?.get('5m') ?? [];
    const last = bars.at(-1);
    if (!last) throw new Error('no recorded BTCUSDT 5m bars');
    return last.closeTime + 1;
  }

  /** Binance's answers to overload: 429 and 418 carry code -1003 and a Retry-After header. */
  faultReply(fault: ActiveFault): HttpReply | undefined {
    const now = this.ctx.clock.now();
    switch (fault.kind) {
      case 'rate-limit': {
        const retryAfter = fault.retryAfter ?? 1;
        return json(
          429,
          { code: -1003, msg: 'Too many requests; current limit of IP(127.0.0.1) is 2400 requests per minute. Please use the websocket for live updates to avoid polling the API.' },
          { 'retry-after': String(retryAfter) },
        );
      }
      case 'ip-ban': {
        const retryAfter = fault.retryAfter ?? 120;
        return json(
          418,
          { code: -1003, msg: `Way too many requests; IP(127.0.0.1) banned until ${now + retryAfter * 1000}. Please use the websocket for live updates to avoid bans.` },
          { 'retry-after': String(retryAfter) },
        );
      }
      case 'server-error': {
        const status = fault.status ?? 503;
        if (status === 500) return json(500, { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' });
        if (status === 503) return json(503, { code: -1008, msg: 'Server is currently overloaded with other requests. Please try again in a few minutes.' });
        // Gateway errors come from the CDN in front of the API, as HTML.
        return {
          status,
          headers: { 'content-type': 'text/html' },
          body: `<html>\r\n<head><title>${status} ${STATUS_TEXT[status] ?? 'Error'}</title></head>\r\n<body>\r\n<center><h1>${status} ${STATUS_TEXT[status] ?? 'Error'}</h1></center>\r\n</body>\r\n</html>\r\n`,
        };
      }
      default:
        return undefined;
    }
  }

  close(): void {
    for (const s of this.sockets) s.stop();
    this.sockets.clear();
  }

  /** Binance counts request weight per IP and minute and reports it in `x-mbx-used-weight-1m`. */
  private useWeight(weight: number): number {
    const minute = Math.floor(Date.now() / 60_000);
    if (minute !== this.weightMinute) {
      this.weightMinute = minute;
      this.weightUsed = 0;
    }
    this.weightUsed += weight;
    return this.weightUsed;
  }

  // --- helpers -------------------------------------------------------------------------------

  private symbolParam(q: URLSearchParams): SymbolSpec {
    const symbol = q.get('symbol');
    if (!symbol) throw mandatory('symbol');
    const spec = this.data.symbols.get(symbol);
    if (!spec) throw invalidSymbol();
    return spec;
  }

  private optionalSymbol(q: URLSearchParams): SymbolSpec | undefined {
    return q.get('symbol') ? this.symbolParam(q) : undefined;
  }

  /** A recorded liquidation as the stream sends it (see `liquidationAsSent`). */
  private asSent(event: ForceOrderEvent): { time: number; price: number; qty: number } {
    return liquidationAsSent(this.data, this.ctx, event);
  }

  /** Last recorded price at or before `now` (see `lastRecordedPrice`). */
  private lastPrice(symbol: string, now: number): { price: number; time: number } | undefined {
    return lastRecordedPrice(this.data, symbol, now);
  }

  private statSeries<T extends { time: number }>(kind: 'oi' | 'ls', symbol: string, periodMs: number): T[] {
    const key = `${kind}:${symbol}:${periodMs}`;
    let hit = this.statsCache.get(key);
    if (!hit) {
      const series = kind === 'oi' ? this.data.openInterest.get(symbol) : this.data.longShort.get(symbol);
      hit = series ? samplesForPeriod<{ time: number }>(series, periodMs) : [];
      this.statsCache.set(key, hit);
    }
    return hit as T[];
  }

  /**
   * Rows of a `/futures/data/*` statistic as Binance selects them: only the latest 30 days exist,
   * a `startTime` older than that is rejected, and when the range holds more than `limit` rows
   * the latest `limit` rows of the range are returned.
   */
  private statRows<T extends { time: number }>(kind: 'oi' | 'ls', q: URLSearchParams, now: number): { symbol: string; rows: T[] } {
    const symbol = q.get('symbol');
    if (!symbol) throw mandatory('symbol');
    const period = q.get('period');
    if (!period) throw mandatory('period');
    const periodMs = STAT_PERIODS[period];
    if (periodMs === undefined) throw statsInvalid('period');
    const limit = limitParam(q, 30, 500, statsInvalid);
    const { start, end } = timeRange(q);
    const oldest = now - STATS_WINDOW;
    if (start !== undefined && start < oldest) throw statsInvalid('startTime');
    // An unknown symbol is not an error here: Binance answers 200 with an empty list.
    if (!this.data.symbols.has(symbol)) return { symbol, rows: [] };
    const points = this.statSeries<T>(kind, symbol, periodMs);
    const from = lowerBound(points, Math.max(start ?? oldest, oldest), (p) => p.time);
    const to = upperBound(points, Math.min(end ?? now, now), (p) => p.time);
    return { symbol, rows: points.slice(Math.max(from, to - limit), to) };
  }

  // --- endpoints (called with `this` bound, see ROUTES) ---------------------------------------

  ping(): unknown {
    return {};
  }

  time(_q: URLSearchParams, now: number): unknown {
    return { serverTime: now };
  }

  exchangeInfo(_q: URLSearchParams, now: number): unknown {
    // Binance ignores `?symbol=` here and always lists every symbol.
    const { timezone, ...rest } = this.data.exchangeInfoBase;
    return { timezone, serverTime: now, ...rest, symbols: [...this.data.symbols.values()].map((s) => s.info) };
  }

  klines(q: URLSearchParams, now: number): unknown {
    const symbolName = q.get('symbol');
    if (!symbolName) throw mandatory('symbol');
    const interval = q.get('interval');
    if (!interval) throw mandatory('interval');
    const spec = this.data.symbols.get(symbolName);
    if (!spec) throw invalidSymbol();
    if (!(interval in KLINE_INTERVALS)) throw new BinanceError(400, -1120, 'Invalid interval.');
    const limit = limitParam(q, 500, 1500, fapiInvalid);
    const { start, end } = timeRange(q);
    const bars = this.data.klines.get(spec.symbol)?.get(interval) ?? [];
    // Only closed bars exist for the replay: a bar is visible once its closeTime is before "now".
    const visible = lowerBound(bars, now, (b) => b.closeTime);
    let from: number;
    let to: number;
    if (start !== undefined) {
      // startTime (and endTime, inclusive) select by openTime; over the limit, the oldest rows are kept.
      from = lowerBound(bars, start, (b) => b.openTime);
      to = Math.min(end !== undefined ? upperBound(bars, end, (b) => b.openTime) : visible, visible);
      to = Math.min(to, from + limit);
    } else {
      to = Math.min(end !== undefined ? upperBound(bars, end, (b) => b.openTime) : visible, visible);
      from = Math.max(0, to - limit);
    }
    const rows = bars.slice(from, Math.max(from, to));
    // The bar still forming at "now" comes last, as Binance sends it (reconstructed: see forming.ts).
    const five = this.data.klines.get(spec.symbol)?.get('5m') ?? [];
    const forming = KLINE_INTERVALS[interval] ? formingBar(five, KLINE_INTERVALS[interval] as number, now) : undefined;
    const inRange = forming && (start === undefined || forming.openTime >= start) && (end === undefined || forming.openTime <= end);
    if (forming && inRange && to === visible && rows.length < limit && forming.openTime > (rows.at(-1)?.openTime ?? -Infinity)) rows.push(forming);
    return rows.map((b) => klineRow(b, spec));
  }

  openInterestHist(q: URLSearchParams, now: number): unknown {
    const { symbol, rows } = this.statRows<OiPoint>('oi', q, now);
    return rows.map((p) => ({
      symbol,
      sumOpenInterest: fix(p.base, 8),
      sumOpenInterestValue: fix(p.value, 8),
      timestamp: String(p.time),
    }));
  }

  globalLongShortAccountRatio(q: URLSearchParams, now: number): unknown {
    const { symbol, rows } = this.statRows<LongShortPoint>('ls', q, now);
    return rows.map((p) => ({
      symbol,
      longShortRatio: fix(p.ratio, 4),
      longAccount: fix(p.longAccount, 4),
      shortAccount: fix(p.shortAccount, 4),
      timestamp: String(p.time),
    }));
  }

  fundingRate(q: URLSearchParams, now: number): unknown {
    const spec = this.optionalSymbol(q);
    const limit = limitParam(q, 100, 1000, fapiInvalid);
    const { start, end } = timeRange(q);
    const events = [...this.data.fundingEvents]
      .filter(([symbol]) => !spec || symbol === spec.symbol)
      // A 1h/4h funding market: the recorded 8-hourly rates at that interval (see recorded-series.ts).
      .flatMap(([symbol, list]) => fundingEvery(list, this.ctx.fundingHours('binance'), -Infinity, now).map((e) => ({ symbol, ...e })))
      .filter((e) => e.time <= now)
      .sort((a, b) => a.time - b.time);
    const upTo = end !== undefined ? upperBound(events, end, (e) => e.time) : events.length;
    let rows;
    if (start !== undefined) {
      // More rows than `limit` between startTime and endTime: Binance returns startTime + limit.
      const from = lowerBound(events, start, (e) => e.time);
      rows = events.slice(from, Math.min(upTo, from + limit));
    } else {
      rows = events.slice(Math.max(0, upTo - limit), upTo);
    }
    return rows.map((e) => ({ symbol: e.symbol, fundingRate: fix(e.rate, 8), fundingTime: e.time }));
  }

  premiumIndex(q: URLSearchParams, now: number): unknown {
    const spec = this.optionalSymbol(q);
    if (spec) return this.premiumFor(spec, now);
    return [...this.data.symbols.values()].filter((s) => this.lastPrice(s.symbol, now)).map((s) => this.premiumFor(s, now));
  }

  /**
   * Mark, index and estimated settle prices are not recorded: all three are the last recorded
   * price (see lastPrice). lastFundingRate is the recorded current funding rate at "now" (the 5m
   * file's forward-filled rate, else the last settled one); interestRate is Binance's fixed 0.01%.
   */
  private premiumFor(spec: SymbolSpec, now: number): unknown {
    const price = this.lastPrice(spec.symbol, now)?.price ?? 0;
    const level = this.data.fundingLevel.get(spec.symbol) ?? [];
    const settled = this.data.fundingEvents.get(spec.symbol) ?? [];
    const rate = level[upperBound(level, now, (p) => p.time) - 1]?.rate ?? settled[upperBound(settled, now, (p) => p.time) - 1]?.rate ?? 0;
    return {
      symbol: spec.symbol,
      markPrice: fix(price, 8),
      indexPrice: fix(price, 8),
      estimatedSettlePrice: fix(price, 8),
      lastFundingRate: fix(rate, 8),
      nextFundingTime: (Math.floor(now / FUNDING_INTERVAL) + 1) * FUNDING_INTERVAL,
      interestRate: '0.00010000',
      time: now,
    };
  }

  openInterest(q: URLSearchParams, now: number): unknown {
    const spec = this.symbolParam(q);
    const series = this.data.openInterest.get(spec.symbol) ?? [];
    let last: OiPoint | undefined;
    for (const s of series) {
      const p = s.points[upperBound(s.points, now, (x) => x.time) - 1];
      if (p && (!last || p.time > last.time)) last = p;
    }
    if (!last) {
      // Not something Binance would answer: the replay data has no open interest for this symbol.
      throw new BinanceError(503, -1001, `Internal error; the replay data has no open interest for ${spec.symbol} before ${now}.`);
    }
    return { openInterest: fix(last.base, spec.quantityPrecision), symbol: spec.symbol, time: now };
  }
}

type Handler = (this: BinanceReplay, q: URLSearchParams, now: number) => unknown;

/** Binance's request weights (klines by limit; openInterestHist and ratios are weight 0). */
function klinesWeight(q: URLSearchParams): number {
  const limit = Number(q.get('limit') ?? 500);
  return limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10;
}

const ROUTES: Record<string, { handler: Handler; weight: (q: URLSearchParams) => number }> = {
  '/fapi/v1/ping': { handler: BinanceReplay.prototype.ping, weight: () => 1 },
  '/fapi/v1/time': { handler: BinanceReplay.prototype.time, weight: () => 1 },
  '/fapi/v1/exchangeInfo': { handler: BinanceReplay.prototype.exchangeInfo, weight: () => 1 },
  '/fapi/v1/klines': { handler: BinanceReplay.prototype.klines, weight: klinesWeight },
  '/fapi/v1/fundingRate': { handler: BinanceReplay.prototype.fundingRate, weight: () => 1 },
  '/fapi/v1/premiumIndex': { handler: BinanceReplay.prototype.premiumIndex, weight: (q) => (q.get('symbol') ? 1 : 10) },
  '/fapi/v1/openInterest': { handler: BinanceReplay.prototype.openInterest, weight: () => 1 },
  '/futures/data/openInterestHist': { handler: BinanceReplay.prototype.openInterestHist, weight: () => 0 },
  '/futures/data/globalLongShortAccountRatio': { handler: BinanceReplay.prototype.globalLongShortAccountRatio, weight: () => 0 },
};

function klineRow(b: Kline, spec: SymbolSpec): unknown[] {
  const p = spec.pricePrecision;
  const v = spec.quantityPrecision;
  return [
    b.openTime,
    fix(b.open, p),
    fix(b.high, p),
    fix(b.low, p),
    fix(b.close, p),
    fix(b.volume, v),
    b.closeTime,
    fix(b.quoteVolume, 5),
    b.trades,
    fix(b.takerBuyBase, v),
    fix(b.takerBuyQuote, 5),
    '0',
  ];
}

// --- websocket: the liquidation stream -----------------------------------------------------------

/**
 * Stream paths Binance futures accepts: `/ws/<stream>` (raw payloads), `/stream?streams=a/b`
 * (combined `{stream, data}` envelopes), either one optionally under the `/market` or `/public`
 * category that ccxt.pro uses (`/market/ws/0` + a SUBSCRIBE message).
 */
function parseWsPath(req: ReplayRequest): { combined: boolean; streams: string[] } | undefined {
  const path = req.path.replace(/^\/(market|public)(?=\/)/, '');
  if (path === '/stream' || path === '/stream/') {
    return { combined: true, streams: (req.query.get('streams') ?? '').split('/').filter(Boolean) };
  }
  const raw = /^\/ws(?:\/(.*))?$/.exec(path);
  if (raw) return { combined: false, streams: (raw[1] ?? '').split('/').filter((s) => s.includes('@')) };
  return undefined;
}

/**
 * Replays the recorded `forceOrder` events to one connection, in recorded order, from the first
 * event, with the recorded gaps divided by the server's `wsSpeed`. Timestamps (E, T) are the
 * recorded ones. Subscriptions: `!forceOrder@arr` (all symbols) and `<symbol>@forceOrder`.
 */
class ForceOrderStream {
  private readonly streams = new Set<string>();
  private readonly pacer: EventPacer;

  constructor(
    private readonly socket: WebSocket,
    private readonly data: BinanceData,
    private readonly combined: boolean,
    speed: () => number,
    private readonly asSent: (event: ForceOrderEvent) => { time: number; price: number; qty: number },
    private readonly sentLog: SentLiquidation[],
  ) {
    this.pacer = new EventPacer(data.forceOrders, speed, (event) => this.emit(event));
    socket.on('message', (raw) => this.onMessage(String(raw)));
  }

  subscribe(streams: readonly string[]): void {
    for (const s of streams) this.streams.add(s);
    if ([...this.streams].some(isForceOrderStream)) this.pacer.start();
  }

  stop(): void {
    this.pacer.stop();
  }

  private onMessage(raw: string): void {
    let msg: { method?: unknown; params?: unknown; id?: unknown };
    try {
      msg = JSON.parse(raw) as typeof msg;
    } catch (_err) {
      this.send({ error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' } });
      return;
    }
    const id = msg.id ?? null;
    const params = Array.isArray(msg.params) ? msg.params.map(String) : [];
    switch (msg.method) {
      case 'SUBSCRIBE':
        this.subscribe(params);
        this.send({ result: null, id });
        break;
      case 'UNSUBSCRIBE':
        for (const p of params) this.streams.delete(p);
        this.send({ result: null, id });
        break;
      case 'LIST_SUBSCRIPTIONS':
        this.send({ result: [...this.streams], id });
        break;
      default:
        this.send({ error: { code: 2, msg: `Invalid request: unknown variant \`${String(msg.method)}\`` }, id });
    }
  }

  private emit(event: ForceOrderEvent): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    const spec = this.data.symbols.get(event.symbol);
    const p = spec?.pricePrecision ?? 8;
    const v = spec?.quantityPrecision ?? 8;
    const { time, price, qty } = this.asSent(event);
    const payload = {
      e: 'forceOrder',
      E: time,
      o: {
        s: event.symbol,
        S: event.side,
        o: 'LIMIT',
        f: 'IOC',
        q: fix(qty, v),
        // The recording keeps one price per fill: it is served as both the order price and the
        // average fill price.
        p: fix(price, p),
        ap: fix(price, p),
        X: 'FILLED',
        l: fix(qty, v),
        z: fix(qty, v),
        T: time,
      },
    };
    let sent = false;
    for (const stream of [`!forceOrder@arr`, `${event.symbol.toLowerCase()}@forceOrder`]) {
      if (!this.streams.has(stream)) continue;
      this.send(this.combined ? { stream, data: payload } : payload);
      sent = true;
    }
    // As the client reads it: price and quantity at the precision sent.
    if (sent) {
      this.sentLog.push({ exchange: 'binance', symbol: event.symbol, side: event.side, price: Number(fix(price, p)), qty: Number(fix(qty, v)), time, recordedTime: event.time, recordedPrice: event.price });
    }
  }

  private send(value: unknown): void {
    sendJson(this.socket, value);
  }
}

function isForceOrderStream(stream: string): boolean {
  return stream === '!forceOrder@arr' || stream.endsWith('@forceOrder');
}

export const binance: ExchangeModule = {
  id: 'binance',
  restHosts: ['fapi.binance.com'],
  wsHosts: ['fstream.binance.com'],
  pageHosts: ['www.binance.com'],
  create: (ctx) => new BinanceReplay(ctx),
};
