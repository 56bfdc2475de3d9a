/**
 * The estimator worker: exposes the engine through Comlink on every port a host sends it
 * (`CONNECT` with a transferred `MessagePort`). Reports `IDLE` after twice `IDLE_MS` without
 * calls and nothing in progress: a live host closes it after `IDLE_MS` itself, so only an
 * orphaned host (the offscreen document of a background that was stopped) acts on it.
 */
import { expose } from 'comlink';
import { createEstimatorApi, type EstimatorApi } from './api';
import { CONNECT, IDLE, IDLE_MS, isControl } from './protocol';

const scope = self as unknown as {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
};

const inner = createEstimatorApi();
let running = 0;
let idleTimer: ReturnType<typeof setTimeout> | undefined;

function touch(): void {
  if (idleTimer !== undefined) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    if (running === 0) scope.postMessage({ type: IDLE });
    else touch();
  }, 2 * IDLE_MS);
}

async function counted<T>(call: () => Promise<T>): Promise<T> {
  running++;
  touch();
  try {
    return await call();
  } finally {
    running--;
    touch();
  }
}

const api: EstimatorApi = {
  run: (job) => counted(() => inner.run(job)),
  session: (request) => counted(() => inner.session(request)),
  ping() {
    touch();
    return inner.ping();
  },
};

scope.addEventListener('message', (event) => {
  const port = event.ports[0];
  if (isControl(event.data, CONNECT) && port) {
    expose(api, port);
    touch();
  }
});
