/**
 * The background's side of the worker's kept estimates (`session-store.ts`): per view it
 * remembers what the kept state holds and decides, at each refresh, whether the new load can be
 * applied to it (only the bars from its unfinished bar on are sent) or the view is computed anew.
 *
 * Computed anew (a `start`) when:
 * - nothing is kept for the view, or the worker no longer has it (restarted, idle-closed, evicted);
 * - the job differs in shape (heatmap size, leverage weights or tiers, the exchanges combined, a
 *   series' bar duration or funding interval);
 * - the kept state began more than the load span plus a slack ago: the state's start is fixed at
 *   the first load and drifts behind the lookback's own start by one bar a bar, so after
 *   `loadMs + max(1 h, lookback / 8)` the oldest bars, which a fresh load would no longer hold,
 *   are dropped by starting again;
 * - a bar before the unfinished one differs from the one applied (a gap filled in the cache, a bar
 *   corrected, history loaded further back), or a peer's bar arrived after later bars were applied;
 * - the worker refuses the bars (they leave the heatmap's price band, or do not follow on).
 */
import type { Bar, ExchangeSeries } from '../engine/types';
import { type EstimateJob, type EstimateOutput, lowerBound } from './api';
import type { EstimatorHost } from './host';
import { RecentMap } from './recent-map';
import { KEPT_IDLE_MS, MAX_KEPT_SESSIONS } from './session-store';

const HOUR_MS = 3_600_000;

export interface KeptRun {
  readonly output: EstimateOutput;
  /** Bars applied to the kept state by this run; absent when the view was computed anew. */
  readonly appendedBars?: number;
  /** Why the view was computed anew (absent after an extension). */
  readonly restart?: string;
}

export interface KeptEstimates {
  /**
   * The output for `job` under the view `key`: the kept state extended when the rules above
   * allow, else computed anew and kept.
   */
  run(key: string, job: EstimateJob, span: { readonly loadMs: number; readonly lookbackMs: number }): Promise<KeptRun>;
  forget(): void;
}

interface Record {
  readonly id: number;
  readonly formingAt: number;
  readonly firstTimestamp: number;
  readonly shape: string;
  readonly series: readonly ExchangeSeries[];
}

/**
 * How long a kept state may run past the load span before it starts anew.
 * @example keptSlackMs(24 * 3_600_000) // 10_800_000 (3 h)
 */
export function keptSlackMs(lookbackMs: number): number {
  return Math.max(HOUR_MS, lookbackMs / 8);
}

/**
 * @example const kept = createKeptEstimates(host); const { output } = await kept.run(viewKey(req), job, plan);
 */
export function createKeptEstimates(host: EstimatorHost, options: { readonly now?: () => number } = {}): KeptEstimates {
  const records = new RecentMap<Record>({ max: MAX_KEPT_SESSIONS, idleMs: KEPT_IDLE_MS, ...(options.now ? { now: options.now } : {}) });

  async function start(key: string, job: EstimateJob, restart: string): Promise<KeptRun> {
    records.delete(key);
    const answer = await host.session({ kind: 'start', key, job });
    if (!answer.ok) throw new Error(answer.message); // A start is never refused; this is a protocol error.
    records.set(key, {
      id: answer.id,
      formingAt: answer.formingAt,
      firstTimestamp: firstTimestamp(job.series),
      shape: shapeOf(job),
      series: job.series,
    });
    return { output: answer.output, restart };
  }

  return {
    async run(key, job, span) {
      const kept = records.entry(key);
      if (!kept) return start(key, job, 'nothing kept');
      const record = kept.value;
      if (record.shape !== shapeOf(job)) return start(key, job, 'another heatmap shape or set of exchanges');
      if (records.isIdle(kept)) return start(key, job, 'kept state idle');
      const newest = Math.max(...job.series.map((s) => s.bars.at(-1)?.timestamp ?? -Infinity));
      if (newest - record.firstTimestamp > span.loadMs + keptSlackMs(span.lookbackMs)) return start(key, job, 'kept state began too long ago');
      const tails: ExchangeSeries[] = [];
      for (let i = 0; i < job.series.length; i++) {
        const tail = tailAfterSamePast(record.series[i]!, job.series[i]!, record.formingAt);
        if (!tail) return start(key, job, `${job.series[i]!.exchange} bars before the newest changed`);
        tails.push(tail);
      }
      const answer = await host.session({ kind: 'extend', key, id: record.id, series: tails });
      if (!answer.ok) return start(key, job, answer.message);
      records.set(key, { ...record, formingAt: answer.formingAt, series: job.series });
      return { output: answer.output, appendedBars: answer.applied.finalBars + answer.applied.formingBars };
    },
    forget() {
      records.clear();
    },
  };
}

function firstTimestamp(series: readonly ExchangeSeries[]): number {
  return Math.min(...series.map((s) => s.bars[0]?.timestamp ?? Infinity));
}

function shapeOf(job: EstimateJob): string {
  const { columns, barsPerColumn, rows, leverages } = job.heatmap;
  // A changed funding interval starts anew: the kept state read the earlier bars' rates at the old one.
  const names = job.series.map((s) => `${s.exchange}:${s.symbol}:${s.timeframeMs ?? ''}:${s.fundingIntervalMs ?? ''}`).join(',');
  return `${names}|${columns ?? ''}x${barsPerColumn ?? ''}x${rows ?? ''}|${leverages?.join(',') ?? ''}|${job.leverageWeights?.join(',') ?? ''}`;
}

/**
 * The bars of `next` from `formingAt` on, when every bar of `next` before it is one `kept` had
 * (same values) and `next` starts no earlier than `kept`; else undefined.
 */
export function tailAfterSamePast(kept: ExchangeSeries, next: ExchangeSeries, formingAt: number): ExchangeSeries | undefined {
  if (kept.exchange !== next.exchange || kept.symbol !== next.symbol) return undefined;
  const bars = next.bars;
  const split = lowerBound(bars, formingAt);
  if (split === 0) return { ...next, bars: bars.slice() };
  const from = lowerBound(kept.bars, bars[0]!.timestamp);
  if (from >= kept.bars.length || kept.bars[from]!.timestamp !== bars[0]!.timestamp) return undefined;
  if (lowerBound(kept.bars, formingAt) - from !== split) return undefined;
  for (let i = 0; i < split; i++) if (!sameBar(kept.bars[from + i]!, bars[i]!)) return undefined;
  return { ...next, bars: bars.slice(split) };
}

function sameBar(a: Bar, b: Bar): boolean {
  if (a === b) return true;
  const keys = Object.keys(a) as (keyof Bar)[];
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}
