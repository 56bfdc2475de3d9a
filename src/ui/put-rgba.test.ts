import { describe, expect, it } from 'vitest';
import { putRgba, type RasterScope } from './put-rgba';

class FakeImageData {
  constructor(
    readonly data: Uint8ClampedArray,
    readonly width: number,
    readonly height: number,
  ) {}
}

function drawWith(scope: Partial<RasterScope>) {
  const drawn: { image: FakeImageData; x: number; y: number }[] = [];
  const ctx = { putImageData: (image: ImageData, x: number, y: number) => drawn.push({ image: image as unknown as FakeImageData, x, y }) };
  const raster = { width: 2, height: 1, data: new Uint8ClampedArray([1, 2, 3, 255, 4, 5, 6, 255]) };
  putRgba(ctx, raster, { ImageData: FakeImageData as unknown as RasterScope['ImageData'], window: {}, ...scope });
  return { drawn, raster };
}

describe('putRgba', () => {
  it('puts the raster as it is where there is no cloneInto (Chrome, extension pages)', () => {
    const { drawn, raster } = drawWith({});
    expect(drawn).toHaveLength(1);
    expect(drawn[0]).toMatchObject({ x: 0, y: 0, image: { width: 2, height: 1 } });
    expect(drawn[0]?.image.data).toBe(raster.data);
  });

  it("copies the buffer into the page's window first in a Firefox content script", () => {
    const page = {};
    const targets: object[] = [];
    const cloneInto = <T>(value: T, target: object): T => {
      targets.push(target);
      return new Uint8ClampedArray(value as Uint8ClampedArray) as T;
    };
    const { drawn, raster } = drawWith({ cloneInto, window: page });
    expect(targets).toHaveLength(1);
    expect(targets[0]).toBe(page);
    expect(drawn[0]?.image.data).not.toBe(raster.data);
    expect([...(drawn[0]?.image.data ?? [])]).toEqual([...raster.data]);
  });
});
