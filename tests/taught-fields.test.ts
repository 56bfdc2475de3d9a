/**
 * Fields a user pointed to (linkedom): the locator is built from stable attributes and label text,
 * finds the same input after a reload gives it a new generated id and the page moved it, tells
 * apart inputs with the same words by their label, and keeps nothing for an input without
 * anything stable. The layer after the adapter fills only what the adapter left out; malformed
 * stored locators are dropped.
 */
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import type { OrderFormReading, SiteAdapter } from '../src/sites/types';
import { describeField, findField, loosen, pickableField } from '../src/sites/user-fields/locator';
import { readTaught } from '../src/sites/user-fields/store';
import { withTaughtFields } from '../src/sites/user-fields/with-taught-fields';

function dom(body: string): Document {
  return parseHTML(`<!doctype html><html><body>${body}</body></html>`).document as unknown as Document;
}

const $ = (doc: Document, selector: string): Element => {
  const el = doc.querySelector(selector);
  if (!el) throw new Error(`no ${selector}`);
  return el;
};

/** A form no adapter reads: Japanese labels, generated ids, no names. */
const FORM = (suffix: number, banner = '') => `${banner}
<div class="box">
  <div class="row"><span>価格</span><div class="wrap"><input id="price-${suffix}" class="in"><span>USDT</span></div></div>
  <div class="row"><span>注文数</span><div class="wrap"><input id="qty-${suffix + 1}" class="in" placeholder="Single contract value 0.01 BTC"></div></div>
  <div class="row"><span>利確</span><input class="in" placeholder="Trigger price"></div>
  <div class="row"><span>損切り</span><input class="in" placeholder="Trigger price"></div>
  <div class="row"><input class="in"><input class="in"></div>
</div>`;

describe('locator of a field the user pointed to', () => {
  it('is built from the id without its generated digits and the label before the input', () => {
    const doc = dom(FORM(618));
    const locator = describeField($(doc, '#price-618'), doc);
    expect(locator).toEqual({ idStem: 'price', label: '価格', rank: 0 });
    const size = describeField($(doc, '#qty-619'), doc);
    expect(size).toMatchObject({ idStem: 'qty', placeholder: 'single contract value', label: '注文数' });
  });

  it('finds the same input after a reload (new ids, a banner above, another market in the placeholder)', () => {
    const before = dom(FORM(618));
    const price = describeField($(before, '#price-618'), before)!;
    const size = describeField($(before, '#qty-619'), before)!;
    const after = dom(FORM(9031, '<div class="banner"><input placeholder="Search"></div>').replace('0.01 BTC', '0.1 ETH'));
    expect(findField(after, price)).toBe($(after, '#price-9031'));
    expect(findField(after, size)).toBe($(after, '#qty-9032'));
  });

  it('tells apart inputs with the same placeholder by the label before them', () => {
    const doc = dom(FORM(1));
    const [tp, sl] = [...doc.querySelectorAll('input[placeholder="Trigger price"]')];
    const stop = describeField(sl!, doc)!;
    expect(stop).toMatchObject({ placeholder: 'trigger price', label: '損切り' });
    expect(findField(doc, stop)).toBe(sl);
    expect(findField(doc, describeField(tp!, doc)!)).toBe(tp);
  });

  it('keeps nothing for an input with no id, name, test id, aria-label, placeholder or label', () => {
    const doc = dom(FORM(1));
    const bare = doc.querySelectorAll('.row:last-child input');
    expect(describeField(bare[0]!, doc)).toBeUndefined();
  });

  it('needs half of the evidence: a lone placeholder match does not stand in for a missing field', () => {
    const doc = dom(FORM(1));
    const stop = describeField([...doc.querySelectorAll('input[placeholder="Trigger price"]')][1]!, doc)!;
    const redesigned = dom('<div><span>Notes</span><input placeholder="Trigger price"></div>');
    expect(findField(redesigned, stop)).toBeNull();
  });

  it('uses the rank among equally good inputs', () => {
    const doc = dom('<div><input name="amount"></div><div><input name="amount"></div>');
    const second = doc.querySelectorAll('input')[1]!;
    const locator = describeField(second, doc)!;
    expect(locator).toEqual({ name: 'amount', rank: 1 });
    expect(findField(doc, locator)).toBe(second);
  });

  it('a click on a label or on the box around an input means the input; a box of several means none', () => {
    const doc = dom('<label for="p">Price</label><div id="w"><input id="p"><span id="u">USDT</span></div><div id="two"><input><input></div>');
    expect(pickableField($(doc, 'label'))).toBe($(doc, '#p'));
    expect(pickableField($(doc, '#u'))).toBe($(doc, '#p'));
    expect(pickableField($(doc, '#two'))).toBeNull();
  });

  it('loosens labels to what stays across markets', () => {
    expect(loosen('Price (USDT)')).toBe('price');
    expect(loosen('Amount BTC')).toBe('amount');
    expect(loosen('止损价格')).toBe('止损价格');
  });
});

/** An adapter that finds no form (the page was redesigned). */
const BLIND = {
  exchange: 'bybit',
  selectors: {} as SiteAdapter['selectors'],
  findForm: () => null,
  read: () => null,
  field: () => null,
  anchor: () => null,
  submitButtons: () => [],
} as SiteAdapter;

function withValues(doc: Document, values: Record<string, string>): void {
  for (const [selector, value] of Object.entries(values)) ($(doc, selector) as HTMLInputElement).value = value;
}

describe('the taught layer after the adapter', () => {
  it('reads a form the adapter cannot from the fields pointed to, and infers the side from the stop', () => {
    const doc = dom(FORM(618));
    const sl = [...doc.querySelectorAll('input[placeholder="Trigger price"]')][1]!;
    const taught = { price: describeField($(doc, '#price-618'), doc)!, stop: describeField(sl, doc)! };
    const adapter = withTaughtFields(BLIND, taught);
    withValues(doc, { '#price-618': '64,000' });
    (sl as HTMLInputElement).value = '63500';
    const form = adapter.findForm(doc);
    expect(form).toBe($(doc, '.box'));
    expect(adapter.read(form!, doc)).toEqual({ type: 'limit', entryFrom: 'limit-price', side: 'long', sideFrom: 'levels', entry: 64_000, stop: 63_500, taught: ['price', 'stop'], typeFrom: 'inferred' });
    expect(adapter.anchor(form!)).toBe(sl);
    expect(adapter.field(form!, 'price')).toBe($(doc, '#price-618'));
    expect(adapter.field(form!, 'size')).toBeNull();
    adapter.setTaught({});
    expect(adapter.findForm(doc)).toBeNull();
  });

  it('without a taught price there is no order to read', () => {
    const doc = dom(FORM(618));
    const adapter = withTaughtFields(BLIND, { size: describeField($(doc, '#qty-619'), doc)! });
    withValues(doc, { '#qty-619': '2' });
    expect(adapter.read(adapter.findForm(doc)!, doc)).toBeNull();
  });

  it("never overrides the adapter's own values, and fills only its gaps", () => {
    const doc = dom(`<form id="f"><input id="own"></form>${FORM(5)}`);
    const own: OrderFormReading = { type: 'limit', entryFrom: 'limit-price', side: 'short', sideFrom: 'form', entry: 100 };
    const adapter = withTaughtFields(
      { ...BLIND, findForm: (d) => d.querySelector('#f'), read: () => own },
      { price: describeField($(doc, '#price-5'), doc)!, size: describeField($(doc, '#qty-6'), doc)! },
    );
    withValues(doc, { '#price-5': '64000', '#qty-6': '3' });
    const form = adapter.findForm(doc)!;
    // Grown to hold the adapter's form and the taught inputs, so typing in them is followed.
    expect(form.contains($(doc, '#f')) && form.contains($(doc, '#qty-6'))).toBe(true);
    expect(adapter.read(form, doc)).toEqual({ ...own, size: { amount: 3, unit: '' }, taught: ['size'] });
  });
});

describe('stored locators', () => {
  it('keeps the well-formed ones and drops the rest', () => {
    const good = { label: 'price', rank: 0 };
    expect(
      readTaught({
        bybit: { price: good, stop: { rank: 0 }, size: { label: 'x'.repeat(500), rank: 0 }, takeProfit: { label: 'tp', rank: -1 } },
        okx: 'nonsense',
        nowhere: { price: good },
        binance: { price: { ...good, onclick: 'x' } },
      }),
    ).toEqual({ bybit: { price: good } });
    expect(readTaught(null)).toEqual({});
    expect(readTaught([1, 2])).toEqual({});
  });
});
