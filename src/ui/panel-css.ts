/** Styles of the on-page panel, scoped by its shadow root (WXT resets inherited page styles). */
export const PANEL_CSS = `
:host { all: initial; }
.panel {
  position: fixed; right: 16px; bottom: 16px; z-index: 2147483000;
  width: 384px; max-height: calc(100vh - 32px); overflow: auto;
  background: #0e1117; color: #c9d1d9; border: 1px solid #30363d; border-radius: 8px;
  box-shadow: 0 8px 24px rgba(0, 0, 0, 0.5);
  font: 12px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
  padding: 8px 12px 10px;
}
header { display: flex; align-items: center; gap: 8px; margin-bottom: 6px; }
header strong { color: #f0f6fc; font-size: 13px; }
header .market { flex: 1; color: #8b949e; }
select, button { font: inherit; color: inherit; background: #21262d; border: 1px solid #30363d; border-radius: 4px; padding: 1px 6px; cursor: pointer; }
button.icon { width: 24px; padding: 1px 0; }
canvas { display: block; width: 360px; height: 200px; border-radius: 4px; }
.pools { margin: 6px 0; }
.pools p { margin: 2px 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.pool.above { color: #ef9a9a; }
.pool.below { color: #80cbc4; }
.price { color: #f0f6fc; font-weight: 600; }
.none { color: #6e7681; }
.context { display: grid; grid-template-columns: 1fr 1fr; gap: 2px 12px; margin: 6px 0 4px; }
.context div { display: flex; justify-content: space-between; gap: 6px; }
.context dt { color: #8b949e; }
.context dd { margin: 0; color: #f0f6fc; }
.status { margin: 8px 0; }
.error { color: #ff7b72; }
.note { margin: 4px 0 0; color: #6e7681; font-size: 11px; }
`;
