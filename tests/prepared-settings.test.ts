/**
 * The panel's first settings from the background's answer to `prepareEstimate`: used only when
 * the answer is a well-formed one of this protocol with fully readable settings, and raced with
 * the panel's own storage read.
 */
import { describe, expect, it } from 'vitest';
import { firstSettings, preparedSettings } from '../src/content/prepared-settings';
import { PROTOCOL_VERSION } from '../src/messaging/version';
import { DEFAULT_SETTINGS, type Settings } from '../src/settings/schema';

const USER: Settings = { ...DEFAULT_SETTINGS, lookback: '7d', theme: 'light' };
const answer = (settings: unknown) => ({
  ok: true,
  version: PROTOCOL_VERSION,
  type: 'prepareEstimate',
  result: { request: { exchange: 'binance', symbol: 'BTCUSDT', lookback: '7d' }, settings },
});
const never = new Promise<never>(() => {});

describe('preparedSettings', () => {
  it("takes the user's settings from a well-formed answer", async () => {
    expect(await preparedSettings(Promise.resolve(answer(USER)))).toEqual(USER);
  });

  it('ignores answers that are not usable', async () => {
    for (const bad of [
      answer({ ...USER, lookback: 'forever' }),
      answer('settings'),
      answer(undefined),
      { ...answer(USER), version: PROTOCOL_VERSION + 1 },
      { ...answer(USER), type: 'ping' },
      { ok: false, version: PROTOCOL_VERSION, error: { code: 'internal', message: 'no settings' } },
      undefined,
    ]) {
      expect(await preparedSettings(Promise.resolve(bad))).toBeUndefined();
    }
    await expect(preparedSettings(Promise.reject(new Error('no receiver')))).rejects.toThrow('no receiver');
  });
});

describe('firstSettings', () => {
  it('takes the prepared settings when they come first, the read ones otherwise', async () => {
    expect(await firstSettings(Promise.resolve(USER), never)).toEqual(USER);
    expect(await firstSettings(never, Promise.resolve(DEFAULT_SETTINGS))).toEqual(DEFAULT_SETTINGS);
    // An unusable answer waits for the read.
    expect(await firstSettings(Promise.resolve(undefined), Promise.resolve(DEFAULT_SETTINGS))).toEqual(DEFAULT_SETTINGS);
    expect(await firstSettings(Promise.reject(new Error('late')), Promise.resolve(DEFAULT_SETTINGS))).toEqual(DEFAULT_SETTINGS);
  });

  it("fails with the read's error only when the answer brought no settings either", async () => {
    const failed = Promise.reject(new Error('storage unavailable'));
    expect(await firstSettings(Promise.resolve(USER), failed)).toEqual(USER);
    await expect(firstSettings(Promise.resolve(undefined), Promise.reject(new Error('storage unavailable')))).rejects.toThrow('storage unavailable');
    await expect(firstSettings(Promise.reject(new Error('late')), Promise.reject(new Error('storage unavailable')))).rejects.toThrow('storage unavailable');
  });
});
