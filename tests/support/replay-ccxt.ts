/**
 * Points a ccxt Binance instance in Node at the replay server: API URLs get the server's port,
 * every host name resolves to 127.0.0.1, TLS is checked against the server's certificate, and
 * ccxt's abort signal (its request timeout) cancels the request.
 */
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ReplayServer } from '../../test-support/replay-server/index';

/** Resolves every host name to the replay server. */
const lookup = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
  if (options?.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
}) as unknown as LookupFunction;

export interface ReplayTarget {
  urls: Record<string, unknown>;
  fetchImplementation?: unknown;
  agent?: unknown;
}

interface FetchInit {
  readonly method: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly signal?: AbortSignal;
}

export function pointAtReplay(exchange: ReplayTarget, server: ReplayServer, options: { readonly wsHost?: string } = {}): void {
  const agent = new https.Agent({ ca: server.certPem, lookup });
  const api = exchange.urls['api'] as Record<string, unknown>;
  for (const [key, url] of Object.entries(api)) {
    if (typeof url === 'string') api[key] = url.replace(/^https:\/\/([a-z]+\.binance\.com)/, `https://$1:${server.port}`);
  }
  if (options.wsHost !== undefined) api['ws'] = { ...(api['ws'] as object), future: `wss://${options.wsHost}:${server.port}/ws` };
  exchange.agent = agent;
  exchange.fetchImplementation = (url: string, init: FetchInit) =>
    new Promise<Response>((resolve, reject) => {
      const req = https.request(url, { method: init.method, headers: init.headers, agent, signal: init.signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode, headers }));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(init.body);
    });
}
