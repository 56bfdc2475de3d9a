import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ExchangeId } from '../engine/types';
import { type BarTimeframe, type EstimateRequest, type EstimateView, LEVERAGE_TIERS, LOOKBACKS, type Lookback, type OpenFullViewRequest, type StatusRequest, type StatusView } from '../messaging/contract';
import { estimateRequestFor } from '../settings/request';
import type { Settings } from '../settings/schema';
import { saveSettings } from '../settings/store';
import { backgroundClient, sameEstimateRequest, watchEstimate } from './estimate-client';
import { nextTask } from './panel/next-task';
import { Chart } from './panel/chart';
import type { ToggleChannel } from './panel/commands';
import { ContrastControl, useContrast } from './panel/contrast-control';
import { ContextRows, PoolRows } from './panel/details';
import { initialTiers, toggleTier } from './panel/leverage-tiers';
import { PresetChips } from './panel/preset-chips';
import { ScopeChips } from './panel/scope-chips';
import { DEFAULT_LAYOUT, type LayoutStorage, loadLayout, type PanelLayout, saveLayout } from './panel/layout-store';
import { failureKind } from './panel/status';
import { type LoadProgress, type PanelState, StatusLine } from './panel/status-line';
import { type PanelTheme, pageTheme, resolveTheme, type ThemeSetting, watchPageTheme } from './panel/theme';
import { CHART_HEIGHT, HEATMAP_WIDTH } from './panel/chart';
import { RealLevelMarks, RealLevelRows, useRealLevels } from './panel/real-levels';
import { useAfterTask } from './panel/use-after-task';
import { fitted, useDrag } from './panel/use-drag';
import { useMarketStatus } from './panel/use-market-status';
import type { RealLevelsPort } from '../messaging/real-levels';

/** What the panel asks the background for. */
export interface PanelRequest {
  readonly exchange: ExchangeId;
  readonly symbol: string;
  readonly lookback: Lookback;
  /** Leverage-tier filter; absent for every tier. */
  readonly leverages?: readonly number[];
  /** True for the estimate over every exchange the background aggregates. */
  readonly aggregate?: boolean;
  /** With `aggregate`: the exchanges the user chose to combine. */
  readonly aggregateWith?: readonly ExchangeId[];
  /** From the user's settings: bar size and leverage weights. */
  readonly timeframe?: BarTimeframe;
  readonly leverageWeights?: readonly number[];
}

/** Where the user's settings come from (the extension's synced storage in the content script). */
export interface SettingsSource {
  get(): Promise<Settings>;
  /** The settings when they are already read: the first render starts with them, a frame earlier. */
  known?(): Settings | undefined;
  /** Calls the listener on every change; returns the function that stops. */
  watch(listener: (settings: Settings) => void): () => void;
  /** Stores a change the panel's own controls make (the contrast control). */
  save?(change: Partial<Settings>): Promise<unknown>;
}

export interface PanelProps {
  readonly exchange: ExchangeId;
  readonly symbol: string;
  readonly lookback?: Lookback;
  /** Aborted when the page navigates away or the extension is reloaded. */
  readonly signal: AbortSignal;
  /** Fetches the view; defaults to the background (with retries). */
  readonly load?: (req: PanelRequest, signal: AbortSignal) => Promise<EstimateView>;
  /** Told of every view the panel shows (the first and each live update). */
  readonly onView?: (view: EstimateView) => void;
  /** Reads the background's status (loading progress, aggregation); defaults to the background. */
  readonly status?: (req: StatusRequest) => Promise<StatusView>;
  /** `auto` follows the page's colours; default: the settings' theme, else `auto`. */
  readonly theme?: ThemeSetting;
  /** The user's settings: theme, default lookback, bar size and leverage weights. */
  readonly settings?: SettingsSource;
  /**
   * The estimate the background prepared for this page, once (later calls: undefined): shown
   * at once when the panel's first request is the one it answers.
   */
  readonly firstView?: () => { readonly request: EstimateRequest; readonly view: EstimateView } | undefined;
  /** Initial leverage-tier filter (default: every tier). */
  readonly leverages?: readonly number[];
  /** Key of the remembered position (default: the page's host name). */
  readonly site?: string;
  /** Where the position is remembered (default: the extension's local storage). */
  readonly layoutStore?: LayoutStorage;
  /** The keyboard shortcut's toggles, forwarded by the content script. */
  readonly toggle?: Pick<ToggleChannel, 'subscribe'>;
  /** The real Hyperliquid levels' port (default: the extension runtime's); false: no real levels. */
  readonly realLevels?: (() => RealLevelsPort) | false;
  /** Extra content under the panel's body (order-form warnings, manual entry). */
  readonly footer?: ComponentChildren;
  readonly children?: ComponentChildren;
  /** Stores a change of the user's settings (the quick switches); default: the extension's settings store. */
  readonly saveSettings?: (change: Partial<Settings>) => Promise<Settings>;
  /** Opens the full view of the market (default: asks the background, which opens the tab). */
  readonly openFullView?: (req: OpenFullViewRequest) => void;
}

const DEFAULT_AGGREGATE_REASON = 'Aggregating over exchanges is not available from the background.';

/**
 * The on-page panel: heatmap with candles and the latest map's side bars, nearest pools above and
 * below, market context, filters, and the loading and failure states (never blank).
 */
export function Panel(props: PanelProps) {
  const known = useState(() => props.settings?.known?.())[0];
  const [lookback, setLookback] = useState<Lookback>(props.lookback ?? known?.lookback ?? '24h');
  // Without a settings source there is nothing to wait for.
  const [settings, setSettings] = useState<Settings | undefined | null>(props.settings ? known : null);
  const [tiers, setTiers] = useState<readonly number[]>(() => initialTiers(props.leverages));
  const [aggregate, setAggregate] = useState(false);
  const [state, setState] = useState<PanelState>({ kind: 'loading' });
  const [progress, setProgress] = useState<LoadProgress | undefined>(undefined);
  const [aggregation, setAggregation] = useState<{ available: boolean; reason?: string }>({ available: false });
  const [attempt, setAttempt] = useState(0);
  const [pageThemeNow, setPageTheme] = useState<PanelTheme>(() => (typeof window === 'undefined' ? 'dark' : pageTheme(window)));
  const [layout, setLayout] = useState<PanelLayout>(DEFAULT_LAYOUT);
  const [hidden, setHidden] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const [updateFailed, setUpdateFailed] = useState(false);
  const last = useRef<EstimateView | undefined>(undefined);
  const section = useRef<HTMLElement>(null);
  const site = props.site ?? (typeof location === 'undefined' ? 'page' : location.hostname);
  const load = props.load;
  const status = props.status ?? ((req) => backgroundClient().getStatus(req));
  // The quick switches store the user's settings; the settings source's watch brings them back.
  const save = (change: Partial<Settings>): void => {
    (props.saveSettings ?? saveSettings)(change).then(
      (next) => props.settings && setSettings(next),
      () => {},
    );
  };
  const openFullView = props.openFullView ?? ((req: OpenFullViewRequest) => void backgroundClient().openFullView(req).catch(() => {}));
  const theme = resolveTheme(props.theme ?? (settings && settings.theme !== 'system' ? settings.theme : 'auto'), pageThemeNow);

  // The settings: read once before the first estimate (their lookback is the default), then followed.
  useEffect(() => {
    const source = props.settings;
    if (!source) return;
    let stopped = false;
    source.get().then(
      (read) => {
        if (stopped) return;
        if (props.lookback === undefined) setLookback(read.lookback);
        setSettings(read);
      },
      () => !stopped && setSettings(null),
    );
    const unwatch = source.watch((next) => setSettings(next));
    return () => {
      stopped = true;
      unwatch();
    };
  }, [props.settings]);

  // Only the settings that change the estimate reload it (a new theme does not).
  const estimateSettings = settings ? estimateRequestFor({ exchange: props.exchange, symbol: props.symbol }, settings, lookback) : undefined;
  const aggregateWith = settings?.exchanges;
  const settingsKey =
    settings === undefined ? undefined : `${estimateSettings?.timeframe ?? ''}|${estimateSettings?.leverageWeights?.join(',') ?? ''}|${aggregate ? (aggregateWith?.join(',') ?? '') : ''}`;

  // The estimate: every change of market, lookback, tiers or scope loads again; the last view stays
  // on screen meanwhile (dimmed) and after a failure (with a badge).
  useEffect(() => {
    if (settingsKey === undefined) return;
    const controller = new AbortController();
    const abort = () => controller.abort();
    props.signal.addEventListener('abort', abort, { once: true });
    setState({ kind: 'loading', ...(last.current ? { previous: last.current } : {}) });
    setProgress(undefined);
    setUpdateFailed(false);
    const leverages = tiers.length === LEVERAGE_TIERS.length ? undefined : tiers;
    const fromSettings = estimateSettings ?? { exchange: props.exchange, symbol: props.symbol, lookback };
    const scope = aggregate ? { aggregate, ...(aggregateWith ? { aggregateWith } : {}) } : {};
    const req: PanelRequest = { ...fromSettings, ...(leverages ? { leverages } : {}), ...scope };
    // A view is shown in a task after the one that received it (and checked it), and the other
    // features hear of it in a third: on the exchange's page each stays short.
    const show = (view: EstimateView) => {
      nextTask(() => {
        if (controller.signal.aborted) return;
        last.current = view;
        setState({ kind: 'ready', view });
        nextTask(() => {
          if (!controller.signal.aborted) props.onView?.(view);
        });
      });
    };
    const fail = (error: unknown) => {
      if (controller.signal.aborted) return;
      const message = error instanceof Error ? error.message : String(error);
      const failure = failureKind(message);
      setState({ kind: 'error', message, failure, ...(last.current && failure !== 'unsupported' ? { previous: last.current } : {}) });
    };
    // Live by default: new bars every minute and realized liquidations while the panel is open.
    if (load) load(req, controller.signal).then(show, fail);
    else {
      const first = props.firstView?.();
      const initial = first && sameEstimateRequest(first.request, req) ? { initial: first.view } : {};
      watchEstimate(req, { onView: show, onError: fail, signal: controller.signal, ...initial });
    }
    return () => {
      props.signal.removeEventListener('abort', abort);
      controller.abort();
    };
  }, [props.exchange, props.symbol, lookback, tiers, aggregate, attempt, settingsKey]);

  useMarketStatus(props, state, progress, status, { setAggregation, setProgress, setUpdateFailed });

  // The page's theme, followed live.
  useEffect(() => {
    if (typeof window === 'undefined') return;
    const controller = new AbortController();
    const abort = () => controller.abort();
    props.signal.addEventListener('abort', abort, { once: true });
    watchPageTheme(window, controller.signal, setPageTheme);
    return () => {
      props.signal.removeEventListener('abort', abort);
      controller.abort();
    };
  }, []);

  // The remembered position and collapsed state of this site.
  useEffect(() => {
    let cancelled = false;
    loadLayout(site, props.layoutStore).then(
      (stored) => {
        if (!cancelled) setLayout(fitted(stored, section.current));
      },
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [site]);

  // A smaller window must not leave the panel out of reach (not stored: the next drag is).
  useEffect(() => {
    if (typeof window === 'undefined') return;
    const controller = new AbortController();
    let frame: number | undefined;
    const onResize = () => {
      frame ??= requestAnimationFrame(() => {
        frame = undefined;
        setLayout((current) => fitted(current, section.current));
      });
    };
    window.addEventListener('resize', onResize, { signal: controller.signal });
    return () => {
      controller.abort();
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  }, []);

  const updateLayout = useCallback(
    (next: PanelLayout) => {
      setLayout(next);
      saveLayout(site, next, props.layoutStore).catch(() => {});
    },
    [site, props.layoutStore],
  );

  // The keyboard shortcut (forwarded from the background by the content script).
  useEffect(() => props.toggle?.subscribe(() => setHidden((h) => !h)), [props.toggle]);

  // The stale badge's age moves on by itself.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  // The first render shows the header and the loading line; the filters and the footer follow
  // in the next task, the pools and context one task after the first chart: no single long
  // render on the exchange's page.
  const shell = !useAfterTask(true);
  const view = state.kind === 'ready' ? state.view : state.previous;
  const details = useAfterTask(view !== undefined);
  const contrast = useContrast(settings, props.settings?.save?.bind(props.settings), view?.heatmap.maxCellUsd, view && `${view.exchange}:${view.symbol}:${view.exchanges?.join(',') ?? ''}`);
  const drag = useDrag(section, layout, updateLayout);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const collapsed = layout.collapsed;
  const real = useRealLevels(props.exchange, props.symbol, props.realLevels);
  const compact = layout.compact === true;
  // Placed by a drag: its height is what is left below its top, so it scrolls inside itself.
  const position =
    layout.x !== undefined && layout.y !== undefined
      ? { left: `${layout.x}px`, top: `${layout.y}px`, right: 'auto', bottom: 'auto', maxHeight: `calc(100vh - ${layout.y}px - 8px)` }
      : undefined;

  return (
    <section
      ref={section}
      class="panel"
      data-state={state.kind}
      data-theme={theme}
      data-collapsed={collapsed ? 'true' : 'false'}
      data-compact={compact ? 'true' : undefined}
      data-timings={state.kind === 'ready' && state.view.timings ? JSON.stringify(state.view.timings) : undefined}
      data-window-start={state.kind === 'ready' ? state.view.heatmap.firstTimestamp : undefined}
      data-realized={state.kind === 'ready' ? (state.view.realized?.length ?? 0) : undefined}
      hidden={hidden}
      style={position}
      aria-label="LiqLens liquidation estimate"
    >
      <header onPointerDown={drag} title="Drag to move">
        <strong>LiqLens</strong>
        <span class="market" data-exchanges={view?.exchanges?.join(',')} title={view?.exchanges ? `Positions estimated on ${view.exchanges.join(', ')}` : undefined}>
          {props.symbol} · {view?.exchanges ? `${view.exchanges.length} exchanges` : props.exchange}
        </span>
        <select aria-label="Lookback" value={lookback} onChange={(event) => setLookback((event.currentTarget as HTMLSelectElement).value as Lookback)}>
          {LOOKBACKS.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
        <button
          type="button"
          class="icon"
          data-action="compact"
          aria-pressed={compact}
          aria-label="Compact"
          title={compact ? 'Show everything' : 'Compact: only the chart and the nearest pools'}
          onClick={() => updateLayout({ ...layout, compact: !compact })}
        >
          ≡
        </button>
        <button
          type="button"
          class="icon"
          data-action="full-view"
          aria-label="Full view"
          title="Open the full-size view in a new tab"
          onClick={() => openFullView({ exchange: props.exchange, symbol: props.symbol, lookback, ...(tiers.length === LEVERAGE_TIERS.length ? {} : { leverages: tiers }), ...(aggregate ? { aggregate } : {}) })}
        >
          ⤢
        </button>
        <button
          type="button"
          class="icon"
          aria-expanded={!collapsed}
          aria-label={collapsed ? 'Expand' : 'Collapse'}
          onClick={() => updateLayout({ ...layout, collapsed: !collapsed })}
        >
          {collapsed ? '▸' : '▾'}
        </button>
      </header>
      {collapsed ? null : (
        <>
          {shell || compact ? null : <div class="filters">
            <div class="tiers" role="group" aria-label="Leverage tiers">
              {LEVERAGE_TIERS.map((leverage) => {
                const on = tiers.includes(leverage);
                return (
                  <button
                    key={leverage}
                    type="button"
                    class="chip"
                    aria-pressed={on}
                    data-tier={leverage}
                    title={on && tiers.length === 1 ? 'At least one tier stays selected' : `${on ? 'Hide' : 'Show'} positions at ${leverage}x`}
                    onClick={() => setTiers((current) => toggleTier(current, leverage))}
                  >
                    {leverage}x
                  </button>
                );
              })}
            </div>
            <ScopeChips
              aggregate={aggregate}
              onAggregate={setAggregate}
              disabled={!aggregation.available}
              {...(aggregation.available ? {} : { unavailable: aggregation.reason ?? DEFAULT_AGGREGATE_REASON })}
            />
            <PresetChips settings={settings ?? undefined} save={save} />
          </div>}
          <StatusLine state={state} updateFailed={updateFailed} progress={progress} now={now} view={view} retry={retry} symbol={props.symbol} exchange={props.exchange} />
          {view ? (
            <div class={state.kind === 'loading' ? 'body dim' : 'body'}>
              <Chart
                view={view}
                theme={theme}
                scale={contrast.scale}
                {...(view.realized ? { realized: view.realized } : {})}
                {...(real ? { overlay: (plot) => <RealLevelMarks view={real} priceLow={view.heatmap.priceLow} priceHigh={view.heatmap.priceHigh} plot={plot} width={HEATMAP_WIDTH} height={CHART_HEIGHT} theme={theme} /> } : {})}
              />
              {details ? (
                <>
                  {compact ? null : <ContrastControl {...contrast.control} />}
                  <PoolRows view={view} />
                  {compact ? null : (
                    <>
                      {real ? <RealLevelRows view={real} price={view.price} now={now} /> : null}
                      <ContextRows view={view} />
                      <p class="note" title={view.notes?.join('\n')}>
                        An estimate from public candles, open interest and funding, not the exchange's position book.
                      </p>
                    </>
                  )}
                </>
              ) : null}
            </div>
          ) : null}
          {shell || compact ? null : <div class="footer">{props.footer ?? props.children ?? null}</div>}
        </>
      )}
    </section>
  );
}
