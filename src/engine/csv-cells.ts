/**
 * The cells of a CSV bar file, below the layout: where a row's cells start, splitting a quoted
 * line, and reading a cell as a number, plus {@link CsvInputError}, which names the file line and
 * column of a problem. `csv-input.ts` decides what the columns mean.
 *
 * This is the parser's hot path: rows are scanned as offsets into the whole text and plain decimals
 * are read in place, so a row of plain numbers is read without slicing a string.
 */

/** A CSV problem; the message names the line (1-based, as in the file) and the column. */
export class CsvInputError extends Error {
  override name = 'CsvInputError';
  constructor(
    message: string,
    /** 1-based line number in the file (the header is line 1). */
    readonly line: number,
    /** Column name as written in the header (or `#n` for a cell beyond the header). */
    readonly column: string,
  ) {
    super(`line ${line}, column "${column}": ${message}`);
  }
}

export interface RowScan {
  /** Number of cells (commas + 1). */
  count: number;
  /** Index of the row's `\n` (or the text's length). */
  end: number;
}
// One result object for every call: the row loop allocates nothing per row (read it before the
// next call).
const rowScan: RowScan = { count: 0, end: 0 };

/**
 * Finds the row's end and the start of its first `columns + 1` cells with `indexOf` on the whole
 * (flat) text, which is several times faster than a charCodeAt loop or per-line strings.
 */
export function scanRow(text: string, start: number, starts: Int32Array, columns: number): RowScan {
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  let count = 1;
  starts[0] = start;
  let comma = text.indexOf(',', start);
  while (comma >= 0 && comma < end) {
    if (count <= columns) starts[count] = comma + 1;
    count++;
    comma = text.indexOf(',', comma + 1);
  }
  rowScan.count = count;
  rowScan.end = end;
  return rowScan;
}

/** Throws when a row has fewer cells than the header, or extra cells that are not empty. */
export function checkCellCount(count: number, cells: readonly string[] | undefined, columns: number, header: readonly string[], line: number): void {
  if (count < columns) {
    throw new CsvInputError(`the row has ${count} cells, the header has ${columns}`, line, header[count] ?? `#${count + 1}`);
  }
  if (!cells) return;
  for (let c = columns; c < cells.length; c++) {
    if (cells[c]!.trim() !== '') throw new CsvInputError(`the row has more cells than the header (${columns})`, line, `#${c + 1}`);
  }
}

/** Drops a trailing `\r` (CRLF files). */
export function stripLine(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

/** Exact powers of ten (10^0..10^22 are all exactly representable as doubles). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const MAX_EXACT_MANTISSA = 2 ** 53;

/**
 * Fast path for plain decimals (`-123.45`): digits accumulated into an integer mantissa below
 * 2^53 and divided by an exact power of ten <= 10^22. Both operands are exact and IEEE division
 * rounds correctly, so the result is bit-identical to `Number(text)` (Clinger's fast path).
 * Returns NaN for anything else (exponents, spaces, long mantissas, junk): the caller then uses
 * `Number`, which also produces the error message.
 */
export function parsePlainDecimal(text: string, start: number, end: number): number {
  let i = start;
  let negative = false;
  const first = text.charCodeAt(i);
  if (first === 45 /* - */ || first === 43 /* + */) {
    negative = first === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      mantissa = mantissa * 10 + (code - 48);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (code === 46 /* . */ && fraction < 0) {
      fraction = 0;
    } else {
      return NaN;
    }
  }
  if (digits === 0 || mantissa >= MAX_EXACT_MANTISSA || fraction > 22) return NaN;
  const value = fraction > 0 ? mantissa / POW10[fraction]! : mantissa;
  return negative ? -value : value;
}

/** A number, undefined for an empty cell; throws for anything else. */
export function readNumber(cell: string, line: number, column: string): number | undefined {
  let value = Number(cell);
  if (Number.isFinite(value)) {
    // Number('') and Number('  ') are 0: an empty cell is "not given", not zero.
    if (value === 0 && cell.trim() === '') return undefined;
    return value;
  }
  const trimmed = cell.trim();
  if (trimmed === '') return undefined;
  // A quoted number: "123.4".
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) {
    value = Number(trimmed.slice(1, -1));
    if (Number.isFinite(value) && trimmed.length > 2) return value;
  }
  const shown = trimmed.length > 40 ? `${trimmed.slice(0, 40)}...` : trimmed;
  throw new CsvInputError(`expected a finite number, got "${shown}"`, line, column);
}

/** Splits one CSV line honouring double quotes ("a,b" stays one cell, "" is a quote). */
export function splitCells(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}
