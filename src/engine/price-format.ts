/**
 * How the risk findings write prices: one precision per order, taken from its entry, so every
 * price in a warning (entry, stop, pools, liquidation, a real level cited beside them) reads the
 * same way and a number's text never rounds across the level it is compared with.
 */

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
  const magnitude = Number.isFinite(reference) && reference > 0 ? Math.floor(Math.log10(reference)) : 0;
  const decimals = Math.min(8, Math.max(0, 4 - magnitude));
  const scale = 10 ** decimals;
  const format = (value: number): string => {
    if (!Number.isFinite(value)) return String(value);
    const fixed = Math.abs(value).toFixed(decimals);
    const [whole = '0', fraction] = fixed.split('.');
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return `${value < 0 ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
  };
  format.round = (value: number, direction: 'down' | 'up'): number => {
    const scaled = value * scale;
    // The tolerance keeps 63,550.0000001 from rounding to 63,551.
    const rounded = direction === 'down' ? Math.floor(scaled + 1e-6) : Math.ceil(scaled - 1e-6);
    return rounded / scale;
  };
  return format;
}
