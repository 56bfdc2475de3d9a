import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assessRisk } from '../src/engine/risk';
import { findPools } from '../src/engine/pools';
import { liquidationPrice, marginModel } from '../src/engine/margin';
import type { Finding, LiquidationMap, PlannedOrder, Pool, RiskAssessment } from '../src/engine/types';

const PRICE = 65_000;
const ATR = 600;

/** A 500-bin map from 60,000 to 70,000 (20 USD bins) with flat background and chosen bumps. */
function makeMap(bumps: { side: 'long' | 'short'; from: number; to: number; usd: number }[] = []): LiquidationMap {
  const bins = 500;
  const priceEdges = new Float64Array(bins + 1);
  for (let i = 0; i <= bins; i++) priceEdges[i] = 60_000 + 20 * i;
  const long = new Float64Array(bins);
  const short = new Float64Array(bins);
  for (let i = 0; i < bins; i++) {
    const centre = priceEdges[i]! + 10;
    if (centre < PRICE) long[i] = 50_000;
    else short[i] = 50_000;
    for (const bump of bumps) {
      if (centre > bump.from && centre < bump.to) (bump.side === 'long' ? long : short)[i]! += bump.usd;
    }
  }
  return {
    timestamp: 0,
    price: PRICE,
    priceEdges,
    long,
    short,
    cumulativeLong: new Float64Array(bins),
    cumulativeShort: new Float64Array(bins),
    atr: ATR,
  };
}

function pool(side: Pool['side'], priceLow: number, priceHigh: number, strength: number): Pool {
  const edge = side === 'long' ? priceHigh : priceLow;
  return {
    side,
    priceLow,
    priceHigh,
    peakPrice: (priceLow + priceHigh) / 2,
    notionalUsd: strength * 1e6,
    strength,
    distancePct: ((edge - PRICE) / PRICE) * 100,
    distanceAtr: (edge - PRICE) / ATR,
  };
}

const map = makeMap();
const longPool = pool('long', 63_700, 64_100, 8);
const weakLongPool = pool('long', 62_000, 62_300, 4);
const shortPool = pool('short', 66_000, 66_300, 7);
const pools = [longPool, weakLongPool, shortPool];

/** Words of likelihood: the map estimates where positions sit, never how likely a sweep is. */
const PROBABILITY_WORDS = /\b(likely|unlikely|probabl[ey]|probability|chances?|odds)\b/i;

const messages: string[] = [];
function assess(order: PlannedOrder, poolList: readonly Pool[] = pools, options?: { sensitivityAtr?: number }): RiskAssessment {
  const result = assessRisk(order, map, poolList, options);
  for (const finding of result.findings) messages.push(finding.message);
  return result;
}
const find = (result: RiskAssessment, kind: Finding['kind']): Finding | undefined => result.findings.find((f) => f.kind === kind);

describe('stop-in-hunt-zone', () => {
  it("names the pool's USD as the pool line does ($2.35M, three significant digits)", () => {
    const odd = { ...longPool, notionalUsd: 2_350_000 };
    const finding = find(assess({ side: 'long', entry: 64_800, stop: 63_950 }, [odd]), 'stop-in-hunt-zone')!;
    expect(finding.message).toContain('holding an estimated $2.35M;');
  });

  it('flags a stop inside a strong pool and points beyond its far edge', () => {
    const result = assess({ side: 'long', entry: 64_800, stop: 63_950 });
    const finding = find(result, 'stop-in-hunt-zone')!;
    expect(finding.message).toBe(
      'Stop 63,950 sits inside a long-liquidation pool (63,700-64,100, strength 8/10) holding an estimated $8M; a sweep there would fill it. A stop beyond 63,550 clears it.',
    );
    expect(finding.severity).toBe('danger');
    expect(finding.suggestedStop).toBe(63_550);
    expect(finding.suggestedStop!).toBeLessThan(longPool.priceLow);
    expect(finding.pool).toBe(longPool);
    expect(result.severity).toBe('danger');
    // 700 above the pool: outside the 1 ATR window, so the entry is not flagged
    expect(find(result, 'entry-before-pool')).toBeUndefined();
  });

  it('flags a stop just short of a strong pool as a warning', () => {
    const finding = find(assess({ side: 'long', entry: 65_000, stop: 64_300 }), 'stop-in-hunt-zone')!;
    expect(finding.severity).toBe('warning');
    expect(finding.suggestedStop).toBe(63_550);
    expect(finding.message).toMatch(/^Stop 64,300 sits 0\.3 ATR above a long-liquidation pool \(63,700-64,100, strength 8\/10\)/);
  });

  it('warns inside a weaker pool and says info just short of one', () => {
    expect(find(assess({ side: 'long', entry: 63_000, stop: 62_100 }), 'stop-in-hunt-zone')!.severity).toBe('warning');
    expect(find(assess({ side: 'long', entry: 63_000, stop: 62_500 }), 'stop-in-hunt-zone')!.severity).toBe('info');
  });

  it('mirrors for a short: stop above inside a short pool, suggestion above its top', () => {
    const finding = find(assess({ side: 'short', entry: 65_200, stop: 66_100 }), 'stop-in-hunt-zone')!;
    expect(finding.severity).toBe('danger');
    expect(finding.suggestedStop).toBe(66_450);
    expect(finding.suggestedStop!).toBeGreaterThan(shortPool.priceHigh);
  });

  it('counts a stop barely past the far edge, where an overshooting sweep reaches', () => {
    const finding = find(assess({ side: 'short', entry: 65_200, stop: 66_400 }), 'stop-in-hunt-zone')!;
    expect(finding.severity).toBe('warning');
    expect(finding.suggestedStop).toBe(66_450);
    expect(finding.message).toContain('sits 0.2 ATR past the far edge of a short-liquidation pool (66,000-66,300, strength 7/10)');
    expect(find(assess({ side: 'short', entry: 65_200, stop: 66_460 }), 'stop-in-hunt-zone')).toBeUndefined();
  });

  it('moves the suggestion past a pool that starts right behind the first one', () => {
    const behind = pool('long', 63_300, 63_560, 5);
    const finding = find(assess({ side: 'long', entry: 64_800, stop: 63_950 }, [longPool, behind]), 'stop-in-hunt-zone')!;
    expect(finding.suggestedStop).toBe(63_150);
    expect(finding.message).toContain('clears it and the pool right behind it (63,300-63,560)');
  });

  it('leaves a stop clear of every pool alone', () => {
    // 650 above the pool's top: beyond the 1 ATR (600) window
    const result = assess({ side: 'long', entry: 65_000, stop: 64_750 });
    expect(result.findings).toEqual([]);
    expect(result.severity).toBe('info');
  });

  it('ignores pools of the other side: an up-sweep does not hit a long stop', () => {
    expect(find(assess({ side: 'long', entry: 67_000, stop: 66_100 }), 'stop-in-hunt-zone')).toBeUndefined();
  });
});

describe('entry-before-pool', () => {
  it('warns about a long entry just above a strong long pool and cuts the size factor', () => {
    const finding = find(assess({ side: 'long', entry: 64_400 }), 'entry-before-pool')!;
    expect(finding.severity).toBe('warning');
    // 1 - 0.5 * 0.8 * (1 - 300 / 600) = 0.8
    expect(finding.suggestedSizeFactor).toBe(0.8);
    expect(finding.message).toMatch(/^Entry 64,400 sits 0\.5 ATR above a long-liquidation pool \(63,700-64,100, strength 8\/10\) holding an estimated \$8M; a sweep through it would move against the position/);
  });

  it('is danger inside a strong pool and the factor is smaller the closer and stronger the pool', () => {
    const inside = find(assess({ side: 'long', entry: 63_900 }), 'entry-before-pool')!;
    expect(inside.severity).toBe('danger');
    expect(inside.suggestedSizeFactor).toBe(0.6);
    const near = find(assess({ side: 'long', entry: 64_200 }), 'entry-before-pool')!.suggestedSizeFactor!;
    const further = find(assess({ side: 'long', entry: 64_600 }), 'entry-before-pool')!.suggestedSizeFactor!;
    expect(inside.suggestedSizeFactor!).toBeLessThan(near);
    expect(near).toBeLessThan(further);
    const weak = find(assess({ side: 'long', entry: 62_400 }), 'entry-before-pool')!;
    expect(weak.suggestedSizeFactor!).toBeGreaterThan(near);
    expect(weak.severity).toBe('info');
  });

  it('looks above a short entry', () => {
    const finding = find(assess({ side: 'short', entry: 65_800 }), 'entry-before-pool')!;
    expect(finding.pool).toBe(shortPool);
    expect(finding.severity).toBe('warning');
    expect(finding.message).toContain('sits 0.3 ATR below a short-liquidation pool');
  });

  it('uses the sensitivity window', () => {
    expect(find(assess({ side: 'long', entry: 64_400 }, pools, { sensitivityAtr: 0.25 }), 'entry-before-pool')).toBeUndefined();
    expect(find(assess({ side: 'long', entry: 64_900 }, pools, { sensitivityAtr: 2 }), 'entry-before-pool')).toBeDefined();
  });
});

describe('liquidation-in-pool', () => {
  const order = { side: 'long', entry: 64_800, leverage: 20 } as const;
  const liq = liquidationPrice(
    { exchange: 'binance', symbol: 'ANY', side: 'long', entryPrice: 64_800, leverage: 20, notionalUsd: 10_000 },
    marginModel('binance').defaultTiers,
  );

  /** The liquidation price as the findings write it (whole numbers at this entry). */
  const liqText = Math.round(liq).toLocaleString('en-US');
  const around = pool('long', liq - 100, liq + 100, 5);
  const aroundText = `a long-liquidation pool (${Math.round(liq - 100).toLocaleString('en-US')}-${Math.round(liq + 100).toLocaleString('en-US')}, strength 5/10) holding an estimated $5M`;

  it('reports the liquidation price and, isolated, is danger inside a pool and said of the position', () => {
    const result = assess({ ...order, marginMode: 'isolated' }, [around]);
    expect(result.liquidationPrice).toBeCloseTo(liq, 6);
    const finding = find(result, 'liquidation-in-pool')!;
    expect(finding.severity).toBe('danger');
    expect(finding.message).toBe(`Estimated liquidation ${liqText} (20x) sits inside ${aroundText}; a sweep there would liquidate the position along with the pool.`);
  });

  it('cross: the same isolated figure, worded as the nearest case, and at most a warning', () => {
    const result = assess({ ...order, marginMode: 'cross' }, [around]);
    // The figure is the isolated one: the account's balance behind a cross position is never read.
    expect(result.liquidationPrice).toBeCloseTo(liq, 6);
    const finding = find(result, 'liquidation-in-pool')!;
    expect(finding.severity).toBe('warning');
    expect(result.severity).toBe('warning');
    expect(finding.message).toBe(
      `Estimated liquidation ${liqText} (20x, if isolated; a cross position liquidates further away, depending on the account's balance) sits inside ${aroundText}; a sweep there would reach it.`,
    );
    expect(finding.message).not.toContain('would liquidate the position');
    // Just short of a strong pool: a warning as for isolated; behind a stop: info.
    const below = pool('long', liq - 500, liq - 200, 9);
    expect(find(assess({ ...order, marginMode: 'cross' }, [below]), 'liquidation-in-pool')!.severity).toBe('warning');
    expect(find(assess({ ...order, marginMode: 'cross', stop: 63_000 }, [around]), 'liquidation-in-pool')!.severity).toBe('info');
  });

  it('an unknown margin mode: worded as the isolated case, and the severity of the nearest case', () => {
    const finding = find(assess(order, [around]), 'liquidation-in-pool')!;
    expect(finding.severity).toBe('danger');
    expect(finding.message).toBe(
      `Estimated liquidation ${liqText} (20x, if isolated; the margin mode was not read, and a cross position liquidates further away, depending on the account's balance) sits inside ${aroundText}; a sweep there would reach it.`,
    );
    // A mode that is neither is named as bad input and taken as unknown.
    const odd = assess({ ...order, marginMode: 'portfolio' } as unknown as PlannedOrder, [around]);
    expect(find(odd, 'invalid-order')!.message).toBe("Margin mode must be 'cross' or 'isolated', got portfolio; the liquidation price is worded as for an unknown mode");
    expect(find(odd, 'liquidation-in-pool')!.message).toBe(finding.message);
  });

  it('is a warning just short of a pool and info when a stop triggers first', () => {
    const below = pool('long', liq - 500, liq - 200, 9);
    expect(find(assess(order, [below]), 'liquidation-in-pool')!.severity).toBe('warning');
    const around = pool('long', liq - 100, liq + 100, 9);
    const guarded = find(assess({ ...order, stop: 63_000 }, [around]), 'liquidation-in-pool')!;
    expect(guarded.severity).toBe('info');
    expect(guarded.message).toContain('The stop at 63,000 triggers first');
  });

  it('uses the order size for the margin tier, and says nothing without leverage', () => {
    const small = assess({ ...order, symbol: 'BTCUSDT' }, []).liquidationPrice!;
    const big = assess({ ...order, symbol: 'BTCUSDT', sizeUsd: 50_000_000 }, []).liquidationPrice!;
    // a higher maintenance tier brings the liquidation closer to the entry
    expect(big).toBeGreaterThan(small);
    expect(big).toBeLessThan(64_800);
    // about 1x has no liquidation price at all
    expect(assess({ ...order, leverage: 1 }, []).liquidationPrice).toBeUndefined();
    expect(assess({ side: 'long', entry: 64_800 }, []).liquidationPrice).toBeUndefined();
  });

  it('notes when the suggested stop lies past the liquidation price', () => {
    const wide = pool('long', liq - 100, liq + 1_000, 8);
    const finding = find(assess({ ...order, stop: liq + 500 }, [wide]), 'stop-in-hunt-zone')!;
    expect(finding.message).toContain('past the estimated liquidation price');
  });
});

describe('take-profit-before-pool', () => {
  it('notes a favourable pool just beyond a long take-profit', () => {
    const finding = find(assess({ side: 'long', entry: 65_000, takeProfit: 65_900 }), 'take-profit-before-pool')!;
    expect(finding.severity).toBe('info');
    expect(finding.pool).toBe(shortPool);
    expect(finding.message).toBe(
      'Take-profit 65,900 sits 0.2 ATR below a short-liquidation pool (66,000-66,300, strength 7/10) holding an estimated $7M; a sweep into the pool would carry price through it.',
    );
  });

  it('looks below a short take-profit', () => {
    const finding = find(assess({ side: 'short', entry: 65_000, takeProfit: 64_300 }), 'take-profit-before-pool')!;
    expect(finding.pool).toBe(longPool);
  });
});

describe('invalid-order', () => {
  it('turns bad input into findings instead of throwing', () => {
    const cases: PlannedOrder[] = [
      { side: 'long', entry: Number.NaN },
      { side: 'long', entry: -5 },
      { side: 'long', entry: 0 },
      { side: 'long', entry: 64_000, stop: 65_000 },
      { side: 'short', entry: 64_000, stop: 63_000 },
      { side: 'long', entry: 64_000, takeProfit: 63_000 },
      { side: 'long', entry: 64_000, leverage: 0 },
      { side: 'long', entry: 64_000, sizeUsd: -1 },
      { side: 'long', entry: 64_000, stop: Infinity },
      { side: 'sideways' as 'long', entry: 64_000 },
    ];
    for (const order of cases) {
      const result = assess(order);
      expect(result.findings.some((f) => f.kind === 'invalid-order')).toBe(true);
    }
    expect(find(assess({ side: 'long', entry: 64_000, stop: 65_000 }), 'invalid-order')!.message).toBe(
      'Stop 65,000 is at or above the entry 64,000 of a long: it would trigger on entry; the stop was not checked',
    );
  });

  it('survives input that is not an order at all', () => {
    expect(assessRisk(null as unknown as PlannedOrder, map, pools).findings[0]?.kind).toBe('invalid-order');
    expect(assessRisk({ side: 'long', entry: 64_800, stop: 63_950 }, map, undefined as unknown as Pool[]).findings).toEqual([]);
  });

  it('still checks the valid parts of a partly bad order', () => {
    const result = assess({ side: 'long', entry: 64_800, stop: 63_950, takeProfit: -3 });
    expect(find(result, 'invalid-order')).toBeDefined();
    expect(find(result, 'stop-in-hunt-zone')?.severity).toBe('danger');
  });
});

describe('with pools found on a map', () => {
  it('works end to end with findPools', () => {
    const bumped = makeMap([{ side: 'long', from: 63_700, to: 64_100, usd: 2e6 }]);
    const found = findPools(bumped);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ priceLow: 63_700, priceHigh: 64_100, strength: 10 });
    const result = assessRisk({ side: 'long', entry: 64_800, stop: 63_950 }, bumped, found);
    expect(find(result, 'stop-in-hunt-zone')!.message).toBe(
      'Stop 63,950 sits inside a long-liquidation pool (63,700-64,100, strength 10/10) holding an estimated $41M; a sweep there would fill it. A stop beyond 63,550 clears it.',
    );
  });
});

describe('wording and robustness', () => {
  it('never uses advisory words', () => {
    expect(messages.length).toBeGreaterThan(20);
    for (const message of messages) expect(message).not.toMatch(/\b(buy|sell|should|recommend)\b/i);
  });

  it('never states a probability the map does not measure: a sweep that reaches a level would fill, reach or carry through it', () => {
    expect(messages.length).toBeGreaterThan(20);
    for (const message of messages) expect(message).not.toMatch(PROBABILITY_WORDS);
    // Each way a level meets a pool, in its own words.
    const stopBefore = find(assess({ side: 'long', entry: 65_000, stop: 64_300 }), 'stop-in-hunt-zone')!.message;
    expect(stopBefore).toContain('holding an estimated $8M; a sweep into the pool would reach it. A stop beyond 63,550 clears it.');
    const stopPast = find(assess({ side: 'short', entry: 65_200, stop: 66_400 }), 'stop-in-hunt-zone')!.message;
    expect(stopPast).toContain('holding an estimated $7M; a sweep that overshoots the pool would reach it.');
    const tpInside = find(assess({ side: 'long', entry: 65_000, takeProfit: 66_100 }), 'take-profit-before-pool')!.message;
    expect(tpInside).toBe('Take-profit 66,100 sits inside a short-liquidation pool (66,000-66,300, strength 7/10) holding an estimated $7M; a sweep there would fill it.');
  });

  it('never throws and returns only finite numbers (no NaN, no Infinity) for any numbers', () => {
    let findings = 0;
    let sized = 0;
    const anyNumber = fc.oneof(
      fc.double(),
      fc.double({ min: 1, max: 200_000, noNaN: true }),
      // Around the map's pools (62,000-66,300), where entries, stops and liquidation prices meet them.
      fc.double({ min: 61_000, max: 69_000, noNaN: true }),
      fc.constantFrom(0, -1, Number.NaN, Infinity, -Infinity, 1e-300, 1e300),
    );
    fc.assert(
      fc.property(
        fc.constantFrom<PlannedOrder['side']>('long', 'short'),
        anyNumber,
        fc.option(anyNumber, { nil: undefined }),
        fc.option(anyNumber, { nil: undefined }),
        fc.option(anyNumber, { nil: undefined }),
        fc.option(anyNumber, { nil: undefined }),
        fc.option(fc.double({ min: 0, max: 5, noNaN: true }), { nil: undefined }),
        fc.option(fc.constantFrom('cross', 'isolated', 'portfolio', 1), { nil: undefined }),
        (side, entry, stop, takeProfit, leverage, sizeUsd, sensitivityAtr, marginMode) => {
          const order = { side, entry, stop, takeProfit, leverage, sizeUsd, marginMode } as PlannedOrder;
          const result = assessRisk(order, map, pools, sensitivityAtr === undefined ? {} : { sensitivityAtr });
          const check = (value: unknown, path: string): void => {
            if (typeof value === 'number') {
              if (!Number.isFinite(value)) expect.fail(`${path} is ${value} for ${JSON.stringify(order)}`);
            } else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) check(v, `${path}.${k}`);
          };
          check(result, 'result');
          findings += result.findings.length;
          for (const finding of result.findings) {
            expect(finding.message).not.toMatch(/\b(buy|sell|should|recommend)\b/i);
            expect(finding.message).not.toMatch(PROBABILITY_WORDS);
            // A cross position's liquidation lies further out than the isolated figure: never danger.
            if (marginMode === 'cross' && finding.kind === 'liquidation-in-pool') expect(finding.severity).not.toBe('danger');
            if (finding.suggestedSizeFactor !== undefined) {
              sized++;
              expect(finding.suggestedSizeFactor).toBeGreaterThanOrEqual(0);
              expect(finding.suggestedSizeFactor).toBeLessThanOrEqual(1);
            }
          }
        },
      ),
      { numRuns: 2_000 },
    );
    // The orders reach the findings, not only the early return for unusable input ...
    expect(findings).toBeGreaterThan(500);
    // ... and the size suggestion (an entry just before a pool): its bounds are checked above.
    expect(sized).toBeGreaterThan(20);
  });
});
