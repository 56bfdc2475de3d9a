/**
 * One set of words and numbers: the pool list, the tooltip and the legend's control speak of the
 * USD of positions that would be liquidated, named plainly; distances are in %; no "heat", "SQRT"
 * or "z"; the reliability reasons fold under the score.
 */
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { installDom } from '../../../tests/support/dom';
import type { EstimateView } from '../../messaging/contract';
import { Tooltip } from './chart';
import { ContrastControl } from './contrast-control';
import { ContextRows, PoolRows } from './details';
import { hoverAt } from './hover';

const { newRoot } = installDom();
const root = newRoot();

/** Price 64,543 on a map of 10 bins of 1,000 from 59,543 to 69,543: longs below, shorts above. */
const view: EstimateView = {
  exchange: 'binance',
  symbol: 'BTCUSDT',
  lookback: '24h',
  computedAt: 0,
  price: 64_543,
  pools: [
    { side: 'short', priceLow: 64_801, priceHigh: 65_318, peakPrice: 65_000, notionalUsd: 280_400_000, strength: 10, distancePct: 0.4, distanceAtr: 2.5 },
    { side: 'long', priceLow: 60_993, priceHigh: 61_316, peakPrice: 61_150, notionalUsd: 139_200_000, strength: 5, distancePct: -5, distanceAtr: -31 },
  ],
  context: {
    timestamp: 0,
    price: 64_543,
    funding: 0.0001,
    fundingZ: -1.1,
    crowdedSide: 'long',
    openInterestUsd: 5e9,
    openInterestChange: { h1: 0.01, h4: -0.02, h24: 0.05 },
    trend: 'up',
    trendChangePct: 1.2, trendWindowMs: 3_600_000,
    longShortRatio: 1.5,
    reliability: { score: 0.55, reasons: [{ factor: 'exchanges', score: 0.4, text: 'One exchange: only that venue is seen' }] },
  },
  heatmap: { columns: 2, rows: 2, firstTimestamp: Date.UTC(2026, 5, 21, 14), columnMs: 3_600_000, priceLow: 59_543, priceHigh: 69_543, maxCellUsd: 4e6, intensity: [128, 0, 0, 255], candles: [] },
  latestMap: {
    priceLow: 59_543,
    priceHigh: 69_543,
    long: [1e6, 2e6, 3e6, 4e6, 5e6, 9e6, 0, 0, 0, 0],
    short: [0, 0, 0, 0, 0, 1e6, 6e6, 7e6, 8e6, 9e6],
    atr: 104,
  },
};

const PLOT = { x: 0, y: 0, width: 100, height: 100 };
/** Pixel row of a price on PLOT (the hover reads the row's centre). */
const rowOf = (price: number) => Math.floor(((69_543 - price) / 10_000) * 100);

describe('the tooltip', () => {
  it('says what a move to the hovered price liquidates, cumulative from the price', () => {
    // 62,043 lies in bin 2 (61,543..62,543): longs of bins 2..5 (the price's bin) on the way down.
    const info = hoverAt(view, PLOT, 10, rowOf(62_043))!;
    expect(info.side).toBe('long');
    expect(info.cumulativeUsd).toBe(3e6 + 4e6 + 5e6 + 9e6);
    render(<Tooltip info={info} x={10} y={40} />, root);
    const line = (name: string) => root.querySelector(`[data-tip="${name}"]`)!.textContent!.replace(/\s+/g, ' ');
    expect(line('price')).toMatch(/^If price reaches 6[12],\d\d\d \(−[34]\.\d\d %\):$/);
    expect(line('sides')).toBe('about $21M of longs liquidated on the way (cumulative from the price)');
    expect(line('cell')).toMatch(/^06-21 14:00 UTC: about \$\d+(\.\d+)?[kM] at this level$/);
    expect(root.querySelector('.long')?.textContent).toBe('$21M of longs');
  });

  it('counts shorts on the way up', () => {
    const info = hoverAt(view, PLOT, 60, rowOf(67_043))!;
    expect(info.side).toBe('short');
    expect(info.cumulativeUsd).toBe(1e6 + 6e6 + 7e6);
    render(<Tooltip info={info} x={60} y={10} />, root);
    expect(root.textContent).toContain('about $14M of shorts liquidated on the way');
  });
});

describe('the same words everywhere', () => {
  const forbidden = [/\bheat\b/i, /SQRT/i, /\bz\b/, /\(z /];

  it('pool lines: a price and its own distance in %, the USD of the pool named plainly, no ATR', () => {
    render(<PoolRows view={view} />, root);
    const above = root.querySelector('[data-pool="above"]')!;
    // 65,000 is 0.71 % above 64,543; the near edge (64,801, +0.40 %) is named in the tooltip.
    expect(above.textContent).toBe('▲ 65,000 · +0.71 % · about $280M of shorts · strength 10/10');
    expect(above.getAttribute('title')).toBe('Pool 64,801-65,318, centred at 65,000; its near edge is +0.40 % from the price');
    expect(root.querySelector('[data-pool="below"]')!.textContent).toBe('▼ 61,150 · −5.26 % · about $139M of longs · strength 5/10');
    expect(root.textContent).not.toContain('ATR');
  });

  it('context: funding per 8h without a z figure, reliability reasons folded under the score', () => {
    render(<ContextRows view={view} />, root);
    // The interval is named: the engine reads every venue's rate per 8 h (Hyperliquid's hourly ones too).
    expect(root.querySelector('[data-context="funding"]')!.textContent).toBe('0.0100 % / 8h · longs pay');
    expect(root.querySelector('[data-context="funding"]')!.getAttribute('title')).toMatch(/^Funding per 8 hours/);
    const details = root.querySelector('details.reliability')!;
    expect(details.hasAttribute('open')).toBe(false);
    expect(details.querySelector('summary')!.textContent).toBe('Reliability fair 5.5/10');
    expect(details.querySelector('li')!.textContent).toBe('One exchange: only that venue is seen');
  });

  it('no panel text needs a glossary', () => {
    const info = hoverAt(view, PLOT, 10, rowOf(62_043))!;
    render(
      <div>
        <PoolRows view={view} />
        <ContextRows view={view} />
        <ContrastControl threshold={0.2} onThreshold={() => {}} locked={false} onLock={() => {}} topUsd={60e6} />
        <Tooltip info={info} x={10} y={40} />
      </div>,
      root,
    );
    const text = root.textContent!;
    for (const word of forbidden) expect(text).not.toMatch(word);
    // The legend's control speaks the same USD.
    expect(root.querySelector('[data-contrast="hidden"]')!.textContent).toBe('hides levels under $12M');
  });
});
