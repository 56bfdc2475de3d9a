import { type RealLevelsPort, type RealLevelsView, REAL_LEVELS_PORT_NAME } from '../../src/messaging/real-levels';
import { PROTOCOL_VERSION } from '../../src/messaging/version';

/**
 * A real-levels port standing in for the background: it answers the first `watch` with `view`
 * and records what the page sent and whether it disconnected.
 */
export function fakeRealLevelsPort(view: RealLevelsView) {
  const sent: unknown[] = [];
  let disconnected = false;
  let listener: ((m: unknown) => void) | undefined;
  const port: RealLevelsPort = {
    name: REAL_LEVELS_PORT_NAME,
    postMessage: (m) => {
      sent.push(m);
      if ((m as { type: string }).type === 'watch') queueMicrotask(() => listener?.({ type: 'levels', version: PROTOCOL_VERSION, view }));
    },
    disconnect: () => {
      disconnected = true;
    },
    onMessage: { addListener: (l) => (listener = l) },
    onDisconnect: { addListener: () => {} },
  };
  return { connect: () => port, sent, disconnected: () => disconnected };
}
