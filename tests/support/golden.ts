/**
 * Golden-image comparison for the renderers: an RGBA image is compared with a committed PNG in
 * `tests/golden/` with a small per-channel tolerance. `UPDATE_GOLDEN=1` rewrites the goldens; a
 * failing comparison writes the actual image and a diff (mismatches in red over a faded copy of
 * the golden) to `tests/golden/failed/`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { RgbaImage } from '../../src/render/bitmap-font';
import { REPO_ROOT } from './recorded';

export const GOLDEN_DIR = join(REPO_ROOT, 'tests/golden');
export const FAILED_DIR = join(GOLDEN_DIR, 'failed');
export const UPDATE_GOLDEN = process.env['UPDATE_GOLDEN'] === '1';

export interface GoldenResult {
  readonly name: string;
  /** Pixels with a channel off by more than the tolerance. */
  readonly mismatched: number;
  readonly largestDelta: number;
  /** Set when the sizes differ or there is no golden. */
  readonly problem?: string;
  readonly updated: boolean;
}

export function encodePng(image: RgbaImage): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return PNG.sync.write(png);
}

/**
 * Compares `image` with `tests/golden/<name>.png` (per channel, `tolerance` levels of 255, default 2).
 * @example expect(matchGolden('grid-light', raster)).toMatchObject({ mismatched: 0 })
 */
export function matchGolden(name: string, image: RgbaImage, options: { readonly tolerance?: number; readonly failedDir?: string } = {}): GoldenResult {
  const tolerance = options.tolerance ?? 2;
  const failedDir = options.failedDir ?? FAILED_DIR;
  const path = join(GOLDEN_DIR, `${name}.png`);
  if (UPDATE_GOLDEN) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(path, encodePng(image));
    return { name, mismatched: 0, largestDelta: 0, updated: true };
  }
  if (!existsSync(path)) return fail(failedDir, name, image, undefined, `no golden ${name}.png (run with UPDATE_GOLDEN=1 to write it)`);
  const golden = PNG.sync.read(readFileSync(path));
  if (golden.width !== image.width || golden.height !== image.height) {
    return fail(failedDir, name, image, undefined, `size ${image.width}x${image.height}, golden ${golden.width}x${golden.height}`);
  }
  let mismatched = 0;
  let largestDelta = 0;
  const diff = new Uint8ClampedArray(image.data.length);
  for (let i = 0; i < image.data.length; i += 4) {
    let delta = 0;
    for (let c = 0; c < 4; c++) delta = Math.max(delta, Math.abs(image.data[i + c]! - golden.data[i + c]!));
    largestDelta = Math.max(largestDelta, delta);
    const bad = delta > tolerance;
    if (bad) mismatched++;
    const grey = (golden.data[i]! + golden.data[i + 1]! + golden.data[i + 2]!) / 3;
    diff[i] = bad ? 255 : 128 + grey / 4;
    diff[i + 1] = bad ? 0 : 128 + grey / 4;
    diff[i + 2] = bad ? 0 : 128 + grey / 4;
    diff[i + 3] = 255;
  }
  if (mismatched > 0) return fail(failedDir, name, image, { width: image.width, height: image.height, data: diff }, undefined, mismatched, largestDelta);
  return { name, mismatched, largestDelta, updated: false };
}

function fail(dir: string, name: string, actual: RgbaImage, diff: RgbaImage | undefined, problem?: string, mismatched = -1, largestDelta = -1): GoldenResult {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.actual.png`), encodePng(actual));
  if (diff) writeFileSync(join(dir, `${name}.diff.png`), encodePng(diff));
  return { name, mismatched, largestDelta, updated: false, ...(problem ? { problem } : {}) };
}
