/**
 * The few plain messages around the Comlink channel: how a host hands the estimator worker a
 * port, how the worker reports that it has been idle, and how the offscreen document hands the
 * background a port to the worker. Comlink's own messages travel only on those ports.
 */

/** Host → worker (with one transferred `MessagePort`): expose the API on this port. */
export const CONNECT = 'liqlens:estimator-connect';
/** Worker → host: no call for `IDLE_MS`; the host may terminate it. */
export const IDLE = 'liqlens:estimator-idle';
/** Offscreen document → background service worker (with one transferred port): the worker's API. */
export const PORT = 'liqlens:estimator-port';
/** Background service worker → offscreen document: send a fresh port (the background restarted). */
export const RECONNECT = 'liqlens:estimator-reconnect';

/** A worker or offscreen document with no call for this long is closed. */
export const IDLE_MS = 60_000;

export type ControlMessage = { readonly type: typeof CONNECT | typeof IDLE | typeof PORT | typeof RECONNECT };

/** True when `data` is `{ type }` with exactly the given control type. */
export function isControl(data: unknown, type: ControlMessage['type']): boolean {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === type;
}
