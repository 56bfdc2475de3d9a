/**
 * The real-levels port between panels and the background: only this extension's own pages may
 * watch, every message is validated on both ends, each port watches one coin, and the poller is
 * released when the port closes.
 */
import { describe, expect, it } from 'vitest';
import { createRealLevelsHub } from '../src/data/hyperliquid-positions/hub';
import type { RealPositionsTracker } from '../src/data/hyperliquid-positions/tracker';
import { PROTOCOL_VERSION } from '../src/messaging/version';
import { readRealLevelsServerMessage, REAL_LEVELS_PORT_NAME, type RealLevelsView } from '../src/messaging/real-levels';
import type { HubPort } from '../src/worker/live-hub';

function fakeTracker() {
  const watched: string[] = [];
  const released: string[] = [];
  let listener: ((coin: string) => void) | undefined;
  const view = (coin: string): RealLevelsView => ({ coin, levels: [{ price: 60_000, side: 'long', notionalUsd: 1e6, leverage: 20, marginType: 'cross', account: `0x${'a'.repeat(40)}` }], holders: 1, notionalUsd: 1e6, withoutLevelUsd: 0, followed: 10, read: 10 });
  const tracker: RealPositionsTracker = {
    watch(coin) {
      watched.push(coin);
      return () => released.push(coin);
    },
    view,
    subscribe(l) {
      listener = l;
      return () => {};
    },
    coins: () => undefined,
    stats: () => ({ running: false, watched: [], followed: 0, requests: 0, weightSpent: 0, pausedUntil: -Infinity }),
    stop: () => {},
  };
  return { tracker, watched, released, changed: (coin: string) => listener?.(coin) };
}

function port(name = REAL_LEVELS_PORT_NAME, sender: HubPort['sender'] = { id: 'me', url: 'chrome-extension://me/popup.html' }) {
  const posted: unknown[] = [];
  let onMessage: ((m: unknown) => void) | undefined;
  let onDisconnect: (() => void) | undefined;
  let disconnected = false;
  const p: HubPort = {
    name,
    sender,
    postMessage: (m) => posted.push(m),
    disconnect: () => {
      disconnected = true;
    },
    onMessage: { addListener: (l) => (onMessage = l) },
    onDisconnect: { addListener: (l) => (onDisconnect = l) },
  };
  return { p, posted, send: (m: unknown) => onMessage?.(m), close: () => onDisconnect?.(), disconnected: () => disconnected };
}

describe('real-levels hub', () => {
  it('answers a watch with the held view, pushes changes of that coin only, releases on close', () => {
    const t = fakeTracker();
    const hub = createRealLevelsHub(t.tracker, 'me');
    const a = port();
    hub.onConnect(a.p);
    a.send({ type: 'watch', version: PROTOCOL_VERSION, coin: 'BTC' });
    expect(t.watched).toEqual(['BTC']);
    expect(a.posted).toHaveLength(1);
    const first = readRealLevelsServerMessage(a.posted[0]);
    expect(first.ok && first.value.type === 'levels' && first.value.view.coin).toBe('BTC');
    t.changed('ETH');
    expect(a.posted).toHaveLength(1);
    t.changed('BTC');
    expect(a.posted).toHaveLength(2);
    a.send({ type: 'watch', version: PROTOCOL_VERSION, coin: 'ETH' });
    expect(t.released).toEqual(['BTC']);
    a.close();
    expect(t.released).toEqual(['BTC', 'ETH']);
    expect(hub.stats().ports).toBe(0);
  });

  it('refuses other senders, ignores other ports, and rejects invalid messages', () => {
    const t = fakeTracker();
    const hub = createRealLevelsHub(t.tracker, 'me');
    const web = port(REAL_LEVELS_PORT_NAME, { id: 'other', url: 'https://evil.example/' });
    hub.onConnect(web.p);
    expect(web.disconnected()).toBe(true);
    const live = port('liqlens-live');
    hub.onConnect(live.p);
    live.send({ type: 'watch', version: PROTOCOL_VERSION, coin: 'BTC' });
    expect(live.posted).toEqual([]);
    const a = port();
    hub.onConnect(a.p);
    for (const bad of [{ type: 'watch', version: PROTOCOL_VERSION, coin: '<img src=x>' }, { type: 'watch', version: 99, coin: 'BTC' }, { type: 'watch', version: PROTOCOL_VERSION, coin: 'BTC', extra: 1 }, 'watch']) a.send(bad);
    expect(t.watched).toEqual([]);
    expect(a.posted).toHaveLength(4);
    expect(a.posted.every((m) => (m as { type: string }).type === 'error')).toBe(true);
  });

  it("takes the extension's own pages in a tab (the full view) and its content scripts; refuses another extension's", () => {
    const t = fakeTracker();
    const hub = createRealLevelsHub(t.tracker, 'me');
    const full = port(REAL_LEVELS_PORT_NAME, { id: 'me', url: 'chrome-extension://me/fullview.html?exchange=binance&symbol=BTCUSDT&lookback=24h', tab: { id: 7 } });
    const content = port(REAL_LEVELS_PORT_NAME, { id: 'me', url: 'https://www.binance.com/en/futures/BTCUSDT', tab: { id: 8 } });
    const other = port(REAL_LEVELS_PORT_NAME, { id: 'other', url: 'chrome-extension://other/page.html', tab: { id: 9 } });
    const page = port(REAL_LEVELS_PORT_NAME, { url: 'https://evil.example/', tab: { id: 10 } });
    for (const p of [full, content, other, page]) {
      hub.onConnect(p.p);
      p.send({ type: 'watch', version: PROTOCOL_VERSION, coin: 'BTC' });
    }
    expect([full, content, other, page].map((p) => p.disconnected())).toEqual([false, false, true, true]);
    expect(t.watched).toEqual(['BTC', 'BTC']);
    expect(full.posted).toHaveLength(1);
  });

  it('the panel side refuses a malformed view', () => {
    const bad = { type: 'levels', version: PROTOCOL_VERSION, view: { coin: 'BTC', levels: [{ price: -1, side: 'long', notionalUsd: 1, leverage: 2, marginType: 'cross', account: '0x1' }], holders: 1, notionalUsd: 1, withoutLevelUsd: 0, followed: 1, read: 1 } };
    expect(readRealLevelsServerMessage(bad).ok).toBe(false);
  });
});
