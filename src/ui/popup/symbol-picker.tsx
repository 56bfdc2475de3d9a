import { useEffect, useState } from 'preact/hooks';
import type { ExchangeId } from '../../engine/types';
import type { MarketInfo, MarketRef } from '../../messaging/contract';
import { searchMarkets } from './market-search';

export interface SymbolPickerProps {
  readonly exchanges: readonly ExchangeId[];
  readonly value: MarketRef | null;
  readonly onPick: (market: MarketRef) => void;
  readonly listMarkets: (exchange: ExchangeId) => Promise<readonly MarketInfo[]>;
}

const NAMES: Readonly<Record<ExchangeId, string>> = { binance: 'Binance', bybit: 'Bybit', okx: 'OKX', bitget: 'Bitget', hyperliquid: 'Hyperliquid' };

/** Exchange and market search; the market list is loaded from the background when first searched. */
export function SymbolPicker({ exchanges, value, onPick, listMarkets }: SymbolPickerProps) {
  const [exchange, setExchange] = useState<ExchangeId>(value?.exchange ?? exchanges[0] ?? 'binance');
  const [query, setQuery] = useState('');
  const [markets, setMarkets] = useState<{ exchange: ExchangeId; list: readonly MarketInfo[] } | { exchange: ExchangeId; error: string } | null>(null);

  useEffect(() => {
    if (value) setExchange(value.exchange);
  }, [value?.exchange]);

  useEffect(() => {
    if (query.trim() === '' || markets?.exchange === exchange) return;
    let live = true;
    listMarkets(exchange).then(
      (list) => live && setMarkets({ exchange, list }),
      (error: unknown) => live && setMarkets({ exchange, error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [exchange, query]);

  const options = exchanges.includes(exchange) ? exchanges : [exchange, ...exchanges];
  const loaded = markets?.exchange === exchange ? markets : null;
  const results = loaded && 'list' in loaded ? searchMarkets(loaded.list, query) : [];
  const pick = (market: MarketRef) => {
    setQuery('');
    onPick(market);
  };

  return (
    <div class="picker">
      <div class="picker-row">
        <select aria-label="Exchange" value={exchange} onChange={(e) => setExchange((e.currentTarget as HTMLSelectElement).value as ExchangeId)}>
          {options.map((id) => (
            <option key={id} value={id}>
              {NAMES[id]}
            </option>
          ))}
        </select>
        <input
          type="search"
          aria-label="Search markets"
          placeholder={value ? `${value.symbol} · search…` : 'Search a market (BTC, ETH…)'}
          value={query}
          maxLength={40}
          onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
          onKeyDown={(e) => {
            const first = results[0];
            if (e.key === 'Enter' && first) pick({ exchange: first.exchange, symbol: first.symbol });
          }}
        />
      </div>
      {query.trim() === '' ? null : loaded === null ? (
        <p class="muted results-note">Loading markets…</p>
      ) : 'error' in loaded ? (
        <p class="error results-note">Could not list markets: {loaded.error}</p>
      ) : results.length === 0 ? (
        <p class="muted results-note">No market matches “{query.trim()}”.</p>
      ) : (
        <ul class="results" role="listbox" aria-label="Markets">
          {results.map((m) => (
            <li key={m.symbol}>
              <button type="button" role="option" data-symbol={m.symbol} onClick={() => pick({ exchange: m.exchange, symbol: m.symbol })}>
                <b>{m.symbol}</b> <span class="muted">{m.unified}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
