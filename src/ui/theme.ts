/**
 * Dark or light for the extension's own pages (popup, options): the system's preference unless
 * the user's setting says otherwise. Colours follow the on-page panel's palette.
 */
import { useEffect, useState } from 'preact/hooks';
import { sideCssVars } from '../render/side-colors';
import type { Theme } from '../settings/schema';

export type ResolvedTheme = 'dark' | 'light';

/**
 * @example resolveTheme('system', false) // 'light'
 */
export function resolveTheme(setting: Theme, prefersDark: boolean): ResolvedTheme {
  if (setting === 'dark' || setting === 'light') return setting;
  return prefersDark ? 'dark' : 'light';
}

/** The theme in force, following changes of the system preference; sets `data-theme` on the page. */
export function useResolvedTheme(setting: Theme): ResolvedTheme {
  const query = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined;
  const [prefersDark, setPrefersDark] = useState(query?.matches ?? true);
  useEffect(() => {
    if (!query) return undefined;
    const onChange = () => setPrefersDark(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  const theme = resolveTheme(setting, prefersDark);
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);
  return theme;
}

/** Colour variables and the base look shared by the popup and the options page. */
export const PAGE_BASE_CSS = `
:root, :root[data-theme="dark"] {
  color-scheme: dark;
  --bg: #0e1117; --fg: #c9d1d9; --muted: #8b949e; --faint: #6e7681; --strong: #f0f6fc;
  --border: #30363d; --control: #21262d; ${sideCssVars('dark')} --error: #ff7b72; --accent: #58a6ff;
}
:root[data-theme="light"] {
  color-scheme: light;
  --bg: #ffffff; --fg: #24292f; --muted: #57606a; --faint: #6e7781; --strong: #1f2328;
  --border: #d0d7de; --control: #f6f8fa; ${sideCssVars('light')} --error: #cf222e; --accent: #0969da;
}
html, body { margin: 0; background: var(--bg); color: var(--fg); }
body { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { font-size: 15px; margin: 0; color: var(--strong); }
h2 { font-size: 13px; margin: 0 0 6px; color: var(--strong); }
select, button, input { font: inherit; color: inherit; background: var(--control); border: 1px solid var(--border); border-radius: 4px; padding: 2px 6px; }
button { cursor: pointer; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button:disabled { opacity: 0.5; cursor: default; }
.muted { color: var(--muted); }
.note { color: var(--faint); font-size: 11px; }
.error { color: var(--error); }
`;
