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
 * The prepared settings or the read ones, whichever come first; fails with the read's error only
 * when the prepared ones did not come either.
 * @example const settings = await firstSettings(readPreparedAnswer(answer).then((a) => a.settings), getSettings());
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

/** What the background's answer to `prepareEstimate` brings the page, each part checked. */
export interface PreparedAnswer {
  /** The user's settings, when every field of them is readable. */
  readonly settings?: Settings;
  /** The estimate with the request it answers, when both are well-formed and of one market. */
  readonly first?: PreparedView;
}

/**
 * Reads the background's raw answer to `prepareEstimate` once: its settings and its estimate,
 * each checked as the panel's own reads and views are; what is missing or malformed is left out.
 * Rejects when the message itself failed (no receiver).
 * @example const { settings, first } = await readPreparedAnswer(browser.runtime.sendMessage(prepare));
 */
export async function readPreparedAnswer(answer: Promise<unknown>): Promise<PreparedAnswer> {
  const result = readResponse('prepareEstimate', await answer);
  if (!result.ok || !isPlainObject(result.value)) return {};
  const { settings, request, view } = result.value as { settings?: unknown; request?: unknown; view?: unknown };
  const readable = isPlainObject(settings) ? readSettings(settings) : undefined;
  const first = view === undefined ? undefined : checkedFirstView(request, view);
  return { ...(readable && readable.notices.length === 0 ? { settings: readable.settings } : {}), ...(first ? { first } : {}) };
}

function checkedFirstView(request: unknown, view: unknown): PreparedView | undefined {
  const checkedRequest = REQUEST_VALIDATORS.getEstimate(request, 'request');
  const checkedView = estimateView(view, 'view');
  if (!checkedRequest.ok || !checkedView.ok) return undefined;
  const ownMarket = checkedView.value.exchange === checkedRequest.value.exchange && checkedView.value.symbol === checkedRequest.value.symbol;
  return ownMarket ? { request: checkedRequest.value, view: checkedView.value } : undefined;
}
