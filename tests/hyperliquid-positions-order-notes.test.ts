/** A planned stop beside the real Hyperliquid levels, in words (a description of risk). */
import { describe, expect, it } from 'vitest';
import { realLevelNote } from '../src/data/hyperliquid-positions/order-notes';
import type { RealLevel } from '../src/messaging/real-levels';

const account = `0x${'b'.repeat(40)}`;
const level = (price: number, side: RealLevel['side'], notionalUsd: number): RealLevel => ({ price, side, notionalUsd, leverage: 20, marginType: 'cross', account });
const view = { levels: [level(67_800, 'long', 4_100_000), level(67_900, 'long', 900_000), level(69_000, 'long', 2_000_000), level(60_000, 'long', 9e7), level(72_000, 'short', 3e6)] };

describe('realLevelNote', () => {
  it('cites the largest real level the move to a long stop would liquidate, beyond or before the stop', () => {
    expect(realLevelNote({ side: 'long', entry: 70_000, stop: 68_000 }, view)?.text).toBe('A real $4.1M long liquidation on Hyperliquid sits 0.3 % beyond your stop (67,800).');
    expect(realLevelNote({ side: 'long', entry: 70_000, stop: 69_500 }, view)?.text).toBe('A real $2M long liquidation on Hyperliquid sits 0.7 % beyond your stop (69,000).');
    expect(realLevelNote({ side: 'long', entry: 70_000, stop: 68_500 }, view)?.text).toBe('A real $2M long liquidation on Hyperliquid sits between your entry and your stop, 0.7 % before it (69,000).');
  });

  it('short orders look above; nothing to cite gives nothing', () => {
    expect(realLevelNote({ side: 'short', entry: 70_000, stop: 71_500 }, view)?.level.price).toBe(72_000);
    expect(realLevelNote({ side: 'short', entry: 70_000, stop: 70_500 }, view)).toBeUndefined();
    expect(realLevelNote({ side: 'long', entry: 70_000, stop: 71_000 }, view)).toBeUndefined();
    expect(realLevelNote({ side: 'long', entry: 70_000, stop: 68_000 }, { levels: [] })).toBeUndefined();
  });
});
