import { describe, expect, it } from 'vitest';
import type { Pool } from '../src/engine/types';
import { checkOrder } from '../src/sites/check-order';
import { orderKey, plannedOrder, sizeUsd } from '../src/sites/order-check';

const market = { exchange: 'binance' as const, symbol: 'BTCUSDT', base: 'BTC' };

function pool(side: Pool['side'], priceLow: number, priceHigh: number, strength: number): Pool {
  const peakPrice = (priceLow + priceHigh) / 2;
  return { side, priceLow, priceHigh, peakPrice, notionalUsd: strength * 1e6, strength, distancePct: 0, distanceAtr: 0 };
}

describe('order check from a form reading', () => {
  it('builds the planned order with the size in USD', () => {
    const order = plannedOrder(
      { type: 'limit', entryFrom: 'limit-price', side: 'long', entry: 64_800, stop: 63_950, takeProfit: 66_000, leverage: 20, size: { amount: 0.5, unit: 'BTC' } },
      market,
    );
    expect(order).toEqual({ side: 'long', entry: 64_800, stop: 63_950, takeProfit: 66_000, leverage: 20, sizeUsd: 32_400, exchange: 'binance', symbol: 'BTCUSDT' });
    expect(sizeUsd({ amount: 1_000, unit: 'USDT' }, 64_800, 'BTC')).toBe(1_000);
    expect(sizeUsd({ amount: 3, unit: 'CONT' }, 64_800, 'BTC')).toBeUndefined();
  });

  it('carries the margin mode the form shows into the planned order, and none when it shows none', () => {
    const reading = { type: 'limit', entryFrom: 'limit-price', side: 'long', entry: 64_800, leverage: 20 } as const;
    expect(plannedOrder({ ...reading, marginMode: 'cross' }, market)).toEqual({ side: 'long', entry: 64_800, leverage: 20, marginMode: 'cross', exchange: 'binance', symbol: 'BTCUSDT' });
    expect(plannedOrder({ ...reading, marginMode: 'isolated' }, market)?.marginMode).toBe('isolated');
    expect(plannedOrder(reading, market)).not.toHaveProperty('marginMode');
    // An order typed by hand names no margin mode.
    expect(plannedOrder({ side: 'long', entry: 64_800, stop: 63_000 }, market)).not.toHaveProperty('marginMode');
  });

  it('converts a size in contracts by the market’s contract size, and says nothing without it', () => {
    expect(sizeUsd({ amount: 3, unit: 'contracts' }, 64_000, 'BTC', 0.01)).toBeCloseTo(1_920, 9);
    expect(sizeUsd({ amount: 3, unit: 'contracts' }, 64_000, 'BTC')).toBeUndefined();
    expect(sizeUsd({ amount: 0.5, unit: 'coin' }, 64_000, 'BTC')).toBe(32_000);
    const okx = { exchange: 'okx' as const, symbol: 'BTC-USDT-SWAP', base: 'BTC', contractSize: 0.01 };
    expect(plannedOrder({ type: 'limit', entryFrom: 'limit-price', side: 'long', entry: 64_000, size: { amount: 50, unit: 'contracts' } }, okx)?.sizeUsd).toBeCloseTo(32_000, 9);
    // An order type the form does not show fills near the price when no price input is shown.
    expect(plannedOrder({ type: 'unknown', typeFrom: 'inferred', side: 'short' }, market, 64_500)?.entry).toBe(64_500);
  });

  it('needs a side and an entry; a market order without a last price takes the map price', () => {
    expect(plannedOrder({ type: 'limit', entryFrom: 'limit-price', entry: 64_000 }, market)).toBeUndefined();
    expect(plannedOrder({ type: 'limit', entryFrom: 'limit-price', side: 'long' }, market)).toBeUndefined();
    expect(plannedOrder({ type: 'market', entryFrom: 'last-price', side: 'short' }, market, 64_500)?.entry).toBe(64_500);
    expect(plannedOrder({ side: 'long', entry: 64_000, stop: 63_000 }, market)).toMatchObject({ side: 'long', entry: 64_000, stop: 63_000 });
  });

  it('warns about a stop inside a long-liquidation pool in the words traders read, with the suggested stop', () => {
    const pools = [pool('long', 63_700, 64_100, 8), pool('short', 65_500, 65_900, 6)];
    const order = plannedOrder({ type: 'limit', entryFrom: 'limit-price', side: 'long', entry: 64_800, stop: 63_950 }, market)!;
    const risk = checkOrder(order, { price: 64_700, atr: 600, pools });
    const stop = risk.findings.find((f) => f.kind === 'stop-in-hunt-zone');
    expect(stop?.message).toBe(
      'Stop 63,950 sits inside a long-liquidation pool (63,700-64,100, strength 8/10) holding an estimated $8M; a sweep there would fill it. A stop beyond 63,550 clears it.',
    );
    expect(stop?.suggestedStop).toBe(63_550);
    expect(risk.severity).toBe('danger');
    const clear = checkOrder({ ...order, stop: 63_400 }, { price: 64_700, atr: 600, pools });
    expect(clear.findings.some((f) => f.kind === 'stop-in-hunt-zone')).toBe(false);
  });

  it('the sensitivity widens or narrows "just short of a pool"', () => {
    const pools = [pool('long', 63_700, 64_100, 8)];
    const order = plannedOrder({ side: 'long', entry: 64_800, stop: 64_400 }, market)!;
    expect(checkOrder(order, { price: 64_700, atr: 600, pools }, 1).findings.map((f) => f.kind)).toContain('stop-in-hunt-zone');
    expect(checkOrder(order, { price: 64_700, atr: 600, pools }, 0.25).findings.map((f) => f.kind)).not.toContain('stop-in-hunt-zone');
  });

  it('a changed order has another key', () => {
    const order = plannedOrder({ side: 'long', entry: 64_800, stop: 63_950 }, market)!;
    expect(orderKey(order)).toBe(orderKey({ ...order }));
    expect(orderKey(order)).not.toBe(orderKey({ ...order, stop: 63_900 }));
    // The margin mode changes the liquidation words: a warning dismissed at cross shows again at isolated.
    expect(orderKey({ ...order, leverage: 20, marginMode: 'cross' })).not.toBe(orderKey({ ...order, leverage: 20, marginMode: 'isolated' }));
    expect(orderKey({ ...order, leverage: 20, marginMode: 'cross' })).not.toBe(orderKey({ ...order, leverage: 20 }));
  });
});
