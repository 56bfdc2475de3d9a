/**
 * Replay server: a local HTTPS + websocket server that answers like the exchanges' public APIs,
 * from recorded market data, for tests and demos (never shipped in the extension).
 *
 * Browsers reach it by mapping the exchange host names to it
 * (`--host-resolver-rules="MAP fapi.binance.com 127.0.0.1:PORT, ..."`); requests are routed by
 * their Host header. Node clients can send the Host header themselves. See README.md.
 */
import { once } from 'node:events';
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type WebSocket, WebSocketServer } from 'ws';
import { generateCertificate } from './cert';
import { ReplayClock } from './clock';
import { EXCHANGES } from './exchanges';
import { type ActiveFault, FaultRegistry, type FaultSpec } from './faults';
import { json } from './http';
import { RateLimiter } from './rate-limits';
import { hasPages, servePage } from './pages';
import type { ExchangeInstance, ExchangeModule, HttpReply, ReplayRequest, SentLiquidation } from './types';

export type { SentLiquidation } from './types';

export type { FaultKind, FaultSpec } from './faults';
export type { ExchangeModule, ExchangeInstance, HttpReply, ReplayRequest } from './types';
export { ReplayClock } from './clock';

export interface ReplayServerOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  listenHost?: string;
  /** Directory of the recorded data (`shared/data`); see `defaultDataDir()`. */
  dataDir: string;
  /** Replay "now": epoch ms or an ISO date. Default: the end of the recording. */
  now?: number | string;
  /** Clock speed: 0 (default) keeps "now" still; 1 runs with the wall clock; 60 = a minute per second. */
  speed?: number;
  /** Websocket replay pace: recorded time passes this many times faster than wall time (default 1). */
  wsSpeed?: number;
  /**
   * Websocket event times: `recorded` (default) keeps each event's recorded time and price;
   * `replay` stamps it with the replay clock's "now" when sent, as a live exchange would, and
   * prices it at the replayed market's level (the recorded liquidations are from another day and
   * price level than the recorded bars, so only then do they fall inside a chart's window).
   */
  wsTimes?: 'recorded' | 'replay';
  /** Folder of static demo pages, laid out as `<pagesDir>/<host>/<path>` (see pages.ts). */
  pagesDir?: string;
  /** Exchange modules to serve (default: all in exchanges/index.ts). */
  exchanges?: readonly ExchangeModule[];
  /**
   * Funding interval of each exchange's BTC market in hours (1, 2, 4 or 8). Default 8, as
   * recorded, and 1 for Hyperliquid (which settles hourly). Other intervals than the recorded 8 h
   * are reconstructed from the recorded rates (see `exchanges/recorded-series.ts`), to test that
   * funding of 1h and 4h markets covers a whole lookback.
   */
  fundingHours?: Readonly<Partial<Record<'binance' | 'bybit' | 'okx' | 'bitget' | 'hyperliquid', number>>>;
  /**
   * Round-trip time added to every REST answer, in ms: one number for every host or one per host
   * (`{ 'api.bybit.com': 200 }`, others 0). Default 0. Real exchanges answer in 50-300 ms.
   */
  latencyMs?: number | Readonly<Record<string, number>>;
  /** Enforce the exchanges' published public rate limits (`rate-limits.ts`): 429 + Retry-After past them. Default false. */
  rateLimits?: boolean;
}

export interface LoggedRequest {
  /** 1, 2, 3, ... in arrival order. */
  seq: number;
  /** Wall-clock arrival time, epoch ms. */
  time: number;
  /** Replay clock at arrival. */
  replayTime: number;
  method: string;
  /** Host header, lower case, without port. */
  host: string;
  path: string;
  query: Record<string, string>;
  /** Path and query as requested. */
  url: string;
  websocket: boolean;
  /** Status sent (undefined while pending, or when the connection was dropped or held). */
  status?: number;
  /** Fault applied to this request, if any. */
  fault?: FaultSpec['kind'];
}

export interface ReplayServer {
  port: number;
  /** `https://127.0.0.1:PORT` */
  url: string;
  /** The self-signed certificate (PEM): trust it with `ca: certPem`, or ignore errors. */
  certPem: string;
  /** Path of the certificate file (until stop()). */
  certFile: string;
  /** Base64 SHA-256 of the certificate's public key, for Chromium's `--ignore-certificate-errors-spki-list`. */
  spkiFingerprint: string;
  /** Every host name the server answers (REST, websocket and page hosts). */
  hosts: readonly string[];
  /** Ready-made value for Chromium's `--host-resolver-rules`. */
  hostResolverRules: string;
  /** Live request log (control API calls excluded). */
  requests: LoggedRequest[];
  clearRequests(): void;
  /** Every liquidation the websocket replays sent (all connections), as sent, in order. */
  readonly liquidationsSent: readonly SentLiquidation[];
  injectFault(spec: FaultSpec): string;
  clearFaults(): void;
  /**
   * Answers now, normally, every request a `timeout` fault without `delayMs` is holding (those
   * whose client has gone are dropped): the end of an outage the test decides, without waiting
   * for the client's own timeout. Returns how many were held.
   */
  releaseHeld(): number;
  /** Current replay time (epoch ms). */
  now(): number;
  /** Moves the replay clock forward by `ms`; returns the new "now". */
  advance(ms: number): number;
  /** Sets the replay clock to an absolute instant. */
  setNow(ms: number): number;
  /** Changes the clock speed (0 = frozen). */
  setSpeed(speed: number): void;
  /** Changes the websocket replay pace for upcoming frames. */
  setWsSpeed(speed: number): void;
  /** Closes every open websocket (code 1006-like abrupt close), e.g. to test reconnects. */
  dropWebSockets(): void;
  stop(): Promise<void>;
}

/** `shared/data` beside the repository root (how CI lays it out). */
export function defaultDataDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/data');
}

const CONTROL_PREFIX = '/__replay/';

export async function startReplayServer(options: ReplayServerOptions): Promise<ReplayServer> {
  const modules = options.exchanges ?? EXCHANGES;
  let wsSpeed = options.wsSpeed ?? 1;
  if (!(wsSpeed > 0)) throw new RangeError(`wsSpeed must be > 0, got ${wsSpeed}`);
  const clock = new ReplayClock(0, 0);
  const liquidationsSent: SentLiquidation[] = [];
  const fundingHours = (exchange: string): number => {
    const given = (options.fundingHours as Record<string, number> | undefined)?.[exchange];
    const hours = given ?? (exchange === 'hyperliquid' ? 1 : 8);
    if (![1, 2, 4, 8].includes(hours)) throw new RangeError(`fundingHours.${exchange} must be 1, 2, 4 or 8, got ${hours}`);
    return hours;
  };
  for (const id of Object.keys(options.fundingHours ?? {})) fundingHours(id);
  const ctx = { dataDir: options.dataDir, clock, wsSpeed: () => wsSpeed, wsReplayTime: options.wsTimes === 'replay', liquidationsSent, fundingHours };

  const restHosts = new Map<string, ExchangeInstance>();
  const wsHosts = new Map<string, ExchangeInstance>();
  const instances: ExchangeInstance[] = [];
  const pageHosts = new Set<string>();
  for (const m of modules) {
    const instance = m.create(ctx);
    instances.push(instance);
    for (const h of m.restHosts) restHosts.set(h, instance);
    for (const h of m.wsHosts) wsHosts.set(h, instance);
    for (const h of m.pageHosts) pageHosts.add(h);
  }
  const recordingEnd = Math.max(...instances.map((i) => i.recordingEnd?.() ?? -Infinity));
  const startNow = options.now === undefined ? recordingEnd : typeof options.now === 'string' ? Date.parse(options.now) : options.now;
  if (!Number.isFinite(startNow)) throw new Error(`no replay "now": pass options.now (got ${String(options.now)})`);
  clock.set(startNow);
  clock.speed = options.speed ?? 0;

  const hosts = [...new Set([...restHosts.keys(), ...wsHosts.keys(), ...pageHosts])];
  const cert = generateCertificate(hosts);
  const faults = new FaultRegistry();
  /** Requests held by a `timeout` fault without `delayMs`, each with its normal answer. */
  const held = new Set<() => void>();
  const limiter = options.rateLimits ? new RateLimiter() : undefined;
  const requests: LoggedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const webSockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true });
  let seq = 0;

  const server: Server = createServer({ key: cert.keyPem, cert: cert.certPem });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  function parse(req: IncomingMessage): ReplayRequest {
    const url = new URL(req.url ?? '/', 'https://replay.invalid');
    const host = (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
    return { method: req.method ?? 'GET', host, path: url.pathname, query: url.searchParams, headers: req.headers };
  }

  function log(r: ReplayRequest, req: IncomingMessage, websocket: boolean): LoggedRequest {
    const entry: LoggedRequest = {
      seq: ++seq,
      time: Date.now(),
      replayTime: clock.now(),
      method: r.method,
      host: r.host,
      path: r.path,
      query: Object.fromEntries(r.query),
      url: req.url ?? '/',
      websocket,
    };
    requests.push(entry);
    return entry;
  }

  function route(r: ReplayRequest): HttpReply {
    const exchange = restHosts.get(r.host);
    const pages = hasPages(options.pagesDir, r.host);
    if (exchange && (exchange.servesPath?.(r.path) ?? true)) {
      // One host can serve both an API and pages (OKX: www.okx.com/api/v5/... and /trade-swap/...).
      const reply = exchange.handleHttp(r);
      if (reply.status !== 404 || !pages) return reply;
      const page = servePage(options.pagesDir as string, r.host, r.path);
      return page.status === 404 ? reply : page;
    }
    if (pages) return servePage(options.pagesDir as string, r.host, r.path);
    return json(404, { error: `unknown host ${JSON.stringify(r.host)} (the replay server answers ${hosts.join(', ')})` });
  }

  function faultReply(fault: ActiveFault, r: ReplayRequest): HttpReply | undefined {
    const own = (restHosts.get(r.host) ?? wsHosts.get(r.host))?.faultReply?.(fault, r);
    if (own) return own;
    switch (fault.kind) {
      case 'rate-limit':
        return json(429, { error: 'Too Many Requests' }, { 'retry-after': String(fault.retryAfter ?? 1) });
      case 'ip-ban':
        return json(418, { error: "I'm a teapot: IP banned" }, { 'retry-after': String(fault.retryAfter ?? 120) });
      case 'server-error':
        return json(fault.status ?? 503, { error: STATUS_CODES[fault.status ?? 503] ?? 'Server Error' });
      default:
        return undefined;
    }
  }

  function send(res: ServerResponse, entry: LoggedRequest | undefined, reply: HttpReply, isHead: boolean): void {
    if (res.destroyed || res.writableEnded) return;
    const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
    res.writeHead(reply.status, { ...reply.headers, 'content-length': String(body.length) });
    res.end(isHead ? undefined : body);
    if (entry) entry.status = reply.status;
  }

  function later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const parsed = parse(req);
    if (parsed.path.startsWith(CONTROL_PREFIX)) {
      void control(req, parsed).then(
        (reply) => send(res, undefined, reply, false),
        (err: unknown) => send(res, undefined, json(400, { error: String(err instanceof Error ? err.message : err) }), false),
      );
      return;
    }
    if (parsed.method !== 'POST') return void answerRequest(req, res, parsed);
    // APIs answering POSTs (Hyperliquid's `/info`) read the JSON body.
    void readText(req).then(
      (body) => answerRequest(req, res, { ...parsed, body }),
      () => send(res, log(parsed, req, false), json(400, { error: 'unreadable body' }), false),
    );
  });

  function answerRequest(req: IncomingMessage, res: ServerResponse, r: ReplayRequest): void {
    const entry = log(r, req, false);
    const isHead = r.method === 'HEAD';
    const latency = typeof options.latencyMs === 'number' ? options.latencyMs : (options.latencyMs?.[r.host] ?? 0);
    if (latency > 0) {
      // The whole round trip before the exchange sees the request: limits count when it arrives.
      later(latency, () => answerNow(req, res, r, entry, isHead));
      return;
    }
    answerNow(req, res, r, entry, isHead);
  }

  function answerNow(req: IncomingMessage, res: ServerResponse, r: ReplayRequest, entry: LoggedRequest, isHead: boolean): void {
    if (limiter && restHosts.has(r.host)) {
      const wait = limiter.take(r);
      if (wait !== undefined) {
        const retryAfter = Math.max(1, Math.ceil(wait / 1000));
        const fault: ActiveFault = { kind: 'rate-limit', retryAfter, id: 'rate-limit', remaining: 0, skipLeft: 0, matcher: /.*/ };
        entry.fault = 'rate-limit';
        return send(res, entry, faultReply(fault, r) ?? json(429, { error: 'rate limit' }, { 'retry-after': String(retryAfter) }), isHead);
      }
    }
    const answer = (): HttpReply => {
      try {
        return route(r);
      } catch (err) {
        console.error('replay server: handler failed for', req.url, err);
        return json(500, { error: String(err) });
      }
    };
    const fault = faults.take(r.host, r.path, r.query);
    if (!fault) {
      const reply = answer();
      if (reply.delayMs !== undefined && reply.delayMs > 0) return later(reply.delayMs, () => send(res, entry, reply, isHead));
      return send(res, entry, reply, isHead);
    }
    entry.fault = fault.kind;
    switch (fault.kind) {
      case 'connection-reset':
        req.socket.destroy();
        return;
      case 'timeout':
        // Hold the connection: answer normally after delayMs, or never (until the client gives up).
        if (fault.delayMs !== undefined) later(fault.delayMs, () => send(res, entry, answer(), isHead));
        else held.add(() => send(res, entry, answer(), isHead));
        return;
      case 'empty-array':
        return send(res, entry, json(200, []), isHead);
      case 'malformed-json': {
        const real = answer();
        const body = typeof real.body === 'string' ? real.body : real.body.toString('utf8');
        return send(res, entry, { ...real, body: body.slice(0, Math.max(1, Math.floor(body.length / 2))) }, isHead);
      }
      default:
        return send(res, entry, faultReply(fault, r) ?? json(500, { error: 'fault' }), isHead);
    }
  }

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const r = parse(req);
    const entry = log(r, req, true);
    const refuse = (reply: HttpReply) => {
      const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
      const headers = Object.entries({ ...reply.headers, 'content-length': String(body.length), connection: 'close' })
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 ${reply.status} ${STATUS_CODES[reply.status] ?? ''}\r\n${headers}\r\n`), body]));
      entry.status = reply.status;
    };
    const fault = faults.take(r.host, r.path, r.query);
    if (fault) {
      entry.fault = fault.kind;
      if (fault.kind === 'connection-reset') return void socket.destroy();
      if (fault.kind === 'timeout') {
        if (fault.delayMs !== undefined) later(fault.delayMs, () => socket.destroy());
        return;
      }
      return refuse(fault.kind === 'empty-array' || fault.kind === 'malformed-json' ? json(200, []) : (faultReply(fault, r) ?? json(500, {})));
    }
    const exchange = wsHosts.get(r.host);
    if (!exchange?.handleWebSocket || (exchange.acceptsWebSocket && !exchange.acceptsWebSocket(r))) {
      return refuse(json(404, { error: `no websocket at ${r.host}${r.path}` }));
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      entry.status = 101;
      webSockets.add(ws);
      ws.on('close', () => webSockets.delete(ws));
      exchange.handleWebSocket?.(ws, r);
    });
  });

  async function readText(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 1_000_000) throw new Error('body too large');
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function readBody(req: IncomingMessage): Promise<unknown> {
    const text = await readText(req);
    return text ? (JSON.parse(text) as unknown) : {};
  }

  const api: ReplayServer = {
    port: 0,
    url: '',
    certPem: cert.certPem,
    certFile: cert.certFile,
    spkiFingerprint: cert.spkiFingerprint,
    hosts,
    hostResolverRules: '',
    requests,
    clearRequests: () => void requests.splice(0),
    liquidationsSent,
    injectFault: (spec) => faults.add(spec),
    clearFaults: () => faults.clear(),
    releaseHeld: () => {
      const now = [...held];
      held.clear();
      for (const release of now) release();
      return now.length;
    },
    now: () => clock.now(),
    advance: (ms) => clock.advance(ms),
    setNow: (ms) => clock.set(ms),
    setSpeed: (speed) => {
      clock.speed = speed;
    },
    setWsSpeed: (speed) => {
      if (!(speed > 0)) throw new RangeError(`wsSpeed must be > 0, got ${speed}`);
      wsSpeed = speed;
    },
    dropWebSockets: () => {
      for (const ws of webSockets) ws.terminate();
    },
    stop: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      held.clear();
      for (const ws of webSockets) ws.terminate();
      for (const i of instances) i.close?.();
      wss.close();
      const closed = once(server, 'close');
      server.close();
      for (const s of sockets) s.destroy();
      await closed;
      cert.dispose();
    },
  };

  async function control(req: IncomingMessage, r: ReplayRequest): Promise<HttpReply> {
    const what = r.path.slice(CONTROL_PREFIX.length).replace(/\/$/, '');
    const cors = { 'access-control-allow-origin': '*' };
    const state = () => ({ now: clock.now(), nowIso: new Date(clock.now()).toISOString(), speed: clock.speed, wsSpeed });
    switch (`${r.method} ${what}`) {
      case 'GET requests':
        return json(200, requests, cors);
      case 'DELETE requests':
        api.clearRequests();
        return json(200, { cleared: true }, cors);
      case 'GET faults':
        return json(200, faults.list().map(({ matcher: _m, ...f }) => ({ ...f, path: String(f.path ?? '*') })), cors);
      case 'POST faults': {
        const body = await readBody(req);
        const specs = (Array.isArray(body) ? body : [body]) as FaultSpec[];
        return json(200, { ids: specs.map((s) => faults.add(s)) }, cors);
      }
      case 'DELETE faults':
        faults.clear();
        return json(200, { cleared: true }, cors);
      case 'GET clock':
        return json(200, state(), cors);
      case 'POST clock': {
        const body = (await readBody(req)) as { now?: number | string; advanceMs?: number; speed?: number; wsSpeed?: number };
        if (body.now !== undefined) clock.set(typeof body.now === 'string' ? Date.parse(body.now) : body.now);
        if (body.advanceMs !== undefined) clock.advance(body.advanceMs);
        if (body.speed !== undefined) clock.speed = body.speed;
        if (body.wsSpeed !== undefined) api.setWsSpeed(body.wsSpeed);
        return json(200, state(), cors);
      }
      case 'GET cert':
        return { status: 200, headers: { 'content-type': 'application/x-pem-file' }, body: cert.certPem };
      default:
        return json(404, { error: `unknown control call ${r.method} ${r.path}` }, cors);
    }
  }

  server.listen(options.port ?? 0, options.listenHost ?? '127.0.0.1');
  try {
    await once(server, 'listening');
  } catch (err) {
    cert.dispose();
    throw err;
  }
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('replay server: no TCP address');
  api.port = address.port;
  api.url = `https://127.0.0.1:${address.port}`;
  api.hostResolverRules = hosts.map((h) => `MAP ${h} 127.0.0.1:${address.port}`).join(', ');
  return api;
}
