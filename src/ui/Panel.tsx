import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ExchangeId } from '../engine/types';
import { type EstimateView, LOOKBACKS, type Lookback } from '../messaging/contract';
import { requestEstimate } from './estimate-client';
import { fmtChange, fmtFunding, fmtPrice, fmtReliability, fmtTrend, poolLine, splitPools } from './format';
import { HeatmapCanvas } from './HeatmapCanvas';

export interface PanelProps {
  readonly exchange: ExchangeId;
  readonly symbol: string;
  readonly lookback?: Lookback;
  /** Aborted when the page navigates away or the extension is reloaded. */
  readonly signal: AbortSignal;
  /** Fetches the view; defaults to the background (with retries). */
  readonly load?: (req: { exchange: ExchangeId; symbol: string; lookback: Lookback }, signal: AbortSignal) => Promise<EstimateView>;
}

type State =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly view: EstimateView }
  | { readonly kind: 'error'; readonly message: string };

const HEATMAP_WIDTH = 360;
const HEATMAP_HEIGHT = 200;

/** The on-page panel: heatmap, nearest pools above and below, and the market context. */
export function Panel(props: PanelProps) {
  const [lookback, setLookback] = useState<Lookback>(props.lookback ?? '24h');
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [collapsed, setCollapsed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const load = props.load ?? ((req, signal) => requestEstimate(req, { signal }));

  useEffect(() => {
    const controller = new AbortController();
    const abort = () => controller.abort();
    props.signal.addEventListener('abort', abort, { once: true });
    setState({ kind: 'loading' });
    load({ exchange: props.exchange, symbol: props.symbol, lookback }, controller.signal).then(
      (view) => {
        if (!controller.signal.aborted) setState({ kind: 'ready', view });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      props.signal.removeEventListener('abort', abort);
      controller.abort();
    };
  }, [props.exchange, props.symbol, lookback, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  return (
    <section
      class="panel"
      data-state={state.kind}
      data-timings={state.kind === 'ready' && state.view.timings ? JSON.stringify(state.view.timings) : undefined}
      aria-label="LiqLens liquidation estimate"
    >
      <header>
        <strong>LiqLens</strong>
        <span class="market">
          {props.symbol} · {props.exchange}
        </span>
        <select
          aria-label="Lookback"
          value={lookback}
          onChange={(event) => setLookback((event.currentTarget as HTMLSelectElement).value as Lookback)}
        >
          {LOOKBACKS.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
        <button type="button" class="icon" aria-expanded={!collapsed} aria-label={collapsed ? 'Expand' : 'Collapse'} onClick={() => setCollapsed(!collapsed)}>
          {collapsed ? '▸' : '▾'}
        </button>
      </header>
      {collapsed ? null : state.kind === 'loading' ? (
        <p class="status">Estimating liquidation levels…</p>
      ) : state.kind === 'error' ? (
        <p class="status error">
          Could not estimate: {state.message}{' '}
          <button type="button" onClick={retry}>
            Retry
          </button>
        </p>
      ) : (
        <PanelBody view={state.view} />
      )}
    </section>
  );
}

function PanelBody({ view }: { view: EstimateView }) {
  const { above, below } = splitPools(view.pools, view.price, 2);
  const ctx = view.context;
  return (
    <>
      <HeatmapCanvas heatmap={view.heatmap} width={HEATMAP_WIDTH} height={HEATMAP_HEIGHT} />
      <div class="pools">
        {above.length === 0 ? <p class="none">No pool above</p> : null}
        {[...above].reverse().map((pool) => (
          <p key={`a${pool.priceLow}`} class="pool above" data-pool="above">
            ▲ {poolLine(pool)}
          </p>
        ))}
        <p class="price">Price {fmtPrice(view.price)}</p>
        {below.map((pool) => (
          <p key={`b${pool.priceLow}`} class="pool below" data-pool="below">
            ▼ {poolLine(pool)}
          </p>
        ))}
        {below.length === 0 ? <p class="none">No pool below</p> : null}
      </div>
      <dl class="context">
        <div>
          <dt>Funding</dt>
          <dd data-context="funding">{fmtFunding(ctx)}</dd>
        </div>
        <div>
          <dt>OI 1h/24h</dt>
          <dd data-context="oi">
            {fmtChange(ctx.openInterestChange.h1)} / {fmtChange(ctx.openInterestChange.h24)}
          </dd>
        </div>
        <div>
          <dt>Trend</dt>
          <dd data-context="trend">{fmtTrend(ctx)}</dd>
        </div>
        <div>
          <dt>Reliability</dt>
          <dd data-context="reliability" title={ctx.reliability.reasons.map((r) => r.text).join('\n')}>
            {fmtReliability(ctx)}
          </dd>
        </div>
      </dl>
      {view.stale ? <p class="status error">The exchange could not be reached: showing the last bars held.</p> : null}
      <p class="note" title={view.notes?.join('\n')}>
        An estimate from public candles, open interest and funding, not the exchange's position book.
      </p>
    </>
  );
}
