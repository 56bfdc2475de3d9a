/** The followed accounts in IndexedDB (fake-indexeddb): addresses and values only, survive a reopen, bad records dropped. */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { openAccountsStore, readAccountsRecord } from '../src/data/hyperliquid-positions/accounts-store';

const a = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;

describe('accounts store', () => {
  it('keeps only addresses, values and times, across a reopen', async () => {
    const name = `accounts-${Math.random()}`;
    const store = await openAccountsStore(name);
    const extra = { address: a(1), accountValue: 5, displayName: 'x', windowPerformances: [] };
    await store.write({ list: { accounts: [extra, { address: a(2), accountValue: 3 }], fetchedAt: 1000 }, attemptedAt: 1000 } as never);
    store.close();
    const again = await openAccountsStore(name);
    expect(await again.read()).toEqual({ list: { accounts: [{ address: a(1), accountValue: 5 }, { address: a(2), accountValue: 3 }], fetchedAt: 1000 }, attemptedAt: 1000 });
    again.close();
    const raw = await openDB(name);
    expect(JSON.stringify(await raw.getAll('lists'))).not.toMatch(/displayName|windowPerformances/);
    raw.close();
  });

  it('drops unreadable entries and lists', () => {
    expect(readAccountsRecord({ list: { accounts: [{ address: 'nope', accountValue: 1 }, { address: a(3), accountValue: 'x' }], fetchedAt: 1 } })).toEqual({});
    expect(readAccountsRecord(42)).toEqual({});
    expect(readAccountsRecord({ attemptedAt: 5, lastError: 'HTTP 500' })).toEqual({ attemptedAt: 5, lastError: 'HTTP 500' });
  });
});
