import { useEffect, useRef } from 'preact/hooks';
import type { HeatmapView } from '../messaging/contract';
import { type HeatmapRaster, type HeatScale, renderHeatmapSteps } from '../render/heatmap-raster';
import { drawRealizedMarkers, type RealizedLiquidation } from '../render/markers';
import { fromHeatmapView } from '../worker/compact';
import type { Plot } from './panel/hover';
import { runSliced } from './panel/next-task';
import { putRgba } from './put-rgba';
import { sameHeatmapView } from './same-heatmap';

export interface HeatmapCanvasProps {
  readonly heatmap: HeatmapView;
  readonly width: number;
  readonly height: number;
  readonly theme?: 'dark' | 'light';
  /** Realized liquidations from the live stream, drawn as markers. */
  readonly realized?: readonly RealizedLiquidation[];
  /** Told where the heat plot lies after each draw (for the side bars and the tooltip). */
  readonly onPlot?: (plot: Plot) => void;
  /** The contrast control's threshold and locked top (default: the default threshold, unlocked). */
  readonly scale?: HeatScale;
}

/**
 * The heatmap raster (heat, candles, axes, legend, realized liquidations) drawn into a canvas
 * from a precomputed RGBA buffer in one `putImageData`, the buffer computed over several short tasks.
 * A view whose heatmap equals the one drawn (the background's refresh of held bars found nothing
 * new; a realized liquidation arrived) keeps the raster: only the markers are drawn again.
 */
export function HeatmapCanvas({ heatmap, width, height, theme = 'dark', realized, onPlot, scale }: HeatmapCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawnHeatmap = useRef<HeatmapView>(heatmap);
  if (drawnHeatmap.current !== heatmap && !sameHeatmapView(drawnHeatmap.current, heatmap)) drawnHeatmap.current = heatmap;
  const stableHeatmap = drawnHeatmap.current;
  const raster = useRef<HeatmapRaster | undefined>(undefined);
  const markers = useRef(realized);
  markers.current = realized;

  /** The raster with the current markers over a copy of it, into the canvas. */
  const paint = (): void => {
    const element = canvas.current;
    const ctx = element?.getContext('2d');
    const base = raster.current;
    if (!element || !ctx || !base) return;
    const events = markers.current ?? [];
    const image = events.length > 0 ? { ...base, data: base.data.slice() } : base;
    const drawn = events.length > 0 ? drawRealizedMarkers(image, { ...base.plot, ...stableHeatmap }, events) : [];
    putRgba(ctx, image);
    element.dataset['drawn'] = String(Date.now());
    element.dataset['markers'] = String(drawn.length);
    // The markers as drawn (centre, edge, side, event), and the window they were drawn for: what
    // browser tests compare with the stream and with the canvas's pixels.
    element.dataset['markerList'] = JSON.stringify(drawn.map((m) => [m.x, m.y, m.size, m.side, m.timestamp, m.price]));
    element.dataset['markerWindow'] = JSON.stringify([stableHeatmap.firstTimestamp, stableHeatmap.firstTimestamp + stableHeatmap.columns * stableHeatmap.columnMs, stableHeatmap.priceLow, stableHeatmap.priceHigh]);
  };

  useEffect(() => {
    // Drawn after the render that brought the new map, a few steps of the raster per task: on
    // the exchange's page each stays a short task.
    function* draw(): Generator<void, HeatmapRaster, void> {
      const { heatmap: grid, candles } = fromHeatmapView(stableHeatmap);
      yield;
      // The view's intensities are the raster's colour levels already: its cells are not read.
      const levels = { intensity: stableHeatmap.intensity, maxValue: stableHeatmap.maxCellUsd };
      return yield* renderHeatmapSteps(grid, candles, { width, height, theme, levels, ...(scale ? { scale } : {}) });
    }
    raster.current = undefined;
    return runSliced(draw(), (done) => {
      raster.current = done;
      paint();
      onPlot?.(done.plot);
    });
  }, [stableHeatmap, width, height, theme, scale?.threshold, scale?.topUsd]);

  // New realized liquidations over the raster already drawn (the raster's own draw paints them too).
  useEffect(() => {
    paint();
  }, [realized]);

  return (
    <canvas
      ref={canvas}
      width={width}
      height={height}
      data-theme={theme}
      role="img"
      aria-label="Estimated liquidation heatmap: price up, time right; brighter means more USD of positions that would be liquidated at that price level"
    />
  );
}
