/**
 * Finds the order form by what it must hold: a control for each side (Buy/Long and Sell/Short
 * buttons or tabs) and an input named price, size, amount or quantity, taking the smallest
 * container that holds them. Logged out, several exchanges replace the side buttons with a
 * "Log in" link (OKX: SITES-EVIDENCE.md), so a container holding the Limit and Market tabs and
 * such an input is taken when no side controls are found. The site's container selector is
 * tried first, as a shortcut, and kept only when it holds those parts too.
 */
import type { SiteSelectors } from '../types';
import { all, first, isShown, isTextInput, type TextControls, textControls } from './dom';
import { roleOf } from './layout';
import { LIMIT_TEXT, LONG_TEXT, MARKET_TEXT, MAX_CONTROL_TEXT, SHORT_TEXT } from './vocabulary';

/** Two groups of controls a form holds one of each of. */
type Pair = readonly [readonly Element[], readonly Element[]];

type Selectors = readonly string[];

function controls(root: ParentNode, texts: TextControls, selectors: Selectors | undefined, pattern: RegExp): Element[] {
  return [...(selectors ? all(root, selectors) : []), ...texts.find(pattern)];
}

function sides(root: ParentNode, texts: TextControls, selectors: SiteSelectors): Pair {
  return [controls(root, texts, selectors.side?.options.long, LONG_TEXT), controls(root, texts, selectors.side?.options.short, SHORT_TEXT)];
}

function orderTypes(root: ParentNode, texts: TextControls, selectors: SiteSelectors): Pair {
  return [controls(root, texts, selectors.orderType?.options.limit, LIMIT_TEXT), controls(root, texts, selectors.orderType?.options.market, MARKET_TEXT)];
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

const holds = (el: Element, [a, b]: Pair): boolean => a.some((c) => el.contains(c)) && b.some((c) => el.contains(c));

/** Most text inputs an order form holds (price, size, trigger, TP/SL, their percentages). */
const MAX_FORM_INPUTS = 24;

function isPage(el: Element): boolean {
  const tag = el.tagName.toLowerCase();
  return tag === 'body' || tag === 'html' || el.getElementsByTagName('input').length > MAX_FORM_INPUTS;
}

/** How far above an input its form's side buttons are looked for first. */
const NEAR_LEVELS = 8;

function ancestorAt(el: Element, levels: number): Element | null {
  let node: Element | null = el;
  for (let i = 0; i < levels && node?.parentElement; i++) node = node.parentElement;
  return node === el ? null : node;
}

function depthOf(el: Element): number {
  let n = 0;
  for (let p = el.parentElement; p; p = p.parentElement) n++;
  return n;
}

/** Every ancestor of `elements` (and themselves): one walk each, so a container test is a set lookup. */
function ancestorsOf(elements: readonly Element[]): Set<Element> {
  const out = new Set<Element>();
  for (const el of elements) {
    for (let node: Element | null = el; node && !out.has(node); node = node.parentElement) out.add(node);
  }
  return out;
}

/** The deepest container, over all `inputs`, of an input and one control of each group of `pair`. */
function smallestHolding(inputs: readonly Element[], pair: Pair): Element | null {
  if (pair[0].length === 0 || pair[1].length === 0) return null;
  const first = ancestorsOf(pair[0]);
  const second = ancestorsOf(pair[1]);
  let best: { el: Element; depth: number } | null = null;
  for (const input of inputs) {
    for (let el = input.parentElement; el; el = el.parentElement) {
      if (!first.has(el) || !second.has(el)) continue;
      // The whole page is no order form: its header's Buy and Sell links are not the form's.
      if (isPage(el)) break;
      const depth = depthOf(el);
      if (!best || depth > best.depth) best = { el, depth };
      break;
    }
  }
  return best?.el ?? null;
}

/**
 * The order form on `doc`: the smallest container holding both sides' controls (else the Limit
 * and Market tabs) and a price or size input; null when the page shows none.
 * @example findOrderForm(document, BYBIT_SELECTORS)
 */
export function findOrderForm(doc: ParentNode, selectors: SiteSelectors): Element | null {
  const shortcut = first(doc, selectors.form);
  if (shortcut && entryInputs(shortcut, selectors).length > 0) {
    const texts = textControls(shortcut, MAX_CONTROL_TEXT);
    if (holds(shortcut, sides(shortcut, texts, selectors)) || holds(shortcut, orderTypes(shortcut, texts, selectors))) return shortcut;
  }
  const inputs = entryInputs(doc, selectors);
  if (inputs.length === 0) return null;
  // First around the inputs (a few levels up), so a search need not build the text of every
  // control of the page; the whole document only when the form reaches further.
  const near = ancestorAt(inputs[0]!, NEAR_LEVELS);
  if (near && !isPage(near)) {
    const found = smallestHolding(inputs.filter((i) => near.contains(i)), sides(near, textControls(near, MAX_CONTROL_TEXT), selectors));
    if (found) return found;
  }
  const texts = textControls(doc, MAX_CONTROL_TEXT);
  return smallestHolding(inputs, sides(doc, texts, selectors)) ?? smallestHolding(inputs, orderTypes(doc, texts, selectors));
}
