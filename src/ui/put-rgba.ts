/**
 * Draws a precomputed RGBA raster into a canvas in one `putImageData`, also from a Firefox content
 * script: there the buffer belongs to the extension's sandbox, and the page's canvas refuses to
 * read it ("Failed to extract Uint8ClampedArray from ImageData (security check failed?)"), so the
 * panel's heatmap stayed blank. Firefox's `cloneInto` copies it into the page first (a 600×300
 * raster in ~2 ms; writing it element by element through the page's wrapper took ~0.5 s).
 */
import type { RgbaImage } from '../render/bitmap-font';

/** What `putRgba` takes from the global scope (injectable for tests). */
export interface RasterScope {
  readonly ImageData: new (data: Uint8ClampedArray<ArrayBuffer>, width: number, height: number) => ImageData;
  readonly window: object;
  /** Firefox content scripts only: a structured copy owned by `target`'s compartment. */
  readonly cloneInto?: <T>(value: T, target: object) => T;
}

export function putRgba(ctx: Pick<CanvasRenderingContext2D, 'putImageData'>, raster: RgbaImage, scope: RasterScope = globalThis as unknown as RasterScope): void {
  const own = raster.data as Uint8ClampedArray<ArrayBuffer>;
  const data = typeof scope.cloneInto === 'function' ? scope.cloneInto(own, scope.window) : own;
  ctx.putImageData(new scope.ImageData(data, raster.width, raster.height), 0, 0);
}
