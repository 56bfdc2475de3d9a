/**
 * The chart row: the heatmap with candles and axes, the latest map's side bars beside it on the
 * same price scale, and the hover tooltip (throttled to one update per frame).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { EstimateView } from '../../messaging/contract';
import type { HeatScale } from '../../render/color-scale';
import type { RealizedLiquidation } from '../../render/markers';
import { renderSideBarsRgba } from '../../render/side-bars';
import { fmtPct, fmtPrice, formatUsd, sideWord } from '../format';
import { HeatmapCanvas } from '../HeatmapCanvas';
import { type HoverInfo, hoverAt, type Plot } from './hover';
import type { PanelTheme } from './theme';
import { putRgba } from '../put-rgba';

export const HEATMAP_WIDTH = 340;
export const SIDE_WIDTH = 64;
export const CHART_HEIGHT = 220;

export interface ChartProps {
  readonly view: EstimateView;
  readonly theme: PanelTheme;
  readonly realized?: readonly RealizedLiquidation[];
  /** Drawn over the heatmap once its plot is known (the real-levels marks). */
  readonly overlay?: (plot: Plot) => ComponentChildren;
  /** The contrast control's scale. */
  readonly scale?: HeatScale;
}

export function Chart({ view, theme, realized, overlay, scale }: ChartProps) {
  const [plot, setPlot] = useState<Plot | undefined>(undefined);
  const [hover, setHover] = useState<{ info: HoverInfo; x: number; y: number } | undefined>(undefined);
  const side = useRef<HTMLCanvasElement>(null);
  const pending = useRef<{ x: number; y: number } | undefined>(undefined);
  const frame = useRef<number | undefined>(undefined);

  useEffect(() => {
    const element = side.current;
    const ctx = element?.getContext('2d');
    const map = view.latestMap;
    if (!element || !ctx || !plot) return;
    const raster = renderSideBarsRgba(map ?? { priceLow: 0, priceHigh: 0, long: [], short: [] }, {
      width: SIDE_WIDTH,
      height: CHART_HEIGHT,
      plotY: plot.y,
      plotHeight: plot.height,
      priceLow: view.heatmap.priceLow,
      priceHigh: view.heatmap.priceHigh,
      price: view.price,
      theme,
    });
    putRgba(ctx, raster);
    element.dataset['drawn'] = String(Date.now());
    element.title = `Now: about ${formatUsd(raster.cumulativeShort)} of shorts liquidated if price rises to the top of the chart, about ${formatUsd(raster.cumulativeLong)} of longs if it falls to the bottom (cumulative from the price)`;
  }, [view, plot, theme]);

  useEffect(() => () => {
    if (frame.current !== undefined) cancelAnimationFrame(frame.current);
  }, []);

  const onMove = (event: PointerEvent) => {
    const target = event.currentTarget as HTMLCanvasElement;
    const rect = target.getBoundingClientRect();
    pending.current = { x: event.clientX - rect.left, y: event.clientY - rect.top };
    if (frame.current !== undefined) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = undefined;
      const at = pending.current;
      if (!at || !plot) return;
      const info = hoverAt(view, plot, at.x, at.y);
      setHover(info ? { info, x: at.x, y: at.y } : undefined);
    });
  };
  const onLeave = () => {
    pending.current = undefined;
    setHover(undefined);
  };

  return (
    <div class="chart" onPointerMove={onMove} onPointerLeave={onLeave}>
      <HeatmapCanvas heatmap={view.heatmap} width={HEATMAP_WIDTH} height={CHART_HEIGHT} theme={theme} {...(realized ? { realized } : {})} {...(scale ? { scale } : {})} onPlot={setPlot} />
      {overlay && plot ? overlay(plot) : null}
      <canvas
        ref={side}
        class="side"
        width={SIDE_WIDTH}
        height={CHART_HEIGHT}
        role="img"
        aria-label="Latest estimated liquidation map: short liquidations above the price, long liquidations below, with cumulative curves"
      />
      {hover ? <Tooltip info={hover.info} x={hover.x} y={hover.y} /> : null}
    </div>
  );
}

export function Tooltip({ info, x, y }: { info: HoverInfo; x: number; y: number }) {
  const left = x > HEATMAP_WIDTH / 2 ? x - 176 : x + 12;
  const top = Math.min(Math.max(0, y - 30), CHART_HEIGHT - 88);
  const time = new Date(info.time).toISOString().slice(5, 16).replace('T', ' ');
  return (
    <div class="tooltip" role="tooltip" style={{ left: `${left}px`, top: `${top}px` }}>
      <div data-tip="price">
        If price reaches <b>{fmtPrice(info.price)}</b> <span class="muted">({fmtPct(info.distancePct)})</span>:
      </div>
      <div data-tip="sides">
        about <span class={info.side}>{formatUsd(info.cumulativeUsd)} of {sideWord(info.side)}</span> liquidated on the way <span class="muted">(cumulative from the price)</span>
      </div>
      <div class="muted" data-tip="cell">
        {time} UTC: about {formatUsd(info.cellUsd)} at this level
      </div>
    </div>
  );
}
