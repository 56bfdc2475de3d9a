/**
 * Counting the requests of a history load for its progress line: "n of N requests".
 *
 * The rule:
 * - N is planned before the first history request is sent: per series (candles, open interest,
 *   funding, long/short ratio) the pages its exchange needs for the range at the endpoint's
 *   page limit (`plannedPages`), one for an endpoint read in one call (a snapshot); bars already
 *   cached need no request and are not in the plan. The exchange's clock and market list, read
 *   before the plan, are not counted.
 * - n counts completed requests. A retry of the same page (rate limit, dropped connection)
 *   completes once and counts once.
 * - N grows by one for each request beyond the plan (an exchange that cuts a page short is asked
 *   again from where it stopped) and shrinks by the pages a series no longer asks for when it
 *   fails or is left out, so a finished load ends with n = N.
 * - Loads over several exchanges (aggregated) or several stretches (a backfill and the newest
 *   bars) add their counts; the sum is reported only once every part has made its plan.
 */

/** Requests completed (`done`) of those planned (`total`). */
export interface RequestCount {
  readonly done: number;
  readonly total: number;
}

/** One part of a tally: a series, a fetch, or one exchange's load. */
export interface TallyPart {
  /** A request of this part completed; `extra` when beyond its plan. */
  request(extra: boolean): void;
  /** The part's own count (from a nested tally), which replaces what it had. */
  update(count: RequestCount): void;
  /** The part is over (finished, failed or aborted): what it did not send leaves the plan; later calls are ignored. */
  settle(): void;
}

export interface RequestTally extends RequestCount {
  /**
   * Adds a part planned at `planned` requests, or with its plan still to come (`undefined`):
   * nothing is reported while any part's plan is unknown. Adding a part reports nothing: call
   * {@link report} once every part of the plan is in.
   */
  part(planned?: number): TallyPart;
  /** Reports the sum now (when every plan is known). */
  report(): void;
}

/**
 * A sum of request counts, reported to `report` whenever it changes (and every plan is known).
 * @example const tally = createRequestTally((done, total) => show(`${done} of ${total} requests`)); const candles = tally.part(2); tally.report(); candles.request(false);
 */
export function createRequestTally(report?: (done: number, total: number) => void): RequestTally {
  const parts: { done: number; total: number; known: boolean }[] = [];
  let last = '';
  const sum = (key: 'done' | 'total') => parts.reduce((acc, p) => acc + p[key], 0);
  const emit = (): void => {
    if (!report || parts.some((p) => !p.known)) return;
    const done = sum('done');
    const total = sum('total');
    const key = `${done}/${total}`;
    if (key === last) return;
    last = key;
    report(done, total);
  };
  return {
    report: emit,
    get done() {
      return sum('done');
    },
    get total() {
      return sum('total');
    },
    part(planned) {
      const state = { done: 0, total: Math.max(0, planned ?? 0), known: planned !== undefined };
      let settled = false;
      parts.push(state);
      return {
        request(extra) {
          if (settled) return;
          state.done++;
          if (extra) state.total++;
          state.total = Math.max(state.total, state.done);
          emit();
        },
        update(count) {
          if (settled) return;
          state.done = count.done;
          state.total = Math.max(count.total, count.done);
          state.known = true;
          emit();
        },
        settle() {
          if (settled) return;
          settled = true;
          state.total = state.done;
          state.known = true;
          emit();
        },
      };
    },
  };
}
