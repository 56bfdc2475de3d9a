import { useEffect, useRef } from 'preact/hooks';
import type { HeatmapView } from '../messaging/contract';
import { type HeatmapRaster, renderHeatmapSteps } from '../render/heatmap-raster';
import { drawRealizedMarkers, type RealizedLiquidation } from '../render/markers';
import { fromHeatmapView } from '../worker/compact';
import type { Plot } from './panel/hover';
import { runSliced } from './panel/next-task';
import { putRgba } from './put-rgba';

export interface HeatmapCanvasProps {
  readonly heatmap: HeatmapView;
  readonly width: number;
  readonly height: number;
  readonly theme?: 'dark' | 'light';
  /** Realized liquidations from the live stream, drawn as markers. */
  readonly realized?: readonly RealizedLiquidation[];
  /** Told where the heat plot lies after each draw (for the side bars and the tooltip). */
  readonly onPlot?: (plot: Plot) => void;
}

/**
 * The heatmap raster (heat, candles, axes, legend, realized liquidations) drawn into a canvas
 * from a precomputed RGBA buffer in one `putImageData`, the buffer computed over several short tasks.
 */
export function HeatmapCanvas({ heatmap, width, height, theme = 'dark', realized, onPlot }: HeatmapCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    // Drawn after the render that brought the new map, a few steps of the raster per task: on
    // the exchange's page each stays a short task.
    function* draw(): Generator<void, HeatmapRaster, void> {
      const { heatmap: grid, candles } = fromHeatmapView(heatmap);
      yield;
      return yield* renderHeatmapSteps(grid, candles, { width, height, theme });
    }
    return runSliced(draw(), (raster) => {
      const element = canvas.current;
      const ctx = element?.getContext('2d');
      if (!element || !ctx) return;
      const markers = realized && realized.length > 0 ? drawRealizedMarkers(raster, { ...raster.plot, ...heatmap }, realized) : [];
      putRgba(ctx, raster);
      element.dataset['drawn'] = String(Date.now());
      element.dataset['markers'] = String(markers.length);
      // The markers as drawn (centre, edge, side, event), and the window they were drawn for: what
      // browser tests compare with the stream and with the canvas's pixels.
      element.dataset['markerList'] = JSON.stringify(markers.map((m) => [m.x, m.y, m.size, m.side, m.timestamp, m.price]));
      element.dataset['markerWindow'] = JSON.stringify([heatmap.firstTimestamp, heatmap.firstTimestamp + heatmap.columns * heatmap.columnMs, heatmap.priceLow, heatmap.priceHigh]);
      onPlot?.(raster.plot);
    });
  }, [heatmap, width, height, theme, realized]);
  return (
    <canvas
      ref={canvas}
      width={width}
      height={height}
      data-theme={theme}
      role="img"
      aria-label="Estimated liquidation heatmap: price up, time right, brighter means more estimated liquidations"
    />
  );
}
