/**
 * The full view page's controls in a DOM without a browser (linkedom, no canvas drawing): the
 * estimate asked for the address's market under the user's settings, the lookback chips asking
 * again, the leverage preset stored through the settings store, aggregation offered only when
 * the background can, and a failure said plainly.
 */
import { render } from 'preact';
import { beforeAll, describe, expect, it } from 'vitest';
import { installDom } from '../../../tests/support/dom';
import type { EstimateRequest, StatusView } from '../../messaging/contract';
import { DEFAULT_SETTINGS, PRESET_WEIGHTS, type Settings } from '../../settings/schema';
import { inWatchedUnit } from '../../data/hyperliquid-positions/hub';
import type { RealLevelsView } from '../../messaging/real-levels';
import { fakeRealLevelsPort } from '../../../tests/support/fake-real-levels-port';
import { FullView, type FullViewDeps } from './full-view';
import { smallView } from '../../../tests/support/small-view';

const { window, newRoot } = installDom();
let root: HTMLElement;

beforeAll(() => {
  const scope = globalThis as Record<string, unknown>;
  scope['requestAnimationFrame'] ??= (callback: () => void) => setTimeout(callback, 0) as unknown as number;
  scope['cancelAnimationFrame'] ??= (id: number) => clearTimeout(id);
});

async function until(check: () => boolean, ms = 2_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out; page: ${root.innerHTML.slice(0, 800)}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const $ = (selector: string) => root.querySelector(selector);
const click = (element: Element | null) => element?.dispatchEvent(new window.Event('click', { bubbles: true }));

function setup(options: { fail?: boolean; aggregate?: boolean; price?: number } = {}) {
  const requests: EstimateRequest[] = [];
  const saved: Partial<Settings>[] = [];
  let settings: Settings = { ...DEFAULT_SETTINGS, timeframe: '1h' };
  const listeners = new Set<(s: Settings) => void>();
  const deps: FullViewDeps = {
    settings: { get: async () => settings, watch: (l) => (listeners.add(l), () => listeners.delete(l)) },
    saveSettings: async (change) => {
      saved.push(change);
      settings = { ...settings, ...change };
      for (const l of listeners) l(settings);
      return settings;
    },
    watch: (req, onView, onError) => {
      requests.push(req);
      if (options.fail) onError(new Error('no 1h bars recorded'));
      else onView(smallView(req, options.price));
    },
    status: async (): Promise<StatusView> => ({ version: '1', markets: [], aggregate: options.aggregate ? { available: true } : { available: false, reason: 'Not here.' } }),
  };
  root = newRoot();
  return { deps, requests, saved };
}

describe('full view page', () => {
  it('asks for the market of its address under the settings, and again for each lookback chip', async () => {
    const { deps, requests } = setup();
    render(<FullView params={{ exchange: 'okx', symbol: 'BTC-USDT-SWAP', lookback: '7d', leverages: [50, 100] }} deps={deps} />, root);
    await until(() => $('main')?.getAttribute('data-state') === 'ready');
    expect(requests).toEqual([{ exchange: 'okx', symbol: 'BTC-USDT-SWAP', lookback: '7d', timeframe: '1h', leverages: [50, 100] }]);
    expect($('button[data-lookback="7d"]')?.getAttribute('aria-pressed')).toBe('true');
    expect($('.note')?.textContent).toContain('Only positions at 50x, 100x');
    click($('button[data-lookback="30d"]'));
    await until(() => requests.length === 2);
    expect(requests[1]).toMatchObject({ lookback: '30d' });
    expect($('button[data-lookback="30d"]')?.getAttribute('aria-pressed')).toBe('true');
    expect($('button[data-lookback="7d"]')?.getAttribute('aria-pressed')).toBe('false');
  });

  it('stores the leverage preset through the settings store and estimates with its weights', async () => {
    const { deps, requests, saved } = setup();
    render(<FullView params={{ exchange: 'binance', symbol: 'BTCUSDT', lookback: '24h' }} deps={deps} />, root);
    await until(() => requests.length === 1 && $('button[data-preset="conservative"]')?.hasAttribute('disabled') === false);
    click($('button[data-preset="conservative"]'));
    await until(() => requests.length === 2);
    expect(saved).toEqual([{ leverage: { preset: 'conservative', custom: PRESET_WEIGHTS.default } }]);
    expect(requests[1]).toMatchObject({ leverageWeights: PRESET_WEIGHTS.conservative });
    await until(() => $('button[data-preset="conservative"]')?.getAttribute('aria-pressed') === 'true');
  });

  it('offers aggregation only when the background can, and asks for it then', async () => {
    const off = setup();
    render(<FullView params={{ exchange: 'binance', symbol: 'BTCUSDT', lookback: '24h' }} deps={off.deps} />, root);
    await until(() => $('button[data-scope="aggregate"]')?.getAttribute('title') === 'Not here.');
    expect($('button[data-scope="aggregate"]')?.hasAttribute('disabled')).toBe(true);
    render(null, root);
    const on = setup({ aggregate: true });
    render(<FullView params={{ exchange: 'binance', symbol: 'BTCUSDT', lookback: '24h' }} deps={on.deps} />, root);
    await until(() => $('button[data-scope="aggregate"]')?.hasAttribute('disabled') === false && on.requests.length === 1);
    click($('button[data-scope="aggregate"]'));
    await until(() => on.requests.length === 2);
    expect(on.requests[1]).toMatchObject({ aggregate: true, aggregateWith: DEFAULT_SETTINGS.exchanges });
  });

  it('shows the kPEPE real levels per PEPE on an OKX PEPE page, and says so', async () => {
    // Two kPEPE levels as recorded (short liquidations at 0.0052297293 and 0.0183392049 per kPEPE),
    // sent per PEPE as the background answers a watch for PEPE.
    const account = `0x${'b'.repeat(40)}`;
    const kpepe: RealLevelsView = {
      coin: 'kPEPE',
      levels: [
        { price: 0.0052297293, side: 'short', notionalUsd: 104_626, leverage: 10, marginType: 'cross', account },
        { price: 0.0183392049, side: 'short', notionalUsd: 62_672, leverage: 5, marginType: 'isolated', account },
      ],
      holders: 1,
      notionalUsd: 167_298,
      withoutLevelUsd: 0,
      followed: 10,
      read: 10,
    };
    const port = fakeRealLevelsPort(inWatchedUnit(kpepe, 'PEPE', 1 / 1000));
    const { deps } = setup({ price: 0.000004953 });
    render(<FullView params={{ exchange: 'okx', symbol: 'PEPE-USDT-SWAP', lookback: '24h' }} deps={{ ...deps, realLevels: port.connect }} />, root);
    await until(() => $('[data-real="words"]') !== null);
    expect(port.sent[0]).toMatchObject({ type: 'watch', coin: 'PEPE' });
    expect($('[data-real="words"]')?.textContent).toBe('Real positions of 1 large Hyperliquid accounts in kPEPE (listed per 1,000 PEPE; prices shown per PEPE), $167k.');
    expect($('[data-real="above"]')?.textContent).toMatch(/^▲ short liq\. 0\.00000523\d* \(\+5\.6 %\) · \$105k · 10x cross · /);
  });

  it('says plainly when the estimate could not be made', async () => {
    const { deps } = setup({ fail: true });
    render(<FullView params={{ exchange: 'binance', symbol: 'BTCUSDT', lookback: '24h' }} deps={deps} />, root);
    await until(() => $('main')?.getAttribute('data-state') === 'error');
    expect($('[role="alert"]')?.textContent).toBe('Could not estimate: no 1h bars recorded');
  });
});
