/**
 * A piece of work raced against a timer, the timer cleared whichever ends first: the background's
 * calls to the estimator worker give up after a while, and `prepareEstimate` answers without the
 * estimate when it takes longer than a short wait.
 */

/**
 * `work`'s outcome, or `late()`'s when `ms` pass first (a `late` that throws rejects the result
 * with its error). The timer never outlives the race.
 * @example const view = await beforeDeadline(estimate.catch(() => undefined), 250, () => undefined);
 */
export function beforeDeadline<T, U>(work: Promise<T>, ms: number, late: () => U): Promise<T | U> {
  return new Promise<T | U>((resolve, reject) => {
    const timer = setTimeout(() => {
      try {
        resolve(late());
      } catch (error) {
        reject(error as Error);
      }
    }, ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error as Error);
      },
    );
  });
}
