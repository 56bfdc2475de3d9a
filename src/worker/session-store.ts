/**
 * The worker's kept estimates (see `estimate-session.ts`), one per view key. Memory cap: at most
 * {@link MAX_KEPT_SESSIONS} are kept (the least recently used goes first) and one not used for
 * {@link KEPT_IDLE_MS} is dropped at the next call. A session holds the engine's ladders (about
 * 0.1 MB per exchange), the merged bars since its start (about 0.1 KB a bar), its complete heatmap
 * columns (rows x columns float32: 86 KB for the panel's 120 x 180) and the shown window's bars:
 * about 0.5 MB for a 24h view, 2 MB for 30 days of 5m bars, so the cap keeps them within about
 * 12 MB. Closing the worker (idle, or its document closed) drops them all: the next refresh
 * computes anew.
 */
import type { ExchangeSeries } from '../engine/types';
import type { EstimateJob, EstimateOutput } from './api';
import { EstimateSession, type SessionRefusal, SessionRefusedError, type SessionUpdate } from './estimate-session';
import { InputError } from '../engine/validate';
import { RecentMap } from './recent-map';

export const MAX_KEPT_SESSIONS = 6;
/** Three missed minute refreshes: the view's panel or popup is closed. */
export const KEPT_IDLE_MS = 3 * 60_000;

export type SessionRequest =
  /** Computes the view over the whole series and keeps its state under `key` (replacing any). */
  | { readonly kind: 'start'; readonly key: string; readonly job: EstimateJob }
  /** Applies the bars from the kept session's unfinished bar on (`formingAt` of its last answer). */
  | { readonly kind: 'extend'; readonly key: string; readonly id: number; readonly series: readonly ExchangeSeries[] };

export type SessionAnswer =
  | {
      readonly ok: true;
      /** Names this session's state; an extension must give it back. */
      readonly id: number;
      readonly formingAt: number;
      readonly applied: SessionUpdate;
      readonly output: EstimateOutput;
    }
  | { readonly ok: false; readonly reason: SessionRefusal; readonly message: string };

export interface SessionStoreOptions {
  readonly max?: number;
  readonly idleMs?: number;
  readonly now?: () => number;
}

export interface SessionStore {
  handle(request: SessionRequest): SessionAnswer;
  readonly size: number;
}

/**
 * @example const store = createSessionStore(); store.handle({ kind: 'start', key, job })
 */
export function createSessionStore(options: SessionStoreOptions = {}): SessionStore {
  const kept = new RecentMap<{ readonly session: EstimateSession; readonly id: number }>({
    max: options.max ?? MAX_KEPT_SESSIONS,
    idleMs: options.idleMs ?? KEPT_IDLE_MS,
    ...(options.now ? { now: options.now } : {}),
  });
  // Random start: ids of a restarted worker do not repeat the old ones.
  let nextId = Math.floor(Math.random() * 2 ** 30);

  return {
    handle(request) {
      kept.dropIdle();
      if (request.kind === 'start') {
        kept.delete(request.key);
        const session = EstimateSession.start(request.job);
        const id = ++nextId;
        kept.set(request.key, { session, id });
        return { ok: true, id, formingAt: session.position.formingAt, applied: session.started, output: session.output() };
      }
      const entry = kept.entry(request.key)?.value;
      if (!entry || entry.id !== request.id) return { ok: false, reason: 'missing', message: 'no kept estimate for this view' };
      let applied: SessionUpdate;
      try {
        applied = entry.session.extend(request.series);
      } catch (error) {
        if (error instanceof SessionRefusedError) return { ok: false, reason: error.reason, message: error.message };
        // A bar the engine rejects: the state is unchanged, but the start anew reports the error.
        if (error instanceof InputError) return { ok: false, reason: 'mismatch', message: error.message };
        throw error;
      }
      kept.set(request.key, entry);
      return { ok: true, id: entry.id, formingAt: entry.session.position.formingAt, applied, output: entry.session.output() };
    },
    get size() {
      return kept.size;
    },
  };
}
