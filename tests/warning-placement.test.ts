import { describe, expect, it } from 'vitest';
import { type Box, intersects, placeWarning } from '../src/ui/warnings/placement';

const viewport = { width: 1280, height: 800 };
const size = { width: 300, height: 120 };
const form: Box = { left: 980, top: 100, width: 300, height: 340 };
const field: Box = { left: 992, top: 300, width: 276, height: 32 };
const submit: Box = { left: 992, top: 380, width: 276, height: 36 };

describe('placeWarning', () => {
  it('sits left of a form on the right of the page, level with the field', () => {
    const box = placeWarning({ size, field, form, avoid: [submit], viewport });
    expect(box).toEqual({ left: 672, top: 300, width: 300, height: 120 });
    expect(intersects(box, submit)).toBe(false);
  });

  it('moves right of a form on the left of the page', () => {
    const left: Box = { left: 0, top: 100, width: 300, height: 340 };
    const box = placeWarning({ size, field: { ...field, left: 12 }, form: left, avoid: [submit], viewport });
    expect(box.left).toBe(308);
  });

  it('never covers a submit button, even when the only room is under the field', () => {
    const wide: Box = { left: 0, top: 100, width: 1280, height: 400 };
    const f: Box = { left: 12, top: 150, width: 276, height: 32 };
    const buttonBelow: Box = { left: 12, top: 190, width: 276, height: 36 };
    const box = placeWarning({ size, field: f, form: wide, avoid: [buttonBelow], viewport });
    expect(intersects(box, buttonBelow)).toBe(false);
  });

  it('keeps inside the viewport vertically', () => {
    const low: Box = { ...field, top: 760 };
    const box = placeWarning({ size, field: low, form, avoid: [], viewport });
    expect(box.top + box.height).toBeLessThanOrEqual(800);
  });

  it('also keeps clear of the panel', () => {
    const panel: Box = { left: 880, top: 280, width: 384, height: 500 };
    const box = placeWarning({ size, field, form, avoid: [submit, panel], viewport });
    expect(intersects(box, panel)).toBe(false);
    expect(intersects(box, submit)).toBe(false);
  });
});

describe('placeWarning around a panel over the form', () => {
  it('goes left of the panel when the panel covers the spot left of the form', () => {
    const panel: Box = { left: 832, top: 8, width: 432, height: 780 };
    const box = placeWarning({ size, field, form, avoid: [submit, panel], required: 1, viewport });
    expect(box.left).toBe(832 - 8 - 300);
    expect(box.top).toBe(300);
    expect(intersects(box, panel)).toBe(false);
  });
});
