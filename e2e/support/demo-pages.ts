/**
 * How the browser tests and the main-thread benchmark reach the parts of each demo page
 * (`e2e/pages/`). The adapters find these by label, role and text; the tests need their own
 * Playwright selectors to type and click as a user would. Used by e2e/order-warnings.test.ts
 * and scripts/bench-main-thread.ts.
 */
import type { ExchangeId } from '../../src/engine/types';

export interface DemoForm {
  readonly url: string;
  /** The inputs the test types into. */
  readonly inputs: { readonly price: string; readonly size: string; readonly stop: string };
  /** The page's submit buttons, which the warning must never cover. */
  readonly submit: string;
  /** The Market and Limit tabs (Playwright selectors). */
  readonly marketTab: string;
  readonly limitTab: string;
  /** The order form's container (a CSS selector for `document.querySelector`), for re-render tests. */
  readonly form: string;
  /** The leverage the page shows for a long. */
  readonly leverage: number;
}

/** The Binance page in Simplified Chinese: the same form, every word in Chinese. */
export const BINANCE_ZH_CN: DemoForm = {
  url: 'https://www.binance.com/zh-CN/futures/BTCUSDT',
  inputs: { price: 'input[id^="limitPrice-"]', size: 'input[id^="unitAmount-"]', stop: '.bn-textField:has(> .bn-textField-prefix:text-is("止损")) input' },
  submit: 'button.bn-button',
  marketTab: '[role="tab"][data-tab-key="MARKET"]',
  limitTab: '[role="tab"][data-tab-key="LIMIT"]',
  form: 'main > .css-13ywdf7',
  leverage: 20,
};

export const DEMO_FORMS: Readonly<Record<ExchangeId, DemoForm>> = {
  binance: {
    url: 'https://www.binance.com/en/futures/BTCUSDT',
    inputs: { price: 'input[id^="limitPrice-"]', size: 'input[id^="unitAmount-"]', stop: '.bn-textField:has(> .bn-textField-prefix:text-is("Stop Loss")) input' },
    submit: 'button.bn-button',
    marketTab: '[role="tab"][data-tab-key="MARKET"]',
    limitTab: '[role="tab"][data-tab-key="LIMIT"]',
    form: 'main > .css-13ywdf7',
    leverage: 20,
  },
  bybit: {
    url: 'https://www.bybit.com/trade/usdt/BTCUSDT',
    inputs: { price: '.oc__row-price input', size: '.oc__row:has(> .oc__row-title:text-is("Qty")) input', stop: '.oc__row-bottom--12:has(> .tpsl-modal-item__title:text-is("Stop Loss")) input' },
    submit: 'button.oc__btn',
    marketTab: '.oc-main__order-type > div:text-is("Market")',
    limitTab: '.oc-main__order-type > div:text-is("Limit")',
    form: '.oc',
    leverage: 10,
  },
  okx: {
    url: 'https://www.okx.com/trade-swap/btc-usdt-swap',
    inputs: { price: '.price-input input', size: '.size-input input', stop: 'input[aria-label="slTriggerPx"]' },
    submit: 'button.okui-positivebutton, button.okui-negativebutton',
    marketTab: '[role="tab"][data-pane-id="market"]',
    limitTab: '[role="tab"][data-pane-id="limit"]',
    form: '.place-order-container-common',
    leverage: 10,
  },
  bitget: {
    url: 'https://www.bitget.com/en/futures/usdt/BTCUSDT',
    inputs: { price: '.price-row input', size: 'input[data-testid="FutureTradeLimitOrderAmountInput"]', stop: 'input[placeholder="Stop loss"]' },
    submit: 'button[role="buyer"], button[role="seller"]',
    marketTab: '.tabs .tab:text-is("Market")',
    limitTab: '.tabs .tab:text-is("Limit")',
    form: '.trade-panel',
    leverage: 25,
  },
  hyperliquid: {
    url: 'https://app.hyperliquid.xyz/trade/BTC',
    inputs: { price: '.sc-price input', size: '.sc-gsFSXq:has(> div:text-is("Size")) input', stop: '.sc-gsFSXq:has(> div:text-is("SL Price")) input' },
    submit: 'button:text-is("Place Order")',
    marketTab: '.sc-bypJrT:text-is("Market")',
    limitTab: '.sc-bypJrT:text-is("Limit")',
    form: '.sc-eqUAAy',
    leverage: 20,
  },
};
