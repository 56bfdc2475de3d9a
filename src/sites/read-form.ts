/**
 * Reading an order form, shared by every site adapter: the form is found by what it holds
 * (`reader/find-form.ts`), its inputs by site selector or accessible name (`reader/layout.ts`),
 * tabs and toggles by ARIA state or an active-style class. Works on any DOM (the page, or
 * linkedom in tests and `npm run read-form`); reads values only, never writes.
 */
import type { MarginMode, Side } from '../engine/types';
import type { FormSize, OrderFormReading, OrderType, SiteAdapter, SiteSelectors } from './types';
import { first, isSelected, isShown, shown, textOf } from './reader/dom';
import { findOrderForm } from './reader/find-form';
import { layoutOf } from './reader/layout';
import { parseAmount, parseLeverage, parseMarginMode, parseSizeUnit } from './reader/parse';
import { accessibleNames } from './reader/accessible-name';

export { parseAmount, parseLeverage, parseMarginMode, parseSizeUnit } from './reader/parse';

/** Which of two groups of controls is picked: undefined when neither or both are. */
function picked<K extends string>(groups: readonly (readonly [K, readonly Element[]])[]): K | undefined {
  let result: K | undefined;
  for (const [key, controls] of groups) {
    if (controls.some(isSelected)) {
      if (result !== undefined) return undefined;
      result = key;
    }
  }
  return result;
}

/** The side implied by the levels: a stop below the entry (or a take-profit above) is a long's. */
export function sideFromLevels(entry: number | undefined, stop: number | undefined, takeProfit: number | undefined): Side | undefined {
  if (entry === undefined) return undefined;
  if (stop !== undefined && stop !== entry) return stop < entry ? 'long' : 'short';
  if (takeProfit !== undefined && takeProfit !== entry) return takeProfit > entry ? 'long' : 'short';
  return undefined;
}

function value(el: Element | undefined): number | undefined {
  return el && isShown(el) ? parseAmount(shown(el)) : undefined;
}

/** The size's unit: the unit switch's text, else the unit in the size field's name (`Amount (Contracts)`). */
function sizeUnit(unitEl: Element | null, sizeEl: Element): string {
  const fromSwitch = unitEl ? parseSizeUnit(shown(unitEl)) : undefined;
  if (fromSwitch) return fromSwitch;
  for (const name of accessibleNames(sizeEl)) {
    const inBrackets = /[(（]([^)）]+)[)）]/.exec(name);
    const unit = inBrackets ? parseSizeUnit(inBrackets[1]!) : undefined;
    if (unit) return unit;
  }
  return '';
}

/**
 * The margin mode the form shows: the leverage control's own words (`Cross 20x`), else the
 * controls naming a mode alone: the one mode they name, or, where they offer both (`Cross` and
 * `Isolated` side by side), the picked one. Undefined when nothing tells.
 */
function marginMode(leverage: Element | null, controls: readonly Element[]): MarginMode | undefined {
  const fromLeverage = leverage ? parseMarginMode(shown(leverage)) : undefined;
  if (fromLeverage) return fromLeverage;
  const shownControls = controls.filter(isShown);
  const named = new Set(shownControls.map((el) => parseMarginMode(textOf(el))));
  named.delete(undefined);
  if (named.size === 1) return [...named][0];
  if (named.size === 0) return undefined;
  const picked = new Set(shownControls.filter(isSelected).map((el) => parseMarginMode(textOf(el))));
  picked.delete(undefined);
  return picked.size === 1 ? [...picked][0] : undefined;
}

/**
 * Reads `form` by `selectors`. Every field that can be read is, whatever else cannot: an order
 * type without a readable tab is inferred (a price input shown means limit) or `unknown`.
 * Null only when the form shows neither a price nor a size input.
 */
export function readOrderForm(selectors: SiteSelectors, form: Element, doc: ParentNode): OrderFormReading | null {
  const layout = layoutOf(form, selectors);
  const { fields } = layout;
  // A disabled or read-only price input (`Market price`) holds no limit price.
  const priceShown = fields.price !== undefined && isShown(fields.price) && !fields.price.hasAttribute('disabled') && !fields.price.hasAttribute('readonly');
  if (!priceShown && !fields.size) return null;
  const tabType = picked<'limit' | 'market'>([['limit', layout.limitControls], ['market', layout.marketControls]]);
  const type: OrderType = tabType ?? (priceShown ? 'limit' : 'unknown');
  let entry: number | undefined;
  if (type === 'limit') entry = value(fields.price);
  else {
    const last = first(doc, selectors.lastPrice);
    entry = last ? parseAmount(shown(last)) : undefined;
  }
  const stop = value(fields.stop);
  const takeProfit = value(fields.takeProfit);
  const formSide = picked<Side>([['long', layout.longControls], ['short', layout.shortControls]]);
  const levelSide = formSide === undefined ? sideFromLevels(entry, stop, takeProfit) : undefined;
  const side = formSide ?? levelSide;
  const leverage = layout.leverage ? parseLeverage(shown(layout.leverage), side) : undefined;
  const mode = marginMode(layout.leverage, layout.marginModes);
  const amount = value(fields.size);
  const unit = fields.size ? sizeUnit(layout.sizeUnit, fields.size) : '';
  const size: FormSize | undefined = amount !== undefined ? { amount, unit } : undefined;
  return {
    type,
    ...(tabType === undefined ? { typeFrom: 'inferred' as const } : {}),
    ...(side !== undefined ? { side, sideFrom: formSide !== undefined ? 'form' : 'levels' } : {}),
    ...(entry !== undefined ? { entry, entryFrom: type === 'limit' ? 'limit-price' : 'last-price' } : {}),
    ...(stop !== undefined ? { stop } : {}),
    ...(takeProfit !== undefined ? { takeProfit } : {}),
    ...(leverage !== undefined ? { leverage } : {}),
    ...(mode !== undefined ? { marginMode: mode } : {}),
    ...(size !== undefined ? { size } : {}),
    ...(unit !== '' ? { sizeUnit: unit } : {}),
  } as OrderFormReading;
}

/**
 * The adapter for a site: its selectors as shortcuts, the shared reader behind them.
 * @example const adapter = adapterFromSelectors(BYBIT_SELECTORS); adapter.read(adapter.findForm(document)!, document)
 */
export function adapterFromSelectors(selectors: SiteSelectors): SiteAdapter {
  return {
    exchange: selectors.exchange,
    selectors,
    findForm: (doc) => findOrderForm(doc, selectors),
    read: (form, doc) => readOrderForm(selectors, form, doc),
    field: (form, role) => layoutOf(form, selectors).fields[role] ?? null,
    anchor: (form) => {
      const { fields } = layoutOf(form, selectors);
      for (const el of [fields.stop, fields.price, fields.size]) if (el && isShown(el)) return el;
      return null;
    },
    submitButtons: (form) => [...layoutOf(form, selectors).submit],
  };
}
