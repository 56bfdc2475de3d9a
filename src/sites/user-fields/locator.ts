/**
 * A description of an order-form input the user pointed to, built from what survives a page's
 * re-render and a reload: the id without its generated digits (Binance's `unitAmount-618`), the
 * `name`, `data-testid`, `aria-label`, placeholder and the label text, never a DOM path (a path
 * breaks with the first banner the exchange adds above the form). Works on any DOM (the page,
 * or linkedom in tests); reads attributes and text only.
 */

/** The order-form fields a user can point to. */
export const TAUGHT_FIELDS = ['price', 'stop', 'takeProfit', 'size'] as const;
export type TaughtField = (typeof TAUGHT_FIELDS)[number];

/** How to find one input again. Text values are stored loosened (see `loosen`). */
export interface TaughtLocator {
  /** The id with a trailing run of digits (and the separator before it) removed. */
  readonly idStem?: string;
  readonly name?: string;
  readonly testId?: string;
  readonly ariaLabel?: string;
  readonly placeholder?: string;
  /** The field's label: `aria-labelledby`, `<label for>`, a wrapping label or the text just before it. */
  readonly label?: string;
  /**
   * Which of the inputs that fit equally well (same score) it was, counted in document order
   * when it was picked: tells apart two price inputs that carry the same words.
   */
  readonly rank: number;
}

/** The inputs a user can point to (text-like inputs, not checkboxes or buttons). */
export const FIELD_SELECTOR =
  'input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"]):not([type="button"]):not([type="submit"]):not([type="reset"]):not([type="image"]):not([type="file"]), textarea';

const MAX_TEXT = 60;
/** Longest text looked at beside an input (a longer one is a paragraph, not a label). */
const MAX_LABEL_SOURCE = 80;

/** Weights of each kind of evidence: the more specific the attribute, the more it counts. */
const WEIGHTS = { testId: 6, name: 5, idStem: 5, ariaLabel: 4, label: 4, placeholder: 3 } as const;
/** At least one of the weaker signals must agree. */
const MIN_SCORE = 3;

function collapse(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * Text reduced to what stays across markets and reloads: lower case, without the market's coin
 * names (upper-case words like `BTC`, `USDT`), numbers (`Single contract value 0.01 BTC`) and
 * parenthesised units. Empty when nothing is left.
 * @example loosen('Price (USDT)') // 'price'
 */
export function loosen(text: string | null | undefined): string {
  return collapse(
    collapse(text)
      .slice(0, MAX_LABEL_SOURCE)
      .replace(/\([^)]*\)/g, ' ')
      .replace(/\b[A-Z][A-Z0-9]{1,11}\b/g, ' ')
      .replace(/[0-9]+(?:[.,][0-9]+)*/g, ' ')
      .replace(/[^\p{L}\p{M}\s]/gu, ' ')
      .toLowerCase(),
  ).slice(0, MAX_TEXT);
}

/** The id without generated digits; undefined for ids that are all generated (`:r5:`, `123`). */
export function idStem(id: string | null | undefined): string | undefined {
  const stem = collapse(id).replace(/[-_:.]?[0-9]+$/, '');
  return /[A-Za-z]{3}/.test(stem) && !/^:r/.test(stem) ? stem.slice(0, MAX_TEXT) : undefined;
}

function byId(root: ParentNode, id: string): Element | null {
  return root.querySelector(`[id="${id.replace(/["\\]/g, '\\$&')}"]`);
}

/** Any form control: a sibling holding one belongs to another field (a plain selector: it is tested often). */
const ANY_CONTROL = 'input, textarea, select';

/** The visible text just before `el`: previous siblings, then those of its ancestors (three levels). */
function textBefore(el: Element): string {
  let node: Element | null = el;
  for (let level = 0; level < 4 && node; level++) {
    for (let sibling = node.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
      // A sibling holding another field is that field's part of the form: stop there.
      if (sibling.matches(ANY_CONTROL) || sibling.querySelector(ANY_CONTROL)) return '';
      const text = collapse(sibling.textContent);
      if (text !== '') return text.length <= MAX_LABEL_SOURCE ? text : '';
    }
    node = node.parentElement;
  }
  return '';
}

/** Text of every `<label for>` under `root`, by the id it names (one pass instead of one search per input). */
function labelsByFor(root: ParentNode): Map<string, string> {
  const labels = new Map<string, string>();
  for (const label of root.querySelectorAll('label[for]')) {
    const id = label.getAttribute('for');
    if (id && !labels.has(id)) labels.set(id, collapse(label.textContent));
  }
  return labels;
}

/**
 * The label text of an input, from the sources a screen reader would use, then the text before it.
 * `labels` (from `labelsByFor`) saves a document search per input when many are looked at.
 */
export function labelText(el: Element, root: ParentNode, labels?: ReadonlyMap<string, string>): string {
  const labelledBy = el.getAttribute('aria-labelledby');
  if (labelledBy) {
    const text = collapse(labelledBy.split(/\s+/).map((id) => collapse(byId(root, id)?.textContent)).join(' '));
    if (text !== '') return text;
  }
  const id = el.getAttribute('id');
  if (id) {
    const text = (labels ?? labelsByFor(root)).get(id) ?? '';
    if (text !== '') return text;
  }
  const wrapping = el.closest('label');
  if (wrapping && collapse(wrapping.textContent) !== '') return collapse(wrapping.textContent);
  return textBefore(el);
}

/** The input a click on `target` means: the input itself, a label's control, or the one input in a small wrapper. */
export function pickableField(target: Element): Element | null {
  if (target.matches(FIELD_SELECTOR)) return target;
  const label = target.closest('label');
  if (label) {
    const id = label.getAttribute('for');
    const byFor = id ? byId(target.ownerDocument ?? label, id) : null;
    if (byFor?.matches(FIELD_SELECTOR)) return byFor;
    const inside = label.querySelector(FIELD_SELECTOR);
    if (inside) return inside;
  }
  // A click on the box around an input (sites wrap inputs in styled divs with the unit beside them).
  let node: Element | null = target;
  for (let level = 0; level < 3 && node; level++) {
    const fields = node.querySelectorAll(FIELD_SELECTOR);
    if (fields.length === 1) return fields[0] ?? null;
    if (fields.length > 1) return null;
    node = node.parentElement;
  }
  return null;
}

/** What an input shows of itself: a locator without its rank. */
type Traits = Omit<TaughtLocator, 'rank'>;

function traitsOf(el: Element, root: ParentNode): Traits {
  const traits: Record<string, string> = {};
  const put = (key: keyof Traits, value: string | undefined): void => {
    if (value) traits[key] = value;
  };
  put('idStem', idStem(el.getAttribute('id')));
  put('name', collapse(el.getAttribute('name')).slice(0, MAX_TEXT) || undefined);
  put('testId', collapse(el.getAttribute('data-testid')).slice(0, MAX_TEXT) || undefined);
  put('ariaLabel', loosen(el.getAttribute('aria-label')) || undefined);
  put('placeholder', loosen(el.getAttribute('placeholder')) || undefined);
  put('label', loosen(labelText(el, root)) || undefined);
  return traits;
}

/**
 * How well `el` fits `locator` (0: not at all). The label (the costly part: it walks the DOM) is
 * computed only when it can lift the score to `need`.
 */
function score(el: Element, locator: TaughtLocator, root: ParentNode, need: number, labels: () => ReadonlyMap<string, string>): number {
  let total = 0;
  if (locator.testId !== undefined && el.getAttribute('data-testid') === locator.testId) total += WEIGHTS.testId;
  if (locator.name !== undefined && el.getAttribute('name') === locator.name) total += WEIGHTS.name;
  if (locator.idStem !== undefined && idStem(el.getAttribute('id')) === locator.idStem) total += WEIGHTS.idStem;
  if (locator.ariaLabel !== undefined && loosen(el.getAttribute('aria-label')) === locator.ariaLabel) total += WEIGHTS.ariaLabel;
  if (locator.placeholder !== undefined && loosen(el.getAttribute('placeholder')) === locator.placeholder) total += WEIGHTS.placeholder;
  if (locator.label !== undefined && total + WEIGHTS.label >= need && loosen(labelText(el, root, labels())) === locator.label) total += WEIGHTS.label;
  return total;
}

/** The best-fitting inputs under `root` for `locator`, in document order, and their score. */
function bestFits(root: ParentNode, locator: TaughtLocator): { readonly fits: Element[]; readonly score: number } {
  // At least half of the evidence must agree: a placeholder alone never stands in for a label.
  const most = (Object.keys(WEIGHTS) as (keyof typeof WEIGHTS)[]).reduce((sum, key) => sum + (locator[key] !== undefined ? WEIGHTS[key] : 0), 0);
  const threshold = Math.max(MIN_SCORE, Math.ceil(most / 2));
  let best = 0;
  let fits: Element[] = [];
  let labels: ReadonlyMap<string, string> | undefined;
  const labelMap = (): ReadonlyMap<string, string> => (labels ??= labelsByFor(root));
  for (const el of root.querySelectorAll(FIELD_SELECTOR)) {
    const s = score(el, locator, root, Math.max(threshold, best), labelMap);
    if (s < threshold || s < best) continue;
    if (s > best) {
      best = s;
      fits = [];
    }
    fits.push(el);
  }
  return { fits, score: best };
}

/**
 * A locator for the input `el`, or undefined when it carries nothing stable to find it by
 * (no id, name, test id, aria-label, placeholder or label text).
 * @example describeField(document.querySelector('#unitAmount-618')!, document)?.idStem // 'unitAmount'
 */
export function describeField(el: Element, root: ParentNode): TaughtLocator | undefined {
  const traits = traitsOf(el, root);
  if (Object.keys(traits).length === 0) return undefined;
  const draft: TaughtLocator = { ...traits, rank: 0 };
  const { fits } = bestFits(root, draft);
  const rank = fits.indexOf(el);
  return rank < 0 ? undefined : { ...traits, rank };
}

/**
 * The input `locator` describes under `root`, or null when none fits well enough.
 * @example findField(document, locator)?.value
 */
export function findField(root: ParentNode, locator: TaughtLocator): Element | null {
  const { fits } = bestFits(root, locator);
  if (fits.length === 0) return null;
  return fits[Math.min(locator.rank, fits.length - 1)] ?? null;
}

/** True when `value` has a locator's shape (for what comes back from storage). */
export function isTaughtLocator(value: unknown): value is TaughtLocator {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  const rank = record['rank'];
  if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 0 || rank > 1000) return false;
  let signals = 0;
  for (const key of ['idStem', 'name', 'testId', 'ariaLabel', 'placeholder', 'label'] as const) {
    const text = record[key];
    if (text === undefined) continue;
    if (typeof text !== 'string' || text === '' || text.length > MAX_TEXT) return false;
    signals++;
  }
  return signals > 0 && Object.keys(record).every((key) => key === 'rank' || key in WEIGHTS);
}
