/**
 * Which part of a lookback the exchange's funding rates and long/short ratios cover, in plain
 * words for the panel's notes and as reliability reasons. An exchange that serves a series for only
 * part of the lookback (Bitget's ratio keeps 30 rows, OKX's 1,440, Binance's 30 days; a recording
 * that starts late) leaves the older bars without it: the map then rests on the other inputs there,
 * and the trader is told which stretch that is.
 */
import type { Bar, ExchangeId, ReliabilityReason } from '../engine/types';

export interface StretchCoverage {
  /** Bars of the window without the value. */
  readonly missing: number;
  /** Bars of the window before the first one with the value (all of them when none has it). */
  readonly leading: number;
  /** Open time of the first bar with the value. */
  readonly from?: number;
}

export interface SeriesCoverage {
  readonly bars: number;
  readonly timeframeMs: number;
  /** Undefined when the exchange publishes no funding history. */
  readonly funding?: StretchCoverage;
  /** Undefined when the exchange publishes no long/short account ratio. */
  readonly longShortRatio?: StretchCoverage;
}

function stretch(bars: readonly Bar[], has: (bar: Bar) => boolean): StretchCoverage {
  let missing = 0;
  let from: number | undefined;
  let leading = 0;
  for (const bar of bars) {
    if (has(bar)) {
      from ??= bar.timestamp;
    } else {
      missing++;
      if (from === undefined) leading++;
    }
  }
  return { missing, leading, ...(from !== undefined ? { from } : {}) };
}

/**
 * Funding and ratio coverage of a window of bars, for the series an exchange publishes.
 * @example seriesCoverage(bars, 300_000, { funding: true, longShortRatio: false }).funding?.leading // 0
 */
export function seriesCoverage(
  bars: readonly Bar[],
  timeframeMs: number,
  publishes: { readonly funding: boolean; readonly longShortRatio: boolean },
): SeriesCoverage {
  return {
    bars: bars.length,
    timeframeMs,
    ...(publishes.funding ? { funding: stretch(bars, (b) => b.fundingRate !== undefined && Number.isFinite(b.fundingRate)) } : {}),
    ...(publishes.longShortRatio ? { longShortRatio: stretch(bars, (b) => b.longShortRatio !== undefined && Number.isFinite(b.longShortRatio)) } : {}),
  };
}

const NAMES: Readonly<Record<ExchangeId, string>> = { binance: 'Binance', bybit: 'Bybit', okx: 'OKX', bitget: 'Bitget', hyperliquid: 'Hyperliquid' };

/** `3 d 4 h`, `20 h`, `45 min`. */
function span(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return hours % 24 === 0 ? `${hours / 24} d` : `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function describe(exchange: ExchangeId, what: string, c: StretchCoverage, cov: SeriesCoverage): string | undefined {
  if (c.missing === 0 || cov.bars === 0) return undefined;
  const name = NAMES[exchange];
  if (c.from === undefined) return `${name} served no ${what} for this lookback: no bar has one`;
  const lead = c.leading > 0 ? `${name} served ${what} from ${utc(c.from)} on: the oldest ${span(c.leading * cov.timeframeMs)} of the history loaded (${c.leading} of ${cov.bars} bars) have none` : undefined;
  const inner = c.missing - c.leading;
  const gaps = inner > 0 ? `${inner} later ${inner === 1 ? 'bar has' : 'bars have'} no ${what}` : undefined;
  return [lead, gaps].filter(Boolean).join('; ');
}

/**
 * The notes a window's coverage calls for (empty when funding and ratio reach every bar).
 * @example coverageNotes('bitget', coverage) // ['Bitget served long/short ratios from 2026-06-20 12:00 UTC on: the oldest 2 d of the lookback (576 of 864 bars) have none']
 */
export function coverageNotes(exchange: ExchangeId, coverage: SeriesCoverage): string[] {
  const notes: string[] = [];
  const funding = coverage.funding && describe(exchange, 'funding rates', coverage.funding, coverage);
  if (funding) notes.push(funding);
  const ratio = coverage.longShortRatio && describe(exchange, 'long/short ratios', coverage.longShortRatio, coverage);
  if (ratio) notes.push(ratio);
  return notes;
}

/**
 * Reliability reasons for a part of the lookback without funding (the ratio has the engine's own
 * reason, which counts the bars with one): the crowded side is unknown there.
 * @example coverageReasons('okx', coverage)[0]?.text
 */
export function coverageReasons(exchange: ExchangeId, coverage: SeriesCoverage): ReliabilityReason[] {
  const f = coverage.funding;
  if (!f || f.missing === 0 || coverage.bars === 0) return [];
  const share = 1 - f.missing / coverage.bars;
  const where = f.from === undefined ? 'none of the bars' : f.leading > 0 ? `the oldest ${span(f.leading * coverage.timeframeMs)}` : `${f.missing} bars`;
  return [
    {
      factor: 'coverage',
      score: 0.5 + 0.5 * share,
      text: `Funding from ${NAMES[exchange]} is missing for ${where} of the history: there, which side is crowded rests on taker flow and the ratio alone`,
    },
  ];
}
