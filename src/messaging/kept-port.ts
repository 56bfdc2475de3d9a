/**
 * A runtime port kept open until a signal aborts: the first message on every connection, a
 * keepalive while it is open (an MV3 service worker is stopped after 30 s without an event), and
 * a reconnect with a doubling pause (at most 30 s) when the background restarts or the connection
 * fails. Shared by the live estimate view (`live.ts`) and the real-levels watch (`real-levels.ts`).
 */
import type { MessageError } from './contract';

/** The part of `browser.runtime.Port` a kept port uses. */
export interface KeptPort {
  readonly name: string;
  postMessage(message: unknown): void;
  disconnect(): void;
  readonly onMessage: { addListener(listener: (message: unknown) => void): void };
  readonly onDisconnect: { addListener(listener: () => void): void };
}

export interface KeepPortOptions<Out> {
  readonly connect: () => KeptPort;
  readonly signal: AbortSignal;
  /** Sent first on every connection (the subscription). */
  readonly hello: Out;
  readonly keepalive: Out;
  readonly keepaliveMs: number;
  /** The first pause before reconnecting; a valid message sets the pause back to it. */
  readonly reconnectMs: number;
  /** Each message of the current connection; true when it was a valid answer. */
  readonly onMessage: (raw: unknown) => boolean;
  readonly onError: (error: MessageError) => void;
}

/** Opens the port and keeps it open until `signal` aborts (then it disconnects once). */
export function keepPortOpen<Out>(options: KeepPortOptions<Out>): void {
  const { signal } = options;
  let port: KeptPort | undefined;
  let keepalive: ReturnType<typeof setInterval> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let backoff = options.reconnectMs;

  function open(): void {
    if (signal.aborted) return;
    let opened: KeptPort;
    try {
      opened = options.connect();
    } catch (error) {
      options.onError({ code: 'transport-failed', message: error instanceof Error ? error.message : 'connecting failed' });
      schedule();
      return;
    }
    port = opened;
    opened.onMessage.addListener((raw) => {
      if (signal.aborted || port !== opened) return;
      if (options.onMessage(raw)) backoff = options.reconnectMs;
    });
    opened.onDisconnect.addListener(() => {
      if (port !== opened) return;
      port = undefined;
      clearInterval(keepalive);
      schedule();
    });
    opened.postMessage(options.hello);
    keepalive = setInterval(() => {
      try {
        opened.postMessage(options.keepalive);
      } catch {
        // Disconnected: onDisconnect reconnects.
      }
    }, options.keepaliveMs);
  }

  function schedule(): void {
    if (signal.aborted) return;
    retry = setTimeout(open, backoff);
    backoff = Math.min(backoff * 2, 30_000);
  }

  signal.addEventListener(
    'abort',
    () => {
      clearTimeout(retry);
      clearInterval(keepalive);
      const last = port;
      port = undefined;
      try {
        last?.disconnect();
      } catch {
        // Already gone.
      }
    },
    { once: true },
  );
  open();
}
