/**
 * The funding interval the data layer gives each series (src/data/exchanges/funding-interval.ts):
 * the median spacing of the settlements fetched, else the interval the exchange documents.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCUMENTED_FUNDING_INTERVAL_MS, fundingIntervalFor, fundingIntervalOf } from '../src/data/exchanges/funding-interval';
import type { Sample } from '../src/data/exchanges/join';
import { DATA_DIR } from './support/recorded';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 5, 1);

function settlements(times: readonly number[], rate = 0.0001): Sample[] {
  return times.map((timestamp) => ({ timestamp, value: rate }));
}

/** The recorded settlements of `btc-funding-binance-bybit-okx.csv`, per venue. */
function recordedSettlements(): Map<string, Sample[]> {
  const lines = readFileSync(resolve(DATA_DIR, 'btc-funding-binance-bybit-okx.csv'), 'utf8').trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  const [ts, venue, rate] = ['ts_ms', 'venue', 'funding_rate'].map((name) => header.indexOf(name));
  const byVenue = new Map<string, Sample[]>();
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    const list = byVenue.get(cells[venue!]!) ?? [];
    list.push({ timestamp: Number(cells[ts!]), value: Number(cells[rate!]) });
    byVenue.set(cells[venue!]!, list);
  }
  return byVenue;
}

describe('fundingIntervalOf: the median spacing of the settlements', () => {
  it('the recorded BTC settlements of Binance, Bybit and OKX: 8 h (Binance stamps a few ms late)', () => {
    const recorded = recordedSettlements();
    expect([...recorded.keys()].sort()).toEqual(['binance', 'bybit', 'okx']);
    for (const [venue, samples] of recorded) expect(fundingIntervalOf(samples), venue).toBe(8 * HOUR);
    // Binance's own stamps are not exactly 8 h apart: the rounding to the minute is what makes them so.
    const binance = recorded.get('binance')!.map((s) => s.timestamp);
    expect(binance.some((t, i) => i > 0 && t - binance[i - 1]! !== 8 * HOUR)).toBe(true);
  });

  it('an hourly and a 4-hourly market, in any order and with duplicates', () => {
    const hourly = settlements(Array.from({ length: 30 }, (_, i) => T0 + i * HOUR));
    expect(fundingIntervalOf(hourly)).toBe(HOUR);
    expect(fundingIntervalOf([...hourly].reverse().concat(hourly.slice(0, 5)))).toBe(HOUR);
    expect(fundingIntervalOf(settlements([0, 1, 2, 3].map((i) => T0 + i * 4 * HOUR)))).toBe(4 * HOUR);
  });

  it('a missing settlement does not lengthen the interval (the lower middle spacing of an even count)', () => {
    // 8 h, 16 h (one row missing), 8 h.
    expect(fundingIntervalOf(settlements([0, 8, 24, 32].map((h) => T0 + h * HOUR)))).toBe(8 * HOUR);
    // Three settlements, one missing between two of them: 8 h and 16 h.
    expect(fundingIntervalOf(settlements([0, 8, 24].map((h) => T0 + h * HOUR)))).toBe(8 * HOUR);
  });

  it('says nothing from fewer than three settlements, unusable rows or an implausible spacing', () => {
    expect(fundingIntervalOf([])).toBeUndefined();
    expect(fundingIntervalOf(settlements([T0, T0 + 8 * HOUR]))).toBeUndefined();
    expect(fundingIntervalOf([{ timestamp: T0, value: 0.0001 }, { timestamp: Number.NaN, value: 0.0001 }, { timestamp: T0 + HOUR, value: Number.NaN }])).toBeUndefined();
    // Three days apart: not a funding interval the engine accepts.
    expect(fundingIntervalOf(settlements([0, 72, 144].map((h) => T0 + h * HOUR)))).toBeUndefined();
  });
});

describe('fundingIntervalFor: the history first, then what the exchange documents', () => {
  it("Hyperliquid pays hourly on every market (its docs): 1 h when the history cannot tell", () => {
    expect(DOCUMENTED_FUNDING_INTERVAL_MS.hyperliquid).toBe(HOUR);
    expect(fundingIntervalFor('hyperliquid', [])).toBe(HOUR);
    expect(fundingIntervalFor('hyperliquid', undefined)).toBe(HOUR);
  });

  it('the CEXs set it per market: nothing is assumed without a history', () => {
    for (const exchange of ['binance', 'bybit', 'okx', 'bitget'] as const) {
      expect(fundingIntervalFor(exchange, []), exchange).toBeUndefined();
      expect(fundingIntervalFor(exchange, settlements([0, 4, 8, 12].map((h) => T0 + h * HOUR))), exchange).toBe(4 * HOUR);
    }
  });
});
