/**
 * The panel's theme follows the exchange page: dark on a dark page, light on a light one, read
 * from the page's computed background colour (the first opaque one of body and html), with the
 * system's `prefers-color-scheme` when neither has one. Settings may force either.
 */

export type PanelTheme = 'dark' | 'light';
export type ThemeSetting = 'auto' | PanelTheme;

/**
 * Relative luminance (WCAG) of a CSS `rgb()`/`rgba()` colour, or undefined when it is not one or
 * is (almost) transparent.
 * @example luminanceOf('rgb(255, 255, 255)') // 1
 */
export function luminanceOf(color: string): number | undefined {
  const match = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(color.trim());
  if (!match) return undefined;
  const alphaText = match[4];
  const alpha = alphaText === undefined ? 1 : alphaText.endsWith('%') ? Number(alphaText.slice(0, -1)) / 100 : Number(alphaText);
  if (!(alpha >= 0.5)) return undefined;
  const channel = (text: string | undefined) => {
    const c = Math.min(255, Number(text)) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(match[1]) + 0.7152 * channel(match[2]) + 0.0722 * channel(match[3]);
}

/** What the theme reads from the page (a window or a stand-in in tests). */
export interface ThemeSource {
  readonly document: Document;
  getComputedStyle(element: Element): { readonly backgroundColor: string };
  matchMedia?(query: string): { readonly matches: boolean };
}

/**
 * The page's theme: from the background of body, then html; the system preference otherwise.
 * @example pageTheme(window) // 'dark' on Binance's futures page
 */
export function pageTheme(source: ThemeSource): PanelTheme {
  for (const element of [source.document.body, source.document.documentElement]) {
    if (!element) continue;
    const luminance = luminanceOf(source.getComputedStyle(element).backgroundColor);
    // 0.18 is the luminance whose contrast to black equals its contrast to white.
    if (luminance !== undefined) return luminance < 0.18 ? 'dark' : 'light';
  }
  return source.matchMedia?.('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

/** The theme to draw: the setting unless it is `auto`. */
export function resolveTheme(setting: ThemeSetting | undefined, page: PanelTheme): PanelTheme {
  return setting === 'dark' || setting === 'light' ? setting : page;
}

/**
 * Calls `onChange` with the page's theme whenever the page switches (class or style changes on
 * html/body, the system preference); stops when `signal` aborts.
 */
export function watchPageTheme(win: Window & typeof globalThis, signal: AbortSignal, onChange: (theme: PanelTheme) => void): void {
  let last = pageTheme(win);
  let scheduled = false;
  const check = () => {
    scheduled = false;
    if (signal.aborted) return;
    const next = pageTheme(win);
    if (next !== last) onChange((last = next));
  };
  // Class and style flips come in bursts: look once per frame at most.
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    win.requestAnimationFrame(check);
  };
  const observer = new win.MutationObserver(schedule);
  const options = { attributes: true, attributeFilter: ['class', 'style', 'data-theme'] };
  observer.observe(win.document.documentElement, options);
  if (win.document.body) observer.observe(win.document.body, options);
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
  win.matchMedia?.('(prefers-color-scheme: light)').addEventListener?.('change', schedule, { signal });
}
