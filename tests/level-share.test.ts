import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/engine/config';
import { AT_LEVEL_SPREAD, distanceRatios, measureLevelShare, parsePositionsCsv, type ObservedPosition } from '../src/engine/level-share';
import { DATA_DIR } from './support/recorded';

const SNAPSHOT = resolve(DATA_DIR, 'hyperliquid-positions/hl-positions-all-coins-whales-2026-02-15T0513Z.csv');

describe('share of opened notional at liquidation levels, measured on real Hyperliquid positions', () => {
  const positions = parsePositionsCsv(readFileSync(SNAPSHOT, 'utf8'));
  const btc = positions.filter((p) => p.coin === 'BTC');
  const measured = measureLevelShare(btc, AT_LEVEL_SPREAD);

  it('reads every position of the snapshot', () => {
    expect(positions.length).toBe(2_849);
    expect(btc.length).toBe(236);
    expect(measured.share + measured.beyond + measured.none).toBeCloseTo(1, 12);
  });

  it('the config default levelShare is the BTC measurement (at or inside the level widened by 30 %)', () => {
    expect(measured.share).toBeGreaterThan(0.07);
    expect(DEFAULT_CONFIG.levelShare).toBeCloseTo(measured.share, 3);
  });

  it('the config default levelDistanceRatios are the middles of three equal shares of that notional, by real over textbook distance (all coins: 111 positions at or inside)', () => {
    const everyCoin = measureLevelShare(positions, AT_LEVEL_SPREAD);
    expect(everyCoin.inside.length).toBe(111);
    const ratios = distanceRatios(everyCoin, DEFAULT_CONFIG.levelDistanceRatios.length);
    expect(ratios.length).toBe(3);
    for (const [i, ratio] of ratios.entries()) expect(DEFAULT_CONFIG.levelDistanceRatios[i]!, String(i)).toBeCloseTo(ratio, 2);
    // The innermost share reaches deep inside the level: its 5th percentile sits at 0.19 of the
    // distance (BTC alone, 16 positions, the same), so one point at the level would miss it.
    expect(everyCoin.insideRatioP5).toBeCloseTo(measured.insideRatioP5, 2);
    expect(everyCoin.insideRatioP5).toBeLessThan(0.25);
  });

  it('distanceRatios splits the notional into equal shares and takes each share\'s middle', () => {
    const at = (ratio: number, notional: number): { ratio: number; notional: number } => ({ ratio, notional });
    const m = { ...measureLevelShare([], AT_LEVEL_SPREAD), inside: [at(0.2, 1), at(0.5, 1), at(1, 2), at(1.2, 2)] };
    // Shares of 6/3 = 2: middles at 1, 3 and 5 of the cumulative notional 1, 2, 4, 6.
    expect(distanceRatios(m, 3)).toEqual([0.2, 1, 1.2]);
    expect(distanceRatios(m, 1)).toEqual([1]);
  });

  it('most real notional is beyond its textbook level or has none: a tier model at full notional overstates by an order of magnitude', () => {
    expect(measured.beyond + measured.none).toBeGreaterThan(0.9);
    // The whole snapshot (191 coins) says the same.
    expect(measureLevelShare(positions, AT_LEVEL_SPREAD).share).toBeLessThan(0.1);
  });

  it('counts a position at its level, inside it, beyond it, or without one', () => {
    const at = (liquidationPrice: number | undefined): ObservedPosition => ({ coin: 'BTC', side: 'long', entryPrice: 100, leverage: 10, liquidationPrice, notionalUsd: 1 });
    // Hyperliquid BTC 10x long: textbook level about 91.1 (maintenance 1.25 %).
    expect(measureLevelShare([at(91)], 0.3).share).toBe(1);
    expect(measureLevelShare([at(98)], 0.3).share).toBe(1);
    expect(measureLevelShare([at(80)], 0.3).beyond).toBe(1);
    expect(measureLevelShare([at(undefined)], 0.3).none).toBe(1);
    expect(measureLevelShare([at(91), at(80)], 0.3).share).toBe(0.5);
  });
});
