/** The popup's side of the page-market question (src/ui/page-market.ts). */
import { EXCHANGES, MAX_SYMBOL_LENGTH, SYMBOL_PATTERN } from '../../messaging/contract';
import type { PageMarketAnswer } from '../page-market';

/** Longest reason shown for a page LiqLens does not cover. */
const MAX_REASON = 200;

/** Reads a content script's answer (anything malformed is `null`). */
export function readPageMarket(answer: unknown): PageMarketAnswer | null {
  if (typeof answer !== 'object' || answer === null) return null;
  const { exchange, symbol } = answer as Record<string, unknown>;
  if (typeof exchange !== 'string' || typeof symbol !== 'string') return null;
  const known = EXCHANGES.find((id) => id === exchange);
  if (!known || symbol.length > MAX_SYMBOL_LENGTH || !SYMBOL_PATTERN.test(symbol)) return null;
  return { exchange: known, symbol };
}

/** The reason a content script gave for not covering its page (`pageAnswer`); null for anything else. */
export function readUnsupportedPage(answer: unknown): string | null {
  if (typeof answer !== 'object' || answer === null) return null;
  const { exchange, unsupported } = answer as Record<string, unknown>;
  if (typeof exchange !== 'string' || !EXCHANGES.some((id) => id === exchange)) return null;
  if (typeof unsupported !== 'string' || unsupported === '' || unsupported.length > MAX_REASON) return null;
  return unsupported;
}
