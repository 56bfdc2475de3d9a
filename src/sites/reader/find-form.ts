/**
 * Finds the order form by what it must hold: a control for each side (Buy/Long and Sell/Short
 * buttons or tabs) and an input named price, size, amount or quantity, taking the smallest
 * container that holds them. The site's container selector is tried first, as a shortcut, and
 * kept only when it holds those parts too.
 */
import type { SiteSelectors } from '../types';
import { all, controlsByText, first, isShown, isTextInput } from './dom';
import { roleOf } from './layout';
import { LONG_TEXT, MAX_CONTROL_TEXT, SHORT_TEXT } from './vocabulary';

function sideControls(root: ParentNode, selectors: SiteSelectors, side: 'long' | 'short'): Element[] {
  const bySelector = selectors.side ? all(root, selectors.side.options[side]) : [];
  return [...bySelector, ...controlsByText(root, side === 'long' ? LONG_TEXT : SHORT_TEXT, MAX_CONTROL_TEXT)];
}

/** Inputs that read as the order's price or size: the site's selectors, then accessible names. */
function entryInputs(root: ParentNode, selectors: SiteSelectors): Element[] {
  // Hidden copies of a pane are no form.
  const found = all(root, [...selectors.price.selectors, ...selectors.size.selectors]).filter(isShown);
  if (found.length > 0) return found;
  const out: Element[] = [];
  for (const input of root.querySelectorAll('input')) {
    if (!isTextInput(input) || !isShown(input)) continue;
    const role = roleOf(input, { price: selectors.price, size: selectors.size });
    if (role === 'price' || role === 'size') out.push(input);
  }
  return out;
}

/** True when `el` holds a long control, a short control and a price or size input. */
function holdsForm(el: Element, selectors: SiteSelectors): boolean {
  return sideControls(el, selectors, 'long').length > 0 && sideControls(el, selectors, 'short').length > 0 && entryInputs(el, selectors).length > 0;
}

/**
 * The order form on `doc`: the smallest container holding both sides' controls and a price or
 * size input; null when the page shows none.
 * @example findOrderForm(document, BYBIT_SELECTORS)
 */
export function findOrderForm(doc: ParentNode, selectors: SiteSelectors): Element | null {
  const shortcut = first(doc, selectors.form);
  if (shortcut && holdsForm(shortcut, selectors)) return shortcut;
  const longs = sideControls(doc, selectors, 'long');
  const shorts = sideControls(doc, selectors, 'short');
  if (longs.length === 0 || shorts.length === 0) return null;
  let best: { el: Element; depth: number } | null = null;
  for (const input of entryInputs(doc, selectors)) {
    for (let el = input.parentElement; el; el = el.parentElement) {
      if (longs.some((c) => el!.contains(c)) && shorts.some((c) => el!.contains(c))) {
        // The whole page is no order form: its header's Buy and Sell links are not the form's.
        if (isPage(el)) break;
        // The deepest such container of all the inputs: the smallest one holding a whole form.
        const level = ancestorsOf(el);
        if (!best || level > best.depth) best = { el, depth: level };
        break;
      }
    }
  }
  return best?.el ?? null;
}

/** Most text inputs an order form holds (price, size, trigger, TP/SL, their percentages). */
const MAX_FORM_INPUTS = 24;

function isPage(el: Element): boolean {
  const tag = el.tagName.toLowerCase();
  return tag === 'body' || tag === 'html' || el.getElementsByTagName('input').length > MAX_FORM_INPUTS;
}

function ancestorsOf(el: Element): number {
  let n = 0;
  for (let p = el.parentElement; p; p = p.parentElement) n++;
  return n;
}
