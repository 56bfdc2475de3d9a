import type { Heatmap } from './types';

/**
 * What one unit of column `column`'s cells is worth in USD (1 when the heatmap has no
 * `columnScale`).
 * @example for (let c = 0; c < heatmap.columns; c++) { const f = columnFactor(heatmap, c); ... cells[c * rows + r] * f ... }
 */
export function columnFactor(heatmap: Heatmap, column: number): number {
  return heatmap.columnScale ? heatmap.columnScale[column]! : 1;
}

/**
 * The USD in one heatmap cell: its stored value times its column's factor.
 * @example heatmapCell(result.heatmap, result.heatmap.columns - 1, 250) // USD near the middle of the latest column
 */
export function heatmapCell(heatmap: Heatmap, column: number, row: number): number {
  return heatmap.cells[column * heatmap.rows + row]! * columnFactor(heatmap, column);
}
