/**
 * Popup → content script: "which market does this tab show?". The popup needs no `tabs`
 * permission for it: it sends this to the active tab (`tabs.sendMessage` needs none) and the
 * content script, which knows its own address, answers.
 */
import type { ExchangeId } from '../engine/types';
import { EXCHANGES, MAX_SYMBOL_LENGTH, SYMBOL_PATTERN } from '../messaging/contract';
import { parsePageUrl } from '../sites/page-url';

export const PAGE_MARKET = 'liqlens:page-market';

export interface PageMarketAnswer {
  readonly exchange: ExchangeId;
  readonly symbol: string;
}

export function isPageMarketRequest(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === PAGE_MARKET && Object.keys(message).length === 1;
}

/** The market of `url`, as the content script answers it; null off a futures page. */
export function pageMarket(url: string): PageMarketAnswer | null {
  const market = parsePageUrl(url);
  return market ? { exchange: market.exchange, symbol: market.symbol } : null;
}

/** Reads a content script's answer (anything malformed is `null`). */
export function readPageMarket(answer: unknown): PageMarketAnswer | null {
  if (typeof answer !== 'object' || answer === null) return null;
  const { exchange, symbol } = answer as Record<string, unknown>;
  if (typeof exchange !== 'string' || typeof symbol !== 'string') return null;
  const known = EXCHANGES.find((id) => id === exchange);
  if (!known || symbol.length > MAX_SYMBOL_LENGTH || !SYMBOL_PATTERN.test(symbol)) return null;
  return { exchange: known, symbol };
}
