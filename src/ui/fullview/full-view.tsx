/**
 * The full-size view of a market (an extension page in a tab of its own): the heatmap filling the
 * window with wheel zoom and drag pan, the crosshair's readout, the latest map beside it, pool
 * labels on the price axis, realized liquidations, the real Hyperliquid levels of the coin as
 * their own layer (as the panel shows them), and the lookback, leverage preset, scope and contrast
 * controls. Kept live as the panel is (new bars each minute, realized liquidations).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { type EstimateRequest, type EstimateView, LOOKBACKS, type Lookback, type StatusRequest, type StatusView } from '../../messaging/contract';
import { estimateRequestFor } from '../../settings/request';
import type { RealLevelsPort } from '../../messaging/real-levels';
import type { Settings } from '../../settings/schema';
import { fmtPct, fmtPrice, formatUsd } from '../format';
import type { SettingsSource } from '../Panel';
import { ContrastControl, useContrast } from '../panel/contrast-control';
import { PresetChips } from '../panel/preset-chips';
import { ScopeChips } from '../panel/scope-chips';
import { RealLevelRows, useRealLevels } from '../panel/real-levels';
import { resolveTheme } from '../theme';
import { type ChartController, createChartController } from './chart-controller';
import type { FullViewParams } from './params';
import type { Readout } from './readout';

export interface FullViewDeps {
  readonly settings: SettingsSource;
  readonly saveSettings: (change: Partial<Settings>) => Promise<Settings>;
  /** Keeps the estimate of `req` live while `signal` is not aborted (estimate-client's `watchEstimate`). */
  readonly watch: (req: EstimateRequest, onView: (view: EstimateView) => void, onError: (error: unknown) => void, signal: AbortSignal) => void;
  readonly status: (req: StatusRequest) => Promise<StatusView>;
  /** Whether the system prefers dark colours (for the `system` theme). */
  readonly prefersDark?: () => boolean;
  /** The real-levels port (default: the extension runtime's); `false` turns the layer off. */
  readonly realLevels?: (() => RealLevelsPort) | false;
}

type State = { readonly kind: 'loading' } | { readonly kind: 'ready'; readonly view: EstimateView } | { readonly kind: 'error'; readonly message: string };

export function FullView({ params, deps }: { readonly params: FullViewParams; readonly deps: FullViewDeps }) {
  const [settings, setSettings] = useState<Settings | undefined>(() => deps.settings.known?.());
  const [lookback, setLookback] = useState<Lookback>(params.lookback);
  const [aggregate, setAggregate] = useState(params.aggregate === true);
  const [aggregation, setAggregation] = useState<{ available: boolean; reason?: string }>({ available: false });
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [shown, setShown] = useState<EstimateView | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  // The readout reaches the tooltip alone: a pointer move re-renders the tooltip, not the page.
  const readouts = useRef(new Set<(value: Shown | undefined) => void>());
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<ChartController | undefined>(undefined);
  const theme = resolveTheme(settings?.theme ?? 'system', deps.prefersDark?.() ?? true);

  useEffect(() => {
    let stopped = false;
    deps.settings.get().then(
      (read) => !stopped && setSettings(read),
      (error: unknown) => !stopped && setNotice(`Settings could not be read: ${String(error)}`),
    );
    const unwatch = deps.settings.watch(setSettings);
    return () => {
      stopped = true;
      unwatch();
    };
  }, []);

  useEffect(() => {
    const element = canvas.current;
    if (!element) return undefined;
    const controller = createChartController(element, {
      // Called from the controller's frame: at most one tooltip update per frame.
      onReadout: (value, at) => {
        const shown = value && at ? { readout: value, ...at } : undefined;
        for (const listener of readouts.current) listener(shown);
      },
    });
    chart.current = controller;
    return () => {
      controller.destroy();
      chart.current = undefined;
    };
  }, []);

  useEffect(() => chart.current?.setTheme(theme), [theme]);
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);

  const fromSettings = settings ? estimateRequestFor(params, settings, lookback) : undefined;
  const aggregateWith = settings?.exchanges;
  const key = fromSettings ? JSON.stringify([fromSettings, aggregate, aggregate ? aggregateWith : null]) : undefined;

  useEffect(() => {
    if (!fromSettings) return undefined;
    const controller = new AbortController();
    setState((current) => (current.kind === 'ready' ? current : { kind: 'loading' }));
    const req: EstimateRequest = {
      ...fromSettings,
      ...(params.leverages ? { leverages: params.leverages } : {}),
      ...(aggregate ? { aggregate, ...(aggregateWith ? { aggregateWith } : {}) } : {}),
    };
    // Another lookback or scope is another map: its first view is shown whole.
    let first = true;
    deps.watch(
      req,
      (view) => {
        if (controller.signal.aborted) return;
        setState({ kind: 'ready', view });
        setShown(view);
        chart.current?.setView(view);
        if (first) chart.current?.reset();
        first = false;
      },
      (error) => !controller.signal.aborted && setState({ kind: 'error', message: error instanceof Error ? error.message : String(error) }),
      controller.signal,
    );
    return () => controller.abort();
  }, [key]);

  useEffect(() => {
    let stopped = false;
    deps.status({ exchange: params.exchange, symbol: params.symbol }).then(
      (answer) => !stopped && answer.aggregate && setAggregation(answer.aggregate),
      () => {},
    );
    return () => {
      stopped = true;
    };
  }, []);

  const save = (change: Partial<Settings>): void => {
    deps.saveSettings(change).then(
      (next) => {
        setSettings(next);
        setNotice(undefined);
      },
      (error: unknown) => setNotice(`Not saved: ${error instanceof Error ? error.message : String(error)}`),
    );
  };
  const view = shown;
  // The same contrast state as the panel's: stored in the settings, so both remember one choice.
  const contrast = useContrast(settings, (change) => save(change), view?.heatmap.maxCellUsd, view && `${view.exchange}:${view.symbol}:${view.exchanges?.join(',') ?? ''}`);
  const { threshold, topUsd } = contrast.scale;
  useEffect(() => chart.current?.setScale(topUsd !== undefined ? { threshold, topUsd } : { threshold }), [threshold, topUsd]);
  const real = useRealLevels(params.exchange, params.symbol, deps.realLevels);
  useEffect(() => chart.current?.setRealLevels(real?.levels), [real]);

  return (
    <main class="fullview" data-state={state.kind} data-theme={theme}>
      <header>
        <h1>LiqLens</h1>
        <span class="market" data-market={`${params.exchange}:${params.symbol}`}>
          {params.symbol} · {view?.exchanges ? `${view.exchanges.length} exchanges` : params.exchange}
          {view ? ` · price ${fmtPrice(view.price)}` : ''}
        </span>
        {view?.stale ? (
          <span class="badge stale" data-badge="stale" title="The exchange could not be reached: the bars held are shown as they were.">
            stale
          </span>
        ) : null}
        <div class="lookbacks" role="group" aria-label="Lookback">
          {LOOKBACKS.map((l) => (
            <button key={l} type="button" class="chip" aria-pressed={l === lookback} data-lookback={l} onClick={() => setLookback(l)}>
              {l}
            </button>
          ))}
        </div>
        <PresetChips settings={settings} save={save} />
        <ScopeChips
          aggregate={aggregate}
          onAggregate={setAggregate}
          disabled={!aggregation.available && !aggregate}
          {...(aggregation.available ? {} : { unavailable: aggregation.reason ?? 'Aggregating over exchanges is not available.' })}
        />
        <div class="contrast-slot" data-slot="contrast">
          <ContrastControl {...contrast.control} />
        </div>
        <button type="button" onClick={() => chart.current?.reset()} title="Show the whole heatmap (or double-click the chart)">
          Reset zoom
        </button>
      </header>
      {params.leverages ? <p class="note">Only positions at {params.leverages.map((l) => `${l}x`).join(', ')}.</p> : null}
      {state.kind === 'loading' ? (
        <p class="status" role="status">
          Estimating liquidation levels…
        </p>
      ) : null}
      {state.kind === 'error' ? (
        <p class="status error" role="alert">
          Could not estimate: {state.message}
        </p>
      ) : null}
      {notice ? <p class="status error">{notice}</p> : null}
      <div class="stage">
        <canvas
          ref={canvas}
          role="img"
          aria-label="Estimated liquidation heatmap: price up, time right, brighter means more estimated liquidations; the latest map and its cumulative curves on the right. Scroll or press + and − to zoom, drag or use the arrows to pan, double-click or press 0 to reset."
        />
        {view ? <TooltipHost listeners={readouts.current} view={view} /> : null}
      </div>
      {real && view ? <RealLevelRows view={real} price={view.price} now={Date.now()} /> : null}
      <p class="note">
        Scroll to zoom (Shift: price only, Alt: time only), drag to pan, double-click to see everything; or arrows, + and −, 0. An estimate from public candles, open interest and funding, not
        the exchange's position book.
      </p>
    </main>
  );
}

type Shown = { readonly readout: Readout; readonly x: number; readonly y: number; readonly overMap: boolean };

function TooltipHost({ listeners, view }: { listeners: Set<(value: Shown | undefined) => void>; view: EstimateView }) {
  const [shown, setShown] = useState<Shown | undefined>(undefined);
  useEffect(() => {
    listeners.add(setShown);
    return () => void listeners.delete(setShown);
  }, [listeners]);
  return shown ? <Tooltip {...shown} view={view} /> : null;
}

function Tooltip({ readout, x, y, overMap, view }: Shown & { view: EstimateView }) {
  const who = readout.side === 'long' ? 'longs' : 'shorts';
  const style = { left: `${x + 16}px`, top: `${Math.max(0, y - 20)}px`, transform: x > 700 ? 'translateX(calc(-100% - 32px))' : undefined };
  return (
    <div class="tooltip" role="tooltip" data-over={overMap ? 'map' : 'heatmap'} style={style}>
      <div data-tip="cumulative">
        If price reaches <b>{fmtPrice(readout.price)}</b>: about <b>{formatUsd(readout.cumulativeUsd)}</b> of {who} liquidated on the way (cumulative from the price)
      </div>
      <div class="muted" data-tip="distance">
        {fmtPct(readout.distancePct)} from the price ({fmtPrice(view.price)})
      </div>
      {overMap ? (
        <div data-tip="level">
          At this level now: <span class="long">longs {formatUsd(readout.binLongUsd)}</span> · <span class="short">shorts {formatUsd(readout.binShortUsd)}</span>
        </div>
      ) : readout.time !== undefined ? (
        <div data-tip="cell">
          {new Date(readout.time).toISOString().slice(5, 16).replace('T', ' ')} UTC: {formatUsd(readout.cellUsd)} estimated at this level
        </div>
      ) : null}
    </div>
  );
}
