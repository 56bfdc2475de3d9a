import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ExchangeId } from '../engine/types';
import { type BarTimeframe, type EstimateRequest, type EstimateView, LEVERAGE_TIERS, LOOKBACK_MS, LOOKBACKS, type Lookback, type MarketStatus, type OpenFullViewRequest, type StatusRequest, type StatusView } from '../messaging/contract';
import { estimateRequestFor } from '../settings/request';
import type { Settings } from '../settings/schema';
import { saveSettings } from '../settings/store';
import { backgroundClient, sameEstimateRequest, watchEstimate } from './estimate-client';
import { nextTask } from './panel/next-task';
import { Chart } from './panel/chart';
import type { ToggleChannel } from './panel/commands';
import { ContrastControl, useContrast } from './panel/contrast-control';
import { ContextRows, PoolRows } from './panel/details';
import { PresetChips } from './panel/preset-chips';
import { ScopeChips } from './panel/scope-chips';
import { clampPosition, DEFAULT_LAYOUT, type LayoutStorage, loadLayout, type PanelLayout, saveLayout } from './panel/layout-store';
import { failureKind, type FailureKind, fmtAge, fmtProgress, storageNotice } from './panel/status';
import { type PanelTheme, pageTheme, resolveTheme, type ThemeSetting, watchPageTheme } from './panel/theme';
import { CHART_HEIGHT, HEATMAP_WIDTH } from './panel/chart';
import { RealLevelMarks, RealLevelRows, useRealLevels } from './panel/real-levels';
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

type LoadProgress = NonNullable<MarketStatus['progress']>;

type State =
  | { readonly kind: 'loading'; readonly previous?: EstimateView }
  | { readonly kind: 'ready'; readonly view: EstimateView }
  | { readonly kind: 'error'; readonly message: string; readonly failure: FailureKind; readonly previous?: EstimateView };

/** How often the loading line asks the background for progress. */
const PROGRESS_POLL_MS = 300;
/** How often a shown view checks whether the background's update behind it failed. */
const STALE_POLL_MS = 3_000;
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
  const [state, setState] = useState<State>({ kind: 'loading' });
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

  // The background's status of this market, polled (one small message, no network): while
  // loading, its progress; while a view is shown, whether the update behind it failed (a view
  // can be answered from held bars at once while the update runs).
  const kind = state.kind;
  const extendingNow = kind === 'ready' && progress !== undefined;
  // The view shown, for the status poll (which runs outside renders).
  const viewRef = useRef<EstimateView | undefined>(undefined);
  viewRef.current = state.kind === 'ready' ? state.view : undefined;
  useEffect(() => {
    if (kind === 'error') return;
    const loadingNow = kind === 'loading';
    let stopped = false;
    const poll = () => {
      status({ exchange: props.exchange, symbol: props.symbol }).then(
        (answer) => {
          if (stopped) return;
          if (answer.aggregate) setAggregation(answer.aggregate);
          const market = answer.markets[0];
          if (!market) return;
          if (loadingNow) {
            if (market.state === 'loading' && market.progress) setProgress(market.progress);
          } else {
            setUpdateFailed(market.stale === true || (market.state === 'error' && failureKind(market.message ?? '') === 'offline'));
            // A first map of the recent window is shown while the older history loads: its progress.
            setProgress(market.state === 'loading' && partialView(viewRef.current) ? (market.progress ?? { done: 0, total: 0 }) : undefined);
          }
        },
        () => {},
      );
    };
    // At once: a first map that arrives while older history still loads shows that at once.
    poll();
    const timer = setInterval(poll, loadingNow || extendingNow ? PROGRESS_POLL_MS : STALE_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [kind, extendingNow, props.exchange, props.symbol]);

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

const EXCHANGE_NAMES: Readonly<Record<ExchangeId, string>> = { binance: 'Binance', bybit: 'Bybit', okx: 'OKX', bitget: 'Bitget', hyperliquid: 'Hyperliquid' };
const exchangeName = (id: ExchangeId): string => EXCHANGE_NAMES[id];

function StatusLine(props: {
  state: State;
  updateFailed: boolean;
  progress: LoadProgress | undefined;
  now: number;
  view: EstimateView | undefined;
  retry: () => void;
  symbol: string;
  exchange: ExchangeId;
}) {
  const { state, progress, view } = props;
  const age = view ? fmtAge(props.now - view.context.timestamp) : undefined;
  if (state.kind === 'loading') {
    return (
      <p class="status" data-status="loading" role="status">
        <span class="spinner" aria-hidden="true" />
        {progress && progress.total > 0 ? (
          <>
            <span data-progress="requests" data-done={progress.done} data-total={progress.total}>{`Loading history: ${fmtProgress(progress.done, progress.total)}`}</span>
            {progress.bars ? <span class="muted" data-progress="bars">{` · ${fmtProgress(progress.bars.done, progress.bars.total, 'bars')}`}</span> : null}
            <progress max={progress.total} value={progress.done} />
          </>
        ) : (
          'Estimating liquidation levels…'
        )}
      </p>
    );
  }
  if (state.kind === 'error') {
    if (state.failure === 'unsupported') {
      return (
        <p class="status error" data-status="unsupported" role="alert">
          {props.symbol} is not a perpetual LiqLens can read on {props.exchange}, or its history is too short for an estimate. ({state.message})
        </p>
      );
    }
    return (
      <p class="status error" data-status={state.failure} role="alert">
        {state.previous ? <span class="badge stale" data-badge="stale">{`stale · ${age ?? ''} old`}</span> : null}
        {state.failure === 'offline' ? 'The exchange or the extension could not be reached' : 'Could not estimate'}: {state.message}{' '}
        <button type="button" onClick={props.retry}>
          Retry
        </button>
      </p>
    );
  }
  const storage = storageNotice(state.view.notes);
  const storageLine = storage ? (
    <p class="status warn" data-status="storage" role="status">
      Working without the local cache: {storage}
    </p>
  ) : null;
  if (state.view.stale || props.updateFailed) {
    return (
      <>
        <p class="status warn" data-status="stale" title="The exchange could not be reached (offline or rate-limited): the bars held are shown as they were.">
          <span class="badge stale" data-badge="stale">{`stale · ${age ?? ''} old`}</span> The exchange could not be reached: showing the last bars held.
        </p>
        {storageLine}
      </>
    );
  }
  // The map shown covers the recent window; the rest of the lookback is loading.
  const extending = progress ? (
    <p class="status" data-status="extending" role="status">
      {progress.total > 0 ? (
        <>
          <span data-progress="requests" data-done={progress.done} data-total={progress.total}>{`Loading older history: ${fmtProgress(progress.done, progress.total)}`}</span>
          <progress max={progress.total} value={progress.done} />
        </>
      ) : (
        'Loading older history…'
      )}
      {view?.loadingExchanges && view.loadingExchanges.length > 0 ? (
        <span data-loading-exchanges={view.loadingExchanges.join(',')}>{` · still loading: ${view.loadingExchanges.map(exchangeName).join(', ')}`}</span>
      ) : null}
    </p>
  ) : null;
  return (
    <>
      {extending}
      {storageLine}
    </>
  );
}

/**
 * True when a view's map covers less than nine tenths of its lookback: a first map of the recent
 * window, with the older history still loading (not a minute's refresh of a whole map).
 */
function partialView(view: EstimateView | undefined): boolean {
  if (!view) return false;
  return view.heatmap.columns * view.heatmap.columnMs < 0.9 * LOOKBACK_MS[view.lookback];
}

/**
 * False until after the first render in which `when` held, true from then on: a part of a large
 * render drawn in a task of its own. It waits for the render's effects (they run after the next
 * frame), so that the effects and the second part are not one long task either.
 */
function useAfterTask(when: boolean): boolean {
  const [done, setDone] = useState(false);
  useEffect(() => (when && !done ? nextTask(() => setDone(true)) : undefined), [when, done]);
  return done;
}

/** Every tier when none (or none known) is given. */
function initialTiers(leverages: readonly number[] | undefined): readonly number[] {
  const known = leverages ? LEVERAGE_TIERS.filter((l) => leverages.includes(l)) : [];
  return known.length > 0 ? known : LEVERAGE_TIERS;
}

/** Adds or removes one tier; the last one stays (an empty filter would be an empty map). */
function toggleTier(tiers: readonly number[], leverage: number): readonly number[] {
  if (tiers.includes(leverage)) return tiers.length === 1 ? tiers : tiers.filter((l) => l !== leverage);
  return LEVERAGE_TIERS.filter((l) => l === leverage || tiers.includes(l));
}

function viewport(): { width: number; height: number } {
  return typeof window === 'undefined' ? { width: 1280, height: 800 } : { width: window.innerWidth, height: window.innerHeight };
}

/** A stored layout kept inside the current viewport. */
function fitted(layout: PanelLayout, element: HTMLElement | null): PanelLayout {
  if (layout.x === undefined || layout.y === undefined) return layout;
  const rect = element?.getBoundingClientRect();
  return { ...layout, ...clampPosition({ x: layout.x, y: layout.y }, { width: rect?.width || 440, height: rect?.height || 40 }, viewport()) };
}

/**
 * Dragging by the header: pointer capture, one position per frame, stored on release. Clicks on
 * the header's controls are left alone.
 */
function useDrag(section: { readonly current: HTMLElement | null }, layout: PanelLayout, update: (next: PanelLayout) => void) {
  return (event: PointerEvent) => {
    const header = event.currentTarget as HTMLElement;
    const target = event.target as Element | null;
    if (event.button !== 0 || target?.closest('button, select, input, a')) return;
    const panel = section.current;
    if (!panel) return;
    const rect = panel.getBoundingClientRect();
    const dx = event.clientX - rect.left;
    const dy = event.clientY - rect.top;
    let latest = { x: rect.left, y: rect.top };
    let frame: number | undefined;
    let moved = false;
    header.setPointerCapture?.(event.pointerId);
    event.preventDefault();
    const move = (e: PointerEvent) => {
      moved = true;
      latest = clampPosition({ x: e.clientX - dx, y: e.clientY - dy }, { width: rect.width, height: rect.height }, viewport());
      if (frame !== undefined) return;
      frame = requestAnimationFrame(() => {
        frame = undefined;
        panel.style.left = `${latest.x}px`;
        panel.style.top = `${latest.y}px`;
        panel.style.right = 'auto';
        panel.style.bottom = 'auto';
      });
    };
    const up = () => {
      header.removeEventListener('pointermove', move);
      header.removeEventListener('pointerup', up);
      header.removeEventListener('pointercancel', up);
      if (frame !== undefined) cancelAnimationFrame(frame);
      if (moved) update({ ...layout, x: latest.x, y: latest.y });
    };
    header.addEventListener('pointermove', move);
    header.addEventListener('pointerup', up);
    header.addEventListener('pointercancel', up);
  };
}
