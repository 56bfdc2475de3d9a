/**
 * The background's side of the real-levels port (`src/messaging/real-levels.ts`): each open
 * port from this extension's panels, popups and full views (its own pages, in a tab or not) and
 * its content scripts watches one coin; the tracker polls while any
 * does and stops when the last port closes. Every view change is pushed to the ports of its coin.
 */
import { senderProblem } from '../../messaging/dispatch';
import { PROTOCOL_VERSION } from '../../messaging/contract';
import { readRealLevelsClientMessage, REAL_LEVELS_PORT_NAME, type RealLevelsServerMessage } from '../../messaging/real-levels';
import type { HubPort } from '../../worker/live-hub';
import type { RealPositionsTracker } from './tracker';

export interface RealLevelsHub {
  /** A `runtime.onConnect` listener: takes ports named {@link REAL_LEVELS_PORT_NAME}, ignores others. */
  onConnect(port: HubPort): void;
  /** Open ports and the coins they watch. */
  stats(): { readonly ports: number; readonly coins: readonly string[] };
}

export function createRealLevelsHub(tracker: RealPositionsTracker, ownId: string): RealLevelsHub {
  const ports = new Map<HubPort, { coin: string; release: () => void }>();

  const post = (port: HubPort, message: RealLevelsServerMessage) => {
    try {
      port.postMessage(message);
    } catch {
      // Closed: onDisconnect drops it.
    }
  };

  tracker.subscribe((coin) => {
    let view: ReturnType<RealPositionsTracker['view']> | undefined;
    for (const [port, sub] of ports) {
      if (sub.coin !== coin) continue;
      view ??= tracker.view(coin);
      post(port, { type: 'levels', version: PROTOCOL_VERSION, view });
    }
  });

  function drop(port: HubPort): void {
    ports.get(port)?.release();
    ports.delete(port);
  }

  return {
    onConnect(port) {
      if (port.name !== REAL_LEVELS_PORT_NAME) return; // Another feature's port.
      if (senderProblem(port.sender ?? {}, ownId) !== undefined) {
        port.disconnect();
        return;
      }
      port.onDisconnect.addListener(() => drop(port));
      port.onMessage.addListener((raw) => {
        const checked = readRealLevelsClientMessage(raw);
        if (!checked.ok) {
          post(port, { type: 'error', version: PROTOCOL_VERSION, error: { code: 'invalid-payload', message: checked.issue.reason, path: checked.issue.path } });
          return;
        }
        if (checked.value.type !== 'watch') return;
        const coin = checked.value.coin;
        if (ports.get(port)?.coin === coin) return;
        drop(port);
        ports.set(port, { coin, release: tracker.watch(coin) });
        // What is held now, at once (the tracker pushes updates as accounts are read).
        post(port, { type: 'levels', version: PROTOCOL_VERSION, view: tracker.view(coin) });
      });
    },
    stats: () => ({ ports: ports.size, coins: [...new Set([...ports.values()].map((s) => s.coin))] }),
  };
}
