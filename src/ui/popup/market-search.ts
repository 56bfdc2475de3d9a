/** Searching an exchange's market list for the symbol picker. */
import type { MarketInfo } from '../../messaging/contract';

/**
 * Markets whose id or base coin contains `query` (case-insensitive): exact matches first, then
 * prefixes of the base coin, then the rest, each group alphabetically; at most `limit`.
 * @example searchMarkets(markets, 'eth', 3).map((m) => m.symbol) // ['ETHUSDT', 'ETHFIUSDT', ...]
 */
export function searchMarkets(markets: readonly MarketInfo[], query: string, limit = 8): MarketInfo[] {
  const q = query.trim().toUpperCase();
  if (q === '') return [];
  const rank = (m: MarketInfo): number => {
    const base = m.base.toUpperCase();
    const id = m.symbol.toUpperCase();
    if (base === q || id === q) return 0;
    if (base.startsWith(q) || id.startsWith(q)) return 1;
    if (base.includes(q) || id.includes(q)) return 2;
    return 3;
  };
  return markets
    .map((m) => ({ m, r: rank(m) }))
    .filter((x) => x.r < 3)
    .sort((a, b) => a.r - b.r || a.m.base.length - b.m.base.length || a.m.symbol.localeCompare(b.m.symbol))
    .slice(0, limit)
    .map((x) => x.m);
}

