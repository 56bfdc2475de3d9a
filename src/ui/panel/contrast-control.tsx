/**
 * The heatmap's contrast control, on the chart's legend: a threshold slider (levels under that
 * share of the top are drawn as the background) and "Lock scale" (the top colour keeps its USD
 * when the lookback or the leverage filter changes, so colours stay comparable). The panel and
 * the full view both use it; the choice is stored in the settings and remembered across sessions.
 */
import { useRef, useState } from 'preact/hooks';
import { DEFAULT_THRESHOLD, type HeatScale, MAX_THRESHOLD } from '../../render/color-scale';
import type { Settings } from '../../settings/schema';
import { formatUsd } from '../format';

export interface ContrastControlProps {
  /** Share of the top under which levels are hidden, 0..0.6. */
  readonly threshold: number;
  /** Called while the slider moves (redraw) and once more when it is let go (`done`: store it). */
  readonly onThreshold: (threshold: number, done: boolean) => void;
  readonly locked: boolean;
  readonly onLock: (locked: boolean) => void;
  /** USD of the top colour now (the legend's top), for the words under the slider. */
  readonly topUsd?: number;
}

/**
 * The slider, its value in words and the lock. Unstyled but for class names (`.contrast`).
 * @example <ContrastControl threshold={0.2} onThreshold={(t, done) => ...} locked={false} onLock={...} topUsd={60e6} />
 */
export function ContrastControl({ threshold, onThreshold, locked, onLock, topUsd }: ContrastControlProps) {
  const percent = Math.round(threshold * 100);
  const read = (event: Event) => Number((event.currentTarget as HTMLInputElement).value) / 100;
  const hidden = topUsd !== undefined && topUsd > 0 ? `hides levels under ${formatUsd(threshold * topUsd)}` : `hides levels under ${percent} % of the top`;
  return (
    <div class="contrast" role="group" aria-label="Heatmap colours">
      <label title="Levels with less than this share of the brightest level are drawn as the background">
        Contrast{' '}
        <input
          type="range"
          min={0}
          max={Math.round(MAX_THRESHOLD * 100)}
          step={1}
          value={percent}
          aria-valuetext={`${percent} % of the top`}
          data-control="contrast"
          onInput={(event) => onThreshold(read(event), false)}
          onChange={(event) => onThreshold(read(event), true)}
        />
      </label>
      <span class="muted" data-contrast="hidden">
        {hidden}
      </span>
      <label title="Keep the top colour's USD when the lookback or leverage filter changes, so colours stay comparable">
        <input type="checkbox" checked={locked} data-control="lock-scale" onChange={(event) => onLock((event.currentTarget as HTMLInputElement).checked)} /> Lock scale
      </label>
    </div>
  );
}

/** What {@link useContrast} gives: the scale to draw with and the control's props. */
export interface Contrast {
  readonly scale: HeatScale;
  readonly control: ContrastControlProps;
}

/**
 * The contrast state of one chart: threshold and lock from the settings (a moved slider shows at
 * once and is stored when let go; the stored value wins once it changes), the locked top taken
 * from the first view of a market shown while locked, kept through lookback and leverage-filter
 * changes, dropped when the market changes or the lock is released. `market` names the view's
 * market (exchange, symbol, aggregated or not), not the one asked for: a view still shown from
 * before a switch does not lend its top to the next market.
 * @example const contrast = useContrast(settings, (change) => source.save?.(change), view?.heatmap.maxCellUsd, viewMarket);
 */
export function useContrast(
  settings: Settings | null | undefined,
  save: ((change: Partial<Settings>) => unknown) | undefined,
  visibleTopUsd: number | undefined,
  market: string | undefined,
): Contrast {
  const stored = settings?.contrast ?? DEFAULT_THRESHOLD;
  const storedLock = settings?.lockScale ?? false;
  // The user's own moves, shown until the stored value changes (to them, or from elsewhere).
  const [, redraw] = useState(0);
  const choice = useRef<{ threshold?: number; locked?: boolean }>({});
  const last = useRef({ stored, storedLock });
  if (last.current.stored !== stored) delete choice.current.threshold;
  if (last.current.storedLock !== storedLock) delete choice.current.locked;
  last.current = { stored, storedLock };
  const threshold = choice.current.threshold ?? stored;
  const locked = choice.current.locked ?? storedLock;

  const held = useRef<{ readonly market: string; readonly top: number } | undefined>(undefined);
  if (!locked) held.current = undefined;
  else if (market !== undefined && held.current?.market !== market && visibleTopUsd !== undefined && visibleTopUsd > 0) held.current = { market, top: visibleTopUsd };
  const lockedTop = locked ? held.current?.top : undefined;

  const topUsd = lockedTop ?? visibleTopUsd;
  return {
    scale: lockedTop !== undefined ? { threshold, topUsd: lockedTop } : { threshold },
    control: {
      threshold,
      locked,
      ...(topUsd !== undefined ? { topUsd } : {}),
      onThreshold: (next, done) => {
        choice.current.threshold = next;
        redraw((n) => n + 1);
        if (done) void save?.({ contrast: next });
      },
      onLock: (next) => {
        choice.current.locked = next;
        redraw((n) => n + 1);
        void save?.({ lockScale: next });
      },
    },
  };
}
