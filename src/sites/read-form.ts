/**
 * Reading an order form from the DOM by the selectors of one site: inputs found by selector or
 * by their label's text, choices (tabs, radios, toggle buttons) by their selected state. Works
 * on any DOM (the page, or linkedom in tests); reads values only, never writes.
 */
import type { Side } from '../engine/types';
import type { ChoiceLocator, FieldLocator, FormSize, OrderFormReading, OrderType, SiteAdapter, SiteSelectors, Selectors } from './types';

/** Attributes sites use to mark the selected tab, radio or toggle. */
const SELECTED = [
  '[aria-selected="true"]',
  '[aria-pressed="true"]',
  '[aria-checked="true"]',
  '[aria-current="true"]',
  '[data-state="active"]',
  '[data-state="on"]',
  '[data-state="checked"]',
  '[data-active="true"]',
  '[data-selected="true"]',
].join(',');

/** First element matching any of `selectors` (in their order) under `root`. */
export function first(root: ParentNode, selectors: Selectors): Element | null {
  for (const selector of selectors) {
    const found = root.querySelector(selector);
    if (found) return found;
  }
  return null;
}

/** Every element matching any of `selectors` under `root`, without repeats. */
export function all(root: ParentNode, selectors: Selectors): Element[] {
  const found = new Set<Element>();
  for (const selector of selectors) for (const el of root.querySelectorAll(selector)) found.add(el);
  return [...found];
}

function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function isField(el: Element): boolean {
  const tag = el.tagName.toLowerCase();
  return tag === 'input' || tag === 'select' || tag === 'textarea';
}

function byId(root: ParentNode, id: string): Element | null {
  return root.querySelector(`[id="${id.replace(/["\\]/g, '\\$&')}"]`);
}

/** The input a `<label>` names: by its `for`, or the one inside it. */
function labelledField(label: Element, form: Element): Element | null {
  const target = label.getAttribute('for');
  if (target) {
    const el = byId(form, target);
    if (el && isField(el)) return el;
  }
  return label.querySelector('input, select, textarea');
}

/** The input whose label, `aria-label` or `aria-labelledby` text matches `pattern`. */
export function fieldByLabel(form: Element, pattern: RegExp): Element | null {
  for (const el of form.querySelectorAll('input, select, textarea')) {
    const aria = el.getAttribute('aria-label');
    if (aria && pattern.test(aria)) return el;
    const ids = el.getAttribute('aria-labelledby');
    if (ids) {
      const joined = ids.split(/\s+/).map((id) => text(byId(form, id))).join(' ');
      if (pattern.test(joined)) return el;
    }
  }
  for (const label of form.querySelectorAll('label')) {
    // A label wrapping its input also holds the input's unit text; the label's own words lead.
    if (pattern.test(text(label))) {
      const el = labelledField(label, form);
      if (el) return el;
    }
  }
  return null;
}

/** The form's input for `locator`, or null. */
export function locateField(form: Element, locator: FieldLocator): Element | null {
  const bySelector = first(form, locator.selectors);
  if (bySelector) return bySelector;
  return locator.label ? fieldByLabel(form, locator.label) : null;
}

/** True when `el` is the selected one of its group (tab, radio, toggle, option). */
export function isSelected(el: Element): boolean {
  const tag = el.tagName.toLowerCase();
  if (tag === 'option') return (el as HTMLOptionElement).selected;
  if (tag === 'input') return (el as HTMLInputElement).checked;
  if (el.matches(SELECTED)) return true;
  // A checked radio inside a styled label.
  const input = el.querySelector('input[type="radio"], input[type="checkbox"]') as HTMLInputElement | null;
  return input?.checked === true;
}

/** Which option of a choice is selected; undefined when none (or more than one) is. */
export function readChoice<K extends string>(form: Element, choice: ChoiceLocator<K>): K | undefined {
  let picked: K | undefined;
  for (const key of Object.keys(choice.options) as K[]) {
    const el = first(form, choice.options[key]);
    if (el && isSelected(el)) {
      if (picked !== undefined) return undefined;
      picked = key;
    }
  }
  return picked;
}

/**
 * A positive number from a form or page text: `64,812.3`, `64 812.3`, `0.0123 BTC`, `20.00x`.
 * Undefined for empty or unparsable text.
 * @example parseAmount('64,812.3') // 64812.3
 */
export function parseAmount(raw: string | null | undefined): number | undefined {
  if (raw === null || raw === undefined) return undefined;
  const match = /[0-9][0-9,\s\u00a0\u202f']*(?:\.[0-9]+)?/.exec(raw);
  if (!match) return undefined;
  const value = Number(match[0].replace(/[,\s\u00a0\u202f']/g, ''));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** The value an input shows, or an element's text. */
function shown(el: Element): string {
  const tag = el.tagName.toLowerCase();
  if (tag === 'input' || tag === 'textarea') return (el as HTMLInputElement).value;
  if (tag === 'select') {
    const select = el as HTMLSelectElement;
    return text(select.selectedOptions?.[0] ?? select.querySelector('option[selected]') ?? select.querySelector('option'));
  }
  return text(el);
}

/** Leverage from `20x`, `20.00x`, `Cross 20X`, `×20`. */
export function parseLeverage(raw: string): number | undefined {
  const match = /(\d+(?:\.\d+)?)\s*[x×]|[x×]\s*(\d+(?:\.\d+)?)/i.exec(raw);
  const value = Number(match?.[1] ?? match?.[2]);
  return Number.isFinite(value) && value >= 1 ? value : undefined;
}

/** The side implied by the levels: a stop below the entry (or a take-profit above) is a long's. */
export function sideFromLevels(entry: number | undefined, stop: number | undefined, takeProfit: number | undefined): Side | undefined {
  if (entry === undefined) return undefined;
  if (stop !== undefined && stop !== entry) return stop < entry ? 'long' : 'short';
  if (takeProfit !== undefined && takeProfit !== entry) return takeProfit > entry ? 'long' : 'short';
  return undefined;
}

/** Reads `form` by `selectors`; null when the form cannot be read. */
export function readOrderForm(selectors: SiteSelectors, form: Element, doc: ParentNode): OrderFormReading | null {
  const type: OrderType | undefined = readChoice(form, selectors.orderType);
  if (type === undefined) return null;
  const priceField = locateField(form, selectors.price);
  if (type === 'limit' && !priceField) return null;
  const value = (locator: FieldLocator): number | undefined => {
    const el = locateField(form, locator);
    return el ? parseAmount(shown(el)) : undefined;
  };
  let entry: number | undefined;
  if (type === 'limit') {
    entry = priceField ? parseAmount(shown(priceField)) : undefined;
  } else {
    const last = first(doc, selectors.lastPrice);
    entry = last ? parseAmount(shown(last)) : undefined;
  }
  const stop = value(selectors.stop);
  const takeProfit = value(selectors.takeProfit);
  const leverageEl = first(form, selectors.leverage) ?? first(doc, selectors.leverage);
  const leverage = leverageEl ? parseLeverage(shown(leverageEl)) : undefined;
  const sizeAmount = value(selectors.size);
  const unitEl = first(form, selectors.sizeUnit);
  const size: FormSize | undefined = sizeAmount !== undefined ? { amount: sizeAmount, unit: unitEl ? shown(unitEl).toUpperCase() : '' } : undefined;
  const formSide = selectors.side ? readChoice(form, selectors.side) : undefined;
  const levelSide = formSide === undefined ? sideFromLevels(entry, stop, takeProfit) : undefined;
  const side = formSide ?? levelSide;
  return {
    type,
    entryFrom: type === 'limit' ? 'limit-price' : 'last-price',
    ...(side !== undefined ? { side, sideFrom: formSide !== undefined ? 'form' : 'levels' } : {}),
    ...(entry !== undefined ? { entry } : {}),
    ...(stop !== undefined ? { stop } : {}),
    ...(takeProfit !== undefined ? { takeProfit } : {}),
    ...(leverage !== undefined ? { leverage } : {}),
    ...(size !== undefined ? { size } : {}),
  } as OrderFormReading;
}

/**
 * The adapter for a site whose selectors say everything; sites with quirks wrap or override
 * its methods in their own adapter file.
 * @example const adapter = adapterFromSelectors(BYBIT_SELECTORS); adapter.read(adapter.findForm(document)!, document)
 */
export function adapterFromSelectors(selectors: SiteSelectors): SiteAdapter {
  return {
    exchange: selectors.exchange,
    selectors,
    findForm: (doc) => first(doc, selectors.form),
    read: (form, doc) => readOrderForm(selectors, form, doc),
    anchor: (form) => locateField(form, selectors.stop) ?? locateField(form, selectors.price),
    submitButtons: (form) => all(form, selectors.submit),
  };
}
