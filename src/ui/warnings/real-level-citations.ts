/**
 * The real Hyperliquid levels (src/data/hyperliquid-positions) the pre-trade warnings cite
 * (./cite-real-levels.ts, loaded with the order check's engine on demand).
 *
 * The levels come over the real-levels port (the same hub as the panel's layer, one more watcher
 * of the coin on screen, so the background polls no more than it does for the panel).
 */
import { browser } from 'wxt/browser';
import type { ExchangeId } from '../../engine/types';
import { REAL_LEVELS_PORT_NAME, type RealLevelsPort, type RealLevelsView, watchRealLevels } from '../../messaging/real-levels';
import { coinOnScreen } from '../panel/real-levels';
import type { CitedView } from '../../data/hyperliquid-positions/order-notes';

/** The extension runtime's port, when there is one (not in Node tests). */
function runtimeConnect(): (() => RealLevelsPort) | undefined {
  const runtime = (browser as { runtime?: { connect?: unknown } } | undefined)?.runtime;
  if (typeof runtime?.connect !== 'function') return undefined;
  return () => browser.runtime.connect({ name: REAL_LEVELS_PORT_NAME }) as unknown as RealLevelsPort;
}

export interface OrderRealLevels {
  /** The latest levels of the market's coin, for `citeRealLevels` (./cite-real-levels.ts); undefined while there are none. */
  levels(): CitedView | undefined;
}

/**
 * Follows the real levels of the market's coin until `signal` aborts; `onChange` when they change
 * (the warnings check again). Without a runtime port, or for a market with no Hyperliquid coin,
 * cites nothing.
 */
export function watchOrderRealLevels(options: {
  readonly exchange: ExchangeId;
  readonly symbol: string;
  readonly signal: AbortSignal;
  readonly onChange: () => void;
  readonly connect?: () => RealLevelsPort;
}): OrderRealLevels {
  let latest: RealLevelsView | undefined;
  const coin = coinOnScreen(options.exchange, options.symbol);
  const connect = options.connect ?? runtimeConnect();
  if (coin && connect && !options.signal.aborted) {
    watchRealLevels({
      connect,
      coin,
      signal: options.signal,
      onView: (view) => {
        latest = view;
        options.onChange();
      },
    });
  }
  // watchRealLevels passes on only the views answering this coin (`PEPE`, also when Hyperliquid
  // holds it as `kPEPE`): the check is not made again here.
  return { levels: () => latest };
}
