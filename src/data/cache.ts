/**
 * The bar-series cache: IndexedDB (through idb), one record per exchange + symbol + timeframe.
 *
 * - Schema: versioned, upgraded by explicit migrations ({@link MIGRATIONS}: entry `i` takes the
 *   database from version `i` to `i + 1`). To change the schema, append a migration and raise
 *   {@link DB_VERSION}; an older database is upgraded step by step when it is opened, and a
 *   migration that throws aborts the upgrade and leaves the old version in place.
 * - Version 1 has two stores: `entries` (small metadata per series: bar count, time range, when
 *   it was fetched and last used; indexed by market and by last use) and `bars` (the bars of a
 *   series). Eviction reads only `entries`.
 * - Updates merge new bars into the held ones (a newer bar with the same time replaces the held
 *   one: the last held bar may have been open when it was stored) and are validated with the
 *   engine's `validateSeries` before anything is written. The write is one transaction: a series
 *   that fails validation, or a write that fails, leaves the previous record as it was.
 * - Size cap: the total number of bars held (`maxBars`). When a write goes over it, whole markets
 *   (exchange + symbol, all timeframes) are evicted, least recently used first; the market just
 *   written is never evicted.
 */
import { deleteDB, openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { isFundingInterval } from '../engine/funding-interval';
import type { Bar, ExchangeId } from '../engine/types';
import { InputError, validateSeries } from '../engine/validate';
import { DataError } from './exchanges/source';
import { TIMEFRAME_MS, type Timeframe } from './timeframes';

export const DB_NAME = 'liqlens-series';
/** The schema version this build writes. */
export const DB_VERSION = 1;
/** Default cap: 200,000 bars, about 23 markets of 30 days of 5m bars (roughly 30 MB). */
export const DEFAULT_MAX_BARS = 200_000;

/** Store names of schema version 1. */
export const STORE_ENTRIES = 'entries';
export const STORE_BARS = 'bars';

export interface SeriesKey {
  readonly exchange: ExchangeId;
  readonly symbol: string;
  readonly timeframe: Timeframe;
}

/** Metadata of one cached series (store `entries`). */
export interface SeriesEntry extends SeriesKey {
  /** `exchange|symbol|timeframe`. */
  readonly key: string;
  /** `exchange|symbol`: the unit of eviction. */
  readonly market: string;
  readonly timeframeMs: number;
  readonly barCount: number;
  readonly firstTimestamp: number;
  readonly lastTimestamp: number;
  /** Earliest time already asked of the exchange (bars before it were never requested). */
  readonly coveredFrom: number;
  /** The exchange's clock at the last fetch. */
  readonly serverTime: number;
  /** Local clock of the last write. */
  readonly fetchedAt: number;
  /** Local clock of the last read or write (least-recently-used eviction). */
  readonly accessedAt: number;
  /**
   * Exchanges without open-interest history: open time of the first bar of the current run of the
   * exchange's own snapshots (see `borrowed-open-interest.ts`); absent for the others.
   */
  readonly ownOpenInterestFrom?: number;
  /**
   * The interval the bars' funding rates are per, as the last fetch that told found it (see
   * `exchanges/funding-interval.ts`); absent when none did, and in entries written before it was
   * kept (an optional field: no schema change).
   */
  readonly fundingIntervalMs?: number;
}

/** The bars of one cached series (store `bars`). */
interface BarsRecord {
  readonly key: string;
  readonly bars: readonly Bar[];
}

export interface CachedSeries {
  readonly entry: SeriesEntry;
  readonly bars: readonly Bar[];
}

export interface SeriesUpdate {
  /** Bars fetched now; merged by timestamp into the held ones (these win). */
  readonly bars: readonly Bar[];
  /** The exchange's clock at this fetch. */
  readonly serverTime: number;
  /** Earliest time this fetch asked for (kept as the smallest ever asked). */
  readonly coveredFrom?: number;
  /** Bars older than this are dropped (retention). */
  readonly retainFrom?: number;
  /** Replaces the entry's `ownOpenInterestFrom` (exchanges without open-interest history). */
  readonly ownOpenInterestFrom?: number;
  /** Replaces the entry's `fundingIntervalMs`; absent keeps the held one. */
  readonly fundingIntervalMs?: number;
}

/** A migration step: runs inside the upgrade transaction; may read and rewrite records. */
export type Migration = (
  db: IDBPDatabase,
  transaction: IDBPTransaction<unknown, string[], 'versionchange'>,
) => void | Promise<void>;

/** Schema migrations; `MIGRATIONS[i]` upgrades version `i` to `i + 1`. */
export const MIGRATIONS: readonly Migration[] = Object.freeze([
  // 0 -> 1: entries (indexed by market and last use) and bars, both keyed by `exchange|symbol|timeframe`.
  (db) => {
    const entries = db.createObjectStore(STORE_ENTRIES, { keyPath: 'key' });
    entries.createIndex('market', 'market');
    entries.createIndex('accessedAt', 'accessedAt');
    db.createObjectStore(STORE_BARS, { keyPath: 'key' });
  },
]);

export interface CacheOptions {
  /** Database name (tests use their own). */
  readonly name?: string;
  /** Schema version to open; default {@link DB_VERSION}. */
  readonly version?: number;
  /** Migrations to run; default {@link MIGRATIONS}. Must have at least `version` entries. */
  readonly migrations?: readonly Migration[];
  /** Size cap in bars; default {@link DEFAULT_MAX_BARS}. */
  readonly maxBars?: number;
  /** Local clock (tests pass a fake one). */
  readonly now?: () => number;
  /**
   * How long to wait for an upgrade that another open connection blocks (an older copy of the
   * extension that does not let go) before giving up; default 3 s.
   */
  readonly blockedTimeoutMs?: number;
}

export interface SeriesCache {
  /** The held series, or undefined; marks it as used. */
  read(key: SeriesKey): Promise<CachedSeries | undefined>;
  /**
   * Merges fetched bars into the held series, validates the result and writes it, then evicts
   * over the cap. Throws a `DataError` (`bad-data`) when the merged series is invalid; the held
   * record is then unchanged. Returns what was written.
   */
  merge(key: SeriesKey, update: SeriesUpdate): Promise<CachedSeries>;
  delete(key: SeriesKey): Promise<void>;
  /** Metadata of every held series. */
  entries(): Promise<SeriesEntry[]>;
  /** Total bars held. */
  totalBars(): Promise<number>;
  close(): void;
}

export function seriesKey(key: SeriesKey): string {
  return `${key.exchange}|${key.symbol}|${key.timeframe}`;
}

export function marketKey(key: Pick<SeriesKey, 'exchange' | 'symbol'>): string {
  return `${key.exchange}|${key.symbol}`;
}

function isBarsRecord(value: unknown): value is BarsRecord {
  return typeof value === 'object' && value !== null && Array.isArray((value as BarsRecord).bars);
}

function isEntry(value: unknown): value is SeriesEntry {
  const e = value as SeriesEntry | null;
  return typeof e === 'object' && e !== null && typeof e.key === 'string' && typeof e.market === 'string' && Number.isFinite(e.barCount);
}

/** Why held bars are not a series the engine accepts, or undefined when they are. */
function problemOf(key: SeriesKey, bars: readonly Bar[]): string | undefined {
  try {
    validateSeries({ exchange: key.exchange, symbol: key.symbol, timeframeMs: TIMEFRAME_MS[key.timeframe], bars });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** A failed write in plain words; a full disk says so (the browser's quota for the extension). */
function storageError(error: unknown): Error {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'QuotaExceededError') {
    return new Error("the browser's storage for the extension is full (QuotaExceededError)", { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** Merges by timestamp (`fresh` wins), drops bars before `retainFrom`, sorts. */
export function mergeBars(held: readonly Bar[], fresh: readonly Bar[], retainFrom = -Infinity): Bar[] {
  const byTime = new Map<number, Bar>();
  for (const bar of held) byTime.set(bar.timestamp, bar);
  for (const bar of fresh) byTime.set(bar.timestamp, bar);
  return [...byTime.values()].filter((b) => b.timestamp >= retainFrom).sort((a, b) => a.timestamp - b.timestamp);
}

/**
 * Opens (creating or upgrading) the cache database.
 * @example const cache = await openSeriesCache(); await cache.read({ exchange: 'binance', symbol: 'BTCUSDT', timeframe: '5m' });
 */
export async function openSeriesCache(options: CacheOptions = {}): Promise<SeriesCache> {
  const name = options.name ?? DB_NAME;
  const version = options.version ?? DB_VERSION;
  const migrations = options.migrations ?? MIGRATIONS;
  const maxBars = options.maxBars ?? DEFAULT_MAX_BARS;
  const now = options.now ?? Date.now;
  if (migrations.length < version) throw new RangeError(`no migration to schema version ${version}`);

  const blockedTimeoutMs = options.blockedTimeoutMs ?? 3_000;
  let gaveUp = false;
  let blockedTimer: ReturnType<typeof setTimeout> | undefined;
  let onBlockedTimeout: ((error: Error) => void) | undefined;
  const blockedTimeout = new Promise<never>((_resolve, reject) => {
    onBlockedTimeout = reject;
  });
  const opening = openDB(name, version, {
    blocked() {
      blockedTimer ??= setTimeout(() => {
        gaveUp = true;
        onBlockedTimeout?.(new Error('its upgrade is blocked by an older copy of the extension that keeps the database open'));
      }, blockedTimeoutMs);
    },
    upgrade(database, oldVersion, newVersion, transaction) {
      // A failed step aborts this transaction; the open then rejects, which is the error reported.
      transaction.done.catch(() => undefined);
      const target = newVersion ?? version;
      let chain = Promise.resolve();
      for (let v = oldVersion; v < target; v++) {
        const step = migrations[v]!;
        chain = chain.then(() => step(database, transaction as unknown as IDBPTransaction<unknown, string[], 'versionchange'>));
      }
      chain.catch(() => {
        try {
          transaction.abort();
        } catch {
          // already finished
        }
      });
    },
    blocking(_current, _blocked, event) {
      // A newer schema is being opened elsewhere (an updated extension): step aside.
      (event.target as IDBDatabase | null)?.close();
    },
  });
  // An open that completes after the caller gave up is closed at once, so it blocks nobody.
  opening.then((db) => (gaveUp ? db.close() : undefined)).catch(() => undefined);
  let opened: IDBPDatabase;
  try {
    opened = await Promise.race([opening, blockedTimeout]);
  } finally {
    clearTimeout(blockedTimer);
  }

  async function evict(database: IDBPDatabase, keep: string): Promise<void> {
    const tx = database.transaction([STORE_ENTRIES, STORE_BARS], 'readwrite');
    const entries = (await tx.objectStore(STORE_ENTRIES).getAll()).filter(isEntry);
    let total = entries.reduce((sum, e) => sum + e.barCount, 0);
    if (total > maxBars) {
      const markets = new Map<string, { lastUse: number; bars: number; keys: string[] }>();
      for (const e of entries) {
        const m = markets.get(e.market) ?? { lastUse: -Infinity, bars: 0, keys: [] };
        m.lastUse = Math.max(m.lastUse, e.accessedAt);
        m.bars += e.barCount;
        m.keys.push(e.key);
        markets.set(e.market, m);
      }
      const order = [...markets.entries()].filter(([market]) => market !== keep).sort((a, b) => a[1].lastUse - b[1].lastUse);
      for (const [, m] of order) {
        if (total <= maxBars) break;
        for (const key of m.keys) {
          void tx.objectStore(STORE_ENTRIES).delete(key);
          void tx.objectStore(STORE_BARS).delete(key);
        }
        total -= m.bars;
      }
    }
    await tx.done;
  }

  return {
    async read(key) {
      const k = seriesKey(key);
      const tx = opened.transaction([STORE_ENTRIES, STORE_BARS], 'readwrite');
      const [entry, record] = await Promise.all([tx.objectStore(STORE_ENTRIES).get(k), tx.objectStore(STORE_BARS).get(k)]);
      if (!isEntry(entry) || !isBarsRecord(record) || record.bars.length === 0) {
        await tx.done;
        return undefined;
      }
      const damage = problemOf(key, record.bars);
      if (damage !== undefined) {
        // A damaged record (a bug of an older version, a disk error, an edit by hand) would fail
        // every later merge: drop it, so the next load fetches the series again.
        await Promise.all([tx.objectStore(STORE_ENTRIES).delete(k), tx.objectStore(STORE_BARS).delete(k)]);
        await tx.done;
        throw new DataError('bad-data', `the cached ${key.symbol} ${key.timeframe} series was damaged (${damage}); it was dropped and is fetched again`);
      }
      const touched: SeriesEntry = { ...entry, accessedAt: now() };
      try {
        await tx.objectStore(STORE_ENTRIES).put(touched);
        await tx.done;
      } catch {
        // The use time only orders eviction: a full disk must not keep the held bars from being served.
        try {
          tx.abort();
        } catch {
          // already aborted
        }
        await tx.done.catch(() => undefined);
        return { entry, bars: record.bars };
      }
      return { entry: touched, bars: record.bars };
    },

    async merge(key, update) {
      const k = seriesKey(key);
      const timeframeMs = TIMEFRAME_MS[key.timeframe];
      const tx = opened.transaction([STORE_ENTRIES, STORE_BARS], 'readwrite');
      const entries = tx.objectStore(STORE_ENTRIES);
      const barsStore = tx.objectStore(STORE_BARS);
      const [oldEntry, oldRecord] = await Promise.all([entries.get(k), barsStore.get(k)]);
      // A damaged held series is replaced rather than merged (it would reject every update).
      const held = isBarsRecord(oldRecord) && problemOf(key, oldRecord.bars) === undefined ? oldRecord.bars : [];
      const merged = mergeBars(held, update.bars, update.retainFrom);
      try {
        if (merged.length === 0) throw new InputError(`${k}: nothing to store`, -1, key.exchange, 'bars');
        validateSeries({ exchange: key.exchange, symbol: key.symbol, timeframeMs, bars: merged });
      } catch (error) {
        tx.abort();
        await tx.done.catch(() => undefined);
        const message = error instanceof Error ? error.message : String(error);
        throw new DataError('bad-data', `not cached, the held series is kept: ${message}`, { cause: error });
      }
      const time = now();
      const previous = isEntry(oldEntry) ? oldEntry : undefined;
      const coveredFrom = Math.min(previous?.coveredFrom ?? Infinity, update.coveredFrom ?? merged[0]!.timestamp);
      const fundingIntervalMs = [update.fundingIntervalMs, previous?.fundingIntervalMs].find(isFundingInterval);
      const entry: SeriesEntry = {
        key: k,
        market: marketKey(key),
        exchange: key.exchange,
        symbol: key.symbol,
        timeframe: key.timeframe,
        timeframeMs,
        barCount: merged.length,
        firstTimestamp: merged[0]!.timestamp,
        lastTimestamp: merged[merged.length - 1]!.timestamp,
        coveredFrom: Math.max(coveredFrom, update.retainFrom ?? -Infinity),
        serverTime: update.serverTime,
        fetchedAt: time,
        accessedAt: time,
        ...(update.ownOpenInterestFrom !== undefined ? { ownOpenInterestFrom: update.ownOpenInterestFrom } : {}),
        ...(fundingIntervalMs !== undefined ? { fundingIntervalMs } : {}),
      };
      // Bars first, then the entry: if either put fails the transaction aborts and both stay as they were.
      const record: BarsRecord = { key: k, bars: merged };
      try {
        await barsStore.put(record);
        await entries.put(entry);
        await tx.done;
      } catch (error) {
        try {
          tx.abort();
        } catch {
          // already aborted by the failed request
        }
        await tx.done.catch(() => undefined);
        throw storageError(error);
      }
      await evict(opened, entry.market);
      return { entry, bars: merged };
    },

    async delete(key) {
      const k = seriesKey(key);
      const tx = opened.transaction([STORE_ENTRIES, STORE_BARS], 'readwrite');
      await Promise.all([tx.objectStore(STORE_ENTRIES).delete(k), tx.objectStore(STORE_BARS).delete(k), tx.done]);
    },

    async entries() {
      return ((await opened.getAll(STORE_ENTRIES)) as unknown[]).filter(isEntry);
    },

    async totalBars() {
      return ((await opened.getAll(STORE_ENTRIES)) as unknown[]).filter(isEntry).reduce((sum, e) => sum + e.barCount, 0);
    },

    close() {
      opened.close();
    },
  };
}

/** Deletes the cache database (all series). */
export async function deleteSeriesCache(name = DB_NAME): Promise<void> {
  await deleteDB(name);
}
