/**
 * The shared order-form reader's rules, one by one, on small DOMs: accessible names from every
 * source, field roles in English and Simplified Chinese, selected state by ARIA or class, and
 * the parsing of numbers, leverage and size units.
 */
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { accessibleNames } from '../src/sites/reader/accessible-name';
import { isSelected } from '../src/sites/reader/dom';
import { roleOf } from '../src/sites/reader/layout';
import { parseAmount, parseLeverage, parseMarginMode, parseSizeUnit } from '../src/sites/reader/parse';
import { adapterFromSelectors } from '../src/sites/read-form';

function dom(html: string): Document {
  return parseHTML(`<!doctype html><html><body>${html}</body></html>`).document as unknown as Document;
}

function input(html: string): Element {
  return dom(html).querySelector('#x')!;
}

describe('accessible names', () => {
  it.each([
    ['<label for="x">Price</label><input id="x">', 'Price'],
    ['<label>Stop loss <input id="x"> USDT</label>', 'Stop loss USDT'],
    ['<input id="x" aria-label="数量">', '数量'],
    ['<span id="a">Take</span><span id="b">profit</span><input id="x" aria-labelledby="a b">', 'Take profit'],
    ['<label for="x" class="sr-only" style="position:absolute;clip:rect(0 0 0 0)">Price</label><div><input id="x"></div>', 'Price'],
    ['<input id="x" placeholder="委托价格">', '委托价格'],
    ['<div><div class="title">Order Price</div><div class="box"><input id="x"><span>Last</span></div></div>', 'Order Price'],
    ['<div>Size<input id="x"></div>', 'Size'],
  ])('%s names the input %s', (html, name) => {
    expect(accessibleNames(input(html))).toContain(name);
  });

  it('takes no text from before a neighbouring field', () => {
    expect(accessibleNames(input('<div><span>Price</span><input></div><div><input id="x"></div>'))).toEqual([]);
  });
});

describe('field roles', () => {
  it.each([
    ['Price', 'price'],
    ['Price (USDC)', 'price'],
    ['Order Price', 'price'],
    ['价格', 'price'],
    ['委托价格', 'price'],
    ['Size', 'size'],
    ['Amount (Contracts)', 'size'],
    ['Qty', 'size'],
    ['数量', 'size'],
    ['Stop Loss', 'stop'],
    ['SL Price', 'stop'],
    ['止损', 'stop'],
    ['TP trigger price', 'takeProfit'],
    ['Take Profit', 'takeProfit'],
    ['止盈触发价', 'takeProfit'],
  ] as const)('%s is the %s field', (name, role) => {
    expect(roleOf(input(`<input id="x" aria-label="${name}">`))).toBe(role);
  });

  it('names nothing for other inputs', () => {
    expect(roleOf(input('<input id="x" placeholder="Search">'))).toBeUndefined();
    expect(roleOf(input('<input id="x" aria-label="Trigger Price">'))).toBeUndefined();
  });
});

describe('selected state', () => {
  it.each([
    ['<div role="tab" id="x" aria-selected="true">Limit</div>', true],
    ['<button id="x" aria-pressed="true">Buy</button>', true],
    ['<div role="radio" id="x" aria-checked="true">Buy</div>', true],
    ['<div id="x" class="tab active">Limit</div>', true],
    ['<div id="x" class="oc-main__order-type-item--active">Limit</div>', true],
    ['<div id="x" class="by-checkbox by-checkbox--checked">Long</div>', true],
    ['<li class="is-selected"><span id="x">Market</span></li>', true],
    ['<div role="tab" id="x" aria-selected="false">Limit</div>', false],
    ['<div id="x" class="tab inactive">Limit</div>', false],
    ['<button id="x" class="sc-hknOHE gHkLpm">Buy / Long</button>', false],
    ['<div class="tabs active"><span id="x">Limit</span><span>Market</span></div>', false],
  ])('%s: %s', (html, selected) => {
    expect(isSelected(input(html))).toBe(selected);
  });
});

describe('numbers, leverage and units', () => {
  it('parses prices as the forms show them', () => {
    expect(parseAmount('64,812.3')).toBe(64_812.3);
    expect(parseAmount(' 64 812.30 USDT')).toBe(64_812.3);
    expect(parseAmount('0.0123 BTC')).toBe(0.0123);
    expect(parseAmount('')).toBeUndefined();
    expect(parseAmount('Market')).toBeUndefined();
    expect(parseAmount('0')).toBeUndefined();
  });

  it('parses leverage, taking the short side’s where both are shown', () => {
    expect(parseLeverage('20x')).toBe(20);
    expect(parseLeverage('Cross 20x')).toBe(20);
    expect(parseLeverage('全仓 20x')).toBe(20);
    expect(parseLeverage('Cross · 10.00x')).toBe(10);
    expect(parseLeverage('5x5x')).toBe(5);
    expect(parseLeverage('10x20x', 'long')).toBe(10);
    expect(parseLeverage('10x20x', 'short')).toBe(20);
    expect(parseLeverage('10x20x')).toBe(10);
    expect(parseLeverage('25X')).toBe(25);
    expect(parseLeverage('×3')).toBe(3);
    expect(parseLeverage('Cross')).toBeUndefined();
  });

  it('parses the margin mode the leverage control or a control of its own names', () => {
    expect(parseMarginMode('Cross 20x')).toBe('cross');
    expect(parseMarginMode('Cross · 10.00x')).toBe('cross');
    expect(parseMarginMode('全仓 20x')).toBe('cross');
    expect(parseMarginMode('Isolated')).toBe('isolated');
    expect(parseMarginMode('isolated 5x5x')).toBe('isolated');
    expect(parseMarginMode('逐仓')).toBe('isolated');
    // No mode named, a word that only starts like one, or both choices listed.
    expect(parseMarginMode('20x')).toBeUndefined();
    expect(parseMarginMode('Crossover')).toBeUndefined();
    expect(parseMarginMode('Cross Isolated')).toBeUndefined();
    expect(parseMarginMode('')).toBeUndefined();
  });

  it('reads the size unit from the unit switch', () => {
    expect(parseSizeUnit('Amount (Contracts)')).toBe('contracts');
    expect(parseSizeUnit('数量(张)')).toBe('contracts');
    expect(parseSizeUnit('Cont')).toBe('contracts');
    expect(parseSizeUnit('USDT')).toBe('USDT');
    expect(parseSizeUnit('BTC')).toBe('BTC');
    expect(parseSizeUnit('kPEPE')).toBe('kPEPE');
    expect(parseSizeUnit('Coin')).toBe('coin');
    expect(parseSizeUnit('币')).toBe('coin');
    expect(parseSizeUnit('Qty')).toBeUndefined();
    expect(parseSizeUnit('')).toBeUndefined();
  });
});

describe('reading whole forms by labels alone', () => {
  const none = { selectors: [] };
  const plain = adapterFromSelectors({ exchange: 'bybit', urls: [], form: [], price: none, size: none, sizeUnit: [], stop: none, takeProfit: none, leverage: [], lastPrice: [], submit: [] });
  const read = (doc: Document) => {
    const form = plain.findForm(doc);
    return form ? plain.read(form, doc) : null;
  };

  it('reads a form in Simplified Chinese: 价格, 数量, 止盈, 止损, 限价/市价 tabs picked by class, 全仓 10x', () => {
    const doc = dom(`<div class="oc">
      <div><span>全仓</span> <span>10x</span></div>
      <div class="types"><div class="item item--active">限价</div><div class="item">市价</div></div>
      <div><div>价格</div><div><input value="64,000"></div></div>
      <div><div>数量</div><div><input value="3"><div role="combobox">张</div></div></div>
      <div><div>止盈</div><div><input value="66000"></div></div>
      <div><div>止损</div><div><input value="63000"></div></div>
      <button>买入/做多</button><button>卖出/做空</button></div>`);
    expect(read(doc)).toEqual({ type: 'limit', side: 'long', sideFrom: 'levels', entry: 64_000, entryFrom: 'limit-price', stop: 63_000, takeProfit: 66_000, leverage: 10, marginMode: 'cross', size: { amount: 3, unit: 'contracts' }, sizeUnit: 'contracts' });
  });

  it('takes a disabled "Market price" input for no limit price: the type is unknown, the rest is read', () => {
    const doc = dom(`<div><button>Buy</button><button>Sell</button>
      <label>Price <input disabled placeholder="Market price"></label><label>Size <input value="0.5"></label><label>Stop loss <input value="63000"></label></div>`);
    expect(read(doc)).toEqual({ type: 'unknown', typeFrom: 'inferred', stop: 63_000, size: { amount: 0.5, unit: '' } });
  });

  it('keeps a Place Order button just outside the container found among the submit buttons', () => {
    const doc = dom(`<div id="column"><div id="form"><button>Buy / Long</button><button>Sell / Short</button>
      <label>Price <input></label></div><div class="footer"><button id="submit">Place Order</button></div></div>`);
    const form = plain.findForm(doc)!;
    expect(form.id).toBe('form');
    expect(plain.submitButtons(form).map((b) => b.textContent)).toEqual(['Buy / Long', 'Sell / Short', 'Place Order']);
  });

  it('reads the shown pane, not a hidden copy the page left before it', () => {
    const doc = dom(`<div><button>Buy</button><button>Sell</button>
      <div style="display: none"><label>Price <input value="1"></label></div>
      <div><label>Price <input value="64000"></label><label>Stop loss <input value="63000"></label></div></div>`);
    expect(read(doc)).toMatchObject({ type: 'limit', entry: 64_000, stop: 63_000, side: 'long' });
  });

  it('takes the unit from the element in the size box that names one, not the first button', () => {
    const doc = dom(`<div><button>Buy</button><button>Sell</button>
      <div><span>Qty</span><input value="2"><button>−</button><button>+</button><button>USDT</button></div></div>`);
    expect(read(doc)?.size).toEqual({ amount: 2, unit: 'USDT' });
  });
});

describe('leverage outside the form', () => {
  const none = { selectors: [] };
  const plain = adapterFromSelectors({ exchange: 'hyperliquid', urls: [], form: [], price: none, size: none, sizeUnit: [], stop: none, takeProfit: none, leverage: [], lastPrice: [], submit: [] });

  it('takes the header row just above the form, never a positions table', () => {
    const page = (header: string) =>
      dom(`<div id="column">${header}<div id="entry"><button>Buy / Long</button><button>Sell / Short</button><label>Price <input value="64000"></label></div>
        <table><tr><td>BTC</td><td><span>50x</span></td></tr></table></div>`);
    const read = (doc: Document) => plain.read(plain.findForm(doc)!, doc);
    expect(read(page('<div><button>Cross</button><button>20x</button></div>'))?.leverage).toBe(20);
    expect(read(page(''))?.leverage).toBeUndefined();
  });

  it('reads the margin mode from a control of its own beside the leverage, or from the leverage text', () => {
    const page = (header: string, table = '') =>
      dom(`<div id="column">${header}<div id="entry"><button>Buy / Long</button><button>Sell / Short</button><label>Price <input value="64000"></label></div>${table}</div>`);
    const read = (doc: Document) => plain.read(plain.findForm(doc)!, doc);
    expect(read(page('<div><button>Cross</button><button>20x</button></div>'))).toMatchObject({ leverage: 20, marginMode: 'cross' });
    expect(read(page('<div><button>Isolated</button><button>20x</button></div>'))).toMatchObject({ leverage: 20, marginMode: 'isolated' });
    expect(read(page('<div><button>Isolated 20x</button></div>'))).toMatchObject({ leverage: 20, marginMode: 'isolated' });
    expect(read(page('<div><span>逐仓</span> <span>10x</span></div>'))).toMatchObject({ leverage: 10, marginMode: 'isolated' });
    // Both choices shown: the picked one, or none when neither is marked.
    expect(read(page('<div role="tablist"><button role="tab" aria-selected="false">Cross</button><button role="tab" aria-selected="true">Isolated</button></div><button>20x</button>'))?.marginMode).toBe('isolated');
    expect(read(page('<div><button>Cross</button><button>Isolated</button><button>20x</button></div>'))?.marginMode).toBeUndefined();
    // A form that shows no mode has none; a positions table's margin column is never read.
    expect(read(page('<div><button>20x</button></div>'))).not.toHaveProperty('marginMode');
    const table = '<table><tr><td>BTC</td><td><span>Isolated</span></td><td><span>50x</span></td></tr></table>';
    expect(read(page('<div><button>20x</button></div>', table))).not.toHaveProperty('marginMode');
    // The mode follows the page when it switches, as the leverage does.
    const doc = page('<div><button id="mode">Cross</button><button>20x</button></div>');
    expect(read(doc)?.marginMode).toBe('cross');
    doc.getElementById('mode')!.textContent = 'Isolated';
    expect(read(doc)?.marginMode).toBe('isolated');
  });
});
