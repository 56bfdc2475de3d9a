/**
 * The user's settings: their current shape, defaults, and a field-by-field reader. A stored value
 * that fails its check falls back to that field's default with a notice; the other fields keep
 * what the user chose. No extension API here, so it is tested in Node as it is.
 */
import { LEVERAGE_PRESETS } from '../engine/config';
import type { ExchangeId } from '../engine/types';
import {
  BAR_TIMEFRAMES,
  type BarTimeframe,
  EXCHANGES,
  LEVERAGE_TIERS,
  LOOKBACKS,
  type Lookback,
  MAX_LEVERAGE_WEIGHT,
  SENSITIVITY_ATR_RANGE,
} from '../messaging/contract';
import { isPlainObject } from '../messaging/validate';
import { DEFAULT_WEIGHT_PER_MINUTE, WEIGHT_PER_MINUTE_RANGE } from '../data/hyperliquid-positions/budget';
import { DEFAULT_THRESHOLD, MAX_THRESHOLD } from '../render/color-scale';

export type LeveragePreset = 'conservative' | 'default' | 'aggressive';
export const LEVERAGE_PRESET_NAMES: readonly LeveragePreset[] = ['conservative', 'default', 'aggressive'];
export type Theme = 'system' | 'dark' | 'light';
export const THEMES: readonly Theme[] = ['system', 'dark', 'light'];
/** `auto` lets the background pick the bar size from the lookback. */
export type TimeframeChoice = 'auto' | BarTimeframe;
export const TIMEFRAME_CHOICES: readonly TimeframeChoice[] = ['auto', ...BAR_TIMEFRAMES];

/** Weight per leverage tier of each preset, in {@link LEVERAGE_TIERS} order. */
export const PRESET_WEIGHTS: Readonly<Record<LeveragePreset, readonly number[]>> = {
  conservative: LEVERAGE_PRESETS.conservative.map((tier) => round4(tier.weight)),
  default: LEVERAGE_PRESETS.default.map((tier) => round4(tier.weight)),
  aggressive: LEVERAGE_PRESETS.aggressive.map((tier) => round4(tier.weight)),
};

export interface LeverageSetting {
  /** `custom` uses {@link LeverageSetting.custom}; a preset uses its own weights. */
  readonly preset: LeveragePreset | 'custom';
  /** The user's own weights, one per tier; kept when a preset is picked, so switching back loses nothing. */
  readonly custom: readonly number[];
}

/** Settings, schema version {@link SETTINGS_VERSION}. */
export interface Settings {
  /** Exchanges whose data is aggregated (at least one). */
  readonly exchanges: readonly ExchangeId[];
  readonly lookback: Lookback;
  readonly timeframe: TimeframeChoice;
  readonly leverage: LeverageSetting;
  /** Pre-trade warnings and alerts fire within this many ATR of a pool. */
  readonly warningAtr: number;
  /** Browser notifications for watched symbols. */
  readonly alerts: boolean;
  readonly theme: Theme;
  /** Weight per minute of Hyperliquid's 1,200 the real-levels layer may spend (the rest stays the user's). */
  readonly hyperliquidWeight: number;
  /** The heatmap's contrast: levels under this share of the top are drawn as the background (0..0.6). */
  readonly contrast: number;
  /** Keep the colour scale's top when the lookback or the leverage filter changes. */
  readonly lockScale: boolean;
}

export const SETTINGS_VERSION = 3;

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  exchanges: Object.freeze([...EXCHANGES]),
  lookback: '24h',
  timeframe: 'auto',
  leverage: Object.freeze({ preset: 'default', custom: PRESET_WEIGHTS.default }),
  warningAtr: 1,
  alerts: true,
  theme: 'system',
  hyperliquidWeight: DEFAULT_WEIGHT_PER_MINUTE,
  contrast: DEFAULT_THRESHOLD,
  lockScale: false,
} satisfies Settings);

export interface SettingsRead {
  readonly settings: Settings;
  /** One line per field that was unreadable and fell back to its default. */
  readonly notices: readonly string[];
}

type FieldReader<T> = (value: unknown) => T | undefined;

const oneOf =
  <T extends string>(values: readonly T[]): FieldReader<T> =>
  (value) =>
    values.find((v) => v === value);

const readExchanges: FieldReader<readonly ExchangeId[]> = (value) => {
  if (!Array.isArray(value)) return undefined;
  const picked = EXCHANGES.filter((id) => value.includes(id));
  // Unknown names or duplicates mean the value was not written by this extension.
  if (picked.length === 0 || picked.length !== value.length) return undefined;
  return picked;
};

/** A weight list of the right length, finite, non-negative, not all zero. */
export function readWeights(value: unknown): readonly number[] | undefined {
  if (!Array.isArray(value) || value.length !== LEVERAGE_TIERS.length) return undefined;
  const weights: number[] = [];
  for (const w of value) {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0 || w > MAX_LEVERAGE_WEIGHT) return undefined;
    weights.push(w);
  }
  return weights.some((w) => w > 0) ? weights : undefined;
}

const readLeverage: FieldReader<LeverageSetting> = (value) => {
  if (!isPlainObject(value)) return undefined;
  const preset = oneOf<LeverageSetting['preset']>([...LEVERAGE_PRESET_NAMES, 'custom'])(value['preset']);
  const custom = readWeights(value['custom']);
  if (preset === undefined || custom === undefined) return undefined;
  return { preset, custom };
};

const readWarningAtr: FieldReader<number> = (value) =>
  typeof value === 'number' && value >= SENSITIVITY_ATR_RANGE.min && value <= SENSITIVITY_ATR_RANGE.max ? value : undefined;

const READERS: { readonly [K in keyof Settings]: FieldReader<Settings[K]> } = {
  exchanges: readExchanges,
  lookback: oneOf(LOOKBACKS),
  timeframe: oneOf(TIMEFRAME_CHOICES),
  leverage: readLeverage,
  warningAtr: readWarningAtr,
  alerts: (value) => (typeof value === 'boolean' ? value : undefined),
  theme: oneOf(THEMES),
  hyperliquidWeight: (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= WEIGHT_PER_MINUTE_RANGE.min && value <= WEIGHT_PER_MINUTE_RANGE.max ? value : undefined,
  contrast: (value) => (typeof value === 'number' && value >= 0 && value <= MAX_THRESHOLD ? value : undefined),
  lockScale: (value) => (typeof value === 'boolean' ? value : undefined),
};

const LABELS: { readonly [K in keyof Settings]: string } = {
  exchanges: 'Exchanges',
  lookback: 'Default lookback',
  timeframe: 'Default timeframe',
  leverage: 'Leverage weights',
  warningAtr: 'Warning distance',
  alerts: 'Alerts',
  theme: 'Theme',
  hyperliquidWeight: 'Hyperliquid request share',
  contrast: 'Heatmap contrast',
  lockScale: 'Lock colour scale',
};

export const SETTING_KEYS = Object.freeze(Object.keys(READERS) as (keyof Settings)[]);

/**
 * Reads stored settings field by field: a missing field takes its default silently (an older
 * extension did not know it), an unreadable one takes its default with a notice.
 * @example readSettings({ lookback: '7d', theme: 42 }).notices // ['Theme: the stored value was unreadable; using the default (system).']
 */
export function readSettings(stored: unknown): SettingsRead {
  if (stored === null || stored === undefined) return { settings: DEFAULT_SETTINGS, notices: [] };
  if (!isPlainObject(stored)) {
    return { settings: DEFAULT_SETTINGS, notices: ['The stored settings were unreadable; using the defaults.'] };
  }
  const notices: string[] = [];
  const out: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const fallback = DEFAULT_SETTINGS[key];
    if (!Object.hasOwn(stored, key) || stored[key] === undefined) {
      out[key] = fallback;
      continue;
    }
    const value = READERS[key](stored[key]);
    if (value === undefined) {
      notices.push(`${LABELS[key]}: the stored value was unreadable; using the default (${describeDefault(fallback)}).`);
      out[key] = fallback;
    } else {
      out[key] = value;
    }
  }
  return { settings: out as unknown as Settings, notices };
}

/**
 * Applies a change to settings; throws when a changed field is invalid (nothing is stored then).
 * @example updateSettings(DEFAULT_SETTINGS, { theme: 'light' }).theme // 'light'
 */
export function updateSettings(current: Settings, change: Partial<Settings>): Settings {
  const next: Record<string, unknown> = { ...current };
  for (const key of SETTING_KEYS) {
    if (!Object.hasOwn(change, key) || change[key] === undefined) continue;
    const value = READERS[key](change[key]);
    if (value === undefined) throw new RangeError(`${LABELS[key]}: invalid value`);
    next[key] = value;
  }
  return next as unknown as Settings;
}

/**
 * The weights an estimate request carries, or undefined for the engine's own (default preset).
 * @example leverageWeights({ preset: 'aggressive', custom: [...] }) // PRESET_WEIGHTS.aggressive
 */
export function leverageWeights(leverage: LeverageSetting): readonly number[] | undefined {
  if (leverage.preset === 'default') return undefined;
  return leverage.preset === 'custom' ? leverage.custom : PRESET_WEIGHTS[leverage.preset];
}

function describeDefault(value: unknown): string {
  if (Array.isArray(value)) return value.join(', ');
  if (isPlainObject(value)) return String(value['preset'] ?? 'default');
  return String(value);
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
