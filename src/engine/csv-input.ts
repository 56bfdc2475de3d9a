/**
 * Bar series from CSV text, for the command line, the calibration and tests.
 *
 * Two layouts are recognised by their header (column order is free, names are case-insensitive):
 *
 * - `generic`: `timestamp` (ms since epoch, UTC, bar open time), `open`, `high`, `low`, `close`,
 *   `open_interest_usd` (or `open_interest_base`); optional `volume`, `taker_buy_volume`, `cvd`,
 *   `funding`, `long_short_ratio`, and realized `liquidation_long_usd` / `liquidation_short_usd`.
 * - `regime-export`: the layout of the recorded files in shared/data
 *   (`btc-30m-agg3ex-with-liquidations.csv`, `binance-btcusdt-5m-ohlc-oi-funding-cvd.csv`):
 *   `timestamp`, `price_open`..`price_close`, `oi_close` (USD), `funding_close`, `cvd_close`,
 *   `liquidation_long_usd`, `liquidation_short_usd`. The other `*_open/high/low` and `oi_weight_*`
 *   columns are ignored.
 *
 * Empty cells of optional columns read as "not given". A cell that is not a number, or an empty
 * required cell, throws {@link CsvInputError} naming the file line and the column. The values are
 * not checked for market sense here (high < low, unsorted times...): the engine's `validateSeries`
 * does that, and `barLines` / `fieldColumns` map its bar index and field back to the file.
 */
import type { Bar, ExchangeId, ExchangeSeries } from './types';

export type FundingUnit = 'fraction' | 'percent';

export interface ParseBarsCsvOptions {
  /** Exchange whose formulas the engine applies; default `binance`. */
  readonly exchange?: ExchangeId;
  /** Symbol for the margin tiers; default `BTCUSDT`. */
  readonly symbol?: string;
  /**
   * Unit of the funding column. `auto` (default) applies {@link detectFundingUnit}.
   * Funding is always returned as a fraction per interval (0.0001 = 0.01 %).
   */
  readonly fundingUnit?: FundingUnit | 'auto';
}

/** Liquidations that really happened in a bar (from the file, not estimated). */
export interface RealizedLiquidations {
  readonly timestamp: number;
  readonly longUsd: number;
  readonly shortUsd: number;
}

export interface ParsedBarsCsv {
  readonly series: ExchangeSeries;
  readonly layout: 'generic' | 'regime-export';
  /**
   * Realized liquidations, one entry per bar (same order as `series.bars`), when the file has
   * both liquidation columns and they are not all zero. The Binance 5m file's columns are all
   * zero (not recorded), so it has none. Empty cells read as 0 (counted in `notes`).
   */
  readonly realized?: RealizedLiquidations[];
  /** The funding unit the file was read in; undefined when it has no funding values. */
  readonly fundingUnit?: FundingUnit;
  /** 1-based file line of each bar, for turning an engine error's bar index into a line. */
  readonly barLines: readonly number[];
  /** CSV column name of each bar field that was read (e.g. `high` -> `price_high`). */
  readonly fieldColumns: Readonly<Partial<Record<keyof Bar, string>>>;
  /** Decisions taken while reading (unit detection, ignored all-zero columns). */
  readonly notes: readonly string[];
}

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

/**
 * The `auto` funding-unit rule: median |funding| over the non-empty cells above 0.001 means
 * percent, otherwise fraction. A fraction of 0.001 is 0.1 % per interval, ten times Binance's base
 * rate and extreme for a median; a percent value of 0.001 is 0.001 %, a tenth of the base rate and
 * tiny. The threshold is the geometric middle of the base rate written both ways (0.0001 and 0.01).
 * A percent file whose typical funding is below 0.001 % would be misread: override the unit then.
 * @example detectFundingUnit([0.005, 0.0058, 0.01]) // 'percent'   (the 30m export)
 * @example detectFundingUnit([0.00003527, 0.0001]) // 'fraction' (Binance)
 */
export function detectFundingUnit(values: ArrayLike<number>): FundingUnit {
  if (values.length === 0) return 'fraction';
  const magnitudes = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) magnitudes[i] = Math.abs(values[i]!);
  magnitudes.sort();
  const mid = magnitudes.length >> 1;
  const median = magnitudes.length % 2 === 1 ? magnitudes[mid]! : (magnitudes[mid - 1]! + magnitudes[mid]!) / 2;
  return median > FUNDING_PERCENT_THRESHOLD ? 'percent' : 'fraction';
}

/** Median |funding| above this reads as percent (see {@link detectFundingUnit}). */
export const FUNDING_PERCENT_THRESHOLD = 0.001;

type OptionalField = 'volume' | 'takerBuyVolume' | 'cvd' | 'openInterestUsd' | 'openInterestBase' | 'fundingRate' | 'longShortRatio';

interface Layout {
  readonly name: 'generic' | 'regime-export';
  readonly timestamp: string;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  /** Open interest columns: at least one must be present. */
  readonly openInterestUsd: string;
  readonly openInterestBase?: string;
  readonly optional: readonly (readonly [OptionalField, string])[];
}

const GENERIC: Layout = {
  name: 'generic',
  timestamp: 'timestamp',
  open: 'open',
  high: 'high',
  low: 'low',
  close: 'close',
  openInterestUsd: 'open_interest_usd',
  openInterestBase: 'open_interest_base',
  optional: [
    ['volume', 'volume'],
    ['takerBuyVolume', 'taker_buy_volume'],
    ['cvd', 'cvd'],
    ['fundingRate', 'funding'],
    ['longShortRatio', 'long_short_ratio'],
  ],
};

const REGIME_EXPORT: Layout = {
  name: 'regime-export',
  timestamp: 'timestamp',
  open: 'price_open',
  high: 'price_high',
  low: 'price_low',
  close: 'price_close',
  openInterestUsd: 'oi_close',
  optional: [
    ['cvd', 'cvd_close'],
    ['fundingRate', 'funding_close'],
  ],
};

const LIQUIDATION_LONG = 'liquidation_long_usd';
const LIQUIDATION_SHORT = 'liquidation_short_usd';

/** Timestamps below this (March 1973 in ms) are almost surely seconds. */
const MIN_MS_TIMESTAMP = 1e11;

type MutableBar = { -readonly [K in keyof Bar]: Bar[K] };

/**
 * Parses a bar CSV (see the module comment for the layouts). Handles LF and CRLF, a UTF-8 BOM,
 * blank lines and double-quoted cells.
 * @example
 * const { series, layout, realized } = parseBarsCsv(text, { exchange: 'binance', symbol: 'BTCUSDT' });
 * estimate([series]);
 */
export function parseBarsCsv(text: string, options: ParseBarsCsvOptions = {}): ParsedBarsCsv {
  // The header is the first non-blank line.
  let headerStart = 0;
  let headerEnd = -1;
  let headerLine = 0;
  let headerText = '';
  while (headerStart <= text.length) {
    headerLine++;
    const newline = text.indexOf('\n', headerStart);
    headerEnd = newline < 0 ? text.length : newline;
    headerText = stripLine(text.slice(headerStart, headerEnd));
    if (headerLine === 1 && headerText.charCodeAt(0) === 0xfeff) headerText = headerText.slice(1);
    if (headerText.trim() !== '') break;
    headerStart = headerEnd + 1;
  }
  if (headerText.trim() === '') throw new CsvInputError('the file is empty (no header row)', 1, 'timestamp');
  const header = splitCells(headerText).map((name) => name.trim().toLowerCase());
  const indexOf = new Map<string, number>();
  for (const [i, name] of header.entries()) {
    if (name === '') continue;
    if (indexOf.has(name)) throw new CsvInputError(`the header names column "${name}" twice`, headerLine, name);
    indexOf.set(name, i);
  }

  const layout = indexOf.has(REGIME_EXPORT.open) || indexOf.has(REGIME_EXPORT.openInterestUsd) ? REGIME_EXPORT : GENERIC;
  const required = (name: string): number => {
    const index = indexOf.get(name);
    if (index === undefined) {
      throw new CsvInputError(
        `missing required column "${name}" (${layout.name} layout; header is: ${header.join(',')}). ` +
          'Generic layout: timestamp,open,high,low,close,open_interest_usd[,volume,taker_buy_volume,cvd,funding,long_short_ratio]',
        headerLine,
        name,
      );
    }
    return index;
  };
  const iTimestamp = required(layout.timestamp);
  const iOpen = required(layout.open);
  const iHigh = required(layout.high);
  const iLow = required(layout.low);
  const iClose = required(layout.close);
  const iOiBase = layout.openInterestBase === undefined ? undefined : indexOf.get(layout.openInterestBase);
  const iOiUsd = iOiBase === undefined ? required(layout.openInterestUsd) : indexOf.get(layout.openInterestUsd);
  const optional: [OptionalField, string, number][] = [];
  for (const [field, name] of layout.optional) {
    const index = indexOf.get(name);
    if (index !== undefined) optional.push([field, name, index]);
  }
  const iLiqLong = indexOf.get(LIQUIDATION_LONG);
  const iLiqShort = indexOf.get(LIQUIDATION_SHORT);
  const hasRealized = iLiqLong !== undefined && iLiqShort !== undefined;

  const fieldColumns: Partial<Record<keyof Bar, string>> = {
    timestamp: layout.timestamp,
    open: layout.open,
    high: layout.high,
    low: layout.low,
    close: layout.close,
  };
  if (iOiUsd !== undefined) fieldColumns.openInterestUsd = layout.openInterestUsd;
  if (iOiBase !== undefined && layout.openInterestBase !== undefined) fieldColumns.openInterestBase = layout.openInterestBase;
  for (const [field, name] of optional) fieldColumns[field] = name;

  const bars: MutableBar[] = [];
  const barLines: number[] = [];
  const realizedLong: number[] = [];
  const realizedShort: number[] = [];
  let realizedNonZero = false;
  let realizedEmpty = 0;
  const columns = header.length;

  // One pass over the text with charCodeAt, recording where the cells of the current row start
  // (cell c spans starts[c] .. starts[c + 1] - 1) and slicing nothing but the numbers that do not
  // take the fast path: splitting 8,000 rows of the 25-column export into strings costs ~10x more.
  const starts = new Int32Array(columns + 1);
  let quotedCells: string[] | undefined;
  let line = headerLine;
  const cellNumber = (index: number): number | undefined => {
    if (!quotedCells) {
      const start = starts[index]!;
      const end = starts[index + 1]! - 1;
      if (start === end) return undefined;
      const fast = parsePlainDecimal(text, start, end);
      if (!Number.isNaN(fast)) return fast;
      return readNumber(text.slice(start, end), line, header[index]!);
    }
    return readNumber(quotedCells[index]!, line, header[index]!);
  };
  const need = (index: number): number => {
    const value = cellNumber(index);
    if (value === undefined) throw new CsvInputError('required value is empty', line, header[index]!);
    return value;
  };
  const maybe = (index: number | undefined): number | undefined => (index === undefined ? undefined : cellNumber(index));

  const length = text.length;
  let next = headerEnd + 1;
  let nextQuote = text.indexOf('"', next);
  while (next < length) {
    const lineStart = next;
    line++;
    const scan = scanRow(text, lineStart, starts, columns);
    const count = scan.count;
    const i = scan.end;
    next = i + 1;
    if (nextQuote >= 0 && nextQuote < lineStart) nextQuote = text.indexOf('"', lineStart);
    const quoted = nextQuote >= 0 && nextQuote < i;
    const lineEnd = i > lineStart && text.charCodeAt(i - 1) === 13 /* \r */ ? i - 1 : i;
    if (count === 1 && text.slice(lineStart, lineEnd).trim() === '') continue;
    quotedCells = undefined;
    if (quoted) {
      quotedCells = splitCells(text.slice(lineStart, lineEnd));
      checkCellCount(quotedCells.length, quotedCells, columns, header, line);
    } else if (count < columns) {
      checkCellCount(count, undefined, columns, header, line);
    } else if (count === columns) {
      starts[columns] = lineEnd + 1;
    } else {
      // More cells than the header: tolerated only when they are empty (trailing commas).
      const cells = text.slice(lineStart, lineEnd).split(',');
      checkCellCount(cells.length, cells, columns, header, line);
    }
    const timestamp = need(iTimestamp);
    if (bars.length === 0 && timestamp > 0 && timestamp < MIN_MS_TIMESTAMP) {
      throw new CsvInputError(`timestamp ${timestamp} looks like seconds; milliseconds since epoch are expected`, line, header[iTimestamp]!);
    }
    const bar: MutableBar = { timestamp, open: need(iOpen), high: need(iHigh), low: need(iLow), close: need(iClose) };
    const oiUsd = maybe(iOiUsd);
    const oiBase = maybe(iOiBase);
    if (oiUsd !== undefined) bar.openInterestUsd = oiUsd;
    if (oiBase !== undefined) bar.openInterestBase = oiBase;
    if (oiUsd === undefined && oiBase === undefined) {
      throw new CsvInputError('open interest is empty', line, header[iOiUsd ?? iOiBase!]!);
    }
    for (const [field, , index] of optional) {
      const value = maybe(index);
      if (value !== undefined) bar[field] = value;
    }
    if (hasRealized) {
      const long = maybe(iLiqLong);
      const short = maybe(iLiqShort);
      if (long === undefined || short === undefined) realizedEmpty++;
      realizedLong.push(long ?? 0);
      realizedShort.push(short ?? 0);
      if ((long ?? 0) !== 0 || (short ?? 0) !== 0) realizedNonZero = true;
    }
    bars.push(bar);
    barLines.push(line);
  }
  if (bars.length === 0) throw new CsvInputError('no data rows after the header', headerLine + 1, layout.timestamp);

  const notes: string[] = [];
  const fundingUnit = applyFundingUnit(bars, options.fundingUnit ?? 'auto', fieldColumns.fundingRate, notes);
  dropAllZeroCvd(bars, fieldColumns, notes);

  let realized: RealizedLiquidations[] | undefined;
  if (hasRealized) {
    if (realizedNonZero) {
      realized = bars.map((bar, i) => ({ timestamp: bar.timestamp, longUsd: realizedLong[i]!, shortUsd: realizedShort[i]! }));
      if (realizedEmpty > 0) notes.push(`${realizedEmpty} rows with an empty realized liquidation cell read as 0`);
    } else {
      notes.push(`${LIQUIDATION_LONG} / ${LIQUIDATION_SHORT} are all zero (not recorded in this file): no realized liquidations`);
    }
  }

  const series: ExchangeSeries = {
    exchange: options.exchange ?? 'binance',
    symbol: options.symbol ?? 'BTCUSDT',
    bars,
  };
  return {
    series,
    layout: layout.name,
    ...(realized ? { realized } : {}),
    ...(fundingUnit ? { fundingUnit } : {}),
    barLines,
    fieldColumns,
    notes,
  };
}

interface RowScan {
  /** Number of cells (commas + 1). */
  count: number;
  /** Index of the row's `\n` (or the text's length). */
  end: number;
}
const rowScan: RowScan = { count: 0, end: 0 };

/**
 * Finds the row's end and the start of its first `columns + 1` cells with `indexOf` on the whole
 * (flat) text, which is several times faster than a charCodeAt loop or per-line strings.
 */
function scanRow(text: string, start: number, starts: Int32Array, columns: number): RowScan {
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
function checkCellCount(count: number, cells: readonly string[] | undefined, columns: number, header: readonly string[], line: number): void {
  if (count < columns) {
    throw new CsvInputError(`the row has ${count} cells, the header has ${columns}`, line, header[count] ?? `#${count + 1}`);
  }
  if (!cells) return;
  for (let c = columns; c < cells.length; c++) {
    if (cells[c]!.trim() !== '') throw new CsvInputError(`the row has more cells than the header (${columns})`, line, `#${c + 1}`);
  }
}

/** Drops a trailing `\r` (CRLF files). */
function stripLine(line: string): string {
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
function parsePlainDecimal(text: string, start: number, end: number): number {
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
function readNumber(cell: string, line: number, column: string): number | undefined {
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
function splitCells(line: string): string[] {
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

function applyFundingUnit(
  bars: MutableBar[],
  requested: FundingUnit | 'auto',
  column: string | undefined,
  notes: string[],
): FundingUnit | undefined {
  const values: number[] = [];
  for (const bar of bars) if (bar.fundingRate !== undefined) values.push(bar.fundingRate);
  if (values.length === 0) return undefined;
  const unit = requested === 'auto' ? detectFundingUnit(values) : requested;
  if (requested === 'auto') {
    notes.push(
      `funding column "${column}" read as ${unit === 'percent' ? 'percent' : 'a fraction'} ` +
        `(auto: median |funding| ${unit === 'percent' ? '>' : '<='} ${FUNDING_PERCENT_THRESHOLD}; override with the funding unit option)`,
    );
  }
  if (unit === 'percent') {
    for (const bar of bars) if (bar.fundingRate !== undefined) bar.fundingRate /= 100;
  }
  return unit;
}

/**
 * A cumulative delta that is exactly 0 on every bar was not recorded (the 30m export's
 * `cvd_close` is all zeros); reading it would claim perfectly balanced taker flow.
 */
function dropAllZeroCvd(bars: MutableBar[], fieldColumns: Partial<Record<keyof Bar, string>>, notes: string[]): void {
  let seen = false;
  for (const bar of bars) {
    if (bar.cvd === undefined) continue;
    if (bar.cvd !== 0) return;
    seen = true;
  }
  if (!seen) return;
  for (const bar of bars) delete bar.cvd;
  notes.push(`cvd column "${fieldColumns.cvd}" is all zero (not recorded): ignored`);
  delete fieldColumns.cvd;
}
