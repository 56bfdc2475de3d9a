/**
 * The background's answer to `prepareEstimate`, read once: its settings are the panel's first
 * only when the answer is a well-formed one of this protocol with fully readable settings (raced
 * with the panel's own storage read), its estimate only when view and request are well-formed.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { firstSettings, readPreparedAnswer } from '../src/content/prepared-answer';
import type { EstimateView, HeatmapView, LatestMapView } from '../src/messaging/contract';
import { PROTOCOL_VERSION } from '../src/messaging/version';
import { DEFAULT_SETTINGS, type Settings } from '../src/settings/schema';

const USER: Settings = { ...DEFAULT_SETTINGS, lookback: '7d', theme: 'light' };
const answer = (settings: unknown) => ({
  ok: true,
  version: PROTOCOL_VERSION,
  type: 'prepareEstimate',
  result: { request: { exchange: 'binance', symbol: 'BTCUSDT', lookback: '7d' }, settings },
});
const never = new Promise<never>(() => {});
const preparedSettings = async (raw: Promise<unknown>) => (await readPreparedAnswer(raw)).settings;
const preparedView = async (raw: Promise<unknown>) => (await readPreparedAnswer(raw)).first;

describe('readPreparedAnswer: settings', () => {
  it("takes the user's settings from a well-formed answer", async () => {
    expect(await preparedSettings(Promise.resolve(answer(USER)))).toEqual(USER);
  });

  it('ignores answers that are not usable', async () => {
    for (const bad of [
      answer({ ...USER, lookback: 'forever' }),
      answer('settings'),
      answer(undefined),
      { ...answer(USER), version: PROTOCOL_VERSION + 1 },
      { ...answer(USER), type: 'ping' },
      { ok: false, version: PROTOCOL_VERSION, error: { code: 'internal', message: 'no settings' } },
      undefined,
    ]) {
      expect(await preparedSettings(Promise.resolve(bad))).toBeUndefined();
    }
    await expect(preparedSettings(Promise.reject(new Error('no receiver')))).rejects.toThrow('no receiver');
  });
});

describe('firstSettings', () => {
  it('takes the prepared settings when they come first, the read ones otherwise', async () => {
    expect(await firstSettings(Promise.resolve(USER), never)).toEqual(USER);
    expect(await firstSettings(never, Promise.resolve(DEFAULT_SETTINGS))).toEqual(DEFAULT_SETTINGS);
    // An unusable answer waits for the read.
    expect(await firstSettings(Promise.resolve(undefined), Promise.resolve(DEFAULT_SETTINGS))).toEqual(DEFAULT_SETTINGS);
    expect(await firstSettings(Promise.reject(new Error('late')), Promise.resolve(DEFAULT_SETTINGS))).toEqual(DEFAULT_SETTINGS);
  });

  it("fails with the read's error only when the answer brought no settings either", async () => {
    const failed = Promise.reject(new Error('storage unavailable'));
    expect(await firstSettings(Promise.resolve(USER), failed)).toEqual(USER);
    await expect(firstSettings(Promise.resolve(undefined), Promise.reject(new Error('storage unavailable')))).rejects.toThrow('storage unavailable');
    await expect(firstSettings(Promise.reject(new Error('late')), Promise.reject(new Error('storage unavailable')))).rejects.toThrow('storage unavailable');
  });
});

describe('readPreparedAnswer: estimate', () => {
  // The background's view of the recorded Binance day (the golden images' fixture) as a view.
  const fixture = JSON.parse(readFileSync(new URL('./golden/binance-btcusdt-24h.view.json', import.meta.url), 'utf8')) as { price: number; heatmap: HeatmapView; latestMap: LatestMapView };
  const view: EstimateView = {
    exchange: 'binance',
    symbol: 'BTCUSDT',
    lookback: '24h',
    computedAt: Date.UTC(2026, 5, 22),
    price: fixture.price,
    pools: [],
    context: { timestamp: Date.UTC(2026, 5, 22), price: fixture.price, openInterestUsd: 5e9, openInterestChange: {}, trend: 'flat', trendChangePct: 0, trendWindowMs: 3_600_000, reliability: { score: 0.7, reasons: [] } },
    heatmap: fixture.heatmap,
    latestMap: fixture.latestMap,
  };
  const request = { exchange: 'binance', symbol: 'BTCUSDT', lookback: '24h' };
  const withView = (result: Record<string, unknown>) => ({ ok: true, version: PROTOCOL_VERSION, type: 'prepareEstimate', result });

  it('takes the estimate that came with the answer, with its request', async () => {
    const prepared = await preparedView(Promise.resolve(withView({ request, settings: DEFAULT_SETTINGS, view })));
    expect(prepared?.request).toEqual(request);
    expect(prepared?.view.heatmap.intensity).toHaveLength(view.heatmap.columns * view.heatmap.rows);
  });

  it('has none for an answer without a view, a malformed view or request, or a view of another market', async () => {
    for (const result of [
      { request, settings: DEFAULT_SETTINGS },
      { request, settings: DEFAULT_SETTINGS, view: { ...view, heatmap: { ...view.heatmap, intensity: view.heatmap.intensity.slice(1) } } },
      { request, settings: DEFAULT_SETTINGS, view: { ...view, price: 'high' } },
      { request: { ...request, lookback: 'forever' }, settings: DEFAULT_SETTINGS, view },
      { request: { ...request, symbol: 'ETHUSDT' }, settings: DEFAULT_SETTINGS, view },
    ]) {
      expect(await preparedView(Promise.resolve(withView(result)))).toBeUndefined();
    }
  });
});
