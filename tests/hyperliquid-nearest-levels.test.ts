/** The nearest real levels: only those within reach of the price count as nearest. */
import { describe, expect, it } from 'vitest';
import { NEAREST_REACH, nearestLevels } from '../src/data/hyperliquid-positions/levels';
import type { RealLevel } from '../src/messaging/real-levels';

const level = (price: number, side: RealLevel['side'], notionalUsd = 1e6): RealLevel => ({ price, side, notionalUsd, leverage: 10, marginType: 'cross', account: '0x' + '1'.repeat(40) });

describe('nearestLevels', () => {
  it('takes the closest level on each side, the largest when two share a price', () => {
    const levels = [level(105, 'short'), level(103, 'short', 1e5), level(103, 'short', 2e6), level(97, 'long'), level(90, 'long')];
    const { above, below } = nearestLevels({ levels }, 100);
    expect(above).toMatchObject({ price: 103, notionalUsd: 2e6 });
    expect(below).toMatchObject({ price: 97 });
  });

  it('leaves out levels further than the reach: a 2x short liquidates near twice the price', () => {
    const levels = [level(100 * (1 + NEAREST_REACH) + 1, 'short'), level(195, 'short'), level(100 * (1 - NEAREST_REACH) - 1, 'long')];
    expect(nearestLevels({ levels }, 100)).toEqual({});
    expect(nearestLevels({ levels }, 100, 1).above).toMatchObject({ price: 121 });
  });
});
