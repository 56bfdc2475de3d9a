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

  it("writes the level's price with the decimals the finding gives the order's prices, never rounded to a whole number", () => {
    // DOGE: a whole number would read (0).
    const doge = { levels: [level(0.14556, 'long', 600_000)] };
    expect(realLevelNote({ side: 'long', entry: 0.16, stop: 0.146 }, doge)?.text).toBe('A real $600k long liquidation on Hyperliquid sits 0.3 % beyond your stop (0.14556).');
    // Three decimals: a whole number would read (15).
    const three = { levels: [level(14.765, 'long', 250_000)] };
    expect(realLevelNote({ side: 'long', entry: 15.5, stop: 14.8 }, three)?.text).toBe('A real $250k long liquidation on Hyperliquid sits 0.2 % beyond your stop (14.765).');
    // Below a 145.8 stop: a whole number would read (146), above the stop, the wrong side of it.
    const two = { levels: [level(145.67, 'long', 1_200_000)] };
    expect(realLevelNote({ side: 'long', entry: 150, stop: 145.8 }, two)?.text).toBe('A real $1.2M long liquidation on Hyperliquid sits 0.1 % beyond your stop (145.67).');
    // A short's level above its stop, and the order's own liquidation price named as such.
    const short = { levels: [level(0.17123, 'short', 300_000)] };
    expect(realLevelNote({ side: 'short', entry: 0.16, stop: 0.17 }, short, 'liquidation')?.text).toBe('A real $300k short liquidation on Hyperliquid sits 0.7 % beyond your estimated liquidation price (0.17123).');
  });

  it('says "just" beyond or before under 0.05 %, where one decimal would read 0.0 %', () => {
    const near = (price: number) => ({ levels: [level(price, 'long', 1_000_000)] });
    const order = { side: 'long', entry: 70_000, stop: 68_000 } as const;
    expect(realLevelNote(order, near(67_990))?.text).toBe('A real $1M long liquidation on Hyperliquid sits just beyond your stop (67,990).');
    expect(realLevelNote(order, near(68_010))?.text).toBe('A real $1M long liquidation on Hyperliquid sits between your entry and your stop, just before it (68,010).');
    expect(realLevelNote(order, near(68_000))?.text).toBe('A real $1M long liquidation on Hyperliquid sits at your stop (68,000).');
    // From 0.05 % on, the figure: 0.06 % reads 0.1 %.
    expect(realLevelNote(order, near(67_959))?.text).toBe('A real $1M long liquidation on Hyperliquid sits 0.1 % beyond your stop (67,959).');
    expect(realLevelNote({ side: 'short', entry: 66_000, stop: 68_000 }, { levels: [level(68_020, 'short', 2e6)] }, 'liquidation')?.text).toBe(
      'A real $2M short liquidation on Hyperliquid sits just beyond your estimated liquidation price (68,020).',
    );
  });

  it('short orders look above; nothing to cite gives nothing', () => {
    expect(realLevelNote({ side: 'short', entry: 70_000, stop: 71_500 }, view)?.level.price).toBe(72_000);
    expect(realLevelNote({ side: 'short', entry: 70_000, stop: 70_500 }, view)).toBeUndefined();
    expect(realLevelNote({ side: 'long', entry: 70_000, stop: 71_000 }, view)).toBeUndefined();
    expect(realLevelNote({ side: 'long', entry: 70_000, stop: 68_000 }, { levels: [] })).toBeUndefined();
  });
});
