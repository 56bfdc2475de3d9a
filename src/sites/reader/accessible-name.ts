/**
 * The names an input goes by, as assistive technology would find them: `aria-labelledby`,
 * `aria-label`, `<label for>`, a wrapping `<label>` (visually hidden ones included: they are
 * in the DOM), the placeholder, the title, and the visible text just before the input. Exchanges
 * drop `name` attributes and test ids in redesigns, but keep these for screen readers and users.
 */
import { byId, textOf } from './dom';

/** Longest text taken as a name; longer runs are paragraphs, not labels. */
const MAX_NAME = 60;

function clean(text: string | null | undefined): string {
  const t = (text ?? '').replace(/\s+/g, ' ').trim();
  return t.length <= MAX_NAME ? t : '';
}

/** A label's own words, without the values of inputs it wraps. */
function labelText(label: Element): string {
  let out = '';
  for (const node of label.childNodes) {
    if (node.nodeType === 3) out += ` ${node.textContent ?? ''}`;
    else if (node.nodeType === 1 && !/^(input|select|textarea)$/i.test((node as Element).tagName)) out += ` ${(node as Element).textContent ?? ''}`;
  }
  return clean(out);
}

function hasField(el: Element): boolean {
  return /^(input|select|textarea)$/i.test(el.tagName) || el.querySelector('input, select, textarea') !== null;
}

/**
 * The text just before `input`: its previous siblings', then its ancestors' previous siblings',
 * up to `levels` levels, stopping at anything that holds another field (its text is that field's).
 */
function textBefore(input: Element, levels = 3): string {
  let node: Element | null = input;
  for (let level = 0; node && level < levels; level++, node = node.parentElement) {
    for (let prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
      if (hasField(prev)) return '';
      const text = clean(textOf(prev));
      if (text) return text;
    }
    // Bare text nodes in front of the input inside the same parent (`Price<input>`).
    let bare = '';
    for (let n = node.previousSibling; n; n = n.previousSibling) if (n.nodeType === 3) bare = `${n.textContent ?? ''} ${bare}`;
    if (clean(bare)) return clean(bare);
  }
  return '';
}

/**
 * Every name `input` goes by, strongest first, empty ones left out.
 * @example accessibleNames(document.querySelector('#limitPrice-123')!) // ['Price', 'USDT']
 */
export function accessibleNames(input: Element): string[] {
  const names: string[] = [];
  const add = (text: string | null | undefined) => {
    const t = clean(text);
    if (t && !names.includes(t)) names.push(t);
  };
  const ids = input.getAttribute('aria-labelledby');
  if (ids) add(ids.split(/\s+/).map((id) => textOf(byId(input, id))).join(' '));
  add(input.getAttribute('aria-label'));
  const id = input.getAttribute('id');
  const doc = input.ownerDocument;
  if (id && doc) {
    for (const label of doc.querySelectorAll(`label[for="${id.replace(/["\\]/g, '\\$&')}"]`)) add(labelText(label));
  }
  const wrapping = input.closest('label');
  if (wrapping) add(labelText(wrapping));
  add(input.getAttribute('placeholder'));
  add(input.getAttribute('title'));
  add(textBefore(input));
  return names;
}
