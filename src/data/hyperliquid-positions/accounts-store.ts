/**
 * The followed Hyperliquid accounts in IndexedDB (through idb, as `src/data/cache.ts`): one
 * record holding only addresses and account values, when the leaderboard was read, and when it
 * was last tried (so a failure is not retried in a loop). Never the leaderboard's body, never
 * positions (those are re-read from the exchange).
 */
import { deleteDB, openDB, type IDBPDatabase } from 'idb';
import { ADDRESS_PATTERN, type LeaderboardAccount } from './parse';

export const ACCOUNTS_DB_NAME = 'liqlens-hyperliquid-accounts';
export const ACCOUNTS_DB_VERSION = 1;
const STORE = 'lists';
const KEY = 'leaderboard';

export interface AccountList {
  /** Largest account value first. */
  readonly accounts: readonly LeaderboardAccount[];
  /** When this list was read from the leaderboard, ms. */
  readonly fetchedAt: number;
}

export interface AccountsRecord {
  readonly list?: AccountList;
  /** Last attempt to read the leaderboard, successful or not, ms. */
  readonly attemptedAt?: number;
  /** Why the last attempt failed (absent after a success). */
  readonly lastError?: string;
}

export interface AccountsStore {
  read(): Promise<AccountsRecord>;
  write(record: AccountsRecord): Promise<void>;
  close(): void;
}

/** A stored record, checked field by field: an unreadable list is dropped, never trusted. */
export function readAccountsRecord(value: unknown): AccountsRecord {
  if (typeof value !== 'object' || value === null) return {};
  const v = value as Record<string, unknown>;
  const attemptedAt = typeof v['attemptedAt'] === 'number' && Number.isFinite(v['attemptedAt']) ? v['attemptedAt'] : undefined;
  const lastError = typeof v['lastError'] === 'string' ? v['lastError'].slice(0, 300) : undefined;
  let list: AccountList | undefined;
  const raw = v['list'] as Record<string, unknown> | undefined;
  if (raw && typeof raw === 'object' && Array.isArray(raw['accounts']) && typeof raw['fetchedAt'] === 'number') {
    const accounts = (raw['accounts'] as unknown[]).filter(
      (a): a is LeaderboardAccount =>
        typeof a === 'object' && a !== null && typeof (a as LeaderboardAccount).address === 'string' && ADDRESS_PATTERN.test((a as LeaderboardAccount).address) && Number.isFinite((a as LeaderboardAccount).accountValue),
    );
    if (accounts.length > 0) list = { accounts: accounts.map((a) => ({ address: a.address, accountValue: a.accountValue })), fetchedAt: raw['fetchedAt'] };
  }
  return { ...(list ? { list } : {}), ...(attemptedAt !== undefined ? { attemptedAt } : {}), ...(lastError !== undefined ? { lastError } : {}) };
}

/** Opens (creating) the accounts database. */
export async function openAccountsStore(name = ACCOUNTS_DB_NAME): Promise<AccountsStore> {
  const db: IDBPDatabase = await openDB(name, ACCOUNTS_DB_VERSION, {
    upgrade(database) {
      database.createObjectStore(STORE);
    },
    blocking(_current, _blocked, event) {
      (event.target as IDBDatabase | null)?.close();
    },
  });
  return {
    async read() {
      return readAccountsRecord(await db.get(STORE, KEY));
    },
    async write(record) {
      // Only the fields named here reach the disk.
      const clean = readAccountsRecord(record);
      await db.put(STORE, clean, KEY);
    },
    close: () => db.close(),
  };
}

/** An in-memory store (tests; or when IndexedDB cannot be opened). */
export function memoryAccountsStore(initial: AccountsRecord = {}): AccountsStore & { readonly writes: AccountsRecord[] } {
  let held = initial;
  const writes: AccountsRecord[] = [];
  return {
    writes,
    read: async () => held,
    write: async (record) => {
      held = readAccountsRecord(record);
      writes.push(held);
    },
    close: () => {},
  };
}

export async function deleteAccountsStore(name = ACCOUNTS_DB_NAME): Promise<void> {
  await deleteDB(name);
}
