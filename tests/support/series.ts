/**
 * Small hand-made series and helpers to feed them to the estimator in pieces.
 */
import type { EngineConfig } from '../../src/engine/config';
import type { Bar, ExchangeId, ExchangeSeries } from '../../src/engine/types';

export const MINUTE = 60_000;
export const FIVE_MINUTES = 5 * MINUTE;
/** An arbitrary fixed start (2026-01-01T00:00Z) so hand series have realistic timestamps. */
export const T0 = Date.UTC(2026, 0, 1);

type MutableBar = { -readonly [K in keyof Bar]: Bar[K] };

/** One bar; open/high/low/close default to `price`. */
export function bar(timestamp: number, price: number, openInterestUsd: number, extra: Partial<Bar> = {}): Bar {
  const b: MutableBar = { timestamp, open: price, high: price, low: price, close: price, openInterestUsd };
  return { ...b, ...extra };
}

/**
 * Bars that never move in price: `ois[i]` is bar i's open interest. Timestamps step by `stepMs`
 * from `start`.
 */
export function flatBars(price: number, ois: readonly number[], start = T0, stepMs = FIVE_MINUTES): Bar[] {
  return ois.map((oi, i) => bar(start + i * stepMs, price, oi));
}

/** `count` values from `from`, each `step` more than the previous. */
export function ramp(from: number, step: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i * step);
}

export function series(bars: readonly Bar[], exchange: ExchangeId = 'binance', symbol = 'BTCUSDT', timeframeMs?: number): ExchangeSeries {
  return { exchange, symbol, bars, ...(timeframeMs !== undefined ? { timeframeMs } : {}) };
}

/** Bars shifted to follow `after` with the same spacing. */
export function continueAfter(after: readonly Bar[], next: readonly Bar[], stepMs = FIVE_MINUTES): Bar[] {
  const last = after.at(-1)!.timestamp;
  const first = next[0]!.timestamp;
  return next.map((b) => ({ ...b, timestamp: b.timestamp - first + last + stepMs }));
}

/**
 * One leverage tier, no decay, no turnover, no spread, and every opened dollar at its level
 * (levelShare 1): the cleanest config for checking where levels land and how much notional they
 * hold. Override any field.
 */
export function singleTierConfig(leverage: number, overrides: Partial<EngineConfig> = {}): Partial<EngineConfig> {
  return {
    tiers: [{ leverage, weight: 1, halfLifeHours: Infinity }],
    levelDistanceRatios: [1],
    turnoverPerHour: 0,
    levelShare: 1,
    ...overrides,
  };
}

/**
 * Splits every series' bars into consecutive pieces by merged timestamp: the first piece holds
 * the first `sizes[0]` distinct timestamps, and so on; what `sizes` does not cover goes into
 * one last piece.
 */
export function chunkByTimestamps(
  input: readonly ExchangeSeries[],
  sizes: readonly number[],
): ExchangeSeries[][] {
  const times = [...new Set(input.flatMap((s) => s.bars.map((b) => b.timestamp)))].sort((a, b) => a - b);
  const bounds: number[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= times.length) break;
    at = Math.min(times.length, at + size);
    bounds.push(at);
  }
  if (at < times.length) bounds.push(times.length);
  const chunks: ExchangeSeries[][] = [];
  let from = 0;
  for (const to of bounds) {
    const lo = times[from]!;
    const hi = times[to - 1]!;
    chunks.push(
      input
        .map((s) => ({ ...s, bars: s.bars.filter((b) => b.timestamp >= lo && b.timestamp <= hi) }))
        .filter((s) => s.bars.length > 0),
    );
    from = to;
  }
  return chunks;
}

/** Chunk sizes: 1, 7, 100, then everything up to the last `tail` bars, then one bar at a time. */
export function standardChunks(totalBars: number, tail = 50): number[] {
  const head = [1, 7, 100];
  const used = head.reduce((a, b) => a + b, 0);
  const middle = Math.max(0, totalBars - used - tail);
  return [...head, middle, ...Array.from({ length: Math.min(tail, totalBars - used - middle) }, () => 1)].filter((n) => n > 0);
}
