/**
 * The one colour pair for long and short everywhere LiqLens draws a side: the side bars, the
 * realized-liquidation markers, the panel's and popup's pool lines and tooltip, the full view and
 * the warnings. Blue for longs, orange for shorts: the pair stays apart for deuteranopes,
 * protanopes and tritanopes alike (blue/orange is the pair that survives every common colour
 * vision deficiency; Okabe & Ito, "Color Universal Design", 2008, https://jfly.uni-koeln.de/color/,
 * and Paul Tol's schemes, https://personal.sron.nl/~pault/). tests/side-colors.test.ts simulates
 * the three deficiencies (Machado et al. 2009) and checks the pair stays distinct, and that no
 * other module defines a colour of its own for a side.
 *
 * Pure constants: the raster code (no DOM) and the UI's CSS read the same values.
 */
import type { Rgb } from './bitmap-font';

/** Longs, as pixels: #2F7FD8. */
export const LONG_RGB: Rgb = [47, 127, 216];
/** Shorts, as pixels: #E8833A. */
export const SHORT_RGB: Rgb = [232, 131, 58];

/** The pair as CSS colours (marks, bars, swatches). */
export const SIDE_HEX = { long: '#2f7fd8', short: '#e8833a' } as const;

/**
 * Text in the side's colour, per background: on dark the pair itself; on light the same hues
 * darker, so small text keeps a contrast of at least 4.5:1 (WCAG AA) against white.
 */
export const SIDE_TEXT_HEX = {
  dark: { long: '#2f7fd8', short: '#e8833a' },
  light: { long: '#1f5fa8', short: '#a8531c' },
} as const;

/**
 * CSS custom properties `--long`, `--short` (text) and `--long-mark`, `--short-mark` (fills) for
 * one theme, to put in a rule: the only place a stylesheet gets the side colours from.
 * @example `.panel { ${sideCssVars('dark')} }`
 */
export function sideCssVars(theme: 'dark' | 'light'): string {
  const text = SIDE_TEXT_HEX[theme];
  return `--long: ${text.long}; --short: ${text.short}; --long-mark: ${SIDE_HEX.long}; --short-mark: ${SIDE_HEX.short};`;
}
