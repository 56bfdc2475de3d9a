/**
 * The background's side of the real-levels port (`src/messaging/real-levels.ts`): each open
 * port from this extension's panels, popups and full views (its own pages, in a tab or not) and
 * its content scripts watches one coin; the tracker polls while any
 * does and stops when the last port closes. Every view change is pushed to the ports of its coin.
 *
 * A watched coin Hyperliquid lists per 1,000 (`PEPE` -> `kPEPE`, ./coin-units.ts) is resolved
 * here, against Hyperliquid's coin list as the tracker last read it, and its views are sent in the
 * watched coin's unit (prices x `priceFactor`), so no page has to guess.
 */
import { senderProblem } from '../../messaging/dispatch';
import { PROTOCOL_VERSION } from '../../messaging/contract';
import { readRealLevelsClientMessage, REAL_LEVELS_PORT_NAME, type RealLevelsServerMessage, type RealLevelsView } from '../../messaging/real-levels';
import type { HubPort } from '../../worker/live-hub';
import type { RealPositionsTracker } from './tracker';
import { heldCoin } from './coin-units';

export interface RealLevelsHub {
  /** A `runtime.onConnect` listener: takes ports named {@link REAL_LEVELS_PORT_NAME}, ignores others. */
  onConnect(port: HubPort): void;
  /** Open ports and the coins they watch. */
  stats(): { readonly ports: number; readonly coins: readonly string[] };
}

/**
 * `view` (of Hyperliquid's coin) in the unit of `watched`: prices times `priceFactor`, named so;
 * the view itself when the two are the same coin.
 */
export function inWatchedUnit(view: RealLevelsView, watched: string, priceFactor: number): RealLevelsView {
  if (watched === view.coin && priceFactor === 1) return view;
  return {
    ...view,
    watched,
    priceFactor,
    ...(view.mark !== undefined ? { mark: view.mark * priceFactor } : {}),
    levels: view.levels.map((l) => ({ ...l, price: l.price * priceFactor })),
  };
}

interface Watch {
  /** The coin the port asked for. */
  readonly watched: string;
  /** Hyperliquid's coin holding it, and page price per Hyperliquid price. */
  readonly coin: string;
  readonly priceFactor: number;
  readonly release: () => void;
}

export function createRealLevelsHub(tracker: RealPositionsTracker, ownId: string): RealLevelsHub {
  const ports = new Map<HubPort, Watch>();

  const post = (port: HubPort, message: RealLevelsServerMessage) => {
    try {
      port.postMessage(message);
    } catch {
      // Closed: onDisconnect drops it.
    }
  };

  const send = (port: HubPort, sub: Watch, view: RealLevelsView = tracker.view(sub.coin)) =>
    post(port, { type: 'levels', version: PROTOCOL_VERSION, view: inWatchedUnit(view, sub.watched, sub.priceFactor) });

  /** Watches the coin holding `watched` for `port` (after releasing what it watched before). */
  function follow(port: HubPort, watched: string): Watch {
    ports.get(port)?.release();
    const held = heldCoin(watched, tracker.coins());
    const sub: Watch = { watched, ...held, release: tracker.watch(held.coin) };
    ports.set(port, sub);
    return sub;
  }

  tracker.subscribe((coin) => {
    let view: RealLevelsView | undefined;
    for (const [port, sub] of [...ports]) {
      if (sub.coin !== coin) continue;
      // Hyperliquid's list, read since the watch began, may hold the coin under another name.
      if (heldCoin(sub.watched, tracker.coins()).coin !== sub.coin) {
        send(port, follow(port, sub.watched));
        continue;
      }
      view ??= tracker.view(coin);
      send(port, sub, view);
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
        if (ports.get(port)?.watched === coin) return;
        // What is held now, at once (the tracker pushes updates as accounts are read).
        send(port, follow(port, coin));
      });
    },
    stats: () => ({ ports: ports.size, coins: [...new Set([...ports.values()].map((s) => s.coin))] }),
  };
}
