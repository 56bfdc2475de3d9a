/**
 * Maps the address of a futures trading page (or a TradingView chart) to the market it shows.
 * Pure: no DOM, no extension API; only the WHATWG `URL` parser, which browsers, workers and Node
 * all provide.
 */
import type { ExchangeId } from '../engine/types';

/** The site a page belongs to: one of the exchanges, or TradingView showing one of their markets. */
export type PageSite = ExchangeId | 'tradingview';

/** The market a page shows. */
export interface PageMarket {
  /** The site the page is on: the exchange itself, or `tradingview`. */
  readonly site: PageSite;
  /** The exchange whose market it is (for TradingView: from the symbol's exchange prefix). */
  readonly exchange: ExchangeId;
  /**
   * The exchange's own market id, as its REST API takes it: Binance, Bybit and Bitget
   * `BTCUSDT`, OKX `BTC-USDT-SWAP`, Hyperliquid `BTC` (k-prefixed coins keep their case: `kPEPE`).
   */
  readonly symbol: string;
  /**
   * The market's name exactly as the page address writes it (percent-decoded, original case):
   * `btc-usdt-swap` on OKX, `BTCUSDT.P` on TradingView, `BTC` for Hyperliquid's bare `/trade`.
   */
  readonly marketSymbol: string;
  /**
   * ccxt's unified symbol, built from the id (ccxt's per-exchange currency aliases not applied):
   * `BTC/USDT:USDT`, `1000PEPE/USDT:USDT`; Hyperliquid `BTC/USDC:USDC`.
   */
  readonly unified: string;
}

/** Longest address looked at; anything longer is not a trading page. */
const MAX_URL_LENGTH = 2048;

/** Optional locale segment in front of the path: `en`, `ua`, `zh-CN`, `en-GB`, `zh-hans`, `pt_BR`. */
const LOCALE = /^[a-z]{2,3}(?:[-_][a-z0-9]{2,4})?$/i;

/** A base coin inside a market id: letters and digits only. */
const BASE = '[A-Z0-9]{1,20}';
/** USDT-margined linear perpetual ids (upper-cased before matching). */
const USDT_PERP = new RegExp(`^(${BASE})USDT$`);
const OKX_USDT_SWAP = new RegExp(`^(${BASE})-USDT-SWAP$`);
/** Bitget's older futures URLs carry the v1 product suffix: `BTCUSDT_UMCBL`. */
const BITGET_LEGACY = new RegExp(`^(${BASE})USDT_UMCBL$`);
/** TradingView's perpetual tickers: `BTCUSDT.P`. */
const TV_USDT_PERP = new RegExp(`^(${BASE})USDT\\.P$`);
/** Hyperliquid coin names: upper-case, or `k` + upper-case for the thousand-unit coins (`kPEPE`). */
const HL_K_COIN = /^k[A-Z0-9]{1,20}$/;
const HL_COIN = /^[A-Za-z0-9]{1,20}$/;

const HOSTS: Readonly<Record<string, PageSite>> = {
  'www.binance.com': 'binance',
  'binance.com': 'binance',
  'www.bybit.com': 'bybit',
  'bybit.com': 'bybit',
  'www.okx.com': 'okx',
  'okx.com': 'okx',
  'www.bitget.com': 'bitget',
  'bitget.com': 'bitget',
  'app.hyperliquid.xyz': 'hyperliquid',
  'www.tradingview.com': 'tradingview',
  'tradingview.com': 'tradingview',
};

/** TradingView's regional sites: `in.tradingview.com`, `uk.tradingview.com`, `de.tradingview.com`. */
const TRADINGVIEW_REGIONAL = /^[a-z]{2}\.tradingview\.com$/;

/**
 * TradingView exchange prefixes of the supported exchanges (`OKEX` is OKX's former prefix).
 * Hyperliquid has no TradingView prefix this parser knows, so its charts are not mapped.
 */
const TRADINGVIEW_EXCHANGES: Readonly<Record<string, Exclude<ExchangeId, 'hyperliquid'>>> = {
  BINANCE: 'binance',
  BYBIT: 'bybit',
  OKX: 'okx',
  OKEX: 'okx',
  BITGET: 'bitget',
};

/** The parts of a WHATWG URL this module reads (declared here so the module needs no DOM types). */
interface ParsedUrl {
  readonly protocol: string;
  readonly hostname: string;
  readonly port: string;
  readonly pathname: string;
  readonly searchParams: { get(name: string): string | null };
}

type UrlConstructor = new (url: string) => ParsedUrl;

/**
 * Maps a futures trading page of Binance (USDT-M), Bybit (USDT perpetual), OKX (USDT swap),
 * Bitget (USDT-M) or Hyperliquid, or a TradingView chart of a USDT perpetual on one of the first
 * four, to the exchange and market it shows. Returns `undefined` for anything else: spot,
 * coin- or USD-margined and dated contracts, account pages, other or look-alike hosts, non-http
 * schemes and garbage. Never throws.
 * @example
 * parsePageUrl('https://www.binance.com/en/futures/BTCUSDT')
 * // { site: 'binance', exchange: 'binance', symbol: 'BTCUSDT', marketSymbol: 'BTCUSDT', unified: 'BTC/USDT:USDT' }
 * parsePageUrl('https://www.okx.com/ua/trade-swap/eth-usdt-swap')?.symbol // 'ETH-USDT-SWAP'
 * parsePageUrl('https://app.hyperliquid.xyz/trade/kPEPE')?.unified // 'kPEPE/USDC:USDC'
 * parsePageUrl('https://www.tradingview.com/chart/abc123/?symbol=BYBIT%3ASOLUSDT.P')
 * // { site: 'tradingview', exchange: 'bybit', symbol: 'SOLUSDT', marketSymbol: 'SOLUSDT.P', unified: 'SOL/USDT:USDT' }
 * parsePageUrl('https://www.binance.com/en/trade/BTC_USDT') // undefined (spot)
 */
export function parsePageUrl(url: string): PageMarket | undefined {
  const parsed = parseUrl(url);
  if (!parsed) return undefined;
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  if (parsed.port !== '') return undefined;
  const host = parsed.hostname.toLowerCase();
  const site = Object.hasOwn(HOSTS, host)
    ? HOSTS[host]
    : TRADINGVIEW_REGIONAL.test(host)
      ? 'tradingview'
      : undefined;
  if (site === undefined) return undefined;
  const segments = pathSegments(parsed.pathname);
  if (!segments) return undefined;
  switch (site) {
    case 'binance':
      return binance(segments);
    case 'bybit':
      return bybit(segments);
    case 'okx':
      return okx(segments);
    case 'bitget':
      return bitget(segments);
    case 'hyperliquid':
      return hyperliquid(segments);
    case 'tradingview':
      return tradingView(segments, parsed);
  }
}

function parseUrl(url: unknown): ParsedUrl | undefined {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_URL_LENGTH) return undefined;
  const Url = (globalThis as { URL?: UrlConstructor }).URL;
  if (typeof Url !== 'function') return undefined;
  try {
    return new Url(url);
  } catch {
    return undefined;
  }
}

/** Non-empty, percent-decoded path segments; undefined when a segment does not decode. */
function pathSegments(pathname: string): string[] | undefined {
  const segments: string[] = [];
  for (const raw of pathname.split('/')) {
    if (raw === '') continue;
    try {
      segments.push(decodeURIComponent(raw));
    } catch {
      return undefined;
    }
  }
  return segments;
}

/** Drops a leading locale segment when the path without it has the expected length. */
function withoutLocale(segments: readonly string[], length: number): readonly string[] | undefined {
  if (segments.length === length) return segments;
  if (segments.length === length + 1 && LOCALE.test(segments[0] ?? '')) return segments.slice(1);
  return undefined;
}

function usdtLinear(site: PageSite, exchange: ExchangeId, symbol: string, base: string, marketSymbol: string): PageMarket {
  return { site, exchange, symbol, marketSymbol, unified: `${base}/USDT:USDT` };
}

/** `/{locale}/futures/BTCUSDT` (USDT-M perpetual). */
function binance(segments: readonly string[]): PageMarket | undefined {
  const path = withoutLocale(segments, 2);
  if (!path || path[0]?.toLowerCase() !== 'futures') return undefined;
  const raw = path[1] ?? '';
  const base = USDT_PERP.exec(raw.toUpperCase())?.[1];
  return base === undefined ? undefined : usdtLinear('binance', 'binance', `${base}USDT`, base, raw);
}

/** `/{locale}/trade/usdt/BTCUSDT` (USDT perpetual). */
function bybit(segments: readonly string[]): PageMarket | undefined {
  const path = withoutLocale(segments, 3);
  if (!path || path[0]?.toLowerCase() !== 'trade' || path[1]?.toLowerCase() !== 'usdt') return undefined;
  const raw = path[2] ?? '';
  const base = USDT_PERP.exec(raw.toUpperCase())?.[1];
  return base === undefined ? undefined : usdtLinear('bybit', 'bybit', `${base}USDT`, base, raw);
}

/** `/{locale}/trade-swap/btc-usdt-swap` (USDT-margined swap). */
function okx(segments: readonly string[]): PageMarket | undefined {
  const path = withoutLocale(segments, 2);
  if (!path || path[0]?.toLowerCase() !== 'trade-swap') return undefined;
  const raw = path[1] ?? '';
  const base = OKX_USDT_SWAP.exec(raw.toUpperCase())?.[1];
  return base === undefined ? undefined : usdtLinear('okx', 'okx', `${base}-USDT-SWAP`, base, raw);
}

/**
 * Bitget's regional prefix: `/asia/futures/usdt/BTCUSDT` (sml122900/futures-journal-extension
 * manifest.json and docs/daily/2026-05-20.md), optionally followed by a locale.
 */
const BITGET_REGION = 'asia';

/**
 * `/{locale}/futures/usdt/BTCUSDT`, `/asia/futures/usdt/BTCUSDT`, and the older
 * `/{locale}/mix/usdt/BTCUSDT_UMCBL`.
 */
function bitget(segments: readonly string[]): PageMarket | undefined {
  const regional = segments[0]?.toLowerCase() === BITGET_REGION ? segments.slice(1) : segments;
  const path = withoutLocale(regional, 3);
  if (!path || path[1]?.toLowerCase() !== 'usdt') return undefined;
  const kind = path[0]?.toLowerCase();
  const raw = path[2] ?? '';
  const pattern = kind === 'futures' ? USDT_PERP : kind === 'mix' ? BITGET_LEGACY : undefined;
  const base = pattern?.exec(raw.toUpperCase())?.[1];
  return base === undefined ? undefined : usdtLinear('bitget', 'bitget', `${base}USDT`, base, raw);
}

/** A page of a supported site that shows a market LiqLens does not cover, and why. */
export interface UnsupportedPage {
  readonly exchange: ExchangeId;
  /** One sentence for the user: what the page is and what LiqLens covers instead. */
  readonly reason: string;
}

/**
 * Hyperliquid trading pages that are not perpetuals of its main dex: builder-deployed markets
 * (`/trade/xyz:TSLA`, `dex:COIN`) and spot pairs (`/trade/HYPE/USDC`, `/trade/@107`). Their
 * liquidations are not in the data LiqLens reads, so the page is named and declined rather than
 * shown as the wrong market. Undefined for every other address (supported or not a trading page).
 * @example unsupportedPage('https://app.hyperliquid.xyz/trade/xyz:TSLA')?.reason
 */
export function unsupportedPage(url: string): UnsupportedPage | undefined {
  const parsed = parseUrl(url);
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.port !== '') return undefined;
  if (parsed.hostname.toLowerCase() !== 'app.hyperliquid.xyz') return undefined;
  const segments = pathSegments(parsed.pathname);
  if (!segments || segments[0] !== 'trade' || hyperliquid(segments)) return undefined;
  const [, market = '', quote] = segments;
  if (segments.length === 3 && HL_COIN.test(market) && HL_COIN.test(quote ?? '')) {
    return { exchange: 'hyperliquid', reason: `${market}/${quote} is a spot pair: LiqLens maps perpetual futures only.` };
  }
  if (segments.length === 2 && market.startsWith('@')) {
    return { exchange: 'hyperliquid', reason: 'This is a spot market: LiqLens maps perpetual futures only.' };
  }
  if (segments.length === 2 && /^[a-z0-9]{1,20}:[A-Za-z0-9]{1,20}$/i.test(market)) {
    return { exchange: 'hyperliquid', reason: `${market} is a builder-deployed market: LiqLens maps the perpetuals of Hyperliquid's main dex only.` };
  }
  return undefined;
}

/** `/trade` (BTC) or `/trade/COIN` (native USDC-margined perpetuals; not spot pairs or builder dexes). */
function hyperliquid(segments: readonly string[]): PageMarket | undefined {
  if (segments[0] !== 'trade' || segments.length > 2) return undefined;
  const raw = segments[1] ?? 'BTC';
  let coin: string;
  if (HL_K_COIN.test(raw)) coin = raw;
  else if (HL_COIN.test(raw)) coin = raw.toUpperCase();
  else return undefined;
  return { site: 'hyperliquid', exchange: 'hyperliquid', symbol: coin, marketSymbol: raw, unified: `${coin}/USDC:USDC` };
}

/**
 * `/chart/?symbol=EXCHANGE:TICKER`, `/chart/{layout}/?symbol=...`, `/symbols/TICKER/?exchange=EXCHANGE`
 * and `/symbols/EXCHANGE-TICKER/`; only perpetual tickers (`.P`).
 */
function tradingView(segments: readonly string[], url: ParsedUrl): PageMarket | undefined {
  const [first, second] = segments;
  let prefix: string | undefined;
  let ticker: string | undefined;
  if (first === 'chart' && segments.length <= 2) {
    const symbol = url.searchParams.get('symbol') ?? '';
    const colon = symbol.indexOf(':');
    if (colon <= 0) return undefined;
    prefix = symbol.slice(0, colon);
    ticker = symbol.slice(colon + 1);
  } else if (first === 'symbols' && segments.length === 2 && second !== undefined) {
    const exchangeParam = url.searchParams.get('exchange');
    if (exchangeParam !== null) {
      prefix = exchangeParam;
      ticker = second;
    } else {
      const dash = second.indexOf('-');
      if (dash <= 0) return undefined;
      prefix = second.slice(0, dash);
      ticker = second.slice(dash + 1);
    }
  } else {
    return undefined;
  }
  const upperPrefix = prefix.toUpperCase();
  const exchange = Object.hasOwn(TRADINGVIEW_EXCHANGES, upperPrefix) ? TRADINGVIEW_EXCHANGES[upperPrefix] : undefined;
  if (exchange === undefined) return undefined;
  const base = TV_USDT_PERP.exec(ticker.toUpperCase())?.[1];
  if (base === undefined) return undefined;
  const symbol = exchange === 'okx' ? `${base}-USDT-SWAP` : `${base}USDT`;
  return usdtLinear('tradingview', exchange, symbol, base, ticker);
}
