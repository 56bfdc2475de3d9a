/**
 * Yielding to the exchange's page between the content script's steps, so its work runs as short
 * tasks between the page's own (input, rendering) instead of one long one.
 */

/**
 * Resolves in a new task, after whatever the page has queued (a message through a
 * `MessageChannel`: no timer clamping, no wait for an idle frame, which would add a frame per step).
 */
export function nextIdle(signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const channel = new MessageChannel();
    const abort = () => {
      channel.port1.close();
      reject(signal.reason as Error);
    };
    channel.port1.onmessage = () => {
      signal.removeEventListener('abort', abort);
      channel.port1.close();
      resolve();
    };
    signal.addEventListener('abort', abort, { once: true });
    channel.port2.postMessage(undefined);
  });
}
