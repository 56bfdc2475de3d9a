/**
 * A stop that would have to lie past the order's own liquidation price: the finding says the
 * position would be liquidated first, names lower leverage, a smaller size and the entry, and
 * offers no stop to use; a stop that clears the pool inside the liquidation price still does.
 */
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { installDom } from '../../../tests/support/dom';
import { liquidationPrice, marginModel } from '../../engine/margin';
import { assessRisk } from '../../engine/risk';
import type { LiquidationMap, Pool } from '../../engine/types';
import { FindingList } from './finding-list';

const { newRoot } = installDom();
const root = newRoot();

const PRICE = 65_000;
const ATR = 600;
const map: LiquidationMap = {
  timestamp: 0,
  price: PRICE,
  priceEdges: Float64Array.from([60_000, 70_000]),
  long: new Float64Array(1),
  short: new Float64Array(1),
  cumulativeLong: new Float64Array(1),
  cumulativeShort: new Float64Array(1),
  atr: ATR,
};

function pool(side: Pool['side'], priceLow: number, priceHigh: number, strength: number): Pool {
  return { side, priceLow, priceHigh, peakPrice: (priceLow + priceHigh) / 2, notionalUsd: 1e7, strength, distancePct: -2, distanceAtr: -2 };
}

const liqAt = (side: 'long' | 'short', entry: number, leverage: number) =>
  liquidationPrice({ exchange: 'binance', symbol: '', side, entryPrice: entry, leverage, notionalUsd: 10_000 }, marginModel('binance').defaultTiers);

describe('a stop beyond the pool past the liquidation price', () => {
  const entry = 64_800;
  const liq = liqAt('long', entry, 20);
  // A strong pool around the stop whose far edge lies below the liquidation price.
  const around = pool('long', liq - 400, liq + 900, 8);
  const order = { side: 'long', entry, leverage: 20, stop: liq + 500, marginMode: 'isolated' } as const;

  it('says the position would be liquidated first and names lower leverage, a smaller size and the entry', () => {
    const finding = assessRisk(order, map, [around]).findings.find((f) => f.kind === 'stop-in-hunt-zone')!;
    expect(finding.suggestedStop).toBeUndefined();
    expect(finding.message).toContain('past the estimated liquidation price');
    expect(finding.message).toContain('the position would be liquidated before such a stop could trigger');
    expect(finding.message).toMatch(/a lower leverage \(at \d+x or less the estimated liquidation price lies beyond [\d,]+\), a smaller size, or reconsidering the entry/);
    const past = finding.stopPastLiquidation!;
    expect(past.liquidation).toBeCloseTo(liq, 6);
    expect(past.stop).toBeLessThan(around.priceLow);
    expect(past.stop).toBeLessThan(liq);
    // The leverage named is the highest below 20x whose liquidation lies beyond that stop.
    expect(past.leverageBelow).toBeGreaterThanOrEqual(1);
    expect(past.leverageBelow).toBeLessThan(20);
    expect(liqAt('long', entry, past.leverageBelow!)).toBeLessThan(past.stop);
    expect(liqAt('long', entry, past.leverageBelow! + 1)).toBeGreaterThanOrEqual(past.stop);
    // The stop as placed (above the liquidation price) is not said to lie past it.
    expect(finding.message).not.toContain('itself lies past');
    // A stop placed below the liquidation price is said to be past it too.
    const deeper = assessRisk({ ...order, stop: liq - 200 }, map, [around]).findings.find((f) => f.kind === 'stop-in-hunt-zone')!;
    expect(deeper.suggestedStop).toBeUndefined();
    expect(deeper.message).toMatch(/The stop [\d,]+ itself lies past that price and would not trigger either\./);
    // Words that describe risk, never an instruction.
    expect(finding.message).not.toMatch(/\b(you should|we recommend|buy|sell)\b/i);
  });

  it('cross or an unknown mode: says it of the isolated case, with the same data and no stop offered', () => {
    const isolated = assessRisk(order, map, [around]).findings.find((f) => f.kind === 'stop-in-hunt-zone')!;
    const cases = [
      ['cross', "a cross position liquidates further away, depending on the account's balance"],
      [undefined, "the margin mode was not read, and a cross position liquidates further away, depending on the account's balance"],
    ] as const;
    for (const [marginMode, why] of cases) {
      const { marginMode: _isolated, ...unknown } = order;
      const finding = assessRisk(marginMode ? { ...order, marginMode } : unknown, map, [around]).findings.find((f) => f.kind === 'stop-in-hunt-zone')!;
      expect(finding.message).toMatch(
        new RegExp(`past the estimated liquidation price [\\d,]+ \\(20x, if isolated; ${why}\\): at 20x isolated margin the position would be liquidated before such a stop could trigger\\.`),
      );
      // Never as a fact about the position.
      expect(finding.message).not.toMatch(/: the position would be liquidated/);
      expect(finding.message).toMatch(/a lower leverage \(at \d+x or less the estimated isolated liquidation price lies beyond [\d,]+\), a smaller size, or reconsidering the entry/);
      // The isolated figures stay the data: no stop to use, the same leverage below.
      expect(finding.suggestedStop).toBeUndefined();
      expect(finding.stopPastLiquidation).toEqual(isolated.stopPastLiquidation);
      const deeper = assessRisk({ ...(marginMode ? { ...order, marginMode } : unknown), stop: liq - 200 }, map, [around]).findings.find((f) => f.kind === 'stop-in-hunt-zone')!;
      expect(deeper.message).toMatch(/The stop [\d,]+ itself lies past that price: at isolated margin it would not trigger either\./);
    }
  });

  it('works the same way for a short', () => {
    const shortEntry = 65_200;
    const shortLiq = liqAt('short', shortEntry, 25);
    const above = pool('short', shortLiq - 900, shortLiq + 400, 9);
    const finding = assessRisk({ side: 'short', entry: shortEntry, leverage: 25, stop: shortLiq - 500 }, map, [above]).findings.find((f) => f.kind === 'stop-in-hunt-zone')!;
    expect(finding.suggestedStop).toBeUndefined();
    expect(finding.stopPastLiquidation!.stop).toBeGreaterThan(shortLiq);
    expect(liqAt('short', shortEntry, finding.stopPastLiquidation!.leverageBelow!)).toBeGreaterThan(finding.stopPastLiquidation!.stop);
  });

  it('offers no "Use suggested stop" then, and still does for a stop inside the liquidation price', () => {
    const past = assessRisk(order, map, [around]);
    render(<FindingList findings={past.findings} copy={() => Promise.resolve()} />, root);
    expect(root.querySelector('[data-kind="stop-in-hunt-zone"]')).not.toBeNull();
    expect(root.querySelector('button.copy')).toBeNull();
    expect(root.textContent).not.toContain('Use suggested stop');

    // The same pool far below the liquidation price at 5x: a stop beyond it is usable.
    const safe = assessRisk({ ...order, leverage: 5 }, map, [around]);
    const finding = safe.findings.find((f) => f.kind === 'stop-in-hunt-zone')!;
    expect(finding.stopPastLiquidation).toBeUndefined();
    expect(finding.suggestedStop).toBeLessThan(around.priceLow);
    render(<FindingList findings={safe.findings} copy={() => Promise.resolve()} />, root);
    expect(root.querySelector('button.copy')?.textContent).toBe('Use suggested stop');
  });
});
