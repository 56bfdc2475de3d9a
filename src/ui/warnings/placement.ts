/**
 * Where the warning beside the order form goes: next to the field it is about, never over the
 * form's submit buttons (or the panel), inside the viewport when it can be.
 */

export interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

export interface PlacementInput {
  /** The warning's own size. */
  readonly size: { readonly width: number; readonly height: number };
  /** The field the warning is about (stop or price input). */
  readonly field: Box;
  /** The whole order form. */
  readonly form: Box;
  /** Boxes the warning should not cover: the submit buttons first, then others (the panel). */
  readonly avoid: readonly Box[];
  /** How many of `avoid`, from the start, must never be covered (default: all). */
  readonly required?: number;
  readonly viewport: { readonly width: number; readonly height: number };
  /** Space between the warning and what it sits beside (default 8 px). */
  readonly gap?: number;
}

/** True when two boxes overlap by any area. */
export function intersects(a: Box, b: Box): boolean {
  return a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;
}

function contains(outer: Box, inner: Box): boolean {
  return inner.left >= outer.left && inner.top >= outer.top && inner.left + inner.width <= outer.left + outer.width && inner.top + inner.height <= outer.top + outer.height;
}

function clampTop(top: number, height: number, viewportHeight: number): number {
  return Math.max(0, Math.min(top, viewportHeight - height));
}

/**
 * The warning's box, tried in order: left of the form, left of whatever covers that spot
 * (the panel), right of the form, under the field, above the field. Beside the form it starts level with the field and slides up or down past
 * whatever it would cover. The first box inside the viewport that covers nothing to avoid wins;
 * failing that, the first inside the viewport clear of the submit buttons (`avoid[0..required)`);
 * failing that, the left one level with the field.
 * @example placeWarning({ size: { width: 300, height: 90 }, field, form, avoid: [submit], viewport: { width: 1280, height: 800 } })
 */
export function placeWarning(input: PlacementInput): Box {
  const { size, field, form, avoid, viewport } = input;
  const gap = input.gap ?? 8;
  const { width, height } = size;
  const required = input.required ?? avoid.length;
  const tops = [
    field.top,
    field.top + field.height - height,
    ...avoid.map((other) => other.top - gap - height),
    ...avoid.map((other) => other.top + other.height + gap),
  ].map((top) => clampTop(top, height, viewport.height));
  // Left of the form, left of anything in the way there (the panel), right of the form.
  const covering = avoid.filter((other) => intersects(other, form) && !contains(form, other));
  const lefts = [form.left - gap - width, ...covering.map((other) => other.left - gap - width), form.left + form.width + gap];
  const candidates: Box[] = [
    ...lefts.flatMap((left) => tops.map((top) => ({ left, top, width, height }))),
    { left: field.left, top: field.top + field.height + gap, width, height },
    { left: field.left, top: field.top - gap - height, width, height },
  ];
  const inside = (box: Box): boolean => box.left >= 0 && box.top >= 0 && box.left + box.width <= viewport.width && box.top + box.height <= viewport.height;
  const clear = (box: Box, boxes: readonly Box[]): boolean => !boxes.some((other) => intersects(box, other));
  const must = avoid.slice(0, required);
  return candidates.find((b) => inside(b) && clear(b, avoid))
    ?? candidates.find((b) => inside(b) && clear(b, must))
    ?? candidates.find((b) => clear(b, must))
    ?? candidates[0]!;
}
