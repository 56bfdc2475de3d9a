/**
 * A host runs the estimator worker somewhere the caller cannot (the background service worker
 * cannot construct a Worker): it connects on first use, closes the worker after `IDLE_MS`
 * without calls, and gives up on a call that takes too long (closing the connection, so the
 * next call starts afresh).
 */
import { type Remote, releaseProxy, wrap } from 'comlink';
import type { EstimateJob, EstimateOutput, EstimatorApi } from './api';
import type { SessionAnswer, SessionRequest } from './session-store';
import { beforeDeadline } from './deadline';
import { CONNECT, IDLE_MS } from './protocol';

export interface Connection {
  readonly remote: Remote<EstimatorApi>;
  /** Closes the worker (and whatever hosts it). */
  dispose(): Promise<void>;
}

export interface HostStats {
  readonly kind: string;
  /** Connections made so far (a document or worker started, or re-attached). */
  readonly connects: number;
  /** How long the latest connect took, ms. */
  readonly lastConnectMs?: number;
  readonly connected: boolean;
  readonly inFlight: number;
}

export interface EstimatorHost {
  run(job: EstimateJob): Promise<EstimateOutput>;
  /** A kept estimate in the worker (see `session-store.ts`); a new connection answers `missing` to an extension. */
  session(request: SessionRequest): Promise<SessionAnswer>;
  /**
   * Starts connecting now (without waiting), so a job that follows finds the worker up; an open
   * connection's idle time starts again (a minute refresh keeps the worker and its kept estimates).
   */
  warm?(): void;
  close(): Promise<void>;
  stats(): HostStats;
}

export interface HostOptions {
  readonly kind: string;
  readonly connect: () => Promise<Connection>;
  readonly idleMs?: number;
  /** Longest a single call may take before the connection is dropped (default 30 s). */
  readonly callTimeoutMs?: number;
}

export class HostTimeoutError extends Error {
  constructor(ms: number) {
    super(`the estimator did not answer within ${Math.round(ms / 1000)} s`);
    this.name = 'HostTimeoutError';
  }
}

/**
 * Wraps a `connect` function into a host with lazy start, idle close and call time-outs.
 * A call that fails because the connection died (time-out) is retried once on a new connection.
 * @example
 * const host = createHost({ kind: 'worker', connect: connectDedicatedWorker });
 * const output = await host.run({ series, heatmap: { rows: 120 } });
 */
export function createHost(options: HostOptions): EstimatorHost {
  const idleMs = options.idleMs ?? IDLE_MS;
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  let connection: Promise<Connection> | undefined;
  let connected = false;
  let connects = 0;
  let lastConnectMs: number | undefined;
  let inFlight = 0;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  function obtain(): Promise<Connection> {
    if (!connection) {
      const started = Date.now();
      const pending = options.connect().then(
        (c) => {
          connects++;
          lastConnectMs = Date.now() - started;
          connected = true;
          return c;
        },
        (error: unknown) => {
          if (connection === pending) connection = undefined;
          throw error;
        },
      );
      connection = pending;
    }
    return connection;
  }

  async function drop(which: Promise<Connection> | undefined): Promise<void> {
    if (!which || connection !== which) return;
    connection = undefined;
    connected = false;
    let c: Connection;
    try {
      c = await which;
    } catch {
      return; // Never connected.
    }
    try {
      c.remote[releaseProxy]();
    } catch {
      // The port is already closed.
    }
    try {
      await c.dispose();
    } catch {
      // Already gone.
    }
  }

  function scheduleIdle(): void {
    if (idleTimer !== undefined) clearTimeout(idleTimer);
    idleTimer = undefined;
    if (inFlight > 0 || !connection) return;
    const current = connection;
    idleTimer = setTimeout(() => {
      idleTimer = undefined;
      if (inFlight === 0) void drop(current);
    }, idleMs);
  }

  async function attempt<T>(call: (remote: Remote<EstimatorApi>) => Promise<T>): Promise<T> {
    const current = obtain();
    const c = await current;
    try {
      return await beforeDeadline(call(c.remote), callTimeoutMs, (): never => {
        throw new HostTimeoutError(callTimeoutMs);
      });
    } catch (error) {
      if (error instanceof HostTimeoutError) await drop(current);
      throw error;
    }
  }

  async function call<T>(body: (remote: Remote<EstimatorApi>) => Promise<T>): Promise<T> {
    inFlight++;
    if (idleTimer !== undefined) clearTimeout(idleTimer);
    try {
      try {
        return await attempt(body);
      } catch (error) {
        if (!(error instanceof HostTimeoutError)) throw error;
        return await attempt(body);
      }
    } finally {
      inFlight--;
      scheduleIdle();
    }
  }

  return {
    run: (job) => call((remote) => remote.run(job)),
    session: (request) => call<SessionAnswer>((remote) => remote.session(request)),
    warm() {
      if (connection) {
        scheduleIdle();
        return;
      }
      // A failure here is seen (and retried) by the next run; the idle timer closes an unused worker.
      obtain().then(() => scheduleIdle(), () => {});
    },
    async close() {
      if (idleTimer !== undefined) clearTimeout(idleTimer);
      await drop(connection);
    },
    stats() {
      return {
        kind: options.kind,
        connects,
        connected,
        inFlight,
        ...(lastConnectMs !== undefined ? { lastConnectMs } : {}),
      };
    },
  };
}

/** Something that starts the estimator worker: the `?worker` import's constructor. */
export type WorkerFactory = () => Worker;

/**
 * Connects to a fresh dedicated worker: hands it one end of a `MessageChannel` (`CONNECT`) and
 * wraps the other. Used where `Worker` exists: Firefox's background page, extension pages and
 * the offscreen document.
 */
export async function connectWorker(factory: WorkerFactory): Promise<Connection & { readonly worker: Worker }> {
  const worker = factory();
  const channel = new MessageChannel();
  worker.postMessage({ type: CONNECT }, [channel.port1]);
  const remote = wrap<EstimatorApi>(channel.port2);
  try {
    await remote.ping();
  } catch (error) {
    worker.terminate();
    throw error;
  }
  return {
    worker,
    remote,
    dispose() {
      channel.port2.close();
      worker.terminate();
      return Promise.resolve();
    },
  };
}
