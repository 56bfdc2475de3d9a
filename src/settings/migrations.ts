/**
 * Every stored shape of the settings before the current one, and the step from each to the next.
 * A step keeps every value it does not understand as it is (the field reader then decides), so a
 * migration never drops what the user set.
 */
import type { ExchangeId } from '../engine/types';
import type { Lookback } from '../messaging/contract';
import { isPlainObject } from '../messaging/validate';
import { DEFAULT_THRESHOLD } from '../render/color-scale';
import { type LeveragePreset, PRESET_WEIGHTS, type Theme } from './schema';

/** Schema version 1: the first stored settings. */
export interface SettingsV1 {
  readonly exchanges: readonly ExchangeId[];
  readonly lookback: Lookback;
  readonly leveragePreset: LeveragePreset;
  readonly warningAtr: number;
  readonly alertsEnabled: boolean;
  readonly theme: Theme;
}

/**
 * Version 1 → 2: `alertsEnabled` is now `alerts`; `leveragePreset` became `leverage` with room for
 * the user's own weights (they start as the chosen preset's); `timeframe` is new (`auto`, the
 * behaviour of version 1).
 * @example migrateV1toV2({ leveragePreset: 'aggressive', alertsEnabled: false }) // { leverage: { preset: 'aggressive', custom: [...] }, alerts: false, timeframe: 'auto' }
 */
export function migrateV1toV2(stored: unknown): unknown {
  if (!isPlainObject(stored)) return stored;
  const { alertsEnabled, leveragePreset, ...rest } = stored;
  const out: Record<string, unknown> = { ...rest, timeframe: rest['timeframe'] ?? 'auto' };
  if (alertsEnabled !== undefined) out['alerts'] = alertsEnabled;
  if (leveragePreset !== undefined) {
    const known = typeof leveragePreset === 'string' && Object.hasOwn(PRESET_WEIGHTS, leveragePreset);
    // An unknown preset name is kept so the reader reports it instead of silently replacing it.
    out['leverage'] = {
      preset: leveragePreset,
      custom: known ? PRESET_WEIGHTS[leveragePreset as LeveragePreset] : PRESET_WEIGHTS.default,
    };
  }
  return out;
}

/**
 * Version 2 → 3: the heatmap's `contrast` (threshold) and `lockScale` are new; a stored value
 * already there is kept (the reader checks it), else they start at the defaults.
 * @example migrateV2toV3({ lookback: '7d' }) // { lookback: '7d', contrast: 0.2, lockScale: false }
 */
export function migrateV2toV3(stored: unknown): unknown {
  if (!isPlainObject(stored)) return stored;
  return { ...stored, contrast: stored['contrast'] ?? DEFAULT_THRESHOLD, lockScale: stored['lockScale'] ?? false };
}

/** WXT storage migrations: the key is the version migrated to. */
export const SETTINGS_MIGRATIONS: Readonly<Record<number, (value: unknown) => unknown>> = {
  2: migrateV1toV2,
  3: migrateV2toV3,
};
