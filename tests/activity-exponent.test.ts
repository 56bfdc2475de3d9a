import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/engine/config';
import { candlesByVenue, measureActivityExponent } from '../scripts/lib/activity-exponent';
import { DATA_DIR } from './support/recorded';

// The recorded 1h candles of Binance, Bybit and OKX (shared/data README: real, public).
const CANDLES = resolve(DATA_DIR, 'btc-1h-candles-binance-bybit-okx.csv');

describe('activityRangeExponent is measured on recorded candles with the engine\'s norm', () => {
  const venues = candlesByVenue(CANDLES);
  const spanBars = DEFAULT_CONFIG.activityNormHours; // 1h candles: one bar an hour

  it('the default is the slope of log volume on log range on Binance, both against a 30-day norm', () => {
    const binance = measureActivityExponent(venues.get('binance')!, spanBars);
    expect(binance.bars).toBeGreaterThan(8000);
    expect(binance.slope).toBeCloseTo(DEFAULT_CONFIG.activityRangeExponent, 2);
    expect(binance.correlation).toBeGreaterThan(0.85);
  });

  it('the other venues agree within 0.06, and volume grows faster than range on every one', () => {
    for (const venue of ['bybit', 'okx']) {
      const m = measureActivityExponent(venues.get(venue)!, spanBars);
      expect(Math.abs(m.slope - DEFAULT_CONFIG.activityRangeExponent), venue).toBeLessThan(0.06);
      expect(m.slope, venue).toBeGreaterThan(1);
    }
  });

  it('a shorter norm gives a steeper slope: the measure depends on the span, so both are kept together', () => {
    const binance = venues.get('binance')!;
    expect(measureActivityExponent(binance, 200).slope).toBeGreaterThan(measureActivityExponent(binance, spanBars).slope + 0.015);
  });
});
