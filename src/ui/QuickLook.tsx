import { nearestPools } from '../engine/pools';
import type { EstimateView } from '../messaging/contract';
import { fmtChange, fmtFunding, fmtPrice, fmtReliability, fmtTrend, poolLine } from './format';
import { HeatmapCanvas } from './HeatmapCanvas';
import type { ResolvedTheme } from './theme';

export const MINI_HEATMAP = { width: 332, height: 140 } as const;

/**
 * One market at a glance, for the popup: a small heatmap, the nearest pool above and below the
 * price, funding, the open-interest trend, the price trend and how reliable the map is.
 */
export function QuickLook({ view, theme }: { readonly view: EstimateView; readonly theme: ResolvedTheme }) {
  const { above, below } = nearestPools(view.pools, view.price);
  const ctx = view.context;
  const oi = ctx.openInterestChange;
  const oiDirection = oi.h4 ?? oi.h1 ?? oi.h24;
  const oiArrow = oiDirection === undefined ? '' : oiDirection > 0.001 ? '↑ ' : oiDirection < -0.001 ? '↓ ' : '→ ';
  return (
    <>
      <HeatmapCanvas heatmap={view.heatmap} width={MINI_HEATMAP.width} height={MINI_HEATMAP.height} theme={theme} />
      <div class="pools">
        <p class="pool above" data-pool="above">
          ▲ {above ? poolLine(above) : 'no pool above'}
        </p>
        <p class="price">Price {fmtPrice(view.price)}</p>
        <p class="pool below" data-pool="below">
          ▼ {below ? poolLine(below) : 'no pool below'}
        </p>
      </div>
      <dl class="context">
        <div>
          <dt>Funding</dt>
          <dd data-context="funding">{fmtFunding(ctx)}</dd>
        </div>
        <div>
          <dt title="Open interest change over 1 h / 4 h / 24 h">OI 1h / 4h / 24h</dt>
          <dd data-context="oi">
            {oiArrow}
            {fmtChange(oi.h1)} / {fmtChange(oi.h4)} / {fmtChange(oi.h24)}
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
      {view.stale ? <p class="error">The exchange could not be reached: showing the last bars held.</p> : null}
      <p class="note" title={view.notes?.join('\n')}>
        {view.lookback} estimate from public data; not the exchange's position book.
      </p>
    </>
  );
}
