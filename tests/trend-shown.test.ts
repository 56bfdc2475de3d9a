/**
 * The trend as the panel shows it, on the recorded Binance 5m file read bar by bar as the
 * estimator reads it: the percentage beside the arrow is the move the arrow is decided on, over
 * the window it names, so "↓ down (+1.32 %)" cannot happen.
 */
import { describe, expect, it } from 'vitest';
import { computeContext } from '../src/engine/context';
import { Estimator } from '../src/engine/estimator';
import type { MarketContext } from '../src/engine/types';
import { fmtSpan, fmtTrend } from '../src/ui/format';
import { barIndexAt, binance5m, sliceSeries } from './support/recorded';

const HOUR = 3_600_000;

/** The context at every bar of the file, each from the bars up to it. */
function contextsBarByBar(): MarketContext[] {
  const series = binance5m();
  const estimator = new Estimator();
  const out: MarketContext[] = [];
  for (let i = 0; i < series.bars.length; i++) {
    estimator.append([sliceSeries(series, i, i + 1)]);
    out.push(computeContext({ bars: estimator.barColumns, timeframeMs: estimator.timeframeMs, exchanges: estimator.exchangeCount, atr: estimator.atr }));
  }
  return out;
}

describe('the trend on the recorded Binance 5m file', () => {
  const series = binance5m();
  const contexts = contextsBarByBar();

  it('never shows a percentage whose sign contradicts the arrow, at any bar', () => {
    const contradictions: string[] = [];
    const shown = { up: 0, down: 0 };
    for (const context of contexts) {
      const text = fmtTrend(context);
      if (context.trend === 'up') {
        shown.up++;
        if (!(context.trendChangePct > 0) || !text.startsWith('↑ up (+')) contradictions.push(`${new Date(context.timestamp).toISOString()} ${text}`);
      } else if (context.trend === 'down') {
        shown.down++;
        if (!(context.trendChangePct < 0) || !text.startsWith('↓ down (−')) contradictions.push(`${new Date(context.timestamp).toISOString()} ${text}`);
      }
    }
    expect(contradictions).toEqual([]);
    // Both arrows occur often on the file, so the check above ran on each.
    expect(shown.up).toBeGreaterThan(500);
    expect(shown.down).toBeGreaterThan(500);
  });

  it('names the window of the percentage: 1 h on 5m bars (three 20-min bars), longer only across a gap', () => {
    const windows = contexts.slice(12).map((c) => c.trendWindowMs);
    expect(windows.every((ms) => ms >= HOUR)).toBe(true);
    expect(windows.filter((ms) => ms === HOUR).length).toBeGreaterThan(0.95 * windows.length);
    for (const context of contexts.slice(12)) expect(fmtTrend(context)).toMatch(new RegExp(` / ${fmtSpan(context.trendWindowMs)}\\)$`));
  });

  it('reads the two moments where the old words contradicted themselves', () => {
    // Before: "↓ down (+1.32 %)" (the close's return over 4 h beside the EMA's last hour).
    expect(fmtTrend(contexts[barIndexAt(series, '2026-06-05T23:50:00Z')]!)).toBe('↓ down (−0.68 % / 1h)');
    // Before: "↑ up (−0.93 %)".
    expect(fmtTrend(contexts[barIndexAt(series, '2026-06-09T17:55:00Z')]!)).toBe('↑ up (+0.51 % / 1h)');
  });
});

describe('the trend label', () => {
  const context = (trend: MarketContext['trend'], pct: number, windowMs: number): MarketContext => ({
    timestamp: 0,
    price: 100,
    openInterestUsd: 0,
    openInterestChange: {},
    trend,
    trendChangePct: pct,
    trendWindowMs: windowMs,
    reliability: { score: 0, reasons: [] },
  });

  it('writes the arrow, the signed move and its window', () => {
    expect(fmtTrend(context('down', -0.42, 4 * HOUR))).toBe('↓ down (−0.42 % / 4h)');
    expect(fmtTrend(context('up', 1.2, HOUR))).toBe('↑ up (+1.20 % / 1h)');
    expect(fmtTrend(context('flat', 0.03, 3 * HOUR))).toBe('→ flat (+0.03 % / 3h)');
    expect(fmtTrend(context('up', 2.5, 12 * HOUR))).toBe('↑ up (+2.50 % / 12h)');
    // Without bars there is no window to name.
    expect(fmtTrend(context('flat', 0, 0))).toBe('→ flat (0.00 %)');
  });

  it('writes spans as the lookbacks do', () => {
    expect(fmtSpan(40 * 60_000)).toBe('40m');
    expect(fmtSpan(HOUR)).toBe('1h');
    expect(fmtSpan(1.5 * HOUR)).toBe('1.5h');
    expect(fmtSpan(48 * HOUR)).toBe('2d');
    expect(fmtSpan(0)).toBe('');
    expect(fmtSpan(Number.NaN)).toBe('');
  });
});
