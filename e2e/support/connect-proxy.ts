/**
 * A local HTTP proxy that tunnels `CONNECT host:443` to a local port chosen per host and refuses
 * everything else. A browser configured to use it reaches the replay server under the exchanges'
 * real host names (what Chromium's --host-resolver-rules does), and every host it tried to reach
 * is logged, whether or not it was let through.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface ProxiedRequest {
  /** Host name asked for, lower case. */
  readonly host: string;
  readonly port: number;
  /** `CONNECT` for tunnels; other methods are plain-HTTP requests (always refused). */
  readonly method: string;
  /** Whether it was tunnelled (false: refused). */
  readonly tunnelled: boolean;
}

export interface ConnectProxy {
  readonly port: number;
  readonly requests: readonly ProxiedRequest[];
  close(): Promise<void>;
}

/**
 * Starts the proxy on 127.0.0.1. `route(host)` gives the local port to tunnel a host to, or
 * undefined to refuse it (403).
 */
export async function startConnectProxy(route: (host: string) => number | undefined): Promise<ConnectProxy> {
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://invalid');
    requests.push({ host: url.hostname.toLowerCase(), port: Number(url.port || 80), method: req.method ?? 'GET', tunnelled: false });
    res.writeHead(403).end();
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = new URL(`http://${req.url ?? ''}`);
    const host = target.hostname.toLowerCase();
    const localPort = route(host);
    requests.push({ host, port: Number(target.port || 443), method: 'CONNECT', tunnelled: localPort !== undefined });
    if (localPort === undefined) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(localPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  return {
    port: address.port,
    requests,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
