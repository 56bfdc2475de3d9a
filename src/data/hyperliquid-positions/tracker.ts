/**
 * The background's poller of real Hyperliquid positions.
 *
 * - Runs only while some panel or popup watches a coin ({@link RealPositionsTracker.watch});
 *   the last release stops every timer and request.
 * - Accounts: the leaderboard's largest `topAccounts` by account value, read at most once a day
 *   (only while watched) and kept in IndexedDB as addresses and values only. A failed or
 *   malformed leaderboard keeps the previous list and the view says so; without any list, it is
 *   tried again after 15 min, doubling up to a day.
 * - Positions: one `clearinghouseState` (weight 2) at a time, within `weightPerMinute` of
 *   Hyperliquid's 1,200 (`budget.ts`), evenly paced. Order: accounts whose liquidation price in
 *   a watched coin is near its mark (re-read after 30 s), then accounts holding a watched coin
 *   (after 3 min), then the rest in rotation; the rotation keeps at least one request in three,
 *   so every followed account is read in turn. Mark and open interest come from one
 *   `metaAndAssetCtxs` (weight 20) every 5 minutes.
 * - A 429 or any failed request pauses every request (exponential back-off, `Retry-After`
 *   honoured): never a retry per account, never a storm. A malformed account state is skipped.
 */
import { openAccountsStore, memoryAccountsStore, type AccountList, type AccountsRecord, type AccountsStore } from './accounts-store';
import { Backoff, CLEARINGHOUSE_STATE_WEIGHT, DEFAULT_WEIGHT_PER_MINUTE, INFO_REQUEST_WEIGHT, WeightBudget } from './budget';
import { HttpStatusError, type PositionsTransport } from './http';
import { buildLevelsView, type HeldState } from './levels';
import { type AssetContext, MalformedResponseError, parseAssetContexts, parseClearinghouseState, parseLeaderboard } from './parse';
import type { RealLevelsView } from '../../messaging/real-levels';

export const DEFAULT_TOP_ACCOUNTS = 2_000;
const DAY_MS = 86_400_000;
/** Accounts with a level this close to the mark (share of the mark) are read first. */
export const NEAR_MARK_SHARE = 0.1;
const NEAR_REFRESH_MS = 30_000;
const HOLDER_REFRESH_MS = 180_000;
const ASSETS_REFRESH_MS = 300_000;
const LEADERBOARD_RETRY_MS = 15 * 60_000;
/** Changes are told to listeners at most this often per coin. */
const NOTIFY_MS = 1_000;
/** Idle re-check when nothing is due. */
const IDLE_MS = 5_000;

export interface Timers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface TrackerOptions {
  readonly transport: PositionsTransport;
  /** Where the followed list is kept; default: IndexedDB (memory when it cannot be opened). */
  readonly store?: AccountsStore | (() => Promise<AccountsStore>);
  readonly now?: () => number;
  readonly timers?: Timers;
  /** Weight per minute LiqLens may spend of Hyperliquid's 1,200 (default 300); read before each request. */
  readonly weightPerMinute?: number | (() => number);
  readonly topAccounts?: number;
  readonly leaderboardEveryMs?: number;
  readonly backoff?: Backoff;
}

export interface TrackerStats {
  readonly running: boolean;
  readonly watched: readonly string[];
  readonly followed: number;
  readonly requests: number;
  readonly weightSpent: number;
  readonly pausedUntil: number;
}

export interface RealPositionsTracker {
  /** Starts (or keeps) polling for `coin`; call the returned function when the view closes. */
  watch(coin: string): () => void;
  view(coin: string): RealLevelsView;
  /** Told of each coin whose view changed (at most once a second per coin). */
  subscribe(listener: (coin: string) => void): () => void;
  /** Hyperliquid's coins as `metaAndAssetCtxs` last listed them; undefined until read. */
  coins(): ReadonlySet<string> | undefined;
  stats(): TrackerStats;
  /** Stops everything (tests, shutdown). */
  stop(): void;
}

const defaultTimers: Timers = { set: (run, ms) => setTimeout(run, ms), clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>) };

/** Creates the poller; nothing runs until the first {@link RealPositionsTracker.watch}. */
export function createRealPositionsTracker(options: TrackerOptions): RealPositionsTracker {
  const now = options.now ?? Date.now;
  const timers = options.timers ?? defaultTimers;
  const top = options.topAccounts ?? DEFAULT_TOP_ACCOUNTS;
  const leaderboardEvery = options.leaderboardEveryMs ?? DAY_MS;
  const weightSetting = options.weightPerMinute ?? DEFAULT_WEIGHT_PER_MINUTE;
  const perMinute = () => (typeof weightSetting === 'function' ? weightSetting() : weightSetting);
  let budget = new WeightBudget(perMinute());
  const backoff = options.backoff ?? new Backoff();

  const watchers = new Map<string, number>();
  const listeners = new Set<(coin: string) => void>();
  const states = new Map<string, HeldState>();
  const assets = new Map<string, AssetContext>();
  let listed: ReadonlySet<string> | undefined;
  let assetsAt = -Infinity;
  let list: AccountList | undefined;
  let record: AccountsRecord = {};
  let store: AccountsStore | undefined;
  let loaded: Promise<void> | undefined;
  let leaderboardBusy = false;
  let leaderboardFailures = 0;
  let problem: string | undefined;
  let timer: unknown;
  let busy = false;
  let stopped = false;
  let cursor = 0;
  let slot = 0;
  let requests = 0;
  let weightSpent = 0;
  const notifyTimers = new Map<string, unknown>();

  // ------------------------------------------------------------------ accounts

  async function openStore(): Promise<void> {
    try {
      const given = options.store;
      store = given === undefined ? await openAccountsStore() : typeof given === 'function' ? await given() : given;
      record = await store.read();
    } catch (error) {
      store = memoryAccountsStore();
      problem = `The followed accounts cannot be kept on this device (${errorText(error)}).`;
    }
    list = record.list;
    if (record.lastError && list) problem = leaderboardProblem(record.lastError, list);
  }

  function leaderboardDue(t: number): boolean {
    if (leaderboardBusy) return false;
    const attempted = record.attemptedAt ?? -Infinity;
    if (!list) return t - attempted >= Math.min(DAY_MS, LEADERBOARD_RETRY_MS * 2 ** Math.max(0, leaderboardFailures - 1));
    return t - list.fetchedAt >= leaderboardEvery && t - attempted >= leaderboardEvery;
  }

  async function readLeaderboard(): Promise<void> {
    leaderboardBusy = true;
    const t = now();
    try {
      const parsed = parseLeaderboard(await options.transport.leaderboard(), top);
      list = { accounts: parsed.accounts, fetchedAt: t };
      record = { list, attemptedAt: t };
      leaderboardFailures = 0;
      problem = undefined;
      const keep = new Set(parsed.accounts.map((a) => a.address));
      for (const address of [...states.keys()]) if (!keep.has(address)) states.delete(address);
      cursor = 0;
    } catch (error) {
      leaderboardFailures++;
      const reason = error instanceof MalformedResponseError ? `malformed (${error.message})` : errorText(error);
      record = { ...(list ? { list } : {}), attemptedAt: t, lastError: reason };
      problem = list ? leaderboardProblem(reason, list) : `Hyperliquid's leaderboard could not be read (${reason}): no accounts to follow yet.`;
    } finally {
      leaderboardBusy = false;
    }
    await store?.write(record).catch(() => {});
    for (const coin of watchers.keys()) notify(coin);
  }

  // ------------------------------------------------------------------ choosing the next account

  function nearMark(held: HeldState): boolean {
    for (const p of held.state.positions) {
      if (!watchers.has(p.coin) || p.liquidationPx === undefined) continue;
      const mark = assets.get(p.coin)?.markPx;
      if (mark !== undefined && Math.abs(p.liquidationPx - mark) / mark <= NEAR_MARK_SHARE) return true;
    }
    return false;
  }

  function holdsWatched(held: HeldState): boolean {
    return held.state.positions.some((p) => watchers.has(p.coin));
  }

  /** The most stale account of a priority class that is due, or undefined. */
  function priorityPick(t: number): string | undefined {
    let near: [string, number] | undefined;
    let holder: [string, number] | undefined;
    for (const [address, held] of states) {
      const age = t - held.readAt;
      if (nearMark(held)) {
        if (age >= NEAR_REFRESH_MS && (!near || held.readAt < near[1])) near = [address, held.readAt];
      } else if (holdsWatched(held) && age >= HOLDER_REFRESH_MS && (!holder || held.readAt < holder[1])) holder = [address, held.readAt];
    }
    return near?.[0] ?? holder?.[0];
  }

  function rotationPick(t: number): string | undefined {
    const accounts = list?.accounts ?? [];
    for (let i = 0; i < accounts.length; i++) {
      const address = accounts[(cursor + i) % accounts.length]!.address;
      const held = states.get(address);
      // A full turn faster than a minute (a short list) waits rather than re-reading at once.
      if (!held || t - held.readAt >= 60_000) {
        cursor = (cursor + i + 1) % accounts.length;
        return address;
      }
    }
    return undefined;
  }

  function pick(t: number): string | undefined {
    slot = (slot + 1) % 3;
    // Every third request goes to the rotation while priority accounts wait.
    if (slot === 0) return rotationPick(t) ?? priorityPick(t);
    return priorityPick(t) ?? rotationPick(t);
  }

  // ------------------------------------------------------------------ the loop

  function schedule(ms: number): void {
    if (stopped || watchers.size === 0 || timer !== undefined) return;
    timer = timers.set(() => {
      timer = undefined;
      void step();
    }, Math.max(0, Math.ceil(ms)));
  }

  /** The budget under the current setting (a changed setting keeps the last minute's spend). */
  function currentBudget(t: number): WeightBudget {
    if (budget.perMinute !== perMinute()) {
      const fresh = new WeightBudget(perMinute());
      fresh.trySpend(Math.min(fresh.perMinute, budget.spentIn(t)), t);
      budget = fresh;
    }
    return budget;
  }

  /** Spends `weight` now, or schedules the next step for when it may be spent. */
  /** Runs the next step now instead of at its scheduled time (new accounts, a new coin). */
  function wake(): void {
    if (timer !== undefined && !busy) {
      timers.clear(timer);
      timer = undefined;
    }
    schedule(0);
  }

  function spend(weight: number, t: number): boolean {
    const b = currentBudget(t);
    if (!b.trySpend(weight, t)) {
      schedule(b.nextAt(weight, t) - t);
      return false;
    }
    requests++;
    weightSpent += weight;
    return true;
  }

  function failed(error: unknown, t: number): void {
    const retryAfter = error instanceof HttpStatusError ? error.retryAfterMs : undefined;
    backoff.fail(t, retryAfter);
    for (const coin of watchers.keys()) notify(coin);
  }

  async function step(): Promise<void> {
    if (busy || stopped || watchers.size === 0) return;
    busy = true;
    try {
      loaded ??= openStore();
      await loaded;
      let t = now();
      if (leaderboardDue(t)) void readLeaderboard().finally(wake);
      t = now();
      const paused = backoff.pausedUntil();
      if (paused > t) return schedule(paused - t);
      if (t - assetsAt >= ASSETS_REFRESH_MS) {
        if (!spend(INFO_REQUEST_WEIGHT, t)) return;
        try {
          const parsed = parseAssetContexts(await options.transport.info({ type: 'metaAndAssetCtxs' }));
          assets.clear();
          for (const [coin, ctx] of parsed) assets.set(coin, ctx);
          listed = new Set(parsed.keys());
          assetsAt = now();
          backoff.succeed();
          // Marks changed, and the coin list may name a watched coin otherwise (kPEPE for PEPE).
          for (const coin of watchers.keys()) notify(coin);
        } catch (error) {
          if (error instanceof MalformedResponseError) assetsAt = now();
          else {
            failed(error, now());
            return schedule(backoff.pausedUntil() - now());
          }
        }
        return schedule(0);
      }
      const at = currentBudget(t).nextAt(CLEARINGHOUSE_STATE_WEIGHT, t);
      if (at > t) return schedule(at - t);
      const address = pick(t);
      if (address === undefined) return schedule(IDLE_MS);
      if (!spend(CLEARINGHOUSE_STATE_WEIGHT, t)) return;
      try {
        const body = await options.transport.info({ type: 'clearinghouseState', user: address });
        const before = states.get(address);
        const state = parseClearinghouseState(body, address);
        states.set(address, { state, readAt: now() });
        backoff.succeed();
        const coins = new Set([...state.positions.map((p) => p.coin), ...(before?.state.positions.map((p) => p.coin) ?? [])]);
        for (const coin of coins) if (watchers.has(coin)) notify(coin);
      } catch (error) {
        if (error instanceof MalformedResponseError) {
          // One unreadable account: skipped until its next turn, nothing else held back.
          states.set(address, { state: { address, accountValue: 0, positions: [], skipped: 1 }, readAt: now() });
        } else {
          failed(error, now());
          return schedule(backoff.pausedUntil() - now());
        }
      }
      schedule(0);
    } finally {
      busy = false;
    }
  }

  // ------------------------------------------------------------------ telling the views

  function notify(coin: string): void {
    if (notifyTimers.has(coin)) return;
    notifyTimers.set(
      coin,
      timers.set(() => {
        notifyTimers.delete(coin);
        for (const listener of listeners) listener(coin);
      }, NOTIFY_MS),
    );
  }

  function view(coin: string): RealLevelsView {
    const t = now();
    const paused = backoff.pausedUntil();
    const pausedWords = paused > t ? `Hyperliquid asked to slow down or did not answer: requests resume in ${Math.ceil((paused - t) / 1000)} s.` : undefined;
    const words = [problem, pausedWords].filter((w): w is string => w !== undefined).join(' ');
    return buildLevelsView({
      coin,
      followed: (list?.accounts ?? []).map((a) => a.address),
      states,
      ...(assets.get(coin) ? { asset: assets.get(coin)! } : {}),
      ...(list ? { leaderboardAt: list.fetchedAt } : {}),
      ...(words ? { problem: words } : {}),
      ...(paused > t ? { pausedUntil: paused } : {}),
    });
  }

  function stopTimers(): void {
    if (timer !== undefined) timers.clear(timer);
    timer = undefined;
  }

  return {
    watch(coin) {
      watchers.set(coin, (watchers.get(coin) ?? 0) + 1);
      stopped = false;
      // A newly watched coin's holders are due at once.
      wake();
      notify(coin);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (watchers.get(coin) ?? 1) - 1;
        if (left > 0) watchers.set(coin, left);
        else watchers.delete(coin);
        if (watchers.size === 0) stopTimers();
      };
    },
    view,
    coins: () => listed,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stats: () => ({
      running: timer !== undefined || busy,
      watched: [...watchers.keys()],
      followed: list?.accounts.length ?? 0,
      requests,
      weightSpent,
      pausedUntil: backoff.pausedUntil(),
    }),
    stop() {
      stopped = true;
      stopTimers();
      for (const handle of notifyTimers.values()) timers.clear(handle);
      notifyTimers.clear();
      store?.close();
    },
  };
}

function leaderboardProblem(reason: string, list: AccountList): string {
  return `Hyperliquid's leaderboard could not be read (${reason}); following the list of ${new Date(list.fetchedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC.`;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : 'unknown error';
}
