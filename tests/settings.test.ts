/**
 * Settings in versioned storage: every earlier schema version migrates to the current one without
 * losing a setting, unreadable fields fall back one by one with a notice, changes survive a new
 * read, and the leverage preset reaches the estimate request.
 */
import { fakeBrowser } from './support/fake-browser';
import { beforeEach, describe, expect, it } from 'vitest';
import { LEVERAGE_TIERS } from '../src/messaging/contract';
import { REQUEST_VALIDATORS } from '../src/messaging/contract';
import { migrateV1toV2, SETTINGS_MIGRATIONS, type SettingsV1 } from '../src/settings/migrations';
import { estimateRequestFor } from '../src/settings/request';
import { DEFAULT_SETTINGS, PRESET_WEIGHTS, readSettings, SETTINGS_VERSION, type Settings } from '../src/settings/schema';
import {
  getSettings,
  getWatchlist,
  loadSettings,
  MAX_WATCHES,
  resetSettingsItem,
  saveSettings,
  setWatched,
  watchSettings,
} from '../src/settings/store';

const V1_CUSTOMISED: SettingsV1 = {
  exchanges: ['bybit', 'okx'],
  lookback: '7d',
  leveragePreset: 'aggressive',
  warningAtr: 0.5,
  alertsEnabled: false,
  theme: 'light',
};

/** Stores `value` as schema version `version` wrote it (WXT keeps the version in `settings$`). */
async function seed(value: unknown, version: number | undefined): Promise<void> {
  await fakeBrowser.storage.sync.set({ settings: value });
  if (version !== undefined) await fakeBrowser.storage.sync.set({ settings$: { v: version } });
}

beforeEach(() => {
  fakeBrowser.reset();
  resetSettingsItem();
});

describe('migrations', () => {
  it('there is one migration per version step up to the current one', () => {
    for (let v = 2; v <= SETTINGS_VERSION; v++) expect(typeof SETTINGS_MIGRATIONS[v]).toBe('function');
    expect(Object.keys(SETTINGS_MIGRATIONS).map(Number).sort()).toEqual(Array.from({ length: SETTINGS_VERSION - 1 }, (_, i) => i + 2));
  });

  it('version 1 (stored without a version mark, as the first schema wrote it) keeps every setting', async () => {
    await seed(V1_CUSTOMISED, undefined);
    const { settings, notices } = await loadSettings();
    expect(notices).toEqual([]);
    expect(settings).toEqual<Settings>({
      exchanges: ['bybit', 'okx'],
      lookback: '7d',
      timeframe: 'auto',
      leverage: { preset: 'aggressive', custom: PRESET_WEIGHTS.aggressive },
      warningAtr: 0.5,
      alerts: false,
      theme: 'light',
      // Added later: its default.
      hyperliquidWeight: DEFAULT_SETTINGS.hyperliquidWeight,
      contrast: DEFAULT_SETTINGS.contrast,
      lockScale: false,
    });
    // Written back in the current shape with the current version.
    const raw = await fakeBrowser.storage.sync.get(['settings', 'settings$']);
    expect(raw['settings$']).toEqual({ v: SETTINGS_VERSION });
    expect(raw['settings']).not.toHaveProperty('alertsEnabled');
    expect(raw['settings']).not.toHaveProperty('leveragePreset');
  });

  it('version 1 with an explicit version mark migrates the same way', async () => {
    await seed({ ...V1_CUSTOMISED, leveragePreset: 'conservative', alertsEnabled: true }, 1);
    const settings = await getSettings();
    expect(settings.leverage).toEqual({ preset: 'conservative', custom: PRESET_WEIGHTS.conservative });
    expect(settings.alerts).toBe(true);
    expect(settings.exchanges).toEqual(['bybit', 'okx']);
  });

  it('every field of version 1 survives, whichever single field the user changed from the default', async () => {
    const variants: Partial<SettingsV1>[] = [
      { exchanges: ['hyperliquid'] },
      { lookback: '30d' },
      { leveragePreset: 'conservative' },
      { warningAtr: 2.5 },
      { alertsEnabled: false },
      { theme: 'dark' },
    ];
    const base: SettingsV1 = {
      exchanges: [...DEFAULT_SETTINGS.exchanges],
      lookback: DEFAULT_SETTINGS.lookback,
      leveragePreset: 'default',
      warningAtr: DEFAULT_SETTINGS.warningAtr,
      alertsEnabled: DEFAULT_SETTINGS.alerts,
      theme: DEFAULT_SETTINGS.theme,
    };
    for (const variant of variants) {
      fakeBrowser.reset();
      resetSettingsItem();
      const v1 = { ...base, ...variant };
      await seed(v1, 1);
      const { settings, notices } = await loadSettings();
      expect(notices).toEqual([]);
      expect(settings.exchanges).toEqual(v1.exchanges);
      expect(settings.lookback).toBe(v1.lookback);
      expect(settings.leverage.preset).toBe(v1.leveragePreset);
      expect(settings.warningAtr).toBe(v1.warningAtr);
      expect(settings.alerts).toBe(v1.alertsEnabled);
      expect(settings.theme).toBe(v1.theme);
    }
  });

  it('a version 1 value the migration does not understand is kept for the reader, not dropped', () => {
    expect(migrateV1toV2({ leveragePreset: 'yolo', theme: 'light' })).toEqual({
      leverage: { preset: 'yolo', custom: PRESET_WEIGHTS.default },
      theme: 'light',
      timeframe: 'auto',
    });
    expect(migrateV1toV2('garbage')).toBe('garbage');
    const read = readSettings(migrateV1toV2({ leveragePreset: 'yolo', theme: 'light' }));
    expect(read.settings.theme).toBe('light');
    expect(read.notices).toHaveLength(1);
    expect(read.notices[0]).toMatch(/^Leverage weights:/);
  });

  it('a current-version value is read as it is', async () => {
    const current: Settings = { ...DEFAULT_SETTINGS, lookback: '3d', timeframe: '15m' };
    await seed(current, SETTINGS_VERSION);
    expect(await getSettings()).toEqual(current);
  });
});

describe('reading', () => {
  it('nothing stored: the defaults, no notice', async () => {
    expect(await loadSettings()).toEqual({ settings: DEFAULT_SETTINGS, notices: [] });
  });

  it('an unreadable field falls back alone, with a notice; the rest is kept', () => {
    const read = readSettings({
      ...DEFAULT_SETTINGS,
      lookback: '7d',
      theme: 'dark',
      warningAtr: Number.NaN,
      exchanges: ['binance', 'ftx'],
      leverage: { preset: 'custom', custom: [1, 2, 3] },
    });
    expect(read.settings.lookback).toBe('7d');
    expect(read.settings.theme).toBe('dark');
    expect(read.settings.warningAtr).toBe(DEFAULT_SETTINGS.warningAtr);
    expect(read.settings.exchanges).toEqual(DEFAULT_SETTINGS.exchanges);
    expect(read.settings.leverage).toEqual(DEFAULT_SETTINGS.leverage);
    expect(read.notices).toHaveLength(3);
    expect(read.notices.join('\n')).toMatch(/Warning distance.*\n.*Exchanges|Exchanges[\s\S]*Warning distance/);
  });

  it('a stored value that is not an object: defaults with one notice', () => {
    expect(readSettings('oops')).toEqual({ settings: DEFAULT_SETTINGS, notices: ['The stored settings were unreadable; using the defaults.'] });
  });

  it('reads the Hyperliquid request share within 20..600 weight a minute (default 300), else its default with a notice', () => {
    expect(DEFAULT_SETTINGS.hyperliquidWeight).toBe(300);
    expect(readSettings({ ...DEFAULT_SETTINGS, hyperliquidWeight: 120 }).settings.hyperliquidWeight).toBe(120);
    for (const bad of [10, 601, 99.5, '300']) {
      const read = readSettings({ ...DEFAULT_SETTINGS, hyperliquidWeight: bad });
      expect(read.settings.hyperliquidWeight).toBe(300);
      expect(read.notices).toEqual(['Hyperliquid request share: the stored value was unreadable; using the default (300).']);
    }
  });

  it('saving one field leaves an unreadable other field as stored (nothing is wiped)', async () => {
    await seed({ ...DEFAULT_SETTINGS, theme: 'purple', lookback: '3d' }, SETTINGS_VERSION);
    await saveSettings({ alerts: false });
    const raw = (await fakeBrowser.storage.sync.get('settings'))['settings'];
    expect(raw).toMatchObject({ theme: 'purple', lookback: '3d', alerts: false });
    const { settings, notices } = await loadSettings();
    expect(settings).toMatchObject({ theme: 'system', lookback: '3d', alerts: false });
    expect(notices).toHaveLength(1);
  });
});

describe('saving and watching', () => {
  it('a saved change is there on the next read (a new page) and reaches watchers', async () => {
    const seen: Settings[] = [];
    const stop = watchSettings((s) => seen.push(s));
    await saveSettings({ theme: 'light', leverage: { preset: 'custom', custom: [1, 1, 1, 1, 0, 0, 0, 0] } });
    stop();
    resetSettingsItem();
    const settings = await getSettings();
    expect(settings.theme).toBe('light');
    expect(settings.leverage.custom).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
    expect(seen.at(-1)?.theme).toBe('light');
  });

  it('an invalid change is refused and nothing is written', async () => {
    await saveSettings({ lookback: '3d' });
    await expect(saveSettings({ warningAtr: 99 })).rejects.toThrow(/Warning distance/);
    await expect(saveSettings({ leverage: { preset: 'custom', custom: [0, 0, 0, 0, 0, 0, 0, 0] } })).rejects.toThrow(/Leverage/);
    expect((await getSettings()).lookback).toBe('3d');
    expect((await getSettings()).warningAtr).toBe(DEFAULT_SETTINGS.warningAtr);
  });
});

describe('estimate requests', () => {
  it('the default preset sends no weights; the others send a valid weight per tier', () => {
    const market = { exchange: 'binance' as const, symbol: 'BTCUSDT' };
    expect(estimateRequestFor(market, DEFAULT_SETTINGS)).toEqual({ exchange: 'binance', symbol: 'BTCUSDT', lookback: '24h' });
    for (const preset of ['conservative', 'aggressive'] as const) {
      const req = estimateRequestFor(market, { ...DEFAULT_SETTINGS, timeframe: '15m', leverage: { preset, custom: PRESET_WEIGHTS.default } });
      expect(req.leverageWeights).toEqual(PRESET_WEIGHTS[preset]);
      expect(req.leverageWeights).toHaveLength(LEVERAGE_TIERS.length);
      expect(req.timeframe).toBe('15m');
      expect(REQUEST_VALIDATORS.getEstimate(req, 'payload').ok).toBe(true);
    }
  });

  it('the contract refuses malformed weights', () => {
    const base = { exchange: 'binance', symbol: 'BTCUSDT', lookback: '24h' };
    for (const leverageWeights of [[1, 2], 'x', [1, 1, 1, 1, 1, 1, 1, -1], [0, 0, 0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1, Number.NaN]]) {
      expect(REQUEST_VALIDATORS.getEstimate({ ...base, leverageWeights }, 'payload').ok).toBe(false);
    }
  });
});

describe('watch list', () => {
  it('adds, removes, keeps order, refuses more than the maximum and survives a new read', async () => {
    await setWatched({ exchange: 'binance', symbol: 'BTCUSDT' }, true);
    await setWatched({ exchange: 'okx', symbol: 'ETH-USDT-SWAP' }, true);
    await setWatched({ exchange: 'binance', symbol: 'BTCUSDT' }, true);
    resetSettingsItem();
    expect(await getWatchlist()).toEqual([
      { exchange: 'binance', symbol: 'BTCUSDT' },
      { exchange: 'okx', symbol: 'ETH-USDT-SWAP' },
    ]);
    await setWatched({ exchange: 'binance', symbol: 'BTCUSDT' }, false);
    expect(await getWatchlist()).toEqual([{ exchange: 'okx', symbol: 'ETH-USDT-SWAP' }]);
    for (let i = 0; i < MAX_WATCHES - 1; i++) await setWatched({ exchange: 'binance', symbol: `X${i}USDT` }, true);
    await expect(setWatched({ exchange: 'binance', symbol: 'ONEMOREUSDT' }, true)).rejects.toThrow(/at most/);
    expect(await getWatchlist()).toHaveLength(MAX_WATCHES);
  });

  it('skips malformed stored entries', async () => {
    await fakeBrowser.storage.local.set({ watchlist: [{ exchange: 'binance', symbol: 'BTCUSDT' }, { exchange: 'ftx', symbol: 'X' }, 'junk', { exchange: 'okx', symbol: '<b>' }] });
    expect(await getWatchlist()).toEqual([{ exchange: 'binance', symbol: 'BTCUSDT' }]);
  });
});

describe('version 2 -> 3: the heatmap contrast and lock scale', () => {
  it('keeps every version 2 setting and adds the contrast and lock at their defaults', async () => {
    const v2 = { exchanges: ['okx'], lookback: '3d', timeframe: '15m', leverage: { preset: 'custom', custom: PRESET_WEIGHTS.aggressive }, warningAtr: 1.5, alerts: false, theme: 'dark' };
    await seed(v2, 2);
    const { settings, notices } = await loadSettings();
    expect(notices).toEqual([]);
    expect(settings).toEqual({ ...v2, contrast: DEFAULT_SETTINGS.contrast, lockScale: false, hyperliquidWeight: DEFAULT_SETTINGS.hyperliquidWeight });
    const raw = await fakeBrowser.storage.sync.get(['settings', 'settings$']);
    expect(raw['settings$']).toEqual({ v: 3 });
    expect(raw['settings']).toMatchObject({ contrast: DEFAULT_SETTINGS.contrast, lockScale: false });
  });

  it('remembers a chosen contrast and lock, and refuses values outside the control', async () => {
    await saveSettings({ contrast: 0.35, lockScale: true });
    resetSettingsItem();
    expect(await getSettings()).toMatchObject({ contrast: 0.35, lockScale: true });
    await expect(saveSettings({ contrast: 0.9 })).rejects.toThrow(/contrast/i);
    expect(readSettings({ contrast: -1, lockScale: 'yes' }).notices).toHaveLength(2);
  });
});
