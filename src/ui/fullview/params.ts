/**
 * The full view's address: which market and settings it shows, carried in the query string
 * (`fullview.html?exchange=binance&symbol=BTCUSDT&lookback=7d&leverages=50,100&aggregate=1`).
 * The page is an extension page anyone can type into the address bar, so the query is read
 * with the message contract's own validator: anything else is a clear error, never a guess.
 */
import { type OpenFullViewRequest, REQUEST_VALIDATORS } from '../../messaging/contract';

/** What the full view shows; the same fields the panel's request to open it carries. */
export type FullViewParams = OpenFullViewRequest;

/** The page's path inside the extension (WXT names an HTML entrypoint after its folder). */
export const FULL_VIEW_PATH = '/fullview.html';

export type ParsedParams = { readonly ok: true; readonly params: FullViewParams } | { readonly ok: false; readonly error: string };

/**
 * Reads the query string of the full view's address.
 * @example parseFullViewQuery('?exchange=okx&symbol=BTC-USDT-SWAP&lookback=3d') // { ok: true, params: { exchange: 'okx', ... } }
 */
export function parseFullViewQuery(search: string): ParsedParams {
  const query = new URLSearchParams(search);
  const allowed = new Set(['exchange', 'symbol', 'lookback', 'leverages', 'aggregate']);
  for (const key of query.keys()) if (!allowed.has(key)) return { ok: false, error: `unknown parameter "${key.slice(0, 40)}"` };
  const raw: Record<string, unknown> = {};
  for (const key of ['exchange', 'symbol', 'lookback'] as const) {
    const value = query.get(key);
    if (value !== null) raw[key] = value;
  }
  const leverages = query.get('leverages');
  if (leverages !== null) raw['leverages'] = leverages === '' ? [] : leverages.split(',').map((part) => (/^\d+(\.\d+)?$/.test(part) ? Number(part) : part));
  const aggregate = query.get('aggregate');
  if (aggregate !== null) {
    if (aggregate !== '1' && aggregate !== '0') return { ok: false, error: 'aggregate: expected 1 or 0' };
    raw['aggregate'] = aggregate === '1';
  }
  const checked = REQUEST_VALIDATORS.openFullView(raw, '');
  if (!checked.ok) return { ok: false, error: `${checked.issue.path || 'query'}: ${checked.issue.reason}` };
  return { ok: true, params: checked.value };
}

/**
 * The query string for `params` (with its leading `?`).
 * @example fullViewQuery({ exchange: 'binance', symbol: 'BTCUSDT', lookback: '24h' }) // '?exchange=binance&symbol=BTCUSDT&lookback=24h'
 */
export function fullViewQuery(params: FullViewParams): string {
  const query = new URLSearchParams({ exchange: params.exchange, symbol: params.symbol, lookback: params.lookback });
  if (params.leverages && params.leverages.length > 0) query.set('leverages', params.leverages.join(','));
  if (params.aggregate) query.set('aggregate', '1');
  return `?${query.toString()}`;
}
