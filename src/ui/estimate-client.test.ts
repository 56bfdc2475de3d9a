/** The UI's retries: dropped connections are asked again, answered errors are not. */
import { describe, expect, it, vi } from 'vitest';
import { type EstimateView, LEVERAGE_TIERS } from '../messaging/contract';

vi.mock('wxt/browser', () => ({ browser: {} }));

const { sameEstimateRequest, watchEstimate, withRetry } = await import('./estimate-client');
const { MessagingError } = await import('../messaging');

describe('withRetry', () => {
  it('retries a dropped connection and returns the later answer', async () => {
    const fn = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new MessagingError({ code: 'transport-failed', message: 'The message port closed before a response was received.' }))
      .mockResolvedValueOnce('view');
    await expect(withRetry(fn, { backoffMs: 1 })).resolves.toBe('view');
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('does not retry an answered error, and gives up after the last attempt', async () => {
    const failed = vi.fn(() => Promise.reject(new MessagingError({ code: 'handler-failed', message: 'HTTP 500' })));
    await expect(withRetry(failed, { backoffMs: 1 })).rejects.toThrow('HTTP 500');
    expect(failed).toHaveBeenCalledTimes(1);
    const dropped = vi.fn(() => Promise.reject(new MessagingError({ code: 'transport-failed', message: 'gone' })));
    await expect(withRetry(dropped, { backoffMs: 1, attempts: 3 })).rejects.toThrow('gone');
    expect(dropped).toHaveBeenCalledTimes(3);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const dropped = vi.fn(() => {
      controller.abort(new Error('navigated away'));
      return Promise.reject(new MessagingError({ code: 'transport-failed', message: 'gone' }));
    });
    await expect(withRetry(dropped, { backoffMs: 1, signal: controller.signal })).rejects.toThrow('navigated away');
    expect(dropped).toHaveBeenCalledTimes(1);
  });
});

describe('watchEstimate', () => {
  const NOW = Date.UTC(2026, 5, 22, 11, 50);
  const base: EstimateView = {
    exchange: 'okx',
    symbol: 'BTC-USDT-SWAP',
    lookback: '24h',
    computedAt: NOW,
    price: 100,
    pools: [],
    context: { timestamp: NOW, price: 100, openInterestUsd: 5e9, openInterestChange: {}, trend: 'flat', trendChangePct: 0, trendWindowMs: 3_600_000, reliability: { score: 0.5, reasons: [] } },
    heatmap: { columns: 2, rows: 2, firstTimestamp: NOW - 7_200_000, columnMs: 3_600_000, priceLow: 90, priceHigh: 110, maxCellUsd: 1e6, intensity: [0, 255, 128, 1], candles: [99, 101, 98, 100, 100, 102, 99, 100] },
    latestMap: { priceLow: 90, priceHigh: 110, long: [5, 3, 0, 0], short: [0, 0, 2, 7], atr: 1.6 },
  };
  /**
   * Watches the okx estimate with `request` as the one-shot answer and a live port whose messages
   * the test delivers through `deliver`; `shown` collects what the panel would show.
   */
  function watch(request: () => Promise<EstimateView>, initial?: EstimateView) {
    const listeners: ((message: unknown) => void)[] = [];
    const port = {
      name: 'liqlens-live',
      postMessage: () => {},
      disconnect: () => {},
      onMessage: { addListener: (fn: (message: unknown) => void) => void listeners.push(fn) },
      onDisconnect: { addListener: () => {} },
    };
    const shown: EstimateView[] = [];
    const controller = new AbortController();
    watchEstimate({ exchange: 'okx', symbol: 'BTC-USDT-SWAP', lookback: '24h' }, {
      onView: (view) => shown.push(view),
      onError: () => {},
      signal: controller.signal,
      connect: () => port,
      request,
      ...(initial ? { initial } : {}),
    });
    const deliver = (message: unknown) => {
      for (const fn of listeners) fn(message);
    };
    return { shown, deliver, stop: () => controller.abort() };
  }

  it('keeps the live view with its realized liquidations when the one-shot answer of the same computation comes later', async () => {
    const event = { timestamp: NOW - 60_000, price: 99, side: 'long' as const, usd: 1_000 };
    let answer: (view: EstimateView) => void = () => {};
    const { shown, deliver, stop } = watch(() => new Promise((resolve) => (answer = resolve)));
    // The live view first, then an event streamed to it, then the one-shot answer (no events).
    deliver({ type: 'view', version: 1, view: base });
    deliver({ type: 'realized', version: 1, exchange: 'okx', symbol: 'BTC-USDT-SWAP', events: [event] });
    expect(shown.at(-1)?.realized).toEqual([event]);
    answer(base);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(shown.at(-1)?.realized).toEqual([event]);
    stop();
  });

  it('shows a view once when the one-shot answer and the live port bring the same computation', async () => {
    const { shown, deliver, stop } = watch(async () => structuredClone(base));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(shown).toHaveLength(1);
    // The live port's copy of the same computation: not shown again.
    deliver({ type: 'view', version: 1, view: structuredClone(base) });
    expect(shown).toHaveLength(1);
    // A new computation, and a realized liquidation, are.
    deliver({ type: 'view', version: 1, view: { ...base, computedAt: NOW + 60_000 } });
    expect(shown).toHaveLength(2);
    deliver({ type: 'realized', version: 1, exchange: 'okx', symbol: 'BTC-USDT-SWAP', events: [{ timestamp: NOW - 60_000, price: 99, side: 'long', usd: 1_000 }] });
    expect(shown).toHaveLength(3);
    stop();
  });

  it('shows a view already in hand at once, and not again when the request and the port bring it', async () => {
    const { shown, deliver, stop } = watch(async () => structuredClone(base), base);
    expect(shown).toEqual([base]);
    deliver({ type: 'view', version: 1, view: structuredClone(base) });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(shown).toHaveLength(1);
    stop();
  });
});

describe('sameEstimateRequest', () => {
  const req = { exchange: 'okx', symbol: 'BTC-USDT-SWAP', lookback: '24h' } as const;
  it('matches requests for the same view, whatever their key order or an all-tier filter', () => {
    expect(sameEstimateRequest({ lookback: '24h', symbol: 'BTC-USDT-SWAP', exchange: 'okx' }, req)).toBe(true);
    expect(sameEstimateRequest({ ...req, leverages: [...LEVERAGE_TIERS] }, req)).toBe(true);
  });

  it('tells other views apart, and matches nothing to a request the background would refuse', () => {
    expect(sameEstimateRequest({ ...req, lookback: '3d' }, req)).toBe(false);
    expect(sameEstimateRequest({ ...req, timeframe: '15m' }, req)).toBe(false);
    expect(sameEstimateRequest({ ...req, leverageWeights: [1, 1, 1, 1, 1, 1, 1, 1] }, req)).toBe(false);
    expect(sameEstimateRequest({ ...req, aggregate: true }, req)).toBe(false);
    expect(sameEstimateRequest({ ...req, leverages: [3] }, { ...req, leverages: [3] })).toBe(false);
  });
});
