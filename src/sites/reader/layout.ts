/**
 * Where the parts of one order form are: its inputs by role (site selector first, then the
 * input's accessible name), its side and order-type controls, the leverage display and the size
 * unit switch. Found once per form and kept until one of them leaves the form or the number of
 * inputs changes (a TP/SL box opening), so a keystroke costs a few value reads, not a search.
 */
import type { ChoiceLocator, FieldLocator, SiteSelectors } from '../types';
import { accessibleNames } from './accessible-name';
import { all, controlsByText, isShown, isTextInput, shown, textOf } from './dom';
import { parseMarginMode, parseSizeUnit } from './parse';
import { FIELD_NAMES, FIELD_ROLES, type FieldRole, LEVERAGE_TEXT, LIMIT_TEXT, LONG_TEXT, MARGIN_MODE_TEXT, MARKET_TEXT, MAX_CONTROL_TEXT, SHORT_TEXT, SUBMIT_TEXT } from './vocabulary';

export interface FormLayout {
  readonly fields: Readonly<Partial<Record<FieldRole, Element>>>;
  /** Controls naming each side (tabs, toggles, buttons). */
  readonly longControls: readonly Element[];
  readonly shortControls: readonly Element[];
  /** Order-type tabs. */
  readonly limitControls: readonly Element[];
  readonly marketControls: readonly Element[];
  readonly leverage: Element | null;
  /** Controls showing the margin mode on their own (`Cross`), where the leverage's text does not. */
  readonly marginModes: readonly Element[];
  readonly sizeUnit: Element | null;
  readonly submit: readonly Element[];
}

interface Cached {
  readonly layout: FormLayout;
  readonly inputCount: number;
  readonly held: readonly Element[];
}

const cache = new WeakMap<Element, WeakMap<SiteSelectors, Cached>>();

function inputCount(form: Element): number {
  return form.getElementsByTagName('input').length;
}

/**
 * The form's input for each role: by the site's selectors, else by accessible name. Shown inputs
 * come first: pages keep hidden copies of their panes (Binance leaves replaced form nodes in the
 * document during transitions, jackhai9/userscripts `dom/trade-form.js`, 2026).
 */
function locateFields(form: Element, selectors: SiteSelectors): Partial<Record<FieldRole, Element>> {
  const out: Partial<Record<FieldRole, Element>> = {};
  const taken = new Set<Element>();
  const locators: Record<FieldRole, FieldLocator> = { stop: selectors.stop, takeProfit: selectors.takeProfit, price: selectors.price, size: selectors.size };
  for (const role of FIELD_ROLES) {
    const found = all(form, locators[role].selectors).filter((el) => !taken.has(el));
    const el = found.find(isShown) ?? found[0];
    if (el) {
      out[role] = el;
      taken.add(el);
    }
  }
  const inputs = [...form.querySelectorAll('input, textarea')].filter((el) => !taken.has(el) && (el.tagName.toLowerCase() !== 'input' || isTextInput(el)));
  const shownFirst = [...inputs.filter(isShown), ...inputs.filter((el) => !isShown(el))];
  for (const input of shownFirst) {
    const role = roleOf(input, locators, out);
    if (role) {
      out[role] = input;
      taken.add(input);
    }
  }
  return out;
}

/** The role an input's names give it: its strongest name that names any role still open decides. */
export function roleOf(input: Element, locators: Partial<Record<FieldRole, FieldLocator>> = {}, found: Partial<Record<FieldRole, Element>> = {}): FieldRole | undefined {
  for (const name of accessibleNames(input)) {
    for (const role of FIELD_ROLES) {
      const pattern = locators[role]?.label ?? FIELD_NAMES[role];
      if (pattern.test(name)) return found[role] ? undefined : role;
    }
  }
  return undefined;
}

/** Controls for a choice: the site's selectors, else controls whose text matches. */
function choiceControls(form: Element, choice: ChoiceLocator<string> | undefined, key: string, pattern: RegExp): Element[] {
  const bySelector = choice?.options[key] ? all(form, choice.options[key]!) : [];
  return bySelector.length > 0 ? bySelector : controlsByText(form, pattern, MAX_CONTROL_TEXT);
}

/**
 * The element showing the leverage: the site's selectors, else a control (or leaf) reading like
 * `20x`, in the form or, where the form's header sits apart (Hyperliquid's `Cross`/`20x` row),
 * in its parent; never in a table (a positions table lists each position's leverage).
 */
function locateLeverage(form: Element, selectors: SiteSelectors): Element | null {
  for (const el of all(form, selectors.leverage)) if (/\d\s*[x×]|[x×]\s*\d/i.test(textOf(el))) return el;
  for (let root: Element | null = form, level = 0; root && level < 2; root = root.parentElement, level++) {
    if (root.tagName.toLowerCase() === 'body') break;
    const control = controlsByText(root, LEVERAGE_TEXT, MAX_CONTROL_TEXT).find((el) => !inTable(el));
    if (control) return control;
    for (const el of root.querySelectorAll('span, div, b, strong')) {
      if (el.childElementCount === 0 && LEVERAGE_TEXT.test(textOf(el)) && !inTable(el)) return el;
    }
  }
  return null;
}

function inTable(el: Element): boolean {
  return el.closest('table, [role="table"], [role="grid"]') !== null;
}

/**
 * Controls reading only a margin mode (`Cross`, `Isolated`, `全仓`), searched where the leverage
 * is: in the form, else in its parent (Hyperliquid's `Cross` / `20x` row), never in a table (a
 * positions table names each position's mode). None when the leverage's own text names the mode.
 */
function locateMarginModes(form: Element, leverage: Element | null): Element[] {
  if (leverage && parseMarginMode(shown(leverage))) return [];
  for (let root: Element | null = form, level = 0; root && level < 2; root = root.parentElement, level++) {
    if (root.tagName.toLowerCase() === 'body') break;
    const controls = controlsByText(root, MARGIN_MODE_TEXT, MAX_CONTROL_TEXT).filter((el) => !inTable(el));
    if (controls.length > 0) return controls;
  }
  return [];
}

/**
 * The size field's unit switch: the first of the site's selector, a button, select or combobox in
 * the size field's box, or a suffix after the input, whose text names a unit.
 */
function locateSizeUnit(form: Element, selectors: SiteSelectors, size: Element | undefined): Element | null {
  for (const el of all(form, selectors.sizeUnit)) if (parseSizeUnit(shown(el))) return el;
  if (!size) return null;
  // The size field's own box: the nearest ancestor holding only this input.
  let box: Element | null = size.parentElement;
  for (let level = 0; box && level < 3; level++) {
    const parent: Element | null = box.parentElement;
    if (!parent || parent.getElementsByTagName('input').length > 1 || parent === form) break;
    box = parent;
  }
  if (!box) return null;
  for (const el of box.querySelectorAll('button, select, [role="button"], [role="combobox"], [aria-haspopup]')) if (parseSizeUnit(shown(el))) return el;
  // A suffix after the input (`<span>BTC</span>`).
  for (let next = size.nextElementSibling; next; next = next.nextElementSibling) if (parseSizeUnit(shown(next))) return next;
  return null;
}

function submitButtons(form: Element, selectors: SiteSelectors, longs: readonly Element[], shorts: readonly Element[]): Element[] {
  const found = new Set(all(form, selectors.submit));
  let placeOrder = controlsByText(form, SUBMIT_TEXT, MAX_CONTROL_TEXT);
  // A form whose side switch sits apart from its inputs may keep its `Place Order` button just
  // outside the container found: the warning must not cover it either.
  for (let up = form.parentElement, level = 0; placeOrder.length === 0 && up && level < 2; up = up.parentElement, level++) {
    placeOrder = controlsByText(up, SUBMIT_TEXT, MAX_CONTROL_TEXT);
  }
  for (const el of [...longs, ...shorts, ...placeOrder]) {
    const button = el.closest('button');
    // A submit button: a button that is no tab or radio of a switch.
    if (button && !/tab|radio/i.test(button.getAttribute('role') ?? '') && !button.hasAttribute('aria-selected')) found.add(button);
  }
  return [...found];
}

function build(form: Element, selectors: SiteSelectors): FormLayout {
  const fields = locateFields(form, selectors);
  const longControls = choiceControls(form, selectors.side, 'long', LONG_TEXT);
  const shortControls = choiceControls(form, selectors.side, 'short', SHORT_TEXT);
  const leverage = locateLeverage(form, selectors);
  return {
    fields,
    longControls,
    shortControls,
    limitControls: choiceControls(form, selectors.orderType, 'limit', LIMIT_TEXT),
    marketControls: choiceControls(form, selectors.orderType, 'market', MARKET_TEXT),
    leverage,
    marginModes: locateMarginModes(form, leverage),
    sizeUnit: locateSizeUnit(form, selectors, fields.size),
    submit: submitButtons(form, selectors, longControls, shortControls),
  };
}

function heldBy(layout: FormLayout): Element[] {
  const held: Element[] = [...Object.values(layout.fields), ...layout.longControls, ...layout.shortControls, ...layout.limitControls, ...layout.marketControls];
  if (layout.leverage) held.push(layout.leverage);
  held.push(...layout.marginModes);
  if (layout.sizeUnit) held.push(layout.sizeUnit);
  return held;
}

/**
 * The layout of `form` under `selectors`, from the cache while it still describes the form.
 * @example layoutOf(form, OKX_SELECTORS).fields.price
 */
export function layoutOf(form: Element, selectors: SiteSelectors): FormLayout {
  let bySite = cache.get(form);
  if (!bySite) cache.set(form, (bySite = new WeakMap()));
  const cached = bySite.get(selectors);
  const count = inputCount(form);
  if (cached && cached.inputCount === count && cached.held.every((el) => el.isConnected && form.contains(el))) return cached.layout;
  const layout = build(form, selectors);
  bySite.set(selectors, { layout, inputCount: count, held: heldBy(layout) });
  return layout;
}
