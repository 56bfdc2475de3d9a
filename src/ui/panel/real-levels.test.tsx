/**
 * The real-levels layer in the panel (linkedom): real Hyperliquid levels of the recorded
 * snapshot's accounts for the coin on screen on a Binance and a Hyperliquid page, the nearest
 * above and below with size, leverage and a shortened account, the words, the marks on the price
 * axis sized by notional, and the port closed when the panel goes.
 */
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { installDom } from '../../../tests/support/dom';
import { fakeRealLevelsPort } from '../../../tests/support/fake-real-levels-port';
import type { EstimateView } from '../../messaging/contract';
import { PROTOCOL_VERSION } from '../../messaging/version';
import type { RealLevelsView } from '../../messaging/real-levels';
import { buildLevelsView, type HeldState } from '../../data/hyperliquid-positions/levels';
import { parseClearinghouseState } from '../../data/hyperliquid-positions/parse';
import { realLevelMarks } from '../../render/real-levels';
import { defaultDataDir } from '../../../test-support/replay-server';
import { positionsSnapshot } from '../../../test-support/replay-server/exchanges/hyperliquid-positions';
import { Panel } from '../Panel';
import { inWatchedUnit } from '../../data/hyperliquid-positions/hub';
import { fmtPrice } from '../format';
import { coinOnScreen, RealLevelMarks, realLevelsWords, shortAccount } from './real-levels';

const { newRoot } = installDom();
let root: HTMLElement;

const NOW = Date.now();
const snapshot = positionsSnapshot(defaultDataDir());

/** The BTC view of the recorded accounts, read 2 minutes ago, with an assumed open interest. */
function btcView(): RealLevelsView {
  const states = new Map<string, HeldState>();
  for (const address of snapshot.accounts.keys()) states.set(address, { state: parseClearinghouseState(snapshot.clearinghouseState(address), address), readAt: NOW - 2 * 60_000 });
  return buildLevelsView({ coin: 'BTC', followed: [...snapshot.accounts.keys()], states, asset: { markPx: 70_200, openInterest: 38_000 }, leaderboardAt: NOW - 3_600_000 });
}

/** kPEPE's view of the recorded accounts, at its implied mark (0.004953) and an assumed open interest. */
function kpepeView(): RealLevelsView {
  const states = new Map<string, HeldState>();
  for (const address of snapshot.accounts.keys()) states.set(address, { state: parseClearinghouseState(snapshot.clearinghouseState(address), address), readAt: NOW - 2 * 60_000 });
  return buildLevelsView({ coin: 'kPEPE', followed: [...snapshot.accounts.keys()], states, asset: { markPx: 0.004953, openInterest: 4e9 }, leaderboardAt: NOW - 3_600_000 });
}

function estimate(exchange: EstimateView['exchange'], symbol: string, price = 70_200): EstimateView {
  const scale = price / 70_200;
  return {
    exchange,
    symbol,
    lookback: '24h',
    computedAt: NOW,
    price,
    pools: [],
    context: {
      timestamp: NOW,
      price,
      funding: 0.0001,
      fundingZ: 0,
      crowdedSide: 'long',
      openInterestUsd: 5e9,
      openInterestChange: { h1: 0, h4: 0, h24: 0 },
      trend: 'flat',
      trendChangePct: 0, trendWindowMs: 3_600_000,
      reliability: { score: 0.6, reasons: [] },
    },
    heatmap: { columns: 2, rows: 2, firstTimestamp: NOW - 7_200_000, columnMs: 3_600_000, priceLow: 60_000 * scale, priceHigh: 80_000 * scale, maxCellUsd: 1e6, intensity: [0, 255, 128, 1] },
  };
}

async function until(check: () => boolean, ms = 2_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out: ${root.innerHTML.slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const $ = (selector: string) => root.querySelector(selector);

describe('real levels in the panel', () => {
  for (const [exchange, symbol] of [['binance', 'BTCUSDT'], ['hyperliquid', 'BTC']] as const) {
    it(`shows the real BTC levels on the ${exchange} page: nearest above and below, and the words`, async () => {
      const real = btcView();
      const port = fakeRealLevelsPort(real);
      const controller = new AbortController();
      root = newRoot();
      render(<Panel exchange={exchange} symbol={symbol} signal={controller.signal} site="test" layoutStore={{ getValue: async () => ({}), setValue: async () => {} }} status={async () => ({ version: '1', markets: [] })} load={async () => estimate(exchange, symbol)} realLevels={port.connect} />, root);
      await until(() => $('[data-real="words"]') !== null);
      expect(port.sent[0]).toEqual({ type: 'watch', version: PROTOCOL_VERSION, coin: 'BTC' });
      expect(real.holders).toBe(236);
      const pct = ((100 * real.notionalUsd) / (38_000 * 70_200)).toFixed(1);
      expect($('[data-real="words"]')?.textContent).toBe(`Real positions of 236 large Hyperliquid accounts, $${(real.notionalUsd / 1e6).toFixed(0)}M = ${pct} % of Hyperliquid's open interest in BTC, updated 2 min ago.`);
      // The nearest recorded levels around 70,200.
      const above = real.levels.filter((l) => l.price >= 70_200).sort((a, b) => a.price - b.price)[0]!;
      const below = real.levels.filter((l) => l.price < 70_200).sort((a, b) => b.price - a.price)[0]!;
      const aboveText = $('[data-real="above"]')?.textContent ?? '';
      expect(aboveText).toContain(`${above.side} liq. ${Math.round(above.price).toLocaleString('en-US')}`);
      expect(aboveText).toContain(`${above.leverage}x ${above.marginType} · ${shortAccount(above.account)}`);
      expect($('[data-real="below"]')?.textContent).toContain(`· ${shortAccount(below.account)}`);
      // Distances are signed with a true minus, as in the pool lines.
      expect($('[data-real="below"]')?.textContent).toMatch(/ \(−\d+\.\d %\) · /);
      expect(aboveText).toMatch(/ \(\+\d+\.\d %\) · /);
      expect(shortAccount(below.account)).toMatch(/^0x[0-9a-f]{4}…[0-9a-f]{4}$/);
      controller.abort();
      expect(port.disconnected()).toBe(false);
      render(null, root);
      // Passive effects clean up after paint: the port closes, so the background can stop polling.
      await until(() => port.disconnected());
    });
  }

  // OKX and Bitget quote 1 PEPE; Hyperliquid lists kPEPE (1,000 PEPE): the background answers the
  // watch for PEPE with kPEPE's levels per PEPE. Binance's 1000PEPEUSDT and Hyperliquid's own page
  // quote kPEPE's unit and get its prices as they are.
  for (const [exchange, symbol, watched, price] of [
    ['okx', 'PEPE-USDT-SWAP', 'PEPE', 0.000004953],
    ['bitget', 'PEPEUSDT', 'PEPE', 0.000004953],
    ['binance', '1000PEPEUSDT', 'kPEPE', 0.004953],
    ['hyperliquid', 'kPEPE', 'kPEPE', 0.004953],
  ] as const) {
    it(`shows kPEPE's real levels on the ${exchange} ${symbol} page in its unit`, async () => {
      const kpepe = kpepeView();
      const perPage = watched === 'PEPE' ? inWatchedUnit(kpepe, 'PEPE', 1 / 1000) : kpepe;
      const port = fakeRealLevelsPort(perPage);
      const controller = new AbortController();
      root = newRoot();
      render(<Panel exchange={exchange} symbol={symbol} signal={controller.signal} site="test" layoutStore={{ getValue: async () => ({}), setValue: async () => {} }} status={async () => ({ version: '1', markets: [] })} load={async () => estimate(exchange, symbol, price)} realLevels={port.connect} />, root);
      await until(() => $('[data-real="words"]') !== null);
      expect(port.sent[0]).toEqual({ type: 'watch', version: PROTOCOL_VERSION, coin: watched });
      const pct = ((100 * kpepe.notionalUsd) / (4e9 * 0.004953)).toFixed(1);
      const unit = watched === 'PEPE' ? ' in kPEPE (listed per 1,000 PEPE; prices shown per PEPE)' : '';
      expect($('[data-real="words"]')?.textContent).toBe(`Real positions of ${kpepe.holders} large Hyperliquid accounts${unit}, $${(kpepe.notionalUsd / 1e6).toFixed(2)}M = ${pct} % of Hyperliquid's open interest in kPEPE, updated 2 min ago.`);
      // The recorded short liquidation at 0.0052297293 per kPEPE, 5.6 % above the mark, in the page's unit.
      const above = watched === 'PEPE' ? 0.0000052297293 : 0.0052297293;
      expect($('[data-real="above"]')?.textContent).toContain(`▲ short liq. ${fmtPrice(above)} (+5.6 %) · $105k · `);
      expect($('[data-real="below"]')?.textContent).toBe('▼ no real level within 20 % below');
      // Every mark in the chart's range (the kPEPE levels within ±14 % of the mark, per page unit).
      const inRange = perPage.levels.filter((l) => l.price >= (60_000 / 70_200) * price && l.price <= (80_000 / 70_200) * price).length;
      expect(inRange).toBeGreaterThan(0);
      await until(() => $('canvas.real-marks') !== null);
      expect(Number($('canvas.real-marks')?.getAttribute('data-real-levels'))).toBe(inRange);
      controller.abort();
      render(null, root);
    });
  }

  it('marks the levels on the price axis, sized by notional, only inside the chart range', () => {
    const real = btcView();
    root = newRoot();
    render(<RealLevelMarks view={real} priceLow={60_000} priceHigh={80_000} plot={{ x: 0, y: 10, width: 300, height: 200 }} width={340} height={220} theme="dark" />, root);
    const inRange = real.levels.filter((l) => l.price >= 60_000 && l.price <= 80_000).length;
    expect(inRange).toBeGreaterThan(3);
    expect(Number($('canvas.real-marks')?.getAttribute('data-real-levels'))).toBe(inRange);
    const marks = realLevelMarks(real.levels, { priceLow: 60_000, priceHigh: 80_000, plotY: 10, plotHeight: 200, maxLength: 48 });
    // Largest first, length by the square root of the notional.
    expect(marks[0]!.length).toBe(48);
    const last = marks.at(-1)!;
    expect(last.length).toBe(Math.max(3, Math.round(48 * Math.sqrt(last.notionalUsd / marks[0]!.notionalUsd))));
    expect(marks.every((m) => m.y >= 10 && m.y < 210)).toBe(true);
  });

  it('words while reading, without holders, without open interest', () => {
    const base = btcView();
    expect(realLevelsWords({ ...base, read: 0 }, NOW)).toBe('Reading the positions of 547 large Hyperliquid accounts…');
    expect(realLevelsWords({ ...base, holders: 0, coin: 'XYZ' }, NOW)).toBe('No position in XYZ among 547 large Hyperliquid accounts.');
    const { openInterestUsd: _oi, ...noOi } = base;
    // A few accounts read out of many: a share that rounds to 0.0 % is said as under 0.1 %.
    const few = { ...base, read: 3, notionalUsd: 4.72e6, openInterestUsd: 13e9 };
    expect(realLevelsWords(few, NOW)).toBe("Real positions of 236 large Hyperliquid accounts, $4.72M = under 0.1 % of Hyperliquid's open interest in BTC, updated 2 min ago (3 of 547 accounts read so far).");
    expect(realLevelsWords({ ...few, notionalUsd: 13e6 }, NOW)).toContain('$13M = 0.1 % of');
    expect(realLevelsWords({ ...noOi, read: 300 }, NOW)).toMatch(/^Real positions of 236 large Hyperliquid accounts, \$\d+M in BTC, updated 2 min ago \(300 of 547 accounts read so far\)\.$/);
  });

  it('finds the Hyperliquid coin of the market on every exchange', () => {
    expect(coinOnScreen('binance', 'BTCUSDT')).toBe('BTC');
    expect(coinOnScreen('okx', 'ETH-USDT-SWAP')).toBe('ETH');
    expect(coinOnScreen('bybit', '1000PEPEUSDT')).toBe('kPEPE');
    expect(coinOnScreen('hyperliquid', 'kPEPE')).toBe('kPEPE');
    expect(coinOnScreen('okx', 'BTC-USD-SWAP')).toBeUndefined();
  });
});
