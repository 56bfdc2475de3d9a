/**
 * The real-positions poller on a fake clock, reading the recorded snapshot of 547 Hyperliquid
 * accounts through a fake transport: the weight budget is never exceeded in any minute, a 429
 * pauses everything and backs off, the leaderboard is read at most once a day and only while
 * watched, a failed one keeps the previous list and says so, near-mark accounts go first, and
 * nothing is polled once no view watches.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { memoryAccountsStore } from '../src/data/hyperliquid-positions/accounts-store';
import { Backoff, WeightBudget } from '../src/data/hyperliquid-positions/budget';
import { HttpStatusError, type PositionsTransport } from '../src/data/hyperliquid-positions/http';
import { createRealPositionsTracker, type TrackerOptions } from '../src/data/hyperliquid-positions/tracker';
import { defaultDataDir } from '../test-support/replay-server';
import { positionsSnapshot } from '../test-support/replay-server/exchanges/hyperliquid-positions';
import fc from 'fast-check';

const T0 = Date.UTC(2026, 1, 15, 6, 0, 0);
const MIN = 60_000;
const snapshot = positionsSnapshot(defaultDataDir());
/** BTC mark and open interest as metaAndAssetCtxs would give them (mark: the snapshot's implied mark). */
const ASSETS = [{ universe: [{ name: 'BTC' }, { name: 'ETH' }] }, [{ markPx: '70200.0', openInterest: '38000.0' }, { markPx: '2050.0', openInterest: '500000.0' }]];

interface Call {
  readonly at: number;
  readonly type: string;
  readonly user?: string;
  readonly weight: number;
}

function fakeTransport(overrides: { info?: (body: Record<string, unknown>) => unknown; leaderboard?: () => unknown } = {}) {
  const calls: Call[] = [];
  const leaderboardCalls: number[] = [];
  const transport: PositionsTransport = {
    async info(body) {
      const type = String(body['type']);
      calls.push({ at: Date.now(), type, weight: type === 'clearinghouseState' ? 2 : 20, ...(typeof body['user'] === 'string' ? { user: body['user'] } : {}) });
      if (overrides.info) return overrides.info(body as Record<string, unknown>);
      if (type === 'metaAndAssetCtxs') return ASSETS;
      return snapshot.clearinghouseState(String(body['user']));
    },
    async leaderboard() {
      leaderboardCalls.push(Date.now());
      return overrides.leaderboard ? overrides.leaderboard() : snapshot.leaderboard();
    },
  };
  return { transport, calls, leaderboardCalls };
}

function maxWindowWeight(calls: readonly Call[]): number {
  let max = 0;
  for (const c of calls) {
    const sum = calls.filter((d) => d.at > c.at - MIN && d.at <= c.at).reduce((s, d) => s + d.weight, 0);
    max = Math.max(max, sum);
  }
  return max;
}

function tracker(options: Partial<TrackerOptions> & Pick<TrackerOptions, 'transport'>) {
  return createRealPositionsTracker({ store: memoryAccountsStore(), backoff: new Backoff({ random: () => 0 }), ...options });
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('weight budget', () => {
  it('never spends more than the set weight in any 60 s window, and spends most of it', async () => {
    for (const perMinute of [300, 100]) {
      const { transport, calls } = fakeTransport();
      const t = tracker({ transport, weightPerMinute: perMinute });
      const release = t.watch('BTC');
      await vi.advanceTimersByTimeAsync(10 * MIN);
      release();
      t.stop();
      expect(maxWindowWeight(calls)).toBeLessThanOrEqual(perMinute);
      // Steady state: the last 5 minutes used at least 90 % of the share.
      const late = calls.filter((c) => c.at >= T0 + 5 * MIN && c.at < T0 + 10 * MIN).reduce((s, c) => s + c.weight, 0);
      expect(late).toBeGreaterThanOrEqual(0.9 * 5 * perMinute);
      vi.setSystemTime(T0);
    }
  });

  it('follows a changed setting at once', async () => {
    let perMinute = 300;
    const { transport, calls } = fakeTransport();
    const t = tracker({ transport, weightPerMinute: () => perMinute });
    t.watch('BTC');
    await vi.advanceTimersByTimeAsync(3 * MIN);
    perMinute = 60;
    await vi.advanceTimersByTimeAsync(5 * MIN);
    t.stop();
    const after = calls.filter((c) => c.at >= T0 + 3 * MIN);
    expect(maxWindowWeight(after)).toBeLessThanOrEqual(60 + 300); // the minute of the change overlaps the old spend
    expect(maxWindowWeight(after.filter((c) => c.at >= T0 + 4 * MIN))).toBeLessThanOrEqual(60);
  });

  it('WeightBudget: any sequence of attempts keeps every window within the limit', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 20, max: 600 }), (gaps, limit) => {
        const b = new WeightBudget(limit);
        const spent: { at: number; w: number }[] = [];
        let t = 0;
        for (const gap of gaps) {
          t += gap;
          const w = gap % 7 === 0 ? 20 : 2;
          if (b.trySpend(w, t)) spent.push({ at: t, w });
        }
        return spent.every((s) => spent.filter((o) => o.at > s.at - MIN && o.at <= s.at).reduce((x, o) => x + o.w, 0) <= limit);
      }),
    );
  });
});

describe('back-off', () => {
  it('a 429 pauses every request, doubling while it lasts, and resumes after', async () => {
    let limited = true;
    const { transport, calls } = fakeTransport({
      info: (body) => {
        if (limited) throw new HttpStatusError(429, undefined, 'info');
        return body['type'] === 'metaAndAssetCtxs' ? ASSETS : snapshot.clearinghouseState(String(body['user']));
      },
    });
    const t = tracker({ transport });
    t.watch('BTC');
    await vi.advanceTimersByTimeAsync(5 * MIN);
    // 10 s, 20 s, 40 s, 80 s, 160 s pauses: 5 or 6 attempts in 5 minutes, not a storm.
    expect(calls.length).toBeGreaterThanOrEqual(4);
    expect(calls.length).toBeLessThanOrEqual(6);
    const gaps = calls.slice(1).map((c, i) => c.at - calls[i]!.at);
    for (let i = 0; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThanOrEqual(10_000 * 2 ** i);
    expect(t.view('BTC').problem).toMatch(/slow down/);
    expect(t.view('BTC').pausedUntil).toBeGreaterThan(Date.now());
    limited = false;
    const before = calls.length;
    await vi.advanceTimersByTimeAsync(4 * MIN);
    expect(calls.length - before).toBeGreaterThan(100);
    t.stop();
  });

  it('honours a Retry-After longer than the pause', async () => {
    let n = 0;
    const { transport, calls } = fakeTransport({
      info: (body) => {
        if (n++ === 0) throw new HttpStatusError(429, 90_000, 'info');
        return body['type'] === 'metaAndAssetCtxs' ? ASSETS : snapshot.clearinghouseState(String(body['user']));
      },
    });
    const t = tracker({ transport });
    t.watch('BTC');
    await vi.advanceTimersByTimeAsync(2 * MIN);
    t.stop();
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(90_000);
  });

  it('a malformed account state is skipped without pausing the others', async () => {
    // The largest account: read first.
    const bad = [...snapshot.accounts.values()].sort((a, b) => Number(b.accountValue) - Number(a.accountValue))[0]!.address;
    const { transport, calls } = fakeTransport({
      info: (body) => (body['type'] === 'metaAndAssetCtxs' ? ASSETS : body['user'] === bad ? null : snapshot.clearinghouseState(String(body['user']))),
    });
    const t = tracker({ transport });
    t.watch('BTC');
    await vi.advanceTimersByTimeAsync(MIN);
    t.stop();
    expect(calls.filter((c) => c.user === bad)).toHaveLength(1);
    expect(calls.length).toBeGreaterThan(100);
    expect(t.stats().pausedUntil).toBe(-Infinity);
  });
});

describe('accounts', () => {
  it('reads the leaderboard at most once a day, only while watched, keeping the top N and storing addresses and values only', async () => {
    const store = memoryAccountsStore();
    const { transport, leaderboardCalls } = fakeTransport();
    const t = createRealPositionsTracker({ transport, store, topAccounts: 100 });
    await vi.advanceTimersByTimeAsync(10 * MIN);
    expect(leaderboardCalls).toHaveLength(0); // nothing watched: nothing read
    const hour = 60 * MIN;
    let release = t.watch('BTC');
    await vi.advanceTimersByTimeAsync(2 * MIN);
    release();
    await vi.advanceTimersByTimeAsync(20 * hour);
    release = t.watch('BTC'); // within the day: the held list
    await vi.advanceTimersByTimeAsync(2 * MIN);
    release();
    await vi.advanceTimersByTimeAsync(30 * hour); // a day passed, but nobody watches
    expect(leaderboardCalls).toEqual([T0 + 10 * MIN]);
    release = t.watch('BTC');
    await vi.advanceTimersByTimeAsync(2 * MIN);
    release();
    t.stop();
    expect(leaderboardCalls).toEqual([T0 + 10 * MIN, T0 + 10 * MIN + 2 * MIN + 20 * hour + 2 * MIN + 30 * hour]);
    const written = store.writes.at(-1)!;
    expect(written.list!.accounts).toHaveLength(100);
    const values = [...snapshot.accounts.values()].map((a) => Number(a.accountValue)).sort((a, b) => b - a);
    expect(written.list!.accounts[0]!.accountValue).toBe(values[0]);
    expect(written.list!.accounts[99]!.accountValue).toBe(values[99]);
    expect(Object.keys(written.list!.accounts[0]!).sort()).toEqual(['accountValue', 'address']);
    expect(JSON.stringify(store.writes)).not.toMatch(/windowPerformances|displayName|positions/);
  });

  it('a failed or malformed leaderboard keeps the previous list and says so', async () => {
    const day = 24 * 60 * MIN;
    for (const failure of [() => { throw new HttpStatusError(500, undefined, 'leaderboard'); }, () => ({ leaderboardRows: 'garbage' })]) {
      vi.setSystemTime(T0);
      const list = { accounts: [...snapshot.accounts.values()].slice(0, 50).map((a) => ({ address: a.address, accountValue: Number(a.accountValue) })), fetchedAt: T0 - day - MIN };
      const store = memoryAccountsStore({ list, attemptedAt: T0 - day - MIN });
      const { transport, calls, leaderboardCalls } = fakeTransport({ leaderboard: failure });
      const t = createRealPositionsTracker({ transport, store });
      t.watch('BTC');
      await vi.advanceTimersByTimeAsync(2 * MIN);
      t.stop();
      expect(leaderboardCalls).toHaveLength(1);
      const view = t.view('BTC');
      expect(view.followed).toBe(50);
      expect(view.leaderboardAt).toBe(list.fetchedAt);
      expect(view.problem).toMatch(/leaderboard could not be read \((leaderboard: HTTP 500|malformed).*following the list of 2026-02-14 05:59 UTC/);
      expect(store.writes.at(-1)!.list).toEqual(list);
      // The followed accounts are still polled.
      expect(new Set(calls.filter((c) => c.user).map((c) => c.user)).size).toBe(50);
    }
  });
});

describe('priority and lifetime', () => {
  it('re-reads accounts with a BTC level near the mark first, and the rest still rotate', async () => {
    const { transport, calls } = fakeTransport();
    const t = tracker({ transport });
    t.watch('BTC');
    await vi.advanceTimersByTimeAsync(15 * MIN);
    t.stop();
    const near = new Set(
      [...snapshot.accounts.values()].filter((a) => a.positions.some((p) => p.coin === 'BTC' && p.liquidationPx !== '' && Math.abs(Number(p.liquidationPx) - 70200) / 70200 <= 0.1)).map((a) => a.address),
    );
    expect(near.size).toBeGreaterThan(0);
    const late = calls.filter((c) => c.user && c.at >= T0 + 5 * MIN);
    const perNear = late.filter((c) => near.has(c.user!)).length / near.size;
    const others = [...snapshot.accounts.keys()].filter((a) => !near.has(a));
    const perOther = late.filter((c) => !near.has(c.user!)).length / others.length;
    expect(perNear).toBeGreaterThan(3 * perOther);
    // Every account was read at least once.
    expect(new Set(calls.map((c) => c.user).filter(Boolean)).size).toBe(snapshot.accounts.size);
  });

  it('stops polling when the last view closes, and builds the view of the coin', async () => {
    const { transport, calls } = fakeTransport();
    const t = tracker({ transport });
    const a = t.watch('BTC');
    const b = t.watch('BTC');
    await vi.advanceTimersByTimeAsync(5 * MIN);
    a();
    await vi.advanceTimersByTimeAsync(MIN);
    expect(t.stats().running).toBe(true);
    b();
    const count = calls.length;
    await vi.advanceTimersByTimeAsync(30 * MIN);
    expect(calls.length).toBe(count);
    expect(t.stats().running).toBe(false);
    const view = t.view('BTC');
    const btc = [...snapshot.accounts.values()].filter((acc) => acc.positions.some((p) => p.coin === 'BTC'));
    expect(view.holders).toBe(btc.length);
    expect(view.read).toBe(snapshot.accounts.size);
    expect(view.mark).toBe(70200);
    expect(view.openInterestUsd).toBe(Math.round(38000 * 70200));
    const total = btc.flatMap((acc) => acc.positions.filter((p) => p.coin === 'BTC')).reduce((s, p) => s + Number(p.positionValue), 0);
    expect(view.notionalUsd).toBe(Math.round(total));
    expect(view.levels.every((l, i) => i === 0 || view.levels[i - 1]!.price <= l.price)).toBe(true);
    t.stop();
  });
});
