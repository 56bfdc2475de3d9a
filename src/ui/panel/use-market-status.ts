/**
 * The background's status of the panel's market, polled: the history's loading progress, whether
 * the update behind a shown view failed, and whether aggregating over exchanges is available.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { ExchangeId } from '../../engine/types';
import { type EstimateView, LOOKBACK_MS, type StatusRequest, type StatusView } from '../../messaging/contract';
import { failureKind } from './status';
import type { LoadProgress, PanelState } from './status-line';

/** How often the loading line asks the background for progress. */
const PROGRESS_POLL_MS = 300;
/** How often a shown view checks whether the background's update behind it failed. */
const STALE_POLL_MS = 3_000;

/** What the poll tells the panel (its state setters). */
export interface MarketStatusSetters {
  readonly setAggregation: (aggregation: { available: boolean; reason?: string }) => void;
  readonly setProgress: (progress: LoadProgress | undefined) => void;
  readonly setUpdateFailed: (failed: boolean) => void;
}

/** Polls while the panel's estimate loads or is shown (not after a failure); `state` and `progress` are the panel's. */
export function useMarketStatus(
  props: { readonly exchange: ExchangeId; readonly symbol: string },
  state: PanelState,
  progress: LoadProgress | undefined,
  status: (req: StatusRequest) => Promise<StatusView>,
  { setAggregation, setProgress, setUpdateFailed }: MarketStatusSetters,
): void {
  // The background's status of this market, polled (one small message, no network): while
  // loading, its progress; while a view is shown, whether the update behind it failed (a view
  // can be answered from held bars at once while the update runs).
  const kind = state.kind;
  const extendingNow = kind === 'ready' && progress !== undefined;
  // The view shown, for the status poll (which runs outside renders).
  const viewRef = useRef<EstimateView | undefined>(undefined);
  viewRef.current = state.kind === 'ready' ? state.view : undefined;
  useEffect(() => {
    if (kind === 'error') return;
    const loadingNow = kind === 'loading';
    let stopped = false;
    const poll = () => {
      status({ exchange: props.exchange, symbol: props.symbol }).then(
        (answer) => {
          if (stopped) return;
          if (answer.aggregate) setAggregation(answer.aggregate);
          const market = answer.markets[0];
          if (!market) return;
          if (loadingNow) {
            if (market.state === 'loading' && market.progress) setProgress(market.progress);
          } else {
            setUpdateFailed(market.stale === true || (market.state === 'error' && failureKind(market.message ?? '') === 'offline'));
            // A first map of the recent window is shown while the older history loads: its progress.
            setProgress(market.state === 'loading' && partialView(viewRef.current) ? (market.progress ?? { done: 0, total: 0 }) : undefined);
          }
        },
        () => {},
      );
    };
    // At once: a first map that arrives while older history still loads shows that at once.
    poll();
    const timer = setInterval(poll, loadingNow || extendingNow ? PROGRESS_POLL_MS : STALE_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [kind, extendingNow, props.exchange, props.symbol]);
}

/**
 * True when a view's map covers less than nine tenths of its lookback: a first map of the recent
 * window, with the older history still loading (not a minute's refresh of a whole map).
 */
function partialView(view: EstimateView | undefined): boolean {
  if (!view) return false;
  return view.heatmap.columns * view.heatmap.columnMs < 0.9 * LOOKBACK_MS[view.lookback];
}
