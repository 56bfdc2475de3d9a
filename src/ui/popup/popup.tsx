import { useEffect, useState } from 'preact/hooks';
import type { ExchangeId } from '../../engine/types';
import type { EstimateRequest, EstimateView, MarketInfo, MarketRef } from '../../messaging/contract';
import { estimateRequestFor } from '../../settings/request';
import type { Settings } from '../../settings/schema';
import type { Watch } from '../../settings/store';
import type { FullViewParams } from '../fullview/params';
import { QuickLook } from '../QuickLook';
import { useResolvedTheme } from '../theme';
import { futuresPageUrl } from './futures-page';
import { SymbolPicker } from './symbol-picker';

/** What the popup needs from the browser and the background (passed in, so it is testable). */
export interface PopupDeps {
  /** The active tab and the market it shows (null off a supported futures page). */
  readonly findTab: () => Promise<Tab>;
  readonly getSettings: () => Promise<Settings>;
  readonly listMarkets: (exchange: ExchangeId) => Promise<readonly MarketInfo[]>;
  readonly estimate: (req: EstimateRequest) => Promise<EstimateView>;
  /** Keeps the estimate live while the popup is open (new bars, realized liquidations); `estimate` when absent. */
  readonly watch?: (req: EstimateRequest, onView: (view: EstimateView) => void, onError: (error: unknown) => void, signal: AbortSignal) => void;
  readonly getWatchlist: () => Promise<readonly Watch[]>;
  readonly setWatched: (market: MarketRef, watched: boolean) => Promise<readonly Watch[]>;
  /** Asks the tab's content script to show its panel; false when no script answered. */
  readonly showPanel: (tabId: number) => Promise<boolean>;
  readonly openTab: (url: string) => Promise<void>;
  readonly openOptions: () => void;
  /** Opens the full view of a market in a new tab. */
  readonly openFullView?: (params: FullViewParams) => Promise<void>;
  /** Closes the popup after it handed over to a page. */
  readonly close: () => void;
}

type EstimateState =
  | { readonly kind: 'loading'; readonly market: MarketRef }
  | { readonly kind: 'ready'; readonly view: EstimateView }
  | { readonly kind: 'error'; readonly market: MarketRef; readonly message: string };

type Tab = {
  readonly tabId?: number;
  readonly market: MarketRef | null;
  /** Why the tab's page, on a supported site, shows no market LiqLens covers (a spot pair, a builder dex). */
  readonly unsupported?: string;
};

const same = (a: MarketRef | null | undefined, b: MarketRef | null | undefined) => !!a && !!b && a.exchange === b.exchange && a.symbol === b.symbol;

/**
 * The toolbar popup: pick a market (the active tab's by default), see it at a glance, watch it
 * for alerts, and open the on-page panel.
 */
export function Popup({ deps }: { readonly deps: PopupDeps }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [tab, setTab] = useState<Tab | null>(null);
  const [selected, setSelected] = useState<MarketRef | null>(null);
  const [estimate, setEstimate] = useState<EstimateState | null>(null);
  const [watches, setWatches] = useState<readonly Watch[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const theme = useResolvedTheme(settings?.theme ?? 'system');

  useEffect(() => {
    void (async () => {
      const [found, loaded, watched] = await Promise.all([
        deps.findTab().catch(() => ({ market: null })),
        deps.getSettings(),
        deps.getWatchlist().catch(() => []),
      ]);
      setSettings(loaded);
      setWatches(watched);
      setTab(found);
      // Off a futures page, the first watched market (if any) is the natural one to show.
      setSelected(found.market ?? watched[0] ?? null);
    })().catch((error: unknown) => setNotice(errorText(error)));
  }, []);

  useEffect(() => {
    if (!selected || !settings) return undefined;
    let live = true;
    const controller = new AbortController();
    setEstimate({ kind: 'loading', market: selected });
    const show = (view: EstimateView) => live && setEstimate({ kind: 'ready', view });
    const fail = (error: unknown) => live && setEstimate({ kind: 'error', market: selected, message: errorText(error) });
    const req = estimateRequestFor(selected, settings);
    if (deps.watch) deps.watch(req, show, fail, controller.signal);
    else deps.estimate(req).then(show, fail);
    return () => {
      live = false;
      controller.abort();
    };
  }, [selected?.exchange, selected?.symbol, settings]);

  const state = tab === null || settings === null ? 'finding' : selected === null ? 'no-market' : (estimate?.kind ?? 'loading');
  const watched = selected ? watches.some((w) => same(w, selected)) : false;
  const onThisTab = tab?.tabId !== undefined && same(tab.market, selected);

  async function openPanel(): Promise<void> {
    if (!selected) return;
    try {
      if (onThisTab && tab?.tabId !== undefined && (await deps.showPanel(tab.tabId))) {
        deps.close();
        return;
      }
      await deps.openTab(futuresPageUrl(selected));
      deps.close();
    } catch (error) {
      setNotice(errorText(error));
    }
  }

  async function openFullView(): Promise<void> {
    if (!selected || !settings || !deps.openFullView) return;
    try {
      await deps.openFullView({ exchange: selected.exchange, symbol: selected.symbol, lookback: settings.lookback });
      deps.close();
    } catch (error) {
      setNotice(errorText(error));
    }
  }

  async function toggleWatch(): Promise<void> {
    if (!selected) return;
    try {
      setWatches(await deps.setWatched(selected, !watched));
      setNotice(null);
    } catch (error) {
      setNotice(errorText(error));
    }
  }

  return (
    <main data-state={state} data-tab={tab?.market ? 'market' : 'none'} data-theme={theme}>
      <header>
        <h1>LiqLens</h1>
        <span class="market" data-market={selected ? `${selected.exchange}:${selected.symbol}` : ''}>
          {selected ? `${selected.symbol} · ${selected.exchange}` : ''}
          {settings && selected ? ` · ${settings.lookback}` : ''}
        </span>
        <button type="button" onClick={() => deps.openOptions()} aria-label="Options" title="Options">
          ⚙
        </button>
      </header>
      {settings ? (
        <SymbolPicker exchanges={settings.exchanges} value={selected} onPick={setSelected} listMarkets={deps.listMarkets} />
      ) : null}
      {state === 'finding' ? <p class="status">Loading…</p> : null}
      {tab?.unsupported ? (
        <p class="status muted" data-unsupported>
          {tab.unsupported}
        </p>
      ) : null}
      {state === 'no-market' ? (
        <p class="status muted">This tab is not a supported futures page. Search a market above to see its estimated liquidation levels.</p>
      ) : null}
      {estimate?.kind === 'loading' ? <p class="status">Estimating liquidation levels…</p> : null}
      {estimate?.kind === 'error' ? <p class="status error">Could not estimate: {estimate.message}</p> : null}
      {estimate?.kind === 'ready' ? <QuickLook view={estimate.view} theme={theme} {...(settings ? { scale: { threshold: settings.contrast } } : {})} /> : null}
      {selected ? (
        <div class="actions">
          <button type="button" class="primary" data-action="open-panel" onClick={() => void openPanel()}>
            {onThisTab ? 'Show panel' : 'Open futures page'}
          </button>
          {deps.openFullView && settings ? (
            <button type="button" data-action="full-view" title="Open the full-size view in a new tab" onClick={() => void openFullView()}>
              Expand
            </button>
          ) : null}
          <span class="spacer" />
          <button type="button" data-action="watch" aria-pressed={watched} onClick={() => void toggleWatch()}>
            {watched ? '★ Watching' : '☆ Watch'}
          </button>
        </div>
      ) : null}
      {selected && watched && settings && !settings.alerts ? <p class="note">Alerts are off in the options.</p> : null}
      {notice ? <p class="error">{notice}</p> : null}
    </main>
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
