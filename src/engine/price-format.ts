/**
 * How prices are written everywhere (panel, axes, warnings): thousands separators without
 * `toLocaleString` (whose first call on a page loads the browser's number-format data), about five
 * significant digits. The risk findings take one precision per order, from its entry, so every
 * price in a warning (entry, stop, pools, liquidation, a real level cited beside them) reads the
 * same way and a number's text never rounds across the level it is compared with.
 */

/**
 * Decimals that show a price to about five significant digits (2 for a price that is not positive).
 * @example priceDecimals(64_543) // 0
 */
export function priceDecimals(price: number): number {
  if (!(price > 0)) return 2;
  return Math.max(0, Math.min(8, 4 - Math.floor(Math.log10(price))));
}

/**
 * A price with thousands separators and a fixed number of decimals.
 * @example formatPrice(64250, 0) // '64,250'
 * @example formatPrice(0.12345, 3) // '0.123'
 */
export function formatPrice(value: number, decimals: number): string {
  const fixed = Math.abs(value).toFixed(Math.min(20, Math.max(0, decimals)));
  const [whole, fraction] = fixed.split('.');
  let grouped = '';
  for (let i = 0; i < whole!.length; i++) {
    if (i > 0 && (whole!.length - i) % 3 === 0) grouped += ',';
    grouped += whole![i];
  }
  const sign = value < 0 && Number(fixed) !== 0 ? '-' : '';
  return sign + grouped + (fraction ? `.${fraction}` : '');
}

/** Formats a price as the findings show it, and rounds to that precision. */
export interface PriceFormatter {
  (value: number): string;
  /** Rounds to the shown precision in the given direction, so the number and its text agree. */
  round(value: number, direction: 'down' | 'up'): number;
}

/**
 * Formats prices with thousands separators and about five significant digits of the reference
 * price (63,950; 3,456.8; 0.51230), the same decimals for every price formatted with it.
 * @example priceFormatter(0.1523)(0.14567) // '0.14567'
 * @example priceFormatter(64_800)(63_949.6) // '63,950'
 */
export function priceFormatter(reference: number): PriceFormatter {
  // Without a usable reference, four decimals (as for a price between 1 and 10).
  const decimals = Number.isFinite(reference) && reference > 0 ? priceDecimals(reference) : 4;
  const scale = 10 ** decimals;
  const format = (value: number): string => (Number.isFinite(value) ? formatPrice(value, decimals) : String(value));
  format.round = (value: number, direction: 'down' | 'up'): number => {
    const scaled = value * scale;
    // The tolerance keeps 63,550.0000001 from rounding to 63,551.
    const rounded = direction === 'down' ? Math.floor(scaled + 1e-6) : Math.ceil(scaled - 1e-6);
    return rounded / scale;
  };
  return format;
}
