/**
 * The panel's behaviour in a DOM without a browser (linkedom): loading with progress, the ready
 * body, failures (unsupported symbol, offline with the last view kept), the stale badge, the
 * leverage-tier filter, aggregation disabled with its reason, collapse remembered per site, the
 * keyboard toggle and the footer slot.
 */
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { installDom } from '../../../tests/support/dom';
import { type EstimateView, LEVERAGE_TIERS, type StatusView } from '../../messaging/contract';
import { DEFAULT_SETTINGS, PRESET_WEIGHTS, type Settings } from '../../settings/schema';
import { Panel, type PanelRequest } from '../Panel';
import { createToggleChannel } from './commands';
import type { LayoutStorage, PanelLayouts } from './layout-store';

const { window, newRoot } = installDom();
let root: HTMLElement;

const NOW = Date.now();

function view(extra: Partial<EstimateView> = {}): EstimateView {
  return {
    exchange: 'binance',
    symbol: 'BTCUSDT',
    lookback: '24h',
    computedAt: NOW,
    price: 100,
    pools: [
      { side: 'short', priceLow: 104, priceHigh: 106, peakPrice: 105, notionalUsd: 2_500_000, strength: 8, distancePct: 4, distanceAtr: 2.5 },
      { side: 'long', priceLow: 95, priceHigh: 97, peakPrice: 96, notionalUsd: 1_200_000, strength: 5, distancePct: -3, distanceAtr: 1.9 },
    ],
    context: {
      timestamp: NOW - 2 * 3_600_000,
      price: 100,
      funding: 0.0003,
      fundingZ: 2.1,
      crowdedSide: 'long',
      openInterestUsd: 5e9,
      openInterestChange: { h1: 0.01, h4: -0.02, h24: 0.05 },
      trend: 'up',
      trendChangePct: 1.2, trendWindowMs: 3_600_000,
      longShortRatio: 1.5,
      reliability: {
        score: 0.55,
        reasons: [
          { factor: 'exchanges', score: 0.4, text: 'One exchange: only that venue is seen' },
          { factor: 'history', score: 0.9, text: 'Enough history' },
        ],
      },
    },
    heatmap: { columns: 2, rows: 2, firstTimestamp: NOW - 7_200_000, columnMs: 3_600_000, priceLow: 90, priceHigh: 110, maxCellUsd: 1e6, intensity: [0, 255, 128, 1], candles: [99, 101, 98, 100, 100, 102, 99, 100] },
    latestMap: { priceLow: 90, priceHigh: 110, long: [5, 3, 0, 0], short: [0, 0, 2, 7], atr: 1.6 },
    ...extra,
  };
}

function memoryStore(initial: PanelLayouts = {}): LayoutStorage & { value: PanelLayouts } {
  const store = {
    value: initial,
    getValue: async () => store.value,
    setValue: async (value: PanelLayouts) => {
      store.value = value;
    },
  };
  return store;
}

const idleStatus = async (): Promise<StatusView> => ({ version: '1', markets: [], aggregate: { available: false, reason: 'Not yet: one exchange per estimate.' } });

async function until(check: () => boolean, ms = 2_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out; panel: ${root.innerHTML.slice(0, 600)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function mount(props: Partial<Parameters<typeof Panel>[0]> & { load: (req: PanelRequest, signal: AbortSignal) => Promise<EstimateView> }) {
  root = newRoot();
  render(<Panel exchange="binance" symbol="BTCUSDT" signal={new AbortController().signal} site="www.binance.com" layoutStore={memoryStore()} status={idleStatus} {...props} />, root);
  return root;
}

const $ = (selector: string) => root.querySelector(selector);
const click = (element: Element | null) => element?.dispatchEvent(new window.Event('click', { bubbles: true }));

describe('Panel', () => {
  it('shows progress as n of N requests (bars beside) while history loads, never a blank panel', async () => {
    let resolve!: (v: EstimateView) => void;
    let loaded = false;
    const status = async (): Promise<StatusView> => ({
      version: '1',
      markets: [
        loaded
          ? { exchange: 'binance', symbol: 'BTCUSDT', state: 'ready', bars: 576 }
          : { exchange: 'binance', symbol: 'BTCUSDT', state: 'loading', bars: 0, progress: { done: 3, total: 8, bars: { done: 144, total: 576 } } },
      ],
    });
    mount({ load: () => new Promise((r) => (resolve = (v) => ((loaded = true), r(v)))), status });
    expect($('section')?.getAttribute('data-state')).toBe('loading');
    expect($('[data-status="loading"]')?.textContent).toMatch(/Estimating|Loading/);
    await until(() => /Loading history: 3 of 8 requests · 144 of 576 bars/.test($('[data-status="loading"]')?.textContent ?? ''));
    expect($('[data-progress="requests"]')?.getAttribute('data-total')).toBe('8');
    expect($('[data-status="loading"] progress')?.getAttribute('value')).toBe('3');
    resolve(view());
    await until(() => $('section')?.getAttribute('data-state') === 'ready');
    await until(() => $('[data-status]') === null);
  });

  it('a first map of the recent window stays shown while the older history loads, with its progress', async () => {
    let extending = true;
    const status = async (): Promise<StatusView> => ({
      version: '1',
      markets: [
        extending
          ? { exchange: 'binance', symbol: 'BTCUSDT', state: 'loading', bars: 288, progress: { done: 5, total: 40 } }
          : { exchange: 'binance', symbol: 'BTCUSDT', state: 'ready', bars: 2016 },
      ],
    });
    mount({ load: async () => view(), status });
    await until(() => $('section')?.getAttribute('data-state') === 'ready');
    await until(() => /Loading older history: 5 of 40 requests/.test($('[data-status="extending"]')?.textContent ?? ''));
    expect($('canvas')).not.toBeNull();
    extending = false;
    await until(() => $('[data-status="extending"]') === null);
  });

  it('shows the nearest pools (centre price and its distance in %, USD, strength; range and near edge on hover) and the context with reasons folded under the score', async () => {
    mount({ load: async () => view() });
    await until(() => $('section')?.getAttribute('data-state') === 'ready');
    // The pools and the context follow the chart in a task of their own.
    expect(root.querySelectorAll('canvas')).toHaveLength(2);
    await until(() => $('[data-pool="above"]') !== null);
    // The percentage is the centre price's (105 against 100), not the near edge's (104).
    expect($('[data-pool="above"]')?.textContent).toBe('▲ 105.00 · +5.00 % · about $2.5M of shorts · strength 8/10');
    expect($('[data-pool="below"]')?.textContent).toBe('▼ 96.000 · −4.00 % · about $1.2M of longs · strength 5/10');
    expect($('[data-pool="above"]')?.getAttribute('title')).toBe('Pool 104.00-106.00, centred at 105.00; its near edge is +4.00 % from the price');
    expect($('[data-context="funding"]')?.textContent).toBe('0.0300 % / 8h (unusually high) · longs pay');
    expect($('[data-context="oi"]')?.textContent).toBe('+1.00 % / −2.00 % / +5.00 %');
    expect($('[data-context="ratio"]')?.textContent).toBe('1.50 · 60 % long');
    // The trend's percentage names its window, and the tooltip says it is the smoothed price's move.
    expect($('[data-context="trend"]')?.textContent).toBe('↑ up (+1.20 % / 1h)');
    expect($('[data-context="trend"]')?.getAttribute('title')).toBe(
      "The smoothed price (an EMA of closes on a 4x timeframe) moved +1.20 % over the last 1h; under 1.5 ATR reads as flat. The last price's own change over that time can differ.",
    );
    expect($('[data-context="reliability"]')?.textContent).toBe('fair 5.5/10');
    // Weakest reason first, inside a <details> whose summary is the score.
    expect($('details.reliability > summary [data-context="reliability"]')).not.toBeNull();
    expect($('details.reliability [data-context="reasons"]')).not.toBeNull();
    expect([...root.querySelectorAll('[data-context="reasons"] li')].map((li) => li.textContent)).toEqual(['One exchange: only that venue is seen', 'Enough history']);
    expect(root.querySelectorAll('canvas')).toHaveLength(2);
  });

  it('says the long/short account ratio is not available when the exchange gave none, with the reason it costs', async () => {
    const { longShortRatio: _dropped, ...context } = view().context;
    const reason = { factor: 'long-short-ratio' as const, score: 0.8, text: 'No long/short account ratio from the exchange: which side new positions are on rests on taker flow and funding alone' };
    mount({ load: async () => view({ context: { ...context, reliability: { score: 0.5, reasons: [...context.reliability.reasons, reason] } } }) });
    await until(() => $('section')?.getAttribute('data-state') === 'ready' && $('[data-context="ratio"]') !== null);
    expect($('[data-context="ratio"]')?.textContent).toBe('not available');
    expect($('[data-context="ratio"]')?.getAttribute('title')).toContain(reason.text);
    expect($('[data-context="reasons"] [data-factor="long-short-ratio"]')?.textContent).toBe(reason.text);
  });

  it('says clearly when the symbol is not supported', async () => {
    mount({ load: async () => Promise.reject(new Error("binance: no supported perpetual market 'FOOUSDT'")), symbol: 'FOOUSDT' });
    await until(() => $('section')?.getAttribute('data-state') === 'error');
    expect($('[data-status="unsupported"]')?.textContent).toMatch(/^FOOUSDT is not a perpetual LiqLens can read on binance/);
  });

  it('keeps the last view with a stale badge when a reload fails offline, and retries', async () => {
    let calls = 0;
    mount({
      load: async () => {
        calls++;
        if (calls === 2) throw new Error('transport-failed: could not reach the background');
        return view();
      },
    });
    await until(() => $('section')?.getAttribute('data-state') === 'ready' && $('[data-pool="above"]') !== null);
    click($('button[data-tier="5"]'));
    await until(() => $('section')?.getAttribute('data-state') === 'error');
    expect($('[data-status="offline"]')?.textContent).toMatch(/could not be reached/);
    expect($('[data-badge="stale"]')?.textContent).toBe('stale · 2 h old');
    expect($('[data-pool="above"]')).not.toBeNull();
    click([...root.querySelectorAll('[data-status] button')].find((b) => b.textContent === 'Retry') ?? null);
    await until(() => $('section')?.getAttribute('data-state') === 'ready');
    expect(calls).toBe(3);
  });

  it('marks a view built from held bars as stale with the data age', async () => {
    mount({ load: async () => view({ stale: true }) });
    await until(() => $('section')?.getAttribute('data-state') === 'ready');
    expect($('[data-status="stale"] [data-badge="stale"]')?.textContent).toBe('stale · 2 h old');
  });

  it('shows the stale badge when the background\'s update behind a shown view fails', async () => {
    let stale = false;
    const status = async (): Promise<StatusView> => ({ version: '1', markets: [{ exchange: 'binance', symbol: 'BTCUSDT', state: 'ready', bars: 576, ...(stale ? { stale } : {}) }] });
    mount({ load: async () => view(), status });
    await until(() => $('section')?.getAttribute('data-state') === 'ready');
    expect($('[data-badge="stale"]')).toBeNull();
    stale = true;
    await until(() => $('[data-status="stale"] [data-badge="stale"]')?.textContent === 'stale · 2 h old', 5_000);
  });

  it('asks for the chosen leverage tiers only, and always keeps one', async () => {
    const requests: PanelRequest[] = [];
    mount({ load: async (req) => (requests.push(req), view()) });
    await until(() => requests.length === 1 && $('section')?.getAttribute('data-state') === 'ready');
    expect(requests[0]!.leverages).toBeUndefined();
    click($('button[data-tier="5"]'));
    await until(() => requests.length === 2);
    expect(requests[1]!.leverages).toEqual(LEVERAGE_TIERS.filter((l) => l !== 5));
    expect($('button[data-tier="5"]')?.getAttribute('aria-pressed')).toBe('false');
    for (const l of LEVERAGE_TIERS) if (l !== 125 && l !== 5) click($(`button[data-tier="${l}"]`));
    await until(() => requests.at(-1)!.leverages?.length === 1);
    expect(requests.at(-1)!.leverages).toEqual([125]);
    const count = requests.length;
    click($('button[data-tier="125"]'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requests.length).toBe(count);
    expect($('button[data-tier="125"]')?.getAttribute('aria-pressed')).toBe('true');
  });

  it('shows aggregation disabled with the background\'s reason', async () => {
    mount({ load: () => new Promise(() => {}) });
    await until(() => $('button[data-scope="aggregate"]')?.getAttribute('title') === 'Not yet: one exchange per estimate.');
    expect($('button[data-scope="aggregate"]')?.hasAttribute('disabled')).toBe(true);
  });

  it('collapses and remembers it for the site; opens collapsed when stored so', async () => {
    const store = memoryStore({ 'www.bybit.com': { collapsed: false, x: 10, y: 20 } });
    mount({ load: async () => view(), layoutStore: store });
    await until(() => $('section')?.getAttribute('data-state') === 'ready');
    click($('button[aria-label="Collapse"]'));
    await until(() => store.value['www.binance.com']?.collapsed === true);
    expect(store.value['www.bybit.com']).toEqual({ collapsed: false, x: 10, y: 20 });
    expect($('section')?.getAttribute('data-collapsed')).toBe('true');
    expect(root.querySelectorAll('canvas')).toHaveLength(0);
    render(null, root);
    mount({ load: async () => view(), layoutStore: store });
    await until(() => $('section')?.getAttribute('data-collapsed') === 'true');
    expect($('header')?.textContent).toContain('BTCUSDT');
  });

  it('hides and shows on the keyboard command', async () => {
    const toggle = createToggleChannel();
    mount({ load: async () => view(), toggle });
    await until(() => $('section')?.getAttribute('data-state') === 'ready');
    expect($('section')?.hasAttribute('hidden')).toBe(false);
    toggle.emit();
    await until(() => $('section')?.hasAttribute('hidden') === true);
    toggle.emit();
    await until(() => $('section')?.hasAttribute('hidden') === false);
  });

  it('renders the footer given by other features under the body and tells them each view', async () => {
    const seen: EstimateView[] = [];
    mount({ load: async () => view(), footer: <p data-footer="warnings">Order check</p>, onView: (v) => seen.push(v) });
    await until(() => $('section')?.getAttribute('data-state') === 'ready');
    // Other features hear of a view in a task after it is shown.
    await until(() => seen.length > 0);
    expect(seen.map((v) => v.symbol)).toEqual(['BTCUSDT']);
    expect($('[data-footer="warnings"]')?.textContent).toBe('Order check');
  });

  it('takes theme, default lookback, bar size and leverage weights from the settings, and follows them', async () => {
    const requests: PanelRequest[] = [];
    let listener: ((s: Settings) => void) | undefined;
    const stored: Settings = { ...DEFAULT_SETTINGS, theme: 'light', lookback: '7d', timeframe: '1h', leverage: { preset: 'aggressive', custom: PRESET_WEIGHTS.default } };
    mount({
      load: async (req) => (requests.push(req), view()),
      settings: { get: async () => stored, watch: (l) => ((listener = l), () => (listener = undefined)) },
    });
    await until(() => $('section')?.getAttribute('data-state') === 'ready');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ lookback: '7d', timeframe: '1h', leverageWeights: PRESET_WEIGHTS.aggressive });
    expect($('section')?.getAttribute('data-theme')).toBe('light');
    listener!({ ...stored, theme: 'dark' });
    await until(() => $('section')?.getAttribute('data-theme') === 'dark');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(requests).toHaveLength(1);
    listener!({ ...stored, theme: 'dark', timeframe: '15m' });
    await until(() => requests.length === 2);
    expect(requests[1]).toMatchObject({ lookback: '7d', timeframe: '15m' });
  });

  it('starts with settings already read, without waiting for their read', async () => {
    const requests: PanelRequest[] = [];
    const stored: Settings = { ...DEFAULT_SETTINGS, theme: 'light', lookback: '3d', timeframe: '15m' };
    mount({
      load: async (req) => (requests.push(req), view()),
      // The read itself never ends: the request can only come from the known settings.
      settings: { get: () => new Promise(() => {}), known: () => stored, watch: () => () => {} },
    });
    await until(() => $('section')?.getAttribute('data-state') === 'ready');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ lookback: '3d', timeframe: '15m' });
    expect($('section')?.getAttribute('data-theme')).toBe('light');
  });

  it('switches the leverage preset in the panel through the settings store; the chips say which one is on', async () => {
    const requests: PanelRequest[] = [];
    const saved: Partial<Settings>[] = [];
    let current: Settings = { ...DEFAULT_SETTINGS };
    let listener: ((s: Settings) => void) | undefined;
    mount({
      load: async (req) => (requests.push(req), view()),
      settings: { get: async () => current, watch: (l) => ((listener = l), () => (listener = undefined)) },
      saveSettings: async (change) => {
        saved.push(change);
        current = { ...current, ...change };
        listener?.(current);
        return current;
      },
    });
    await until(() => $('section')?.getAttribute('data-state') === 'ready' && $('button[data-preset="aggressive"]') !== null);
    const pressed = () => [...root.querySelectorAll('button[data-preset]')].filter((b) => b.getAttribute('aria-pressed') === 'true').map((b) => b.getAttribute('data-preset'));
    expect(pressed()).toEqual(['default']);
    click($('button[data-preset="aggressive"]'));
    await until(() => requests.length === 2);
    expect(saved).toEqual([{ leverage: { preset: 'aggressive', custom: PRESET_WEIGHTS.default } }]);
    expect(requests[1]).toMatchObject({ leverageWeights: PRESET_WEIGHTS.aggressive });
    await until(() => pressed().join() === 'aggressive');
    // The lookback picked in the panel is this panel's (the stored default lookback stays); the preset stays.
    const select = $('select[aria-label="Lookback"]') as HTMLSelectElement;
    // linkedom's select has no value setter: the option is picked by its attribute.
    for (const option of select.querySelectorAll('option')) option.toggleAttribute('selected', option.getAttribute('value') === '7d');
    expect(select.value).toBe('7d');
    select.dispatchEvent(new window.Event('change', { bubbles: true }));
    await until(() => requests.length === 3);
    expect(saved).toHaveLength(1);
    expect(requests[2]).toMatchObject({ lookback: '7d', leverageWeights: PRESET_WEIGHTS.aggressive });
  });

  it('compact mode shows only the chart and the nearest pools, and is remembered for the site', async () => {
    const store = memoryStore();
    mount({ load: async () => view(), layoutStore: store, footer: <p data-footer="warnings">Order check</p> });
    await until(() => $('section')?.getAttribute('data-state') === 'ready' && $('.context') !== null);
    expect($('[data-footer="warnings"]')).not.toBeNull();
    click($('button[data-action="compact"]'));
    await until(() => store.value['www.binance.com']?.compact === true);
    expect($('button[data-action="compact"]')?.getAttribute('aria-pressed')).toBe('true');
    expect($('.context')).toBeNull();
    expect($('.filters')).toBeNull();
    expect($('[data-footer="warnings"]')).toBeNull();
    expect(root.querySelectorAll('canvas').length).toBeGreaterThan(0);
    expect(root.querySelectorAll('[data-pool]').length).toBe(2);
    render(null, root);
    mount({ load: async () => view(), layoutStore: store });
    await until(() => $('section')?.getAttribute('data-compact') === 'true' && $('section')?.getAttribute('data-state') === 'ready');
    await until(() => root.querySelectorAll('[data-pool]').length === 2);
    expect($('.context')).toBeNull();
  });

  it('opens the full view for the market, lookback, tier filter and scope shown', async () => {
    const opened: unknown[] = [];
    mount({ load: async () => view(), openFullView: (req) => opened.push(req) });
    await until(() => $('section')?.getAttribute('data-state') === 'ready' && $('button[data-tier="100"]') !== null);
    click($('button[data-tier="100"]'));
    await until(() => $('button[data-tier="100"]')?.getAttribute('aria-pressed') === 'false');
    click($('button[data-action="full-view"]'));
    expect(opened).toEqual([{ exchange: 'binance', symbol: 'BTCUSDT', lookback: '24h', leverages: LEVERAGE_TIERS.filter((l) => l !== 100) }]);
  });

  it('follows a forced theme', async () => {
    mount({ load: async () => view(), theme: 'light' });
    expect($('section')?.getAttribute('data-theme')).toBe('light');
  });
});
