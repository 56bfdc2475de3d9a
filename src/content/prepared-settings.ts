/**
 * The settings the background sends back with its answer to the content script's
 * `prepareEstimate`: the panel's first settings when they come before its own storage read.
 */
import { readResponse } from '../messaging/client';
import { isPlainObject } from '../messaging/validate';
import type { Settings } from '../settings';
import { readSettings } from '../settings/schema';

/**
 * The settings in the background's answer to `prepareEstimate` (the raw answer, checked here);
 * undefined unless the answer is one and every field of its settings is readable.
 * @example await preparedSettings(browser.runtime.sendMessage(prepare)) // { lookback: '24h', ... }
 */
export async function preparedSettings(answer: Promise<unknown>): Promise<Settings | undefined> {
  const result = readResponse('prepareEstimate', await answer);
  if (!result.ok || !isPlainObject(result.value)) return undefined;
  const stored: unknown = (result.value as { settings?: unknown }).settings;
  if (!isPlainObject(stored)) return undefined;
  const { settings, notices } = readSettings(stored);
  return notices.length === 0 ? settings : undefined;
}

/**
 * The prepared settings or the read ones, whichever come first; fails with the read's error only
 * when the prepared ones did not come either.
 * @example const settings = await firstSettings(preparedSettings(answer), getSettings());
 */
export function firstSettings(prepared: Promise<Settings | undefined>, read: Promise<Settings>): Promise<Settings> {
  return new Promise((resolve, reject) => {
    prepared.then(
      (settings) => settings && resolve(settings),
      () => {},
    );
    read.then(resolve, (error: unknown) =>
      prepared.then(
        (settings) => (settings ? resolve(settings) : reject(error)),
        () => reject(error),
      ),
    );
  });
}
