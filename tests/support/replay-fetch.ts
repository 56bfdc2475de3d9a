/**
 * Sends a ccxt instance's requests to the replay server whatever the exchange's host: each
 * request goes to 127.0.0.1:<port> with the original host name (Host header and TLS server name),
 * checked against the server's certificate, as the browser does with its host mapping.
 */
import https from 'node:https';
import type { FetchLike } from '../../src/data/hyperliquid-positions/http';
import type { ReplayServer } from '../../test-support/replay-server/index';

interface FetchInit {
  readonly method: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly signal?: AbortSignal;
}

export function routeToReplay(exchange: { fetchImplementation?: unknown; enableRateLimit?: boolean }, server: ReplayServer): void {
  // A local server needs no pacing.
  exchange.enableRateLimit = false;
  exchange.fetchImplementation = (url: string, init: FetchInit) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      const req = https.request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: `${target.pathname}${target.search}`,
          method: init.method,
          headers: { ...init.headers, host: target.hostname },
          servername: target.hostname,
          ca: server.certPem,
          ...(init.signal ? { signal: init.signal } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const headers = new Headers();
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
            resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0, headers }));
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(init.body);
    });
}

/**
 * The Hyperliquid positions client's `fetch` over the replay, by the same routing. `server` is read
 * at each request, so a test may start the server in `beforeAll`.
 */
export function replayPositionsFetch(server: () => ReplayServer): FetchLike {
  return (url, init) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const { port, certPem } = server();
      const req = https.request(
        { host: '127.0.0.1', port, path: target.pathname, method: init.method, headers: { host: target.hostname, ...init.headers }, servername: target.hostname, ca: certPem, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            resolve({ ok: status >= 200 && status < 300, status, headers: { get: (name) => (res.headers[name.toLowerCase()] as string | undefined) ?? null }, json: async () => JSON.parse(text) });
          });
        },
      );
      req.on('error', reject);
      req.end(init.body);
    });
}
