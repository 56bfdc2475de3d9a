import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/engine/config';
import { measureLevelShare, parsePositionsCsv, type ObservedPosition } from '../src/engine/level-share';
import { DATA_DIR } from './support/recorded';

const SNAPSHOT = resolve(DATA_DIR, 'hyperliquid-positions/hl-positions-all-coins-whales-2026-02-15T0513Z.csv');

describe('share of opened notional at liquidation levels, measured on real Hyperliquid positions', () => {
  const positions = parsePositionsCsv(readFileSync(SNAPSHOT, 'utf8'));
  const btc = positions.filter((p) => p.coin === 'BTC');
  const measured = measureLevelShare(btc, DEFAULT_CONFIG.levelSpread);

  it('reads every position of the snapshot', () => {
    expect(positions.length).toBe(2_849);
    expect(btc.length).toBe(236);
    expect(measured.share + measured.beyond + measured.none).toBeCloseTo(1, 12);
  });

  it('the config default levelShare is the BTC measurement (at or inside the level widened by levelSpread)', () => {
    expect(measured.share).toBeGreaterThan(0.07);
    expect(DEFAULT_CONFIG.levelShare).toBeCloseTo(measured.share, 3);
  });

  it('the config default levelSpreadInside is where the 5th percentile of that notional sits inside its level (all coins: 111 positions at or inside)', () => {
    // BTC alone has 16 such positions, the deepest one $4.2M at 0.19 of its distance; the whole
    // snapshot puts its 5th percentile at the same place and its 10th at 0.21.
    const everyCoin = measureLevelShare(positions, DEFAULT_CONFIG.levelSpread);
    expect(everyCoin.insideRatioP5).toBeCloseTo(measured.insideRatioP5, 2);
    expect(DEFAULT_CONFIG.levelSpreadInside).toBeCloseTo(1 - everyCoin.insideRatioP5, 1);
  });

  it('most real notional is beyond its textbook level or has none: a tier model at full notional overstates by an order of magnitude', () => {
    expect(measured.beyond + measured.none).toBeGreaterThan(0.9);
    // The whole snapshot (191 coins) says the same.
    expect(measureLevelShare(positions, DEFAULT_CONFIG.levelSpread).share).toBeLessThan(0.1);
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
