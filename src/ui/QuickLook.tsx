import { nearestPools } from '../engine/pools';
import type { HeatScale } from '../render/color-scale';
import type { EstimateView } from '../messaging/contract';
import { fmtPrice, poolLine, poolRange } from './format';
import { HeatmapCanvas } from './HeatmapCanvas';
import { ContextRows } from './panel/details';
import type { ResolvedTheme } from './theme';

export const MINI_HEATMAP = { width: 332, height: 140 } as const;

/**
 * One market at a glance, for the popup: a small heatmap, the nearest pool above and below the
 * price, funding, the open-interest trend, the price trend and how reliable the map is.
 */
export function QuickLook({ view, theme, scale }: { readonly view: EstimateView; readonly theme: ResolvedTheme; readonly scale?: HeatScale }) {
  const { above, below } = nearestPools(view.pools, view.price);
  return (
    <>
      <HeatmapCanvas heatmap={view.heatmap} width={MINI_HEATMAP.width} height={MINI_HEATMAP.height} theme={theme} {...(scale ? { scale } : {})} />
      <div class="pools">
        <p class="pool above" data-pool="above" {...(above ? { title: poolRange(above) } : {})}>
          ▲ {above ? poolLine(above, view.price) : 'no pool above'}
        </p>
        <p class="price">Price {fmtPrice(view.price)}</p>
        <p class="pool below" data-pool="below" {...(below ? { title: poolRange(below) } : {})}>
          ▼ {below ? poolLine(below, view.price) : 'no pool below'}
        </p>
      </div>
      <ContextRows view={view} />
      {view.stale ? <p class="error">The exchange could not be reached: showing the last bars held.</p> : null}
      <p class="note" title={view.notes?.join('\n')}>
        {view.lookback} estimate from public data; not the exchange's position book.
      </p>
    </>
  );
}
