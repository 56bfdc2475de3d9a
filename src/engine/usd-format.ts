/**
 * Dollar amounts as every part of LiqLens writes them (panel, legend, warnings, reliability
 * reasons): one formatter, so a pool reads the same figure in its line and in a warning.
 */

/**
 * USD with a k / M / B suffix and 3 significant digits.
 * @example formatUsd(12_345_678) // '$12.3M'
 * @example formatUsd(0) // '$0'
 * @example formatUsd(45_600) // '$45.6k'
 */
export function formatUsd(value: number): string {
  if (!Number.isFinite(value)) return '$0';
  const abs = Math.abs(value);
  const sign = value < 0 ? '-' : '';
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (abs >= size * 0.9995) {
      const scaled = abs / size;
      const digits = scaled >= 99.95 ? 0 : scaled >= 9.995 ? 1 : 2;
      return `${sign}$${trimZeros(scaled.toFixed(digits))}${suffix}`;
    }
  }
  return `${sign}$${trimZeros(abs >= 100 ? abs.toFixed(0) : abs.toFixed(abs >= 10 ? 1 : 2))}`;
}

/** A number's text without trailing zeros after its decimal point: `2.50` -> `2.5`, `3.0` -> `3`. */
export function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
