/**
 * Estimates the liquidation map of a bar history from a CSV file.
 *
 *   npm run estimate -- <file.csv> [--out DIR] [--png] [--funding-unit auto|fraction|percent]
 *                       [--exchange binance] [--symbol BTCUSDT] [--width 1200] [--height 600]
 *                       [--theme dark|light]
 *
 * Writes DIR/estimate.json, DIR/per-bar.csv and, with --png, DIR/heatmap.png (default DIR:
 * ./estimate-out). per-bar.csv's est_long_usd / est_short_usd of a bar are causal: what the map as
 * it stood at the end of the previous bar liquidates over the bar's low..high. Exit codes: 0 done, 1 bad input (the message names the file, line and
 * column), 2 bad command line.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PNG } from 'pngjs';
import { CsvInputError, parseBarsCsv, type FundingUnit, type ParsedBarsCsv } from '../src/engine/csv-input';
import { estimate, MAX_HEATMAP_COLUMNS } from '../src/engine/estimate';
import type { Bar, EstimateResult, ExchangeId, Pool } from '../src/engine/types';
import { InputError, inferTimeframe } from '../src/engine/validate';
import { formatUsd } from '../src/engine/usd-format';
import { formatPrice } from '../src/engine/price-format';
import type { Candle } from '../src/render/heatmap-candles';
import { renderHeatmapRgba } from '../src/render/heatmap-raster';

const USAGE = `usage: npm run estimate -- <file.csv> [options]

Reads a bar history (CSV), estimates where leveraged positions would be liquidated, and writes
estimate.json, per-bar.csv and optionally heatmap.png.

options:
  --out DIR              output folder (default ./estimate-out)
  --png                  also write heatmap.png
  --width N, --height N  heatmap.png size in pixels (default 1200 x 600)
  --theme dark|light     heatmap.png colours (default dark)
  --funding-unit U       auto (default), fraction (0.0001 = 0.01 %) or percent
  --exchange ID          binance (default), bybit, okx, bitget or hyperliquid
  --symbol S             symbol for the margin tiers (default BTCUSDT)
  -h, --help             this text

CSV layouts: generic (timestamp in ms, open, high, low, close, open_interest_usd, optional
volume, taker_buy_volume, cvd, funding, long_short_ratio) or the regime export of
shared/data (timestamp, price_open..price_close, oi_close, funding_close, cvd_close).`;

const EXCHANGES: readonly ExchangeId[] = ['binance', 'bybit', 'okx', 'bitget', 'hyperliquid'];
const FUNDING_UNITS = ['auto', 'fraction', 'percent'] as const;
const HEATMAP_ROWS = 500;
const TOP_POOLS = 3;

/** A problem with the command line (exit 2, usage shown). */
class UsageError extends Error {}
/** A problem with the input file (exit 1, no usage). */
class UserError extends Error {}

interface CliOptions {
  readonly file: string;
  readonly out: string;
  readonly png: boolean;
  readonly width: number;
  readonly height: number;
  readonly theme: 'dark' | 'light';
  readonly fundingUnit: FundingUnit | 'auto';
  readonly exchange: ExchangeId;
  readonly symbol: string;
}

function parseCommandLine(argv: string[]): CliOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string', short: 'o' },
        png: { type: 'boolean' },
        width: { type: 'string' },
        height: { type: 'string' },
        theme: { type: 'string' },
        'funding-unit': { type: 'string' },
        exchange: { type: 'string' },
        symbol: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'no CSV file given' : `one CSV file expected, got ${positionals.length}: ${positionals.join(' ')}`);
  }
  const fundingUnit = values['funding-unit'] ?? 'auto';
  if (!(FUNDING_UNITS as readonly string[]).includes(fundingUnit)) {
    throw new UsageError(`--funding-unit must be one of ${FUNDING_UNITS.join(', ')}, got "${fundingUnit}"`);
  }
  const exchange = (values.exchange ?? 'binance').toLowerCase();
  if (!(EXCHANGES as readonly string[]).includes(exchange)) {
    throw new UsageError(`--exchange must be one of ${EXCHANGES.join(', ')}, got "${values.exchange}"`);
  }
  const theme = values.theme ?? 'dark';
  if (theme !== 'dark' && theme !== 'light') throw new UsageError(`--theme must be dark or light, got "${theme}"`);
  const size = (name: 'width' | 'height', fallback: number): number => {
    const text = values[name];
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!(Number.isInteger(value) && value >= 200 && value <= 8000)) throw new UsageError(`--${name} must be a whole number in 200..8000, got "${text}"`);
    return value;
  };
  return {
    file: positionals[0]!,
    out: values.out ?? 'estimate-out',
    png: values.png ?? false,
    width: size('width', 1200),
    height: size('height', 600),
    theme,
    fundingUnit: fundingUnit as FundingUnit | 'auto',
    exchange: exchange as ExchangeId,
    symbol: values.symbol ?? 'BTCUSDT',
  };
}

function readInput(options: CliOptions): ParsedBarsCsv {
  let text: string;
  try {
    text = readFileSync(options.file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new UserError(`${options.file}: cannot read the file (${reason})`);
  }
  try {
    return parseBarsCsv(text, { exchange: options.exchange, symbol: options.symbol, fundingUnit: options.fundingUnit });
  } catch (error) {
    if (error instanceof CsvInputError) throw new UserError(`${options.file}, ${error.message}`);
    throw error;
  }
}

function runEstimate(options: CliOptions, input: ParsedBarsCsv): EstimateResult {
  const bars = input.series.bars.length;
  try {
    return estimate([input.series], { heatmap: { columns: Math.min(bars, MAX_HEATMAP_COLUMNS), rows: HEATMAP_ROWS } });
  } catch (error) {
    if (error instanceof InputError) {
      const line = error.barIndex >= 0 ? input.barLines[error.barIndex] : undefined;
      const column = input.fieldColumns[error.field as keyof Bar] ?? error.field;
      const where = line === undefined ? `column "${column}"` : `line ${line}, column "${column}"`;
      throw new UserError(`${options.file}, ${where}: ${error.message}`);
    }
    throw error;
  }
}

/** USD rounded to cents, without a "-0.00". */
function cents(value: number): string {
  const rounded = Math.round(value * 100);
  if (rounded === 0) return '0.00';
  const sign = rounded < 0 ? '-' : '';
  const abs = Math.abs(rounded);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function iso(timestamp: number): string {
  return new Date(timestamp).toISOString();
}

/** `2026-05-21 10:00` */
function shortTime(timestamp: number): string {
  return iso(timestamp).slice(0, 16).replace('T', ' ');
}

function formatTimeframe(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

function candlesFor(result: EstimateResult, bars: readonly Bar[]): Candle[] {
  const byTime = new Map<number, Bar>();
  for (const bar of bars) byTime.set(bar.timestamp, bar);
  const candles: Candle[] = [];
  for (const t of result.heatmap.timestamps) {
    const bar = byTime.get(t);
    if (!bar) return [];
    candles.push(bar);
  }
  return candles;
}

/** Decimals for prices of this size: 0 from 1,000 up, 2 from 1 up, more below 1. */
function priceDecimals(price: number): number {
  if (!(price > 0)) return 2;
  if (price >= 1000) return 0;
  if (price >= 1) return 2;
  return Math.min(8, Math.ceil(-Math.log10(price)) + 3);
}

function poolLine(pool: Pool, decimals: number): string {
  const range = `${formatPrice(pool.priceLow, decimals)}-${formatPrice(pool.priceHigh, decimals)}`;
  const distance = `${pool.distancePct >= 0 ? '+' : ''}${pool.distancePct.toFixed(2)} %`;
  return (
    `    ${range.padEnd(24)} peak ${formatPrice(pool.peakPrice, decimals).padEnd(12)} ${formatUsd(pool.notionalUsd).padStart(8)}  ` +
    `strength ${String(pool.strength).padStart(2)}/10  ${distance.padStart(8)} (${pool.distanceAtr.toFixed(1)} ATR)`
  );
}

function main(argv: string[]): number {
  let options: CliOptions | 'help';
  try {
    options = parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`estimate: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }

  try {
    const input = readInput(options);
    const { series } = input;
    const result = runEstimate(options, input);
    const bars = series.bars;
    const timeframeMs = inferTimeframe(series);
    const first = bars[0]!;
    const last = bars.at(-1)!;

    let estimatedLong = 0;
    let estimatedShort = 0;
    for (const row of result.perBar) {
      estimatedLong += row.longUsd;
      estimatedShort += row.shortUsd;
    }
    let realizedTotals: { bars: number; longUsd: number; shortUsd: number } | null = null;
    if (input.realized) {
      realizedTotals = { bars: input.realized.length, longUsd: 0, shortUsd: 0 };
      for (const row of input.realized) {
        realizedTotals.longUsd += row.longUsd;
        realizedTotals.shortUsd += row.shortUsd;
      }
    }

    const outDir = resolve(options.out);
    mkdirSync(outDir, { recursive: true });
    const written: string[] = [];

    const { heatmap, map } = result;
    const json = {
      input: {
        file: basename(options.file),
        layout: input.layout,
        exchange: series.exchange,
        symbol: series.symbol,
        bars: bars.length,
        timeframeMs,
        from: iso(first.timestamp),
        to: iso(last.timestamp),
        fundingUnit: input.fundingUnit ?? null,
        notes: input.notes,
        realized: realizedTotals,
      },
      estimatedTotals: { longUsd: estimatedLong, shortUsd: estimatedShort },
      context: result.context,
      pools: result.pools,
      map: {
        timestamp: map.timestamp,
        price: map.price,
        atr: map.atr,
        priceEdges: Array.from(map.priceEdges),
        long: Array.from(map.long),
        short: Array.from(map.short),
        cumulativeLong: Array.from(map.cumulativeLong),
        cumulativeShort: Array.from(map.cumulativeShort),
      },
      heatmap: {
        columns: heatmap.columns,
        rows: heatmap.rows,
        from: heatmap.columns > 0 ? iso(heatmap.timestamps[0]!) : null,
        to: heatmap.columns > 0 ? iso(heatmap.timestamps[heatmap.columns - 1]!) : null,
        priceLow: heatmap.priceEdges[0] ?? null,
        priceHigh: heatmap.priceEdges[heatmap.rows] ?? null,
        maxCellUsd: heatmap.maxCell,
        png: options.png ? 'heatmap.png' : null,
      },
    };
    const jsonPath = join(outDir, 'estimate.json');
    writeFileSync(jsonPath, `${JSON.stringify(json, null, 1)}\n`);
    written.push(jsonPath);

    const csvLines = ['timestamp,est_long_usd,est_short_usd'];
    for (const row of result.perBar) csvLines.push(`${row.timestamp},${cents(row.longUsd)},${cents(row.shortUsd)}`);
    const csvPath = join(outDir, 'per-bar.csv');
    writeFileSync(csvPath, `${csvLines.join('\n')}\n`);
    written.push(csvPath);

    if (options.png) {
      const raster = renderHeatmapRgba(heatmap, candlesFor(result, bars), { width: options.width, height: options.height, theme: options.theme });
      const png = new PNG({ width: raster.width, height: raster.height });
      png.data = Buffer.from(raster.data.buffer, raster.data.byteOffset, raster.data.byteLength);
      const pngPath = join(outDir, 'heatmap.png');
      writeFileSync(pngPath, PNG.sync.write(png));
      written.push(pngPath);
    }

    // Summary.
    const decimals = priceDecimals(map.price);
    const { context } = result;
    console.log(`${options.file}: ${input.layout} layout, ${series.exchange} ${series.symbol}`);
    console.log(`  bars: ${bars.length} x ${formatTimeframe(timeframeMs)}, ${shortTime(first.timestamp)} -> ${shortTime(last.timestamp)} UTC`);
    for (const note of input.notes) console.log(`  note: ${note}`);
    if (result.perBar.length !== bars.length) console.log(`  note: ${result.perBar.length} per-bar rows for ${bars.length} input bars`);
    console.log(
      `  last price ${formatPrice(map.price, decimals + 2)}, ATR ${formatPrice(map.atr, decimals + 1)}, ` +
        `reliability ${context.reliability.score.toFixed(2)}`,
    );
    const above = result.pools.filter((p) => p.side === 'short').sort((a, b) => b.notionalUsd - a.notionalUsd).slice(0, TOP_POOLS);
    const below = result.pools.filter((p) => p.side === 'long').sort((a, b) => b.notionalUsd - a.notionalUsd).slice(0, TOP_POOLS);
    for (const reason of context.reliability.reasons) if (reason.score < 1) console.log(`  caveat: ${reason.text}`);
    console.log(`  pools above price (short liquidations)${above.length === 0 ? ': none' : ', largest first:'}`);
    for (const pool of above) console.log(poolLine(pool, decimals));
    console.log(`  pools below price (long liquidations)${below.length === 0 ? ': none' : ', largest first:'}`);
    for (const pool of below) console.log(poolLine(pool, decimals));
    console.log(
      `  estimated liquidations over the history: longs ${formatUsd(estimatedLong)}, shorts ${formatUsd(estimatedShort)}` +
        (realizedTotals ? ` (realized in the file: longs ${formatUsd(realizedTotals.longUsd)}, shorts ${formatUsd(realizedTotals.shortUsd)})` : ''),
    );
    console.log(`  wrote ${written.join(', ')}`);
    return 0;
  } catch (error) {
    if (error instanceof UserError) {
      console.error(`estimate: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main(process.argv.slice(2));
