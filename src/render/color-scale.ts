/**
 * The heat colour scale: cividis, a perceptually uniform, colour-vision-deficiency-optimized
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

/** How cell values map to colour levels. */
export const HEAT_SCALING = 'sqrt' as const;

/**
 * Colour level 0..255 of a value relative to the visible maximum, on a square-root scale:
 * level = round(255 * sqrt(value / max)). Liquidation notional is heavy-tailed (one pool can hold
 * 50x the median cell), so a linear scale would show the top pool and nothing else; sqrt keeps the
 * order and the zero, and a quarter of the maximum sits at the middle colour. Returns -1 for
 * empty cells (value <= 0 or not finite), which are drawn as the background.
 * @example heatLevel(100, 100) // 255
 * @example heatLevel(25, 100)  // 128
 */
export function heatLevel(value: number, max: number): number {
  if (!(value > 0) || !(max > 0) || !Number.isFinite(value)) return -1;
  if (value >= max) return LUT_SIZE - 1;
  return Math.round((LUT_SIZE - 1) * Math.sqrt(value / max));
}

/**
 * The value at the middle of a legend bar under {@link heatLevel}'s scale: level 0.5 is max / 4.
 * @example levelValue(0.5, 1000) // 250
 */
export function levelValue(fraction: number, max: number): number {
  return fraction * fraction * max;
}
