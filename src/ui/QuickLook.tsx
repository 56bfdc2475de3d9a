import { useEffect, useState } from 'preact/hooks';
import { nearestPools } from '../engine/pools';
import type { EstimateView } from '../messaging/contract';
import { fmtChange, fmtFunding, fmtPrice, fmtReliability, fmtTrend, poolLine } from './format';
import type { PageMarketAnswer } from './page-market';

export type QuickLookState =
  | { readonly kind: 'finding' }
  | { readonly kind: 'no-market' }
  | { readonly kind: 'loading'; readonly market: PageMarketAnswer }
  | { readonly kind: 'ready'; readonly view: EstimateView }
  | { readonly kind: 'error'; readonly market?: PageMarketAnswer; readonly message: string };

export interface QuickLookProps {
  /** Finds the active tab's market, then its estimate; reports each step. */
  readonly run: (report: (state: QuickLookState) => void) => Promise<void>;
}

const box = { font: '13px/1.45 system-ui, sans-serif', padding: '10px 14px', width: '340px', background: '#0e1117', color: '#c9d1d9' };

/** The popup: the active tab's market at a glance (nearest pools, funding, OI, trend, reliability). */
export function QuickLook({ run }: QuickLookProps) {
  const [state, setState] = useState<QuickLookState>({ kind: 'finding' });
  useEffect(() => {
    run(setState).catch((error: unknown) => setState({ kind: 'error', message: error instanceof Error ? error.message : String(error) }));
  }, [run]);
  return (
    <main style={box} data-state={state.kind}>
      <h1 style={{ fontSize: '15px', margin: '0 0 6px', color: '#f0f6fc' }}>
        LiqLens
        {state.kind === 'ready' ? ` · ${state.view.symbol} · ${state.view.exchange}` : state.kind === 'loading' ? ` · ${state.market.symbol}` : ''}
      </h1>
      {state.kind === 'finding' || state.kind === 'loading' ? <p>Loading…</p> : null}
      {state.kind === 'no-market' ? (
        <p>Open a futures page on Binance, Bybit, OKX, Bitget or Hyperliquid to see its estimated liquidation levels.</p>
      ) : null}
      {state.kind === 'error' ? <p style={{ color: '#ff7b72' }}>Could not estimate: {state.message}</p> : null}
      {state.kind === 'ready' ? <Summary view={state.view} /> : null}
    </main>
  );
}

function Summary({ view }: { view: EstimateView }) {
  const { above, below } = nearestPools(view.pools, view.price);
  const ctx = view.context;
  const row = { display: 'flex', justifyContent: 'space-between', gap: '8px', margin: '2px 0' };
  return (
    <>
      <p style={{ margin: '2px 0', color: '#ef9a9a' }} data-pool="above">
        ▲ {above ? poolLine(above) : 'no pool above'}
      </p>
      <p style={{ margin: '2px 0', color: '#f0f6fc', fontWeight: 600 }}>Price {fmtPrice(view.price)}</p>
      <p style={{ margin: '2px 0', color: '#80cbc4' }} data-pool="below">
        ▼ {below ? poolLine(below) : 'no pool below'}
      </p>
      <div style={{ marginTop: '8px' }}>
        <div style={row}>
          <span>Funding</span>
          <b data-context="funding">{fmtFunding(ctx)}</b>
        </div>
        <div style={row}>
          <span>OI 1h / 4h / 24h</span>
          <b data-context="oi">
            {fmtChange(ctx.openInterestChange.h1)} / {fmtChange(ctx.openInterestChange.h4)} / {fmtChange(ctx.openInterestChange.h24)}
          </b>
        </div>
        <div style={row}>
          <span>Trend</span>
          <b data-context="trend">{fmtTrend(ctx)}</b>
        </div>
        <div style={row}>
          <span>Reliability</span>
          <b data-context="reliability">{fmtReliability(ctx)}</b>
        </div>
      </div>
      <p style={{ margin: '8px 0 0', color: '#6e7681', fontSize: '11px' }}>
        {view.lookback} estimate from public data; not the exchange's position book.
      </p>
    </>
  );
}
