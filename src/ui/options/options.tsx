import { useEffect, useState } from 'preact/hooks';
import type { ExchangeId } from '../../engine/types';
import { EXCHANGES, LEVERAGE_TIERS, LOOKBACKS, type Lookback, SENSITIVITY_ATR_RANGE } from '../../messaging/contract';
import {
  LEVERAGE_PRESET_NAMES,
  type LeverageSetting,
  PRESET_WEIGHTS,
  type Settings,
  type SettingsRead,
  type Theme,
  THEMES,
  TIMEFRAME_CHOICES,
  type TimeframeChoice,
} from '../../settings/schema';
import type { Watch } from '../../settings/store';
import { HYPERLIQUID_WEIGHT_PER_MINUTE, WEIGHT_PER_MINUTE_RANGE } from '../../data/hyperliquid-positions/budget';
import { useResolvedTheme } from '../theme';

export interface OptionsDeps {
  readonly loadSettings: () => Promise<SettingsRead>;
  readonly saveSettings: (change: Partial<Settings>) => Promise<Settings>;
  readonly watchSettings: (listener: (settings: Settings) => void) => () => void;
  readonly getWatchlist: () => Promise<readonly Watch[]>;
  readonly setWatched: (market: Watch, watched: boolean) => Promise<readonly Watch[]>;
}

const EXCHANGE_NAMES: Readonly<Record<ExchangeId, string>> = { binance: 'Binance', bybit: 'Bybit', okx: 'OKX', bitget: 'Bitget', hyperliquid: 'Hyperliquid' };
const PRESET_TEXT: Readonly<Record<LeverageSetting['preset'], string>> = {
  conservative: 'Conservative: more weight on 5-25x, so pools sit further from price',
  default: 'Default: mass around 20-50x',
  aggressive: 'Aggressive: more weight on 50-125x, so pools hug the price',
  custom: 'Custom weights',
};
const TIMEFRAME_TEXT: Readonly<Record<TimeframeChoice, string>> = { auto: 'Auto (by lookback)', '5m': '5 minutes', '15m': '15 minutes', '1h': '1 hour' };

/** The options page: every setting, saved as soon as it changes. */
export function Options({ deps }: { readonly deps: OptionsDeps }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [notices, setNotices] = useState<readonly string[]>([]);
  const [watches, setWatches] = useState<readonly Watch[]>([]);
  const [status, setStatus] = useState<{ kind: 'saved' | 'error'; text: string } | null>(null);
  const theme = useResolvedTheme(settings?.theme ?? 'system');

  useEffect(() => {
    deps.loadSettings().then(
      (read) => {
        setSettings(read.settings);
        setNotices(read.notices);
      },
      (error: unknown) => setStatus({ kind: 'error', text: `Could not read the settings: ${errorText(error)}` }),
    );
    deps.getWatchlist().then(setWatches, () => {});
    return deps.watchSettings(setSettings);
  }, []);

  async function save(change: Partial<Settings>): Promise<void> {
    try {
      setSettings(await deps.saveSettings(change));
      setStatus({ kind: 'saved', text: 'Saved.' });
    } catch (error) {
      setStatus({ kind: 'error', text: `Not saved: ${errorText(error)}` });
    }
  }

  if (!settings) {
    return (
      <main data-state="loading" data-theme={theme}>
        <h1>LiqLens options</h1>
        {status ? <p class="error">{status.text}</p> : <p>Loading…</p>}
      </main>
    );
  }

  const toggleExchange = (id: ExchangeId, on: boolean) => {
    const next = EXCHANGES.filter((e) => (e === id ? on : settings.exchanges.includes(e)));
    if (next.length > 0) void save({ exchanges: next });
  };
  const shownWeights = settings.leverage.preset === 'custom' ? settings.leverage.custom : PRESET_WEIGHTS[settings.leverage.preset];
  const total = shownWeights.reduce((a, b) => a + b, 0) || 1;

  return (
    <main data-state="ready" data-theme={theme}>
      <h1>LiqLens options</h1>
      {notices.length > 0 ? (
        <div class="notices" role="status">
          {notices.map((n) => (
            <p key={n} class="error">
              {n}
            </p>
          ))}
        </div>
      ) : null}

      <section>
        <h2>Exchanges to aggregate</h2>
        <div class="row wrap">
          {EXCHANGES.map((id) => (
            <label key={id}>
              <input
                type="checkbox"
                name={`exchange-${id}`}
                checked={settings.exchanges.includes(id)}
                disabled={settings.exchanges.length === 1 && settings.exchanges.includes(id)}
                onChange={(e) => toggleExchange(id, (e.currentTarget as HTMLInputElement).checked)}
              />{' '}
              {EXCHANGE_NAMES[id]}
            </label>
          ))}
        </div>
      </section>

      <section class="grid">
        <label>
          <span>Default lookback</span>
          <select name="lookback" value={settings.lookback} onChange={(e) => void save({ lookback: (e.currentTarget as HTMLSelectElement).value as Lookback })}>
            {LOOKBACKS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Default timeframe</span>
          <select
            name="timeframe"
            value={settings.timeframe}
            onChange={(e) => void save({ timeframe: (e.currentTarget as HTMLSelectElement).value as TimeframeChoice })}
          >
            {TIMEFRAME_CHOICES.map((t) => (
              <option key={t} value={t}>
                {TIMEFRAME_TEXT[t]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Theme</span>
          <select name="theme" value={settings.theme} onChange={(e) => void save({ theme: (e.currentTarget as HTMLSelectElement).value as Theme })}>
            {THEMES.map((t) => (
              <option key={t} value={t}>
                {t === 'system' ? 'Follow the system' : t === 'dark' ? 'Dark' : 'Light'}
              </option>
            ))}
          </select>
        </label>
      </section>

      <section>
        <h2>Leverage weights</h2>
        <p class="muted">Nobody publishes the leverage of open positions; the map assumes a mix. Pick the one that fits the market you trade.</p>
        {[...LEVERAGE_PRESET_NAMES, 'custom' as const].map((preset) => (
          <label key={preset} class="radio">
            <input
              type="radio"
              name="leverage-preset"
              value={preset}
              checked={settings.leverage.preset === preset}
              onChange={() => void save({ leverage: { ...settings.leverage, preset } })}
            />{' '}
            {PRESET_TEXT[preset]}
          </label>
        ))}
        <table class="weights">
          <thead>
            <tr>
              <th>Leverage</th>
              {LEVERAGE_TIERS.map((lev) => (
                <th key={lev}>{lev}x</th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              <th>Weight</th>
              {shownWeights.map((w, i) => (
                <td key={LEVERAGE_TIERS[i]}>
                  <WeightInput
                    value={w}
                    disabled={settings.leverage.preset !== 'custom'}
                    label={`Weight of ${LEVERAGE_TIERS[i]}x`}
                    onCommit={(value) => {
                      const custom = settings.leverage.custom.map((c, j) => (j === i ? value : c));
                      void save({ leverage: { preset: 'custom', custom } });
                    }}
                  />
                </td>
              ))}
            </tr>
            <tr class="muted">
              <th>Share</th>
              {shownWeights.map((w, i) => (
                <td key={LEVERAGE_TIERS[i]}>{Math.round((w / total) * 100)} %</td>
              ))}
            </tr>
          </tbody>
        </table>
      </section>

      <section>
        <h2>Warnings and alerts</h2>
        <label class="inline">
          <span>Warn within</span>
          <NumberInput
            name="warningAtr"
            value={settings.warningAtr}
            min={SENSITIVITY_ATR_RANGE.min}
            max={SENSITIVITY_ATR_RANGE.max}
            step={0.1}
            onCommit={(warningAtr) => void save({ warningAtr })}
          />
          <span>
            ATR of a pool (one ATR is the average range of one bar of the map: the timeframe above; on Auto, 5 minutes up to a 3-day lookback, 15 minutes for 7 days, 1 hour for 30 days)
          </span>
        </label>
        <label class="inline">
          <input type="checkbox" name="alerts" checked={settings.alerts} onChange={(e) => void save({ alerts: (e.currentTarget as HTMLInputElement).checked })} />
          <span>Browser notifications when price nears a strong pool of a watched market</span>
        </label>
        <h2>Real Hyperliquid levels</h2>
        <label class="inline">
          <span>Spend at most</span>
          <NumberInput
            name="hyperliquidWeight"
            value={settings.hyperliquidWeight}
            min={WEIGHT_PER_MINUTE_RANGE.min}
            max={WEIGHT_PER_MINUTE_RANGE.max}
            step={20}
            onCommit={(hyperliquidWeight) => void save({ hyperliquidWeight })}
          />
          <span>of Hyperliquid's {HYPERLIQUID_WEIGHT_PER_MINUTE} request weight a minute reading large accounts' positions (the rest stays yours for trading)</span>
        </label>
        <h2>Watched markets</h2>
        {watches.length === 0 ? (
          <p class="muted">None yet: watch a market from the toolbar popup.</p>
        ) : (
          <ul class="watches">
            {watches.map((w) => (
              <li key={`${w.exchange}:${w.symbol}`}>
                {w.symbol} · {EXCHANGE_NAMES[w.exchange]}{' '}
                <button type="button" onClick={() => deps.setWatched(w, false).then(setWatches, () => {})}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <p class={status?.kind === 'error' ? 'error' : 'muted'} role="status" data-status={status?.kind ?? ''}>
        {status?.text ?? 'Changes are saved as you make them.'}
      </p>
      <p class="note">LiqLens estimates liquidation levels from public market data. It is context, not a signal or advice.</p>
    </main>
  );
}

function NumberInput(props: { name: string; value: number; min: number; max: number; step: number; onCommit: (value: number) => void }) {
  const [text, setText] = useState(String(props.value));
  useEffect(() => setText(String(props.value)), [props.value]);
  // Read from the field itself: a change can arrive before the typed text is rendered.
  const commit = (field: HTMLInputElement) => {
    const value = Number(field.value);
    if (field.value.trim() !== '' && Number.isFinite(value) && value >= props.min && value <= props.max) {
      if (value !== props.value) props.onCommit(value);
    } else {
      // Back to the stored value, in the field too (its rendered text may not have changed).
      field.value = String(props.value);
      setText(String(props.value));
    }
  };
  return (
    <input
      type="number"
      name={props.name}
      value={text}
      min={props.min}
      max={props.max}
      step={props.step}
      onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
      onChange={(e) => commit(e.currentTarget as HTMLInputElement)}
    />
  );
}

function WeightInput(props: { value: number; disabled: boolean; label: string; onCommit: (value: number) => void }) {
  const [text, setText] = useState(String(props.value));
  useEffect(() => setText(String(props.value)), [props.value]);
  return (
    <input
      type="number"
      class="weight"
      aria-label={props.label}
      value={text}
      min={0}
      step={0.01}
      disabled={props.disabled}
      onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
      onChange={(e) => {
        const field = e.currentTarget as HTMLInputElement;
        const value = Number(field.value);
        if (field.value.trim() !== '' && Number.isFinite(value) && value >= 0) {
          if (value !== props.value) props.onCommit(value);
        } else {
          field.value = String(props.value);
          setText(String(props.value));
        }
      }}
    />
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
