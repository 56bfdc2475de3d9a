import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type EngineConfig } from '../src/engine/config';
import { estimate } from '../src/engine/estimate';
import { Estimator, type EstimatorOptions } from '../src/engine/estimator';
import { liquidationFactor } from '../src/engine/margin';
import type { Bar, BarLiquidations, ExchangeId, ExchangeSeries } from '../src/engine/types';
import {
  edges,
  expectFiniteNonNegative,
  expectPerBarSane,
  massBetween,
  massCentre,
  massExtent,
  runWithLive,
  sum,
  usdCells,
} from './support/checks';
import { aggregated30m, barIndexAt, binance5m, sliceSeries } from './support/recorded';
import {
  FIVE_MINUTES,
  T0,
  bar,
  chunkByTimestamps,
  continueAfter,
  flatBars,
  ramp,
  series,
  singleTierConfig,
  standardChunks,
} from './support/series';

/** Binance BTCUSDT first bracket (0-300k notional): maintenance rate 0.40 %, amount 0. */
const BINANCE_FIRST_MMR = 0.004;

/** Binance isolated liquidation price over entry for a first-bracket position (the FAQ formula). */
function binanceLongFactor(leverage: number): number {
  return (1 - 1 / leverage) / (1 - BINANCE_FIRST_MMR);
}
function binanceShortFactor(leverage: number): number {
  return (1 + 1 / leverage) / (1 + BINANCE_FIRST_MMR);
}

/** State bucket width as a fraction of price (5 bp by default). */
const BUCKET = Math.exp(DEFAULT_CONFIG.bucketLogStep) - 1;

/** Appends the input in the given pieces and returns the concatenated per-bar output. */
function appendInChunks(estimator: Estimator, input: readonly ExchangeSeries[], sizes: readonly number[]): BarLiquidations[] {
  const out: BarLiquidations[] = [];
  for (const chunk of chunkByTimestamps(input, sizes)) out.push(...estimator.append(chunk));
  return out;
}

/** Map edges of +-`half` (fraction) around the estimator's latest close. */
function mapEdgesAround(estimator: Estimator, half = 0.15, bins = 600): Float64Array {
  const price = estimator.bars.at(-1)!.close;
  return edges(price * (1 - half), price * (1 + half), bins);
}

function expectSameState(chunked: Estimator, whole: Estimator): void {
  expect(chunked.bars).toEqual(whole.bars);
  expect(chunked.totals).toEqual(whole.totals);
  expect(chunked.atr).toBe(whole.atr);
  expect(chunked.timeframeMs).toBe(whole.timeframeMs);
  const e = mapEdgesAround(whole);
  const a = chunked.liquidationMap(e);
  const b = whole.liquidationMap(e);
  expect(a.long).toEqual(b.long);
  expect(a.short).toEqual(b.short);
  expect(a.cumulativeLong).toEqual(b.cumulativeLong);
  expect(a.cumulativeShort).toEqual(b.cumulativeShort);
  expect(a.atr).toBe(b.atr);
}

function checkIncremental(input: readonly ExchangeSeries[], options: EstimatorOptions = {}): void {
  const whole = new Estimator(options);
  const all = whole.append(input);
  const total = whole.bars.length;
  const chunked = new Estimator(options);
  const pieces = appendInChunks(chunked, input, standardChunks(total));
  expect(pieces.length).toBe(all.length);
  // Name the first differing bar before comparing everything (a full diff of 8,000 rows is unreadable).
  const firstDiff = pieces.findIndex((row, i) => row.longUsd !== all[i]!.longUsd || row.shortUsd !== all[i]!.shortUsd || row.timestamp !== all[i]!.timestamp);
  if (firstDiff >= 0) {
    expect.fail(`bar ${firstDiff}: appended in pieces ${JSON.stringify(pieces[firstDiff])}, at once ${JSON.stringify(all[firstDiff])}`);
  }
  expect(pieces).toEqual(all);
  expectSameState(chunked, whole);
}

/** Same bars, other exchange, open interest scaled (a second venue trading the same path). */
function relabel(source: ExchangeSeries, exchange: ExchangeId, oiScale: number): ExchangeSeries {
  return {
    ...source,
    exchange,
    bars: source.bars.map((b) => ({ ...b, openInterestUsd: b.openInterestUsd! * oiScale })),
  };
}

describe('incremental append gives exactly the result of one append', () => {
  it('recorded 30m series in pieces of 1, 7, 100, the rest, then 50 single bars', () => {
    checkIncremental([aggregated30m()]);
  });

  it('recorded Binance 5m series in pieces of 1, 7, 100, the rest, then 50 single bars', () => {
    checkIncremental([binance5m()]);
  });

  it('the same with the timeframe given explicitly (no inference from a 1-bar first piece)', () => {
    checkIncremental([{ ...binance5m(), timeframeMs: FIVE_MINUTES }]);
    checkIncremental([{ ...aggregated30m(), timeframeMs: 30 * 60_000 }]);
  });

  it('a first piece of two bars already fixes the timeframe: later pieces change nothing', () => {
    const input = [binance5m()];
    const whole = new Estimator();
    const all = whole.append(input);
    const chunked = new Estimator();
    const sizes = [2, 7, 100, whole.bars.length - 2 - 7 - 100 - 50, ...Array.from({ length: 50 }, () => 1)];
    expect(appendInChunks(chunked, input, sizes)).toEqual(all);
    expectSameState(chunked, whole);
  });

  it('two exchanges appended in pieces (merged timeline split across calls)', () => {
    const binance = sliceSeries(binance5m(), 0, 3000);
    checkIncremental([
      { ...binance, timeframeMs: FIVE_MINUTES },
      { ...relabel(binance, 'bybit', 0.4), timeframeMs: FIVE_MINUTES },
    ]);
  });

  it('a tier filter and a custom config keep the equality', () => {
    checkIncremental([{ ...aggregated30m(), timeframeMs: 30 * 60_000 }], {
      leverages: [10, 50],
      config: { turnoverPerHour: 0.05, levelDistanceRatios: [1] },
    });
  });

  it('re-appending bars already applied changes nothing', () => {
    const input = sliceSeries(binance5m(), 0, 400);
    const once = new Estimator();
    once.append([input]);
    const twice = new Estimator();
    twice.append([input]);
    expect(twice.append([sliceSeries(input, 100, 400)])).toEqual([]);
    expectSameState(twice, once);
  });
});

describe('clone: an independent copy of the state', () => {
  function checkClone(input: readonly ExchangeSeries[], options: EstimatorOptions = {}): void {
    const whole = new Estimator(options);
    const all = whole.append(input);
    const total = whole.bars.length;
    const [head, tail] = chunkByTimestamps(input, [total - 300, 300]);
    const original = new Estimator(options);
    original.append(head!);
    const untouched = new Estimator(options);
    untouched.append(head!);
    const copy = original.clone();
    // The copy goes on exactly like the whole run; the original is not moved by it.
    expect(copy.append(tail!)).toEqual(all.slice(total - 300));
    expectSameState(copy, whole);
    expectSameState(original, untouched);
    // And the original goes on like the whole run too, after its copy went ahead.
    expect(original.append(tail!)).toEqual(all.slice(total - 300));
    expectSameState(original, whole);
  }

  it('recorded Binance 5m series: the copy and the original each give the one-append result', () => {
    checkClone([binance5m()]);
  });

  it('two exchanges with a tier filter', () => {
    const binance = sliceSeries(binance5m(), 0, 3000);
    checkClone(
      [
        { ...binance, timeframeMs: FIVE_MINUTES },
        { ...relabel(binance, 'bybit', 0.4), timeframeMs: FIVE_MINUTES },
      ],
      { leverages: [10, 50] },
    );
  });
});

describe('opening: rising open interest places levels at the tiers\' liquidation distances', () => {
  // 21 flat bars at 100 with OI rising by 1M a bar: 20M is opened, half long, half short.
  const price = 100;
  const rising = flatBars(price, ramp(10e6, 1e6, 21));

  it('a single 10x tier puts longs at entry*(1-1/10)/(1-mmr) and shorts at entry*(1+1/10)/(1+mmr) (Binance)', () => {
    const estimator = new Estimator({ config: singleTierConfig(10) });
    const perBar = estimator.append([series(rising)]);
    expect(perBar.every((row) => row.longUsd === 0 && row.shortUsd === 0)).toBe(true);
    const map = estimator.liquidationMap(edges(50, 150, 10_000));
    const longLevel = price * binanceLongFactor(10);
    const shortLevel = price * binanceShortFactor(10);
    // About 90.36 and 109.56; the brief's approximation entry*(1-1/L+mmr) is 90.4 / 109.6.
    expect(Math.abs(massCentre(map, 'long') / longLevel - 1)).toBeLessThan(1.5 * BUCKET);
    expect(Math.abs(massCentre(map, 'short') / shortLevel - 1)).toBeLessThan(1.5 * BUCKET);
    const [longLo, longHi] = massExtent(map, 'long');
    const [shortLo, shortHi] = massExtent(map, 'short');
    expect(longLo).toBeGreaterThan(longLevel * (1 - 3 * BUCKET));
    expect(longHi).toBeLessThan(longLevel * (1 + 3 * BUCKET));
    expect(shortLo).toBeGreaterThan(shortLevel * (1 - 3 * BUCKET));
    expect(shortHi).toBeLessThan(shortLevel * (1 + 3 * BUCKET));
    // Everything opened is live (no decay, no turnover, nothing swept), split evenly without flow data.
    expect(sum(map.long)).toBeCloseTo(10e6, -1);
    expect(sum(map.short)).toBeCloseTo(10e6, -1);
    expect(estimator.totals.liveUsd).toBeCloseTo(20e6, -1);
    expect(estimator.totals.openedUsd).toBeCloseTo(20e6, -1);
  });

  it.each([5, 20, 50, 100, 125])('a single %ix tier lands at its own distance', (leverage) => {
    const estimator = new Estimator({ config: singleTierConfig(leverage) });
    estimator.append([series(rising)]);
    const map = estimator.liquidationMap(edges(50, 150, 10_000));
    expect(Math.abs(massCentre(map, 'long') / (price * binanceLongFactor(leverage)) - 1)).toBeLessThan(1.5 * BUCKET);
    expect(Math.abs(massCentre(map, 'short') / (price * binanceShortFactor(leverage)) - 1)).toBeLessThan(1.5 * BUCKET);
  });

  it('the default ratios widen a tier into a band from 0.43 to 1.18 times the point level\'s distance', () => {
    const { levelDistanceRatios } = DEFAULT_CONFIG;
    const estimator = new Estimator({ config: singleTierConfig(10, { levelDistanceRatios }) });
    estimator.append([series(rising)]);
    const map = estimator.liquidationMap(edges(50, 150, 10_000));
    const distance = Math.log(binanceLongFactor(10));
    const [lo, hi] = massExtent(map, 'long');
    const far = Math.max(...levelDistanceRatios);
    const near = Math.min(...levelDistanceRatios);
    expect(lo).toBeGreaterThan(price * Math.exp(distance * far) * (1 - 3 * BUCKET));
    expect(hi).toBeLessThan(price * Math.exp(distance * near) * (1 + 3 * BUCKET));
    expect(hi - lo).toBeGreaterThan(0.5 * price * (Math.exp(distance * near) - Math.exp(distance * far)));
    expect(sum(map.long)).toBeCloseTo(10e6, -1);
  });

  it('levels follow the entry price: the same opening at 50,000 lands at 50,000 x the factors', () => {
    const estimator = new Estimator({ config: singleTierConfig(25) });
    estimator.append([series(flatBars(50_000, ramp(10e6, 1e6, 21)))]);
    const map = estimator.liquidationMap(edges(40_000, 60_000, 8_000));
    expect(Math.abs(massCentre(map, 'long') / (50_000 * binanceLongFactor(25)) - 1)).toBeLessThan(1.5 * BUCKET);
    expect(Math.abs(massCentre(map, 'short') / (50_000 * binanceShortFactor(25)) - 1)).toBeLessThan(1.5 * BUCKET);
  });

  it('a falling OI shrinks live notional by the fraction that closed (closing is not ignored)', () => {
    const estimator = new Estimator({ config: singleTierConfig(10) });
    estimator.append([series(rising)]); // OI 30M, live 20M
    const before = estimator.totals.liveUsd;
    const mapEdges = edges(50, 150, 10_000);
    const beforeMap = estimator.liquidationMap(mapEdges);
    // 30 % of open interest closes without any price move.
    estimator.append([series(continueAfter(rising, [bar(0, price, 21e6)]))]);
    const after = estimator.totals.liveUsd;
    expect(after / before).toBeCloseTo(0.7, 3);
    const afterMap = estimator.liquidationMap(mapEdges);
    expect(sum(afterMap.long) / sum(beforeMap.long)).toBeCloseTo(0.7, 3);
    expect(sum(afterMap.short) / sum(beforeMap.short)).toBeCloseTo(0.7, 3);
    // Closing shrinks levels in place: they do not move.
    expect(massCentre(afterMap, 'long')).toBeCloseTo(massCentre(beforeMap, 'long'), 6);
    // Open interest going to zero empties the map.
    const zero = continueAfter(rising, [bar(0, price, 21e6), bar(FIVE_MINUTES, price, 0)]);
    estimator.append([series(zero)]);
    expect(estimator.totals.liveUsd).toBe(0);
  });

  it('closing is relative to real open interest, not to the tracked notional', () => {
    // OI starts at 100M: only the 20M rise is tracked. A 10M fall is 10 % of the 120M OI.
    const estimator = new Estimator({ config: singleTierConfig(10) });
    const bars = flatBars(price, [...ramp(100e6, 1e6, 21), 110e6]);
    estimator.append([series(bars.slice(0, 21))]);
    const before = estimator.totals.liveUsd;
    estimator.append([series(bars.slice(21))]);
    expect(estimator.totals.liveUsd / before).toBeCloseTo(1 - 10 / 120, 3);
  });

  it('turnover: 0 opens nothing on a constant OI; the default opens about turnover x hours x OI', () => {
    const oi = 50e6;
    const bars = flatBars(price, Array.from({ length: 49 }, () => oi)); // 48 steps = 4 h
    // Constant OI would be read as a stale feed after 12 bars; turn that rule off here.
    const noStale = { staleOpenInterestBars: 10_000 };
    const none = new Estimator({ config: singleTierConfig(10, { ...noStale, turnoverPerHour: 0 }) });
    none.append([series(bars)]);
    expect(none.totals.liveUsd).toBe(0);
    expect(none.totals.openedUsd).toBe(0);

    const turnover = DEFAULT_CONFIG.turnoverPerHour;
    const withTurnover = new Estimator({ config: singleTierConfig(10, { ...noStale, turnoverPerHour: turnover }) });
    withTurnover.append([series(bars)]);
    const upper = turnover * 4 * oi; // everything re-opened, nothing of it closed again
    expect(withTurnover.totals.openedUsd).toBeCloseTo(upper, -1);
    expect(withTurnover.totals.liveUsd).toBeLessThanOrEqual(upper * (1 + 1e-9));
    expect(withTurnover.totals.liveUsd).toBeGreaterThan(0.85 * upper);
    // Turnover re-opens at the current price, so its levels sit at the tier's distance.
    const map = withTurnover.liquidationMap(edges(50, 150, 10_000));
    expect(Math.abs(massCentre(map, 'long') / (price * binanceLongFactor(10)) - 1)).toBeLessThan(1.5 * BUCKET);
  });

  it('taker flow leans new positions long, within the configured bounds', () => {
    const buying = rising.map((b) => ({ ...b, volume: 10, takerBuyVolume: 9 }));
    const estimator = new Estimator({ config: singleTierConfig(10) });
    estimator.append([series(buying)]);
    const map = estimator.liquidationMap(edges(50, 150, 10_000));
    const longShare = sum(map.long) / (sum(map.long) + sum(map.short));
    // 0.5 + takerFlowWeight * (0.9 - 0.5) with the default weight 0.6.
    expect(longShare).toBeCloseTo(0.5 + DEFAULT_CONFIG.takerFlowWeight * 0.4, 6);
    expect(estimator.bars.at(-1)!.takerBuyShare).toBeCloseTo(0.9, 12);

    const extreme = rising.map((b) => ({ ...b, volume: 10, takerBuyVolume: 10, longShortRatio: 50, fundingRate: 0.01 }));
    const clamped = new Estimator({ config: singleTierConfig(10) });
    clamped.append([series(extreme)]);
    const m = clamped.liquidationMap(edges(50, 150, 10_000));
    expect(sum(m.long) / (sum(m.long) + sum(m.short))).toBeCloseTo(DEFAULT_CONFIG.longShareBounds[1], 6);
  });
});

describe('sweeping: price through levels liquidates them in that bar and removes them', () => {
  const config = singleTierConfig(10);
  const mapEdges = edges(60, 140, 16_000);
  // A: 20 flat bars at 100, OI +1M a bar -> 9.5M long at ~90.36, 9.5M short at ~109.56.
  const phaseA = flatBars(100, ramp(10e6, 1e6, 20));
  const oiA = 29e6;
  // B: a rising bar through the short levels (OI unchanged for one bar: not stale).
  const phaseB = continueAfter(phaseA, [{ timestamp: 0, open: 100, high: 111, low: 100, close: 110, openInterestUsd: oiA }]);
  // C: 20 flat bars at 110, OI +1M a bar -> longs at ~99.4, shorts at ~120.5.
  const phaseC = continueAfter(phaseB, flatBars(110, ramp(oiA + 1e6, 1e6, 20)));
  const oiC = oiA + 20e6;
  // D: a falling bar to 95: through the 99.4 longs, not the 90.36 ones.
  const phaseD = continueAfter(phaseC, [{ timestamp: 0, open: 110, high: 110, low: 95, close: 96, openInterestUsd: oiC }]);
  // E: a crash to 80 takes the rest of the longs.
  const phaseE = continueAfter(phaseD, [{ timestamp: 0, open: 96, high: 96, low: 80, close: 81, openInterestUsd: oiC }]);

  it('shorts above the high are liquidated on the way up', () => {
    const estimator = new Estimator({ config });
    estimator.append([series(phaseA)]);
    const shortsBefore = sum(estimator.liquidationMap(mapEdges).short);
    const longsBefore = sum(estimator.liquidationMap(mapEdges).long);
    expect(shortsBefore).toBeCloseTo(9.5e6, -1);
    const [row] = estimator.append([series(phaseB)]);
    expect(row!.shortUsd).toBeCloseTo(shortsBefore, -1);
    expect(row!.longUsd).toBe(0);
    const after = estimator.liquidationMap(mapEdges);
    expect(sum(after.short)).toBe(0);
    expect(sum(after.long)).toBeCloseTo(longsBefore, -1);
  });

  it('longs at or above the low are liquidated on the way down; deeper longs stay', () => {
    const estimator = new Estimator({ config });
    estimator.append([series([...phaseA, ...phaseB, ...phaseC])]);
    const before = estimator.liquidationMap(mapEdges);
    const nearLevel = 110 * binanceLongFactor(10); // ~99.4
    const deepLevel = 100 * binanceLongFactor(10); // ~90.36
    const near = massBetween(before, 'long', nearLevel * 0.99, nearLevel * 1.01);
    const deep = massBetween(before, 'long', deepLevel * 0.99, deepLevel * 1.01);
    expect(near).toBeCloseTo(10e6, -1);
    expect(deep).toBeCloseTo(9.5e6, -1);
    const shortsBefore = sum(before.short);

    const [row] = estimator.append([series(phaseD)]);
    expect(row!.longUsd).toBeCloseTo(near, -1);
    expect(row!.shortUsd).toBe(0);
    const after = estimator.liquidationMap(mapEdges);
    expect(massBetween(after, 'long', 95, 140)).toBe(0);
    expect(massBetween(after, 'long', deepLevel * 0.99, deepLevel * 1.01)).toBeCloseTo(deep, -1);
    expect(sum(after.short)).toBeCloseTo(shortsBefore, -1);

    const [crash] = estimator.append([series(phaseE)]);
    expect(crash!.longUsd).toBeCloseTo(deep, -1);
    expect(sum(estimator.liquidationMap(mapEdges).long)).toBe(0);
  });

  it('a bar that stays between the levels liquidates nothing', () => {
    const estimator = new Estimator({ config });
    estimator.append([series(phaseA)]);
    const inside = continueAfter(phaseA, [{ timestamp: 0, open: 100, high: 108, low: 92, close: 101, openInterestUsd: oiA }]);
    const [row] = estimator.append([series(inside)]);
    expect(row).toEqual({ timestamp: inside[0]!.timestamp, longUsd: 0, shortUsd: 0 });
  });

  it('swept + live = opened when nothing decays or closes, and swept never exceeds opened', () => {
    const estimator = new Estimator({ config });
    const perBar = estimator.append([series([...phaseA, ...phaseB, ...phaseC, ...phaseD, ...phaseE])]);
    const { openedUsd, sweptUsd, liveUsd } = estimator.totals;
    expect(sweptUsd).toBeCloseTo(sum(perBar.map((r) => r.longUsd + r.shortUsd)), -1);
    expect(sweptUsd).toBeLessThanOrEqual(openedUsd);
    expect((sweptUsd + liveUsd) / openedUsd).toBeCloseTo(1, 9);
  });

  it('on the recorded series, swept never exceeds opened at any bar', () => {
    for (const input of [aggregated30m(), binance5m()]) {
      const estimator = new Estimator();
      let worst = -Infinity;
      const perBar = estimator.append([input], () => {
        const { openedUsd, sweptUsd } = estimator.totals;
        worst = Math.max(worst, sweptUsd - openedUsd);
      });
      expect(worst).toBeLessThanOrEqual(0);
      expectPerBarSane(perBar);
      expect(sum(perBar.map((r) => r.longUsd + r.shortUsd))).toBeGreaterThan(0);
    }
  });

  it('liquidations follow the direction of the move on the recorded 30m series', () => {
    const input = aggregated30m();
    const { perBar } = runWithLive([input]);
    // Over bars that fell by more than 1 %, long liquidations dominate; over rises, shorts.
    let downLong = 0, downShort = 0, upLong = 0, upShort = 0;
    for (const [i, row] of perBar.entries()) {
      const b = input.bars[i]!;
      if (b.close < b.open * 0.99) {
        downLong += row.longUsd;
        downShort += row.shortUsd;
      } else if (b.close > b.open * 1.01) {
        upLong += row.longUsd;
        upShort += row.shortUsd;
      }
    }
    expect(downLong).toBeGreaterThan(downShort);
    expect(upShort).toBeGreaterThan(upLong);
  });
});

describe('causal per-bar figures: a bar\'s estimate is the previous map swept over its low..high', () => {
  type MutableBar = { -readonly [K in keyof Bar]: Bar[K] };
  /** Everything of a bar but its timestamp, high and low, changed (open and close moved inside the range). */
  const perturbations: Record<string, (b: Bar) => Partial<MutableBar>> = {
    'open interest up 40 %': (b) => ({ openInterestUsd: b.openInterestUsd! * 1.4 }),
    'open interest down 40 %': (b) => ({ openInterestUsd: b.openInterestUsd! * 0.6 }),
    'CVD +5,000': (b) => ({ cvd: (b.cvd ?? 0) + 5_000 }),
    'volume and taker flow all buys': () => ({ volume: 900, takerBuyVolume: 900 }),
    'volume and taker flow all sells': () => ({ volume: 900, takerBuyVolume: 0 }),
    'funding -0.3 %': () => ({ fundingRate: -0.003 }),
    'long/short ratio 4': () => ({ longShortRatio: 4 }),
    'close at the low, open at the high': (b) => ({ close: b.low, open: b.high }),
    'close at the high, open at the low': (b) => ({ close: b.high, open: b.low }),
    'everything at once': (b) => ({ openInterestUsd: b.openInterestUsd! * 1.4, cvd: (b.cvd ?? 0) - 5_000, volume: 50, takerBuyVolume: 45, fundingRate: 0.003, longShortRatio: 0.3, close: b.low, open: b.high }),
  };
  const withBar = (input: ExchangeSeries, index: number, change: Partial<MutableBar>): ExchangeSeries => ({
    ...input,
    bars: input.bars.map((b, i) => (i === index ? { ...b, ...change } : b)),
  });
  /** Recorded bars with a wide range, so the bar both sweeps levels and opens some. */
  const recorded = sliceSeries(binance5m(), 0, 1_500);
  const wide = [...recorded.bars.keys()].filter((i) => i > 300 && i < 1_490).sort((a, b) => {
    const range = (i: number): number => recorded.bars[i]!.high / recorded.bars[i]!.low;
    return range(b) - range(a);
  }).slice(0, 4);
  const reference = new Estimator().append([recorded]);

  it('the recorded bars chosen sweep something on both sides of the series, so the check has figures to keep', () => {
    for (const t of wide) expect(reference[t]!.longUsd + reference[t]!.shortUsd, `bar ${t}`).toBeGreaterThan(0);
  });

  it('changing a bar\'s open interest, CVD, volume, taker flow, funding, long/short ratio, open or close leaves its row and every earlier row unchanged', () => {
    const reachesLater = new Set<string>();
    for (const t of wide) {
      for (const [name, perturb] of Object.entries(perturbations)) {
        const perBar = new Estimator().append([withBar(recorded, t, perturb(recorded.bars[t]!))]);
        expect(perBar.slice(0, t + 1), `bar ${t}, ${name}`).toEqual(reference.slice(0, t + 1));
        // The change does reach the map: positions opened inside bar t enter it after its sweep.
        if (perBar.slice(t + 1).some((row, i) => row.longUsd !== reference[t + 1 + i]!.longUsd || row.shortUsd !== reference[t + 1 + i]!.shortUsd)) reachesLater.add(name);
      }
    }
    // Every perturbation moves later bars (the map after bar t is built from bar t's data).
    expect([...reachesLater].sort()).toEqual(Object.keys(perturbations).sort());
  });

  it('the bar\'s high and low do move its row', () => {
    for (const t of wide) {
      const b = recorded.bars[t]!;
      const deeper = new Estimator().append([withBar(recorded, t, { low: b.low * 0.99 })]);
      expect(deeper[t]!.longUsd, `bar ${t}`).toBeGreaterThan(reference[t]!.longUsd);
      const higher = new Estimator().append([withBar(recorded, t, { high: b.high * 1.01 })]);
      expect(higher[t]!.shortUsd, `bar ${t}`).toBeGreaterThan(reference[t]!.shortUsd);
    }
  });

  it('two exchanges: one exchange\'s bar changed (open interest, flow, funding, ratio, close) leaves the merged row unchanged', () => {
    const a = sliceSeries(binance5m(), 0, 1_500);
    const b = relabel(a, 'bybit', 0.5);
    const base = new Estimator().append([a, b]);
    const t = wide[0]!;
    expect(base[t]!.longUsd + base[t]!.shortUsd).toBeGreaterThan(0);
    const perBar = new Estimator().append([a, withBar(b, t, perturbations['everything at once']!(b.bars[t]!))]);
    expect(perBar.slice(0, t + 1)).toEqual(base.slice(0, t + 1));
    expect(perBar.slice(t + 1)).not.toEqual(base.slice(t + 1));
  });

  it('a bar\'s own openings are not in its estimate: a flat map swept by one wide bar that opens a lot gives 0', () => {
    const config = singleTierConfig(100);
    const bars = continueAfter(flatBars(100, ramp(10e6, 0, 5)), [{ timestamp: 0, open: 100, high: 103, low: 97, close: 100, openInterestUsd: 30e6 }]);
    const perBar = new Estimator({ config }).append([series(bars)]);
    expect(perBar.at(-1)).toEqual({ timestamp: bars.at(-1)!.timestamp, longUsd: 0, shortUsd: 0 });
  });
});

describe('stale open interest', () => {
  const config = singleTierConfig(10);
  const staleBars = DEFAULT_CONFIG.staleOpenInterestBars;
  // Index 0..29 rising from 10M to 39M; 30..49 unchanged at 39M; 50 jumps; 51.. moves on.
  function staleThenJump(jumpTo: number): Bar[] {
    const ois = [...ramp(10e6, 1e6, 30), ...Array.from({ length: 20 }, () => 39e6), jumpTo, jumpTo * 1.01, jumpTo * 1.02];
    return flatBars(100, ois);
  }
  const runStart = 29; // bar 29 is the first with 39M

  function liveAround(bars: readonly Bar[], jumpIndex: number, overrides: Partial<EngineConfig> = {}): { before: number; after: number; estimator: Estimator } {
    const estimator = new Estimator({ config: { ...config, ...overrides } });
    estimator.append([series(bars.slice(0, jumpIndex))]);
    const before = estimator.totals.liveUsd;
    estimator.append([series(bars.slice(jumpIndex, jumpIndex + 1))]);
    return { before, after: estimator.totals.liveUsd, estimator };
  }

  it('a jump down after a flat stretch is not read as a mass close', () => {
    const bars = staleThenJump(3.9e6); // OI / 10
    const { before, after } = liveAround(bars, 50);
    expect(before).toBeCloseTo(29e6, -1);
    expect(Math.abs(after / before - 1)).toBeLessThan(1e-6);
    // Control: without the stale rule (threshold longer than the stretch) the same jump closes 90 %.
    const control = liveAround(bars, 50, { staleOpenInterestBars: 100 });
    expect(control.after / control.before).toBeLessThan(0.2);
  });

  it('a jump up after a flat stretch is not read as a giant open', () => {
    const bars = staleThenJump(390e6); // OI x 10
    const { before, after, estimator } = liveAround(bars, 50);
    expect(Math.abs(after / before - 1)).toBeLessThan(1e-6);
    // The next bars' changes are read normally again, relative to the new level.
    estimator.append([series(bars.slice(51))]);
    expect(estimator.totals.liveUsd - after).toBeCloseTo(390e6 * 0.02, -1);
    const control = liveAround(bars, 50, { staleOpenInterestBars: 100 });
    expect(control.after - control.before).toBeGreaterThan(300e6);
  });

  it('merged bars inside the stretch are flagged openInterestStale, the others are not', () => {
    const bars = staleThenJump(3.9e6);
    const estimator = new Estimator({ config });
    estimator.append([series(bars)]);
    const flags = estimator.bars.map((b) => b.openInterestStale);
    // A run counts as stale from its staleOpenInterestBars-th bar on.
    for (let i = 0; i < runStart + staleBars - 1; i++) expect(flags[i], `bar ${i}`).toBe(false);
    for (let i = runStart + staleBars - 1; i < 50; i++) expect(flags[i], `bar ${i}`).toBe(true);
    for (let i = 50; i < bars.length; i++) expect(flags[i], `bar ${i}`).toBe(false);
  });

  it('a short unchanged run is not stale: the following jump is read as a real change', () => {
    const ois = [...ramp(10e6, 1e6, 30), ...Array.from({ length: staleBars - 3 }, () => 39e6), 3.9e6];
    const bars = flatBars(100, ois);
    const { before, after, estimator } = liveAround(bars, bars.length - 1);
    expect(estimator.bars.some((b) => b.openInterestStale)).toBe(false);
    expect(after / before).toBeLessThan(0.2);
  });

  it('the recorded 5m outage (2026-06-14 15:00 .. 06-20 10:55) is flagged, and its $211M drop is no mass close', () => {
    const input = binance5m();
    const first = barIndexAt(input, '2026-06-14T15:00:00Z');
    const last = barIndexAt(input, '2026-06-20T10:55:00Z');
    const oi = input.bars[first]!.openInterestUsd!;
    // The fixture really is flat there and drops after.
    expect(input.bars.slice(first, last + 1).every((b) => b.openInterestUsd === oi)).toBe(true);
    const drop = oi - input.bars[last + 1]!.openInterestUsd!;
    expect(drop).toBeGreaterThan(150e6);

    const estimator = new Estimator();
    estimator.append([sliceSeries(input, 0, last + 1)]);
    const flags = estimator.bars.map((b) => b.openInterestStale);
    for (let i = first + staleBars - 1; i <= last; i++) {
      if (!flags[i]) expect.fail(`bar ${i} (${new Date(input.bars[i]!.timestamp).toISOString()}) is inside the outage but not flagged`);
    }
    // The day before the outage has moving OI and no flags.
    expect(flags.slice(first - 288, first).some(Boolean)).toBe(false);

    const before = estimator.totals.liveUsd;
    const [row] = estimator.append([sliceSeries(input, last + 1, last + 2)]);
    const after = estimator.totals.liveUsd;
    expect(estimator.bars.at(-1)!.openInterestStale).toBe(false);
    // Only decay (at most a 1-day half-life over 5 minutes) and this bar's sweeps may reduce it.
    const decay = Math.exp((-Math.LN2 * 5) / (24 * 60));
    expect(after).toBeLessThanOrEqual(before);
    expect(after).toBeGreaterThanOrEqual((before - row!.longUsd - row!.shortUsd) * decay * (1 - 1e-9));
    // Control: read naively, the drop would close about drop / OI of the map.
    const naive = new Estimator({ config: { staleOpenInterestBars: 100_000 } });
    naive.append([sliceSeries(input, 0, last + 1)]);
    const naiveBefore = naive.totals.liveUsd;
    naive.append([sliceSeries(input, last + 1, last + 2)]);
    expect(naive.totals.liveUsd / naiveBefore).toBeLessThan(1 - 0.8 * (drop / oi));
  });
});

describe('cumulative taker delta resets', () => {
  it('the recorded 5m reset at 2026-05-31 15:05 does not read as extreme buying', () => {
    const input = binance5m();
    const i = barIndexAt(input, '2026-05-31T15:05:00Z');
    // The fixture: a jump of more than 10,000 BTC in one bar, far above the usual change.
    const jump = input.bars[i]!.cvd! - input.bars[i - 1]!.cvd!;
    expect(Math.abs(jump)).toBeGreaterThan(10_000);
    const estimator = new Estimator();
    estimator.append([sliceSeries(input, 0, i + 20)]);
    // The reset bar gives no taker share at all (not extreme buying, not a made-up 0.5).
    expect(estimator.bars[i]!.takerBuyShare).toBeUndefined();
    // Reading resumes right after the reset with ordinary values.
    for (let k = i + 1; k < i + 20; k++) {
      const s = estimator.bars[k]!.takerBuyShare;
      expect(s).toBeDefined();
      expect(s!).toBeGreaterThanOrEqual(0);
      expect(s!).toBeLessThanOrEqual(1);
    }
  });

  it('a hand-made reset to near zero after a long fall is skipped as well', () => {
    let cvd = 0;
    const bars = flatBars(100, ramp(10e6, 1e5, 80)).map((b, i) => {
      cvd = i === 60 ? 3 : cvd - 100 + (i % 3) * 40; // falls ~60 a bar, then resets to 3
      return { ...b, cvd };
    });
    const estimator = new Estimator({ config: singleTierConfig(10) });
    estimator.append([series(bars)]);
    expect(estimator.bars[60]!.takerBuyShare).toBeUndefined();
    // The bars before it really are read as selling, so the test can tell the difference.
    expect(estimator.bars[59]!.takerBuyShare!).toBeLessThan(0.5);
  });
});

describe('several exchanges', () => {
  const binance = binance5m();
  const bybit = relabel(binance, 'bybit', 0.5);

  it('merge into one timeline with summed open interest, and liquidate more than one exchange', () => {
    const one = new Estimator();
    const perOne = one.append([binance]);
    const two = new Estimator();
    const perTwo = two.append([binance, bybit]);
    expect(two.bars.length).toBe(binance.bars.length);
    expect(two.exchangeCount).toBe(2);
    for (const [i, merged] of two.bars.entries()) {
      const source = binance.bars[i]!;
      if (merged.timestamp !== source.timestamp || merged.exchanges !== 2) expect.fail(`bar ${i}: ${JSON.stringify(merged)}`);
      const expected = source.openInterestUsd! * 1.5;
      if (Math.abs(merged.openInterestUsd / expected - 1) > 1e-12) expect.fail(`bar ${i}: OI ${merged.openInterestUsd}, expected ${expected}`);
      if (Math.abs(merged.close / source.close - 1) > 1e-12) expect.fail(`bar ${i}: close ${merged.close}, expected ${source.close}`);
    }
    expectPerBarSane(perTwo);
    // Bybit's half-size book only adds: no bar loses liquidations. (Not exactly monotone: the
    // voluntary-closing share of a bar is the OI fall net of that bar's sweeps over both books,
    // and Bybit's levels sit 15 bp away from Binance's, so the shrink differs in the 5th digit.)
    for (const [i, row] of perTwo.entries()) {
      const single = perOne[i]!;
      if (row.longUsd < single.longUsd * (1 - 1e-3) || row.shortUsd < single.shortUsd * (1 - 1e-3)) {
        expect.fail(`bar ${i}: two exchanges ${JSON.stringify(row)} < one ${JSON.stringify(single)}`);
      }
    }
    const totalOne = sum(perOne.map((r) => r.longUsd + r.shortUsd));
    const totalTwo = sum(perTwo.map((r) => r.longUsd + r.shortUsd));
    // 1.5x the open interest on the same price path: about 1.5x the liquidations.
    expect(totalTwo / totalOne).toBeGreaterThan(1.3);
    expect(totalTwo / totalOne).toBeLessThan(1.7);
    expect(two.totals.liveUsd / one.totals.liveUsd).toBeGreaterThan(1.3);
    expect(two.totals.liveUsd / one.totals.liveUsd).toBeLessThan(1.7);
  });

  it('the order of the series does not change the result beyond rounding', () => {
    const a = new Estimator().append([sliceSeries(binance, 0, 1000), sliceSeries(bybit, 0, 1000)]);
    const b = new Estimator().append([sliceSeries(bybit, 0, 1000), sliceSeries(binance, 0, 1000)]);
    for (let i = 0; i < a.length; i++) {
      expect(b[i]!.longUsd).toBeCloseTo(a[i]!.longUsd, -1);
      expect(b[i]!.shortUsd).toBeCloseTo(a[i]!.shortUsd, -1);
    }
  });

  it('bars only one exchange has still count, with that exchange\'s OI', () => {
    const bars = flatBars(100, ramp(10e6, 1e6, 10));
    const other = flatBars(100, ramp(5e6, 1e6, 10), T0 + 5 * FIVE_MINUTES);
    const estimator = new Estimator({ config: singleTierConfig(10) });
    estimator.append([series(bars), series(other, 'okx', 'BTC-USDT-SWAP')]);
    expect(estimator.bars.length).toBe(15);
    expect(estimator.bars[0]!.exchanges).toBe(1);
    expect(estimator.bars[5]!.exchanges).toBe(2);
    expect(estimator.bars[5]!.openInterestUsd).toBe(15e6 + 5e6);
    expect(estimator.bars[14]!.exchanges).toBe(1);
    expect(estimator.bars[14]!.openInterestUsd).toBe(14e6);
  });

  it('each exchange\'s formula places its levels: a single 10x tier lands in different places', () => {
    const bars = flatBars(100, ramp(10e6, 1e6, 21));
    const mapEdges = edges(80, 120, 16_000);
    const centres = new Map<ExchangeId, { long: number; short: number }>();
    for (const exchange of ['binance', 'bybit', 'hyperliquid'] as const) {
      const symbol = exchange === 'hyperliquid' ? 'BTC' : 'BTCUSDT';
      const estimator = new Estimator({ config: singleTierConfig(10) });
      estimator.append([series(bars, exchange, symbol)]);
      const map = estimator.liquidationMap(mapEdges);
      const long = massCentre(map, 'long');
      const short = massCentre(map, 'short');
      centres.set(exchange, { long, short });
      // Where that exchange's own formula (position of $10k, the default typical size) puts it.
      const expectedLong = 100 * liquidationFactor(exchange, symbol, 'long', 10, DEFAULT_CONFIG.typicalPositionUsd);
      const expectedShort = 100 * liquidationFactor(exchange, symbol, 'short', 10, DEFAULT_CONFIG.typicalPositionUsd);
      expect(Math.abs(long / expectedLong - 1), exchange).toBeLessThan(1.5 * BUCKET);
      expect(Math.abs(short / expectedShort - 1), exchange).toBeLessThan(1.5 * BUCKET);
    }
    const binanceLong = centres.get('binance')!.long;
    // Binance divides by (1 - mmr), Bybit adds mmr: about 15 bp apart; Hyperliquid's 40x cap
    // gives it a maintenance margin of 1.25 %, further still.
    expect(Math.abs(centres.get('bybit')!.long - binanceLong)).toBeGreaterThan(binanceLong * 2 * BUCKET);
    expect(Math.abs(centres.get('hyperliquid')!.long - binanceLong)).toBeGreaterThan(binanceLong * 0.005);
    expect(Math.abs(centres.get('hyperliquid')!.short - centres.get('binance')!.short)).toBeGreaterThan(0.5);

    // Both exchanges on one timeline: two separate clusters on the long side.
    const both = new Estimator({ config: singleTierConfig(10) });
    both.append([series(bars, 'binance'), series(bars, 'hyperliquid', 'BTC')]);
    const map = both.liquidationMap(mapEdges);
    const hlLong = centres.get('hyperliquid')!.long;
    const mid = (binanceLong + hlLong) / 2;
    expect(massBetween(map, 'long', 80, mid)).toBeCloseTo(10e6, -1);
    expect(massBetween(map, 'long', mid, 100)).toBeCloseTo(10e6, -1);
  });
});

describe('tier filter (leverages)', () => {
  const bars = flatBars(100, ramp(10e6, 1e6, 21));
  const mapEdges = edges(60, 140, 16_000);
  const flat = { turnoverPerHour: 0, levelDistanceRatios: [1] };

  it('keeps only the chosen tiers: less live notional, levels only at their distances', () => {
    const all = new Estimator({ config: flat });
    all.append([series(bars)]);
    const some = new Estimator({ config: flat, leverages: [10, 50] });
    some.append([series(bars)]);
    const totalWeight = sum(DEFAULT_CONFIG.tiers.map((t) => t.weight));
    const keptWeight = sum(DEFAULT_CONFIG.tiers.filter((t) => t.leverage === 10 || t.leverage === 50).map((t) => t.weight));
    // Over 100 minutes decay barely matters: the live share is the kept tiers' weight share.
    const ratio = some.totals.liveUsd / all.totals.liveUsd;
    expect(ratio).toBeGreaterThan((keptWeight / totalWeight) * 0.97);
    expect(ratio).toBeLessThan((keptWeight / totalWeight) * 1.03);

    const map = some.liquidationMap(mapEdges);
    const near = (level: number, side: 'long' | 'short'): number => massBetween(map, side, level * (1 - 3 * BUCKET), level * (1 + 3 * BUCKET));
    const longs = near(100 * binanceLongFactor(10), 'long') + near(100 * binanceLongFactor(50), 'long');
    const shorts = near(100 * binanceShortFactor(10), 'short') + near(100 * binanceShortFactor(50), 'short');
    expect(longs / sum(map.long)).toBeCloseTo(1, 9);
    expect(shorts / sum(map.short)).toBeCloseTo(1, 9);
    // The unfiltered map has mass at the 20x level; the filtered one has none there.
    const level20 = 100 * binanceLongFactor(20);
    expect(massBetween(all.liquidationMap(mapEdges), 'long', level20 * 0.999, level20 * 1.001)).toBeGreaterThan(0);
    expect(massBetween(map, 'long', level20 * 0.999, level20 * 1.001)).toBe(0);
  });

  it('estimate() passes heatmap.leverages on: smaller map on the recorded 30m series', () => {
    const input = [aggregated30m()];
    const full = estimate(input, { heatmap: { columns: 50, rows: 100 } });
    const only10 = estimate(input, { heatmap: { columns: 50, rows: 100, leverages: [10] } });
    const fullMap = sum(full.map.long) + sum(full.map.short);
    const map10 = sum(only10.map.long) + sum(only10.map.short);
    expect(map10).toBeGreaterThan(0);
    expect(map10).toBeLessThan(fullMap);
    expect(sum(usdCells(only10.heatmap))).toBeLessThan(sum(usdCells(full.heatmap)));
    const sweptFull = sum(full.perBar.map((r) => r.longUsd + r.shortUsd));
    const swept10 = sum(only10.perBar.map((r) => r.longUsd + r.shortUsd));
    expect(swept10).toBeLessThan(sweptFull);
  });
});

describe('estimate() facade', () => {
  it('heatmap, per-bar output, map, pools and context on the recorded 30m series', () => {
    const input = aggregated30m();
    const columns = 300;
    const rows = 160;
    const result = estimate([input], { heatmap: { columns, rows } });
    const { heatmap, map, perBar, pools, context } = result;
    const n = input.bars.length;

    expect(perBar.length).toBe(n);
    expectPerBarSane(perBar);
    expect(perBar.map((r) => r.timestamp)).toEqual(input.bars.map((b) => b.timestamp));
    // The facade's per-bar output is the estimator's.
    expect(perBar).toEqual(new Estimator().append([input]));

    expect(heatmap.columns).toBe(Math.min(n, columns));
    expect(heatmap.rows).toBe(rows);
    expect(heatmap.cells.length).toBe(heatmap.columns * rows);
    expect(heatmap.priceEdges.length).toBe(rows + 1);
    expect([...heatmap.timestamps]).toEqual(input.bars.slice(n - columns).map((b) => b.timestamp));
    for (let i = 1; i < heatmap.priceEdges.length; i++) expect(heatmap.priceEdges[i]!).toBeGreaterThan(heatmap.priceEdges[i - 1]!);
    expectFiniteNonNegative(heatmap.cells, 'heatmap.cells');
    let max = 0;
    for (const v of usdCells(heatmap)) max = Math.max(max, v);
    expect(heatmap.maxCell).toBe(max);
    expect(max).toBeGreaterThan(0);
    // The window's price range is inside the edges.
    const window = input.bars.slice(n - columns);
    expect(heatmap.priceEdges[0]!).toBeLessThan(Math.min(...window.map((b) => b.low)));
    expect(heatmap.priceEdges[rows]!).toBeGreaterThan(Math.max(...window.map((b) => b.high)));

    const last = input.bars.at(-1)!;
    expect(map.timestamp).toBe(last.timestamp);
    // The merged price is an OI-weighted mean: with one exchange the input close up to rounding.
    expect(Math.abs(map.price / last.close - 1)).toBeLessThan(1e-12);
    for (const key of ['long', 'short', 'cumulativeLong', 'cumulativeShort'] as const) expectFiniteNonNegative(map[key], `map.${key}`);
    expect(map.priceEdges[0]!).toBeLessThan(map.price);
    expect(map.priceEdges.at(-1)!).toBeGreaterThan(map.price);
    // Cumulative curves grow outward from price: longs towards lower bins, shorts towards higher.
    for (let i = 0; i + 1 < map.cumulativeLong.length; i++) {
      if (map.cumulativeLong[i]! < map.cumulativeLong[i + 1]!) expect.fail(`cumulativeLong rises at bin ${i}`);
      if (map.cumulativeShort[i + 1]! < map.cumulativeShort[i]!) expect.fail(`cumulativeShort falls at bin ${i}`);
    }
    const priceBin = map.priceEdges.findIndex((edge, i) => edge <= map.price && map.priceEdges[i + 1]! > map.price);
    expect(map.cumulativeLong[0]!).toBeCloseTo(sum(map.long.subarray(0, priceBin + 1)), -1);
    expect(map.cumulativeShort.at(-1)!).toBeCloseTo(sum(map.short.subarray(priceBin)), -1);
    expect(map.cumulativeLong[priceBin + 1] ?? 0).toBe(0);
    expect(map.cumulativeShort[priceBin - 1] ?? 0).toBe(0);

    // Pools are relative density peaks; a smooth map may have none. Whatever is found must be sane.
    for (const pool of pools) {
      expect(pool.notionalUsd).toBeGreaterThan(0);
      expect(pool.notionalUsd).toBeLessThanOrEqual(sum(map[pool.side]) * (1 + 1e-9));
      expect(pool.priceLow).toBeLessThanOrEqual(pool.peakPrice);
      expect(pool.peakPrice).toBeLessThanOrEqual(pool.priceHigh);
      expect(pool.strength).toBeGreaterThanOrEqual(1);
      expect(pool.strength).toBeLessThanOrEqual(10);
      if (pool.side === 'long') expect(pool.priceLow).toBeLessThanOrEqual(map.price);
      else expect(pool.priceHigh).toBeGreaterThanOrEqual(map.price);
    }

    expect(context.price).toBe(map.price);
    expect(context.openInterestUsd).toBe(last.openInterestUsd);
    expect(context.reliability.score).toBeGreaterThanOrEqual(0);
    expect(context.reliability.score).toBeLessThanOrEqual(1);
  });

  it('columns are min(bars, requested); the default is every bar', () => {
    const bars = flatBars(100, ramp(10e6, 1e6, 40)).map((b, i) => ({ ...b, high: 100 + (i % 3), low: 100 - (i % 2) }));
    expect(estimate([series(bars)], { heatmap: { columns: 100, rows: 10 } }).heatmap.columns).toBe(40);
    expect(estimate([series(bars)], { heatmap: { columns: 7, rows: 10 } }).heatmap.columns).toBe(7);
    expect(estimate([series(bars)], { heatmap: { rows: 10 } }).heatmap.columns).toBe(40);
    const one = estimate([series(bars.slice(0, 1))], { heatmap: { columns: 5, rows: 10 } });
    expect(one.heatmap.columns).toBe(1);
    expect(one.perBar.length).toBe(1);
  });

  it('per-bar output has one row per merged bar with several exchanges', () => {
    const bars = flatBars(100, ramp(10e6, 1e6, 30));
    const shifted = flatBars(100, ramp(1e6, 1e5, 30), T0 + 10 * FIVE_MINUTES);
    const result = estimate([series(bars), series(shifted, 'bybit')], { heatmap: { rows: 20 } });
    expect(result.perBar.length).toBe(40);
    expect(result.heatmap.columns).toBe(40);
  });

  it('grid columns never hold more than the live notional at their bar (5m series, default window)', () => {
    const input = sliceSeries(binance5m(), 0, 3000);
    const result = estimate([input], { heatmap: { columns: 1500, rows: 300 } });
    const { live } = runWithLive([input]);
    const { columns, rows } = result.heatmap;
    const cells = usdCells(result.heatmap);
    const first = live.length - columns;
    let seen = 0;
    for (let c = 0; c < columns; c++) {
      const column = sum(cells.subarray(c * rows, (c + 1) * rows));
      if (column > live[first + c]! * (1 + 1e-5) + 1e-3) {
        expect.fail(`column ${c}: grid holds ${column}, live notional is ${live[first + c]}`);
      }
      seen = Math.max(seen, column / live[first + c]!);
    }
    expect(seen).toBeGreaterThan(0.3); // the grid shows a real share of it
  });

  it('a grid wide enough for every level holds the whole live notional but the far levels waiting for their hourly placement (30m series)', () => {
    const input = aggregated30m();
    const low = Math.min(...input.bars.map((b) => b.low));
    const high = Math.max(...input.bars.map((b) => b.high));
    const result = estimate([input], { heatmap: { rows: 4000, priceLow: low / 8, priceHigh: high * 8 } });
    const estimator = new Estimator();
    const placed: number[] = [];
    estimator.append([input], () => {
      const { liveUsd, waitingUsd } = estimator.totals;
      placed.push(liveUsd - waitingUsd);
    });
    const { columns, rows } = result.heatmap;
    const cells = usdCells(result.heatmap);
    expect(columns).toBe(placed.length);
    for (let c = 0; c < columns; c++) {
      const column = sum(cells.subarray(c * rows, (c + 1) * rows));
      const expected = placed[c]!;
      if (Math.abs(column - expected) > expected * 1e-4 + 1e-3) expect.fail(`column ${c}: grid ${column}, placed ${expected}`);
    }
  });

  it('far levels are placed at the end of every clock hour, and the map holds them while they wait', () => {
    const input = binance5m();
    const estimator = new Estimator();
    const HOUR = 3_600_000;
    let hourEnds = 0;
    let waitingBars = 0;
    let checked = 0;
    estimator.append([input], (index) => {
      const { waitingUsd, liveUsd } = estimator.totals;
      const timestamp = estimator.bars[index]!.timestamp;
      if (Math.floor((timestamp + FIVE_MINUTES) / HOUR) !== Math.floor(timestamp / HOUR)) {
        hourEnds++;
        if (waitingUsd !== 0) expect.fail(`bar ${index}: ${waitingUsd} still waiting at the end of the hour`);
      }
      if (waitingUsd > 0) waitingBars++;
      if (waitingUsd > 0 && index % 97 === 0) {
        // The map on a range holding every level shows the whole live notional, waiting included.
        const price = estimator.bars[index]!.close;
        const map = estimator.liquidationMap(edges(price / 5, price * 5, 2000));
        expect((sum(map.long) + sum(map.short)) / liveUsd).toBeCloseTo(1, 9);
        checked++;
      }
    });
    expect(hourEnds).toBeGreaterThan(600);
    expect(waitingBars).toBeGreaterThan(estimator.bars.length / 2);
    expect(checked).toBeGreaterThan(10);
  });
});
