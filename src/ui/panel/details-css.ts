/** The look of ContextRows' reliability line (details.tsx): the score, and its reasons folded under it. Panel and popup. */
export const RELIABILITY_CSS = `.reasons { margin: 2px 0 4px; padding-left: 16px; color: var(--muted); font-size: 11px; }
.reliability summary { cursor: pointer; display: flex; justify-content: space-between; gap: 6px; list-style: none; }
.reliability summary::-webkit-details-marker { display: none; }
.reliability summary .label::before { content: "▸ "; }
.reliability[open] summary .label::before { content: "▾ "; }
.reliability summary .label { color: var(--muted); flex: 1; }
.reliability summary b { color: var(--strong); font-weight: normal; }
`;
