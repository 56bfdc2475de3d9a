/**
 * Styles of the order warnings: the card beside the order form (its own shadow root) and the
 * order check in the panel's footer (added to the panel's shadow root, every rule under
 * `.order-check` so the panel's own rules and these stay apart).
 */
import { sideCssVars } from '../../render/side-colors';
import { HOST_CSS } from '../host-css';

/** Severity colours, the findings list and its controls, under `scope`. */
function findingRules(scope: string): string {
  return `
${scope}.sev-info { border-left-color: #58a6ff; }
${scope}.sev-warning { border-left-color: #d29922; }
${scope}.sev-danger { border-left-color: #f85149; }
${scope} .head { display: flex; align-items: center; gap: 8px; margin-bottom: 4px; }
${scope} .head strong { color: #f0f6fc; }
${scope} .level { flex: 1; font-weight: 600; text-transform: capitalize; }
${scope}.sev-info .level { color: #79c0ff; }
${scope}.sev-warning .level { color: #e3b341; }
${scope}.sev-danger .level { color: #ff7b72; }
${scope} ul { list-style: none; margin: 0; padding: 0; }
${scope} li { margin: 4px 0; padding-left: 8px; border-left: 2px solid #30363d; }
${scope} li.sev-warning { border-left-color: #d29922; }
${scope} li.sev-danger { border-left-color: #f85149; }
${scope} li.sev-info { border-left-color: #58a6ff; }
${scope} button, ${scope} select, ${scope} input { font: inherit; color: inherit; background: #21262d; border: 1px solid #30363d; border-radius: 4px; padding: 2px 6px; }
${scope} button { cursor: pointer; }
${scope} button.dismiss { padding: 0 6px; }
${scope} .copy { margin-top: 3px; display: inline-block; }
${scope} .copied { color: #7ee787; margin-left: 6px; }
${scope} .side { display: inline-block; width: 8px; height: 8px; border-radius: 2px; margin-right: 4px; }
${scope} .side[data-side="long"] { background: var(--long-mark); }
${scope} .side[data-side="short"] { background: var(--short-mark); }
${scope} .note, ${scope} .muted { color: #8b949e; font-size: 11px; margin: 4px 0 0; }
${scope} form.manual { display: grid; grid-template-columns: auto 1fr 1fr; gap: 4px; align-items: center; margin-top: 4px; }
${scope} form.manual input { width: 100%; box-sizing: border-box; }
${scope} form.manual .problem { grid-column: 1 / -1; }
`;
}

/** The card beside the order form. */
export const WARNINGS_CSS = `
${HOST_CSS}
.card {
  position: fixed; z-index: 2147483001; box-sizing: border-box; width: 300px;
  background: #0e1117; color: #c9d1d9; border: 1px solid #30363d; border-left-width: 4px; border-radius: 6px;
  box-shadow: 0 6px 18px rgba(0, 0, 0, 0.45);
  font: 12px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
  padding: 8px 10px;
  ${sideCssVars('dark')}
}
${findingRules('.card')}`;

/** The order check in the panel's footer. */
export const ORDER_CHECK_CSS = `
.order-check { ${sideCssVars('dark')} margin-top: 8px; padding: 6px 8px; border: 1px solid #30363d; border-left-width: 4px; border-radius: 6px; }
${findingRules('.order-check')}
.order-check .fields ul { margin-top: 4px; display: flex; flex-wrap: wrap; gap: 2px 10px; }
.order-check .fields li { display: inline-flex; gap: 4px; align-items: baseline; margin: 0; padding: 0; border-left: 0; }
.order-check .fields li.live { color: #3fb950; font-weight: 600; }
.order-check .fields li.not-live { color: #e3b341; font-weight: 600; }
.order-check .fields li.read .mark { color: #3fb950; }
.order-check .fields li.unread { color: #8b949e; }
.order-check .fields .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.order-check .fields .taught { color: #79c0ff; font-size: 11px; }
.order-check .fields button { font-size: 11px; padding: 0 5px; }
.order-check .fields .point-row, .order-check .fields .picking { margin: 4px 0 0; font-size: 11px; }
.order-check .fields .point-row button { margin-right: 4px; }
.order-check .fields .picking { color: #79c0ff; }
.order-check .problem { color: #ff7b72; }`;
