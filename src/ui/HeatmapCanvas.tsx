import { useEffect, useRef } from 'preact/hooks';
import type { HeatmapView } from '../messaging/contract';
import { renderHeatmapRgba } from '../render/heatmap-raster';
import { fromHeatmapView } from '../worker/compact';

export interface HeatmapCanvasProps {
  readonly heatmap: HeatmapView;
  readonly width: number;
  readonly height: number;
}

/** The heatmap raster (heat, candles, axes, legend) drawn into a canvas. */
export function HeatmapCanvas({ heatmap, width, height }: HeatmapCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const element = canvas.current;
    const ctx = element?.getContext('2d');
    if (!element || !ctx) return;
    const { heatmap: grid, candles } = fromHeatmapView(heatmap);
    const raster = renderHeatmapRgba(grid, candles, { width, height, theme: 'dark' });
    ctx.putImageData(new ImageData(raster.data as Uint8ClampedArray<ArrayBuffer>, raster.width, raster.height), 0, 0);
    element.dataset['drawn'] = String(Date.now());
  }, [heatmap, width, height]);
  return (
    <canvas
      ref={canvas}
      width={width}
      height={height}
      role="img"
      aria-label="Estimated liquidation heatmap: price up, time right, brighter means more estimated liquidations"
    />
  );
}
