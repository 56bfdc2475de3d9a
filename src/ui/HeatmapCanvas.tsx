import { useEffect, useRef } from 'preact/hooks';
import type { HeatmapView } from '../messaging/contract';
import { renderHeatmapRgba } from '../render/heatmap-raster';
import { drawRealizedMarkers, type RealizedLiquidation } from '../render/markers';
import { fromHeatmapView } from '../worker/compact';
import type { Plot } from './panel/hover';

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
 * from a precomputed RGBA buffer in one `putImageData`.
 */
export function HeatmapCanvas({ heatmap, width, height, theme = 'dark', realized, onPlot }: HeatmapCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const element = canvas.current;
    const ctx = element?.getContext('2d');
    if (!element || !ctx) return;
    const { heatmap: grid, candles } = fromHeatmapView(heatmap);
    const raster = renderHeatmapRgba(grid, candles, { width, height, theme });
    let markers = 0;
    if (realized && realized.length > 0) {
      markers = drawRealizedMarkers(raster, { ...raster.plot, ...heatmap }, realized);
    }
    ctx.putImageData(new ImageData(raster.data as Uint8ClampedArray<ArrayBuffer>, raster.width, raster.height), 0, 0);
    element.dataset['drawn'] = String(Date.now());
    element.dataset['markers'] = String(markers);
    onPlot?.(raster.plot);
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
