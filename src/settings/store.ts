/**
 * Where settings, the watch list and alert cooldowns live: versioned WXT storage items. Settings
 * sync across the user's browsers; the watch list and cooldowns stay on this machine (local
 * storage survives a browser restart, so neither watches nor "already told" are forgotten).
 */
import { storage, type WxtStorageItem } from 'wxt/utils/storage';
import type { ExchangeId } from '../engine/types';
import { EXCHANGES, MAX_SYMBOL_LENGTH, SYMBOL_PATTERN } from '../messaging/contract';
import { isPlainObject } from '../messaging/validate';
import { SETTINGS_MIGRATIONS } from './migrations';
import { DEFAULT_SETTINGS, readSettings, SETTINGS_VERSION, type Settings, type SettingsRead, updateSettings } from './schema';

export const SETTINGS_KEY = 'sync:settings';
export const WATCHLIST_KEY = 'local:watchlist';
/** Most symbols a watch list holds (each costs one estimate a minute in the background). */
export const MAX_WATCHES = 20;

export interface Watch {
  readonly exchange: ExchangeId;
  readonly symbol: string;
}

/**
 * The settings item. Defining it runs the pending migrations, so it is created on first use
 * (tests seed older shapes first); {@link resetSettingsItem} forgets it.
 */
function defineSettingsItem(): WxtStorageItem<unknown, Record<string, unknown>> {
  return storage.defineItem<unknown>(SETTINGS_KEY, {
    version: SETTINGS_VERSION,
    fallback: null,
    migrations: SETTINGS_MIGRATIONS,
  });
}

let settingsItem: ReturnType<typeof defineSettingsItem> | undefined;
const item = () => (settingsItem ??= defineSettingsItem());

/** Forgets the items so the next read defines them again (tests; after a storage reset). */
export function resetSettingsItem(): void {
  settingsItem = undefined;
  watchlist = undefined;
}

/** The settings with notices for each field that was unreadable (those fall back to defaults). */
export async function loadSettings(): Promise<SettingsRead> {
  return readSettings(await item().getValue());
}

/**
 * The current settings (defaults for anything missing or unreadable).
 * @example const { lookback, leverage } = await getSettings();
 */
export async function getSettings(): Promise<Settings> {
  return (await loadSettings()).settings;
}

/**
 * Stores a change and returns the new settings. Only the changed fields are checked and written
 * over what is read now: an unreadable field elsewhere stays as stored until the user sets it.
 */
export async function saveSettings(change: Partial<Settings>): Promise<Settings> {
  const stored = await item().getValue();
  const current = readSettings(stored).settings;
  const next = updateSettings(current, change);
  const raw: Record<string, unknown> = isPlainObject(stored) ? { ...stored } : {};
  for (const key of Object.keys(change) as (keyof Settings)[]) raw[key] = next[key];
  await item().setValue(raw);
  return next;
}

/**
 * Calls `listener` with the settings whenever they change (in any extension page or another
 * browser through sync); returns the function that stops watching.
 */
export function watchSettings(listener: (settings: Settings) => void): () => void {
  return item().watch((value) => listener(readSettings(value).settings));
}

export { DEFAULT_SETTINGS };

// ---------------------------------------------------------------------------------------------
// Watch list

let watchlist: WxtStorageItem<unknown, Record<string, unknown>> | undefined;
const watchlistItem = () => (watchlist ??= storage.defineItem<unknown>(WATCHLIST_KEY, { version: 1, fallback: [] }));

/** Reads a stored watch list; entries that are not a known exchange and a valid symbol are skipped. */
export function readWatchlist(value: unknown): Watch[] {
  if (!Array.isArray(value)) return [];
  const out: Watch[] = [];
  for (const entry of value) {
    if (!isPlainObject(entry)) continue;
    const exchange = EXCHANGES.find((id) => id === entry['exchange']);
    const symbol = entry['symbol'];
    if (!exchange || typeof symbol !== 'string' || symbol.length > MAX_SYMBOL_LENGTH || !SYMBOL_PATTERN.test(symbol)) continue;
    if (out.some((w) => w.exchange === exchange && w.symbol === symbol)) continue;
    out.push({ exchange, symbol });
  }
  return out.slice(0, MAX_WATCHES);
}

export async function getWatchlist(): Promise<Watch[]> {
  return readWatchlist(await watchlistItem().getValue());
}

export function isWatched(list: readonly Watch[], market: Watch): boolean {
  return list.some((w) => w.exchange === market.exchange && w.symbol === market.symbol);
}

/** Adds or removes a market; returns the new list. Throws when the list is full. */
export async function setWatched(market: Watch, watched: boolean): Promise<Watch[]> {
  const list = await getWatchlist();
  if (watched && isWatched(list, market)) return list;
  const without = list.filter((w) => !(w.exchange === market.exchange && w.symbol === market.symbol));
  if (watched && without.length >= MAX_WATCHES) throw new RangeError(`at most ${MAX_WATCHES} symbols can be watched`);
  const next = watched ? [...without, { exchange: market.exchange, symbol: market.symbol }] : without;
  const checked = readWatchlist(next);
  await watchlistItem().setValue(checked);
  return checked;
}

export function watchWatchlist(listener: (list: Watch[]) => void): () => void {
  return watchlistItem().watch((value) => listener(readWatchlist(value)));
}
