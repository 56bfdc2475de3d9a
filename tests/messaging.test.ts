import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { RiskAssessment } from '../src/engine/types';
import { DEFAULT_SETTINGS } from '../src/settings/schema';
import {
  createClient,
  createMessageListener,
  dispatch,
  type EstimateView,
  type Handlers,
  MessagingError,
  PROTOCOL_VERSION,
  readResponse,
  type RequestOf,
  type ResponseEnvelope,
  type ResponseOf,
  type SenderInfo,
} from '../src/messaging';

const OWN_ID = 'liqlensextensionidaaaaaaaaaaaaaa';
const POPUP: SenderInfo = { id: OWN_ID, url: `chrome-extension://${OWN_ID}/popup.html`, origin: `chrome-extension://${OWN_ID}` };
const CONTENT: SenderInfo = {
  id: OWN_ID,
  url: 'https://www.binance.com/en/futures/BTCUSDT',
  origin: 'https://www.binance.com',
  tab: { id: 7, url: 'https://www.binance.com/en/futures/BTCUSDT' },
};
const FIREFOX_POPUP: SenderInfo = { id: 'liqlens@example.org', url: 'moz-extension://0f6c5a0e-1111-2222-3333-444455556666/popup.html' };

const ESTIMATE: EstimateView = {
  exchange: 'binance',
  symbol: 'BTCUSDT',
  lookback: '24h',
  computedAt: 1_700_000_000_000,
  price: 64_000,
  pools: [],
  context: {
    timestamp: 1_700_000_000_000,
    price: 64_000,
    openInterestUsd: 5e9,
    openInterestChange: {},
    trend: 'flat',
    trendChangePct: 0, trendWindowMs: 3_600_000,
    reliability: { score: 0.8, reasons: [] },
  },
  heatmap: {
    columns: 1,
    rows: 2,
    firstTimestamp: 1_700_000_000_000,
    columnMs: 300_000,
    priceLow: 60_000,
    priceHigh: 68_000,
    maxCellUsd: 1e6,
    intensity: [0, 255],
  },
};

const RISK: RiskAssessment = { findings: [], severity: 'info' };

function makeHandlers() {
  const calls: { type: string; req: unknown }[] = [];
  const handlers: Handlers = {
    getEstimate: async (req) => {
      calls.push({ type: 'getEstimate', req });
      return { ...ESTIMATE, exchange: req.exchange, symbol: req.symbol, lookback: req.lookback };
    },
    getStatus: async (req) => {
      calls.push({ type: 'getStatus', req });
      return { version: '0.1.0', markets: [] };
    },
    assessOrder: async (req) => {
      calls.push({ type: 'assessOrder', req });
      return RISK;
    },
    listMarkets: async (req) => {
      calls.push({ type: 'listMarkets', req });
      return [{ exchange: req.exchange, symbol: 'BTCUSDT', unified: 'BTC/USDT:USDT', base: 'BTC', quote: 'USDT' }];
    },
    prepareEstimate: async (req) => {
      calls.push({ type: 'prepareEstimate', req });
      return { request: { ...req, lookback: '24h' }, settings: DEFAULT_SETTINGS };
    },
    ping: async () => {
      calls.push({ type: 'ping', req: undefined });
      return { pong: true, version: PROTOCOL_VERSION };
    },
    openFullView: async (req) => {
      calls.push({ type: 'openFullView', req });
      return { opened: true };
    },
  };
  return { handlers, calls };
}

const envelope = (type: unknown, payload: unknown, version: unknown = PROTOCOL_VERSION) => ({ type, payload, version });

const ESTIMATE_REQ = { exchange: 'binance', symbol: 'BTCUSDT', lookback: '24h' } as const;
const ORDER_REQ = {
  exchange: 'okx',
  symbol: 'BTC-USDT-SWAP',
  order: { side: 'long', entry: 64_800, stop: 63_950, takeProfit: 67_000, leverage: 20, sizeUsd: 5_000 },
} as const;

function expectError(response: ResponseEnvelope, code: string, path?: string): void {
  expect(response.ok).toBe(false);
  if (response.ok) return;
  expect(response.error.code).toBe(code);
  if (path !== undefined) expect(response.error.path).toBe(path);
}

describe('dispatch: accepted messages', () => {
  it.each([
    ['getEstimate', ESTIMATE_REQ],
    ['getEstimate', { ...ESTIMATE_REQ, leverages: [50, 100], aggregate: false }],
    ['getEstimate', { ...ESTIMATE_REQ, aggregate: true, aggregateWith: ['bybit', 'okx'] }],
    ['getStatus', {}],
    ['getStatus', { exchange: 'bybit', symbol: 'SOLUSDT' }],
    ['assessOrder', ORDER_REQ],
    ['assessOrder', { exchange: 'hyperliquid', symbol: 'kPEPE', order: { side: 'short', entry: 0.012 } }],
    ['assessOrder', { ...ORDER_REQ, order: { ...ORDER_REQ.order, marginMode: 'cross' } }],
    ['assessOrder', { ...ORDER_REQ, order: { ...ORDER_REQ.order, marginMode: 'isolated' } }],
    ['listMarkets', { exchange: 'bitget' }],
    ['prepareEstimate', { exchange: 'okx', symbol: 'BTC-USDT-SWAP' }],
    ['ping', {}],
  ] as const)('%s %j reaches its handler with the payload', async (type, payload) => {
    const { handlers, calls } = makeHandlers();
    for (const sender of [POPUP, CONTENT]) {
      const response = await dispatch(envelope(type, payload), sender, OWN_ID, handlers);
      expect(response.ok).toBe(true);
      if (response.ok) expect(response.type).toBe(type);
    }
    expect(calls).toHaveLength(2);
    if (type !== 'ping') expect(calls[0]?.req).toEqual(payload);
  });

  it('accepts a Firefox extension page (moz-extension origin, id differs from the uuid)', async () => {
    const { handlers } = makeHandlers();
    const response = await dispatch(envelope('ping', {}), FIREFOX_POPUP, 'liqlens@example.org', handlers);
    expect(response).toEqual({ ok: true, version: PROTOCOL_VERSION, type: 'ping', result: { pong: true, version: 1 } });
  });

  it('passes the handler a fresh copy, not the sender object', async () => {
    const { handlers, calls } = makeHandlers();
    const payload = { ...ESTIMATE_REQ };
    await dispatch(envelope('getEstimate', payload), CONTENT, OWN_ID, handlers);
    expect(calls[0]?.req).toEqual(payload);
    expect(calls[0]?.req).not.toBe(payload);
  });

  it('treats optional fields given as undefined (structured clone) as absent', async () => {
    const { handlers, calls } = makeHandlers();
    const order = { side: 'long', entry: 100, stop: undefined };
    const response = await dispatch(envelope('assessOrder', { exchange: 'binance', symbol: 'BTCUSDT', order }), POPUP, OWN_ID, handlers);
    expect(response.ok).toBe(true);
    expect(calls[0]?.req).toEqual({ exchange: 'binance', symbol: 'BTCUSDT', order: { side: 'long', entry: 100 } });
    expect(Object.keys((calls[0]?.req as { order: object }).order)).toEqual(['side', 'entry']);
  });

  it('works with messages that went through JSON (Chrome serialization)', async () => {
    const { handlers } = makeHandlers();
    const message: unknown = JSON.parse(JSON.stringify(envelope('assessOrder', ORDER_REQ)));
    const response = await dispatch(message, CONTENT, OWN_ID, handlers);
    expect(response).toEqual({ ok: true, version: PROTOCOL_VERSION, type: 'assessOrder', result: RISK });
  });

  it('types handler payloads and results from the Handlers map', () => {
    expectTypeOf<RequestOf<'getEstimate'>>().toEqualTypeOf<{ readonly exchange: 'binance' | 'bybit' | 'okx' | 'bitget' | 'hyperliquid'; readonly symbol: string; readonly lookback: '12h' | '24h' | '3d' | '7d' | '30d'; readonly timeframe?: '5m' | '15m' | '1h'; readonly leverageWeights?: readonly number[]; readonly leverages?: readonly number[]; readonly aggregate?: boolean; readonly aggregateWith?: readonly ('binance' | 'bybit' | 'okx' | 'bitget' | 'hyperliquid')[] }>();
    expectTypeOf<ResponseOf<'assessOrder'>>().toEqualTypeOf<RiskAssessment>();
    expectTypeOf<ResponseOf<'getEstimate'>>().toEqualTypeOf<EstimateView>();
    expectTypeOf<Parameters<Handlers['assessOrder']>[0]['order']['entry']>().toEqualTypeOf<number>();
  });
});

describe('dispatch: rejected senders', () => {
  const cases: readonly [string, SenderInfo, string][] = [
    ['another extension', { id: 'someotherextensionidbbbbbbbbbbbb', url: 'chrome-extension://someotherextensionidbbbbbbbbbbbb/bg.html' }, OWN_ID],
    ['another extension in a tab', { id: 'someotherextensionidbbbbbbbbbbbb', url: 'https://www.binance.com/', tab: { id: 1 } }, OWN_ID],
    ['a web page (no id)', { url: 'https://evil.example/', origin: 'https://evil.example' }, OWN_ID],
    ['a web page with a tab but no id', { url: 'https://www.binance.com/en/futures/BTCUSDT', tab: { id: 1 } }, OWN_ID],
    ['own id outside a tab from a web origin', { id: OWN_ID, url: 'https://evil.example/', origin: 'https://evil.example' }, OWN_ID],
    ['own id outside a tab, no url', { id: OWN_ID }, OWN_ID],
    ['an empty sender', {}, OWN_ID],
    ['an unknown own id', { id: '', url: 'chrome-extension:///popup.html' }, ''],
    ['a case-changed id', { id: OWN_ID.toUpperCase(), url: POPUP.url ?? '' }, OWN_ID],
  ];

  it.each(cases)('rejects %s', async (_name, sender, ownId) => {
    const { handlers, calls } = makeHandlers();
    const response = await dispatch(envelope('ping', {}), sender, ownId, handlers);
    expectError(response, 'forbidden-sender');
    expect(calls).toHaveLength(0);
  });

  it('rejects a null sender from an untyped caller', async () => {
    const { handlers, calls } = makeHandlers();
    expectError(await dispatch(envelope('ping', {}), null as unknown as SenderInfo, OWN_ID, handlers), 'forbidden-sender');
    expect(calls).toHaveLength(0);
  });
});

describe('dispatch: rejected messages', () => {
  const polluted: unknown = JSON.parse('{"exchange":"binance","symbol":"BTCUSDT","lookback":"24h","__proto__":{"admin":true}}');
  const pollutedEnvelope: unknown = JSON.parse('{"type":"ping","payload":{},"version":1,"__proto__":{"x":1}}');
  const pollutedOrder: unknown = JSON.parse(
    '{"exchange":"binance","symbol":"BTCUSDT","order":{"side":"long","entry":1,"__proto__":{"leverage":100}}}',
  );
  const withGetter = Object.defineProperty({ exchange: 'binance', symbol: 'BTCUSDT' }, 'lookback', {
    enumerable: true,
    get: () => '24h',
  });
  const nullProtoPolluted = Object.assign(Object.create(null) as object, { exchange: 'binance', constructor: 'x' });

  const cases: readonly [string, unknown, string, string?][] = [
    // envelopes
    ['not an object', 'ping', 'bad-envelope'],
    ['null', null, 'bad-envelope'],
    ['an array', ['ping', {}, 1], 'bad-envelope'],
    ['a class instance', new Date(0), 'bad-envelope'],
    ['an envelope with an extra key', { ...envelope('ping', {}), sender: 'x' }, 'bad-envelope', 'sender'],
    ['an envelope with a __proto__ key', pollutedEnvelope, 'bad-envelope', '__proto__'],
    ['a swapped-prototype envelope', { __proto__: { type: 'ping', payload: {}, version: 1 } }, 'bad-envelope'],
    ['no version', { type: 'ping', payload: {} }, 'unsupported-version', 'version'],
    ['another version', envelope('ping', {}, 2), 'unsupported-version', 'version'],
    ['a string version', envelope('ping', {}, '1'), 'unsupported-version', 'version'],
    ['no payload', { type: 'ping', version: 1 }, 'bad-envelope', 'payload'],
    ['a numeric type', envelope(5, {}), 'bad-envelope', 'type'],
    ['an unknown type', envelope('deleteEverything', {}), 'unknown-type', 'type'],
    ['an inherited name as type', envelope('toString', {}), 'unknown-type', 'type'],
    ['__proto__ as type', envelope('__proto__', {}), 'unknown-type', 'type'],
    ['hasOwnProperty as type', envelope('hasOwnProperty', {}), 'unknown-type', 'type'],
    // payloads: missing and extra fields
    ['a missing field', envelope('getEstimate', { exchange: 'binance', symbol: 'BTCUSDT' }), 'invalid-payload', 'payload.lookback'],
    ['a missing nested field', envelope('assessOrder', { ...ORDER_REQ, order: { side: 'long' } }), 'invalid-payload', 'payload.order.entry'],
    ['an extra field', envelope('getEstimate', { ...ESTIMATE_REQ, debug: true }), 'invalid-payload', 'payload.debug'],
    ['an extra nested field', envelope('assessOrder', { ...ORDER_REQ, order: { ...ORDER_REQ.order, eval: 'x' } }), 'invalid-payload', 'payload.order.eval'],
    ['fields in ping', envelope('ping', { x: 1 }), 'invalid-payload', 'payload.x'],
    ['an undefined payload', envelope('ping', undefined), 'invalid-payload', 'payload'],
    ['an array payload', envelope('listMarkets', ['binance']), 'invalid-payload', 'payload'],
    ['only exchange in getStatus', envelope('getStatus', { exchange: 'binance' }), 'invalid-payload', 'payload'],
    // wrong types and values
    ['an unknown exchange', envelope('listMarkets', { exchange: 'ftx' }), 'invalid-payload', 'payload.exchange'],
    ['an upper-case exchange', envelope('listMarkets', { exchange: 'BINANCE' }), 'invalid-payload', 'payload.exchange'],
    ['an unknown lookback', envelope('getEstimate', { ...ESTIMATE_REQ, lookback: '1y' }), 'invalid-payload', 'payload.lookback'],
    ['a leverage filter that is not an array', envelope('getEstimate', { ...ESTIMATE_REQ, leverages: 50 }), 'invalid-payload', 'payload.leverages'],
    ['an empty leverage filter', envelope('getEstimate', { ...ESTIMATE_REQ, leverages: [] }), 'invalid-payload', 'payload.leverages'],
    ['a string leverage', envelope('getEstimate', { ...ESTIMATE_REQ, leverages: [50, '100'] }), 'invalid-payload', 'payload.leverages.1'],
    ['a leverage above the maximum', envelope('getEstimate', { ...ESTIMATE_REQ, leverages: [5000] }), 'invalid-payload', 'payload.leverages.0'],
    ['a repeated leverage', envelope('getEstimate', { ...ESTIMATE_REQ, leverages: [50, 50] }), 'invalid-payload', 'payload.leverages.1'],
    ['a sparse leverage filter', envelope('getEstimate', { ...ESTIMATE_REQ, leverages: Object.assign(new Array<number>(3), { 0: 50, 2: 100 }) }), 'invalid-payload', 'payload.leverages.1'],
    ['too many leverages', envelope('getEstimate', { ...ESTIMATE_REQ, leverages: Array.from({ length: 17 }, (_, i) => i + 1) }), 'invalid-payload', 'payload.leverages'],
    ['a string aggregate flag', envelope('getEstimate', { ...ESTIMATE_REQ, aggregate: 'yes' }), 'invalid-payload', 'payload.aggregate'],
    ['an unknown exchange to aggregate', envelope('getEstimate', { ...ESTIMATE_REQ, aggregate: true, aggregateWith: ['bybit', 'kraken'] }), 'invalid-payload', 'payload.aggregateWith.1'],
    ['an exchange named twice to aggregate', envelope('getEstimate', { ...ESTIMATE_REQ, aggregate: true, aggregateWith: ['okx', 'okx'] }), 'invalid-payload', 'payload.aggregateWith.1'],
    ['a numeric symbol', envelope('getEstimate', { ...ESTIMATE_REQ, symbol: 1 }), 'invalid-payload', 'payload.symbol'],
    ['an empty symbol', envelope('getEstimate', { ...ESTIMATE_REQ, symbol: '' }), 'invalid-payload', 'payload.symbol'],
    ['a symbol with markup', envelope('getEstimate', { ...ESTIMATE_REQ, symbol: '<img src=x>' }), 'invalid-payload', 'payload.symbol'],
    ['a symbol with a path', envelope('getEstimate', { ...ESTIMATE_REQ, symbol: '../../etc' }), 'invalid-payload', 'payload.symbol'],
    ['a prepared estimate with a lookback (the settings decide it)', envelope('prepareEstimate', { exchange: 'binance', symbol: 'BTCUSDT', lookback: '24h' }), 'invalid-payload', 'payload.lookback'],
    ['a prepared estimate with a symbol with markup', envelope('prepareEstimate', { exchange: 'binance', symbol: '<b>' }), 'invalid-payload', 'payload.symbol'],
    ['a huge symbol', envelope('getEstimate', { ...ESTIMATE_REQ, symbol: 'A'.repeat(1_000_000) }), 'invalid-payload', 'payload.symbol'],
    ['a 41-character symbol', envelope('getEstimate', { ...ESTIMATE_REQ, symbol: 'A'.repeat(41) }), 'invalid-payload', 'payload.symbol'],
    ['a string price', envelope('assessOrder', { ...ORDER_REQ, order: { side: 'long', entry: '64800' } }), 'invalid-payload', 'payload.order.entry'],
    ['a NaN price', envelope('assessOrder', { ...ORDER_REQ, order: { side: 'long', entry: Number.NaN } }), 'invalid-payload', 'payload.order.entry'],
    ['an infinite stop', envelope('assessOrder', { ...ORDER_REQ, order: { side: 'long', entry: 1, stop: Infinity } }), 'invalid-payload', 'payload.order.stop'],
    ['a negative price', envelope('assessOrder', { ...ORDER_REQ, order: { side: 'long', entry: -1 } }), 'invalid-payload', 'payload.order.entry'],
    ['a zero price', envelope('assessOrder', { ...ORDER_REQ, order: { side: 'long', entry: 0 } }), 'invalid-payload', 'payload.order.entry'],
    ['a huge size', envelope('assessOrder', { ...ORDER_REQ, order: { side: 'long', entry: 1, sizeUsd: 1e300 } }), 'invalid-payload', 'payload.order.sizeUsd'],
    ['leverage below 1', envelope('assessOrder', { ...ORDER_REQ, order: { side: 'long', entry: 1, leverage: 0.5 } }), 'invalid-payload', 'payload.order.leverage'],
    ['a boxed number', envelope('assessOrder', { ...ORDER_REQ, order: { side: 'long', entry: Object(5) as unknown } }), 'invalid-payload', 'payload.order.entry'],
    ['an unknown side', envelope('assessOrder', { ...ORDER_REQ, order: { side: 'buy', entry: 1 } }), 'invalid-payload', 'payload.order.side'],
    ['a null optional field', envelope('assessOrder', { ...ORDER_REQ, order: { side: 'long', entry: 1, stop: null } }), 'invalid-payload', 'payload.order.stop'],
    ['an unknown margin mode', envelope('assessOrder', { ...ORDER_REQ, order: { side: 'long', entry: 1, marginMode: 'portfolio' } }), 'invalid-payload', 'payload.order.marginMode'],
    ['an upper-case margin mode', envelope('assessOrder', { ...ORDER_REQ, order: { side: 'long', entry: 1, marginMode: 'Cross' } }), 'invalid-payload', 'payload.order.marginMode'],
    ['a boolean margin mode', envelope('assessOrder', { ...ORDER_REQ, order: { side: 'long', entry: 1, marginMode: true } }), 'invalid-payload', 'payload.order.marginMode'],
    ['an unknown order exchange', envelope('assessOrder', { ...ORDER_REQ, order: { side: 'long', entry: 1, exchange: 'ftx' } }), 'invalid-payload', 'payload.order.exchange'],
    // prototype-pollution shapes and exotic objects
    ['a __proto__ key in the payload', envelope('getEstimate', polluted), 'invalid-payload', 'payload.__proto__'],
    ['a __proto__ key in the order', envelope('assessOrder', pollutedOrder), 'invalid-payload', 'payload.order.__proto__'],
    ['a swapped-prototype payload', envelope('listMarkets', { __proto__: { exchange: 'binance' } }), 'invalid-payload', 'payload'],
    ['a constructor key', envelope('listMarkets', nullProtoPolluted), 'invalid-payload', 'payload.constructor'],
    ['a getter field', envelope('getEstimate', withGetter), 'invalid-payload', 'payload'],
    ['a symbol key', envelope('listMarkets', { exchange: 'binance', [Symbol('x')]: 1 }), 'invalid-payload', 'payload'],
  ];

  it.each(cases)('rejects %s', async (_name, message, code, path) => {
    const { handlers, calls } = makeHandlers();
    const response = await dispatch(message, CONTENT, OWN_ID, handlers);
    expectError(response, code, path);
    expect(calls).toHaveLength(0);
  });

  it('leaves Object.prototype untouched after polluted payloads', async () => {
    const { handlers } = makeHandlers();
    await dispatch(envelope('getEstimate', polluted), CONTENT, OWN_ID, handlers);
    await dispatch(pollutedEnvelope, CONTENT, OWN_ID, handlers);
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('never echoes the offending value back', async () => {
    const { handlers } = makeHandlers();
    const secret = 'A'.repeat(10_000);
    const response = await dispatch(envelope('getEstimate', { ...ESTIMATE_REQ, symbol: secret }), CONTENT, OWN_ID, handlers);
    expect(JSON.stringify(response).length).toBeLessThan(300);
  });

  it('turns a throwing or rejecting handler into handler-failed, with a bounded message', async () => {
    const { handlers } = makeHandlers();
    const throwing: Handlers = {
      ...handlers,
      ping: () => {
        throw new Error('boom');
      },
      listMarkets: async () => Promise.reject(new Error('x'.repeat(10_000))),
    };
    const ping = await dispatch(envelope('ping', {}), POPUP, OWN_ID, throwing);
    expectError(ping, 'handler-failed');
    if (!ping.ok) expect(ping.error.message).toBe('boom');
    const list = await dispatch(envelope('listMarkets', { exchange: 'okx' }), POPUP, OWN_ID, throwing);
    expectError(list, 'handler-failed');
    if (!list.ok) expect(list.error.message.length).toBeLessThanOrEqual(500);
  });

  it('reports a missing handler instead of throwing', async () => {
    const partial = { ping: makeHandlers().handlers.ping } as unknown as Handlers;
    expectError(await dispatch(envelope('listMarkets', { exchange: 'okx' }), POPUP, OWN_ID, partial), 'handler-failed');
  });

  it('answers a Proxy that throws on inspection with bad-envelope', async () => {
    const { handlers } = makeHandlers();
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('trap'); } });
    expectError(await dispatch(hostile, POPUP, OWN_ID, handlers), 'bad-envelope');
  });
});

describe('createMessageListener', () => {
  it('answers through sendResponse and keeps the channel open', async () => {
    const { handlers } = makeHandlers();
    const listener = createMessageListener(OWN_ID, handlers);
    const answer = await new Promise<ResponseEnvelope>((resolve) => {
      expect(listener(envelope('ping', {}), POPUP, resolve)).toBe(true);
    });
    expect(answer.ok).toBe(true);
  });

  it('gives foreign senders nothing: no answer, no open channel, no handler called', async () => {
    const { handlers, calls } = makeHandlers();
    const listener = createMessageListener(OWN_ID, handlers);
    const answers: unknown[] = [];
    const foreign: SenderInfo[] = [
      { id: 'other' },
      {},
      { url: 'https://www.binance.com/en/futures/BTCUSDT', origin: 'https://www.binance.com' },
      { id: OWN_ID, url: 'https://evil.example/' },
      { id: OWN_ID, origin: 'https://evil.example', url: 'chrome-extension://x/' },
    ];
    for (const sender of foreign) {
      expect(listener(envelope('getEstimate', ESTIMATE_REQ), sender, (a) => answers.push(a))).toBe(false);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(answers).toEqual([]);
    expect(calls).toEqual([]);
  });
});

describe('createClient', () => {
  /** A transport like runtime.sendMessage in Chrome: JSON round trip to dispatch and back. */
  function connect(sender: SenderInfo = CONTENT) {
    const { handlers, calls } = makeHandlers();
    const send = vi.fn(async (message: unknown) => {
      const delivered: unknown = JSON.parse(JSON.stringify(message));
      const answer = await dispatch(delivered, sender, OWN_ID, handlers);
      return JSON.parse(JSON.stringify(answer)) as unknown;
    });
    return { client: createClient(send), send, calls };
  }

  it('round-trips every message through dispatch with typed results', async () => {
    const { client, calls } = connect();
    const view = await client.getEstimate({ exchange: 'bybit', symbol: 'ETHUSDT', lookback: '7d' });
    expectTypeOf(view).toEqualTypeOf<EstimateView>();
    expect(view.symbol).toBe('ETHUSDT');
    expect(view.heatmap.intensity).toEqual([0, 255]);
    const risk = await client.assessOrder(ORDER_REQ);
    expectTypeOf(risk).toEqualTypeOf<RiskAssessment>();
    expect(risk).toEqual(RISK);
    expect(await client.listMarkets({ exchange: 'okx' })).toHaveLength(1);
    expect(await client.getStatus()).toEqual({ version: '0.1.0', markets: [] });
    expect(await client.ping()).toEqual({ pong: true, version: PROTOCOL_VERSION });
    expect(calls.map((call) => call.type)).toEqual(['getEstimate', 'assessOrder', 'listMarkets', 'getStatus', 'ping']);
  });

  it('sends exactly the { type, payload, version } envelope', async () => {
    const { client, send } = connect();
    await client.listMarkets({ exchange: 'binance' });
    expect(send).toHaveBeenCalledWith({ type: 'listMarkets', payload: { exchange: 'binance' }, version: PROTOCOL_VERSION });
  });

  it('validates the request before sending it', async () => {
    const { client, send } = connect();
    const result = await client.call('getEstimate', { ...ESTIMATE_REQ, lookback: '1y' as '24h' });
    expect(result).toEqual({ ok: false, error: { code: 'invalid-payload', message: expect.any(String), path: 'payload.lookback' } });
    expect(send).not.toHaveBeenCalled();
    await expect(client.ping({ x: 1 } as never)).rejects.toBeInstanceOf(MessagingError);
  });

  it('rejects with a MessagingError carrying the background code', async () => {
    const { client } = connect({ id: 'other' });
    const error: unknown = await client.ping().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessagingError);
    expect((error as MessagingError).code).toBe('forbidden-sender');
    expect(await client.call('ping', {})).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
  });

  it('reports transport failures without rejecting call()', async () => {
    const client = createClient(async () => {
      throw new Error('Could not establish connection. Receiving end does not exist.');
    });
    expect(await client.call('ping', {})).toMatchObject({ ok: false, error: { code: 'transport-failed' } });
    await expect(client.getStatus({})).rejects.toMatchObject({ code: 'transport-failed' });
  });

  it.each([
    ['no answer', undefined],
    ['a string', 'ok'],
    ['no ok flag', { version: 1, type: 'ping', result: {} }],
    ['a truthy but non-boolean ok', { ok: 1, version: 1, type: 'ping', result: {} }],
    ['another message type', { ok: true, version: 1, type: 'getStatus', result: {} }],
    ['another version', { ok: true, version: 2, type: 'ping', result: {} }],
    ['no result', { ok: true, version: 1, type: 'ping' }],
    ['an extra key', { ok: true, version: 1, type: 'ping', result: {}, extra: 1 }],
    ['an error without a code', { ok: false, version: 1, error: { message: 'x' } }],
    ['an unknown error code', { ok: false, version: 1, error: { code: 'teapot', message: 'x' } }],
    ['a huge error message', { ok: false, version: 1, error: { code: 'handler-failed', message: 'x'.repeat(10_000) } }],
    ['an error with extra keys', { ok: false, version: 1, error: { code: 'handler-failed', message: 'x', stack: 's' } }],
    ['a polluted answer', JSON.parse('{"ok":true,"version":1,"type":"ping","__proto__":{"result":{}}}') as unknown],
  ])('treats %s as bad-response', async (_name, answer) => {
    const client = createClient(async () => answer);
    expect(await client.call('ping', {})).toMatchObject({ ok: false, error: { code: 'bad-response' } });
  });

  it('passes error answers of another protocol version through as they are', () => {
    const answer = { ok: false, version: 2, error: { code: 'unsupported-version', message: 'expected protocol version 2', path: 'version' } };
    expect(readResponse('ping', answer)).toEqual({ ok: false, error: answer.error });
  });

  it('requires arguments only where a request has required fields', () => {
    const client = createClient(async () => undefined);
    expectTypeOf(client.ping).parameters.toEqualTypeOf<[req?: Readonly<Record<never, never>>]>();
    expectTypeOf(client.getStatus).parameter(0).toEqualTypeOf<RequestOf<'getStatus'> | undefined>();
    expectTypeOf(client.getEstimate).parameters.toEqualTypeOf<[req: RequestOf<'getEstimate'>]>();
    expectTypeOf(client.getEstimate).returns.resolves.toEqualTypeOf<ResponseOf<'getEstimate'>>();
  });
});
