/**
 * Each exchange's order-form adapter against its saved demo page (the same pages the browser
 * tests load): labels, roles, input names and data attributes as on the exchange, generated
 * class names as noise.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import type { ExchangeId } from '../src/engine/types';
import { adapterFor } from '../src/sites/adapters';
import { parsePageUrl } from '../src/sites/page-url';
import { parseAmount, parseLeverage } from '../src/sites/read-form';

interface Case {
  readonly exchange: ExchangeId;
  readonly url: string;
  readonly file: string;
  readonly symbol: string;
  readonly leverage: number;
  readonly sizeUnit: string;
  /** Selects the short side on forms that have a side switch. */
  readonly pickShort?: (doc: Document) => void;
  /** Attribute marking the selected order-type tab. */
  readonly tab: (doc: Document, type: 'limit' | 'market') => Element;
}

const PAGES = join(import.meta.dirname, '../e2e/pages');

function selectTab(doc: Document, type: 'limit' | 'market', attr: string): Element {
  const tabs = [...doc.querySelectorAll('[role="tab"]')];
  const target = tabs.find((t) => t.getAttribute(attr)?.toLowerCase() === type);
  if (!target) throw new Error(`no ${type} tab`);
  for (const t of tabs) t.setAttribute('aria-selected', String(t === target));
  return target;
}

const CASES: readonly Case[] = [
  {
    exchange: 'binance',
    url: 'https://www.binance.com/en/futures/BTCUSDT',
    file: 'www.binance.com/en/futures/BTCUSDT.html',
    symbol: 'BTCUSDT',
    leverage: 20,
    sizeUnit: 'BTC',
    tab: (doc, type) => selectTab(doc, type, 'data-order-type'),
  },
  {
    exchange: 'bybit',
    url: 'https://www.bybit.com/trade/usdt/BTCUSDT',
    file: 'www.bybit.com/trade/usdt/BTCUSDT.html',
    symbol: 'BTCUSDT',
    leverage: 10,
    sizeUnit: 'BTC',
    tab: (doc, type) => selectTab(doc, type, 'data-key'),
  },
  {
    exchange: 'okx',
    url: 'https://www.okx.com/trade-swap/btc-usdt-swap',
    file: 'www.okx.com/trade-swap/btc-usdt-swap.html',
    symbol: 'BTC-USDT-SWAP',
    leverage: 10,
    sizeUnit: 'BTC',
    pickShort: (doc) => {
      doc.querySelector('[data-side="buy"]')!.setAttribute('aria-checked', 'false');
      doc.querySelector('[data-side="sell"]')!.setAttribute('aria-checked', 'true');
    },
    tab: (doc, type) => selectTab(doc, type, 'data-ord-type'),
  },
  {
    exchange: 'bitget',
    url: 'https://www.bitget.com/en/futures/usdt/BTCUSDT',
    file: 'www.bitget.com/en/futures/usdt/BTCUSDT.html',
    symbol: 'BTCUSDT',
    leverage: 25,
    sizeUnit: 'USDT',
    tab: (doc, type) => selectTab(doc, type, 'data-type'),
  },
  {
    exchange: 'hyperliquid',
    url: 'https://app.hyperliquid.xyz/trade/BTC',
    file: 'app.hyperliquid.xyz/trade/BTC.html',
    symbol: 'BTC',
    leverage: 40,
    sizeUnit: 'BTC',
    pickShort: (doc) => {
      doc.querySelector('button[data-side="B"]')!.setAttribute('aria-pressed', 'false');
      doc.querySelector('button[data-side="A"]')!.setAttribute('aria-pressed', 'true');
    },
    tab: (doc, type) => selectTab(doc, type, 'data-order-type'),
  },
];

function load(c: Case): Document {
  return parseHTML(readFileSync(join(PAGES, c.file), 'utf8')).document as unknown as Document;
}

/** Types into the form's fields as a user would (the adapter finds them; the test only sets values). */
function fill(doc: Document, c: Case, values: { price?: string; size?: string; stop?: string; tp?: string }): void {
  const adapter = adapterFor(c.exchange);
  const form = adapter.findForm(doc)!;
  const set = (selectors: readonly string[], value: string | undefined) => {
    if (value === undefined) return;
    const el = selectors.map((s) => form.querySelector(s)).find(Boolean) as HTMLInputElement;
    el.value = value;
  };
  set(adapter.selectors.price.selectors, values.price);
  set(adapter.selectors.size.selectors, values.size);
  set(adapter.selectors.stop.selectors, values.stop);
  set(adapter.selectors.takeProfit.selectors, values.tp);
}

describe.each(CASES)('$exchange adapter', (c) => {
  const adapter = adapterFor(c.exchange);

  it('takes the market from the page address', () => {
    expect(parsePageUrl(c.url)).toMatchObject({ exchange: c.exchange, symbol: c.symbol });
  });

  it('reads a long limit order: side, type, entry, stop, take-profit, leverage, size', () => {
    const doc = load(c);
    fill(doc, c, { price: '64,000', size: '0.5', stop: '63500', tp: '66,250.5' });
    const form = adapter.findForm(doc);
    expect(form).not.toBeNull();
    expect(adapter.read(form!, doc)).toEqual({
      side: 'long',
      sideFrom: c.pickShort ? 'form' : 'levels',
      type: 'limit',
      entry: 64_000,
      entryFrom: 'limit-price',
      stop: 63_500,
      takeProfit: 66_250.5,
      leverage: c.leverage,
      size: { amount: 0.5, unit: c.sizeUnit },
    });
  });

  it('reads a short: from the side switch, or from a stop above the entry', () => {
    const doc = load(c);
    c.pickShort?.(doc);
    fill(doc, c, { price: '64000', stop: '64900' });
    const reading = adapter.read(adapter.findForm(doc)!, doc);
    expect(reading).toMatchObject({ side: 'short', type: 'limit', entry: 64_000, stop: 64_900 });
    expect(reading?.takeProfit).toBeUndefined();
    expect(reading?.size).toBeUndefined();
  });

  it('takes the last price as the entry of a market order', () => {
    const doc = load(c);
    c.tab(doc, 'market');
    fill(doc, c, { price: '60000', stop: '63000' });
    expect(adapter.read(adapter.findForm(doc)!, doc)).toMatchObject({ type: 'market', entry: 64_543, entryFrom: 'last-price', side: 'long', stop: 63_000 });
  });

  it('leaves the side open when the levels do not tell it and the form has no switch', () => {
    const doc = load(c);
    fill(doc, c, { price: '64000' });
    const reading = adapter.read(adapter.findForm(doc)!, doc);
    expect(reading?.entry).toBe(64_000);
    if (c.pickShort) expect(reading?.side).toBe('long');
    else expect(reading?.side).toBeUndefined();
  });

  it('anchors beside the stop field and knows the submit buttons', () => {
    const doc = load(c);
    const form = adapter.findForm(doc)!;
    const anchor = adapter.anchor(form);
    expect(anchor?.tagName.toLowerCase()).toBe('input');
    expect(adapter.selectors.stop.selectors.some((s) => anchor?.matches(s))).toBe(true);
    expect(adapter.submitButtons(form).length).toBeGreaterThanOrEqual(1);
    for (const button of adapter.submitButtons(form)) expect(button.tagName.toLowerCase()).toBe('button');
  });

  it('finds the stop field by its label when the input names change', () => {
    const doc = load(c);
    const form = adapter.findForm(doc)!;
    for (const s of adapter.selectors.stop.selectors) {
      for (const el of form.querySelectorAll(s)) {
        el.removeAttribute('name');
        el.removeAttribute('data-testid');
      }
    }
    fill(doc, c, { price: '64000' });
    const stop = adapter.anchor(form) as HTMLInputElement | null;
    expect(stop).not.toBeNull();
    stop!.value = '63,100';
    expect(adapter.read(form, doc)?.stop).toBe(63_100);
  });

  it('cannot read a form without an order-type choice or a limit price field: null (manual entry)', () => {
    const doc = load(c);
    const form = adapter.findForm(doc)!;
    for (const tab of form.querySelectorAll('[role="tab"]')) tab.setAttribute('aria-selected', 'false');
    expect(adapter.read(form, doc)).toBeNull();

    const other = load(c);
    const otherForm = adapter.findForm(other)!;
    for (const input of otherForm.querySelectorAll('input')) input.remove();
    expect(adapter.read(otherForm, other)).toBeNull();
  });

  it('finds no form on a page without one', () => {
    const { document } = parseHTML('<!doctype html><html><body><main><input name="price"></main></body></html>');
    expect(adapter.findForm(document as unknown as Document)).toBeNull();
  });
});

describe('number reading', () => {
  it('parses prices and leverage as the forms show them', () => {
    expect(parseAmount('64,812.3')).toBe(64_812.3);
    expect(parseAmount(' 64 812.30 USDT')).toBe(64_812.3);
    expect(parseAmount('0.0123 BTC')).toBe(0.0123);
    expect(parseAmount('')).toBeUndefined();
    expect(parseAmount('Market')).toBeUndefined();
    expect(parseAmount('0')).toBeUndefined();
    expect(parseLeverage('Cross · 10.00x')).toBe(10);
    expect(parseLeverage('25X')).toBe(25);
    expect(parseLeverage('×3')).toBe(3);
    expect(parseLeverage('Cross')).toBeUndefined();
  });
});
