/**
 * The exchanges' public liquidation websockets: each feed's frame parsing (sides, units, the
 * followed market only, malformed frames skipped without throwing), and the client's
 * subscription, heartbeat, reconnect with backoff, contract-size lookup and stop.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  followsRealized,
  LIQUIDATION_STREAM_HOSTS,
  openLiquidationStream,
  parseBybitLiquidations,
  parseForceOrder,
  parseOkxLiquidations,
  type SocketLike,
} from '../src/data/liquidation-stream';
import type { RealizedLiquidation } from '../src/messaging/contract';

/** Frames that are no liquidation at all, or broken ones: every parser skips them. */
const JUNK: unknown[] = [null, 1, 'text', [], {}, { data: null }, { topic: 5 }, { arg: 'x', data: {} }, { e: 'forceOrder', o: null }];

afterEach(() => {
  vi.useRealTimers();
});

describe('Bybit allLiquidation frames', () => {
  // Shape from Bybit's v5 documentation of the topic; values from the recorded Binance events.
  const frame = {
    topic: 'allLiquidation.BTCUSDT',
    type: 'snapshot',
    ts: 1_767_695_630_500,
    data: [
      { T: 1_767_695_630_100, s: 'BTCUSDT', S: 'Buy', v: '0.5', p: '91000' },
      { T: 1_767_695_630_200, s: 'BTCUSDT', S: 'Sell', v: '0.25', p: '91100.5' },
    ],
  };

  it('reads S as the liquidated position: Buy is a long liquidated, Sell a short', () => {
    expect(parseBybitLiquidations(frame, 'BTCUSDT')).toEqual([
      { timestamp: 1_767_695_630_100, price: 91_000, side: 'long', usd: 45_500 },
      { timestamp: 1_767_695_630_200, price: 91_100.5, side: 'short', usd: 22_775.125 },
    ]);
  });

  it('keeps the followed symbol only and skips malformed entries and frames without throwing', () => {
    expect(parseBybitLiquidations(frame, 'ETHUSDT')).toEqual([]);
    expect(parseBybitLiquidations({ ...frame, topic: 'allLiquidation.ETHUSDT' }, 'BTCUSDT')).toEqual([]);
    const mixed = {
      ...frame,
      data: [
        { T: 1, s: 'BTCUSDT', S: 'Buy', v: 'x', p: '1' },
        { T: 1, s: 'BTCUSDT', S: 'Long', v: '1', p: '1' },
        { T: -5, s: 'BTCUSDT', S: 'Sell', v: '1', p: '1' },
        { T: 2, s: 'BTCUSDT', S: 'Sell', v: '1', p: '0' },
        { T: 2, s: 'ETHUSDT', S: 'Sell', v: '1', p: '3000' },
        null,
        { T: 3, s: 'BTCUSDT', S: 'Sell', v: '2', p: '10' },
      ],
    };
    expect(parseBybitLiquidations(mixed, 'BTCUSDT')).toEqual([{ timestamp: 3, price: 10, side: 'short', usd: 20 }]);
    expect(parseBybitLiquidations({ success: true, ret_msg: '', op: 'subscribe', conn_id: 'c' }, 'BTCUSDT')).toEqual([]);
    for (const junk of JUNK) expect(parseBybitLiquidations(junk, 'BTCUSDT')).toEqual([]);
  });
});

describe('OKX liquidation-orders frames', () => {
  // Shape from OKX's v5 documentation of the channel.
  const frame = {
    arg: { channel: 'liquidation-orders', instType: 'SWAP' },
    data: [
      {
        instId: 'BTC-USDT-SWAP',
        instFamily: 'BTC-USDT',
        instType: 'SWAP',
        uly: 'BTC-USDT',
        details: [
          { side: 'sell', posSide: 'long', bkPx: '91000', sz: '50', bkLoss: '0', ccy: '', ts: '1767695630100' },
          { side: 'buy', posSide: 'short', bkPx: '91100', sz: '3', bkLoss: '0', ccy: '', ts: '1767695630200' },
          { side: 'buy', posSide: 'net', bkPx: '91200', sz: '1', bkLoss: '0', ccy: '', ts: '1767695630300' },
          { side: 'sell', posSide: 'net', bkPx: '91300', sz: '1', bkLoss: '0', ccy: '', ts: '1767695630400' },
        ],
      },
      { instId: 'ETH-USDT-SWAP', details: [{ side: 'sell', posSide: 'long', bkPx: '3000', sz: '10', ts: '1767695630500' }] },
    ],
  };

  it('converts contracts to base units with the contract size and reads the position side (net mode: from the order side)', () => {
    const events = parseOkxLiquidations(frame, 'BTC-USDT-SWAP', 0.01);
    expect(events.map((e) => [e.timestamp, e.price, e.side])).toEqual([
      [1_767_695_630_100, 91_000, 'long'],
      [1_767_695_630_200, 91_100, 'short'],
      [1_767_695_630_300, 91_200, 'short'],
      [1_767_695_630_400, 91_300, 'long'],
    ]);
    // 50 contracts of 0.01 BTC at 91,000: 0.5 BTC, $45,500.
    expect(events[0]!.usd).toBeCloseTo(45_500, 6);
    expect(events[1]!.usd).toBeCloseTo(2_733, 6);
  });

  it('keeps the followed instrument only, reads nothing without a contract size, and skips malformed details', () => {
    expect(parseOkxLiquidations(frame, 'ETH-USDT-SWAP', 0.1)).toEqual([{ timestamp: 1_767_695_630_500, price: 3000, side: 'long', usd: 3000 }]);
    expect(parseOkxLiquidations(frame, 'SOL-USDT-SWAP', 1)).toEqual([]);
    expect(parseOkxLiquidations(frame, 'BTC-USDT-SWAP', undefined)).toEqual([]);
    expect(parseOkxLiquidations(frame, 'BTC-USDT-SWAP', Number.NaN)).toEqual([]);
    const broken = {
      arg: { channel: 'liquidation-orders' },
      data: [{ instId: 'BTC-USDT-SWAP', details: [{ side: 'sell', posSide: 'both', bkPx: '1', sz: '1', ts: '1' }, { side: 'sell', posSide: 'long', bkPx: 'x', sz: '1', ts: '1' }, { side: 'sell', posSide: 'long', bkPx: '1', sz: '1', ts: 'soon' }, 7] }, { instId: 'BTC-USDT-SWAP', details: 'none' }],
    };
    expect(parseOkxLiquidations(broken, 'BTC-USDT-SWAP', 0.01)).toEqual([]);
    expect(parseOkxLiquidations({ event: 'subscribe', arg: { channel: 'liquidation-orders', instType: 'SWAP' }, connId: 'a' }, 'BTC-USDT-SWAP', 0.01)).toEqual([]);
    expect(parseOkxLiquidations({ ...frame, arg: { channel: 'trades' } }, 'BTC-USDT-SWAP', 0.01)).toEqual([]);
    for (const junk of JUNK) expect(parseOkxLiquidations(junk, 'BTC-USDT-SWAP', 0.01)).toEqual([]);
  });
});

describe('Binance forceOrder frames', () => {
  it('skips malformed frames without throwing', () => {
    for (const junk of JUNK) expect(parseForceOrder(junk, 'BTCUSDT')).toBeUndefined();
    expect(parseForceOrder({ e: 'forceOrder', E: 1, o: { s: 'BTCUSDT', S: 'SELL', ap: '1e400', z: '1', T: 1 } }, 'BTCUSDT')).toBeUndefined();
  });
});

interface FakeSocket extends SocketLike {
  readonly url: string;
  readonly sent: string[];
}

function fakeSockets(): { sockets: FakeSocket[]; open: (url: string) => SocketLike } {
  const sockets: FakeSocket[] = [];
  return {
    sockets,
    open: (url) => {
      const socket: FakeSocket = { url, sent: [], onopen: null, onmessage: null, onclose: null, onerror: null, send: (data) => socket.sent.push(data), close: () => {} };
      sockets.push(socket);
      return socket;
    },
  };
}

describe('openLiquidationStream', () => {
  it('follows Binance, Bybit and OKX; their hosts are listed', () => {
    expect(['binance', 'bybit', 'okx', 'bitget', 'hyperliquid'].map((e) => followsRealized(e as 'binance'))).toEqual([true, true, true, false, false]);
    expect(LIQUIDATION_STREAM_HOSTS).toEqual(['fstream.binance.com', 'stream.bybit.com', 'ws.okx.com']);
  });

  it('Bybit: subscribes on open, pings every 20 s, passes the events on, ignores the pong', async () => {
    vi.useFakeTimers();
    const { sockets, open } = fakeSockets();
    const events: RealizedLiquidation[] = [];
    const stream = openLiquidationStream('bybit', 'BTCUSDT', (e) => events.push(e), { open })!;
    const socket = sockets[0]!;
    expect(socket.url).toBe('wss://stream.bybit.com/v5/public/linear');
    socket.onopen?.();
    expect(socket.sent).toEqual(['{"op":"subscribe","args":["allLiquidation.BTCUSDT"]}']);
    await vi.advanceTimersByTimeAsync(40_000);
    expect(socket.sent.slice(1)).toEqual(['{"op":"ping"}', '{"op":"ping"}']);
    socket.onmessage?.({ data: '{"success":true,"ret_msg":"pong","op":"ping"}' });
    socket.onmessage?.({ data: JSON.stringify({ topic: 'allLiquidation.BTCUSDT', type: 'snapshot', ts: 9, data: [{ T: 9, s: 'BTCUSDT', S: 'Sell', v: '1', p: '5' }] }) });
    socket.onmessage?.({ data: '{"topic":' });
    expect(events).toEqual([{ timestamp: 9, price: 5, side: 'short', usd: 5 }]);
    stream.close();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(socket.sent).toHaveLength(3);
  });

  it('OKX: connects once the contract size is known, subscribes to SWAP liquidations, pings, filters the instrument', async () => {
    vi.useFakeTimers();
    const { sockets, open } = fakeSockets();
    const events: RealizedLiquidation[] = [];
    const asked: string[] = [];
    const stream = openLiquidationStream('okx', 'BTC-USDT-SWAP', (e) => events.push(e), {
      open,
      contractSize: async (exchange, symbol) => {
        asked.push(`${exchange}:${symbol}`);
        return 0.01;
      },
    })!;
    expect(sockets).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(asked).toEqual(['okx:BTC-USDT-SWAP']);
    const socket = sockets[0]!;
    expect(socket.url).toBe('wss://ws.okx.com:8443/ws/v5/public');
    socket.onopen?.();
    expect(JSON.parse(socket.sent[0]!)).toEqual({ op: 'subscribe', args: [{ channel: 'liquidation-orders', instType: 'SWAP' }] });
    await vi.advanceTimersByTimeAsync(25_000);
    expect(socket.sent[1]).toBe('ping');
    socket.onmessage?.({ data: 'pong' });
    socket.onmessage?.({
      data: JSON.stringify({
        arg: { channel: 'liquidation-orders', instType: 'SWAP' },
        data: [
          { instId: 'ETH-USDT-SWAP', details: [{ side: 'sell', posSide: 'long', bkPx: '3000', sz: '5', ts: '1' }] },
          { instId: 'BTC-USDT-SWAP', details: [{ side: 'buy', posSide: 'short', bkPx: '100', sz: '200', ts: '2' }] },
        ],
      }),
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ timestamp: 2, price: 100, side: 'short' });
    expect(events[0]!.usd).toBeCloseTo(200, 9);
    stream.close();
  });

  it('OKX without a contract size (the market list unreachable) opens no socket', async () => {
    const { sockets, open } = fakeSockets();
    openLiquidationStream('okx', 'BTC-USDT-SWAP', () => {}, { open, contractSize: () => Promise.reject(new Error('offline')) });
    openLiquidationStream('okx', 'BTC-USDT-SWAP', () => {}, { open });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(sockets).toHaveLength(0);
  });

  it('reconnects with a doubling pause (at most 60 s), subscribing again, and stops on close', async () => {
    vi.useFakeTimers();
    const { sockets, open } = fakeSockets();
    const stream = openLiquidationStream('bybit', 'BTCUSDT', () => {}, { open, reconnectMs: 1_000 })!;
    const opened = (n: number) => sockets.length === n;
    sockets[0]!.onclose?.();
    await vi.advanceTimersByTimeAsync(999);
    expect(opened(1)).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(opened(2)).toBe(true);
    sockets[1]!.onclose?.();
    await vi.advanceTimersByTimeAsync(1_999);
    expect(opened(2)).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(opened(3)).toBe(true);
    sockets[2]!.onopen?.();
    expect(sockets[2]!.sent[0]).toContain('allLiquidation.BTCUSDT');
    for (let i = 0; i < 10; i++) {
      sockets.at(-1)!.onclose?.();
      await vi.advanceTimersByTimeAsync(60_000);
    }
    expect(sockets).toHaveLength(13);
    stream.close();
    sockets.at(-1)!.onclose?.();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(sockets).toHaveLength(13);
  });
});
