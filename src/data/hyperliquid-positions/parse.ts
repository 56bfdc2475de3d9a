/**
 * Readers of Hyperliquid's public position data, written against the responses as the API
 * really sends them (`/work/shared/data/hyperliquid-samples/`, see its README):
 *
 * - `POST https://api.hyperliquid.xyz/info {"type":"clearinghouseState","user":…}`: numbers are
 *   decimal strings (`"0.0335"`), except `leverage.value` and `maxLeverage`; `liquidationPx` is a
 *   string or `null` (no positive liquidation price: a cross long whose collateral covers any
 *   fall); `leverage.type` is `cross` or `isolated` (isolated adds `rawUsd`). The 2023 recording
 *   (official Python SDK cassette) has `maxTradeSzs` in each position and no `cumFunding`,
 *   `maxLeverage` or top-level `time`; the current docs' example has those. Unknown fields are
 *   ignored, missing optional ones tolerated.
 * - `GET https://stats-data.hyperliquid.xyz/Mainnet/leaderboard`: `{"leaderboardRows":[{ethAddress,
 *   accountValue, windowPerformances, prize, displayName}]}`, about 30-40k rows, unsorted.
 * - `POST /info {"type":"metaAndAssetCtxs"}`: `[{universe:[{name,…}]}, [{markPx, openInterest,…}]]`,
 *   the two lists in the same order (docs: info-endpoint/perpetuals.md).
 *
 * One bad entry is skipped and counted, never fatal: a map with one position fewer is still a map.
 */
import type { Side } from '../../engine/types';

/** A 0x-prefixed 20-byte address, as the API writes users. */
export const ADDRESS_PATTERN = /^0x[0-9a-fA-F]{40}$/;
/** A decimal as the API writes numbers: `-12.5`, `0.0`, `173198.69592357` (no exponent, no spaces). */
const DECIMAL_PATTERN = /^-?\d+(?:\.\d+)?$/;
/** Coin names: `BTC`, `kPEPE`; builder-deployed markets carry a `dex:` prefix (`xyz:TSLA`). */
const COIN_PATTERN = /^[A-Za-z0-9]+(?::[A-Za-z0-9]+)?$/;

export type MarginType = 'cross' | 'isolated';

/** One open perpetual position, as the exchange reported it. */
export interface RealPosition {
  readonly coin: string;
  readonly side: Side;
  /** Absolute size in coins. */
  readonly size: number;
  readonly entryPx: number;
  /** |size| x mark, USD, as the exchange computed it. */
  readonly notionalUsd: number;
  /** The exchange's own liquidation price; undefined where the API answered `null`. */
  readonly liquidationPx?: number;
  /** The position's leverage setting. */
  readonly leverage: number;
  readonly marginType: MarginType;
}

export interface AccountState {
  readonly address: string;
  /** `marginSummary.accountValue`, USD. */
  readonly accountValue: number;
  readonly positions: readonly RealPosition[];
  /** The exchange's time of the state (newer responses carry `time`), ms. */
  readonly time?: number;
  /** Position entries that could not be read and were left out. */
  readonly skipped: number;
}

export interface LeaderboardAccount {
  /** Lower-case address. */
  readonly address: string;
  readonly accountValue: number;
}

export interface Leaderboard {
  /** The kept accounts, largest account value first. */
  readonly accounts: readonly LeaderboardAccount[];
  /** Rows in the response. */
  readonly rows: number;
  /** Rows that could not be read. */
  readonly skipped: number;
}

/** What Hyperliquid publishes per coin beside the positions: mark and open interest. */
export interface AssetContext {
  readonly markPx: number;
  /** Open interest in coins, as the `openInterest` field gives it. */
  readonly openInterest: number;
}

/** A response that is not what the endpoint sends: the whole answer is unusable. */
export class MalformedResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedResponseError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A decimal string as the API sends it, or a finite number (older fields, other clients'
 * re-serialisations); anything else is undefined.
 * @example decimal('0.0335') // 0.0335
 * @example decimal('1e3') // undefined
 */
export function decimal(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !DECIMAL_PATTERN.test(value)) return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** One `assetPositions` entry, or undefined when it cannot be read as an open position. */
export function parsePosition(entry: unknown): RealPosition | undefined {
  // Entries are `{ type: 'oneWay', position: {...} }`; a bare position object is accepted too.
  const position = isRecord(entry) && isRecord(entry['position']) ? entry['position'] : entry;
  if (!isRecord(position)) return undefined;
  const coin = position['coin'];
  if (typeof coin !== 'string' || !COIN_PATTERN.test(coin)) return undefined;
  const szi = decimal(position['szi']);
  const entryPx = decimal(position['entryPx']);
  const value = decimal(position['positionValue']);
  if (szi === undefined || szi === 0 || entryPx === undefined || !(entryPx > 0) || value === undefined || value < 0) return undefined;
  const leverageField = position['leverage'];
  // Current and 2023 responses: `{ type: 'cross' | 'isolated', value: 20 }`.
  if (!isRecord(leverageField)) return undefined;
  const type = leverageField['type'];
  const leverage = decimal(leverageField['value']);
  if ((type !== 'cross' && type !== 'isolated') || leverage === undefined || !(leverage > 0)) return undefined;
  const rawLiq = position['liquidationPx'];
  let liquidationPx: number | undefined;
  if (rawLiq !== null && rawLiq !== undefined) {
    liquidationPx = decimal(rawLiq);
    if (liquidationPx === undefined) return undefined;
    // A zero or negative price is no level at all (as `null` is).
    if (!(liquidationPx > 0)) liquidationPx = undefined;
  }
  return {
    coin,
    side: szi > 0 ? 'long' : 'short',
    size: Math.abs(szi),
    entryPx,
    notionalUsd: value,
    ...(liquidationPx !== undefined ? { liquidationPx } : {}),
    leverage,
    marginType: type,
  };
}

/**
 * A `clearinghouseState` answer. Throws {@link MalformedResponseError} when the body is not an
 * account state at all (HTTP 200 with `null`, an error text); bad position entries are skipped.
 * @example parseClearinghouseState(body, '0x5e9e…').positions[0]?.liquidationPx // 173198.69592357
 */
export function parseClearinghouseState(body: unknown, address: string): AccountState {
  if (!isRecord(body)) throw new MalformedResponseError('clearinghouseState: the answer is not an object');
  const list = body['assetPositions'];
  if (!Array.isArray(list)) throw new MalformedResponseError('clearinghouseState: no assetPositions list');
  const summary = isRecord(body['marginSummary']) ? body['marginSummary'] : isRecord(body['crossMarginSummary']) ? body['crossMarginSummary'] : undefined;
  const accountValue = decimal(summary?.['accountValue']);
  if (accountValue === undefined) throw new MalformedResponseError('clearinghouseState: no marginSummary.accountValue');
  const positions: RealPosition[] = [];
  let skipped = 0;
  for (const entry of list) {
    const position = parsePosition(entry);
    if (position) positions.push(position);
    else skipped++;
  }
  const time = body['time'];
  return {
    address: address.toLowerCase(),
    accountValue,
    positions,
    ...(typeof time === 'number' && Number.isFinite(time) && time > 0 ? { time } : {}),
    skipped,
  };
}

/**
 * The leaderboard, reduced to the `top` accounts by account value (addresses and values only;
 * the rest of the 25-35 MB body is dropped). Throws {@link MalformedResponseError} when the body
 * has no rows list or no readable row.
 */
export function parseLeaderboard(body: unknown, top: number): Leaderboard {
  if (!isRecord(body) || !Array.isArray(body['leaderboardRows'])) {
    throw new MalformedResponseError('leaderboard: no leaderboardRows list');
  }
  const rows = body['leaderboardRows'] as unknown[];
  const seen = new Map<string, number>();
  let skipped = 0;
  for (const row of rows) {
    const address = isRecord(row) ? row['ethAddress'] : undefined;
    const value = isRecord(row) ? decimal(row['accountValue']) : undefined;
    if (typeof address !== 'string' || !ADDRESS_PATTERN.test(address) || value === undefined || !(value > 0)) {
      skipped++;
      continue;
    }
    const key = address.toLowerCase();
    seen.set(key, Math.max(seen.get(key) ?? 0, value));
  }
  if (seen.size === 0) throw new MalformedResponseError(`leaderboard: none of its ${rows.length} rows could be read`);
  const accounts = [...seen]
    .map(([address, accountValue]) => ({ address, accountValue }))
    .sort((a, b) => b.accountValue - a.accountValue || (a.address < b.address ? -1 : 1))
    .slice(0, Math.max(0, Math.floor(top)));
  return { accounts, rows: rows.length, skipped };
}

/**
 * Mark price and open interest per coin from a `metaAndAssetCtxs` answer; coins whose context
 * cannot be read are left out. Throws {@link MalformedResponseError} when the pair is missing.
 */
export function parseAssetContexts(body: unknown): ReadonlyMap<string, AssetContext> {
  if (!Array.isArray(body) || body.length < 2 || !isRecord(body[0]) || !Array.isArray(body[0]['universe']) || !Array.isArray(body[1])) {
    throw new MalformedResponseError('metaAndAssetCtxs: expected [meta, contexts]');
  }
  const universe = body[0]['universe'] as unknown[];
  const contexts = body[1] as unknown[];
  const out = new Map<string, AssetContext>();
  universe.forEach((asset, i) => {
    const ctx = contexts[i];
    const name = isRecord(asset) ? asset['name'] : undefined;
    if (typeof name !== 'string' || !isRecord(ctx)) return;
    const markPx = decimal(ctx['markPx']);
    const openInterest = decimal(ctx['openInterest']);
    if (markPx === undefined || !(markPx > 0) || openInterest === undefined || openInterest < 0) return;
    out.set(name, { markPx, openInterest });
  });
  return out;
}
