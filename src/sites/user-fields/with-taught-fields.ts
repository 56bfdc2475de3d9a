/**
 * The fields a user pointed to, as a layer after a site adapter: the adapter reads first, and a
 * field it leaves out is read from the input the user taught, when the page shows it. Values
 * only; never writes into the form.
 */
import type { Side } from '../../engine/types';
import { parseAmount } from '../read-form';
import type { OrderFormReading, SiteAdapter } from '../types';
import { findField, TAUGHT_FIELDS, type TaughtField } from './locator';
import type { TaughtFields } from './store';

/**
 * A reading with the fields whose value came from the user's pointing (absent when none did).
 * `typeFrom: 'inferred'` (as the shared reader marks it) when the order type was not read but
 * inferred, here from a taught price input: a price input means a limit order.
 */
export type TaughtReading = OrderFormReading & { readonly taught?: readonly TaughtField[]; readonly typeFrom?: 'inferred' };

/** True when the reading's order type was inferred (from a price input), not read from a tab. */
export function typeInferred(reading: OrderFormReading | null): boolean {
  return (reading as TaughtReading | null)?.typeFrom === 'inferred';
}

/** The fields of `reading` that came from the user's pointing. */
export function taughtOf(reading: OrderFormReading | null): readonly TaughtField[] {
  return (reading as TaughtReading | null)?.taught ?? [];
}

export interface TaughtAdapter extends SiteAdapter {
  /** The form's input for one field: the adapter's, else the one the user taught. */
  field(form: Element, role: TaughtField): Element | null;
  /** Replaces the locators (after a pick, a Forget, or a change in another tab). */
  setTaught(fields: TaughtFields): void;
}

/** Whether the reading already holds `field`. */
function has(reading: OrderFormReading | null, field: TaughtField): boolean {
  if (!reading) return false;
  switch (field) {
    case 'price':
      // A market order's entry is the last price: a limit-price input left filled is not it.
      return reading.entry !== undefined || reading.type === 'market';
    case 'stop':
      return reading.stop !== undefined;
    case 'takeProfit':
      return reading.takeProfit !== undefined;
    case 'size':
      return reading.size !== undefined;
  }
}

/** The side the levels imply: a stop below the entry (or a take-profit above) is a long's. */
function sideOfLevels(entry: number | undefined, stop: number | undefined, takeProfit: number | undefined): Side | undefined {
  if (entry === undefined) return undefined;
  if (stop !== undefined && stop !== entry) return stop < entry ? 'long' : 'short';
  if (takeProfit !== undefined && takeProfit !== entry) return takeProfit > entry ? 'long' : 'short';
  return undefined;
}

/** Least time between two searches for a taught input that was not on the page. */
const RESCAN_MS = 250;

/** The smallest element holding all of `elements`. */
function commonAncestor(elements: readonly Element[]): Element | null {
  const [head, ...rest] = elements;
  let node: Element | null = head ?? null;
  while (node && !rest.every((el) => node!.contains(el))) node = node.parentElement;
  return node;
}

function valueOf(el: Element): string {
  return (el as HTMLInputElement).value ?? '';
}

/**
 * `adapter` with the user's taught fields as a fallback layer. The form it reports is the
 * adapter's, grown to hold the taught inputs (or theirs alone when the adapter finds no form),
 * so the form watcher follows typing in them too.
 * @example const adapter = withTaughtFields(adapterFor('bybit')); adapter.setTaught(await getTaughtFields('bybit'));
 */
export function withTaughtFields(adapter: SiteAdapter, initial: TaughtFields = {}): TaughtAdapter {
  let taught = initial;
  let adapterForm: Element | null = null;
  /** The inputs found last time, kept while they stay on the page (finding them scans every input). */
  const found = new Map<TaughtField, Element>();
  /** When a search last found nothing: a busy page re-renders every frame, and one scan per interval is enough. */
  const missedAt = new Map<TaughtField, number>();

  const locate = (field: TaughtField, root: ParentNode): Element | null => {
    const locator = taught[field];
    if (!locator) return null;
    const known = found.get(field);
    if (known?.isConnected) return known;
    const now = performance.now();
    const missed = missedAt.get(field);
    if (missed !== undefined && now - missed < RESCAN_MS) return null;
    const el = findField(root, locator);
    if (el) {
      found.set(field, el);
      missedAt.delete(field);
    } else {
      found.delete(field);
      missedAt.set(field, now);
    }
    return el;
  };

  const taughtElements = (root: ParentNode): Element[] =>
    TAUGHT_FIELDS.map((field) => locate(field, root)).filter((el): el is Element => el !== null);

  return {
    exchange: adapter.exchange,
    selectors: adapter.selectors,
    setTaught(fields) {
      taught = fields;
      found.clear();
      missedAt.clear();
    },
    findForm(doc) {
      adapterForm = adapter.findForm(doc);
      const inputs = taughtElements(doc);
      if (inputs.length === 0) return adapterForm;
      if (adapterForm && inputs.every((el) => adapterForm!.contains(el))) return adapterForm;
      return commonAncestor(adapterForm ? [adapterForm, ...inputs] : inputs);
    },
    read(form, doc) {
      const own = adapterForm?.isConnected ? adapterForm : adapter.findForm(doc);
      adapterForm = own;
      const reading = own ? adapter.read(own, doc) : null;
      const values: Partial<Record<TaughtField, number>> = {};
      for (const field of TAUGHT_FIELDS) {
        if (has(reading, field)) continue;
        const el = locate(field, doc);
        const value = el && form.contains(el) ? parseAmount(valueOf(el)) : undefined;
        if (value !== undefined) values[field] = value;
      }
      const used = TAUGHT_FIELDS.filter((field) => values[field] !== undefined);
      if (used.length === 0) return reading;
      // Without the adapter's reading only a taught price makes an order: a price input means a limit order.
      if (!reading && values.price === undefined) return null;
      const base: OrderFormReading = reading ?? { type: 'limit', entryFrom: 'limit-price' };
      const entry = base.entry ?? values.price;
      const stop = base.stop ?? values.stop;
      const takeProfit = base.takeProfit ?? values.takeProfit;
      const levelSide = base.side === undefined ? sideOfLevels(entry, stop, takeProfit) : undefined;
      const next: TaughtReading = {
        ...base,
        ...(levelSide !== undefined ? { side: levelSide, sideFrom: 'levels' as const } : {}),
        ...(entry !== undefined ? { entry } : {}),
        ...(stop !== undefined ? { stop } : {}),
        ...(takeProfit !== undefined ? { takeProfit } : {}),
        ...(base.size === undefined && values.size !== undefined ? { size: { amount: values.size, unit: '' } } : {}),
        taught: used,
        ...(reading ? {} : { typeFrom: 'inferred' as const }),
      };
      return next;
    },
    field(form, role) {
      // Adapters that locate single fields (`field`) answer first.
      const own = adapterForm?.isConnected ? (adapter as Partial<Pick<TaughtAdapter, 'field'>>).field?.(adapterForm, role) : null;
      return own ?? locate(role, form.ownerDocument ?? form);
    },
    anchor(form) {
      const own = adapterForm?.isConnected ? adapter.anchor(adapterForm) : null;
      if (own) return own;
      const doc = form.ownerDocument ?? form;
      return locate('stop', doc) ?? locate('price', doc);
    },
    submitButtons: () => (adapterForm?.isConnected ? adapter.submitButtons(adapterForm) : []),
  };
}
