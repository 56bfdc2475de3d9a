/**
 * The colour scale of the heatmap: cividis, a perceptually uniform, colour-vision-deficiency-optimized
 * sequential map (dark blue -> grey -> yellow).
 *
 * Source: J. R. Nuñez, C. R. Anderton, R. S. Renslow, "Optimizing colormaps with consideration
 * for color vision deficiency to enable accurate interpretation of scientific data",
 * PLOS ONE 13(7): e0199239 (2018), https://doi.org/10.1371/journal.pone.0199239.
 * The 256 entries below are generated from the published 5th-degree polynomial fit of cividis in
 * d3-scale-chromatic (`interpolateCividis`, src/sequential-multi/cividis.js, ISC licence,
 * https://github.com/d3/d3-scale-chromatic), evaluated at i / 255 and rounded to 8 bits.
 *
 * Why cividis rather than viridis: it has no green and no red, so the green/red candles drawn
 * over the heat never share a hue with it, and it reads the same for deuteranopes and protanopes.
 */

/** Per channel, c0..c5 of c0 + c1 t + ... + c5 t^5 in 0..255 (the published Horner form, expanded). */
const CIVIDIS_POLYNOMIAL = {
  r: [-4.54, -35.34, 2381.73, -6402.7, 7024.72, -2710.57],
  g: [32.49, 170.73, 52.82, -131.46, 176.58, -67.37],
  b: [81.24, 442.36, -2482.43, 6167.24, -6614.94, 2475.67],
} as const;

/** Horner evaluation at t, rounded and clamped to a byte. */
function evaluate(coefficients: readonly number[], t: number): number {
  let value = 0;
  for (let k = coefficients.length - 1; k >= 0; k--) value = value * t + coefficients[k]!;
  return Math.max(0, Math.min(255, Math.round(value)));
}

/** Number of entries in {@link CIVIDIS_LUT}. */
export const LUT_SIZE = 256;

/**
 * 256 RGB triplets, `CIVIDIS_LUT[3 * i .. 3 * i + 2]` for level i (0 = lowest, 255 = hottest).
 * @example [CIVIDIS_LUT[765], CIVIDIS_LUT[766], CIVIDIS_LUT[767]] // the top colour, yellow
 */
export const CIVIDIS_LUT: Uint8Array = (() => {
  const lut = new Uint8Array(LUT_SIZE * 3);
  for (let i = 0; i < LUT_SIZE; i++) {
    const t = i / (LUT_SIZE - 1);
    lut[3 * i] = evaluate(CIVIDIS_POLYNOMIAL.r, t);
    lut[3 * i + 1] = evaluate(CIVIDIS_POLYNOMIAL.g, t);
    lut[3 * i + 2] = evaluate(CIVIDIS_POLYNOMIAL.b, t);
  }
  return lut;
})();

/** How cell values map to colour levels (the quantised levels the background sends). */
export const HEAT_SCALING = 'sqrt' as const;

/**
 * Quantised level 0..255 of a value relative to the visible maximum, on a square-root scale:
 * level = round(255 * sqrt(value / max)). This is how cells travel to the panel (one byte each,
 * faint cells survive the rounding); the colour a level gets is {@link colourIndex}'s. Returns -1
 * for empty cells (value <= 0 or not finite).
 * @example heatLevel(100, 100) // 255
 * @example heatLevel(25, 100)  // 128
 */
export function heatLevel(value: number, max: number): number {
  if (!(value > 0) || !(max > 0) || !Number.isFinite(value)) return -1;
  if (value >= max) return LUT_SIZE - 1;
  return Math.round((LUT_SIZE - 1) * Math.sqrt(value / max));
}

/**
 * The contrast control: cells below `threshold` times the top of the scale are drawn as the
 * background, and the colours spread over the rest. Liquidation notional is heavy-tailed; with
 * every faint cell coloured, three quarters of the plot sat at mid brightness and the eye went
 * to the empty swept zone instead of the pools.
 */
export interface HeatScale {
  /** Share of the top value below which a cell is background, 0..{@link MAX_THRESHOLD}. */
  readonly threshold: number;
  /**
   * The USD of the top colour (a locked scale); cells above it take the top colour. Default: the
   * largest visible cell.
   */
  readonly topUsd?: number;
}

/** The threshold of a new install: on the demo (recorded Binance BTCUSDT, a day) the strongest pool's rows are over 2.5x as bright as the median cell outside every pool. */
export const DEFAULT_THRESHOLD = 0.2;
/** The highest threshold the control offers: above it even strong pools start to vanish. */
export const MAX_THRESHOLD = 0.6;
/**
 * Above the threshold, colour index = 255 * t^{@link COLOUR_GAMMA} of the position t (0..1)
 * between threshold and top: between sqrt (0.5, mid colours for a quarter of the top) and
 * linear, so the colour range goes to the levels that matter rather than to the many small ones.
 */
export const COLOUR_GAMMA = 0.75;

/**
 * A threshold clamped to 0..{@link MAX_THRESHOLD} (the default for anything not a number).
 * @example clampThreshold(2) // 0.6
 */
export function clampThreshold(threshold: number): number {
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) return DEFAULT_THRESHOLD;
  return Math.min(MAX_THRESHOLD, Math.max(0, threshold));
}

/**
 * Colour index 0..255 in {@link CIVIDIS_LUT} of a value given as a share of the top of the scale,
 * or -1 when it is below the threshold (drawn as the background).
 * @example colourIndex(1, 0.1) // 255
 * @example colourIndex(0.05, 0.1) // -1
 */
export function colourIndex(share: number, threshold: number): number {
  if (!(share > 0) || share < threshold) return -1;
  if (share >= 1) return LUT_SIZE - 1;
  const t = threshold < 1 ? (share - threshold) / (1 - threshold) : 1;
  return Math.round((LUT_SIZE - 1) * t ** COLOUR_GAMMA);
}

/**
 * The share of the top value at position `fraction` (0..1) of the legend bar: the inverse of
 * {@link colourIndex}. At 0 it is the threshold, at 1 the top.
 * @example legendShare(1, 0.12) // 1
 */
export function legendShare(fraction: number, threshold: number): number {
  return threshold + (1 - threshold) * Math.max(0, Math.min(1, fraction)) ** (1 / COLOUR_GAMMA);
}

/**
 * The value of a quantised level's position `fraction` (0..1) under {@link heatLevel}: level 0.5
 * is max / 4.
 * @example levelValue(0.5, 1000) // 250
 */
export function levelValue(fraction: number, max: number): number {
  return fraction * fraction * max;
}
