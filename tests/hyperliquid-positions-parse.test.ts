/**
 * Reading Hyperliquid's position data as the API really answers, on the recorded and documented
 * responses in shared/data/hyperliquid-samples: decimal strings, `liquidationPx` string or null,
 * cross and isolated margin, the 2023 and current field sets; bad entries skipped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimal, MalformedResponseError, parseAssetContexts, parseClearinghouseState, parseLeaderboard, parsePosition } from '../src/data/hyperliquid-positions/parse';
import { defaultDataDir } from '../test-support/replay-server';

const SAMPLES = join(defaultDataDir(), 'hyperliquid-samples');
function sample(name: string): { request: { body?: { user?: string } }; response: { status: number; body: unknown } } {
  return JSON.parse(readFileSync(join(SAMPLES, name), 'utf8'));
}

describe('clearinghouseState', () => {
  it('reads the 2023 recording (older field set: maxTradeSzs, no time): 12 cross positions, null levels left without a price', () => {
    const s = sample('clearinghouseState-recorded-2023-03-27.json');
    const state = parseClearinghouseState(s.response.body, s.request.body!.user!);
    expect(state.skipped).toBe(0);
    expect(state.positions).toHaveLength(12);
    expect(state.accountValue).toBeCloseTo(1182.312496, 6);
    expect(state.time).toBeUndefined();
    const btc = state.positions.find((p) => p.coin === 'BTC')!;
    expect(btc).toEqual({ coin: 'BTC', side: 'short', size: 0.00785, entryPx: 26951, notionalUsd: 211.64542, liquidationPx: 173198.69592357, leverage: 20, marginType: 'cross' });
    const eth = state.positions.find((p) => p.coin === 'ETH')!;
    expect(eth.side).toBe('long');
    expect('liquidationPx' in eth).toBe(false);
    expect(state.positions.filter((p) => p.liquidationPx === undefined).map((p) => p.coin)).toEqual(['ETH', 'MATIC', 'SOL', 'AVAX', 'BNB', 'LTC', 'ARB']);
  });

  it('reads the documented isolated position (current field set: rawUsd, cumFunding, maxLeverage, time)', () => {
    const s = sample('clearinghouseState-docs-example-isolated.json');
    const state = parseClearinghouseState(s.response.body, '0x0000000000000000000000000000000000000000');
    expect(state.time).toBe(1708622398623);
    expect(state.positions).toEqual([
      { coin: 'ETH', side: 'long', size: 0.0335, entryPx: 2986.3, notionalUsd: 100.02765, liquidationPx: 2866.26936529, leverage: 20, marginType: 'isolated' },
    ]);
  });

  it('reads a cross BTC long whose liquidationPx is null as a position without a level', () => {
    const s = sample('clearinghouseState-quoted-btc-cross-null-liq.json');
    const state = parseClearinghouseState(s.response.body, s.request.body!.user!);
    expect(state.positions).toHaveLength(1);
    expect(state.positions[0]).toMatchObject({ coin: 'BTC', side: 'long', marginType: 'cross', leverage: 20 });
    expect(state.positions[0]!.liquidationPx).toBeUndefined();
    expect(state.address).toBe('0x7b7f72a28fe109fa703eeed7984f2a8a68fedee2');
  });

  it('skips bad entries and keeps the good ones', () => {
    const s = sample('clearinghouseState-recorded-2023-03-27.json');
    const body = structuredClone(s.response.body) as { assetPositions: { position: Record<string, unknown> }[] };
    const entries = body.assetPositions;
    entries[0]!.position['szi'] = 'abc';
    entries[1]!.position['liquidationPx'] = '1e5';
    delete entries[2]!.position['leverage'];
    entries[3]!.position['leverage'] = { type: 'portfolio', value: 20 };
    entries[4]!.position['coin'] = { name: 'DYDX' };
    entries[5]!.position['szi'] = '0.0';
    (entries as unknown[]).push(null, 'x', 42, { type: 'oneWay' });
    const state = parseClearinghouseState(body, s.request.body!.user!);
    expect(state.positions.map((p) => p.coin)).toEqual(['AVAX', 'BNB', 'APE', 'OP', 'LTC', 'ARB']);
    expect(state.skipped).toBe(10);
  });

  it('refuses answers that are no account state: the failed batch endpoint (HTTP 500, body null), text, no summary', () => {
    const batch = sample('batchClearinghouseStates-recorded-2025-08-22.json');
    expect(batch.response.status).toBe(500);
    expect(() => parseClearinghouseState(batch.response.body, '0x31ca8395cf837de08b24da3f660e77761dfb974b')).toThrow(MalformedResponseError);
    expect(() => parseClearinghouseState('Failed to deserialize', '0x0')).toThrow(MalformedResponseError);
    expect(() => parseClearinghouseState({ assetPositions: [] }, '0x0')).toThrow(/accountValue/);
  });

  it('never throws on any single entry', () => {
    fc.assert(fc.property(fc.anything(), (entry) => parsePosition(entry) === undefined || typeof parsePosition(entry)!.coin === 'string'));
  });

  it('reads decimals as the API writes them and nothing else', () => {
    expect(decimal('0.0335')).toBe(0.0335);
    expect(decimal('-12000')).toBe(-12000);
    expect(decimal(20)).toBe(20);
    for (const bad of ['1e3', ' 1', '', '0x10', 'NaN', 'Infinity', null, undefined, {}, Number.NaN]) expect(decimal(bad)).toBeUndefined();
  });
});

describe('leaderboard', () => {
  it('reads the recorded row (all numbers strings, prize a number) to an address and a value', () => {
    const s = sample('leaderboard-row-excerpt.json');
    const board = parseLeaderboard(s.response.body, 2000);
    expect(board).toEqual({ accounts: [{ address: '0x162cc7c861ebd0c06b3d72319201150482518185', accountValue: 48857952.3308470026 }], rows: 1, skipped: 0 });
  });

  it('keeps the top N by account value, largest first, once per address; bad rows skipped', () => {
    const row = (address: string, accountValue: unknown) => ({ ethAddress: address, accountValue, windowPerformances: [], prize: 0, displayName: null });
    const a = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;
    const body = { leaderboardRows: [row(a(1), '10.5'), row(a(2), '300'), row(a(3), '20'), row(a(2).toUpperCase().replace('0X', '0x'), '301'), row('nope', '1'), row(a(4), 'x'), row(a(5), '-3'), 7] };
    const board = parseLeaderboard(body, 2);
    expect(board.accounts).toEqual([
      { address: a(2), accountValue: 301 },
      { address: a(3), accountValue: 20 },
    ]);
    expect(board.rows).toBe(8);
    expect(board.skipped).toBe(4);
  });

  it('refuses a malformed leaderboard', () => {
    expect(() => parseLeaderboard(null, 10)).toThrow(MalformedResponseError);
    expect(() => parseLeaderboard({ rows: [] }, 10)).toThrow(MalformedResponseError);
    expect(() => parseLeaderboard({ leaderboardRows: [{ ethAddress: 'x' }] }, 10)).toThrow(/none of its 1 rows/);
  });
});

describe('metaAndAssetCtxs', () => {
  it('pairs the universe with the contexts by position', () => {
    const body = [{ universe: [{ name: 'BTC' }, { name: 'ETH' }, { name: 'BAD' }] }, [{ markPx: '70210.0', openInterest: '30000.5' }, { markPx: '2000', openInterest: '10' }, { markPx: null }]];
    const map = parseAssetContexts(body);
    expect(map.get('BTC')).toEqual({ markPx: 70210, openInterest: 30000.5 });
    expect(map.has('BAD')).toBe(false);
    expect(() => parseAssetContexts({ universe: [] })).toThrow(MalformedResponseError);
  });
});
