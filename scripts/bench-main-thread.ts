/**
 * The longest main-thread task LiqLens causes on the exchange's page, at load and at each
 * update: `npm run bench:main-thread`. Chromium with the extension against the replay server and
 * the demo pages of the five exchanges; the page's renderer main thread is traced over CDP
 * (`devtools.timeline`), each task (RunTask) is attributed to LiqLens when a script of the
 * extension ran inside it. One JSON line per exchange and phase. Target: no task over 16 ms.
 *
 * Each task's length is its wall time (what the page waits); beside it, the thread's CPU time in
 * the task (`cpuMs`): on a machine whose cores are busy with other processes (the browser's own
 * workers, other programs), the wall time of a task also holds the time its thread was not
 * running, so a long wall time with a short CPU time is waiting, not work. `loadAverage` is the
 * machine's one-minute load average when the phase started.
 *
 * The first task, `EvaluateScript content.js`, holds more than the file's code: the profile of its
 * 4-8 ms of CPU shows about 1 ms of compiling and about 1 ms in Chrome's extension bindings (the
 * first touch of `chrome` in the page's isolated world); when it is far longer than its CPU time,
 * events inside it with next to no CPU (an `EventDispatch` of 10-14 ms wall, under 0.1 ms CPU)
 * show the thread waiting for a core.
 *
 * Phases: `load` (navigation until the panel shows its heatmap or its error, plus 1 s) on
 * `--loads=N` navigations per exchange (3 by default): the first visit, whose history is
 * downloaded, then return visits with the bars cached; `typing` (price, size and stop typed key by
 * key into the emptied order form, each key an update of the warning); `order-type` (market and
 * limit tabs picked); `re-render` (the page replaces its order form node, as single-page apps
 * do); each update phase `--runs=N` times (3 by default). Every run prints its own line
 * (`load 1`, `typing 2`, ...); the phase's line gives the run with the median longest task, each
 * run's longest task and the worst run, since one run's longest task on a 2-core machine depends
 * on what else had the cores at that moment. The medians decide the exit code.
 *
 * `--only=okx,bybit` measures those exchanges only; `--load-only` the load phase only;
 * `--trace-dir=<dir>` also writes each run's raw trace there (`<exchange>-<phase>-<n>.json`, for
 * Chromium's performance panel).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import type { ExchangeId } from '../src/engine/types';
import { DEMO_FORMS, type DemoForm } from '../e2e/support/demo-pages';
import { buildExtension, launch, pollPanelInPage, startServer } from '../e2e/support/harness';
import { recordTrace, type TraceEvent } from './lib/trace';

const TARGET_MS = 16;

const option = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ONLY = option('only')?.split(',');
const LOAD_ONLY = process.argv.includes('--load-only');
const LOADS = Math.max(1, Number(option('loads') ?? 3));
const RUNS = Math.max(1, Number(option('runs') ?? 3));
const TRACE_DIR = option('trace-dir');
// Further trace categories (`--categories=v8,disabled-by-default-v8.cpu_profiler` adds samples
// of the JavaScript stacks, for the performance panel).
const EXTRA_CATEGORIES = option('categories')?.split(',') ?? [];

/** Each demo page (its inputs and tabs: e2e/support/demo-pages.ts) and the exchange's API host (served by the replay server once it knows the exchange). */
const PAGES: readonly ({ exchange: ExchangeId; apiHost: string } & DemoForm)[] = [
  { exchange: 'binance', apiHost: 'fapi.binance.com', ...DEMO_FORMS.binance },
  { exchange: 'bybit', apiHost: 'api.bybit.com', ...DEMO_FORMS.bybit },
  { exchange: 'okx', apiHost: 'www.okx.com', ...DEMO_FORMS.okx },
  { exchange: 'bitget', apiHost: 'api.bitget.com', ...DEMO_FORMS.bitget },
  { exchange: 'hyperliquid', apiHost: 'api.hyperliquid.xyz', ...DEMO_FORMS.hyperliquid },
];

interface Traced {
  readonly events: readonly TraceEvent[];
  /** The machine's one-minute load average when tracing started. */
  readonly loadAverage: number;
}

/**
 * Traces `action`. The trace is kept by the browser until the end and read then (a stream), not
 * sent over the DevTools connection while the page loads: that transfer, and this process
 * parsing it, took CPU from the measured page on a 2-core machine.
 */
async function trace(cdp: CDPSession, action: () => Promise<void>): Promise<Traced> {
  const loadAverage = round(loadavg()[0]!);
  const events = await recordTrace(cdp, ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', '__metadata', ...EXTRA_CATEGORIES], action);
  return { events, loadAverage };
}

/** The renderer main thread of the page at `url` (by the frame list in the trace's start event). */
function pageMainThread(events: readonly TraceEvent[], host: string): { pid: number; tid: number } | undefined {
  const pids = new Set<number>();
  for (const e of events) {
    const frames = (e.args?.data?.['frames'] as { url?: string; processId?: number }[] | undefined) ?? [];
    for (const f of frames) if (f.url?.includes(host) && f.processId) pids.add(f.processId);
    if (e.name === 'CommitLoad' || e.name === 'FrameCommittedInBrowser') {
      const url = String(e.args?.data?.['url'] ?? (e.args?.data?.['frame'] as { url?: string } | undefined)?.url ?? '');
      const pid = Number(e.args?.data?.['processId'] ?? e.pid);
      if (url.includes(host) && pid) pids.add(pid);
    }
  }
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && pids.has(e.pid));
  return main ? { pid: main.pid, tid: main.tid } : undefined;
}

interface Figures {
  readonly tasks: number;
  readonly longestTaskMs: number;
  readonly extensionTasks: number;
  readonly longestExtensionTaskMs: number;
  /** CPU time of the thread in the extension task that used the most. */
  readonly longestExtensionTaskCpuMs: number;
  readonly extensionTasksOverTarget: number;
  /** The longest extension event inside the longest extension task: `EvaluateScript content.js 80.1`. */
  readonly longestExtensionWork?: string;
  /** Each extension task over the target: its length and the longest events inside it (the extension's and the page's). */
  readonly overTarget?: readonly { readonly ms: number; readonly cpuMs: number; readonly work: readonly string[] }[];
}

const round = (v: number) => Math.round(v * 100) / 100;

function scriptOf(e: TraceEvent): string {
  const data = e.args?.data ?? {};
  return String(data['url'] ?? data['scriptName'] ?? data['fileName'] ?? '');
}

const cpuOf = (e: TraceEvent) => round((e.tdur ?? 0) / 1000);

/** `EvaluateScript content.js 80.1 ms (cpu 9.2)`, `Layout 3.2 ms (cpu 3.1)`. */
function describe(e: TraceEvent): string {
  const file = scriptOf(e).split('/').pop();
  return `${e.name}${file ? ` ${file}` : ''} ${round(e.dur! / 1000)} ms (cpu ${cpuOf(e)})`;
}

function analyse(events: readonly TraceEvent[], host: string): Figures | undefined {
  const thread = pageMainThread(events, host);
  if (!thread) return undefined;
  const own = events.filter((e) => e.pid === thread.pid && e.tid === thread.tid && e.ph === 'X' && typeof e.dur === 'number');
  const tasks = own.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
  const extension = own.filter((e) => scriptOf(e).startsWith('chrome-extension://'));
  const overTarget: { ms: number; cpuMs: number; work: string[] }[] = [];
  let longest = 0;
  let longestExtension = 0;
  let longestExtensionCpu = 0;
  let extensionTasks = 0;
  let over = 0;
  let worst: TraceEvent | undefined;
  for (const task of tasks) {
    const ms = task.dur! / 1000;
    longest = Math.max(longest, ms);
    const end = task.ts + task.dur!;
    if (extension.some((e) => e.ts >= task.ts && e.ts < end)) {
      extensionTasks++;
      longestExtensionCpu = Math.max(longestExtensionCpu, cpuOf(task));
      if (ms > longestExtension) {
        longestExtension = ms;
        worst = extension.filter((e) => e.ts >= task.ts && e.ts < end).sort((a, b) => b.dur! - a.dur!)[0];
      }
      if (ms > TARGET_MS) {
        over++;
        const inside = own
          .filter((e) => e !== task && e.ts >= task.ts && e.ts < end && e.dur! >= 1000 && !/RunTask|ThreadController|ThreadPool/.test(e.name))
          .sort((a, b) => b.dur! - a.dur!)
          .slice(0, 4);
        overTarget.push({ ms: round(ms), cpuMs: cpuOf(task), work: inside.map(describe) });
      }
    }
  }
  return {
    tasks: tasks.length,
    longestTaskMs: round(longest),
    extensionTasks,
    longestExtensionTaskMs: round(longestExtension),
    longestExtensionTaskCpuMs: longestExtensionCpu,
    extensionTasksOverTarget: over,
    ...(worst ? { longestExtensionWork: describe(worst) } : {}),
    ...(overTarget.length > 0 ? { overTarget } : {}),
  };
}

async function first(page: Page, selector: string) {
  const l = page.locator(selector).first();
  if ((await l.count()) > 0) return l;
  throw new Error(`no ${selector} on the page`);
}

async function main(): Promise<void> {
  const extensionDir = buildExtension();
  const server = await startServer();
  const session = await launch({ extensionDir, server });
  let failures = 0;
  try {
    if (TRACE_DIR) mkdirSync(TRACE_DIR, { recursive: true });
    for (const p of PAGES.filter((page) => !ONLY || ONLY.includes(page.exchange))) {
      const host = new URL(p.url).host;
      const page = await session.context.newPage();
      const cdp = await session.context.newCDPSession(page);
      /** Prints one run's figures (the phase's median, printed by `repeated`, decides the target). */
      const report = (phase: string, { events, loadAverage }: Traced, extra: Record<string, unknown>): Figures | undefined => {
        if (TRACE_DIR) writeFileSync(join(TRACE_DIR, `${p.exchange}-${phase.replace(' ', '-')}.json`), JSON.stringify({ traceEvents: events }));
        const figures = analyse(events, host);
        if (!figures) {
          failures++;
          console.log(JSON.stringify({ exchange: p.exchange, phase, error: 'page main thread not found in the trace' }));
          return undefined;
        }
        console.log(JSON.stringify({ exchange: p.exchange, phase, ...figures, targetMs: TARGET_MS, loadAverage, ...extra }));
        return figures;
      };
      /**
       * Runs a phase `runs` times, each traced on its own and printed as `<phase> <n>`, then the
       * `<phase>` line: the run whose longest LiqLens task is the median, each run's longest task
       * and the worst run. That median decides the target: one run's longest task on a 2-core
       * machine depends on what else had the cores at that moment.
       */
      const repeated = async (phase: string, runs: number, action: (n: number) => Promise<Record<string, unknown>>, before?: () => Promise<void>): Promise<void> => {
        const measured: { figures: Figures; extra: Record<string, unknown>; loadAverage: number }[] = [];
        for (let n = 1; n <= runs; n++) {
          await before?.();
          let extra: Record<string, unknown> = {};
          const traced = await trace(cdp, async () => {
            extra = await action(n);
          });
          const figures = report(`${phase} ${n}`, traced, extra);
          if (figures) measured.push({ figures, extra, loadAverage: traced.loadAverage });
        }
        // A run whose trace had no page thread was counted as a failure by `report`.
        if (measured.length < runs) return;
        const ranked = [...measured].sort((a, b) => a.figures.longestExtensionTaskMs - b.figures.longestExtensionTaskMs);
        const median = ranked[(ranked.length - 1) >> 1]!;
        const worst = ranked.at(-1)!;
        if (median.figures.longestExtensionTaskMs > TARGET_MS) failures++;
        console.log(JSON.stringify({
          exchange: p.exchange,
          phase,
          runs,
          ...median.figures,
          targetMs: TARGET_MS,
          ...median.extra,
          perRunLongestMs: measured.map((m) => m.figures.longestExtensionTaskMs),
          perRunLongestCpuMs: measured.map((m) => m.figures.longestExtensionTaskCpuMs),
          worstRunMs: worst.figures.longestExtensionTaskMs,
          worstRunCpuMs: worst.figures.longestExtensionTaskCpuMs,
          loadAverages: measured.map((m) => m.loadAverage),
        }));
      };

      const served = server.hosts.includes(p.apiHost);
      await repeated('load', LOADS, async (n) => {
        await page.goto(p.url);
        // Polled from the page, not with Playwright's waitForFunction or locators: their helper
        // script's compilation would be a long task of the page's load that is not the panel's.
        const shown = await pollPanelInPage(page);
        if (served !== (shown.state === 'ready')) throw new Error(`${p.exchange}: expected ${served ? 'a heatmap' : 'an error'}, the panel shows ${shown.state} ${shown.text}`);
        await page.waitForTimeout(1_000);
        return { visit: n === 1 ? 'first (history downloaded)' : 'return (bars cached)', panel: served ? 'heatmap' : 'error (no replay data for this exchange)' };
      });
      if (LOAD_ONLY) {
        await cdp.detach();
        await page.close();
        continue;
      }

      const typed = [
        [p.inputs.price, '64512'],
        [p.inputs.size, '0.25'],
        [p.inputs.stop, '61150'],
      ] as const;
      await repeated(
        'typing',
        RUNS,
        async () => {
          const latencies: number[] = [];
          for (const [locator, text] of typed) {
            const input = await first(page, locator);
            await input.click({ force: true });
            for (const ch of text) {
              await input.press(ch);
              await page.waitForTimeout(30);
              const latency = Number(await page.locator('liqlens-order-warning').getAttribute('data-latency-ms'));
              if (Number.isFinite(latency)) latencies.push(latency);
            }
          }
          await page.waitForTimeout(300);
          return { keys: 14, inputToWarningMsMax: Math.max(...latencies), inputToWarningMsMedian: latencies.sort((a, b) => a - b)[latencies.length >> 1] };
        },
        // Each run types into empty fields (cleared before its trace starts).
        async () => {
          for (const [locator] of typed) await (await first(page, locator)).fill('');
          await page.waitForTimeout(300);
        },
      );

      await repeated('order-type', RUNS, async () => {
        await page.locator(p.marketTab).dispatchEvent('click');
        await page.waitForTimeout(200);
        await page.locator(p.limitTab).dispatchEvent('click');
        await page.waitForTimeout(300);
        return {};
      });

      await repeated('re-render', RUNS, async () => {
        await page.evaluate((selector) => {
          const form = document.querySelector(selector);
          form?.replaceWith(form.cloneNode(true));
        }, p.form);
        await page.waitForTimeout(500);
        return {};
      });
      await cdp.detach();
      await page.close();
    }
  } finally {
    await session.close();
    await server.stop();
  }
  if (failures > 0) process.exitCode = 1;
}

await main();
