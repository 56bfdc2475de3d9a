/**
 * Chrome (MV3): the background service worker cannot construct a Worker, so an offscreen
 * document (reason WORKERS) starts the estimator worker and hands the background a
 * `MessagePort` connected straight to it (through `navigator.serviceWorker`, which carries
 * transferables; `runtime.sendMessage` would serialize everything as JSON). Comlink then runs
 * over that port: grids come back as transferred buffers.
 *
 * The document is created on first use and closed after `IDLE_MS` without calls. After the
 * service worker restarts, a document left open is asked for a fresh port.
 */
import { type Remote, wrap } from 'comlink';
import { browser } from 'wxt/browser';
import type { EstimatorApi } from './api';
import { type Connection, createHost, type EstimatorHost, type HostOptions } from './host';
import { isControl, PORT, RECONNECT } from './protocol';

export const OFFSCREEN_PATH = '/offscreen.html';
const PORT_TIMEOUT_MS = 5_000;

/** The parts of the service worker's global scope used here (the app is typed with DOM libs). */
interface MessageFromClient {
  readonly data: unknown;
  readonly origin: string;
  readonly ports: readonly MessagePort[];
  readonly source: { readonly url: string } | null;
}
interface ServiceWorkerScope {
  readonly location: { readonly origin: string };
  addEventListener(type: 'message', listener: (event: MessageFromClient) => void): void;
  readonly clients: {
    matchAll(options: { includeUncontrolled: boolean }): Promise<readonly { readonly url: string; postMessage(message: unknown): void }[]>;
  };
}

/**
 * Creates the offscreen host. Call it while the service worker script is first evaluated (in
 * the background's `main()`): the `message` listener must be registered then.
 */
export function createOffscreenHost(options: Pick<HostOptions, 'idleMs' | 'callTimeoutMs'> = {}): EstimatorHost {
  const scope = globalThis as unknown as ServiceWorkerScope;
  const waiting: ((port: MessagePort) => void)[] = [];

  scope.addEventListener('message', (event) => {
    if (!isControl(event.data, PORT)) return;
    const port = event.ports[0];
    if (!port) return;
    // Only this extension's own offscreen document may hand over a port.
    const fromOffscreen = event.origin === scope.location.origin && event.source !== null && pathOf(event.source.url) === OFFSCREEN_PATH;
    const take = fromOffscreen ? waiting.shift() : undefined;
    if (take) take(port);
    else port.close();
  });

  function nextPort(): Promise<MessagePort> {
    return new Promise((resolve, reject) => {
      const take = (port: MessagePort) => {
        clearTimeout(timer);
        resolve(port);
      };
      const timer = setTimeout(() => {
        const index = waiting.indexOf(take);
        if (index >= 0) waiting.splice(index, 1);
        reject(new Error('the offscreen document did not connect'));
      }, PORT_TIMEOUT_MS);
      waiting.push(take);
    });
  }

  async function documentExists(): Promise<boolean> {
    const contexts = await browser.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] });
    return contexts.length > 0;
  }

  async function createDocument(): Promise<void> {
    await browser.offscreen.createDocument({
      url: OFFSCREEN_PATH.slice(1),
      reasons: ['WORKERS'],
      justification: 'Runs the liquidation estimator in a Web Worker, off the service worker.',
    });
  }

  async function closeDocument(): Promise<void> {
    try {
      if (await documentExists()) await browser.offscreen.closeDocument();
    } catch {
      // Closed meanwhile (it closes itself when orphaned and idle).
    }
  }

  async function askExisting(): Promise<boolean> {
    const clients = await scope.clients.matchAll({ includeUncontrolled: true });
    const document = clients.find((client) => pathOf(client.url) === OFFSCREEN_PATH);
    document?.postMessage({ type: RECONNECT });
    return document !== undefined;
  }

  async function openPort(): Promise<MessagePort> {
    const port = nextPort();
    if (!(await documentExists())) await createDocument();
    else if (!(await askExisting())) {
      await closeDocument();
      await createDocument();
    }
    return port;
  }

  async function connect(): Promise<Connection> {
    let port: MessagePort;
    try {
      port = await openPort();
    } catch {
      // A document that does not answer (still loading an old version, or stuck): start over once.
      await closeDocument();
      port = await openPort();
    }
    const remote: Remote<EstimatorApi> = wrap<EstimatorApi>(port);
    await remote.ping();
    return {
      remote,
      async dispose() {
        port.close();
        await closeDocument();
      },
    };
  }

  return createHost({ kind: 'offscreen', connect, ...options });
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}
