/**
 * Popup → content script: "which market does this tab show?". The popup needs no `tabs`
 * permission for it: it sends this to the active tab (`tabs.sendMessage` needs none) and the
 * content script, which knows its own address, answers. The content script's first file
 * answers it, so this module stays free of the message contract's validators (the popup reads
 * the answer with `readPageMarket` from ./popup/read-page-market).
 */
import type { ExchangeId } from '../engine/types';
import { parsePageUrl, unsupportedPage } from '../sites/page-url';

export const PAGE_MARKET = 'liqlens:page-market';

export interface PageMarketAnswer {
  readonly exchange: ExchangeId;
  readonly symbol: string;
}

export function isPageMarketRequest(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === PAGE_MARKET && Object.keys(message).length === 1;
}

/** The answer for a page of a supported site that shows a market LiqLens does not cover. */
export interface UnsupportedPageAnswer {
  readonly exchange: ExchangeId;
  /** Why, in one sentence for the user (src/sites/page-url.ts `unsupportedPage`). */
  readonly unsupported: string;
}

/** The content script's answer: the market, why the page is not covered, or null. */
export function pageAnswer(url: string): PageMarketAnswer | UnsupportedPageAnswer | null {
  const market = pageMarket(url);
  if (market) return market;
  const page = unsupportedPage(url);
  return page ? { exchange: page.exchange, unsupported: page.reason } : null;
}

/** The market of `url`, as the content script answers it; null off a futures page. */
export function pageMarket(url: string): PageMarketAnswer | null {
  const market = parsePageUrl(url);
  return market ? { exchange: market.exchange, symbol: market.symbol } : null;
}
