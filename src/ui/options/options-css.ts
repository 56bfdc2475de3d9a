import { PAGE_BASE_CSS } from '../theme';

/** The options page's look, on the colour variables the popup uses. */
export const OPTIONS_CSS = `${PAGE_BASE_CSS}
main { max-width: 720px; margin: 0 auto; padding: 20px 24px 32px; }
h1 { font-size: 18px; margin-bottom: 12px; }
section { border: 1px solid var(--border); border-radius: 8px; padding: 12px 14px; margin: 12px 0; }
.row { display: flex; gap: 16px; }
.wrap { flex-wrap: wrap; }
.grid { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; }
.grid label { display: flex; flex-direction: column; gap: 4px; color: var(--muted); }
label.radio { display: block; margin: 3px 0; }
label.inline { display: flex; align-items: center; gap: 8px; margin: 6px 0; }
label.inline input[type="number"] { width: 64px; }
.weights { border-collapse: collapse; margin-top: 8px; }
.weights th, .weights td { padding: 2px 4px; text-align: center; }
.weights th:first-child { text-align: left; color: var(--muted); font-weight: normal; }
input.weight { width: 52px; }
.watches { margin: 0; padding-left: 18px; }
.watches li { margin: 2px 0; }
.notices { border: 1px solid var(--error); border-radius: 8px; padding: 4px 12px; }
`;
