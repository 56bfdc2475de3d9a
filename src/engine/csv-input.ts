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
 *
 * The cells themselves (row scanning, number reading, the error type) are in `csv-cells.ts`.
 */
import { checkCellCount, CsvInputError, parsePlainDecimal, readNumber, scanRow, splitCells, stripLine } from './csv-cells';
import type { Bar, ExchangeId, ExchangeSeries } from './types';

// The error parseBarsCsv throws, exported with it for its callers.
export { CsvInputError } from './csv-cells';

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
