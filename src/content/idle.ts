/** Waiting for the exchange's page to be idle, so the content script's work runs in short tasks between the page's own. */

/** Resolves when the page's main thread is idle (or after `timeoutMs` of a page that never is). */
export function nextIdle(signal: AbortSignal, timeoutMs = 1_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const done = () => {
      signal.removeEventListener('abort', abort);
      resolve();
    };
    const handle = typeof requestIdleCallback === 'function' ? requestIdleCallback(done, { timeout: timeoutMs }) : window.setTimeout(done, 0);
    const abort = () => {
      if (typeof cancelIdleCallback === 'function') cancelIdleCallback(handle);
      else window.clearTimeout(handle);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', abort, { once: true });
  });
}
