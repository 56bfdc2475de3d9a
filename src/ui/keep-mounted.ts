/**
 * The content script's guards against the page and against its own extension going away.
 */

/**
 * Calls `onDetached` when the page replaces its document or its `<body>` (`document.body.replaceWith(...)`,
 * `document.documentElement.innerHTML = ...`) and `isConnected()` turns false. Only the document
 * and `<html>` are watched, without subtrees, so an exchange page's constant updates cost nothing
 * here; the page removing the panel's own element is left alone (that is a close). Stops when
 * `signal` aborts.
 * @example watchDetached(() => ui?.shadowHost.isConnected ?? true, () => void remount(), ctx.signal);
 */
export function watchDetached(isConnected: () => boolean, onDetached: () => void, signal: AbortSignal): void {
  if (signal.aborted) return;
  let root: Element | null = null;
  const observer = new MutationObserver(() => {
    observe();
    if (!isConnected()) onDetached();
  });
  const observe = (): void => {
    if (document.documentElement === root) return;
    observer.disconnect();
    observer.observe(document, { childList: true });
    root = document.documentElement;
    if (root) observer.observe(root, { childList: true });
  };
  observe();
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
}

const INVALIDATED = /Extension context invalidated/i;

/**
 * After the extension is reloaded or removed, calls still in flight in this content script (a
 * port reconnecting, a storage write) fail with "Extension context invalidated". Once the
 * extension is gone (`isGone()`), those failures are expected and kept out of the page's console.
 */
export function quietWhenInvalidated(isGone: () => boolean): void {
  const quiet = (reason: unknown): boolean => isGone() && INVALIDATED.test(reason instanceof Error ? reason.message : String(reason));
  window.addEventListener('unhandledrejection', (event) => {
    if (quiet(event.reason)) event.preventDefault();
  });
  window.addEventListener('error', (event) => {
    if (quiet(event.error ?? event.message)) event.preventDefault();
  });
}
