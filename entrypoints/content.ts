import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi, type ShadowRootContentScriptUi } from 'wxt/utils/content-script-ui/shadow-root';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { parsePageUrl } from '../src/sites/page-url';
import { getSettings, watchSettings } from '../src/settings';
import { quietWhenInvalidated, watchDetached } from '../src/ui/keep-mounted';
import { mountPanel } from '../src/ui/mount';
import { createToggleChannel, isTogglePanelMessage } from '../src/ui/panel/commands';
import { createOrderWarnings } from '../src/ui/warnings/order-warnings';
import { ORDER_CHECK_CSS } from '../src/ui/warnings/warnings-css';
import { isPageMarketRequest, pageMarket } from '../src/ui/page-market';
import { PANEL_CSS } from '../src/ui/panel-css';
import { isShowPanelRequest } from '../src/ui/popup/show-panel';

/** Futures order pages of the supported exchanges. */
export const FUTURES_PAGE_MATCHES = [
  'https://www.binance.com/*/futures/*',
  'https://www.bybit.com/trade/usdt/*',
  'https://www.okx.com/*trade-swap/*',
  'https://www.bitget.com/*futures/*',
  'https://app.hyperliquid.xyz/trade*',
];

export default defineContentScript({
  matches: FUTURES_PAGE_MATCHES,
  runAt: 'document_idle',
  async main(ctx: ContentScriptContext) {
    let ui: ShadowRootContentScriptUi<() => void> | undefined;
    let mountedFor: string | undefined;
    let generation = 0;
    // The keyboard shortcut arrives here (from the background) and goes on to the mounted panel.
    const toggle = createToggleChannel();

    /** Mounts the panel for the market of `url` (the page's address by default), if it changed. */
    async function remount(url: string = location.href): Promise<void> {
      const market = parsePageUrl(url);
      const key = market ? `${market.exchange}:${market.symbol}` : undefined;
      if (key === mountedFor && ui) return;
      const mine = ++generation;
      ui?.remove();
      ui = undefined;
      mountedFor = key;
      if (!market || ctx.isInvalid) return;
      // Aborted when this panel is replaced (another market) or the script is invalidated.
      const controller = new AbortController();
      ctx.onInvalidated(() => controller.abort());
      // The order warnings check against the map the panel received and show in its footer too.
      const warnings = createOrderWarnings({ market, signal: controller.signal });
      const next = await createShadowRootUi(ctx, {
        name: 'liqlens-panel',
        position: 'inline',
        anchor: 'body',
        append: 'last',
        css: PANEL_CSS + ORDER_CHECK_CSS,
        onMount: (container) =>
          mountPanel(container, {
            exchange: market.exchange,
            symbol: market.symbol,
            signal: controller.signal,
            toggle,
            // Live views (new bars, realized liquidations) reach the warnings too.
            onView: warnings.onView,
            footer: warnings.footer,
            settings: { get: getSettings, watch: watchSettings },
          }),
        onRemove: (unmount) => {
          controller.abort();
          unmount?.();
        },
      });
      if (mine !== generation || ctx.isInvalid) return;
      ui = next;
      ui.mount();
      await warnings.start(ctx);
    }

    // The popup asks which market this tab shows (it has no permission to read the tab's address).
    const onMessage = (message: unknown, sender: { id?: string; tab?: unknown }, sendResponse: (answer: unknown) => void): false => {
      if (sender.id !== browser.runtime.id || sender.tab !== undefined) return false;
      if (isPageMarketRequest(message)) sendResponse(pageMarket(location.href));
      else if (isTogglePanelMessage(message)) toggle.emit();
      else if (isShowPanelRequest(message)) {
        // The popup's "Show panel": mount it afresh (shown), also after it was hidden or removed.
        mountedFor = undefined;
        void remount();
        sendResponse(pageMarket(location.href) !== null);
      }
      return false;
    };
    browser.runtime.onMessage.addListener(onMessage);
    ctx.onInvalidated(() => {
      browser.runtime.onMessage.removeListener(onMessage);
      ui?.remove();
    });

    // Single-page navigation (another symbol picked on the page). The event can come before the
    // address changes (Navigation API), so read the new address from it.
    // A page script can fire a look-alike event without the address: then the address decides.
    ctx.addEventListener(window, 'wxt:locationchange', (event) => {
      const next: unknown = (event as { newUrl?: unknown }).newUrl;
      void remount(next instanceof URL ? next.href : location.href);
    });
    // Nothing tells a content script that its extension was reloaded or removed: a cheap check
    // each second (ctx's timers test the extension's id) invalidates ctx, which removes the panel.
    ctx.setInterval(() => undefined, 1_000);
    quietWhenInvalidated(() => browser.runtime?.id === undefined);
    // The page replaced its DOM and the panel with it: mount a new one.
    watchDetached(
      () => ui?.shadowHost.isConnected ?? true,
      () => {
        ui?.remove();
        ui = undefined;
        void remount();
      },
      ctx.signal,
    );
    await remount();
  },
});
