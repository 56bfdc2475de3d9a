/**
 * Pre-trade warnings citing real Hyperliquid levels: the stop's finding and the liquidation
 * price's finding name the largest real level of that side just beyond (or before) that price,
 * on the real levels of the recorded snapshot's accounts; nothing is cited without a warning, and
 * the citation adds no finding, severity or suggested value (a description of risk, not advice).
 */
import { describe, expect, it } from 'vitest';
import type { Pool } from '../src/engine/types';
import { buildLevelsView, type HeldState } from '../src/data/hyperliquid-positions/levels';
import { parseClearinghouseState } from '../src/data/hyperliquid-positions/parse';
import { formatUsd } from '../src/engine/usd-format';
import { formatPrice } from '../src/engine/price-format';
import type { RealLevel, RealLevelsView } from '../src/messaging/real-levels';
import { PROTOCOL_VERSION } from '../src/messaging/version';
import { checkOrder } from '../src/sites/check-order';
import { plannedOrder } from '../src/sites/order-check';
import { priceDecimals } from '../src/ui/format';
import { citeRealLevels } from '../src/ui/warnings/cite-real-levels';
import { watchOrderRealLevels } from '../src/ui/warnings/real-level-citations';
import { defaultDataDir } from '../test-support/replay-server';
import { positionsSnapshot } from '../test-support/replay-server/exchanges/hyperliquid-positions';
import { fakeRealLevelsPort } from './support/fake-real-levels-port';

const NOW = Date.now();
const MARK = 70_200;
const snapshot = positionsSnapshot(defaultDataDir());
const market = { exchange: 'binance' as const, symbol: 'BTCUSDT', base: 'BTC' };

/** The BTC levels of the recorded accounts (as the background builds them). */
function btcView(): RealLevelsView {
  const states = new Map<string, HeldState>();
  for (const address of snapshot.accounts.keys()) states.set(address, { state: parseClearinghouseState(snapshot.clearinghouseState(address), address), readAt: NOW - 60_000 });
  return buildLevelsView({ coin: 'BTC', followed: [...snapshot.accounts.keys()], states, asset: { markPx: MARK, openInterest: 38_000 }, leaderboardAt: NOW - 3_600_000 });
}

function pool(side: Pool['side'], priceLow: number, priceHigh: number, strength: number): Pool {
  return { side, priceLow, priceHigh, peakPrice: (priceLow + priceHigh) / 2, notionalUsd: strength * 1e6, strength, distancePct: 0, distanceAtr: 0 };
}

const view = btcView();
/** The largest long level under the mark: the one the tests place a stop just above. */
const target = view.levels.filter((l) => l.side === 'long' && l.price < MARK * 0.99).sort((a, b) => b.notionalUsd - a.notionalUsd)[0]!;
/** The largest long level from `entry` down to 1 % beyond `price`, found here independently of the code. */
const largestLong = (entry: number, price: number): RealLevel =>
  view.levels.filter((l) => l.side === 'long' && l.price < entry && l.price >= price * 0.99).sort((a, b) => b.notionalUsd - a.notionalUsd)[0]!;
/**
 * The citation's words, written out here: beyond the price, or between the entry and it ("just"
 * under 0.05 %), the level's price to about five significant digits of the entry as the finding
 * writes its prices.
 */
function words(level: RealLevel, entry: number, price: number, name: string): string {
  const pct = (100 * (price - level.price)) / price;
  const figure = Math.abs(pct) < 0.05 ? 'just' : `${Math.abs(pct).toFixed(1)} %`;
  const where = pct >= 0 ? `${figure} beyond ${name}` : `between your entry and ${name}, ${figure} before it`;
  return `A real ${formatUsd(level.notionalUsd)} long liquidation on Hyperliquid sits ${where} (${formatPrice(level.price, priceDecimals(entry))}).`;
}
const at20 = (entry: number) => ({ ...plannedOrder({ side: 'long', entry }, market)!, leverage: 20 });

describe('warnings citing real Hyperliquid levels', () => {
  it('the stop warning cites the largest real long liquidation just beyond the stop, and adds nothing else', () => {
    expect(view.levels.length).toBeGreaterThan(10);
    const stop = Math.round(target.price * 1.002);
    const order = plannedOrder({ side: 'long', entry: MARK, stop }, market)!;
    const risk = checkOrder(order, { price: MARK, atr: 400, pools: [pool('long', stop - 150, stop + 150, 8)] });
    const before = risk.findings.find((f) => f.kind === 'stop-in-hunt-zone')!;
    expect(before).toBeDefined();
    const cited = citeRealLevels(order, risk, view);
    const after = cited.findings.find((f) => f.kind === 'stop-in-hunt-zone')!;
    const level = largestLong(MARK, stop);
    expect(level.notionalUsd).toBeGreaterThanOrEqual(target.notionalUsd);
    expect(after.message).toBe(`${before.message} ${words(level, MARK, stop, 'your stop')}`);
    // A description of risk: same findings, severity and suggested stop; no advice in the words.
    expect(cited.findings.map((f) => [f.kind, f.severity, f.suggestedStop])).toEqual(risk.findings.map((f) => [f.kind, f.severity, f.suggestedStop]));
    expect(cited.severity).toBe(risk.severity);
    expect(after.message.slice(before.message.length)).not.toMatch(/\b(should|move|buy|sell|recommend)\b/i);
  });

  it("the liquidation-price warning cites the real level just beyond the order's own liquidation price", () => {
    // The order's liquidation price at 20x as a share of its entry, then the entry whose
    // liquidation price sits just above the target level.
    const ratio = checkOrder(at20(MARK), { price: MARK, atr: 400, pools: [] }).liquidationPrice! / MARK;
    const entry = Math.round((target.price * 1.003) / ratio);
    const order = at20(entry);
    const liquidation = checkOrder(order, { price: entry, atr: 400, pools: [] }).liquidationPrice!;
    expect(liquidation).toBeGreaterThan(target.price);
    expect(liquidation).toBeLessThan(target.price * 1.01);
    const risk = checkOrder(order, { price: entry, atr: 400, pools: [pool('long', liquidation - 150, liquidation + 150, 7)] });
    const before = risk.findings.find((f) => f.kind === 'liquidation-in-pool')!;
    expect(before).toBeDefined();
    const after = citeRealLevels(order, risk, view).findings.find((f) => f.kind === 'liquidation-in-pool')!;
    expect(after.message).toBe(`${before.message} ${words(largestLong(entry, liquidation), entry, liquidation, 'your estimated liquidation price')}`);
  });

  it('cites nothing without a warning, without a level in reach, or without levels', () => {
    const order = plannedOrder({ side: 'long', entry: MARK, stop: MARK - 100 }, market)!;
    const calm = checkOrder(order, { price: MARK, atr: 400, pools: [] });
    expect(calm.findings).toHaveLength(0);
    expect(citeRealLevels(order, calm, view)).toBe(calm);
    // A stop warning with no real long level between the entry and 1 % beyond the stop.
    const empty = { levels: view.levels.filter((l) => l.side === 'short') };
    const risk = checkOrder(order, { price: MARK, atr: 400, pools: [pool('long', MARK - 250, MARK - 50, 8)] });
    expect(risk.findings.some((f) => f.kind === 'stop-in-hunt-zone')).toBe(true);
    expect(citeRealLevels(order, risk, empty)).toBe(risk);
    expect(citeRealLevels(order, risk, undefined)).toBe(risk);
  });

  it("follows the coin on screen over the real-levels port and checks again when levels arrive; the port closes with the market", async () => {
    const port = fakeRealLevelsPort(view);
    const controller = new AbortController();
    let changes = 0;
    const real = watchOrderRealLevels({ exchange: 'binance', symbol: 'BTCUSDT', signal: controller.signal, onChange: () => changes++, connect: port.connect });
    const stop = Math.round(target.price * 1.002);
    const order = plannedOrder({ side: 'long', entry: MARK, stop }, market)!;
    const risk = checkOrder(order, { price: MARK, atr: 400, pools: [pool('long', stop - 150, stop + 150, 8)] });
    expect(citeRealLevels(order, risk, real.levels())).toBe(risk);
    await new Promise((r) => setTimeout(r, 0));
    expect(port.sent[0]).toEqual({ type: 'watch', version: PROTOCOL_VERSION, coin: 'BTC' });
    expect(changes).toBe(1);
    expect(citeRealLevels(order, risk, real.levels()).findings.find((f) => f.kind === 'stop-in-hunt-zone')?.message).toMatch(/A real \$[\d.]+[kMB]? long liquidation on Hyperliquid sits \d+\.\d % beyond your stop/);
    controller.abort();
    expect(port.disconnected()).toBe(true);
  });
});
