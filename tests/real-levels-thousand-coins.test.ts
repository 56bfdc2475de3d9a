/**
 * Coins Hyperliquid lists per 1,000 (`kPEPE`): a page quoting 1 PEPE (OKX `PEPE-USDT-SWAP`,
 * Bitget `PEPEUSDT`) gets kPEPE's real levels at 1/1000 of Hyperliquid's price, resolved in the
 * background against Hyperliquid's coin list; `1000PEPEUSDT` and Hyperliquid's own `kPEPE` page
 * keep Hyperliquid's prices, BTC is unchanged, and a view with any other factor is refused at the
 * port. The recorded snapshot's kPEPE positions are served by the replay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryAccountsStore } from '../src/data/hyperliquid-positions/accounts-store';
import { heldCoin, RECORDED_THOUSAND_COINS } from '../src/data/hyperliquid-positions/coin-units';
import { fetchTransport, type PositionsTransport } from '../src/data/hyperliquid-positions/http';
import { createRealLevelsHub, inWatchedUnit } from '../src/data/hyperliquid-positions/hub';
import { buildLevelsView, type HeldState } from '../src/data/hyperliquid-positions/levels';
import { realLevelNote } from '../src/data/hyperliquid-positions/order-notes';
import { parseClearinghouseState } from '../src/data/hyperliquid-positions/parse';
import { createRealPositionsTracker, type RealPositionsTracker } from '../src/data/hyperliquid-positions/tracker';
import { readRealLevelsServerMessage, REAL_LEVELS_PORT_NAME, type RealLevelsView } from '../src/messaging/real-levels';
import { PROTOCOL_VERSION } from '../src/messaging/version';
import { coinOnScreen } from '../src/ui/panel/real-levels';
import { watchOrderRealLevels } from '../src/ui/warnings/real-level-citations';
import type { HubPort } from '../src/worker/live-hub';
import { defaultDataDir, type ReplayServer, startReplayServer } from '../test-support/replay-server/index';
import { replayPositionsFetch } from './support/replay-fetch';
import { hyperliquidWith } from '../test-support/replay-server/exchanges/hyperliquid';
import { hyperliquidStats } from '../test-support/replay-server/exchanges/hyperliquid-stats';
import { positionsSnapshot } from '../test-support/replay-server/exchanges/hyperliquid-positions';
import { fakeRealLevelsPort } from './support/fake-real-levels-port';

const snapshot = positionsSnapshot(defaultDataDir());
const NOW = Date.now();

/** The recorded accounts' view of `coin`, as the tracker builds it once all are read. */
function recordedView(coin: string): RealLevelsView {
  const states = new Map<string, HeldState>();
  for (const address of snapshot.accounts.keys()) states.set(address, { state: parseClearinghouseState(snapshot.clearinghouseState(address), address), readAt: NOW - 60_000 });
  return buildLevelsView({ coin, followed: [...snapshot.accounts.keys()], states });
}

describe('which Hyperliquid coin holds a market', () => {
  it('maps a per-1 coin to its k coin when Hyperliquid lists only that, and nothing else', () => {
    expect(heldCoin('PEPE', new Set(['BTC', 'kPEPE']))).toEqual({ coin: 'kPEPE', priceFactor: 0.001 });
    // Listed under its own name too: its own name wins.
    expect(heldCoin('PEPE', new Set(['PEPE', 'kPEPE']))).toEqual({ coin: 'PEPE', priceFactor: 1 });
    // Hyperliquid's list is the truth once read: a coin it does not list as k stays as it is.
    expect(heldCoin('PEPE', new Set(['BTC']))).toEqual({ coin: 'PEPE', priceFactor: 1 });
    expect(heldCoin('kPEPE', new Set(['kPEPE']))).toEqual({ coin: 'kPEPE', priceFactor: 1 });
    expect(heldCoin('BTC', new Set(['BTC', 'kBTC']))).toEqual({ coin: 'BTC', priceFactor: 1 });
    // Before the list is read: the recorded snapshot's k coins.
    expect(heldCoin('SHIB', undefined)).toEqual({ coin: 'kSHIB', priceFactor: 0.001 });
    expect(heldCoin('DOGE', undefined)).toEqual({ coin: 'DOGE', priceFactor: 1 });
    const recordedK = new Set([...snapshot.accounts.values()].flatMap((a) => a.positions.map((p) => p.coin)).filter((c) => /^k[A-Z]/.test(c)));
    expect([...RECORDED_THOUSAND_COINS].sort()).toEqual([...recordedK].sort());
  });

  it('the page names PEPE on OKX and Bitget, kPEPE on Binance, Bybit and Hyperliquid, BTC as BTC', () => {
    expect(coinOnScreen('okx', 'PEPE-USDT-SWAP')).toBe('PEPE');
    expect(coinOnScreen('bitget', 'PEPEUSDT')).toBe('PEPE');
    expect(coinOnScreen('binance', '1000PEPEUSDT')).toBe('kPEPE');
    expect(coinOnScreen('hyperliquid', 'kPEPE')).toBe('kPEPE');
    expect(coinOnScreen('okx', 'BTC-USDT-SWAP')).toBe('BTC');
  });
});

describe('the port carries the factor, validated', () => {
  const kpepe = recordedView('kPEPE');
  const message = (view: unknown) => readRealLevelsServerMessage({ type: 'levels', version: PROTOCOL_VERSION, view });

  it('accepts a kPEPE view per PEPE at 1/1000 and refuses any other factor or half of the pair', () => {
    const good = inWatchedUnit(kpepe, 'PEPE', 0.001);
    expect(message(good).ok).toBe(true);
    for (const bad of [0.01, 1000, 1, 0, -0.001, '0.001', Infinity, null]) {
      const checked = message({ ...good, priceFactor: bad });
      expect(checked.ok, String(bad)).toBe(false);
      expect(!checked.ok && checked.issue.path).toBe('message.view.priceFactor');
    }
    const { priceFactor: _f, ...noFactor } = good;
    expect(message(noFactor).ok).toBe(false);
    const { watched: _w, ...noWatched } = good;
    expect(message(noWatched).ok).toBe(false);
    expect(message({ ...good, watched: 'kPEPE' }).ok).toBe(false);
    expect(message(kpepe).ok).toBe(true);
  });
});

function fakeTracker(listed: () => ReadonlySet<string> | undefined) {
  const watched: string[] = [];
  const released: string[] = [];
  let listener: ((coin: string) => void) | undefined;
  const tracker: RealPositionsTracker = {
    watch(coin) {
      watched.push(coin);
      return () => released.push(coin);
    },
    view: (coin) => ({ ...recordedView(coin), mark: coin === 'BTC' ? 70_200 : 0.004953 }),
    subscribe(l) {
      listener = l;
      return () => {};
    },
    coins: listed,
    stats: () => ({ running: false, watched: [], followed: 0, requests: 0, weightSpent: 0, pausedUntil: -Infinity }),
    stop: () => {},
  };
  return { tracker, watched, released, changed: (coin: string) => listener?.(coin) };
}

function hubPort() {
  const posted: unknown[] = [];
  let onMessage: ((m: unknown) => void) | undefined;
  const p: HubPort = {
    name: REAL_LEVELS_PORT_NAME,
    sender: { id: 'me', url: 'chrome-extension://me/popup.html' },
    postMessage: (m) => posted.push(m),
    disconnect: () => {},
    onMessage: { addListener: (l) => (onMessage = l) },
    onDisconnect: { addListener: () => {} },
  };
  const views = () =>
    posted.map((m) => {
      const checked = readRealLevelsServerMessage(m);
      if (!checked.ok || checked.value.type !== 'levels') throw new Error('not a valid levels message');
      return checked.value.view;
    });
  return { p, views, watch: (coin: string) => onMessage?.({ type: 'watch', version: PROTOCOL_VERSION, coin }) };
}

describe('the hub resolves the coin', () => {
  it('answers PEPE with the kPEPE view at 1/1000, kPEPE and BTC as they are', () => {
    const listed: ReadonlySet<string> = new Set(['BTC', 'kPEPE']);
    const t = fakeTracker(() => listed);
    const hub = createRealLevelsHub(t.tracker, 'me');
    const kpepe = recordedView('kPEPE');
    expect(kpepe.holders).toBeGreaterThan(5);
    const [pepe, thousand, btc] = [hubPort(), hubPort(), hubPort()];
    for (const p of [pepe, thousand, btc]) hub.onConnect(p.p);
    pepe.watch('PEPE');
    thousand.watch('kPEPE');
    btc.watch('BTC');
    expect(t.watched).toEqual(['kPEPE', 'kPEPE', 'BTC']);
    const perPepe = pepe.views()[0]!;
    expect(perPepe).toMatchObject({ coin: 'kPEPE', watched: 'PEPE', priceFactor: 0.001, holders: kpepe.holders, notionalUsd: kpepe.notionalUsd });
    expect(perPepe.mark).toBeCloseTo(0.000004953, 15);
    expect(perPepe.levels).toHaveLength(kpepe.levels.length);
    perPepe.levels.forEach((l, i) => {
      expect(l.price).toBeCloseTo(kpepe.levels[i]!.price / 1000, 15);
      expect(l.notionalUsd).toBe(kpepe.levels[i]!.notionalUsd);
    });
    expect(thousand.views()[0]).toEqual({ ...kpepe, mark: 0.004953 });
    expect(btc.views()[0]).toEqual({ ...recordedView('BTC'), mark: 70_200 });
    // Pushed updates are converted too.
    t.changed('kPEPE');
    expect(pepe.views()[1]!.levels[0]!.price).toBeCloseTo(kpepe.levels[0]!.price / 1000, 15);
    expect(thousand.views()[1]!.levels[0]!.price).toBe(kpepe.levels[0]!.price);
  });

  it('follows the k coin once Hyperliquid\'s list, read after the watch, names it', () => {
    const hyperliquid: { listed?: ReadonlySet<string> } = {};
    const t = fakeTracker(() => hyperliquid.listed);
    const hub = createRealLevelsHub(t.tracker, 'me');
    const page = hubPort();
    hub.onConnect(page.p);
    page.watch('XYZ'); // Not among the recorded k coins.
    expect(t.watched).toEqual(['XYZ']);
    hyperliquid.listed = new Set(['BTC', 'kXYZ']);
    t.changed('XYZ');
    expect(t.released).toEqual(['XYZ']);
    expect(t.watched).toEqual(['XYZ', 'kXYZ']);
    expect(page.views().at(-1)).toMatchObject({ coin: 'kXYZ', watched: 'XYZ', priceFactor: 0.001 });
  });
});

describe('against the replayed positions', () => {
  let server: ReplayServer;
  const replayFetch = replayPositionsFetch(() => server);

  beforeAll(async () => {
    server = await startReplayServer({ dataDir: defaultDataDir(), exchanges: [hyperliquidWith({ weightPerMinute: 1e6, positionsLatencyMs: 0 }), hyperliquidStats] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('an OKX PEPE page receives the recorded kPEPE levels per PEPE from the poller and hub', async () => {
    const replay = fetchTransport(replayFetch);
    // The replay's metaAndAssetCtxs lists BTC only; Hyperliquid's list with kPEPE is reconstructed
    // here from the snapshot (kPEPE's implied mark 0.004953; no PEPE, as in the snapshot).
    const transport: PositionsTransport = {
      ...replay,
      info: (body) =>
        body.type === 'metaAndAssetCtxs'
          ? Promise.resolve([{ universe: [{ name: 'BTC' }, { name: 'kPEPE' }] }, [{ markPx: '70210', openInterest: '38000' }, { markPx: '0.004953', openInterest: '1000000000' }]])
          : replay.info(body),
    };
    const tracker = createRealPositionsTracker({ transport, store: memoryAccountsStore(), weightPerMinute: 1e6 });
    const hub = createRealLevelsHub(tracker, 'me');
    const okx = hubPort();
    hub.onConnect(okx.p);
    const coin = coinOnScreen('okx', 'PEPE-USDT-SWAP')!;
    okx.watch(coin);
    const done = () => okx.views().at(-1)?.read === snapshot.accounts.size;
    const end = Date.now() + 60_000;
    while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    tracker.stop();
    expect(tracker.coins()).toEqual(new Set(['BTC', 'kPEPE']));
    const last = okx.views().at(-1)!;
    const kpepe = recordedView('kPEPE');
    expect(last).toMatchObject({ coin: 'kPEPE', watched: 'PEPE', priceFactor: 0.001, holders: kpepe.holders, notionalUsd: kpepe.notionalUsd });
    expect(last.mark).toBeCloseTo(0.000004953, 15);
    expect(last.levels.map((l) => l.price / 0.001)).toEqual(kpepe.levels.map((l) => expect.closeTo(l.price, 12) as unknown as number));
  }, 90_000);
});

describe('warning citations on an OKX PEPE page', () => {
  it('cite the kPEPE level per PEPE and say so once', async () => {
    const perPepe = inWatchedUnit(recordedView('kPEPE'), 'PEPE', 0.001);
    const port = fakeRealLevelsPort(perPepe);
    const controller = new AbortController();
    let changed = 0;
    const real = watchOrderRealLevels({ exchange: 'okx', symbol: 'PEPE-USDT-SWAP', signal: controller.signal, onChange: () => changed++, connect: port.connect });
    const end = Date.now() + 2_000;
    while (changed === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    expect(port.sent[0]).toEqual({ type: 'watch', version: PROTOCOL_VERSION, coin: 'PEPE' });
    const view = real.levels();
    expect(view).toBeDefined();
    // A short at the recorded mark (per PEPE), its stop at 0.0000052: the recorded kPEPE short
    // liquidation at 0.0052297 is 0.6 % beyond it.
    const entry = 0.000004953;
    const stop = 0.0000052;
    const note = realLevelNote({ side: 'short', entry, stop }, view!);
    expect(note?.level.price).toBeCloseTo(0.0000052297293, 15);
    expect(note?.text).toBe('A real $105k short liquidation on Hyperliquid (kPEPE, price shown per PEPE) sits 0.6 % beyond your stop (0.00000523).');
    // Hyperliquid's own price would sit 1,000 times above the entry: nothing near it is cited.
    expect(realLevelNote({ side: 'short', entry, stop }, recordedView('kPEPE'))).toBeUndefined();
  });
});
