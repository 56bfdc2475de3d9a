/**
 * OKX perpetual swap order form (`www.okx.com[/<locale>]/trade-swap/<inst-id>`). In hedge mode
 * (the logged-out default) the form has Open/Close tabs and two buttons (Buy/Long, Sell/Short):
 * the side comes from the levels; in one-way mode a Buy/Sell segmented switch picks it.
 * Sources (see SITES-EVIDENCE.md):
 * - [H] mop824/okx-hotkey `src/content/selectors.js` (2026-05);
 * - [N] notiv-nt/cex-utilities `packages/okx/src/services/okx-ui.service.ts` (2022-12 to 2023-07);
 * - [C] a 2026-04 capture of the page (the visually hidden price label, the size placeholder).
 */
import type { SiteSelectors } from '../types';

export const OKX_SELECTORS: SiteSelectors = {
  exchange: 'okx',
  urls: ['https://www.okx.com/trade-swap/*', 'https://www.okx.com/*/trade-swap/*'],
  // [H] 2026: `.place-order-container-common` around a `form.okui-form`.
  form: ['.place-order-container-common'],
  // No side selector: one-way mode's direction tabs (`.okui-tabs-pane-segmented[role="tab"]`, [H]
  // 2026) say which is which only by their text (Buy / Sell), so the reader finds them by text.
  orderType: {
    options: {
      // [H] 2026 and SITES-EVIDENCE.md: `[role="tab"][data-pane-id="limit" | "market"]` with aria-selected.
      limit: ['[role="tab"][data-pane-id="limit"]'],
      market: ['[role="tab"][data-pane-id="market"]'],
    },
  },
  // [H] 2026: `.price-input .okui-input-input`, named by a visually hidden `label for` ([C]); [N] 2023: `name="price"`.
  price: { selectors: ['.price-input input.okui-input-input', 'input[name="price"]'] },
  // [C] 2026: `.size-input input.okui-input-input`; [N] 2023: `name="size"`.
  size: { selectors: ['.size-input input.okui-input-input', 'input[name="size"]'] },
  // [C] 2026: the size field's unit switch reads "Amount (Contracts)" / "数量(张)"; found in the size box.
  sizeUnit: ['.size-input button'],
  // [H] 2026: `input[aria-label="slTriggerPx"]` / `[labelbasic="SL trigger price"]`; [N] 2023: `name=`.
  stop: { selectors: ['input[aria-label="slTriggerPx"]', 'input[labelbasic="SL trigger price"]', 'input[name="slTriggerPx"]'] },
  takeProfit: { selectors: ['input[aria-label="tpTriggerPx"]', 'input[labelbasic="TP trigger price"]', 'input[name="tpTriggerPx"]'] },
  // SITES-EVIDENCE.md (2026): `.order-settings-box button` reading `5x5x` (long and short leverage).
  leverage: ['.order-settings-box button'],
  // [N] 2023: `.ticker-last-box .last`; [H] 2026: `span.last`.
  lastPrice: ['.ticker-last-box .last', 'span.last'],
  // [H] 2026: `button.okui-positivebutton` / `button.okui-negativebutton`.
  submit: ['button.okui-positivebutton', 'button.okui-negativebutton'],
};
