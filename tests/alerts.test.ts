/**
 * Alerts: the pure rule (strong pool within the warning distance, cooldown per pool, drift
 * tolerance) on made-up and on real estimated pools, and the background round over WXT's fake
 * browser: the alarm, notifications, alerts off, and cooldowns that survive a restart.
 */
import { fakeBrowser } from './support/fake-browser';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Pool } from '../src/engine/types';
import type { EstimateRequest, EstimateView } from '../src/messaging/contract';
import { ALERT_COOLDOWN_MS, alertMarket, checkAlerts, readCooldowns, STRONG_POOL_STRENGTH } from '../src/alerts/check';
import { ALERT_ALARM, runAlertCheck, startAlerts } from '../src/alerts/runner';
import { resetSettingsItem, saveSettings, setWatched } from '../src/settings/store';
import { runJob } from '../src/worker/api';
import { binance5m } from './support/recorded';

const BTC = { exchange: 'binance' as const, symbol: 'BTCUSDT' };
const T0 = Date.UTC(2026, 0, 1);

function pool(side: Pool['side'], peakPrice: number, strength: number, distanceAtr: number): Pool {
  const half = peakPrice * 0.001;
  return { side, priceLow: peakPrice - half, priceHigh: peakPrice + half, peakPrice, notionalUsd: 1e6, strength, distancePct: distanceAtr * 0.3, distanceAtr };
}

describe('checkAlerts', () => {
  const base = { market: BTC, price: 64_000, warningAtr: 1, cooldowns: [], now: T0 };

  it('alerts for a strong pool within the distance, not for weak or far ones', () => {
    const pools = [pool('short', 64_300, 8, 0.8), pool('long', 63_000, 9, -2.5), pool('long', 63_800, STRONG_POOL_STRENGTH - 1, -0.4)];
    const { alerts, cooldowns } = checkAlerts({ ...base, pools });
    expect(alerts.map((a) => a.pool.peakPrice)).toEqual([64_300]);
    expect(alerts[0]!.title).toBe('BTCUSDT · Binance: near an estimated short-liquidation pool');
    expect(alerts[0]!.message).toMatch(/^Price 64,000 is 0\.24 % \(0\.8 ATR\) from the edge of the pool at 64,236-64,364 \(centred near 64,300, strength 8\/10\)\. .*not a signal\.$/);
    expect(cooldowns).toEqual([{ ...BTC, side: 'short', peakPrice: 64_300, at: T0 }]);
  });

  it('a wider warning distance reaches the farther pool; inside a pool counts as distance 0', () => {
    const pools = [pool('long', 63_000, 9, -2.5), pool('short', 64_010, 7, 0)];
    const { alerts } = checkAlerts({ ...base, warningAtr: 3, pools });
    expect(alerts.map((a) => a.pool.side)).toEqual(['short', 'long']);
    expect(alerts[0]!.message).toMatch(/is inside the pool at 63,946-64,074 \(centred near 64,010, strength 7\/10\)/);
  });

  it('names the point its distance is measured to: the near edge of the pool named by its range, and the centre as the centre', () => {
    // A long pool 62,671-63,252 centred at 62,985 below a price of 63,300, ATR 96: its near edge
    // (63,252) is 0.08 % and 0.5 ATR away; the centre is 0.50 % away and is not the point measured.
    const below: Pool = {
      side: 'long',
      priceLow: 62_671,
      priceHigh: 63_252,
      peakPrice: 62_985,
      notionalUsd: 4e8,
      strength: 10,
      distancePct: ((63_252 - 63_300) / 63_300) * 100,
      distanceAtr: (63_252 - 63_300) / 96,
    };
    const [alert] = checkAlerts({ ...base, price: 63_300, pools: [below] }).alerts;
    expect(alert!.message).toBe(
      'Price 63,300 is 0.08 % (0.5 ATR) from the edge of the pool at 62,671-63,252 (centred near 62,985, strength 10/10). An estimate from public data, not a signal.',
    );
    const inside: Pool = { ...below, distancePct: 0, distanceAtr: 0 };
    expect(checkAlerts({ ...base, price: 63_000, pools: [inside] }).alerts[0]!.message).toBe(
      'Price 63,000 is inside the pool at 62,671-63,252 (centred near 62,985, strength 10/10). An estimate from public data, not a signal.',
    );
    // Prices as the panel writes them: five significant digits below 10,000 as well.
    const small: Pool = { side: 'short', priceLow: 2.4512, priceHigh: 2.4688, peakPrice: 2.4601, notionalUsd: 1e6, strength: 8, distancePct: ((2.4512 - 2.44) / 2.44) * 100, distanceAtr: 0.7 };
    expect(checkAlerts({ ...base, price: 2.44, pools: [small] }).alerts[0]!.message).toMatch(
      /^Price 2\.4400 is 0\.46 % \(0\.7 ATR\) from the edge of the pool at 2\.4512-2\.4688 \(centred near 2\.4601, strength 8\/10\)\./,
    );
  });

  it('stays quiet for the same pool during the cooldown, even when its peak drifts a little, and alerts again after it', () => {
    const first = checkAlerts({ ...base, pools: [pool('short', 64_300, 8, 0.8)] });
    const drifted = checkAlerts({ ...base, now: T0 + 60_000, cooldowns: first.cooldowns, pools: [pool('short', 64_400, 8, 0.7)] });
    expect(drifted.alerts).toEqual([]);
    expect(drifted.cooldowns).toEqual(first.cooldowns);
    // Another pool (over 0.5 % away), another side or another market is not covered by that cooldown.
    const other = checkAlerts({
      ...base,
      now: T0 + 60_000,
      cooldowns: first.cooldowns,
      pools: [pool('short', 64_700, 8, 0.9), pool('long', 63_900, 8, -0.2)],
    });
    expect(other.alerts).toHaveLength(2);
    expect(checkAlerts({ ...base, market: { exchange: 'bybit', symbol: 'BTCUSDT' }, cooldowns: first.cooldowns, pools: [pool('short', 64_300, 8, 0.8)] }).alerts).toHaveLength(1);
    const later = checkAlerts({ ...base, now: T0 + ALERT_COOLDOWN_MS, cooldowns: first.cooldowns, pools: [pool('short', 64_300, 8, 0.8)] });
    expect(later.alerts).toHaveLength(1);
    expect(later.cooldowns).toEqual([{ ...BTC, side: 'short', peakPrice: 64_300, at: T0 + ALERT_COOLDOWN_MS }]);
  });

  it('skips pools whose ATR distance is unknown', () => {
    expect(checkAlerts({ ...base, pools: [pool('short', 64_300, 9, Number.NaN)] }).alerts).toEqual([]);
  });

  it('on real estimated pools: the nearest strong pool alerts once its ATR distance is within the setting', () => {
    const recorded = binance5m();
    const out = runJob({ series: [{ ...recorded, bars: recorded.bars.slice(-864) }], heatmap: { columns: 72, rows: 60 } });
    const strong = out.pools.filter((p) => p.strength >= STRONG_POOL_STRENGTH && Number.isFinite(p.distanceAtr));
    expect(strong.length).toBeGreaterThan(0);
    const nearest = Math.min(...strong.map((p) => Math.abs(p.distanceAtr)));
    const input = { market: BTC, price: out.context.price, pools: out.pools, cooldowns: [], now: T0 };
    if (nearest > 0) expect(checkAlerts({ ...input, warningAtr: nearest * 0.9 }).alerts).toEqual([]);
    const hit = checkAlerts({ ...input, warningAtr: nearest + 0.01 });
    expect(hit.alerts.length).toBeGreaterThan(0);
    expect(Math.abs(hit.alerts[0]!.pool.distanceAtr)).toBeCloseTo(nearest, 9);
    // A trader can check the words against themselves: the percentage is the distance from the
    // price named to the nearer end of the range named.
    for (const alert of hit.alerts) {
      const words = /^Price ([\d,.]+) is (?:([\d.]+) % \([\d.]+ ATR\) from the edge of|inside) the pool at ([\d,.]+)-([\d,.]+) \(centred near ([\d,.]+), strength/.exec(alert.message);
      expect(words, alert.message).not.toBeNull();
      const [price, pct, low, high, centre] = [words![1], words![2], words![3], words![4], words![5]].map((x) => (x === undefined ? undefined : Number(x.replaceAll(',', ''))));
      expect(low! < centre! && centre! < high!).toBe(true);
      if (pct === undefined) {
        expect(price! >= low! && price! <= high!).toBe(true);
      } else {
        const edge = price! > high! ? high! : low!;
        expect(Math.abs(Math.abs(edge / price! - 1) * 100 - pct)).toBeLessThan(0.006);
      }
    }
  });

  it('alert ids name their market; stored cooldowns are read defensively', () => {
    const { alerts } = checkAlerts({ ...base, market: { exchange: 'okx', symbol: 'BTC-USDT-SWAP' }, pools: [pool('short', 64_300, 8, 0.8)] });
    expect(alertMarket(alerts[0]!.id)).toEqual({ exchange: 'okx', symbol: 'BTC-USDT-SWAP' });
    expect(alertMarket('liqlens|ftx|BTC|short|1')).toBeUndefined();
    expect(alertMarket('other|binance|BTCUSDT')).toBeUndefined();
    expect(readCooldowns([{ ...BTC, side: 'long', peakPrice: 1, at: 2 }, { ...BTC, side: 'up', peakPrice: 1, at: 2 }, null, 'x'])).toHaveLength(1);
    expect(readCooldowns('junk')).toEqual([]);
  });
});

describe('background alert rounds', () => {
  let now = T0;
  const requests: EstimateRequest[] = [];
  const view = (pools: Pool[]): EstimateView =>
    ({ ...BTC, lookback: '24h', computedAt: now, price: 64_000, pools, context: {}, heatmap: {} }) as unknown as EstimateView;
  let pools: Pool[] = [];
  const deps = {
    now: () => now,
    getEstimate: async (req: EstimateRequest) => {
      requests.push(req);
      return view(pools);
    },
  };

  beforeEach(() => {
    fakeBrowser.reset();
    resetSettingsItem();
    requests.length = 0;
    now = T0;
    pools = [pool('short', 64_300, 8, 0.8)];
  });

  it('registers a one-minute alarm once and re-checks watched markets when it fires', async () => {
    await setWatched(BTC, true);
    startAlerts(deps);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await fakeBrowser.alarms.get(ALERT_ALARM)).toMatchObject({ periodInMinutes: 1 });
    const before = await fakeBrowser.alarms.get(ALERT_ALARM);
    startAlerts(deps); // A service-worker restart keeps the running alarm.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await fakeBrowser.alarms.get(ALERT_ALARM)).toBe(before);
    // A browser restart that dropped the alarm: the startup event sets it again.
    await fakeBrowser.alarms.clearAll();
    await fakeBrowser.runtime.onStartup.trigger();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await fakeBrowser.alarms.get(ALERT_ALARM)).toMatchObject({ periodInMinutes: 1 });
    await fakeBrowser.alarms.onAlarm.trigger({ name: ALERT_ALARM, scheduledTime: now });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const shown = await fakeBrowser.notifications.getAll();
    expect(Object.keys(shown)).toHaveLength(1);
    expect(Object.values(shown)[0]).toMatchObject({ type: 'basic', title: expect.stringMatching(/BTCUSDT/) });
  });

  it('uses the settings for the estimate and the distance; nothing when alerts are off or nothing is watched', async () => {
    expect(await runAlertCheck(deps)).toEqual([]);
    expect(requests).toEqual([]);
    await setWatched(BTC, true);
    await saveSettings({ warningAtr: 0.5, lookback: '3d', leverage: { preset: 'aggressive', custom: [1, 1, 1, 1, 1, 1, 1, 1] } });
    expect(await runAlertCheck(deps)).toEqual([]); // 0.8 ATR away, beyond 0.5
    expect(requests[0]).toMatchObject({ ...BTC, lookback: '3d' });
    expect(requests[0]!.leverageWeights).toHaveLength(8);
    await saveSettings({ warningAtr: 1, alerts: false });
    expect(await runAlertCheck(deps)).toEqual([]);
    await saveSettings({ alerts: true });
    expect(await runAlertCheck(deps)).toHaveLength(1);
  });

  it('a restart (new service worker, storage kept) does not repeat an alert within its cooldown', async () => {
    await setWatched(BTC, true);
    const notified: string[] = [];
    const notify = async (alert: { id: string }) => {
      notified.push(alert.id);
    };
    expect(await runAlertCheck({ ...deps, notify })).toHaveLength(1);
    resetSettingsItem(); // as after a restart: items defined anew over the same storage
    now += 10 * 60_000;
    expect(await runAlertCheck({ ...deps, notify })).toEqual([]);
    now = T0 + ALERT_COOLDOWN_MS + 1;
    expect(await runAlertCheck({ ...deps, notify })).toHaveLength(1);
    expect(notified).toHaveLength(2);
  });

  it('one failing market does not stop the others', async () => {
    await setWatched({ exchange: 'okx', symbol: 'BTC-USDT-SWAP' }, true);
    await setWatched(BTC, true);
    const failing = {
      ...deps,
      notify: async () => {},
      getEstimate: async (req: EstimateRequest) => {
        if (req.exchange === 'okx') throw new Error('exchange unreachable');
        return view(pools);
      },
    };
    expect((await runAlertCheck(failing)).map((a) => a.market)).toEqual([BTC]);
  });

  it('clicking a notification opens the market on its exchange', async () => {
    startAlerts(deps);
    await fakeBrowser.notifications.onClicked.trigger('liqlens|okx|BTC-USDT-SWAP|short|64300.0');
    const tabs = await fakeBrowser.tabs.query({});
    expect(tabs.map((t) => t.url)).toContain('https://www.okx.com/trade-swap/btc-usdt-swap');
  });
});
