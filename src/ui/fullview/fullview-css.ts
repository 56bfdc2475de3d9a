/** Styles of the full view page (the extension's own page: colours from the shared page base). */
import { PAGE_BASE_CSS } from '../theme';

export const FULL_VIEW_CSS = `
${PAGE_BASE_CSS}
html, body { height: 100%; }
body { overflow: hidden; }
#app { height: 100%; }
.fullview { box-sizing: border-box; height: 100%; display: flex; flex-direction: column; padding: 8px 12px; gap: 6px; }
.fullview header { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 14px; }
.fullview header .market { color: var(--muted); }
.fullview [role="group"] { display: flex; gap: 2px; }
.chip { font-size: 12px; padding: 1px 8px; background: transparent; color: var(--muted); border: 1px dashed var(--border); }
.chip[aria-pressed="true"] { background: var(--accent); border: 1px solid var(--accent); color: #fff; font-weight: 600; }
.chip[aria-pressed="true"]::before { content: "✓ "; }
.badge.stale { background: #d29922; color: #000; border-radius: 3px; padding: 0 4px; font-size: 11px; font-weight: 600; }
.contrast-slot:empty { display: none; }
.contrast { display: flex; align-items: center; gap: 8px; font-size: 12px; }
.contrast input[type="range"] { vertical-align: middle; width: 110px; }
.fullview .real-levels { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 16px; font-size: 12px; }
.status, .fullview > .note { margin: 0; }
.stage { position: relative; flex: 1; min-height: 240px; }
.stage canvas { display: block; cursor: crosshair; touch-action: none; }
.stage canvas[data-dragging] { cursor: grabbing; }
.tooltip {
  position: absolute; z-index: 1; max-width: 340px; pointer-events: none;
  background: var(--bg); color: var(--fg); border: 1px solid var(--border); border-radius: 4px;
  box-shadow: 0 4px 12px rgba(0, 0, 0, 0.4); padding: 6px 8px; font-size: 12px;
}
.tooltip b { color: var(--strong); }
.tooltip div + div { margin-top: 2px; }
.tooltip .long { color: var(--long); }
.tooltip .short { color: var(--short); }
`;
