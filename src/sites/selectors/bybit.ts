/**
 * Bybit USDT perpetual order form (`www.bybit.com[/<locale>]/trade/usdt/<SYMBOL>`). No public
 * source shows a stable attribute on it: inputs are `input.by-input__inner` with no name or test
 * id, so the form is found by its Buy/Long and Sell/Short buttons and read by label text.
 * Long and short are placed with two buttons: the side comes from the stop and take-profit.
 * Sources (see SITES-EVIDENCE.md): mmintel/chrome-bybit-extension `src/content.ts` (2022-09);
 * Greasy Fork scripts 462661 (2023) and 548078 (2026-01); 0xpeti/position-size-calculator.
 */
import type { SiteSelectors } from '../types';

export const BYBIT_SELECTORS: SiteSelectors = {
  exchange: 'bybit',
  urls: ['https://www.bybit.com/trade/usdt/*', 'https://www.bybit.com/*/trade/usdt/*'],
  // No container selector in any source: the form is found by what it holds.
  form: [],
  // Order-type tabs sit in `.oc-main__order-type` (Greasy Fork 548078, 2026-01) with no attribute
  // telling them apart: found by their text (Limit / Market, 限价 / 市价), picked by class.
  price: { selectors: [] },
  size: { selectors: [] },
  sizeUnit: [],
  stop: { selectors: [] },
  takeProfit: { selectors: [] },
  // SITES-EVIDENCE.md: `.oc-head-leverage` (2024-26 scripts).
  leverage: ['.oc-head-leverage'],
  // SITES-EVIDENCE.md: `.ob__market-price` in the order book.
  lastPrice: ['.ob__market-price'],
  submit: [],
};
