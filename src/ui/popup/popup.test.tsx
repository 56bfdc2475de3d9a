/**
 * The popup and the options page in a DOM without a browser (linkedom), over fake dependencies:
 * which market is shown, what "Show panel" does on and off the tab's market, the picker, the
 * watch toggle, and options saved as they change with notices for unreadable values.
 */
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { installDom } from '../../../tests/support/dom';
import type { EstimateRequest, EstimateView, MarketInfo, MarketRef } from '../../messaging/contract';
import { DEFAULT_SETTINGS, PRESET_WEIGHTS, type Settings, updateSettings } from '../../settings/schema';
import type { Watch } from '../../settings/store';
import { Options, type OptionsDeps } from '../options/options';
import { unsupportedPage } from '../../sites/page-url';
import { pageAnswer } from '../page-market';
import { Popup, type PopupDeps } from './popup';
import { readPageMarket, readUnsupportedPage } from './read-page-market';

const { window, newRoot } = installDom();
let root: HTMLElement;

const BTC: MarketRef = { exchange: 'binance', symbol: 'BTCUSDT' };

function view(market: MarketRef, lookback: EstimateView['lookback'] = '24h'): EstimateView {
  return {
    ...market,
    lookback,
    computedAt: 0,
    price: 100,
    pools: [
      { side: 'short', priceLow: 104, priceHigh: 106, peakPrice: 105, notionalUsd: 2_500_000, strength: 8, distancePct: 4, distanceAtr: 2.5 },
      { side: 'long', priceLow: 95, priceHigh: 97, peakPrice: 96, notionalUsd: 1_200_000, strength: 5, distancePct: -3, distanceAtr: 1.9 },
    ],
    context: {
      timestamp: 0,
      price: 100,
      funding: 0.0001,
      openInterestUsd: 5e9,
      openInterestChange: { h1: 0.01, h4: -0.02, h24: 0.05 },
      trend: 'up',
      trendChangePct: 1.2, trendWindowMs: 3_600_000,
      reliability: { score: 0.8, reasons: [] },
    },
    heatmap: { columns: 1, rows: 1, firstTimestamp: 0, columnMs: 60_000, priceLow: 90, priceHigh: 110, maxCellUsd: 1, intensity: [255] },
  };
}

const MARKETS: MarketInfo[] = [
  { exchange: 'binance', symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', unified: 'BTC/USDT:USDT' },
  { exchange: 'binance', symbol: 'ETHUSDT', base: 'ETH', quote: 'USDT', unified: 'ETH/USDT:USDT' },
];

interface Recorder {
  readonly estimates: EstimateRequest[];
  readonly shown: number[];
  readonly opened: string[];
  readonly watched: [MarketRef, boolean][];
  closed: number;
}

function popupDeps(tab: { tabId?: number; market: MarketRef | null; unsupported?: string }, extra: Partial<PopupDeps> = {}, settings: Settings = DEFAULT_SETTINGS) {
  const rec: Recorder = { estimates: [], shown: [], opened: [], watched: [], closed: 0 };
  let watches: Watch[] = [];
  const deps: PopupDeps = {
    findTab: async () => tab,
    getSettings: async () => settings,
    listMarkets: async () => MARKETS,
    estimate: async (req) => {
      rec.estimates.push(req);
      return view(req, req.lookback);
    },
    getWatchlist: async () => watches,
    setWatched: async (market, on) => {
      rec.watched.push([market, on]);
      watches = on ? [...watches, market] : watches.filter((w) => w.symbol !== market.symbol);
      return watches;
    },
    showPanel: async (tabId) => {
      rec.shown.push(tabId);
      return true;
    },
    openTab: async (url) => {
      rec.opened.push(url);
    },
    openOptions: () => {},
    close: () => {
      rec.closed++;
    },
    ...extra,
  };
  return { deps, rec };
}

function mount(node: preact.ComponentChild): HTMLElement {
  root = newRoot();
  render(node, root);
  return root;
}

const $ = (selector: string) => root.querySelector(selector);
const click = (element: Element | null) => element?.dispatchEvent(new window.Event('click', { bubbles: true }));
function type(element: Element | null, value: string, event = 'input'): void {
  if (!element) throw new Error('no element');
  (element as HTMLInputElement).value = value;
  element.dispatchEvent(new window.Event(event, { bubbles: true }));
}

/** Picks an option of a select (linkedom's `value` is read-only there) and fires `change`. */
function choose(select: Element | null, value: string): void {
  if (!select) throw new Error('no select');
  for (const option of select.querySelectorAll('option')) {
    if ((option as HTMLOptionElement).value === value) option.setAttribute('selected', '');
    else option.removeAttribute('selected');
  }
  select.dispatchEvent(new window.Event('change', { bubbles: true }));
}

async function until(check: () => boolean, ms = 2_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out; page: ${root.innerHTML.slice(0, 800)}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const state = () => $('main')?.getAttribute('data-state');

describe('popup', () => {
  it('says why a page of a supported site is not covered (a Hyperliquid builder market)', async () => {
    const reason = unsupportedPage('https://app.hyperliquid.xyz/trade/xyz:TSLA')!.reason;
    const answer = pageAnswer('https://app.hyperliquid.xyz/trade/xyz:TSLA');
    expect(readPageMarket(answer)).toBeNull();
    expect(readUnsupportedPage(answer)).toBe(reason);
    expect(readUnsupportedPage(pageAnswer('https://app.hyperliquid.xyz/trade/BTC'))).toBeNull();
    expect(readUnsupportedPage({ exchange: 'hyperliquid', unsupported: 'x'.repeat(500) })).toBeNull();
    expect(readUnsupportedPage({ exchange: 'nowhere', unsupported: 'a reason' })).toBeNull();
    const { deps } = popupDeps({ tabId: 7, market: null, unsupported: reason });
    mount(<Popup deps={deps} />);
    await until(() => state() === 'no-market');
    expect($('[data-unsupported]')?.textContent).toBe('xyz:TSLA is a builder-deployed market: LiqLens maps the perpetuals of Hyperliquid\'s main dex only.');
  });

  it("shows the tab's market and 'Show panel' asks that tab's content script, then closes", async () => {
    const { deps, rec } = popupDeps({ tabId: 7, market: BTC });
    mount(<Popup deps={deps} />);
    await until(() => state() === 'ready');
    expect($('[data-market]')?.getAttribute('data-market')).toBe('binance:BTCUSDT');
    expect(rec.estimates).toEqual([{ ...BTC, lookback: '24h' }]);
    expect($('[data-pool="above"]')?.textContent).toMatch(/^▲ 105\.00 · \+5\.00 % · about \$2\.5M of shorts · strength 8\/10$/);
    expect($('[data-pool="below"]')?.getAttribute('title')).toBe('Pool 95.000-97.000, centred at 96.000; its near edge is −3.00 % from the price');
    expect($('[data-context="oi"]')?.textContent).toBe('+1.00 % / −2.00 % / +5.00 %');
    expect($('[data-context="funding"]')?.textContent).toBe('0.0100 % / 8h');
    expect($('[data-action="open-panel"]')?.textContent).toBe('Show panel');
    click($('[data-action="open-panel"]'));
    await until(() => rec.closed === 1);
    expect(rec.shown).toEqual([7]);
    expect(rec.opened).toEqual([]);
  });

  it("'Expand' opens the full view of the shown market under the settings' lookback, then closes", async () => {
    const full: unknown[] = [];
    const { deps, rec } = popupDeps({ tabId: 7, market: BTC }, { openFullView: async (params) => void full.push(params) }, { ...DEFAULT_SETTINGS, lookback: '7d' });
    mount(<Popup deps={deps} />);
    await until(() => state() === 'ready');
    expect($('[data-action="full-view"]')?.textContent).toBe('Expand');
    click($('[data-action="full-view"]'));
    await until(() => rec.closed === 1);
    expect(full).toEqual([{ ...BTC, lookback: '7d' }]);
  });

  it('opens the futures page when the content script does not answer', async () => {
    const { deps, rec } = popupDeps({ tabId: 7, market: BTC }, { showPanel: async () => false });
    mount(<Popup deps={deps} />);
    await until(() => state() === 'ready');
    click($('[data-action="open-panel"]'));
    await until(() => rec.closed === 1);
    expect(rec.opened).toEqual(['https://www.binance.com/en/futures/BTCUSDT']);
  });

  it('off a futures page with nothing watched: says so and estimates nothing until a market is picked', async () => {
    const { deps, rec } = popupDeps({ tabId: 3, market: null });
    mount(<Popup deps={deps} />);
    await until(() => state() === 'no-market');
    expect(rec.estimates).toEqual([]);
    expect($('[data-action="open-panel"]')).toBeNull();
    type($('input[type="search"]'), 'eth');
    await until(() => $('button[data-symbol="ETHUSDT"]') !== null);
    click($('button[data-symbol="ETHUSDT"]'));
    await until(() => state() === 'ready');
    expect($('[data-market]')?.getAttribute('data-market')).toBe('binance:ETHUSDT');
    expect($('[data-action="open-panel"]')?.textContent).toBe('Open futures page');
    click($('[data-action="open-panel"]'));
    await until(() => rec.opened.length === 1);
    expect(rec.opened).toEqual(['https://www.binance.com/en/futures/ETHUSDT']);
    expect(rec.shown).toEqual([]);
  });

  it('estimates under the settings: lookback, bar size and leverage weights', async () => {
    const settings = updateSettings(DEFAULT_SETTINGS, { lookback: '7d', timeframe: '1h', leverage: { preset: 'conservative', custom: PRESET_WEIGHTS.default } });
    const { deps, rec } = popupDeps({ tabId: 7, market: BTC }, {}, settings);
    mount(<Popup deps={deps} />);
    await until(() => state() === 'ready');
    expect(rec.estimates).toEqual([{ ...BTC, lookback: '7d', timeframe: '1h', leverageWeights: PRESET_WEIGHTS.conservative }]);
  });

  it('the watch toggle adds and removes the market; an estimate failure is shown, not a blank popup', async () => {
    const { deps, rec } = popupDeps({ tabId: 7, market: BTC }, { estimate: async () => Promise.reject(new Error('exchange unreachable')) });
    mount(<Popup deps={deps} />);
    await until(() => state() === 'error');
    expect($('.status.error')?.textContent).toBe('Could not estimate: exchange unreachable');
    click($('[data-action="watch"]'));
    await until(() => $('[data-action="watch"]')?.getAttribute('aria-pressed') === 'true');
    click($('[data-action="watch"]'));
    await until(() => $('[data-action="watch"]')?.getAttribute('aria-pressed') === 'false');
    expect(rec.watched).toEqual([
      [BTC, true],
      [BTC, false],
    ]);
  });
  it('stays live when the background pushes newer views, and stops when closed', async () => {
    let push: (view: EstimateView) => void = () => {};
    let signal: AbortSignal | undefined;
    const { deps, rec } = popupDeps(
      { tabId: 7, market: BTC },
      {
        watch: (req, onView, _onError, s) => {
          signal = s;
          push = onView;
          onView(view(req));
        },
      },
    );
    mount(<Popup deps={deps} />);
    await until(() => ($('.price')?.textContent ?? '').includes('100'));
    push({ ...view(BTC), computedAt: 1, price: 123.5 });
    await until(() => ($('.price')?.textContent ?? '').includes('123.5'));
    expect(rec.estimates).toEqual([]);
    render(null, root);
    await until(() => signal?.aborted === true);
  });
});

describe('options page', () => {
  function optionsDeps(initial: Settings, notices: string[] = []) {
    let current = initial;
    const saved: Partial<Settings>[] = [];
    const deps: OptionsDeps = {
      loadSettings: async () => ({ settings: current, notices }),
      saveSettings: async (change) => {
        current = updateSettings(current, change);
        saved.push(change);
        return current;
      },
      watchSettings: () => () => {},
      getWatchlist: async () => [BTC],
      setWatched: async () => [],
    };
    return { deps, saved, current: () => current };
  }

  it('saves each change as it is made and shows notices for unreadable stored values', async () => {
    const { deps, saved, current } = optionsDeps(DEFAULT_SETTINGS, ['Theme: the stored value was unreadable; using the default (system).']);
    mount(<Options deps={deps} />);
    await until(() => state() === 'ready');
    expect($('.notices')?.textContent).toMatch(/Theme: the stored value was unreadable/);
    expect($('.watches')?.textContent).toMatch(/BTCUSDT · Binance/);
    choose($('select[name="lookback"]'), '7d');
    await until(() => saved.length === 1);
    expect(saved[0]).toEqual({ lookback: '7d' });
    // linkedom has no default actions: a click does not check a radio, so fire what the browser would.
    $('input[name="leverage-preset"][value="custom"]')?.dispatchEvent(new window.Event('change', { bubbles: true }));
    await until(() => current().leverage.preset === 'custom');
    type($('input[aria-label="Weight of 125x"]'), '0.5', 'change');
    await until(() => current().leverage.custom[7] === 0.5);
    expect(current().leverage.custom.slice(0, 7)).toEqual(PRESET_WEIGHTS.default.slice(0, 7));
    expect($('[data-status]')?.getAttribute('data-status')).toBe('saved');
  });

  it('keeps at least one exchange and refuses an out-of-range warning distance without saving', async () => {
    const { deps, saved } = optionsDeps(updateSettings(DEFAULT_SETTINGS, { exchanges: ['okx'] }));
    mount(<Options deps={deps} />);
    await until(() => state() === 'ready');
    expect(($('input[name="exchange-okx"]') as HTMLInputElement).disabled).toBe(true);
    type($('input[name="warningAtr"]'), '50');
    type($('input[name="warningAtr"]'), '50', 'change');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(saved).toEqual([]);
    expect(($('input[name="warningAtr"]') as HTMLInputElement).value).toBe('1');
  });
});
