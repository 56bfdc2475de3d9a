/**
 * Yielding to the exchange's page between the content script's steps, so its work runs as short
 * tasks between the page's own (input, rendering) instead of one long one.
 */
import { nextTask } from '../ui/panel/next-task';

/**
 * Resolves in a new task, after whatever the page has queued ({@link nextTask}: no timer
 * clamping, no wait for an idle frame, which would add a frame per step); rejects when `signal`
 * aborts first.
 */
export function nextIdle(signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const abort = () => {
      cancel();
      reject(signal.reason as Error);
    };
    const cancel = nextTask(() => {
      signal.removeEventListener('abort', abort);
      resolve();
    });
    signal.addEventListener('abort', abort, { once: true });
  });
}
