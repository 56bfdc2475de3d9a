/**
 * The full view's heat raster, computed once per estimate with the shared renderer
 * (src/render/heatmap-raster.ts, so its colour scale is the panel's) at one pixel per heatmap cell
 * (at most 4096 a side), without axes or candles: the frame draws it scaled through the current
 * window with nearest-neighbour sampling, so a cell stays a sharp block at any zoom and the cells
 * are never recomputed while panning. The contrast control's scale is baked into the raster: a
 * moved threshold builds the raster again, a frame never recolours cells.
 */
import type { HeatmapView } from '../../messaging/contract';
import type { HeatScale } from '../../render/color-scale';
import { type HeatmapRaster, renderHeatmapSteps } from '../../render/heatmap-raster';
import { fromHeatmapView } from '../../worker/compact';
import { runSliced } from '../panel/next-task';
import { putRgba } from '../put-rgba';
import type { HeatLayer } from './draw';

/** Largest side of the raster, pixels. */
export const MAX_LAYER_SIDE = 4096;

/** The raster's size for a heatmap: a pixel per column and per price row, within the cap. */
export function layerSize(heatmap: Pick<HeatmapView, 'columns' | 'rows'>): { width: number; height: number } {
  return { width: Math.max(1, Math.min(MAX_LAYER_SIDE, heatmap.columns)), height: Math.max(1, Math.min(MAX_LAYER_SIDE, heatmap.rows)) };
}

/**
 * Builds the layer in short slices; `done` gets it. Returns the function that stops building.
 * @example const stop = buildHeatLayer(view.heatmap, 'dark', { threshold: 0.2 }, (layer) => redraw(layer));
 */
export function buildHeatLayer(heatmap: HeatmapView, theme: 'dark' | 'light', scale: HeatScale | undefined, done: (layer: HeatLayer) => void): () => void {
  function* steps(): Generator<void, HeatmapRaster, void> {
    const { heatmap: grid } = fromHeatmapView(heatmap);
    yield;
    const levels = { intensity: heatmap.intensity, maxValue: heatmap.maxCellUsd };
    return yield* renderHeatmapSteps(grid, [], { ...layerSize(heatmap), theme, axes: false, levels, ...(scale ? { scale } : {}) });
  }
  return runSliced(steps(), (raster) => {
    const canvas = document.createElement('canvas');
    canvas.width = raster.width;
    canvas.height = raster.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    putRgba(ctx, raster);
    done({ image: canvas, width: raster.width, height: raster.height });
  }, 8);
}
