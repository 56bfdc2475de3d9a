/**
 * The order check's engine (risk and margin, with the exchanges' tier tables, and the real levels
 * its findings cite: ./order-check-engine.ts), loaded on demand. Every page load would otherwise carry it, while
 * only a trader typing an order needs it: loading starts in idle time as soon as an order form is
 * found, so it is usually in before the first keystroke (src/content/loader.ts runs its chunks in
 * short steps, like the page load's). Until it is in, the warnings show what was read and say the
 * check is loading; a failed load is said and tried again on the next change.
 */
import { nextIdle } from '../../content/idle';
import type { checkOrder } from '../../sites/check-order';
import type { citeRealLevels } from './cite-real-levels';

/** What the engine's file provides. */
export interface CheckModule {
  readonly checkOrder: typeof checkOrder;
  readonly citeRealLevels: typeof citeRealLevels;
}

/** Not asked for yet, on its way, in, or the last load failed. */
export type EngineStatus = 'unasked' | 'loading' | 'ready' | 'failed';

export interface OrderEngine {
  readonly status: EngineStatus;
  /** The engine's functions, once loaded. */
  readonly check: CheckModule | undefined;
  /**
   * Starts loading unless it is in or on its way: the first time in idle time, after a failure at
   * once (the caller asks on a change: the next keystroke, a new map, a manual order).
   */
  want(): void;
}

export interface OrderEngineOptions {
  /** Aborted when the market changes or the content script is invalidated: nothing is loaded or reported after. */
  readonly signal: AbortSignal;
  /** Called when the status changes (loaded, or failed). */
  readonly onChange: () => void;
  /** Imports the engine; default: the on-demand file. */
  readonly load?: () => Promise<CheckModule>;
  /** Resolves in idle time; default: the browser's idle callback (at most half a second away), else a new task. */
  readonly idle?: (signal: AbortSignal) => Promise<void>;
}

// The content script's build puts this module's chunks in a file of their own (scripts/lib/content-chunks.ts).
const importEngine = (): Promise<CheckModule> => import('./order-check-engine');

/** The page's idle time (Chrome and Firefox both offer it to content scripts); a new task where it is missing. */
function whenIdle(signal: AbortSignal): Promise<void> {
  if (typeof requestIdleCallback !== 'function') return nextIdle(signal);
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const abort = (): void => {
      cancelIdleCallback(handle);
      reject(signal.reason as Error);
    };
    const handle = requestIdleCallback(
      () => {
        signal.removeEventListener('abort', abort);
        resolve();
      },
      { timeout: 500 },
    );
    signal.addEventListener('abort', abort, { once: true });
  });
}

/**
 * The engine for one market's warnings.
 * @example const engine = createOrderEngine({ signal, onChange: refresh }); engine.want();
 */
export function createOrderEngine(options: OrderEngineOptions): OrderEngine {
  const { signal, onChange } = options;
  const load = options.load ?? importEngine;
  const idle = options.idle ?? whenIdle;
  let status: EngineStatus = 'unasked';
  let check: CheckModule | undefined;
  const settle = (next: EngineStatus): void => {
    if (signal.aborted) return;
    status = next;
    onChange();
  };
  return {
    get status() {
      return status;
    },
    get check() {
      return check;
    },
    want() {
      if (status === 'loading' || status === 'ready' || signal.aborted) return;
      const first = status === 'unasked';
      status = 'loading';
      (first ? idle(signal) : Promise.resolve())
        .then(load)
        .then(
          (module) => {
            check = module;
            settle('ready');
          },
          () => settle('failed'),
        );
    },
  };
}
