import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrate, CALIBRATION_TARGET } from '../scripts/lib/calibration';

const FILE = resolve(import.meta.dirname, '../../shared/data/btc-30m-agg3ex-with-liquidations.csv');

describe('calibration against realized liquidations (BTC 30m, three exchanges)', () => {
  const report = calibrate(readFileSync(FILE, 'utf8'));

  it('scores every bar after a one-day warm-up', () => {
    expect(report.bars).toBe(876);
    expect(report.warmupBars).toBe(48);
    expect(report.scoredBars).toBe(876 - 48);
  });

  it('ranks bars by liquidations better than open interest x the adverse move, on both sides', () => {
    for (const side of ['long', 'short'] as const) {
      expect(report[side].model - report[side].baseline, side).toBeGreaterThanOrEqual(CALIBRATION_TARGET.margin);
    }
  });

  it('reaches the 0.80 rank correlation on the long side', () => {
    expect(report.long.model).toBeGreaterThanOrEqual(CALIBRATION_TARGET.minimum);
    expect(report.long.meetsTarget).toBe(true);
  });

  it('reaches the 0.80 rank correlation on the short side', () => {
    expect(report.short.model).toBeGreaterThanOrEqual(CALIBRATION_TARGET.minimum);
    expect(report.short.meetsTarget).toBe(true);
  });

  it('a model with straight intra-bar legs and no level spread ranks worse: the mechanisms carry the score', () => {
    const plain = calibrate(readFileSync(FILE, 'utf8'), { config: { openDip: 0, legRetrace: 0, closeOvershoot: 0, levelSpread: 0, turnoverPerHour: 0 } });
    expect(plain.short.model).toBeLessThan(report.short.model);
    expect(plain.long.model).toBeLessThan(report.long.model);
  });

  it('levels the price hovers next to thin out (nearExitPerHour): the short side ranks better with it', () => {
    const without = calibrate(readFileSync(FILE, 'utf8'), { config: { nearExitPerHour: 0 } });
    expect(report.short.model).toBeGreaterThan(without.short.model);
  });

  it('the measured intra-bar swings (dip before the first extreme, rebound past the close) raise both sides', () => {
    const skeleton = calibrate(readFileSync(FILE, 'utf8'), { config: { openDip: 0, closeOvershoot: 0 } });
    expect(report.long.model).toBeGreaterThan(skeleton.long.model);
    expect(report.short.model).toBeGreaterThan(skeleton.short.model);
  });
});
