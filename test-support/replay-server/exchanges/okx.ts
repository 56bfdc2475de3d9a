/**
 * OKX USDT-margined perpetual swaps (v5), replayed for tests: the public endpoints ccxt's `okx`
 * module and `src/data/exchanges/okx.ts` call, in OKX's response shape (`{ code: '0', msg, data }`,
 * rows newest first, numbers as strings; `after` = older than, `before` = newer than, both
 * exclusive). Data: `recorded-series.ts` (OKX's own recorded 1h candles and funding; Binance's
 * recorded BTCUSDT 5m/15m candles and open interest standing in where no OKX recording exists).
 * Contracts are 0.01 BTC. `market/candles` and `market/history-candles` take up to 300 rows (ccxt's
 * recorded request asks `history-candles` for `limit=300`, `../shared/data/exchange-fixtures/okx.json`)
 * and include the bar still forming. The long/short account ratio (`rubik/stat/contracts/
 * long-short-account-ratio-contract`, rows `[ts, ratio]`, `begin`/`end` exclusive, 100 a call, the
 * latest 1,440 rows) is Binance's recorded ratio standing in (see `recorded-series.ts`). Position
 * tiers (`public/position-tiers`, bounds in contracts) and `market/ticker`: see `TIERS`.
 * `www.okx.com` also serves the demo pages: only `/api/` paths are the API's.
 *
 * Websocket `ws.okx.com:8443/ws/v5/public`: the `liquidation-orders` channel (instType SWAP)
 * replays Binance's recorded BTCUSDT liquidation events re-framed as OKX's for BTC-USDT-SWAP,
 * sizes in contracts (no OKX liquidation recording exists; see `liquidation-replay.ts`), and the
 * text `ping` is answered with `pong`.
 */
import { json } from '../http';
import { ApiError, intParam } from './api-error';
import type { ExchangeContext, ExchangeInstance, ExchangeModule, HttpReply, ReplayRequest } from '../types';
import { recordedSeries, type RecordedSeries } from './recorded-series';
import type { WebSocket } from 'ws';
import { loadBinanceData } from './binance-data';
import { EventPacer, liquidationAsSent, sendJson } from './liquidation-replay';

const MIN = 60_000;
const BARS: Readonly<Record<string, number>> = { '5m': 5 * MIN, '15m': 15 * MIN, '1H': 60 * MIN };
/** `period` of the rubik statistics (OKX v5 docs: 5m, 15m, 30m, 1H, 2H, 4H, 6H, 12H, 1D ...). */
const PERIODS: Readonly<Record<string, number>> = { ...BARS, '30m': 30 * MIN, '2H': 120 * MIN, '4H': 240 * MIN, '1D': 1440 * MIN };

/**
 * BTC-USDT-SWAP position tiers in `/api/v5/public/position-tiers`' documented shape (OKX v5 docs,
 * "Get position tiers": https://www.okx.com/docs-v5/en/#public-data-rest-api-get-position-tiers):
 * `minSz`/`maxSz` in contracts of 0.01 BTC, `mmr`/`imr` as fractions. No recording exists (the ccxt
 * fixture has none) and OKX's BTC table was not found: fixture values matching the engine's
 * assumed OKX table near the replayed price (0.4 % / 100x to 1,500 contracts = 15 BTC, 0.8 % / 50x to
 * 7,500 contracts), for tests of the contract-to-USD conversion, not OKX's table.
 */
const TIERS = [
  { tier: '1', minSz: '0', maxSz: '1500', mmr: '0.004', imr: '0.01', maxLever: '100' },
  { tier: '2', minSz: '1500', maxSz: '7500', mmr: '0.008', imr: '0.02', maxLever: '50' },
];
const INST_ID = 'BTC-USDT-SWAP';
const CONTRACT = 0.01;
/** The statistics endpoints keep this many rows per period. */
const STATISTICS_ROWS = 1440;

/** BTC-USDT-SWAP as `/api/v5/public/instruments` lists it (OKX's documented fields). */
const INSTRUMENT = {
  alias: '',
  baseCcy: '',
  category: '1',
  ctMult: '1',
  ctType: 'linear',
  ctVal: String(CONTRACT),
  ctValCcy: 'BTC',
  expTime: '',
  instFamily: 'BTC-USDT',
  instId: INST_ID,
  instType: 'SWAP',
  lever: '100',
  listTime: '1573557408000',
  lotSz: '0.01',
  maxIcebergSz: '100000000.0000000000000000',
  maxLmtSz: '100000000',
  maxMktSz: '10000',
  maxStopSz: '10000',
  maxTriggerSz: '100000000.0000000000000000',
  maxTwapSz: '100000000.0000000000000000',
  minSz: '0.01',
  optType: '',
  quoteCcy: '',
  settleCcy: 'USDT',
  state: 'live',
  stk: '',
  tickSz: '0.1',
  uly: 'BTC-USDT',
};

const int = (q: URLSearchParams, name: string) => intParam(q, name, (n) => new ApiError('51000', `Parameter ${n} error`));

function limit(q: URLSearchParams, fallback: number, max: number): number {
  const value = int(q, 'limit') ?? fallback;
  if (value < 1 || value > max) throw new ApiError('51000', 'Parameter limit error');
  return value;
}

class OkxReplay implements ExchangeInstance {
  private readonly series: RecordedSeries;
  private readonly sockets = new Set<EventPacer>();

  constructor(private readonly ctx: ExchangeContext) {
    this.series = recordedSeries(ctx.dataDir, 'okx');
  }

  servesPath(path: string): boolean {
    return path.startsWith('/api/');
  }

  handleHttp(req: ReplayRequest): HttpReply {
    const now = this.ctx.clock.now();
    try {
      return json(200, { code: '0', msg: '', data: this.answer(req, now) });
    } catch (error) {
      if (error instanceof ApiError) return json(200, { code: error.code, msg: error.message, data: [] });
      throw error;
    }
  }

  private answer(req: ReplayRequest, now: number): unknown {
    const q = req.query;
    const instrument = () => {
      if (q.get('instId') !== INST_ID) throw new ApiError('51001', "Instrument ID doesn't exist");
    };
    switch (req.path) {
      case '/api/v5/public/time':
        return [{ ts: String(now) }];
      case '/api/v5/public/instruments':
        return q.get('instType') === 'SWAP' ? [INSTRUMENT] : [];
      case '/api/v5/market/candles':
      case '/api/v5/market/history-candles': {
        instrument();
        const bar = BARS[q.get('bar') ?? '1m'];
        if (!bar) throw new ApiError('51000', 'Parameter bar error');
        const older = int(q, 'after') ?? now + 1;
        const newer = int(q, 'before') ?? -1;
        const rows = this.series.candles(bar, newer + 1, older - 1, now).slice(-limit(q, 100, 300));
        // `confirm`: "0" for the bar still forming, "1" once closed (OKX v5 docs, "Get candlesticks").
        return rows.reverse().map((k) => [
          String(k.openTime),
          String(k.open),
          String(k.high),
          String(k.low),
          String(k.close),
          (k.volume / CONTRACT).toFixed(2),
          k.volume.toFixed(4),
          k.quoteVolume.toFixed(2),
          k.closeTime < now ? '1' : '0',
        ]);
      }
      case '/api/v5/rubik/stat/contracts/open-interest-history': {
        instrument();
        const period = BARS[q.get('period') ?? '5m'];
        if (!period) throw new ApiError('51000', 'Parameter period error');
        const reach = now - STATISTICS_ROWS * period;
        const begin = Math.max(reach, (int(q, 'begin') ?? -1) + 1);
        const rows = this.series.openInterest(period, begin, (int(q, 'end') ?? now + 1) - 1, now).slice(-limit(q, 100, 100));
        return rows.reverse().map((p) => [String(p.time), (p.base / CONTRACT).toFixed(2), p.base.toFixed(4), p.value.toFixed(2)]);
      }
      case '/api/v5/public/funding-rate-history': {
        instrument();
        const older = int(q, 'after') ?? now + 1;
        const newer = int(q, 'before') ?? -1;
        const rows = this.series.fundingAt(this.ctx.fundingHours('okx'), newer + 1, older - 1, now).slice(-limit(q, 100, 100));
        return rows.reverse().map((f) => ({ instId: INST_ID, instType: 'SWAP', fundingRate: String(f.rate), realizedRate: String(f.rate), fundingTime: String(f.time), method: 'current_period' }));
      }
      case '/api/v5/rubik/stat/contracts/long-short-account-ratio-contract': {
        instrument();
        const period = PERIODS[q.get('period') ?? '5m'];
        if (!period) throw new ApiError('51000', 'Parameter period error');
        const reach = now - STATISTICS_ROWS * period;
        const begin = Math.max(reach, (int(q, 'begin') ?? -1) + 1);
        const rows = this.series.ratio(period, begin, (int(q, 'end') ?? now + 1) - 1, now).slice(-limit(q, 100, 100));
        return rows.reverse().map((p) => [String(p.time), p.ratio.toFixed(4)]);
      }
      case '/api/v5/public/position-tiers':
        if (q.get('instType') !== 'SWAP') throw new ApiError('51000', 'Parameter instType error');
        if (!q.get('tdMode')) throw new ApiError('50014', 'Parameter tdMode can not be empty');
        if ((q.get('uly') ?? q.get('instFamily')) !== 'BTC-USDT') return [];
        return TIERS.map((t) => ({ ...t, uly: 'BTC-USDT', instFamily: 'BTC-USDT', instId: '', optMgnFactor: '0', quoteMaxLoan: '', baseMaxLoan: '' }));
      case '/api/v5/market/ticker': {
        instrument();
        const last = this.series.candles(5 * MIN, now - 2 * 86_400_000, now, now);
        const price = last.at(-1)?.close;
        if (price === undefined) return [];
        const open24h = last.find((k) => k.openTime >= now - 86_400_000)?.open ?? price;
        return [{ instType: 'SWAP', instId: INST_ID, last: String(price), lastSz: '1', askPx: String(price), askSz: '1', bidPx: String(price), bidSz: '1', open24h: String(open24h), high24h: String(Math.max(...last.map((k) => k.high))), low24h: String(Math.min(...last.map((k) => k.low))), volCcy24h: '0', vol24h: '0', ts: String(now), sodUtc0: String(open24h), sodUtc8: String(open24h) }];
      }
      default:
        throw new ApiError('50000', `unknown path ${req.path}`);
    }
  }

  recordingEnd(): number {
    return this.series.end;
  }

  acceptsWebSocket(req: ReplayRequest): boolean {
    return req.path === '/ws/v5/public';
  }

  handleWebSocket(socket: WebSocket): void {
    const data = loadBinanceData(this.ctx.dataDir);
    const events = data.forceOrders.filter((e) => e.symbol === 'BTCUSDT');
    const arg = { channel: 'liquidation-orders', instType: 'SWAP' };
    const pacer = new EventPacer(events, this.ctx.wsSpeed, (event) => {
      if (socket.readyState !== socket.OPEN) return;
      const sent = liquidationAsSent(data, this.ctx, event);
      const price = Number(sent.price.toFixed(2));
      const contracts = Number((sent.qty / CONTRACT).toFixed(6));
      // The order side stays Binance's (a SELL closed a long); posSide names the position.
      const detail = {
        side: event.side.toLowerCase(),
        posSide: event.side === 'SELL' ? 'long' : 'short',
        bkPx: String(price),
        sz: String(contracts),
        bkLoss: '0',
        ccy: '',
        ts: String(sent.time),
      };
      sendJson(socket, { arg, data: [{ instId: INST_ID, instFamily: 'BTC-USDT', instType: 'SWAP', uly: 'BTC-USDT', details: [detail] }] });
      this.ctx.liquidationsSent.push({ exchange: 'okx', symbol: 'BTCUSDT', side: event.side, price, qty: contracts * CONTRACT, time: sent.time, recordedTime: event.time, recordedPrice: event.price });
    });
    this.sockets.add(pacer);
    socket.on('close', () => {
      pacer.stop();
      this.sockets.delete(pacer);
    });
    socket.on('message', (raw) => {
      const text = String(raw);
      if (text === 'ping') return sendJson(socket, 'pong');
      let msg: { op?: unknown; args?: unknown };
      try {
        msg = JSON.parse(text) as typeof msg;
      } catch {
        return sendJson(socket, { event: 'error', code: '60012', msg: `Invalid request: ${text.slice(0, 100)}`, connId: 'replay' });
      }
      const args = Array.isArray(msg.args) ? (msg.args as unknown[]) : [];
      const wanted = args.some((a) => typeof a === 'object' && a !== null && (a as { channel?: unknown }).channel === arg.channel && (a as { instType?: unknown }).instType === arg.instType);
      if (msg.op !== 'subscribe' || !wanted) return sendJson(socket, { event: 'error', code: '60018', msg: `Wrong URL or channel:${JSON.stringify(args)} doesn't exist.`, connId: 'replay' });
      sendJson(socket, { event: 'subscribe', arg, connId: 'replay' });
      pacer.start();
    });
  }

  close(): void {
    for (const pacer of this.sockets) pacer.stop();
    this.sockets.clear();
  }
}

export const okx: ExchangeModule = {
  id: 'okx',
  restHosts: ['www.okx.com'],
  wsHosts: ['ws.okx.com'],
  pageHosts: ['www.okx.com'],
  create: (ctx) => new OkxReplay(ctx),
};
