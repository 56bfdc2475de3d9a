/**
 * Splitting the panel's work on the exchange's page into short tasks: a callback in a new task
 * after what the page has queued, and steps run in slices of a few milliseconds each.
 */

/**
 * Calls `callback` in a new task (a `MessageChannel` message: no timer clamping after nested
 * timeouts, no wait for a frame); returns the function that cancels it.
 * @example const cancel = nextTask(() => setStage(1));
 */
export function nextTask(callback: () => void): () => void {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    callback();
  };
  channel.port2.postMessage(undefined);
  return () => channel.port1.close();
}

/** Work per task of {@link runSliced}: well under a 16 ms frame, also on a slow machine. */
export const SLICE_MS = 3;

/**
 * Runs `steps` (a generator yielding between small steps) in tasks of about `sliceMs` each, then
 * `done` with its result (in a task of its own when the last slice used its time); returns the
 * function that stops it.
 * @example const stop = runSliced(renderHeatmapSteps(grid, candles, size), (raster) => draw(raster));
 */
export function runSliced<T>(steps: Iterator<unknown, T>, done: (result: T) => void, sliceMs = SLICE_MS, now: () => number = () => performance.now()): () => void {
  let cancel: (() => void) | undefined;
  let stopped = false;
  const slice = (): void => {
    cancel = undefined;
    const start = now();
    for (;;) {
      const step = steps.next();
      if (stopped) return;
      const late = now() - start >= sliceMs;
      if (step.done) {
        const result = step.value;
        if (late) cancel = nextTask(() => done(result));
        else done(result);
        return;
      }
      if (late) break;
    }
    cancel = nextTask(slice);
  };
  cancel = nextTask(slice);
  return () => {
    stopped = true;
    cancel?.();
  };
}
