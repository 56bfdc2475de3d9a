/** Minimal CSV reader for the recorded data files (no quoted fields in them; CRLF or LF). */
import { readFileSync } from 'node:fs';

export interface CsvTable {
  header: string[];
  rows: string[][];
  /** Index of a column by name; throws when the file lacks it. */
  col(name: string): number;
}

export function readCsv(file: string): CsvTable {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((line) => line.length > 0);
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim());
  const rows = lines.map((line) => line.split(','));
  return {
    header,
    rows,
    col(name: string): number {
      const i = header.indexOf(name);
      if (i < 0) throw new Error(`${file}: no column "${name}" (columns: ${header.join(', ')})`);
      return i;
    },
  };
}

/** The cell as a finite number; throws on anything else so bad data never slips through silently. */
export function num(row: readonly string[], index: number, file: string): number {
  const cell = row[index];
  const value = cell === undefined || cell === '' ? NaN : Number(cell);
  if (!Number.isFinite(value)) throw new Error(`${file}: not a number in column ${index}: ${JSON.stringify(cell)} (row ${row.join(',')})`);
  return value;
}
