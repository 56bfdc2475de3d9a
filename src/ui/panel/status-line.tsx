/**
 * The panel's status line: what it is doing (loading, with the history's progress), why it shows
 * nothing new (a failure, with Retry), and what is off about what it shows (stale bars, older
 * history still loading, no local cache).
 */
import type { ExchangeId } from '../../engine/types';
import type { EstimateView, MarketStatus } from '../../messaging/contract';
import { type FailureKind, fmtAge, fmtProgress, storageNotice } from './status';

/** The background's progress of a market's history load. */
export type LoadProgress = NonNullable<MarketStatus['progress']>;

/** The panel's estimate: loading (over the last view), shown, or failed (over the last view). */
export type PanelState =
  | { readonly kind: 'loading'; readonly previous?: EstimateView }
  | { readonly kind: 'ready'; readonly view: EstimateView }
  | { readonly kind: 'error'; readonly message: string; readonly failure: FailureKind; readonly previous?: EstimateView };

const EXCHANGE_NAMES: Readonly<Record<ExchangeId, string>> = { binance: 'Binance', bybit: 'Bybit', okx: 'OKX', bitget: 'Bitget', hyperliquid: 'Hyperliquid' };
const exchangeName = (id: ExchangeId): string => EXCHANGE_NAMES[id];

export function StatusLine(props: {
  state: PanelState;
  updateFailed: boolean;
  progress: LoadProgress | undefined;
  now: number;
  view: EstimateView | undefined;
  retry: () => void;
  symbol: string;
  exchange: ExchangeId;
}) {
  const { state, progress, view } = props;
  const age = view ? fmtAge(props.now - view.context.timestamp) : undefined;
  if (state.kind === 'loading') {
    return (
      <p class="status" data-status="loading" role="status">
        <span class="spinner" aria-hidden="true" />
        {progress && progress.total > 0 ? (
          <>
            <span data-progress="requests" data-done={progress.done} data-total={progress.total}>{`Loading history: ${fmtProgress(progress.done, progress.total)}`}</span>
            {progress.bars ? <span class="muted" data-progress="bars">{` · ${fmtProgress(progress.bars.done, progress.bars.total, 'bars')}`}</span> : null}
            <progress max={progress.total} value={progress.done} />
          </>
        ) : (
          'Estimating liquidation levels…'
        )}
      </p>
    );
  }
  if (state.kind === 'error') {
    if (state.failure === 'unsupported') {
      return (
        <p class="status error" data-status="unsupported" role="alert">
          {props.symbol} is not a perpetual LiqLens can read on {props.exchange}, or its history is too short for an estimate. ({state.message})
        </p>
      );
    }
    return (
      <p class="status error" data-status={state.failure} role="alert">
        {state.previous ? <span class="badge stale" data-badge="stale">{`stale · ${age ?? ''} old`}</span> : null}
        {state.failure === 'offline' ? 'The exchange or the extension could not be reached' : 'Could not estimate'}: {state.message}{' '}
        <button type="button" onClick={props.retry}>
          Retry
        </button>
      </p>
    );
  }
  const storage = storageNotice(state.view.notes);
  const storageLine = storage ? (
    <p class="status warn" data-status="storage" role="status">
      Working without the local cache: {storage}
    </p>
  ) : null;
  if (state.view.stale || props.updateFailed) {
    return (
      <>
        <p class="status warn" data-status="stale" title="The exchange could not be reached (offline or rate-limited): the bars held are shown as they were.">
          <span class="badge stale" data-badge="stale">{`stale · ${age ?? ''} old`}</span> The exchange could not be reached: showing the last bars held.
        </p>
        {storageLine}
      </>
    );
  }
  // The map shown covers the recent window; the rest of the lookback is loading.
  const extending = progress ? (
    <p class="status" data-status="extending" role="status">
      {progress.total > 0 ? (
        <>
          <span data-progress="requests" data-done={progress.done} data-total={progress.total}>{`Loading older history: ${fmtProgress(progress.done, progress.total)}`}</span>
          <progress max={progress.total} value={progress.done} />
        </>
      ) : (
        'Loading older history…'
      )}
      {view?.loadingExchanges && view.loadingExchanges.length > 0 ? (
        <span data-loading-exchanges={view.loadingExchanges.join(',')}>{` · still loading: ${view.loadingExchanges.map(exchangeName).join(', ')}`}</span>
      ) : null}
    </p>
  ) : null;
  return (
    <>
      {extending}
      {storageLine}
    </>
  );
}
