/**
 * Real Hyperliquid positions for the replay: the recorded snapshot
 * (`hyperliquid-positions/hl-positions-all-coins-whales-2026-02-15T0513Z.csv`, 2,849 positions of
 * 547 accounts, liquidation prices as the exchange computed them) served in the real response
 * shapes (`hyperliquid-samples/`):
 *
 * - `GET stats-data.hyperliquid.xyz/Mainnet/leaderboard`: one row per snapshot account.
 *   As recorded: `ethAddress`, `accountValue`. Reconstructed: `windowPerformances` (day, week,
 *   month, allTime with pnl/roi/vlm `"0.0"`: not recorded), `prize` 0, `displayName` null.
 *   Only the 547 snapshot accounts (the live board has 30-40k rows).
 * - `POST api.hyperliquid.xyz/info {"type":"clearinghouseState","user"}`: the account's positions.
 *   As recorded: `coin`, `szi`, `entryPx`, `positionValue`, `unrealizedPnl`, `leverage.value`,
 *   `liquidationPx` (empty cell = `null`), `marginSummary.accountValue`, `time` (the snapshot's).
 *   Reconstructed: `leverage.type` is `cross` for all (the source did not store the margin mode),
 *   `marginUsed` = positionValue / leverage, `returnOnEquity` = unrealizedPnl / marginUsed,
 *   the summaries' totals from those, `withdrawable` and `crossMaintenanceMarginUsed` `"0.0"`.
 *   Any other address answers an empty account, as the API does for an address without positions.
 * Sizes recorded in exponent form (`1e-05`, 3 rows) are served as plain decimals, as the API writes them.
 * Prices are served as recorded (BTC mark about 70,200), not moved to the replayed candles' level.
 */
import { join } from 'node:path';
import { readCsv } from '../csv';

export const POSITIONS_FILE = 'hyperliquid-positions/hl-positions-all-coins-whales-2026-02-15T0513Z.csv';

export interface SnapshotPosition {
  readonly coin: string;
  readonly szi: string;
  readonly entryPx: string;
  readonly positionValue: string;
  readonly unrealizedPnl: string;
  readonly leverage: number;
  /** Empty when the API answered `null`. */
  readonly liquidationPx: string;
  readonly markPx: string;
}

export interface SnapshotAccount {
  readonly address: string;
  readonly accountValue: string;
  readonly positions: readonly SnapshotPosition[];
}

export interface PositionsSnapshot {
  readonly time: number;
  readonly accounts: ReadonlyMap<string, SnapshotAccount>;
  /** The leaderboard body (`{ leaderboardRows }`). */
  leaderboard(): unknown;
  /** The clearinghouseState body of an address. */
  clearinghouseState(user: string): unknown;
}

const cache = new Map<string, PositionsSnapshot>();

/**
 * The API writes numbers as plain decimals; the snapshot's source stored three tiny sizes in
 * exponent form (`1e-05`, Python's float repr), served here as the API writes them (`0.00001`).
 */
export function plainDecimal(cell: string): string {
  if (!/e/i.test(cell)) return cell;
  const value = Number(cell);
  return value.toFixed(Math.min(20, Math.max(0, -Math.floor(Math.log10(Math.abs(value))) + 8))).replace(/\.?0+$/, '');
}

/** Loads the snapshot once per data folder. */
export function positionsSnapshot(dataDir: string): PositionsSnapshot {
  const held = cache.get(dataDir);
  if (held) return held;
  const file = join(dataDir, POSITIONS_FILE);
  const table = readCsv(file);
  const c = (name: string) => table.col(name);
  const [iTime, iAddr, iCoin, iSzi, iEntry, iValue, iMark, iLev, iLiq, iPnl, iAv] = [
    'snapshot_utc', 'address', 'coin', 'szi', 'entry_px', 'position_value_usd', 'implied_mark_px', 'leverage', 'liquidation_px', 'unrealized_pnl', 'trader_account_value',
  ].map(c) as [number, number, number, number, number, number, number, number, number, number, number];
  const accounts = new Map<string, { address: string; accountValue: string; positions: SnapshotPosition[] }>();
  let time = 0;
  for (const row of table.rows) {
    const address = row[iAddr]!.toLowerCase();
    time = Date.parse(row[iTime]!);
    let account = accounts.get(address);
    if (!account) accounts.set(address, (account = { address, accountValue: row[iAv]!, positions: [] }));
    account.positions.push({
      coin: row[iCoin]!,
      szi: plainDecimal(row[iSzi]!),
      entryPx: row[iEntry]!,
      positionValue: row[iValue]!,
      unrealizedPnl: row[iPnl]!,
      leverage: Number(row[iLev]),
      liquidationPx: row[iLiq]!,
      markPx: row[iMark]!,
    });
  }
  const zeroWindow = { pnl: '0.0', roi: '0.0', vlm: '0.0' };
  const snapshot: PositionsSnapshot = {
    time,
    accounts,
    leaderboard: () => ({
      leaderboardRows: [...accounts.values()].map((a) => ({
        ethAddress: a.address,
        accountValue: a.accountValue,
        windowPerformances: [['day', zeroWindow], ['week', zeroWindow], ['month', zeroWindow], ['allTime', zeroWindow]],
        prize: 0,
        displayName: null,
      })),
    }),
    clearinghouseState(user) {
      const account = accounts.get(user.toLowerCase());
      const positions = account?.positions ?? [];
      const margin = (p: SnapshotPosition) => Number(p.positionValue) / p.leverage;
      const totalNtl = positions.reduce((s, p) => s + Number(p.positionValue), 0);
      const totalMargin = positions.reduce((s, p) => s + margin(p), 0);
      const summary = {
        accountValue: account?.accountValue ?? '0.0',
        totalNtlPos: totalNtl.toFixed(6),
        totalRawUsd: (Number(account?.accountValue ?? 0) + totalNtl).toFixed(6),
        totalMarginUsed: totalMargin.toFixed(6),
      };
      return {
        marginSummary: summary,
        crossMarginSummary: summary,
        crossMaintenanceMarginUsed: '0.0',
        withdrawable: '0.0',
        assetPositions: positions.map((p) => ({
          type: 'oneWay',
          position: {
            coin: p.coin,
            szi: p.szi,
            leverage: { type: 'cross', value: p.leverage },
            entryPx: p.entryPx,
            positionValue: p.positionValue,
            unrealizedPnl: p.unrealizedPnl,
            returnOnEquity: (Number(p.unrealizedPnl) / margin(p)).toFixed(8),
            liquidationPx: p.liquidationPx === '' ? null : p.liquidationPx,
            marginUsed: margin(p).toFixed(6),
          },
        })),
        time,
      };
    },
  };
  cache.set(dataDir, snapshot);
  return snapshot;
}
