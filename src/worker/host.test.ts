/** The host: lazy connect shared by concurrent calls, idle close, and a retry after a time-out. */
import { type Remote, releaseProxy } from 'comlink';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EstimateJob, EstimateOutput, EstimatorApi } from './api';
import { type Connection, createHost } from './host';

const JOB: EstimateJob = { series: [], heatmap: {} };
const OUTPUT = { estimateMs: 1 } as unknown as EstimateOutput;

function fakeConnection(run: () => Promise<EstimateOutput>, disposed: string[], name: string): Connection {
  const remote = { run, ping: async () => 'pong' as const, [releaseProxy]: () => {} };
  return {
    remote: remote as unknown as Remote<EstimatorApi>,
    dispose: async () => {
      disposed.push(name);
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createHost', () => {
  it('connects once for concurrent calls and closes after the idle time', async () => {
    vi.useFakeTimers();
    const disposed: string[] = [];
    let connects = 0;
    const host = createHost({
      kind: 'test',
      idleMs: 1_000,
      connect: async () => fakeConnection(async () => OUTPUT, disposed, `c${++connects}`),
    });
    await Promise.all([host.run(JOB), host.run(JOB), host.run(JOB)]);
    expect(connects).toBe(1);
    expect(host.stats()).toMatchObject({ kind: 'test', connects: 1, connected: true, inFlight: 0 });
    await vi.advanceTimersByTimeAsync(999);
    expect(disposed).toEqual([]);
    await vi.advanceTimersByTimeAsync(2);
    expect(disposed).toEqual(['c1']);
    expect(host.stats().connected).toBe(false);
    await host.run(JOB);
    expect(connects).toBe(2);
    await host.close();
    expect(disposed).toEqual(['c1', 'c2']);
  });

  it('keeps the connection while calls are in flight', async () => {
    vi.useFakeTimers();
    const disposed: string[] = [];
    let release: (() => void) | undefined;
    const host = createHost({
      kind: 'test',
      idleMs: 100,
      callTimeoutMs: 10_000,
      connect: async () =>
        fakeConnection(() => new Promise<EstimateOutput>((resolve) => (release = () => resolve(OUTPUT))), disposed, 'c'),
    });
    const pending = host.run(JOB);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(disposed).toEqual([]);
    release?.();
    await pending;
    await vi.advanceTimersByTimeAsync(101);
    expect(disposed).toEqual(['c']);
  });

  it('warm() on an open connection starts its idle time again (a minute refresh keeps the worker and its kept estimates)', async () => {
    vi.useFakeTimers();
    const disposed: string[] = [];
    const host = createHost({ kind: 'test', idleMs: 1_000, connect: async () => fakeConnection(async () => OUTPUT, disposed, 'c') });
    await host.run(JOB);
    await vi.advanceTimersByTimeAsync(900);
    host.warm?.();
    await vi.advanceTimersByTimeAsync(900);
    expect(disposed).toEqual([]);
    await vi.advanceTimersByTimeAsync(101);
    expect(disposed).toEqual(['c']);
  });

  it('drops a connection that does not answer and retries once on a new one', async () => {
    vi.useFakeTimers();
    const disposed: string[] = [];
    let connects = 0;
    const host = createHost({
      kind: 'test',
      callTimeoutMs: 500,
      connect: async () => {
        const n = ++connects;
        return fakeConnection(() => (n === 1 ? new Promise<EstimateOutput>(() => {}) : Promise.resolve(OUTPUT)), disposed, `c${n}`);
      },
    });
    const result = host.run(JOB);
    await vi.advanceTimersByTimeAsync(501);
    await expect(result).resolves.toBe(OUTPUT);
    expect(disposed).toEqual(['c1']);
    expect(connects).toBe(2);
    await host.close();
  });

  it('passes a failed connect to the caller and tries again next time', async () => {
    let connects = 0;
    const host = createHost({
      kind: 'test',
      connect: async () => {
        if (++connects === 1) throw new Error('no document');
        return fakeConnection(async () => OUTPUT, [], 'c');
      },
    });
    await expect(host.run(JOB)).rejects.toThrow('no document');
    await expect(host.run(JOB)).resolves.toBe(OUTPUT);
    await host.close();
  });
});
