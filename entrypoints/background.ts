import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createMessageListener } from '../src/messaging';
import { createOffscreenHost } from '../src/worker/offscreen-host';
import { startAlerts } from '../src/alerts/runner';
import { getSettings, watchSettings } from '../src/settings';
import { contractSize, listMarkets, loadSeries } from '../src/data';
import { forwardPanelCommand } from '../src/ui/panel/commands';
import { openFullViewTab } from '../src/ui/fullview/open';
import { openLiquidationStream } from '../src/data/liquidation-stream';
import { createLiveHub } from '../src/worker/live-hub';
import { createEstimateService } from '../src/worker/service';
import { createWorkerHost } from '../src/worker/worker-host';
import { createRealLevelsHub } from '../src/data/hyperliquid-positions/hub';
import { fetchTransport } from '../src/data/hyperliquid-positions/http';
import { DEFAULT_WEIGHT_PER_MINUTE } from '../src/data/hyperliquid-positions/budget';
import { createRealPositionsTracker } from '../src/data/hyperliquid-positions/tracker';

// Keep this file thin: everything runs inside main(), nothing at module load.
export default defineBackground({
  main() {
    // Firefox's background page can start a Worker; Chrome's service worker cannot, so an
    // offscreen document hosts it there.
    const host = typeof Worker === 'function' ? createWorkerHost() : createOffscreenHost();
    const handlers = createEstimateService({
      loadSeries,
      listMarkets,
      host,
      version: browser.runtime.getManifest().version,
      panelSettings: getSettings,
      // The panel's "Full view" button: a content script cannot open an extension page itself.
      openFullView: async (req) => {
        await openFullViewTab(req);
        return { opened: true };
      },
    });
    browser.runtime.onMessage.addListener(createMessageListener(browser.runtime.id, handlers));
    browser.commands.onCommand.addListener(forwardPanelCommand((tabId, message) => browser.tabs.sendMessage(tabId, message)));
    startAlerts({ getEstimate: handlers.getEstimate });
    // Open panels and popups keep their view live over a port (new bars each minute, realized liquidations).
    const live = createLiveHub({
      service: handlers,
      ownId: browser.runtime.id,
      openStream: (exchange, symbol, onEvent) => openLiquidationStream(exchange, symbol, onEvent, { contractSize }),
    });
    browser.runtime.onConnect.addListener((port) => live.onConnect(port));
    // Real liquidation levels of large Hyperliquid accounts: polled only while a panel or popup watches a coin.
    let hyperliquidWeight: number | undefined;
    getSettings().then((s) => (hyperliquidWeight = s.hyperliquidWeight), () => {});
    watchSettings((s) => (hyperliquidWeight = s.hyperliquidWeight));
    const tracker = createRealPositionsTracker({ transport: fetchTransport(), weightPerMinute: () => hyperliquidWeight ?? DEFAULT_WEIGHT_PER_MINUTE });
    const realLevels = createRealLevelsHub(tracker, browser.runtime.id);
    browser.runtime.onConnect.addListener((port) => realLevels.onConnect(port));
  },
});
