/**
 * Open interest for the stretch an exchange without open-interest history (Bitget, Hyperliquid)
 * has no snapshots of its own: the changes of the same coin's open interest on the exchanges that
 * publish history (Binance, Bybit, OKX), summed in coins, scaled so that they meet this exchange's
 * own value where its snapshots begin.
 *
 * Why: built from a flat open interest, such a map would rest on the turnover assumption alone (the
 * engine reads unchanged open interest as no position flow). Positions on one venue open and close
 * largely with the market's: the other venues' changes are the best public estimate of when this
 * venue's positions opened, but not of how many: the scale is this venue's own. The stretch its own
 * snapshots cover (accumulated while panels are open) keeps its own values.
 */
import type { Bar, ExchangeId, ExchangeSeries, ReliabilityReason } from '../engine/types';

/** The exchanges whose open-interest history can stand in. */
export const OPEN_INTEREST_PEERS: readonly ExchangeId[] = ['binance', 'bybit', 'okx'];

/**
 * Snapshots further apart than this do not make a run of own open interest: the gap between them
 * (a panel closed for hours) is filled from the peers, not by a straight line.
 */
export const MAX_SNAPSHOT_GAP_MS = 60 * 60_000;

const NAMES: Readonly<Record<ExchangeId, string>> = { binance: 'Binance', bybit: 'Bybit', okx: 'OKX', bitget: 'Bitget', hyperliquid: 'Hyperliquid' };

function baseOf(bar: Bar): number | undefined {
  const base = bar.openInterestBase ?? (bar.openInterestUsd !== undefined && bar.close > 0 ? bar.openInterestUsd / bar.close : undefined);
  return base !== undefined && Number.isFinite(base) && base >= 0 ? base : undefined;
}

/** Forward reader of a peer's open interest in coins: the latest bar at or before a time. */
function reader(series: ExchangeSeries): (time: number) => number | undefined {
  const bars = series.bars;
  let i = -1;
  let last: number | undefined;
  return (time) => {
    while (i + 1 < bars.length && bars[i + 1]!.timestamp <= time) {
      i++;
      last = baseOf(bars[i]!) ?? last;
    }
    return last;
  };
}

export interface BorrowedOpenInterest {
  /** The bars, those before `ownFrom` with the borrowed open interest (in coins). */
  readonly bars: Bar[];
  /** Bars given borrowed values. */
  readonly borrowed: number;
  /** The peers whose changes were used. */
  readonly peers: readonly ExchangeId[];
  /** Open time of the first bar with this exchange's own value. */
  readonly ownFrom: number;
}

/**
 * Gives the bars before `ownFrom` the summed open interest (coins) of `peers` scaled to meet this
 * exchange's own value at the first bar from `ownFrom` on. A peer is used when it has a bar at or
 * before the first bar; undefined when none is (the bars then stay as they were).
 * @example borrowOpenInterest(bitgetBars, firstSnapshot, [binance, bybit, okx])?.borrowed
 */
export function borrowOpenInterest(bars: readonly Bar[], ownFrom: number, peers: readonly ExchangeSeries[]): BorrowedOpenInterest | undefined {
  const anchorIndex = bars.findIndex((b) => b.timestamp >= ownFrom);
  if (anchorIndex <= 0) return undefined;
  const anchor = bars[anchorIndex]!;
  const own = baseOf(anchor);
  const first = bars[0]!.timestamp;
  const usable = peers.filter((p) => p.bars.length > 0 && p.bars[0]!.timestamp <= first);
  if (own === undefined || usable.length === 0) return undefined;
  const readers = usable.map(reader);
  // Readers move forward only: read every bar's time in order, the anchor's included.
  const sums: (number | undefined)[] = [];
  for (let i = 0; i <= anchorIndex; i++) {
    let sum = 0;
    for (const read of readers) {
      const value = read(bars[i]!.timestamp);
      if (value === undefined) {
        sum = NaN;
        break;
      }
      sum += value;
    }
    sums.push(Number.isFinite(sum) ? sum : undefined);
  }
  const atAnchor = sums[anchorIndex];
  if (atAnchor === undefined || !(atAnchor > 0)) return undefined;
  const scale = own / atAnchor;
  const out = bars.slice();
  let borrowed = 0;
  for (let i = 0; i < anchorIndex; i++) {
    const sum = sums[i];
    if (sum === undefined) continue;
    const { openInterestUsd: _usd, openInterestBase: _base, ...rest } = bars[i]!;
    out[i] = { ...rest, openInterestBase: sum * scale };
    borrowed++;
  }
  return { bars: out, borrowed, peers: usable.map((p) => p.exchange), ownFrom: anchor.timestamp };
}

function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function list(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * The note and reliability reason for borrowed open interest, or for a flat one when nothing could
 * be borrowed (`result` undefined), in plain words.
 */
export function borrowedOpenInterestWords(
  exchange: ExchangeId,
  result: BorrowedOpenInterest | undefined,
  ownFrom: number,
  failed: readonly string[],
): { readonly note: string; readonly reason: ReliabilityReason } {
  const name = NAMES[exchange];
  if (!result) {
    const why = failed.length > 0 ? ` (${failed.join('; ')})` : '';
    return {
      note: `${name} publishes no open-interest history and no other exchange's could stand in${why}: before ${utc(ownFrom)} open interest is flat, so the map there rests on turnover alone`,
      reason: {
        factor: 'open-interest',
        score: 0.3,
        text: `No open-interest history before ${utc(ownFrom)}: ${name} publishes none, so the map there rests on turnover alone`,
      },
    };
  }
  const peers = list(result.peers.map((p) => NAMES[p]));
  return {
    note: `${name} publishes no open-interest history: before ${utc(result.ownFrom)} its open interest follows the changes on ${peers}, scaled to ${name}'s own open interest; from then on, ${name}'s own snapshots`,
    reason: {
      factor: 'open-interest',
      score: 0.6,
      text: `Open interest before ${utc(result.ownFrom)} is borrowed: ${name} publishes no history, so the changes on ${peers} are scaled to ${name}'s size; positions opened on ${name} alone are not seen there`,
    },
  };
}
