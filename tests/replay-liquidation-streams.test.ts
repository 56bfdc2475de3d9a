/**
 * The product's liquidation stream client against the replay server's Bybit and OKX websockets:
 * subscription, heartbeat answers and every recorded BTCUSDT event read back with its side and
 * notional. The replay re-frames Binance's recorded events (no Bybit or OKX recording exists),
 * so each exchange must give back exactly the recorded Binance events.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLiquidationStream, type SocketLike } from '../src/data/liquidation-stream';
import type { ExchangeId } from '../src/engine/types';
import type { RealizedLiquidation } from '../src/messaging/contract';
import { defaultDataDir, type ReplayServer, startReplayServer } from '../test-support/replay-server/index';

let server: ReplayServer;

beforeAll(async () => {
  server = await startReplayServer({ dataDir: defaultDataDir(), wsSpeed: 100_000 });
});

afterAll(async () => {
  await server?.stop();
});

/** The recorded BTCUSDT liquidations: a SELL order closed a long. */
function recordedBtc(): RealizedLiquidation[] {
  const lines = readFileSync(join(defaultDataDir(), 'binance-forceorder-events-2026-01-06.csv'), 'utf8').trim().split(/\r?\n/);
  return lines
    .slice(1)
    .map((line) => line.split(','))
    .filter((cells) => cells[2] === 'BTCUSDT')
    .map(([ts, , , side, price, qty]) => ({ timestamp: Math.round(Number(ts) * 1000), price: Number(price), side: side === 'SELL' ? 'long' : 'short', usd: Number(price) * Number(qty) }));
}

/** A socket to the replay server for the exchange's address (its host in the Host header). */
function replaySocket(sent: string[]): (url: string) => SocketLike {
  return (url) => {
    const target = new URL(url);
    const ws = new WebSocket(`wss://127.0.0.1:${server.port}${target.pathname}`, { headers: { host: target.host }, ca: server.certPem });
    const send = ws.send.bind(ws);
    ws.send = ((data: string) => {
      sent.push(data);
      send(data);
    }) as typeof ws.send;
    return ws as unknown as SocketLike;
  };
}

async function follow(exchange: ExchangeId, symbol: string, count: number): Promise<{ events: RealizedLiquidation[]; sent: string[] }> {
  const events: RealizedLiquidation[] = [];
  const sent: string[] = [];
  const stream = openLiquidationStream(exchange, symbol, (e) => events.push(e), {
    open: replaySocket(sent),
    contractSize: async () => 0.01,
  })!;
  try {
    await expect.poll(() => events.length, { timeout: 15_000 }).toBe(count);
  } finally {
    stream.close();
  }
  return { events, sent };
}

function expectRecorded(events: readonly RealizedLiquidation[]): void {
  const recorded = recordedBtc();
  expect(events.map((e) => [e.timestamp, e.price, e.side])).toEqual(recorded.map((e) => [e.timestamp, e.price, e.side]));
  events.forEach((e, i) => expect(e.usd).toBeCloseTo(recorded[i]!.usd, 6));
}

describe('replayed liquidation websockets through the product client', () => {
  it('Bybit allLiquidation.BTCUSDT: every recorded BTCUSDT event, long/short as recorded', async () => {
    const count = recordedBtc().length;
    expect(count).toBe(63);
    const { events, sent } = await follow('bybit', 'BTCUSDT', count);
    expectRecorded(events);
    expect(sent[0]).toBe('{"op":"subscribe","args":["allLiquidation.BTCUSDT"]}');
    expect(server.requests.some((r) => r.host === 'stream.bybit.com' && r.path === '/v5/public/linear' && r.status === 101)).toBe(true);
  });

  it('OKX liquidation-orders (SWAP): every recorded BTCUSDT event as BTC-USDT-SWAP contracts, converted back to BTC', async () => {
    const { events, sent } = await follow('okx', 'BTC-USDT-SWAP', recordedBtc().length);
    expectRecorded(events);
    expect(JSON.parse(sent[0]!)).toEqual({ op: 'subscribe', args: [{ channel: 'liquidation-orders', instType: 'SWAP' }] });
    expect(server.requests.some((r) => r.host === 'ws.okx.com' && r.path === '/ws/v5/public' && r.status === 101)).toBe(true);
  });

  it('answer the heartbeats and refuse unknown subscriptions', async () => {
    const exchange = async (host: string, path: string, messages: string[]): Promise<string[]> => {
      const ws = new WebSocket(`wss://127.0.0.1:${server.port}${path}`, { headers: { host }, ca: server.certPem });
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      const answers: string[] = [];
      ws.on('message', (data) => answers.push(String(data)));
      for (const m of messages) ws.send(m);
      await expect.poll(() => answers.length).toBe(messages.length);
      ws.close();
      return answers;
    };
    const bybit = await exchange('stream.bybit.com', '/v5/public/linear', ['{"op":"ping"}', '{"op":"subscribe","args":["allLiquidation.ETHUSDT"]}']);
    expect(JSON.parse(bybit[0]!)).toMatchObject({ success: true, ret_msg: 'pong', op: 'ping' });
    expect(JSON.parse(bybit[1]!)).toMatchObject({ success: false, op: 'subscribe' });
    const okx = await exchange('ws.okx.com', '/ws/v5/public', ['ping', '{"op":"subscribe","args":[{"channel":"liquidation-orders","instType":"FUTURES"}]}']);
    expect(okx[0]).toBe('pong');
    expect(JSON.parse(okx[1]!)).toMatchObject({ event: 'error' });
  });
});
