/**
 * Paging a time range through an endpoint that returns at most `limit` rows per call, and
 * aborting between (and during) calls.
 */

/** The reason a signal was aborted with, or a standard `AbortError`. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/** Throws the signal's reason when it is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}

/**
 * Settles like `promise`, or rejects with the signal's reason as soon as it aborts. ccxt takes no
 * signal, so an aborted request still completes in the background; its result is dropped.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** A time range read through an endpoint of at most `limit` rows a call. */
export interface PagedRange {
  /** First row time wanted (inclusive). */
  readonly since: number;
  /** Last row time wanted (inclusive). */
  readonly until: number;
  /** Spacing of rows (the bar duration); a window spans `limit * stepMs`. */
  readonly stepMs: number;
  /** Rows per call: the endpoint's maximum. */
  readonly limit: number;
}

/**
 * The calls {@link pageForward} plans for a range: one per window of `limit` steps. More are made
 * only when the exchange cuts a window short (see `mode`).
 * @example plannedPages({ since: 0, until: 2015 * 300_000, stepMs: 300_000, limit: 1000 }) // 3
 */
export function plannedPages(range: PagedRange): number {
  const { since, until, stepMs, limit } = range;
  if (!(until >= since) || !(stepMs > 0) || !(limit > 0)) return 0;
  return Math.ceil((until - since + 1) / (stepMs * limit));
}

export interface PagingOptions<T> extends PagedRange {
  /**
   * `dense` (candles, open interest, ratios: one row per step): when a call ends before its window
   * does, the rest of the window is asked for again from the last row on. `sparse` (funding: a row
   * every few hours): only a full page continues inside its window.
   */
  readonly mode?: 'dense' | 'sparse';
  /**
   * Rows from this time on may simply not be published yet (the current bar, statistics computed
   * with a delay): a dense page that stops there is taken as complete instead of asked again.
   */
  readonly settledBefore?: number;
  readonly signal?: AbortSignal;
  /** One call for rows with time in `[start, end]`. */
  readonly fetchPage: (start: number, end: number, limit: number) => Promise<readonly T[]>;
  readonly timeOf: (row: T) => number;
  /** Called after each call with the number of new rows it gave. */
  readonly onPage?: (rows: number) => void;
  /**
   * Called after each completed call; `extra` when it is one more than {@link plannedPages}
   * (a window cut short and asked again). A call retried inside `fetchPage` completes once.
   */
  readonly onRequest?: (extra: boolean) => void;
}

/**
 * Windows of one range asked at once: each exchange's ccxt throttle still spaces the requests. Two:
 * a request waiting in ccxt's throttle cannot be withdrawn, so after an abort at most one more
 * window of the range goes out.
 */
export const PAGE_CONCURRENCY = 2;

/**
 * Walks `[since, until]` in windows of `limit` steps, one call per window (more when a window
 * comes back cut short: the rest of it is asked again from its last row on), up to
 * {@link PAGE_CONCURRENCY} windows in flight (every request pays the network's round trip; the
 * exchange's ccxt throttle keeps them within its rate limit), and returns the rows inside the
 * range, sorted by time, one per time (a later call's row wins). Checks the signal before every
 * call. A bounded number of calls: an endpoint that keeps answering one row per call cannot loop
 * for ever.
 */
export async function pageForward<T>(options: PagingOptions<T>): Promise<T[]> {
  const { since, until, stepMs, limit, signal, fetchPage, timeOf, onPage, onRequest } = options;
  const settledBefore = options.settledBefore ?? Infinity;
  const dense = (options.mode ?? 'dense') === 'dense';
  const rows = new Map<number, T>();
  const windows = plannedPages(options);
  if (windows === 0) return [];
  const maxCalls = windows * 4 + 8;
  const queue: [number, number][] = [];
  for (let start = since; start <= until; start += limit * stepMs) queue.push([start, Math.min(until, start + limit * stepMs - 1)]);
  let calls = 0;
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined && calls < maxCalls; next = queue.shift()) {
      const [cursor, end] = next;
      throwIfAborted(signal);
      const call = calls++;
      const page = await abortable(fetchPage(cursor, end, limit), signal);
      let last = -Infinity;
      let added = 0;
      let inWindow = 0;
      for (const row of page) {
        const t = timeOf(row);
        if (!Number.isFinite(t) || t < cursor || t > end) continue;
        inWindow++;
        if (!rows.has(t)) added++;
        rows.set(t, row);
        if (t > last) last = t;
      }
      onPage?.(added);
      onRequest?.(call >= windows);
      const cutShort = inWindow > 0 && last + stepMs <= end && (inWindow >= limit || (dense && last + stepMs < settledBefore));
      if (cutShort) queue.unshift([last + stepMs, end]);
    }
  };
  // The first window alone when it is the only one; otherwise several side by side.
  await Promise.all(Array.from({ length: Math.min(PAGE_CONCURRENCY, queue.length) }, worker));
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map((entry) => entry[1]);
}
