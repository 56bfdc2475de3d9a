import { afterEach, describe, expect, it, vi } from 'vitest';
import { beforeDeadline } from './deadline';

afterEach(() => vi.useRealTimers());

describe('beforeDeadline', () => {
  it("gives the work's value when it ends first, and leaves no timer behind", async () => {
    vi.useFakeTimers();
    const late = vi.fn(() => 'late');
    const result = beforeDeadline(Promise.resolve('done'), 100, late);
    await expect(result).resolves.toBe('done');
    expect(vi.getTimerCount()).toBe(0);
    expect(late).not.toHaveBeenCalled();
  });

  it("rejects with the work's error when it fails first", async () => {
    vi.useFakeTimers();
    await expect(beforeDeadline(Promise.reject(new Error('refused')), 100, () => 'late')).rejects.toThrow('refused');
    expect(vi.getTimerCount()).toBe(0);
  });

  it("gives late()'s value when the time passes first, and rejects when late() throws", async () => {
    vi.useFakeTimers();
    const never = new Promise<string>(() => {});
    const value = beforeDeadline(never, 100, () => undefined);
    const thrown = beforeDeadline(never, 100, (): never => {
      throw new Error('timed out');
    });
    const settled = expect(thrown).rejects.toThrow('timed out');
    await vi.advanceTimersByTimeAsync(100);
    await expect(value).resolves.toBeUndefined();
    await settled;
  });
});
