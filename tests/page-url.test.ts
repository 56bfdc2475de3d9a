import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExchangeId } from '../src/engine/types';
import { FUTURES_PAGE_MATCHES } from '../src/sites/futures-pages';
import { parsePageUrl, type PageSite, unsupportedPage } from '../src/sites/page-url';
import { matchesAny, matchesPattern } from './support/match-pattern';
import { REPO_ROOT } from './support/recorded';

type Row = readonly [url: string, site: PageSite, exchange: ExchangeId, symbol: string, marketSymbol: string, unified: string];

const MATCHES: readonly Row[] = [
  // Binance USDT-M
  ['https://www.binance.com/en/futures/BTCUSDT', 'binance', 'binance', 'BTCUSDT', 'BTCUSDT', 'BTC/USDT:USDT'],
  ['https://www.binance.com/zh-CN/futures/ETHUSDT', 'binance', 'binance', 'ETHUSDT', 'ETHUSDT', 'ETH/USDT:USDT'],
  ['https://www.binance.com/en-GB/futures/SOLUSDT', 'binance', 'binance', 'SOLUSDT', 'SOLUSDT', 'SOL/USDT:USDT'],
  ['https://www.binance.com/futures/BTCUSDT', 'binance', 'binance', 'BTCUSDT', 'BTCUSDT', 'BTC/USDT:USDT'],
  ['https://www.binance.com/en/futures/BTCUSDT?type=perpetual#orderbook', 'binance', 'binance', 'BTCUSDT', 'BTCUSDT', 'BTC/USDT:USDT'],
  ['https://www.binance.com/en/futures/BTCUSDT/', 'binance', 'binance', 'BTCUSDT', 'BTCUSDT', 'BTC/USDT:USDT'],
  ['https://www.binance.com/en/futures/1000PEPEUSDT', 'binance', 'binance', '1000PEPEUSDT', '1000PEPEUSDT', '1000PEPE/USDT:USDT'],
  ['http://www.binance.com/en/futures/DOGEUSDT', 'binance', 'binance', 'DOGEUSDT', 'DOGEUSDT', 'DOGE/USDT:USDT'],
  ['https://binance.com/en/futures/xrpusdt', 'binance', 'binance', 'XRPUSDT', 'xrpusdt', 'XRP/USDT:USDT'],
  ['HTTPS://WWW.BINANCE.COM/en/futures/BTCUSDT', 'binance', 'binance', 'BTCUSDT', 'BTCUSDT', 'BTC/USDT:USDT'],
  // Bybit USDT perpetual
  ['https://www.bybit.com/trade/usdt/BTCUSDT', 'bybit', 'bybit', 'BTCUSDT', 'BTCUSDT', 'BTC/USDT:USDT'],
  ['https://www.bybit.com/en/trade/usdt/SOLUSDT', 'bybit', 'bybit', 'SOLUSDT', 'SOLUSDT', 'SOL/USDT:USDT'],
  ['https://www.bybit.com/zh-TW/trade/usdt/1000PEPEUSDT?affiliate_id=1', 'bybit', 'bybit', '1000PEPEUSDT', '1000PEPEUSDT', '1000PEPE/USDT:USDT'],
  // OKX USDT swap
  ['https://www.okx.com/trade-swap/btc-usdt-swap', 'okx', 'okx', 'BTC-USDT-SWAP', 'btc-usdt-swap', 'BTC/USDT:USDT'],
  ['https://www.okx.com/ua/trade-swap/eth-usdt-swap', 'okx', 'okx', 'ETH-USDT-SWAP', 'eth-usdt-swap', 'ETH/USDT:USDT'],
  ['https://www.okx.com/zh-hans/trade-swap/sol-usdt-swap#chart', 'okx', 'okx', 'SOL-USDT-SWAP', 'sol-usdt-swap', 'SOL/USDT:USDT'],
  ['https://www.okx.com/trade-swap/BTC-USDT-SWAP', 'okx', 'okx', 'BTC-USDT-SWAP', 'BTC-USDT-SWAP', 'BTC/USDT:USDT'],
  // Bitget USDT-M
  ['https://www.bitget.com/futures/usdt/BTCUSDT', 'bitget', 'bitget', 'BTCUSDT', 'BTCUSDT', 'BTC/USDT:USDT'],
  ['https://www.bitget.com/en/futures/usdt/ETHUSDT', 'bitget', 'bitget', 'ETHUSDT', 'ETHUSDT', 'ETH/USDT:USDT'],
  ['https://www.bitget.com/en/mix/usdt/BTCUSDT_UMCBL', 'bitget', 'bitget', 'BTCUSDT', 'BTCUSDT_UMCBL', 'BTC/USDT:USDT'],
  // Hyperliquid
  ['https://app.hyperliquid.xyz/trade/BTC', 'hyperliquid', 'hyperliquid', 'BTC', 'BTC', 'BTC/USDC:USDC'],
  ['https://app.hyperliquid.xyz/trade', 'hyperliquid', 'hyperliquid', 'BTC', 'BTC', 'BTC/USDC:USDC'],
  ['https://app.hyperliquid.xyz/trade/', 'hyperliquid', 'hyperliquid', 'BTC', 'BTC', 'BTC/USDC:USDC'],
  ['https://app.hyperliquid.xyz/trade/kPEPE', 'hyperliquid', 'hyperliquid', 'kPEPE', 'kPEPE', 'kPEPE/USDC:USDC'],
  ['https://app.hyperliquid.xyz/trade/HYPE?ref=abc', 'hyperliquid', 'hyperliquid', 'HYPE', 'HYPE', 'HYPE/USDC:USDC'],
  ['https://app.hyperliquid.xyz/trade/eth', 'hyperliquid', 'hyperliquid', 'ETH', 'eth', 'ETH/USDC:USDC'],
  // TradingView
  ['https://www.tradingview.com/chart/abc123/?symbol=BINANCE%3ABTCUSDT.P', 'tradingview', 'binance', 'BTCUSDT', 'BTCUSDT.P', 'BTC/USDT:USDT'],
  ['https://www.tradingview.com/chart/?symbol=BYBIT:ETHUSDT.P', 'tradingview', 'bybit', 'ETHUSDT', 'ETHUSDT.P', 'ETH/USDT:USDT'],
  ['https://www.tradingview.com/chart/xYz789/?symbol=OKX%3ASOLUSDT.P&interval=15', 'tradingview', 'okx', 'SOL-USDT-SWAP', 'SOLUSDT.P', 'SOL/USDT:USDT'],
  ['https://in.tradingview.com/chart/abc/?symbol=BITGET%3A1000PEPEUSDT.P', 'tradingview', 'bitget', '1000PEPEUSDT', '1000PEPEUSDT.P', '1000PEPE/USDT:USDT'],
  ['https://www.tradingview.com/symbols/BTCUSDT.P/?exchange=BYBIT', 'tradingview', 'bybit', 'BTCUSDT', 'BTCUSDT.P', 'BTC/USDT:USDT'],
  ['https://www.tradingview.com/symbols/BINANCE-ETHUSDT.P/', 'tradingview', 'binance', 'ETHUSDT', 'ETHUSDT.P', 'ETH/USDT:USDT'],
];

const REJECTS: readonly string[] = [
  // Binance: coin-margined, dated, spot, account pages
  'https://www.binance.com/en/futures/BTCUSD_PERP',
  'https://www.binance.com/en/futures/BTCUSDT_250926',
  'https://www.binance.com/en/trade/BTC_USDT',
  'https://www.binance.com/en/trade/BTC_USDT?type=spot',
  'https://www.binance.com/en/my/wallet/account/main',
  'https://www.binance.com/en/futures/home',
  'https://www.binance.com/en/futures/funding-history/perpetual/index',
  'https://www.binance.com/en/futures/BTCUSDC',
  'https://www.binance.com/en/futures/USDT',
  // Bybit: spot, inverse, assets
  'https://www.bybit.com/trade/spot/BTC/USDT',
  'https://www.bybit.com/trade/inverse/BTCUSD',
  'https://www.bybit.com/user/assets/home/overview',
  // OKX: spot, USD-margined, dated
  'https://www.okx.com/trade-spot/btc-usdt',
  'https://www.okx.com/trade-swap/btc-usd-swap',
  'https://www.okx.com/trade-futures/btc-usdt-250926',
  'https://www.okx.com/balance/overview',
  // Bitget: spot, coin-margined
  'https://www.bitget.com/spot/BTCUSDT',
  'https://www.bitget.com/futures/coin/BTCUSD',
  'https://www.bitget.com/en/futures/usdc/BTCPERP',
  // Hyperliquid: portfolio, spot pair, builder dex, other paths
  'https://app.hyperliquid.xyz/portfolio',
  'https://app.hyperliquid.xyz/trade/HYPE/USDC',
  'https://app.hyperliquid.xyz/trade/xyz:TSLA',
  'https://app.hyperliquid.xyz/trade/@107',
  'https://hyperliquid.xyz/trade/BTC',
  // TradingView: not perpetual, unknown prefix, no symbol
  'https://www.tradingview.com/chart/abc123/?symbol=BINANCE%3ABTCUSDT',
  'https://www.tradingview.com/chart/abc123/?symbol=COINBASE%3ABTCUSD',
  'https://www.tradingview.com/chart/abc123/?symbol=BITMEX%3AXBTUSDT.P',
  'https://www.tradingview.com/chart/abc123/',
  'https://www.tradingview.com/symbols/BTCUSDT/?exchange=BYBIT',
  'https://www.tradingview.com/symbols/BTCUSDT.P/',
  'https://www.tradingview.com/ideas/btcusdt/',
  // Other and look-alike hosts, tricks with userinfo, ports and schemes
  'https://binance.com.evil.example/en/futures/BTCUSDT',
  'https://www.binance.com.evil.example/en/futures/BTCUSDT',
  'https://evilbinance.com/en/futures/BTCUSDT',
  'https://www.binance.com@evil.example/en/futures/BTCUSDT',
  'https://evil.example/www.binance.com/en/futures/BTCUSDT',
  'https://evil.example/?u=https://www.binance.com/en/futures/BTCUSDT',
  'https://www.binance.com:8443/en/futures/BTCUSDT',
  'https://app.hyperliquid.xyz.evil.example/trade/BTC',
  'https://tradingview.com.evil.example/chart/?symbol=BINANCE:BTCUSDT.P',
  'https://www.binance.us/en/futures/BTCUSDT',
  'ftp://www.binance.com/en/futures/BTCUSDT',
  'file:///en/futures/BTCUSDT',
  'chrome-extension://abcdefghijklmnop/popup.html',
  // Garbage
  '',
  'not a url',
  'javascript:alert(1)',
  'javascript://www.binance.com/en/futures/BTCUSDT',
  'data:text/html,<b>x</b>',
  '//www.binance.com/en/futures/BTCUSDT',
  // Not a full address (tab and location URLs always carry the scheme)
  'www.binance.com/en/futures/1000PEPEUSDT',
  'https://',
  'https://www.binance.com/en/futures/%E0%A4%A',
  'https://www.binance.com/en/futures/BTC%00USDT',
  `https://www.binance.com/en/futures/${'A'.repeat(5000)}USDT`,
];

describe('parsePageUrl', () => {
  it.each(MATCHES)('%s', (url, site, exchange, symbol, marketSymbol, unified) => {
    expect(parsePageUrl(url)).toEqual({ site, exchange, symbol, marketSymbol, unified });
  });

  it.each(REJECTS.map((url) => [url]))('rejects %s', (url) => {
    expect(parsePageUrl(url)).toBeUndefined();
  });

  it('never throws on non-string input from untyped callers', () => {
    for (const value of [undefined, null, 42, {}, [], Symbol('x')]) {
      expect(parsePageUrl(value as unknown as string)).toBeUndefined();
    }
  });

  it('has enough table rows', () => {
    expect(MATCHES.length + REJECTS.length).toBeGreaterThanOrEqual(30);
  });
});

/**
 * The address shapes real users reach (sources: /work/shared/SITES-EVIDENCE.md "URL shapes real
 * users reach", named again beside the patterns in src/sites/futures-pages.ts): is the content
 * script injected there, and what does the parser make of the address? `symbol` null: injected,
 * but declined with a reason (`unsupported` holds words the reason must contain).
 */
type Shape = readonly [url: string, exchange: ExchangeId, symbol: string | null, unsupported?: string];

const SHAPES: readonly Shape[] = [
  ['https://www.binance.com/futures/BTCUSDT', 'binance', 'BTCUSDT'],
  ['https://www.binance.com/en/futures/BTCUSDT', 'binance', 'BTCUSDT'],
  ['https://www.binance.com/zh-CN/futures/ETHUSDT', 'binance', 'ETHUSDT'],
  ['https://www.binance.com/futures/1000PEPEUSDT?type=perpetual', 'binance', '1000PEPEUSDT'],
  ['https://www.bybit.com/trade/usdt/BTCUSDT', 'bybit', 'BTCUSDT'],
  ['https://www.bybit.com/en/trade/usdt/BTCUSDT', 'bybit', 'BTCUSDT'],
  ['https://www.bybit.com/en-US/trade/usdt/SOLUSDT', 'bybit', 'SOLUSDT'],
  ['https://www.bybit.com/zh-CN/trade/usdt/ETHUSDT', 'bybit', 'ETHUSDT'],
  ['https://www.okx.com/trade-swap/btc-usdt-swap', 'okx', 'BTC-USDT-SWAP'],
  ['https://www.okx.com/ua/trade-swap/btc-usdt-swap', 'okx', 'BTC-USDT-SWAP'],
  ['https://www.okx.com/zh-hans/trade-swap/eth-usdt-swap', 'okx', 'ETH-USDT-SWAP'],
  ['https://www.bitget.com/futures/usdt/BTCUSDT', 'bitget', 'BTCUSDT'],
  ['https://www.bitget.com/asia/futures/usdt/BTCUSDT', 'bitget', 'BTCUSDT'],
  ['https://www.bitget.com/en/futures/usdt/ETHUSDT', 'bitget', 'ETHUSDT'],
  ['https://www.bitget.com/zh-CN/futures/usdt/SOLUSDT', 'bitget', 'SOLUSDT'],
  ['https://www.bitget.com/asia/zh-CN/futures/usdt/SOLUSDT', 'bitget', 'SOLUSDT'],
  ['https://app.hyperliquid.xyz/trade', 'hyperliquid', 'BTC'],
  ['https://app.hyperliquid.xyz/trade?ref=abc', 'hyperliquid', 'BTC'],
  ['https://app.hyperliquid.xyz/trade/BTC', 'hyperliquid', 'BTC'],
  ['https://app.hyperliquid.xyz/trade/kPEPE', 'hyperliquid', 'kPEPE'],
  ['https://app.hyperliquid.xyz/trade/xyz:TSLA', 'hyperliquid', null, 'builder-deployed'],
  ['https://app.hyperliquid.xyz/trade/HYPE/USDC', 'hyperliquid', null, 'spot pair'],
  ['https://app.hyperliquid.xyz/trade/@107', 'hyperliquid', null, 'spot market'],
];

/** Pages of the same sites the content script must stay off (least privilege). */
const NOT_INJECTED: readonly string[] = [
  'https://www.binance.com/en/trade/BTC_USDT',
  'https://www.binance.com/en/my/wallet/account/main',
  'https://www.bybit.com/trade/spot/BTC/USDT',
  'https://www.bybit.com/en/trade/spot/BTC/USDT',
  'https://www.bybit.com/user/assets/home/overview',
  'https://www.okx.com/trade-spot/btc-usdt',
  'https://www.okx.com/balance/overview',
  'https://www.bitget.com/spot/BTCUSDT',
  'https://www.bitget.com/asia/spot/BTCUSDT',
  'https://www.bitget.com/futures/coin/BTCUSD',
  'https://app.hyperliquid.xyz/portfolio',
  'https://app.hyperliquid.xyz/',
  'https://www.binance.com.evil.example/futures/BTCUSDT',
];

/** The content-script patterns of the built Chrome manifest (npm test builds before testing). */
function builtMatches(): string[] {
  const file = join(REPO_ROOT, '.output/chrome-mv3/manifest.json');
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npx wxt build\` (npm test builds before testing)`);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { content_scripts?: { matches: string[] }[] };
  return (manifest.content_scripts ?? []).flatMap((script) => script.matches);
}

describe('URL shapes real users reach', () => {
  it('the built manifest injects the content script where the source says', () => {
    expect(new Set(builtMatches())).toEqual(new Set(FUTURES_PAGE_MATCHES));
  });

  it.each(SHAPES.map((shape) => [shape[0], shape] as const))('%s: injected and parsed', (_, shape) => {
    const [url, exchange, symbol, unsupported = ''] = shape;
    expect(matchesAny(builtMatches(), url)).toBe(true);
    if (symbol === null) {
      expect(parsePageUrl(url)).toBeUndefined();
      const page = unsupportedPage(url);
      expect(page?.exchange).toBe(exchange);
      expect(page?.reason).toContain(unsupported);
    } else {
      expect(parsePageUrl(url)).toMatchObject({ site: exchange, exchange, symbol });
      expect(unsupportedPage(url)).toBeUndefined();
    }
  });

  it.each(NOT_INJECTED.map((url) => [url]))('%s: not injected', (url) => {
    expect(matchesAny(builtMatches(), url)).toBe(false);
  });

  it('the match-pattern helper follows Chrome: stars cross slashes, the query counts, the host is exact', () => {
    expect(matchesPattern('https://a.example/*/x/*', 'https://a.example/x/1')).toBe(false);
    expect(matchesPattern('https://a.example/*/x/*', 'https://a.example/en/x/1')).toBe(true);
    expect(matchesPattern('https://a.example/*/x/*', 'https://a.example/a/b/x/1')).toBe(true);
    expect(matchesPattern('https://a.example/t', 'https://a.example/t?q=1')).toBe(false);
    expect(matchesPattern('https://a.example/t*', 'https://a.example/t?q=1')).toBe(true);
    expect(matchesPattern('https://a.example/t', 'https://a.example/t#frag')).toBe(true);
    expect(matchesPattern('https://a.example/*', 'https://b.a.example/')).toBe(false);
    expect(matchesPattern('https://*.a.example/*', 'https://b.a.example/')).toBe(true);
    expect(matchesPattern('https://a.example/*', 'http://a.example/')).toBe(false);
  });
});
