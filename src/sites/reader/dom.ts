/**
 * Small DOM helpers of the reader. They work on the page and on linkedom (tests, the
 * `read-form` script), so they use only what both provide: no layout unless the browser has it.
 */
import type { Selectors } from '../types';

/** Text of an element with its whitespace collapsed. */
export function textOf(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** First element matching any of `selectors` (in their order) under `root`. */
export function first(root: ParentNode, selectors: Selectors): Element | null {
  for (const selector of selectors) {
    const found = root.querySelector(selector);
    if (found) return found;
  }
  return null;
}

/** Every element matching any of `selectors` under `root`, without repeats, in selector order. */
export function all(root: ParentNode, selectors: Selectors): Element[] {
  const found = new Set<Element>();
  for (const selector of selectors) for (const el of root.querySelectorAll(selector)) found.add(el);
  return [...found];
}

/** Element by id in `el`'s document (ids from `for` and `aria-labelledby`). */
export function byId(el: Element, id: string): Element | null {
  const doc = el.ownerDocument;
  if (doc && typeof doc.getElementById === 'function') return doc.getElementById(id);
  return null;
}

/** Inputs a user types numbers into: not checkboxes, radios, hidden or buttons. */
const NON_TEXT_INPUT = new Set(['checkbox', 'radio', 'hidden', 'button', 'submit', 'reset', 'range', 'file', 'image', 'color']);

export function isTextInput(el: Element): el is HTMLInputElement {
  return el.tagName.toLowerCase() === 'input' && !NON_TEXT_INPUT.has((el.getAttribute('type') ?? 'text').toLowerCase());
}

/**
 * False when the element or an ancestor is hidden by attribute or inline style; in a browser
 * also when it has no layout box. A saved page read outside a browser has no layout, so there
 * only the attributes count.
 */
export function isShown(el: Element): boolean {
  for (let node: Element | null = el; node; node = node.parentElement) {
    // Not `aria-hidden`: apps set it on their whole root while a popover is open.
    if (node.hasAttribute('hidden')) return false;
    const style = node.getAttribute('style');
    if (style && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style)) return false;
  }
  const check = (el as Element & { checkVisibility?: () => boolean }).checkVisibility;
  return typeof check === 'function' ? check.call(el) : true;
}

/** A class token that marks the picked tab or toggle: `active`, `tab-active`, `is-selected`, `by-checkbox--checked`. */
const ACTIVE_CLASS = /(?:^|[-_])(?:active|selected|checked|current)$/i;

/**
 * True when `el` is the picked one of its group (tab, radio, toggle): by ARIA state, a checked
 * input, or an active-style class, on the element or on the wrapper that holds only it.
 */
export function isSelected(el: Element): boolean {
  for (let node: Element | null = el, depth = 0; node && depth < 3; node = node.parentElement, depth++) {
    if (depth > 0 && textOf(node) !== textOf(el)) break;
    if (selectedByState(node)) return true;
  }
  return false;
}

function selectedByState(el: Element): boolean {
  for (const attr of ['aria-selected', 'aria-pressed', 'aria-checked', 'aria-current']) {
    const value = el.getAttribute(attr);
    if (value === 'true' || (attr === 'aria-current' && value !== null && value !== 'false')) return true;
  }
  const state = el.getAttribute('data-state');
  if (state === 'active' || state === 'on' || state === 'checked') return true;
  const tag = el.tagName.toLowerCase();
  if (tag === 'option') return (el as HTMLOptionElement).selected;
  if (tag === 'input') return (el as HTMLInputElement).checked;
  const input = el.querySelector('input[type="radio"], input[type="checkbox"]');
  if (input && (input as HTMLInputElement).checked) return true;
  for (const token of (el.getAttribute('class') ?? '').split(/\s+/)) if (ACTIVE_CLASS.test(token)) return true;
  return false;
}

/** Whether the element states a selection at all (so an unselected tab can be told from a plain button). */
export function hasSelectionState(el: Element): boolean {
  return ['aria-selected', 'aria-pressed', 'aria-checked'].some((a) => el.hasAttribute(a)) || /tab|radio|segment/i.test(el.getAttribute('role') ?? '');
}

const MAX_CONTROL_CHILDREN = 4;

/** Controls a form picks or submits with. */
export const CONTROLS = 'button, [role="tab"], [role="radio"], [role="button"], [role="buyer"], [role="seller"], [role="switch"], label, a, li, [class*="tab"], [class*="Tab"]';

/**
 * The controls under `root` whose own text matches `pattern` (short texts only); when no
 * control does, text-only `div`s and `span`s (tabs drawn without roles or tab-like classes).
 */
export function controlsByText(root: ParentNode, pattern: RegExp, maxLength: number): Element[] {
  return textControls(root, maxLength).find(pattern);
}

/** A root's short-texted controls, collected once and searched by several patterns. */
export interface TextControls {
  /** Controls whose text matches; when none does, text-only `div`s and `span`s that match. */
  find(pattern: RegExp): Element[];
}

interface Labelled {
  readonly el: Element;
  readonly text: string;
}

function shortTexts(elements: Iterable<Element>, maxChildren: number, maxLength: number): Labelled[] {
  const out: Labelled[] = [];
  for (const el of elements) {
    // A control holds a few elements at most: containers matched by a `tab`-like class (tables,
    // tab bars) are skipped before their text, which can be a whole order book, is built.
    if (el.childElementCount > maxChildren) continue;
    const text = textOf(el);
    if (text.length > 0 && text.length <= maxLength) out.push({ el, text });
  }
  return out;
}

/**
 * The controls under `root` with a short text, for searching by several patterns in one pass
 * over the DOM.
 */
export function textControls(root: ParentNode, maxLength: number): TextControls {
  const controls = shortTexts(root.querySelectorAll(CONTROLS), MAX_CONTROL_CHILDREN, maxLength);
  let leaves: Labelled[] | undefined;
  return {
    find(pattern) {
      const out = controls.filter((c) => pattern.test(c.text)).map((c) => c.el);
      if (out.length > 0) return out;
      leaves ??= shortTexts(root.querySelectorAll('div, span'), 0, maxLength);
      return leaves.filter((c) => pattern.test(c.text)).map((c) => c.el);
    },
  };
}

/** The value an input shows, or an element's text (a select's picked option). */
export function shown(el: Element): string {
  const tag = el.tagName.toLowerCase();
  if (tag === 'input' || tag === 'textarea') return (el as HTMLInputElement).value ?? el.getAttribute('value') ?? '';
  if (tag === 'select') {
    const select = el as HTMLSelectElement;
    return textOf(select.selectedOptions?.[0] ?? select.querySelector('option[selected]') ?? select.querySelector('option'));
  }
  return textOf(el);
}
