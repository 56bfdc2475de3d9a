/**
 * Each exchange's adapter against its demo page (the pages the browser tests load), shaped like
 * the real page as SITES-EVIDENCE.md describes it: nameless inputs, visually hidden labels,
 * class-only selected tabs, generated class names. The test finds nothing by itself: it types
 * into the inputs the adapter finds and picks tabs the way each page marks them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import type { ExchangeId } from '../src/engine/types';
import { adapterFor } from '../src/sites/adapters';
import { parsePageUrl } from '../src/sites/page-url';
import { adapterFromSelectors } from '../src/sites/read-form';
import type { SiteAdapter, SiteSelectors } from '../src/sites/types';

type Role = 'price' | 'size' | 'stop' | 'takeProfit';

interface Case {
  readonly name: string;
  readonly exchange: ExchangeId;
  readonly url: string;
  readonly file: string;
  readonly symbol: string;
  /** Leverage shown for a long, and for a short where the form shows both. */
  readonly leverage: number;
  readonly shortLeverage?: number;
  readonly sizeUnit: string;
  /** The last price a market order takes, where the page shows one the adapter knows. */
  readonly lastPrice?: number;
  /** False where the page marks its tabs with generated classes only (the type is inferred). */
  readonly readsTabs: boolean;
  /** Picks the Market tab as the page itself would mark it. */
  readonly pickMarket: (doc: Document) => void;
}

const PAGES = join(import.meta.dirname, '../e2e/pages');

/** Moves aria-selected to the tab with `text`. */
function ariaTab(doc: Document, text: string): void {
  const tab = [...doc.querySelectorAll('[role="tab"]')].find((t) => t.textContent?.trim() === text)!;
  for (const t of tab.parentElement!.children) t.setAttribute('aria-selected', String(t === tab));
}

/** Moves a class to the sibling with `text`. */
function classTab(doc: Document, selector: string, text: string, active: string): void {
  const tab = [...doc.querySelectorAll(selector)].find((t) => t.textContent?.trim() === text)!;
  for (const t of tab.parentElement!.children) t.classList.toggle(active, t === tab);
}

const CASES: readonly Case[] = [
  {
    name: 'binance (en)',
    exchange: 'binance',
    url: 'https://www.binance.com/en/futures/BTCUSDT',
    file: 'www.binance.com/en/futures/BTCUSDT.html',
    symbol: 'BTCUSDT',
    leverage: 20,
    sizeUnit: 'BTC',
    lastPrice: 64_543,
    readsTabs: true,
    pickMarket: (doc) => ariaTab(doc, 'Market'),
  },
  {
    name: 'binance (zh-CN)',
    exchange: 'binance',
    url: 'https://www.binance.com/zh-CN/futures/BTCUSDT',
    file: 'www.binance.com/zh-CN/futures/BTCUSDT.html',
    symbol: 'BTCUSDT',
    leverage: 20,
    sizeUnit: 'BTC',
    lastPrice: 64_543,
    readsTabs: true,
    pickMarket: (doc) => ariaTab(doc, '市价'),
  },
  {
    name: 'bybit',
    exchange: 'bybit',
    url: 'https://www.bybit.com/trade/usdt/BTCUSDT',
    file: 'www.bybit.com/trade/usdt/BTCUSDT.html',
    symbol: 'BTCUSDT',
    leverage: 10,
    sizeUnit: 'BTC',
    lastPrice: 64_543,
    readsTabs: true,
    pickMarket: (doc) => classTab(doc, '.oc-main__order-type > div', 'Market', 'oc-main__order-type-item--active'),
  },
  {
    name: 'okx (hedge mode)',
    exchange: 'okx',
    url: 'https://www.okx.com/trade-swap/btc-usdt-swap',
    file: 'www.okx.com/trade-swap/btc-usdt-swap.html',
    symbol: 'BTC-USDT-SWAP',
    leverage: 10,
    shortLeverage: 20,
    sizeUnit: 'contracts',
    lastPrice: 64_543,
    readsTabs: true,
    pickMarket: (doc) => ariaTab(doc, 'Market'),
  },
  {
    name: 'bitget',
    exchange: 'bitget',
    url: 'https://www.bitget.com/en/futures/usdt/BTCUSDT',
    file: 'www.bitget.com/en/futures/usdt/BTCUSDT.html',
    symbol: 'BTCUSDT',
    leverage: 25,
    sizeUnit: 'USDT',
    readsTabs: true,
    pickMarket: (doc) => classTab(doc, '.tabs .tab', 'Market', 'active'),
  },
  {
    name: 'hyperliquid',
    exchange: 'hyperliquid',
    url: 'https://app.hyperliquid.xyz/trade/BTC',
    file: 'app.hyperliquid.xyz/trade/BTC.html',
    symbol: 'BTC',
    leverage: 20,
    sizeUnit: 'BTC',
    readsTabs: false,
    // The page's own script: Market takes the price row away.
    pickMarket: (doc) => doc.querySelector('.sc-price')!.setAttribute('hidden', ''),
  },
];

function load(c: Case): Document {
  return parseHTML(readFileSync(join(PAGES, c.file), 'utf8')).document as unknown as Document;
}

/** Types into the fields the adapter finds, as a user would. */
function fill(adapter: SiteAdapter, form: Element, values: Partial<Record<Role, string>>): void {
  for (const [role, value] of Object.entries(values) as [Role, string][]) {
    const el = adapter.field(form, role) as HTMLInputElement | null;
    if (!el) throw new Error(`no ${role} field`);
    el.value = value;
  }
}

/** Selectors that say nothing: the reader alone, by labels, roles and text. */
function bare(exchange: ExchangeId): SiteSelectors {
  const none = { selectors: [] };
  return { exchange, urls: [], form: [], price: none, size: none, sizeUnit: [], stop: none, takeProfit: none, leverage: [], lastPrice: [], submit: [] };
}

describe.each(CASES)('$name adapter', (c) => {
  const adapter = adapterFor(c.exchange);

  it('takes the market from the page address', () => {
    expect(parsePageUrl(c.url)).toMatchObject({ exchange: c.exchange, symbol: c.symbol });
  });

  it('reads a long limit order: side, type, entry, stop, take-profit, leverage, size and its unit', () => {
    const doc = load(c);
    const form = adapter.findForm(doc)!;
    expect(form).not.toBeNull();
    fill(adapter, form, { price: '64,000', size: '0.5', stop: '63500', takeProfit: '66,250.5' });
    expect(adapter.read(form, doc)).toEqual({
      side: 'long',
      sideFrom: 'levels',
      type: 'limit',
      ...(c.readsTabs ? {} : { typeFrom: 'inferred' }),
      entry: 64_000,
      entryFrom: 'limit-price',
      stop: 63_500,
      takeProfit: 66_250.5,
      leverage: c.leverage,
      // Every demo page shows the mode, as the real pages do (Binance's "Cross 20x", Hyperliquid's "Cross").
      marginMode: 'cross',
      size: { amount: 0.5, unit: c.sizeUnit },
      sizeUnit: c.sizeUnit,
    });
  });

  it('follows the margin mode the page shows when it switches from cross to isolated', () => {
    const doc = load(c);
    const form = adapter.findForm(doc)!;
    fill(adapter, form, { price: '64000', stop: '63500' });
    expect(adapter.read(form, doc)?.marginMode).toBe('cross');
    // The page writes the other mode where it showed the first (a button, or a span in it).
    const shown = [...doc.querySelectorAll('button, span')].filter((el) => el.childElementCount === 0 && /^(?:Cross\b|全仓)/.test(el.textContent?.trim() ?? ''));
    expect(shown).toHaveLength(1);
    shown[0]!.textContent = shown[0]!.textContent!.replace('Cross', 'Isolated').replace('全仓', '逐仓');
    expect(adapter.read(form, doc)).toMatchObject({ marginMode: 'isolated', leverage: c.leverage });
  });

  it('reads a short from a stop above the entry, with the short side’s leverage', () => {
    const doc = load(c);
    const form = adapter.findForm(doc)!;
    fill(adapter, form, { price: '64000', stop: '64900' });
    const reading = adapter.read(form, doc);
    expect(reading).toMatchObject({ side: 'short', sideFrom: 'levels', type: 'limit', entry: 64_000, stop: 64_900, leverage: c.shortLeverage ?? c.leverage });
    expect(reading?.takeProfit).toBeUndefined();
    expect(reading?.size).toBeUndefined();
    // The unit switch is read with the size still empty.
    expect(reading?.sizeUnit).toBe(c.sizeUnit);
  });

  it('reads a market order: the last price where the page shows one, the other fields as typed', () => {
    const doc = load(c);
    const form = adapter.findForm(doc)!;
    fill(adapter, form, { price: '60000', stop: '63000', size: '2' });
    c.pickMarket(doc);
    const reading = adapter.read(form, doc)!;
    expect(reading.type).toBe(c.readsTabs ? 'market' : 'unknown');
    expect(reading.entry).toBe(c.lastPrice);
    expect(reading.entryFrom).toBe(c.lastPrice !== undefined ? 'last-price' : undefined);
    expect(reading).toMatchObject({ stop: 63_000, leverage: c.leverage, size: { amount: 2, unit: c.sizeUnit } });
  });

  it('leaves the side open when the levels do not tell it', () => {
    const doc = load(c);
    const form = adapter.findForm(doc)!;
    fill(adapter, form, { price: '64000' });
    const reading = adapter.read(form, doc);
    expect(reading?.entry).toBe(64_000);
    expect(reading?.side).toBeUndefined();
  });

  it('anchors beside the stop field and knows the submit buttons', () => {
    const doc = load(c);
    const form = adapter.findForm(doc)!;
    expect(adapter.anchor(form)).toBe(adapter.field(form, 'stop'));
    const submit = adapter.submitButtons(form);
    expect(submit.length).toBeGreaterThanOrEqual(2);
    for (const button of submit) expect(button.tagName.toLowerCase()).toBe('button');
    const texts = submit.map((b) => b.textContent?.trim());
    expect(texts.some((t) => /long|开多|place order/i.test(t ?? ''))).toBe(true);
  });

  it('reads the same page by labels, roles and text alone, every site selector gone', () => {
    const doc = load(c);
    const plain = adapterFromSelectors(bare(c.exchange));
    const form = plain.findForm(doc)!;
    // The same form, or (OKX) the form element inside the container the selector names.
    expect(adapter.findForm(doc)!.contains(form)).toBe(true);
    fill(plain, form, { price: '64,000', size: '0.5', stop: '63500', takeProfit: '66,250.5' });
    expect(plain.read(form, doc)).toMatchObject({ side: 'long', type: 'limit', entry: 64_000, stop: 63_500, takeProfit: 66_250.5, leverage: c.leverage, size: { amount: 0.5, unit: c.sizeUnit } });
  });

  it('an order type it cannot read does not blank the reading: a price input shown means limit, none means unknown', () => {
    const doc = load(c);
    const form = adapter.findForm(doc)!;
    fill(adapter, form, { price: '64000', stop: '63000' });
    // Every tab loses its state: no ARIA, no class.
    for (const el of form.querySelectorAll('*')) {
      el.removeAttribute('aria-selected');
      for (const token of [...el.classList]) if (/active|kTJiZa/.test(token)) el.classList.remove(token);
    }
    expect(adapter.read(form, doc)).toMatchObject({ type: 'limit', typeFrom: 'inferred', entry: 64_000, stop: 63_000, side: 'long' });
    adapter.field(form, 'price')!.setAttribute('hidden', '');
    const unknown = adapter.read(form, doc)!;
    expect(unknown).toMatchObject({ type: 'unknown', typeFrom: 'inferred', stop: 63_000, leverage: c.leverage });
    expect(unknown.entry).toBe(c.lastPrice);
  });

  it('cannot read a form without a price or size input: null (manual entry)', () => {
    const doc = load(c);
    const form = adapter.findForm(doc)!;
    for (const input of form.querySelectorAll('input')) input.remove();
    expect(adapter.read(form, doc)).toBeNull();
  });

  it('follows an input the page replaces, and TP/SL inputs that appear later', () => {
    const doc = load(c);
    const form = adapter.findForm(doc)!;
    fill(adapter, form, { price: '64000' });
    expect(adapter.read(form, doc)?.entry).toBe(64_000);
    const price = adapter.field(form, 'price')!;
    const copy = price.cloneNode(true) as HTMLInputElement;
    copy.value = '64100';
    price.replaceWith(copy);
    expect(adapter.read(form, doc)?.entry).toBe(64_100);
    const stop = adapter.field(form, 'stop')!;
    const box = stop.parentElement!;
    const holder = box.parentElement!;
    const next = box.nextSibling;
    box.remove();
    expect(adapter.read(form, doc)?.stop).toBeUndefined();
    (stop as HTMLInputElement).value = '63000';
    holder.insertBefore(box, next);
    expect(adapter.read(form, doc)?.stop).toBe(63_000);
  });

  it('logged out, with a Log in link where the side buttons were: found by its order-type tabs and read', () => {
    const doc = load(c);
    const form = adapter.findForm(doc)!;
    for (const button of [...form.querySelectorAll('button')]) {
      if (/buy|sell|long|short|买入|卖出/i.test(button.textContent ?? '')) button.remove();
    }
    const login = doc.createElement('a');
    login.textContent = 'Log in / Sign up';
    form.append(login);
    const found = adapter.findForm(doc)!;
    expect(found).not.toBeNull();
    expect(found.contains(adapter.field(found, 'price'))).toBe(true);
    fill(adapter, found, { price: '64000', stop: '63000' });
    expect(adapter.read(found, doc)).toMatchObject({ entry: 64_000, stop: 63_000, side: 'long', sideFrom: 'levels', leverage: c.leverage });
  });

  it('finds no form on a page without one', () => {
    const { document } = parseHTML('<!doctype html><html><body><header><a>Buy Crypto</a><a>Sell</a></header><main><input placeholder="Price"></main></body></html>');
    expect(adapter.findForm(document as unknown as Document)).toBeNull();
  });
});

describe('form finding', () => {
  it('takes the smallest container holding both sides and a price or size input, not the page header', () => {
    const { document } = parseHTML(`<!doctype html><html><body><div id="app">
      <header><a>Buy Crypto</a><a>Sell</a><input placeholder="Search"></header>
      <div id="layout"><div id="book"><span>Price</span><span>Size</span></div>
        <div id="outer"><div id="form"><div role="tablist"><div role="tab">Buy</div><div role="tab">Sell</div></div>
          <label>Price <input></label><label>Amount <input></label></div></div></div></div></body></html>`);
    const form = adapterFromSelectors(bare('okx')).findForm(document as unknown as Document);
    expect(form?.id).toBe('form');
  });

  it('reads the side from a one-way switch marked by ARIA or by class, not from two plain buttons', () => {
    const page = (buy: string, sell: string) =>
      parseHTML(`<div id="f"><div role="tab" ${buy}>Buy</div><div role="tab" ${sell}>Sell</div><label>Price<input value="64000"></label><label>Stop loss<input value="65000"></label></div>`).document as unknown as Document;
    const plain = adapterFromSelectors(bare('okx'));
    const read = (doc: Document) => plain.read(plain.findForm(doc)!, doc);
    expect(read(page('aria-selected="false"', 'aria-selected="true"'))).toMatchObject({ side: 'short', sideFrom: 'form' });
    expect(read(page('class="tab tab-active"', 'class="tab"'))).toMatchObject({ side: 'long', sideFrom: 'form' });
    // Neither marked: the stop above the entry says short.
    expect(read(page('', ''))).toMatchObject({ side: 'short', sideFrom: 'levels' });
  });
});
