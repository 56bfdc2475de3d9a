import { describe, expect, it } from 'vitest';
import { findPools, nearestPools, strengthOf } from '../src/engine/pools';
import type { LiquidationMap, Pool } from '../src/engine/types';

interface Bump {
  /** First bin of the bump. */
  readonly from: number;
  /** Number of bins. */
  readonly width: number;
  /** USD added to each bin. */
  readonly height: number;
}

interface MapSpec {
  readonly bins?: number;
  readonly low?: number;
  readonly high?: number;
  readonly price?: number;
  readonly atr?: number;
  /** Background USD per bin on each side. */
  readonly base?: number;
  /** Relative noise amplitude of the background (uniform, +-). */
  readonly noise?: number;
  readonly long?: readonly Bump[];
  readonly short?: readonly Bump[];
  /** Values of whole arrays, overriding base/noise/bumps. */
  readonly longValues?: (bin: number) => number;
  readonly shortValues?: (bin: number) => number;
  readonly seed?: number;
}

/** Uniform edges from low to high; long values below price, short values above it. */
function makeMap(spec: MapSpec = {}): LiquidationMap {
  const bins = spec.bins ?? 500;
  const low = spec.low ?? 60_000;
  const high = spec.high ?? 68_000;
  const price = spec.price ?? 64_000;
  const base = spec.base ?? 100_000;
  const noise = spec.noise ?? 0.1;
  let state = spec.seed ?? 12345;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const priceEdges = new Float64Array(bins + 1);
  for (let i = 0; i <= bins; i++) priceEdges[i] = low + ((high - low) * i) / bins;
  const long = new Float64Array(bins);
  const short = new Float64Array(bins);
  for (let i = 0; i < bins; i++) {
    const centre = (priceEdges[i]! + priceEdges[i + 1]!) / 2;
    const background = base * (1 + noise * (2 * random() - 1));
    if (centre < price) long[i] = spec.longValues ? spec.longValues(i) : background;
    else short[i] = spec.shortValues ? spec.shortValues(i) : background;
  }
  for (const bump of spec.long ?? []) for (let i = bump.from; i < bump.from + bump.width; i++) long[i]! += bump.height;
  for (const bump of spec.short ?? []) for (let i = bump.from; i < bump.from + bump.width; i++) short[i]! += bump.height;
  const cumulativeLong = new Float64Array(bins);
  const cumulativeShort = new Float64Array(bins);
  let priceBin = 0;
  while (priceBin < bins - 1 && priceEdges[priceBin + 1]! <= price) priceBin++;
  let sum = 0;
  for (let i = priceBin; i >= 0; i--) cumulativeLong[i] = sum += long[i]!;
  sum = 0;
  for (let i = priceBin; i < bins; i++) cumulativeShort[i] = sum += short[i]!;
  return { timestamp: 0, price, priceEdges, long, short, cumulativeLong, cumulativeShort, atr: spec.atr ?? 200 };
}

/** Bin edge i of the default map (16 USD bins from 60,000). */
const edge = (i: number): number => 60_000 + 16 * i;

describe('findPools', () => {
  it('finds the bumps, with their bin edges, on the right sides', () => {
    const map = makeMap({
      long: [{ from: 200, width: 10, height: 2e6 }],
      short: [{ from: 300, width: 6, height: 1e6 }],
    });
    const pools = findPools(map);
    expect(pools).toHaveLength(2);
    const [long, short] = pools as [Pool, Pool];
    expect(long.side).toBe('long');
    expect(long.priceLow).toBe(edge(200));
    expect(long.priceHigh).toBe(edge(210));
    expect(short.side).toBe('short');
    expect(short.priceLow).toBe(edge(300));
    expect(short.priceHigh).toBe(edge(306));
    // The notional is the map's, bumps plus background under them.
    let expected = 0;
    for (let i = 200; i < 210; i++) expected += map.long[i]!;
    expect(long.notionalUsd).toBeCloseTo(expected, 3);
    expect(long.peakPrice).toBeGreaterThan(long.priceLow);
    expect(long.peakPrice).toBeLessThan(long.priceHigh);
    expect(long.peakPrice).toBeCloseTo((edge(200) + edge(210)) / 2, -1);
  });

  it('gives signed distances to the nearest edge, in % and ATR, nearest first', () => {
    const map = makeMap({
      long: [{ from: 200, width: 10, height: 2e6 }],
      short: [{ from: 300, width: 6, height: 1e6 }],
    });
    const [long, short] = findPools(map) as [Pool, Pool];
    // long pool top 63,360 is 640 below 64,000: -1 % and -3.2 ATR of 200
    expect(long.distancePct).toBeCloseTo(-1, 10);
    expect(long.distanceAtr).toBeCloseTo(-3.2, 10);
    // short pool bottom 64,800 is 800 above: +1.25 %, +4 ATR
    expect(short.distancePct).toBeCloseTo(1.25, 10);
    expect(short.distanceAtr).toBeCloseTo(4, 10);
  });

  it('rates strength 1..10 against the strongest pool: ceil(10 * notional / strongest)', () => {
    const map = makeMap({
      noise: 0,
      long: [
        { from: 100, width: 5, height: 4e6 },
        { from: 200, width: 5, height: 1e6 },
      ],
      short: [{ from: 350, width: 5, height: 2e6 }],
    });
    const pools = findPools(map);
    expect(pools).toHaveLength(3);
    const byLow = [...pools].sort((a, b) => a.priceLow - b.priceLow);
    // notional = 5 bins x (bump + 1e5 background)
    expect(byLow.map((p) => p.strength)).toEqual([10, Math.ceil((10 * 5.5e6) / 20.5e6), Math.ceil((10 * 10.5e6) / 20.5e6)]);
    expect(byLow.map((p) => p.strength)).toEqual([10, 3, 6]);
    expect(strengthOf(3e6, 1e7)).toBe(3);
    expect(strengthOf(1, 1e9)).toBe(1);
    expect(strengthOf(2e9, 1e9)).toBe(10);
  });

  it('sorts by distance from price, so a near pool comes before a giant far one', () => {
    const map = makeMap({
      long: [
        { from: 20, width: 8, height: 1e7 },
        { from: 240, width: 4, height: 6e5 },
      ],
    });
    const pools = findPools(map);
    expect(pools.map((p) => p.priceLow)).toEqual([edge(240), edge(20)]);
    expect(pools[0]!.strength).toBeLessThan(pools[1]!.strength);
  });

  it('finds nothing in flat noise, in an empty map, or along a smooth ramp', () => {
    expect(findPools(makeMap({ noise: 0.2 }))).toEqual([]);
    expect(findPools(makeMap({ noise: 0.2, seed: 99 }))).toEqual([]);
    expect(findPools(makeMap({ base: 0, noise: 0 }))).toEqual([]);
    const ramp = makeMap({ longValues: (i) => 1000 * (i + 1), shortValues: (i) => 1000 * (500 - i) });
    expect(findPools(ramp)).toEqual([]);
  });

  it('finds an isolated bump in an otherwise empty side with exact edges', () => {
    const map = makeMap({ base: 0, noise: 0, short: [{ from: 400, width: 3, height: 5e5 }] });
    const pools = findPools(map);
    expect(pools).toHaveLength(1);
    expect(pools[0]).toMatchObject({ side: 'short', priceLow: edge(400), priceHigh: edge(403), strength: 10 });
    expect(pools[0]!.notionalUsd).toBe(1.5e6);
  });

  it('merges runs split by a tiny gap and keeps distant ones apart', () => {
    const merged = findPools(makeMap({
      noise: 0,
      long: [
        { from: 150, width: 4, height: 1e6 },
        { from: 155, width: 4, height: 1e6 },
      ],
    }));
    expect(merged).toHaveLength(1);
    expect(merged[0]!.priceLow).toBe(edge(150));
    expect(merged[0]!.priceHigh).toBe(edge(159));

    const apart = findPools(makeMap({
      noise: 0,
      long: [
        { from: 150, width: 4, height: 1e6 },
        { from: 162, width: 4, height: 1e6 },
      ],
    }));
    expect(apart).toHaveLength(2);
  });

  it('keeps a wide zone as one pool', () => {
    const pools = findPools(makeMap({ long: [{ from: 100, width: 30, height: 5e5 }] }));
    expect(pools).toHaveLength(1);
    expect(pools[0]!.priceLow).toBe(edge(100));
    expect(pools[0]!.priceHigh).toBe(edge(130));
  });

  it('ignores long notional above price and short notional below it', () => {
    const map = makeMap({ base: 0, noise: 0 });
    for (let i = 300; i < 305; i++) map.long[i] = 1e6;
    for (let i = 100; i < 105; i++) map.short[i] = 1e6;
    expect(findPools(map)).toEqual([]);
  });

  it('filters by minStrength and limits the count by relevance, near before far', () => {
    const map = makeMap({
      noise: 0,
      long: [
        { from: 30, width: 5, height: 3e6 },
        { from: 150, width: 5, height: 2e6 },
        { from: 240, width: 5, height: 1e6 },
      ],
      short: [{ from: 260, width: 5, height: 2.5e6 }],
    });
    expect(findPools(map)).toHaveLength(4);
    expect(findPools(map, { minStrength: 7 }).every((p) => p.strength >= 7)).toBe(true);
    // notionals 15.5M, 10.5M, 5.5M and 13M: strengths 10, 7, 4 and 9
    expect(findPools(map).map((p) => p.strength).sort((a, b) => a - b)).toEqual([4, 7, 9, 10]);
    expect(findPools(map, { minStrength: 7 })).toHaveLength(3);
    const two = findPools(map, { maxPools: 2 });
    expect(two).toHaveLength(2);
    // The far strongest pool (30) loses to the near ones.
    expect(two.some((p) => p.priceLow === edge(30))).toBe(false);
    expect(findPools(map, { maxPools: 0 })).toEqual([]);
  });

  it('never returns non-finite numbers, with an unusable ATR too', () => {
    const map = { ...makeMap({ long: [{ from: 200, width: 5, height: 1e6 }] }), atr: Number.NaN };
    const pools = findPools(map);
    expect(pools).toHaveLength(1);
    // 1 % of price stands in for the ATR
    expect(pools[0]!.distanceAtr).toBeCloseTo((edge(205) - 64_000) / 640, 10);
    for (const pool of pools) for (const v of Object.values(pool)) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
  });

  it('handles degenerate maps without throwing', () => {
    const empty: LiquidationMap = {
      timestamp: 0,
      price: 100,
      priceEdges: new Float64Array(0),
      long: new Float64Array(0),
      short: new Float64Array(0),
      cumulativeLong: new Float64Array(0),
      cumulativeShort: new Float64Array(0),
      atr: 1,
    };
    expect(findPools(empty)).toEqual([]);
    expect(findPools({ ...makeMap(), price: Number.NaN })).toEqual([]);
    const tiny = makeMap({ bins: 3, low: 90, high: 120, price: 105, base: 0, noise: 0 });
    tiny.long[0] = 5;
    expect(() => findPools(tiny)).not.toThrow();
  });

  it('treats subnormal leftovers of decayed positions as empty, at a micro price too', () => {
    // Found by the property test: 125x positions with a 36 s half-life, at a price of 1e-6,
    // left 1e-323 USD per bin; the weighted peak price underflowed to 0.
    const micro = makeMap({ bins: 40, low: 0.9e-6, high: 1.1e-6, price: 1e-6, base: 0, noise: 0 });
    micro.long[10] = 1.5e-323;
    micro.short[30] = 1.5e-323;
    expect(findPools(micro)).toEqual([]);
    micro.long[10] = 2e6;
    const [pool] = findPools(micro);
    expect(pool!.side).toBe('long');
    expect(pool!.peakPrice).toBeGreaterThanOrEqual(pool!.priceLow);
    expect(pool!.peakPrice).toBeLessThanOrEqual(pool!.priceHigh);
  });
});

describe('nearestPools', () => {
  const pool = (side: Pool['side'], priceLow: number, priceHigh: number): Pool => ({
    side,
    priceLow,
    priceHigh,
    peakPrice: (priceLow + priceHigh) / 2,
    notionalUsd: 1e6,
    strength: 5,
    distancePct: 0,
    distanceAtr: 0,
  });

  it('picks the closest pool on each side of the given price', () => {
    const pools = [pool('long', 90, 92), pool('long', 95, 97), pool('short', 104, 106), pool('short', 110, 112)];
    const { above, below } = nearestPools(pools, 100);
    expect(below?.priceLow).toBe(95);
    expect(above?.priceLow).toBe(104);
  });

  it('goes by position, so a live price past a pool moves it to the other side', () => {
    const pools = [pool('long', 95, 97), pool('short', 104, 106)];
    const { above, below } = nearestPools(pools, 103);
    expect(below?.priceLow).toBe(95);
    expect(above?.priceLow).toBe(104);
    expect(nearestPools(pools, 108).above).toBeUndefined();
    expect(nearestPools([], 100)).toEqual({});
  });
});
