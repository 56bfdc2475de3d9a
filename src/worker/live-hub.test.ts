/**
 * Live views: the message checks on both ends, merging realized liquidations, Binance frames,
 * and the background's hub (foreign ports refused, a view per subscription, minute refreshes
 * only while a port is open, realized events streamed and kept for the view's window).
 */
import { describe, expect, it } from 'vitest';
import { inProcessHost } from '../../tests/support/in-process-host';
import { binance5m } from '../../tests/support/recorded';
import { openLiquidationStream, parseForceOrder, type SocketLike } from '../data/liquidation-stream';
import type { ExchangeSeries } from '../engine/types';
import type { EstimateView, RealizedLiquidation } from '../messaging/contract';
import { LIVE_PORT_NAME, type LivePort, mergeRealized, openLiveView, readClientMessage, readServerMessage } from '../messaging/live';
import { createLiveHub, type HubPort, untilNextMinute } from './live-hub';
import { createEstimateService, type SeriesLoader } from './service';

const recorded = binance5m();
const END = recorded.bars.at(-1)!.timestamp;

/** Serves the recording up to `state.end`; each call is counted. */
function loader(state: { end: number; calls: number }): SeriesLoader {
  return async (exchange, symbol, _timeframe, lookbackMs) => {
    state.calls++;
    const bars = recorded.bars.filter((b) => b.timestamp > state.end - lookbackMs && b.timestamp <= state.end);
    return { series: { exchange, symbol, timeframeMs: 300_000, bars } satisfies ExchangeSeries, cachedBars: bars.length - 1, fetchedBars: 1 };
  };
}

/** Both ends of a port, like `runtime.connect` gives them. */
function portPair(sender: HubPort['sender']) {
  const toClient: ((m: unknown) => void)[] = [];
  const toHub: ((m: unknown) => void)[] = [];
  const clientGone: (() => void)[] = [];
  const hubGone: (() => void)[] = [];
  const received: unknown[] = [];
  let open = true;
  const hubEnd: HubPort = {
    name: LIVE_PORT_NAME,
    ...(sender ? { sender } : {}),
    postMessage: (m) => {
      if (!open) throw new Error('disconnected');
      received.push(structuredClone(m));
      for (const l of toClient) l(structuredClone(m));
    },
    disconnect: () => {
      open = false;
      for (const l of clientGone) l();
    },
    onMessage: { addListener: (l) => void toHub.push(l) },
    onDisconnect: { addListener: (l) => void hubGone.push(l) },
  };
  const clientEnd: LivePort = {
    name: LIVE_PORT_NAME,
    postMessage: (m) => {
      if (!open) throw new Error('disconnected');
      for (const l of toHub) l(structuredClone(m));
    },
    disconnect: () => {
      open = false;
      for (const l of hubGone) l();
    },
    onMessage: { addListener: (l) => void toClient.push(l) },
    onDisconnect: { addListener: (l) => void clientGone.push(l) },
  };
  return { hubEnd, clientEnd, received, isOpen: () => open };
}

const EXTENSION_PAGE = { id: 'me', url: 'chrome-extension://me/popup.html' };
const REQ = { exchange: 'binance', symbol: 'BTCUSDT', lookback: '12h' } as const;

describe('live messages', () => {
  it('accept a subscription and refuse anything else, both ways', () => {
    expect(readClientMessage({ type: 'subscribe', version: 1, request: REQ }).ok).toBe(true);
    expect(readClientMessage({ type: 'subscribe', version: 1, request: { ...REQ, lookback: '2y' } })).toMatchObject({ ok: false, issue: { path: 'message.request.lookback' } });
    expect(readClientMessage({ type: 'subscribe', version: 2, request: REQ }).ok).toBe(false);
    expect(readClientMessage({ type: 'subscribe', version: 1, request: REQ, extra: 1 }).ok).toBe(false);
    expect(readClientMessage({ type: 'toString', version: 1 }).ok).toBe(false);
    const event = { timestamp: 1, price: 100, side: 'long', usd: 5 };
    expect(readServerMessage({ type: 'realized', version: 1, exchange: 'binance', symbol: 'BTCUSDT', events: [event] }).ok).toBe(true);
    expect(readServerMessage({ type: 'realized', version: 1, exchange: 'binance', symbol: 'BTCUSDT', events: [{ ...event, side: 'up' }] }).ok).toBe(false);
    expect(readServerMessage({ type: 'realized', version: 1, exchange: 'binance', symbol: 'BTCUSDT', events: [{ ...event, usd: Number.NaN }] }).ok).toBe(false);
    expect(readServerMessage({ type: 'view', version: 1, view: { exchange: 'binance' } }).ok).toBe(false);
  });

  it('merge realized events: window, order, no duplicates, capped', () => {
    const e = (timestamp: number): RealizedLiquidation => ({ timestamp, price: 100, side: 'short', usd: 10 });
    expect(mergeRealized([e(5), e(1)], [e(5), e(3)], 2)).toEqual([e(3), e(5)]);
    const many = Array.from({ length: 2_500 }, (_, i) => e(i));
    expect(mergeRealized([], many, 0)).toHaveLength(2_000);
    expect(mergeRealized([], many, 0)[0]!.timestamp).toBe(500);
  });

  it('reads Binance forceOrder frames of the followed symbol only', () => {
    const frame = { e: 'forceOrder', E: 1_767_695_630_123, o: { s: 'BTCUSDT', S: 'BUY', o: 'LIMIT', q: '0.5', p: '91000.1', ap: '91000', X: 'FILLED', l: '0.5', z: '0.5', T: 1_767_695_630_100 } };
    expect(parseForceOrder(frame, 'BTCUSDT')).toEqual({ timestamp: 1_767_695_630_100, price: 91_000, side: 'short', usd: 45_500 });
    expect(parseForceOrder({ stream: 'btcusdt@forceOrder', data: frame }, 'BTCUSDT')?.side).toBe('short');
    expect(parseForceOrder(frame, 'ETHUSDT')).toBeUndefined();
    expect(parseForceOrder({ result: null, id: 1 }, 'BTCUSDT')).toBeUndefined();
    expect(parseForceOrder({ ...frame, o: { ...frame.o, ap: 'x', p: 'y' } }, 'BTCUSDT')).toBeUndefined();
  });

  it('a liquidation stream reconnects after a drop and stops on close', async () => {
    const sockets: (SocketLike & { url: string })[] = [];
    const events: RealizedLiquidation[] = [];
    const stream = openLiquidationStream('binance', 'BTCUSDT', (e) => events.push(e), {
      reconnectMs: 1,
      open: (url) => {
        const socket = { url, onopen: null, onmessage: null, onclose: null, onerror: null, send: () => {}, close: () => {} } as SocketLike & { url: string };
        sockets.push(socket);
        return socket;
      },
    });
    expect(openLiquidationStream('bitget', 'BTCUSDT', () => {})).toBeUndefined();
    expect(sockets[0]!.url).toBe('wss://fstream.binance.com/ws/btcusdt@forceOrder');
    sockets[0]!.onmessage?.({ data: JSON.stringify({ e: 'forceOrder', E: 2, o: { s: 'BTCUSDT', S: 'SELL', ap: '10', z: '3', T: 2 } }) });
    sockets[0]!.onmessage?.({ data: 'not json' });
    expect(events).toEqual([{ timestamp: 2, price: 10, side: 'long', usd: 30 }]);
    sockets[0]!.onclose?.();
    await expect.poll(() => sockets.length).toBe(2);
    stream!.close();
    sockets[1]!.onclose?.();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sockets).toHaveLength(2);
  });

  it('refreshes just after each minute turns', () => {
    expect(untilNextMinute(Date.UTC(2026, 0, 1, 0, 0, 59, 500))).toBe(2_500);
    expect(untilNextMinute(Date.UTC(2026, 0, 1, 0, 1, 0, 0))).toBe(62_000);
  });
});

describe('live hub', () => {
  function setup() {
    const state = { end: END - 300_000, calls: 0 };
    const service = createEstimateService({ loadSeries: loader(state), host: inProcessHost(), version: '1', reuseMs: 0 });
    let refreshNow: () => void = () => {};
    const streams: { symbol: string; emit: (e: RealizedLiquidation) => void; closed: boolean }[] = [];
    const hub = createLiveHub({
      service,
      ownId: 'me',
      // The test fires refreshes itself: a very long wait that `refreshNow` cuts short.
      nextRefreshIn: () => 1e9,
      openStream: (_exchange, symbol, onEvent) => {
        const entry = { symbol, emit: onEvent, closed: false };
        streams.push(entry);
        return { close: () => void (entry.closed = true) };
      },
    });
    return { state, hub, streams, service, refresh: () => refreshNow(), setRefresh: (fn: () => void) => (refreshNow = fn) };
  }

  it('refuses ports of other extensions, web pages and other names', () => {
    const { hub } = setup();
    for (const sender of [{ id: 'other', url: 'chrome-extension://other/x.html' }, { url: 'https://evil.example/' }]) {
      const pair = portPair(sender);
      hub.onConnect(pair.hubEnd);
      expect(pair.isOpen()).toBe(false);
    }
    const otherName = portPair(EXTENSION_PAGE);
    hub.onConnect({ ...otherName.hubEnd, name: 'something-else' });
    expect(otherName.isOpen()).toBe(true);
    expect(hub.stats().subscriptions).toBe(0);
  });

  it('sends the view, pushes updated views and realized events, and stops everything when the port closes', async () => {
    const { state, hub, streams, service } = setup();
    const pair = portPair(EXTENSION_PAGE);
    hub.onConnect(pair.hubEnd);
    const views: EstimateView[] = [];
    const errors: unknown[] = [];
    const controller = new AbortController();
    openLiveView({ connect: () => pair.clientEnd, request: REQ, onView: (v) => views.push(v), onError: (e) => errors.push(e), signal: controller.signal });
    await expect.poll(() => views.length).toBe(1);
    expect(hub.stats()).toEqual({ subscriptions: 1, streams: 1, refreshScheduled: true });
    const first = views[0]!;
    expect(first.price).toBe(recorded.bars.find((b) => b.timestamp === END - 300_000)!.close);

    // A realized liquidation inside the window reaches the open view; one before it is not kept.
    const inside: RealizedLiquidation = { timestamp: END - 60_000, price: first.price * 0.99, side: 'long', usd: 250_000 };
    streams[0]!.emit(inside);
    streams[0]!.emit({ ...inside, timestamp: first.heatmap.firstTimestamp - 1 });
    await expect.poll(() => views.at(-1)!.realized).toEqual([inside]);

    // A new bar: the minute refresh loads it and every subscriber gets the updated view, realized kept.
    state.end = END;
    await service.refresh(REQ);
    await expect.poll(() => views.at(-1)!.price).toBe(recorded.bars.at(-1)!.close);
    expect(views.at(-1)!.realized).toEqual([inside]);
    expect(errors).toEqual([]);
    for (const message of pair.received) expect(readServerMessage(message).ok).toBe(true);

    controller.abort();
    expect(hub.stats()).toEqual({ subscriptions: 0, streams: 0, refreshScheduled: false });
    expect(streams[0]!.closed).toBe(true);
  });

  it('keeps realized events that arrive before the first view, by the exchange\'s clock when the local one runs ahead', async () => {
    const service = createEstimateService({ loadSeries: loader({ end: END, calls: 0 }), host: inProcessHost(), version: '1', reuseMs: 0 });
    const emitters: ((e: RealizedLiquidation) => void)[] = [];
    // The local clock 40 days past the data: more than the 30 days events are kept for.
    const hub = createLiveHub({ service, ownId: 'me', nextRefreshIn: () => 1e9, now: () => END + 40 * 86_400_000, openStream: (_e, _s, onEvent) => (emitters.push(onEvent), { close: () => {} }) });
    const pair = portPair(EXTENSION_PAGE);
    hub.onConnect(pair.hubEnd);
    const views: EstimateView[] = [];
    const controller = new AbortController();
    openLiveView({ connect: () => pair.clientEnd, request: REQ, onView: (v) => views.push(v), onError: () => {}, signal: controller.signal });
    await expect.poll(() => emitters.length).toBe(1);
    // Streamed while the view is still being computed: only the view can bring them to the panel.
    const early: RealizedLiquidation[] = [
      { timestamp: END - 120_000, price: 64_000, side: 'long', usd: 120_000 },
      { timestamp: END - 60_000, price: 65_000, side: 'short', usd: 80_000 },
    ];
    for (const event of early) emitters[0]!(event);
    await expect.poll(() => views.length).toBe(1);
    expect(views[0]!.realized).toEqual(early);
    controller.abort();
  });

  it('answers a malformed message with an error and a failed estimate with the reason', async () => {
    const state = { end: END, calls: 0 };
    const failing: SeriesLoader = async () => {
      state.calls++;
      throw new Error('exchange unreachable');
    };
    const service = createEstimateService({ loadSeries: failing, host: inProcessHost(), version: '1' });
    const hub = createLiveHub({ service, ownId: 'me', nextRefreshIn: () => 1e9 });
    const pair = portPair(EXTENSION_PAGE);
    hub.onConnect(pair.hubEnd);
    pair.clientEnd.postMessage({ type: 'subscribe', version: 1, request: { ...REQ, symbol: '<script>' } });
    pair.clientEnd.postMessage({ type: 'subscribe', version: 1, request: REQ });
    await expect.poll(() => pair.received.length).toBe(2);
    expect(pair.received[0]).toMatchObject({ type: 'error', error: { code: 'invalid-payload', path: 'message.request.symbol' } });
    expect(pair.received[1]).toMatchObject({ type: 'error', error: { code: 'handler-failed', message: 'exchange unreachable' } });
    pair.clientEnd.disconnect();
    expect(hub.stats().subscriptions).toBe(0);
  });
});
