/**
 * The replay's Hyperliquid positions: the leaderboard and clearinghouseState built from the
 * recorded snapshot, read through the extension's own transport and parsers, with the replay's
 * latency and weight limit; and the poller against it, backing off when the limit answers 429.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backoff } from '../src/data/hyperliquid-positions/budget';
import { fetchTransport, HttpStatusError } from '../src/data/hyperliquid-positions/http';
import { memoryAccountsStore } from '../src/data/hyperliquid-positions/accounts-store';
import { parseClearinghouseState, parseLeaderboard } from '../src/data/hyperliquid-positions/parse';
import { createRealPositionsTracker } from '../src/data/hyperliquid-positions/tracker';
import { defaultDataDir, type ReplayServer, startReplayServer } from '../test-support/replay-server/index';
import { replayPositionsFetch } from './support/replay-fetch';
import { hyperliquidWith } from '../test-support/replay-server/exchanges/hyperliquid';
import { hyperliquidStats } from '../test-support/replay-server/exchanges/hyperliquid-stats';
import { positionsSnapshot } from '../test-support/replay-server/exchanges/hyperliquid-positions';

const LIMIT = 40;
const LATENCY = 120;
let server: ReplayServer;

const replayFetch = replayPositionsFetch(() => server);

beforeAll(async () => {
  server = await startReplayServer({ dataDir: defaultDataDir(), exchanges: [hyperliquidWith({ weightPerMinute: LIMIT, positionsLatencyMs: LATENCY }), hyperliquidStats] });
});
afterAll(async () => {
  await server?.stop();
});

describe('replayed Hyperliquid positions', () => {
  const snapshot = positionsSnapshot(defaultDataDir());

  it('serves the leaderboard and account states in the real shapes, after a latency, and 429 over the weight limit', async () => {
    const transport = fetchTransport(replayFetch);
    const board = parseLeaderboard(await transport.leaderboard(), 2000);
    expect(board.rows).toBe(547);
    expect(board.skipped).toBe(0);
    expect(board.accounts).toHaveLength(547);

    const top = board.accounts[0]!.address;
    const started = performance.now();
    const state = parseClearinghouseState(await transport.info({ type: 'clearinghouseState', user: top }), top);
    expect(performance.now() - started).toBeGreaterThanOrEqual(LATENCY - 5);
    const recorded = snapshot.accounts.get(top)!;
    expect(state.skipped).toBe(0);
    expect(state.positions).toHaveLength(recorded.positions.length);
    expect(state.accountValue).toBe(Number(recorded.accountValue));
    expect(state.time).toBe(Date.parse('2026-02-15T05:13:54.659Z'));
    // Null levels stay null; the 3 sizes recorded as 1e-05 are read as the API writes them.
    const all = [...snapshot.accounts.keys()].map((a) => parseClearinghouseState(snapshot.clearinghouseState(a), a));
    expect(all.reduce((n, s) => n + s.positions.length, 0)).toBe(2849);
    expect(all.reduce((n, s) => n + s.positions.filter((p) => p.liquidationPx === undefined).length, 0)).toBeGreaterThan(0);

    // 2 weight spent above; the limit (40) allows 19 more clearinghouseState, then 429.
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      statuses.push(await transport.info({ type: 'clearinghouseState', user: top }).then(() => 200, (e: unknown) => (e instanceof HttpStatusError ? e.status : -1)));
    }
    expect(statuses.slice(0, 19).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(19)).toEqual([429, 429]);
  });

  it('the poller backs off on the replay\'s 429 and resumes, without a storm', async () => {
    // A fresh server: a fresh minute of weight.
    await server.stop();
    server = await startReplayServer({ dataDir: defaultDataDir(), exchanges: [hyperliquidWith({ weightPerMinute: LIMIT, positionsLatencyMs: 10 }), hyperliquidStats] });
    const tracker = createRealPositionsTracker({
      transport: fetchTransport(replayFetch),
      store: memoryAccountsStore(),
      weightPerMinute: 600,
      backoff: new Backoff({ baseMs: 500, jitter: 0 }),
    });
    tracker.watch('BTC');
    await new Promise((r) => setTimeout(r, 5_000));
    tracker.stop();
    const info = server.requests.filter((r) => r.host === 'api.hyperliquid.xyz');
    const limited = info.filter((r) => r.status === 429);
    // metaAndAssetCtxs (20) + 10 clearinghouseState (20) fill the replay's 40; then 429s 0.5, 1, 2 s apart.
    expect(info.filter((r) => r.status === 200)).toHaveLength(11);
    expect(limited.length).toBeGreaterThanOrEqual(2);
    expect(limited.length).toBeLessThanOrEqual(4);
    for (let i = 1; i < limited.length; i++) expect(limited[i]!.time - limited[i - 1]!.time).toBeGreaterThanOrEqual(500 * 2 ** (i - 1) - 20);
    expect(server.requests.filter((r) => r.host === 'stats-data.hyperliquid.xyz')).toHaveLength(1);
    expect(tracker.view('BTC').read).toBe(10);
  });
});
