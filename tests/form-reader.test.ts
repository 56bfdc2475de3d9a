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
import { parseAmount, parseLeverage, parseSizeUnit } from '../src/sites/reader/parse';

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
