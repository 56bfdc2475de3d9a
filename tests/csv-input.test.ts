import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CsvInputError, detectFundingUnit, FUNDING_PERCENT_THRESHOLD, parseBarsCsv } from '../src/engine/csv-input';
import { validateSeries } from '../src/engine/validate';

/** The recorded data sits beside the repository: ../shared/data from the repository root. */
const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const DATA_DIR = resolve(REPO_ROOT, '../shared/data');
const AGG_30M = readFileSync(resolve(DATA_DIR, 'btc-30m-agg3ex-with-liquidations.csv'), 'utf8');
const BINANCE_5M = readFileSync(resolve(DATA_DIR, 'binance-btcusdt-5m-ohlc-oi-funding-cvd.csv'), 'utf8');

/** A naive reference reader: split every line, Number() every cell. */
function naiveRows(text: string): Record<string, string>[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines[0]!.split(',');
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(header.map((name, i) => [name, cells[i]!]));
  });
}

function expectCsvError(fn: () => unknown, line: number, column: string): CsvInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CsvInputError);
    const e = error as CsvInputError;
    expect({ line: e.line, column: e.column }).toEqual({ line, column });
    expect(e.message).toContain(`line ${line}`);
    expect(e.message).toContain(`"${column}"`);
    return e;
  }
  return expect.fail('expected a CsvInputError');
}

describe('parseBarsCsv on the recorded 30m export (aggregated, funding in percent)', () => {
  const parsed = parseBarsCsv(AGG_30M);

  it('reads all 876 bars in the regime-export layout', () => {
    expect(parsed.layout).toBe('regime-export');
    expect(parsed.series.bars).toHaveLength(876);
    expect(parsed.series.exchange).toBe('binance');
    expect(parsed.series.symbol).toBe('BTCUSDT');
    expect(parsed.barLines[0]).toBe(2);
    expect(parsed.barLines.at(-1)).toBe(877);
    const first = parsed.series.bars[0]!;
    expect(first).toMatchObject({
      timestamp: 1779357600000,
      open: 77633.03,
      high: 77678.01,
      low: 77190.09,
      close: 77383.3,
      openInterestUsd: 7805300840,
    });
    expect(() => validateSeries(parsed.series)).not.toThrow();
  });

  it('detects percent funding and converts it to a fraction', () => {
    expect(parsed.fundingUnit).toBe('percent');
    expect(parsed.series.bars[0]!.fundingRate).toBeCloseTo(0.005762 / 100, 15);
    expect(parsed.notes.some((n) => n.includes('percent'))).toBe(true);
  });

  it('returns the realized liquidations, one per bar', () => {
    expect(parsed.realized).toHaveLength(876);
    expect(parsed.realized![0]).toEqual({ timestamp: 1779357600000, longUsd: 553140.25838, shortUsd: 10549.65928 });
    expect(parsed.realized!.at(-1)).toEqual({ timestamp: 1780932600000, longUsd: 122971.48, shortUsd: 1154.88 });
  });

  it('ignores the cvd column, which is all zero (not recorded)', () => {
    expect(parsed.series.bars.every((bar) => bar.cvd === undefined)).toBe(true);
    expect(parsed.fieldColumns.cvd).toBeUndefined();
    expect(parsed.notes.some((n) => n.includes('cvd'))).toBe(true);
  });

  it('keeps the raw values when the unit is forced to fraction', () => {
    const raw = parseBarsCsv(AGG_30M, { fundingUnit: 'fraction', exchange: 'okx', symbol: 'BTC-USDT-SWAP' });
    expect(raw.fundingUnit).toBe('fraction');
    expect(raw.series.bars[0]!.fundingRate).toBe(0.005762);
    expect(raw.series.exchange).toBe('okx');
    expect(raw.series.symbol).toBe('BTC-USDT-SWAP');
  });
});

describe('parseBarsCsv on the recorded Binance 5m series (CRLF, funding as a fraction)', () => {
  const parsed = parseBarsCsv(BINANCE_5M);

  it('reads all 8,015 bars of the CRLF file', () => {
    expect(BINANCE_5M).toContain('cvd_close\r\n');
    expect(parsed.layout).toBe('regime-export');
    expect(parsed.series.bars).toHaveLength(8015);
    expect(parsed.fieldColumns).toMatchObject({ high: 'price_high', openInterestUsd: 'oi_close', cvd: 'cvd_close', fundingRate: 'funding_close' });
    // The last column (cvd_close) is read without its \r.
    expect(parsed.series.bars[0]!.cvd).toBe(-2.040999999999997);
    expect(() => validateSeries(parsed.series)).not.toThrow();
  });

  it('detects fraction funding and leaves it unchanged', () => {
    expect(parsed.fundingUnit).toBe('fraction');
    expect(parsed.series.bars[0]!.fundingRate).toBe(0.00003527);
  });

  it('returns no realized liquidations: the columns are all zero in this file', () => {
    expect(parsed.realized).toBeUndefined();
    expect(parsed.notes.some((n) => n.includes('all zero'))).toBe(true);
  });

  it('gives every value bit-identical to Number() on the cell', () => {
    const rows = naiveRows(BINANCE_5M);
    expect(rows).toHaveLength(8015);
    for (const [i, bar] of parsed.series.bars.entries()) {
      const row = rows[i]!;
      const expected = {
        timestamp: Number(row.timestamp),
        open: Number(row.price_open),
        high: Number(row.price_high),
        low: Number(row.price_low),
        close: Number(row.price_close),
        openInterestUsd: Number(row.oi_close),
        fundingRate: Number(row.funding_close),
        cvd: Number(row.cvd_close),
      };
      if (!Object.entries(expected).every(([key, value]) => Object.is(bar[key as keyof typeof bar], value))) {
        expect(bar, `bar ${i}`).toEqual(expected);
      }
    }
  });
});

describe('parseBarsCsv generic layout', () => {
  const GENERIC = [
    'timestamp,open,high,low,close,open_interest_usd,volume,taker_buy_volume,cvd,funding,long_short_ratio',
    '1767225600000,100,101,99,100.5,1000000,12.5,7,,0.0001,1.2',
    '1767225900000,100.5,102,100,101,1010000,,,3.5,,',
    '1767226200000,101,101.5,100.2,100.4,1005000,10,4,1.5,0.00012,0.9',
  ].join('\n');

  it('reads the documented columns; empty optional cells are undefined', () => {
    const parsed = parseBarsCsv(GENERIC);
    expect(parsed.layout).toBe('generic');
    expect(parsed.realized).toBeUndefined();
    expect(parsed.fundingUnit).toBe('fraction');
    const [a, b, c] = parsed.series.bars;
    expect(a).toEqual({
      timestamp: 1767225600000,
      open: 100,
      high: 101,
      low: 99,
      close: 100.5,
      openInterestUsd: 1000000,
      volume: 12.5,
      takerBuyVolume: 7,
      fundingRate: 0.0001,
      longShortRatio: 1.2,
    });
    expect(b).toEqual({ timestamp: 1767225900000, open: 100.5, high: 102, low: 100, close: 101, openInterestUsd: 1010000, cvd: 3.5 });
    expect(c!.cvd).toBe(1.5);
    expect(parsed.barLines).toEqual([2, 3, 4]);
    expect(() => validateSeries(parsed.series)).not.toThrow();
  });

  it('reads CRLF, a BOM, blank lines, quoted cells and any column order the same way', () => {
    const reordered = [
      '\uFEFFClose,Timestamp,Open,High,Low,Open_Interest_USD,Funding',
      '"100.5",1767225600000,100,101,99,"1,000,000",0.01',
      '',
      '101,1767225900000,100.5,102,100,1010000,0.012',
      '',
    ].join('\r\n');
    expectCsvError(() => parseBarsCsv(reordered), 2, 'open_interest_usd');
    const fixed = reordered.replace('"1,000,000"', '1000000');
    const parsed = parseBarsCsv(fixed);
    expect(parsed.series.bars).toHaveLength(2);
    expect(parsed.series.bars[0]).toMatchObject({ timestamp: 1767225600000, open: 100, close: 100.5, openInterestUsd: 1000000 });
    expect(parsed.barLines).toEqual([2, 4]);
    // 0.01 as a median is above the threshold: read as percent -> 0.0001.
    expect(parsed.fundingUnit).toBe('percent');
    expect(parsed.series.bars[0]!.fundingRate).toBeCloseTo(0.0001, 15);
    expect(parseBarsCsv(fixed.replaceAll('\r\n', '\n')).series).toEqual(parsed.series);
  });

  it('reads realized liquidation columns and open interest in base units', () => {
    const text = [
      'timestamp,open,high,low,close,open_interest_base,liquidation_long_usd,liquidation_short_usd',
      '1767225600000,100,101,99,100.5,500,10.5,0',
      '1767225900000,100.5,102,100,101,510,,2',
    ].join('\n');
    const parsed = parseBarsCsv(text);
    expect(parsed.series.bars[0]!.openInterestBase).toBe(500);
    expect(parsed.series.bars[0]!.openInterestUsd).toBeUndefined();
    expect(parsed.realized).toEqual([
      { timestamp: 1767225600000, longUsd: 10.5, shortUsd: 0 },
      { timestamp: 1767225900000, longUsd: 0, shortUsd: 2 },
    ]);
    expect(parsed.notes.some((n) => n.includes('empty realized'))).toBe(true);
  });
});

describe('parseBarsCsv errors name the line and the column', () => {
  const HEADER = 'timestamp,open,high,low,close,open_interest_usd,funding';
  const good = (t: number): string => `${t},100,101,99,100.5,1000000,0.0001`;

  it('a non-numeric cell in a required column', () => {
    const text = [HEADER, good(1767225600000), good(1767225900000), '1767226200000,100,abc,99,100.5,1000000,0.0001'].join('\n');
    const error = expectCsvError(() => parseBarsCsv(text), 4, 'high');
    expect(error.message).toContain('"abc"');
  });

  it('counts lines as in the file, with CRLF and blank lines', () => {
    const text = [HEADER, good(1767225600000), '', good(1767225900000), '1767226200000,100,101,99,100.5,,0.0001'].join('\r\n');
    expectCsvError(() => parseBarsCsv(text), 5, 'open_interest_usd');
  });

  it('a non-numeric cell in an optional column', () => {
    const text = [HEADER, good(1767225600000), '1767225900000,100,101,99,100.5,1000000,n/a'].join('\n');
    expectCsvError(() => parseBarsCsv(text), 3, 'funding');
  });

  it('an empty required cell', () => {
    const text = [HEADER, ',100,101,99,100.5,1000000,0.0001'].join('\n');
    expectCsvError(() => parseBarsCsv(text), 2, 'timestamp');
  });

  it('a row with too few or too many cells', () => {
    expectCsvError(() => parseBarsCsv([HEADER, good(1767225600000), '1767225900000,100,101'].join('\n')), 3, 'low');
    expectCsvError(() => parseBarsCsv([HEADER, `${good(1767225600000)},7`].join('\n')), 2, '#8');
    // A trailing comma (an empty extra cell) is tolerated.
    expect(parseBarsCsv([HEADER, `${good(1767225600000)},`].join('\n')).series.bars).toHaveLength(1);
  });

  it('a missing required column is reported on the header line', () => {
    expectCsvError(() => parseBarsCsv('timestamp,open,high,low,close\n1767225600000,1,1,1,1'), 1, 'open_interest_usd');
    expectCsvError(() => parseBarsCsv('timestamp,price_open,price_high,price_low,price_close\n1,1,1,1,1'), 1, 'oi_close');
    expectCsvError(() => parseBarsCsv('\n\ntime,open\n'), 3, 'timestamp');
  });

  it('timestamps in seconds, an empty file and a header without rows', () => {
    expectCsvError(() => parseBarsCsv([HEADER, good(1767225600)].join('\n')), 2, 'timestamp');
    expectCsvError(() => parseBarsCsv(''), 1, 'timestamp');
    expectCsvError(() => parseBarsCsv(`${HEADER}\n`), 2, 'timestamp');
  });

  it('the error regime-export column names are the file\'s own', () => {
    const lines = BINANCE_5M.split('\r\n');
    lines[100] = lines[100]!.replace(/^(\d+),([^,]*),([^,]*),/, '$1,$2,oops,');
    expectCsvError(() => parseBarsCsv(lines.join('\r\n')), 101, 'price_open');
  });
});

describe('detectFundingUnit', () => {
  it('reads a median |funding| above 0.001 as percent, otherwise as a fraction', () => {
    expect(FUNDING_PERCENT_THRESHOLD).toBe(0.001);
    expect(detectFundingUnit([0.005, 0.0058, 0.01])).toBe('percent');
    expect(detectFundingUnit([0.00003527, 0.0001, -0.00002])).toBe('fraction');
    expect(detectFundingUnit([-0.01, -0.02, 0.0001])).toBe('percent');
    expect(detectFundingUnit([0.001, 0.001])).toBe('fraction');
    expect(detectFundingUnit([])).toBe('fraction');
  });
});
