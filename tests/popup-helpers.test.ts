/** Pure parts of the popup and options: market search, theme choice, the show-panel message check. */
import { describe, expect, it } from 'vitest';
import type { MarketInfo } from '../src/messaging/contract';
import { searchMarkets } from '../src/ui/popup/market-search';
import { isShowPanelRequest, SHOW_PANEL } from '../src/ui/popup/show-panel';
import { resolveTheme } from '../src/ui/theme';

const market = (symbol: string, base: string): MarketInfo => ({ exchange: 'binance', symbol, base, quote: 'USDT', unified: `${base}/USDT:USDT` });
const MARKETS = [market('ETHFIUSDT', 'ETHFI'), market('BTCUSDT', 'BTC'), market('ETHUSDT', 'ETH'), market('1000PEPEUSDT', '1000PEPE'), market('WETHUSDT', 'WETH')];

describe('searchMarkets', () => {
  it('exact base first, then prefixes, then other matches; case-insensitive', () => {
    expect(searchMarkets(MARKETS, 'eth').map((m) => m.symbol)).toEqual(['ETHUSDT', 'ETHFIUSDT', 'WETHUSDT']);
    expect(searchMarkets(MARKETS, ' pepe ').map((m) => m.symbol)).toEqual(['1000PEPEUSDT']);
    expect(searchMarkets(MARKETS, 'btcusdt').map((m) => m.symbol)).toEqual(['BTCUSDT']);
  });

  it('nothing for an empty query; at most `limit` results', () => {
    expect(searchMarkets(MARKETS, '   ')).toEqual([]);
    expect(searchMarkets(MARKETS, 'usdt', 2)).toHaveLength(2);
  });
});

describe('resolveTheme', () => {
  it('follows the system unless the setting says dark or light', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });
});

describe('isShowPanelRequest', () => {
  it('accepts exactly { type: SHOW_PANEL }', () => {
    expect(isShowPanelRequest({ type: SHOW_PANEL })).toBe(true);
    expect(isShowPanelRequest({ type: SHOW_PANEL, extra: 1 })).toBe(false);
    expect(isShowPanelRequest({ type: 'other' })).toBe(false);
    expect(isShowPanelRequest(null)).toBe(false);
    expect(isShowPanelRequest(Object.create({ type: SHOW_PANEL }) as object)).toBe(false);
  });
});
