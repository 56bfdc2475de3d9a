/**
 * fast-check generators of valid (and deliberately broken) exchange series for property tests.
 *
 * A series is built from segments, each a run of bars with one kind of price move and one kind of
 * open-interest move, so that adversarial shapes (x1000 jumps, zero OI, long flat stretches)
 * appear often instead of almost never.
 */
import fc from 'fast-check';
import { DEFAULT_CONFIG, type EngineConfig } from '../../src/engine/config';
import type { Bar, ExchangeId, ExchangeSeries } from '../../src/engine/types';
import { T0 } from './series';

export type PriceMove =
  | { readonly kind: 'walk'; readonly vol: number }
  | { readonly kind: 'flat' }
  /** The first bar of the segment moves the price by `factor` (inside the bar, or as a gap). */
  | { readonly kind: 'jump'; readonly factor: number; readonly gap: boolean };

export type OiMove =
  | { readonly kind: 'walk'; readonly vol: number }
  | { readonly kind: 'flat' }
  | { readonly kind: 'zero' }
  | { readonly kind: 'jump'; readonly factor: number }
  /** Falls linearly to exactly zero at the segment's last bar. */
  | { readonly kind: 'to-zero' };

export interface Segment {
  readonly price: PriceMove;
  readonly oi: OiMove;
  /** Missing bars before the segment (0 = contiguous). */
  readonly gap: number;
  /** Per bar: price draw, upper wick, lower wick, OI draw, all in [-1, 1] / [0, 1]. */
  readonly draws: readonly (readonly [number, number, number, number])[];
}

export interface SeriesSpec {
  readonly exchange: ExchangeId;
  readonly startPrice: number;
  readonly startOi: number;
  readonly stepMs: number;
  /** Start offset in steps from T0 (so several exchanges overlap partially). */
  readonly offset: number;
  readonly segments: readonly Segment[];
  readonly withFlow: boolean;
  readonly withCvd: boolean;
  readonly withFunding: boolean;
  readonly withRatio: boolean;
  readonly oiInBase: boolean;
}

const MIN_PRICE = 1e-9;
const MAX_PRICE = 1e12;
const MAX_OI = 1e16;

const unit = fc.double({ min: -1, max: 1, noNaN: true });
const positiveUnit = fc.double({ min: 0, max: 1, noNaN: true });

const priceMove: fc.Arbitrary<PriceMove> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('walk' as const), vol: fc.constantFrom(0.0005, 0.003, 0.02, 0.2) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'flat' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('jump' as const), factor: fc.constantFrom(1000, 1 / 1000, 1.5, 0.5, 1.1), gap: fc.boolean() }),
  },
);

const oiMove: fc.Arbitrary<OiMove> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('walk' as const), vol: fc.constantFrom(0.0001, 0.003, 0.05, 0.5) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'flat' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'zero' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('jump' as const), factor: fc.constantFrom(1000, 1 / 1000, 10, 0.1) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'to-zero' as const }) },
);

export function segmentArb(maxBars: number): fc.Arbitrary<Segment> {
  return fc.record({
    price: priceMove,
    oi: oiMove,
    gap: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 500 }) }),
    draws: fc.array(fc.tuple(unit, positiveUnit, positiveUnit, unit), { minLength: 1, maxLength: maxBars }),
  });
}

export const EXCHANGES: readonly ExchangeId[] = ['binance', 'bybit', 'okx', 'bitget', 'hyperliquid'];

export function seriesSpecArb(options: { maxSegments?: number; maxBarsPerSegment?: number } = {}): fc.Arbitrary<SeriesSpec> {
  return fc.record({
    exchange: fc.constantFrom(...EXCHANGES),
    startPrice: fc.oneof(
      fc.constantFrom(1e-6, 0.5, 1, 100, 65_000, 1e7, 1e10),
      fc.double({ min: 1e-6, max: 1e7, noNaN: true }),
    ),
    startOi: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 5, arbitrary: fc.constantFrom(1, 5e5, 1e8, 8e9) }),
    stepMs: fc.constantFrom(60_000, 300_000, 1_800_000, 3_600_000),
    offset: fc.integer({ min: 0, max: 20 }),
    segments: fc.array(segmentArb(options.maxBarsPerSegment ?? 40), { minLength: 1, maxLength: options.maxSegments ?? 5 }),
    withFlow: fc.boolean(),
    withCvd: fc.boolean(),
    withFunding: fc.boolean(),
    withRatio: fc.boolean(),
    oiInBase: fc.boolean(),
  });
}

function clampPrice(p: number): number {
  return Math.min(MAX_PRICE, Math.max(MIN_PRICE, p));
}

type MutableBar = { -readonly [K in keyof Bar]: Bar[K] };

/** Turns a spec into a valid series (every bar passes validateSeries by construction). */
export function buildSeries(spec: SeriesSpec): ExchangeSeries {
  const bars: Bar[] = [];
  let price = clampPrice(spec.startPrice);
  let oi = spec.startOi;
  let t = T0 + spec.offset * spec.stepMs;
  let cvd = 0;
  for (const segment of spec.segments) {
    t += segment.gap * spec.stepMs;
    const startOi = oi;
    const n = segment.draws.length;
    for (const [k, [r, up, down, oiDraw]] of segment.draws.entries()) {
      let open = price;
      let close = price;
      let wick = 0;
      switch (segment.price.kind) {
        case 'walk':
          close = clampPrice(open * Math.exp(segment.price.vol * r));
          wick = segment.price.vol;
          break;
        case 'flat':
          break;
        case 'jump':
          if (k === 0) {
            if (segment.price.gap) open = close = clampPrice(open * segment.price.factor);
            else close = clampPrice(open * segment.price.factor);
          }
          wick = 0.001;
          break;
      }
      const high = Math.min(MAX_PRICE, Math.max(open, close) * (1 + wick * up));
      const low = Math.max(MIN_PRICE, Math.min(open, close) / (1 + wick * down));
      switch (segment.oi.kind) {
        case 'walk':
          oi = Math.min(MAX_OI, oi * Math.exp(segment.oi.vol * oiDraw));
          break;
        case 'flat':
          break;
        case 'zero':
          oi = 0;
          break;
        case 'jump':
          if (k === 0) oi = Math.min(MAX_OI, (oi > 0 ? oi : 1e6) * segment.oi.factor);
          break;
        case 'to-zero':
          oi = k === n - 1 ? 0 : startOi * (1 - (k + 1) / n);
          break;
      }
      const b: MutableBar = { timestamp: t, open, high: Math.max(high, open, close), low: Math.min(low, open, close), close };
      if (spec.oiInBase) b.openInterestBase = oi / close;
      else b.openInterestUsd = oi;
      if (spec.withFlow) {
        b.volume = 100 * up;
        b.takerBuyVolume = 100 * up * down;
      }
      if (spec.withCvd) {
        // Occasionally the counter resets to zero, as recorded feeds do.
        cvd = oiDraw > 0.97 ? 0 : cvd + 50 * r;
        b.cvd = cvd;
      }
      if (spec.withFunding) b.fundingRate = 0.005 * r;
      if (spec.withRatio) b.longShortRatio = Math.exp(3 * oiDraw);
      bars.push(b);
      price = close;
      t += spec.stepMs;
    }
  }
  return { exchange: spec.exchange, symbol: spec.exchange === 'hyperliquid' ? 'BTC' : 'BTCUSDT', bars };
}

/** One to three series of distinct exchanges. */
export function inputArb(options: { maxSeries?: number; maxSegments?: number; maxBarsPerSegment?: number } = {}): fc.Arbitrary<ExchangeSeries[]> {
  return fc
    .uniqueArray(seriesSpecArb(options), { minLength: 1, maxLength: options.maxSeries ?? 3, selector: (s) => s.exchange })
    .map((specs) => specs.map(buildSeries));
}

/** Configs from the default to extreme corners of the allowed ranges. */
export const configArb: fc.Arbitrary<{ config: Partial<EngineConfig>; leverages?: number[] }> = fc.record(
  {
    config: fc.record(
      {
        tiers: fc.constantFrom(
          DEFAULT_CONFIG.tiers,
          [{ leverage: 10, weight: 1, halfLifeHours: Infinity }],
          [{ leverage: 125, weight: 1, halfLifeHours: 0.01 }],
          [
            { leverage: 1, weight: 1, halfLifeHours: 1 },
            { leverage: 200, weight: 0, halfLifeHours: 2 },
            { leverage: 3, weight: 2, halfLifeHours: 2 },
          ],
        ),
        turnoverPerHour: fc.constantFrom(0, 0.02, 1),
        levelDistanceRatios: fc.constantFrom([1], [0.43, 1, 1.18], [0.1, 0.5, 1, 1.5, 2.9]),
        openDip: fc.constantFrom(0, 0.16, 1),
        closeOvershoot: fc.constantFrom(0, 0.3, 1),
        nearExitPerHour: fc.constantFrom(0, 0.5, 1),
        staleOpenInterestBars: fc.constantFrom(2, 12, 1000),
      },
      { requiredKeys: [] },
    ),
    leverages: fc.constantFrom([10], [5, 125], [3, 7]),
  },
  { requiredKeys: ['config'] },
);
