/**
 * What the background sends back with its answer to the content script's `prepareEstimate`: the
 * user's settings (the panel's first when they come before its own storage read) and the
 * estimate when it was ready (the panel's first view, without asking again).
 */
import { readResponse } from '../messaging/client';
import { type EstimateRequest, type EstimateView, REQUEST_VALIDATORS } from '../messaging/contract';
import { estimateView } from '../messaging/live';
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

/** The estimate that came with the answer, and the request it answers. */
export interface PreparedView {
  readonly request: EstimateRequest;
  readonly view: EstimateView;
}

/**
 * The estimate in the background's answer to `prepareEstimate` with its request, both checked
 * as any view and request are; undefined when the answer has none or either is malformed.
 * @example const prepared = await preparedView(answer); if (prepared) show(prepared.view);
 */
export async function preparedView(answer: Promise<unknown>): Promise<PreparedView | undefined> {
  const result = readResponse('prepareEstimate', await answer);
  if (!result.ok || !isPlainObject(result.value)) return undefined;
  const { request, view } = result.value as { request?: unknown; view?: unknown };
  if (view === undefined) return undefined;
  const checkedRequest = REQUEST_VALIDATORS.getEstimate(request, 'request');
  const checkedView = estimateView(view, 'view');
  if (!checkedRequest.ok || !checkedView.ok) return undefined;
  const ownMarket = checkedView.value.exchange === checkedRequest.value.exchange && checkedView.value.symbol === checkedRequest.value.symbol;
  return ownMarket ? { request: checkedRequest.value, view: checkedView.value } : undefined;
}
