/**
 * Where the fields a user pointed to are kept: one versioned WXT storage item in
 * `storage.local`, a locator per exchange and field. Anything malformed read back is dropped
 * field by field (the rest stays usable), never thrown at the page.
 */
import { storage, type WxtStorageItem } from 'wxt/utils/storage';
import type { ExchangeId } from '../../engine/types';
import { EXCHANGES } from '../../messaging/contract';
import { isTaughtLocator, TAUGHT_FIELDS, type TaughtField, type TaughtLocator } from './locator';

/** The locators of one exchange's order form. */
export type TaughtFields = Partial<Record<TaughtField, TaughtLocator>>;
type AllTaught = Partial<Record<ExchangeId, TaughtFields>>;

const KEY = 'local:taughtFields';

let item: WxtStorageItem<unknown, Record<string, never>> | undefined;
const taughtItem = () => (item ??= storage.defineItem<unknown>(KEY, { version: 1, fallback: {} }));

/** Only the well-formed part of what storage holds. */
export function readTaught(value: unknown): AllTaught {
  const all: Record<string, TaughtFields> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return all;
  for (const exchange of EXCHANGES) {
    const fields = (value as Record<string, unknown>)[exchange];
    if (typeof fields !== 'object' || fields === null) continue;
    const kept: Partial<Record<TaughtField, TaughtLocator>> = {};
    for (const field of TAUGHT_FIELDS) {
      const locator = (fields as Record<string, unknown>)[field];
      if (isTaughtLocator(locator)) kept[field] = locator;
    }
    if (Object.keys(kept).length > 0) all[exchange] = kept;
  }
  return all;
}

/** The locators the user taught for `exchange` (none when storage cannot be read). */
export async function getTaughtFields(exchange: ExchangeId): Promise<TaughtFields> {
  return readTaught(await taughtItem().getValue())[exchange] ?? {};
}

/** Keeps `locator` for `field` on `exchange`'s order form. */
export async function saveTaughtField(exchange: ExchangeId, field: TaughtField, locator: TaughtLocator): Promise<void> {
  const all = readTaught(await taughtItem().getValue());
  await taughtItem().setValue({ ...all, [exchange]: { ...all[exchange], [field]: locator } });
}

/** Forgets every field taught for `exchange` ("Forget" in the order check). */
export async function forgetTaughtFields(exchange: ExchangeId): Promise<void> {
  const all = readTaught(await taughtItem().getValue());
  delete all[exchange];
  await taughtItem().setValue(all);
}

/** Calls `listener` with `exchange`'s locators whenever they change (also from another tab); returns the unsubscribe. */
export function watchTaughtFields(exchange: ExchangeId, listener: (fields: TaughtFields) => void): () => void {
  return taughtItem().watch((value) => listener(readTaught(value)[exchange] ?? {}));
}
