/**
 * Chrome traces for the main-thread benchmarks (bench:main-thread, bench:fullview): recorded over
 * CDP and read as a stream when the action ends, so the transfer does not take CPU from the
 * measured page while it runs.
 */
import type { CDPSession } from 'playwright-core';

/** One event of a Chrome trace, as the benchmarks read it. */
export interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  /** Thread (CPU) time of a complete event, µs. */
  readonly tdur?: number;
  readonly args?: { readonly name?: string; readonly data?: Record<string, unknown> };
}

/** Traces `categories` while `action` runs, then reads the whole trace. */
export async function recordTrace(cdp: CDPSession, categories: readonly string[], action: () => Promise<void>): Promise<TraceEvent[]> {
  await cdp.send('Tracing.start', { transferMode: 'ReturnAsStream', traceConfig: { includedCategories: [...categories] } });
  await action();
  const done = new Promise<string>((resolve) => cdp.once('Tracing.tracingComplete', (event: { stream?: string }) => resolve(event.stream ?? '')));
  await cdp.send('Tracing.end');
  const handle = await done;
  if (!handle) throw new Error('the browser returned no trace stream');
  const parts: string[] = [];
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle, size: 1 << 20 });
    parts.push(chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data);
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle });
  const parsed = JSON.parse(parts.join('')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  return Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
}
