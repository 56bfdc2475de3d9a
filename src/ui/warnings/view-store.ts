/**
 * The latest estimate the panel received, shared with the order warnings so they check against
 * the same map the trader sees, without asking the background again.
 */
import type { EstimateView } from '../../messaging/contract';

export interface ViewStore {
  latest(): EstimateView | undefined;
  /** Calls `listener` with every new view until `signal` aborts. */
  subscribe(listener: (view: EstimateView) => void, signal: AbortSignal): void;
  /** Records a view the panel shows (live updates included). */
  put(view: EstimateView): void;
  /** Wraps the panel's loader so every view it receives lands here too. */
  tap<R>(load: (req: R, signal: AbortSignal) => Promise<EstimateView>): (req: R, signal: AbortSignal) => Promise<EstimateView>;
}

/** @example const store = createViewStore(); mountPanel(el, { ...props, load: store.tap(defaultLoad) }) */
export function createViewStore(): ViewStore {
  let latest: EstimateView | undefined;
  const listeners = new Set<(view: EstimateView) => void>();
  const put = (view: EstimateView): void => {
    latest = view;
    for (const listener of listeners) listener(view);
  };
  return {
    latest: () => latest,
    subscribe(listener, signal) {
      if (signal.aborted) return;
      listeners.add(listener);
      signal.addEventListener('abort', () => listeners.delete(listener), { once: true });
    },
    put,
    tap(load) {
      return async (req, signal) => {
        const view = await load(req, signal);
        put(view);
        return view;
      };
    },
  };
}
