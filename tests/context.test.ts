import { describe, expect, it } from 'vitest';
import { computeContext, NO_RATIO_SCORE, RELIABILITY_WEIGHTS } from '../src/engine/context';
import { formatUsd } from '../src/engine/usd-format';
import type { ContextInput, MergedBar, ReliabilityReason } from '../src/engine/types';

const FIVE_MINUTES = 300_000;
const T0 = Date.UTC(2025, 0, 1);

interface SeriesSpec {
  readonly n: number;
  readonly close?: (i: number) => number;
  readonly oi?: (i: number) => number;
  readonly funding?: (i: number) => number | undefined;
  readonly ratio?: (i: number) => number | undefined;
  readonly stale?: (i: number) => boolean;
  readonly gapBefore?: (i: number) => number;
  readonly exchanges?: number;
  /** Half the bar range around the close. */
  readonly halfRange?: number;
}

function makeBars(spec: SeriesSpec): MergedBar[] {
  const bars: MergedBar[] = [];
  let timestamp = T0;
  for (let i = 0; i < spec.n; i++) {
    const gap = spec.gapBefore?.(i) ?? 0;
    if (i > 0) timestamp += FIVE_MINUTES * (1 + gap);
    const close = spec.close?.(i) ?? 100;
    const half = spec.halfRange ?? 0.5;
    const funding = spec.funding?.(i);
    const ratio = spec.ratio?.(i);
    bars.push({
      timestamp,
      open: close,
      high: close + half,
      low: close - half,
      close,
      openInterestUsd: spec.oi?.(i) ?? 2e9,
      ...(funding !== undefined ? { funding } : {}),
      ...(ratio !== undefined ? { longShortRatio: ratio } : {}),
      exchanges: spec.exchanges ?? 3,
      openInterestStale: spec.stale?.(i) ?? false,
      gapBefore: gap,
    });
  }
  return bars;
}

function input(bars: MergedBar[], overrides: Partial<ContextInput> = {}): ContextInput {
  return { bars, timeframeMs: FIVE_MINUTES, exchanges: 3, atr: 1, ...overrides };
}

const reason = (reasons: readonly ReliabilityReason[], factor: ReliabilityReason['factor']): ReliabilityReason =>
  reasons.find((r) => r.factor === factor)!;

describe('funding', () => {
  it('gives the latest funding and its z-score over the lookback', () => {
    // nine readings of 1e-4 then 4e-4: mean 1.3e-4, std 0.9e-4, z = 2.7 / 0.9 = 3
    const bars = makeBars({ n: 10, funding: (i) => (i === 9 ? 4e-4 : 1e-4) });
    const context = computeContext(input(bars));
    expect(context.funding).toBe(4e-4);
    expect(context.fundingZ).toBeCloseTo(3, 10);
    expect(context.crowdedSide).toBe('long');
  });

  it('skips bars without funding and takes the last reading as the current one', () => {
    const bars = makeBars({ n: 12, funding: (i) => (i % 3 === 0 ? -2e-4 + i * 1e-5 : undefined) });
    const context = computeContext(input(bars));
    // readings at 0, 3, 6, 9: -2e-4, -1.7e-4, -1.4e-4, -1.1e-4
    expect(context.funding).toBeCloseTo(-1.1e-4, 15);
    const mean = -1.55e-4;
    const std = Math.sqrt(((0.45 ** 2 + 0.15 ** 2) * 2 * 1e-8) / 4);
    expect(context.fundingZ).toBeCloseTo((-1.1e-4 - mean) / std, 8);
    expect(context.crowdedSide).toBe('short');
  });

  it('has no funding fields when no bar has funding, and z 0 when funding never changed', () => {
    const none = computeContext(input(makeBars({ n: 20 })));
    expect(none.funding).toBeUndefined();
    expect(none.fundingZ).toBeUndefined();
    expect(none.crowdedSide).toBeUndefined();
    const constant = computeContext(input(makeBars({ n: 20, funding: () => 1e-4 })));
    expect(constant.fundingZ).toBe(0);
    const few = computeContext(input(makeBars({ n: 2, funding: () => 1e-4 })));
    expect(few.funding).toBe(1e-4);
    expect(few.fundingZ).toBeUndefined();
  });
});

describe('open interest change', () => {
  it('compares with the bar 12 back on 5m bars for 1h, undefined for longer horizons', () => {
    const bars = makeBars({ n: 13, oi: (i) => (i === 12 ? 110e6 : 100e6) });
    const context = computeContext(input(bars));
    expect(context.openInterestUsd).toBe(110e6);
    expect(context.openInterestChange.h1).toBeCloseTo(0.1, 12);
    expect(context.openInterestChange.h4).toBeUndefined();
    expect(context.openInterestChange.h24).toBeUndefined();
  });

  it('is undefined when the history is one bar short of the horizon', () => {
    const context = computeContext(input(makeBars({ n: 12 })));
    expect(context.openInterestChange.h1).toBeUndefined();
  });

  it('fills every horizon with a day of history', () => {
    const bars = makeBars({ n: 289, oi: (i) => 1e9 * (1 + i / 288) });
    const change = computeContext(input(bars)).openInterestChange;
    expect(change.h24).toBeCloseTo(1, 12); // 1e9 -> 2e9
    expect(change.h4).toBeCloseTo(2 / (2 - 48 / 288) - 1, 12);
    expect(change.h1).toBeCloseTo(2 / (2 - 12 / 288) - 1, 12);
  });
});

/** EMA(6) written out: the first value, then 2/7 of the way to each next one. */
function ema6(values: readonly number[]): number[] {
  const out: number[] = [];
  for (const v of values) out.push(out.length === 0 ? v : out.at(-1)! + (2 / 7) * (v - out.at(-1)!));
  return out;
}

describe('trend', () => {
  it('is up on a steady rise and reports the EMA move it is decided on, over the slope window', () => {
    const context = computeContext(input(makeBars({ n: 49, close: (i) => 100 + 0.5 * i })));
    expect(context.trend).toBe('up');
    // 13 samples (every 4th bar): 100, 102, ..., 124; the EMA's last value against 3 samples back
    const line = ema6(Array.from({ length: 13 }, (_, j) => 100 + 2 * j));
    expect(context.trendChangePct).toBeCloseTo((line[12]! / line[9]! - 1) * 100, 10);
    // 3 samples of 4 five-minute bars
    expect(context.trendWindowMs).toBe(3_600_000);
  });

  it('a fall after a long rise reads down with a negative move, where the longer return is still positive', () => {
    // 5 h of rise (+59), then 55 min of fall (-33): over the last 4 h the price is still up
    // (+6.6 %), but the EMA turned down, and so does the percentage shown with the arrow.
    const close = (i: number): number => (i < 60 ? 100 + i : 159 - 3 * (i - 59));
    const bars = makeBars({ n: 70, close });
    expect(close(69) / close(69 - 48)).toBeGreaterThan(1.06);
    const context = computeContext(input(bars));
    expect(context.trend).toBe('down');
    expect(context.trendChangePct).toBeLessThan(0);
  });

  it('with 3 samples or fewer is flat and measures the move from the first sample', () => {
    const context = computeContext(input(makeBars({ n: 9, close: (i) => 100 + i }), { atr: 0.01 }));
    expect(context.trend).toBe('flat');
    const line = ema6([100, 104, 108]);
    expect(context.trendChangePct).toBeCloseTo((line[2]! / line[0]! - 1) * 100, 10);
    expect(context.trendWindowMs).toBe(8 * FIVE_MINUTES);
  });

  it('spans the time the sampled bars cover, gaps included', () => {
    const context = computeContext(input(makeBars({ n: 49, close: (i) => 100 + 0.5 * i, gapBefore: (i) => (i === 45 ? 6 : 0) })));
    expect(context.trendWindowMs).toBe(3_600_000 + 6 * FIVE_MINUTES);
  });

  it('is down on a steady fall', () => {
    const context = computeContext(input(makeBars({ n: 60, close: (i) => 200 - 0.5 * i })));
    expect(context.trend).toBe('down');
    expect(context.trendChangePct).toBeLessThan(0);
  });

  it('is flat when the move is small against the ATR', () => {
    const context = computeContext(input(makeBars({ n: 60, close: (i) => 100 + 0.3 * Math.sin(i) })));
    expect(context.trend).toBe('flat');
    // the same small drift is a trend when the ATR is tiny
    const drift = makeBars({ n: 60, close: (i) => 100 + 0.05 * i });
    expect(computeContext(input(drift, { atr: 1 })).trend).toBe('flat');
    expect(computeContext(input(drift, { atr: 0.1 })).trend).toBe('up');
  });

  it('computes an ATR from the bars when the given one is unusable', () => {
    const bars = makeBars({ n: 60, close: (i) => 100 + 0.05 * i, halfRange: 0.05 });
    expect(computeContext(input(bars, { atr: Number.NaN })).trend).toBe('up');
  });
});

describe('reliability', () => {
  const THREE_DAYS = 864;
  const clean = (extra: Partial<SeriesSpec> = {}): MergedBar[] => makeBars({ n: THREE_DAYS, oi: () => 7.8e9, ratio: () => 1.2, ...extra });
  const baseline = computeContext(input(clean()));

  it('is full for three days of clean data from three exchanges on a deep market', () => {
    expect(baseline.reliability.score).toBeCloseTo(1, 12);
    const texts = baseline.reliability.reasons.map((r) => r.text);
    expect(texts).toContain('Open interest $7.8B: deep market');
    expect(texts).toContain('3 exchanges: a broad view of the market\'s positions');
    expect(reason(baseline.reliability.reasons, 'history').text).toMatch(/^History 3\.0 days/);
  });

  it('is lower with one exchange', () => {
    const one = computeContext(input(clean(), { exchanges: 1 }));
    expect(one.reliability.score).toBeLessThan(baseline.reliability.score);
    expect(reason(one.reliability.reasons, 'exchanges').score).toBeLessThan(1);
    expect(reason(one.reliability.reasons, 'exchanges').text).toBe('1 exchange: only that venue\'s positions are seen');
  });

  it('is lower with stale open interest, and says how long', () => {
    const stale = computeContext(input(clean({ stale: (i) => i >= 100 && i < 240 })));
    expect(stale.reliability.score).toBeLessThan(baseline.reliability.score);
    expect(reason(stale.reliability.reasons, 'stale-open-interest').text).toBe(
      'Open interest was unchanged for 140 bars (recording gap): those bars add nothing to the map',
    );
  });

  it('is lower with a short history', () => {
    const short = computeContext(input(makeBars({ n: 72, oi: () => 7.8e9 })));
    expect(short.reliability.score).toBeLessThan(baseline.reliability.score);
    const history = reason(short.reliability.reasons, 'history');
    expect(history.score).toBeCloseTo(6 / 72, 12);
    expect(history.text).toBe('History 6 h of the 3.0 days a settled map needs: positions opened earlier are missing');
  });

  it('is lower with missing bars', () => {
    const gappy = computeContext(input(clean({ gapBefore: (i) => (i === 400 ? 96 : 0) })));
    const coverage = reason(gappy.reliability.reasons, 'coverage');
    expect(coverage.score).toBeCloseTo(864 / 960, 12);
    expect(coverage.text).toBe('Data coverage 90 %: 96 bars are missing and those stretches are not modelled');
    expect(gappy.reliability.score).toBeLessThan(baseline.reliability.score);
  });

  it('scales open interest on a log scale between a thin and a deep market', () => {
    const score = (oi: number): number =>
      reason(computeContext(input(makeBars({ n: THREE_DAYS, oi: () => oi }))).reliability.reasons, 'open-interest').score;
    expect(score(2e9)).toBe(1);
    expect(score(1e9)).toBeCloseTo(1, 12);
    expect(score(50e6)).toBeCloseTo(0.2, 12);
    expect(score(1e6)).toBe(0.05);
    expect(score(224e6)).toBeGreaterThan(0.55);
    expect(score(224e6)).toBeLessThan(0.65);
    const thin = computeContext(input(makeBars({ n: THREE_DAYS, oi: () => 12e6 })));
    expect(reason(thin.reliability.reasons, 'open-interest').text).toBe(
      'Open interest $12M: thin market, few positions make up the map and it is less reliable',
    );
    expect(thin.reliability.score).toBeLessThan(0.7);
  });

  it('stays in 0..1 and gives one reason per factor', () => {
    const bad = computeContext(input(makeBars({ n: 5, oi: () => 1e5, stale: () => true }), { exchanges: 1 }));
    expect(bad.reliability.score).toBeGreaterThanOrEqual(0);
    expect(bad.reliability.score).toBeLessThan(0.1);
    expect(bad.reliability.reasons.map((r) => r.factor)).toEqual(['history', 'coverage', 'stale-open-interest', 'open-interest', 'exchanges', 'long-short-ratio']);
  });

  it('is lower without a long/short account ratio, says so, and leaves the context without one', () => {
    expect(baseline.longShortRatio).toBe(1.2);
    expect(reason(baseline.reliability.reasons, 'long-short-ratio')).toMatchObject({ score: 1, text: expect.stringMatching(/^Long\/short account ratio on every bar/) });
    const none = computeContext(input(clean({ ratio: () => undefined })));
    expect(none.longShortRatio).toBeUndefined();
    expect(reason(none.reliability.reasons, 'long-short-ratio')).toEqual({
      factor: 'long-short-ratio',
      score: NO_RATIO_SCORE,
      text: 'No long/short account ratio from the exchange: which side new positions are on rests on taker flow and funding alone',
    });
    expect(none.reliability.score).toBeCloseTo(NO_RATIO_SCORE ** RELIABILITY_WEIGHTS['long-short-ratio'], 12);
    // Only the latest stretch has it (an exchange that serves recent samples only).
    const recent = computeContext(input(clean({ ratio: (i) => (i >= THREE_DAYS * 0.75 ? 0.9 : undefined) })));
    expect(recent.longShortRatio).toBe(0.9);
    const partial = reason(recent.reliability.reasons, 'long-short-ratio');
    expect(partial.score).toBeCloseTo(NO_RATIO_SCORE + (1 - NO_RATIO_SCORE) * 0.25, 12);
    expect(partial.text).toBe('Long/short account ratio on 25 % of the bars: on the others, which side new positions are on rests on taker flow and funding alone');
    expect(none.reliability.score).toBeLessThan(recent.reliability.score);
    expect(recent.reliability.score).toBeLessThan(baseline.reliability.score);
  });

  it('returns an empty context for no bars instead of throwing', () => {
    const empty = computeContext(input([]));
    expect(empty.reliability.score).toBe(0);
    expect(empty.trend).toBe('flat');
    expect(empty.trendWindowMs).toBe(0);
    expect(empty.openInterestChange).toEqual({});
  });
});

describe('formatUsd', () => {
  it('writes amounts the short way, with the three significant digits the panel shows', () => {
    expect(formatUsd(7.8e9)).toBe('$7.8B');
    expect(formatUsd(320e6)).toBe('$320M');
    expect(formatUsd(12e6)).toBe('$12M');
    expect(formatUsd(45_000)).toBe('$45k');
    expect(formatUsd(950)).toBe('$950');
    expect(formatUsd(Number.NaN)).toBe('$0');
  });
});
