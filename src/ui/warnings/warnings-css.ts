/** Styles of the warning beside the order form and of the panel-side list (each in its own shadow root). */
export const WARNINGS_CSS = `
:host { all: initial; }
.card, .list {
  position: fixed; z-index: 2147482999; box-sizing: border-box;
  background: #0e1117; color: #c9d1d9; border: 1px solid #30363d; border-left-width: 4px; border-radius: 6px;
  box-shadow: 0 6px 18px rgba(0, 0, 0, 0.45);
  font: 12px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
  padding: 8px 10px;
}
.card { width: 300px; }
.list { width: 384px; max-height: 40vh; overflow: auto; }
.sev-info { border-left-color: #58a6ff; }
.sev-warning { border-left-color: #d29922; }
.sev-danger { border-left-color: #f85149; }
header { display: flex; align-items: center; gap: 8px; margin-bottom: 4px; }
header strong { color: #f0f6fc; }
header .level { flex: 1; font-weight: 600; text-transform: capitalize; }
.sev-info .level { color: #79c0ff; }
.sev-warning .level { color: #e3b341; }
.sev-danger .level { color: #ff7b72; }
ul { list-style: none; margin: 0; padding: 0; }
li { margin: 4px 0; padding-left: 8px; border-left: 2px solid #30363d; }
li.sev-warning { border-left-color: #d29922; }
li.sev-danger { border-left-color: #f85149; }
li.sev-info { border-left-color: #58a6ff; }
button, select, input { font: inherit; color: inherit; background: #21262d; border: 1px solid #30363d; border-radius: 4px; padding: 2px 6px; }
button { cursor: pointer; }
button.dismiss { padding: 0 6px; }
.copy { margin-top: 3px; display: inline-block; }
.copied { color: #7ee787; margin-left: 6px; }
.note, .muted { color: #8b949e; font-size: 11px; margin: 4px 0 0; }
form.manual { display: grid; grid-template-columns: auto 1fr 1fr auto; gap: 4px; align-items: center; margin-top: 4px; }
form.manual input { width: 100%; box-sizing: border-box; }
`;
