/** The UI's retries: dropped connections are asked again, answered errors are not. */
import { describe, expect, it, vi } from 'vitest';

vi.mock('wxt/browser', () => ({ browser: {} }));

const { withRetry } = await import('./estimate-client');
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
