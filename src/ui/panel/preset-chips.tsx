/**
 * The leverage preset as chips (conservative / default / aggressive / custom), in the panel and
 * the full view. The choice is the user's setting: it is stored through the settings store, so
 * the options page, the popup and every open panel follow it.
 */
import { LEVERAGE_PRESET_NAMES, type LeverageSetting, type Settings } from '../../settings/schema';

const TITLES: Readonly<Record<LeverageSetting['preset'], string>> = {
  conservative: 'More positions at low leverage',
  default: "The model's usual mix of leverage",
  aggressive: 'More positions at high leverage',
  custom: 'Your own weights from the options page',
};

export interface PresetChipsProps {
  readonly settings: Settings | undefined;
  /** Stores the change (the settings store); a failure is shown by the caller. */
  readonly save: (change: Partial<Settings>) => void;
}

export function PresetChips({ settings, save }: PresetChipsProps) {
  const current = settings?.leverage.preset;
  return (
    <div class="presets" role="group" aria-label="Leverage preset">
      {[...LEVERAGE_PRESET_NAMES, 'custom' as const].map((preset) => (
        <button
          key={preset}
          type="button"
          class="chip"
          aria-pressed={current === preset}
          data-preset={preset}
          disabled={!settings}
          title={TITLES[preset]}
          onClick={() => settings && current !== preset && save({ leverage: { preset, custom: settings.leverage.custom } })}
        >
          {preset}
        </button>
      ))}
    </div>
  );
}
