import { PAGE_BASE_CSS } from '../theme';
import { RELIABILITY_CSS } from '../panel/details-css';

/** The popup's look: the panel's layout on the shared colour variables. */
export const POPUP_CSS = `${PAGE_BASE_CSS}
main { width: 356px; padding: 10px 12px 12px; box-sizing: border-box; }
header { display: flex; align-items: baseline; gap: 8px; margin-bottom: 8px; }
header .market { flex: 1; color: var(--muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.picker { margin-bottom: 8px; }
.picker-row { display: flex; gap: 6px; }
.picker-row input { flex: 1; min-width: 0; }
.results { list-style: none; margin: 4px 0 0; padding: 0; border: 1px solid var(--border); border-radius: 4px; max-height: 180px; overflow: auto; }
.results button { display: block; width: 100%; text-align: left; border: 0; border-radius: 0; background: transparent; padding: 3px 6px; }
.results button:hover, .results button:focus { background: var(--control); }
.results-note { margin: 4px 0; }
canvas { display: block; width: 332px; height: 140px; border-radius: 4px; }
.pools { margin: 6px 0; }
.pools p { margin: 2px 0; font-size: 12px; }
.pool.above { color: var(--short); }
.pool.below { color: var(--long); }
.price { color: var(--strong); font-weight: 600; }
.context { display: grid; grid-template-columns: 1fr; gap: 2px; margin: 6px 0 4px; }
.context div { display: flex; justify-content: space-between; gap: 6px; }
.context dt { color: var(--muted); }
.context dd { margin: 0; color: var(--strong); }
${RELIABILITY_CSS}.actions { display: flex; gap: 6px; margin-top: 8px; }
.actions .spacer { flex: 1; }
.status { margin: 8px 0; }
.note { margin: 4px 0 0; }
`;
