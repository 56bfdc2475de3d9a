/**
 * Styles of the on-page panel, scoped by its shadow root (HOST_CSS resets inherited page styles).
 * Colours are variables per theme (`data-theme` follows the page or the setting).
 */
import { sideCssVars } from '../render/side-colors';
import { HOST_CSS } from './host-css';
import { RELIABILITY_CSS } from './panel/details-css';

export const PANEL_CSS = `
${HOST_CSS}
.panel {
  --bg: #0e1117; --fg: #c9d1d9; --strong: #f0f6fc; --muted: #8b949e; --faint: #6e7681;
  --border: #30363d; --control: #21262d; --pressed: #1f6feb; --pressed-fg: #ffffff;
  ${sideCssVars('dark')} --error: #ff7b72; --warn: #d29922; --shadow: rgba(0, 0, 0, 0.5);
  position: fixed; left: 16px; bottom: 16px; z-index: 2147483000;
  /* Border-box: padding and border count in the height, so a full panel ends inside the viewport. */
  box-sizing: border-box; width: 432px; max-height: calc(100vh - 32px); overflow: auto; overscroll-behavior: contain;
  background: var(--bg); color: var(--fg); border: 1px solid var(--border); border-radius: 8px;
  box-shadow: 0 8px 24px var(--shadow);
  font: 12px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
  padding: 8px 12px 10px;
  /* The panel's own layout never reaches into the page's, nor the page's into it. */
  contain: layout style;
}
.panel[data-theme="light"] {
  --bg: #ffffff; --fg: #24292f; --strong: #1f2328; --muted: #57606a; --faint: #6e7781;
  --border: #d0d7de; --control: #f6f8fa; --pressed: #0969da; --pressed-fg: #ffffff;
  ${sideCssVars('light')} --error: #cf222e; --warn: #9a6700; --shadow: rgba(31, 35, 40, 0.15);
}
.panel[hidden] { display: none; }
.panel[data-collapsed="true"] { padding-bottom: 8px; }
header { display: flex; align-items: center; gap: 8px; margin-bottom: 6px; cursor: move; user-select: none; touch-action: none; }
.panel[data-collapsed="true"] header { margin-bottom: 0; }
header strong { color: var(--strong); font-size: 13px; }
header .market { flex: 1; color: var(--muted); }
select, button { font: inherit; color: inherit; background: var(--control); border: 1px solid var(--border); border-radius: 4px; padding: 1px 6px; cursor: pointer; }
button:disabled { cursor: not-allowed; opacity: 0.5; }
button:focus-visible, select:focus-visible { outline: 2px solid var(--pressed); outline-offset: 1px; }
button.icon { width: 24px; padding: 1px 0; }
.filters { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 4px 8px; margin-bottom: 6px; }
.tiers, .scope, .presets { display: flex; gap: 2px; }
/* Off: hollow, dashed, muted; on: filled, bold, ticked. The two never look alike. */
.chip { font-size: 11px; padding: 0 4px; background: transparent; color: var(--muted); border-style: dashed; }
.chip[aria-pressed="true"] { background: var(--pressed); border: 1px solid var(--pressed); color: var(--pressed-fg); font-weight: 600; }
.chip[aria-pressed="true"]::before { content: "✓"; margin-right: 2px; }
button.icon[aria-pressed="true"] { background: var(--pressed); border-color: var(--pressed); color: var(--pressed-fg); }
.chart { position: relative; display: flex; gap: 0; }
canvas { display: block; border-radius: 4px 0 0 4px; }
canvas.side { border-radius: 0 4px 4px 0; }
.tooltip {
  position: absolute; z-index: 1; width: 164px; pointer-events: none;
  background: var(--bg); color: var(--fg); border: 1px solid var(--border); border-radius: 4px;
  box-shadow: 0 4px 12px var(--shadow); padding: 4px 6px; font-size: 11px;
}
.tooltip b { color: var(--strong); }
.tooltip .long { color: var(--long); }
.tooltip .short { color: var(--short); }
.contrast { display: flex; flex-wrap: wrap; align-items: center; gap: 2px 8px; margin: 4px 0 0; font-size: 11px; color: var(--muted); }
.contrast label { display: inline-flex; align-items: center; gap: 4px; }
.contrast input[type="range"] { width: 96px; margin: 0; accent-color: var(--pressed); }
.contrast input[type="checkbox"] { margin: 0; accent-color: var(--pressed); }
.muted { color: var(--muted); }
.body.dim { opacity: 0.55; }
.pools { margin: 6px 0; }
.pools p { margin: 2px 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.pool.above { color: var(--short); }
.pool.below { color: var(--long); }
.price { color: var(--strong); font-weight: 600; }
.none { color: var(--faint); }
.context { display: grid; grid-template-columns: 1fr; gap: 1px; margin: 6px 0 2px; }
.context div { display: flex; justify-content: space-between; gap: 6px; }
.context dt { color: var(--muted); white-space: nowrap; }
.context dd { margin: 0; color: var(--strong); text-align: right; }
${RELIABILITY_CSS}.status { margin: 6px 0; display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
.status progress { flex-basis: 100%; height: 4px; }
.spinner { width: 10px; height: 10px; border: 2px solid var(--border); border-top-color: var(--pressed); border-radius: 50%; animation: spin 0.8s linear infinite; }
@keyframes spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .spinner { animation: none; } }
.badge { border-radius: 3px; padding: 0 4px; font-size: 11px; font-weight: 600; }
.badge.stale { background: var(--warn); color: #000; }
.error { color: var(--error); }
.warn { color: var(--warn); }
.note { margin: 4px 0 0; color: var(--faint); font-size: 11px; }
/* The order check stays in sight at the panel's bottom edge while the rest scrolls under it. */
.footer { position: sticky; bottom: -10px; z-index: 2; background: var(--bg); padding-bottom: 2px; max-height: 60vh; overflow: auto; }
.footer:empty { display: none; }
`;
