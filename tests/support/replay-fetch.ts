/**
 * Sends a ccxt instance's requests to the replay server whatever the exchange's host: each
 * request goes to 127.0.0.1:<port> with the original host name (Host header and TLS server name),
 * checked against the server's certificate, as the browser does with its host mapping.
 */
import https from 'node:https';
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
