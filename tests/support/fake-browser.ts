/**
 * Installs WXT's in-memory fake of the extension APIs as `chrome` before anything reads it:
 * `wxt/browser` picks its global when first imported, so import this module first.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';

(globalThis as { chrome?: unknown }).chrome = fakeBrowser;

export { fakeBrowser };
