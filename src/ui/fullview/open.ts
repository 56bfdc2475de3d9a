/**
 * Opening the full view: from an extension page (the popup) with `tabs.create` directly; from the
 * content script through the background (`openFullView`), since a web page's script may not open
 * an extension page that is not web-accessible (and this one is not: pages cannot probe for it).
 */
import { browser } from 'wxt/browser';
import { FULL_VIEW_PATH, type FullViewParams, fullViewQuery } from './params';

/** The full view's address for `params` in this extension. */
export function fullViewUrl(params: FullViewParams): string {
  return browser.runtime.getURL(FULL_VIEW_PATH as '/fullview.html') + fullViewQuery(params);
}

/** Opens the full view in a new tab next to the current one. */
export async function openFullViewTab(params: FullViewParams): Promise<void> {
  await browser.tabs.create({ url: fullViewUrl(params) });
}
