/**
 * The content script's panel and order warnings, loaded after the first script in separate
 * chunks (src/content/loader.ts). `start` mounts the panel for the page's market and follows the
 * page's navigation; the first script keeps answering the popup meanwhile.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi, type ShadowRootContentScriptUi } from 'wxt/utils/content-script-ui/shadow-root';
import { parsePageUrl } from '../sites/page-url';
import { watchDetached } from '../ui/keep-mounted';
import { mountPanel } from '../ui/mount';
import type { ToggleChannel } from '../ui/panel/commands';
import { PANEL_CSS } from '../ui/panel-css';
import { createOrderWarnings } from '../ui/warnings/order-warnings';
import { ORDER_CHECK_CSS } from '../ui/warnings/warnings-css';
import { nextIdle } from './idle';
import { type PreparedView, readPreparedAnswer } from './prepared-answer';
import { settingsSource } from './settings-source';

export interface ContentApp {
  /** Mounts the panel afresh (shown), also after it was hidden or removed. */
  show(): void;
}

/**
 * Mounts the panel for the page's market and keeps it mounted across the page's navigation.
 * `prepared` is the background's answer to the first file's `prepareEstimate`, unchecked.
 * @example const app = start(ctx, createToggleChannel()); app.show();
 */
export function start(ctx: ContentScriptContext, toggle: ToggleChannel, prepared?: Promise<unknown>): ContentApp {
  const answer = prepared ? readPreparedAnswer(prepared) : undefined;
  const settings = settingsSource(ctx.signal, answer?.then((read) => read.settings));
  // The estimate that came with the prepared answer, for the first panel's first request only
  // (not one that arrives after that request: it would be older than what the panel gets).
  let firstView: PreparedView | undefined;
  let taken = false;
  answer?.then(
    (read) => {
      if (!taken) firstView = read.first;
    },
    () => {},
  );
  const takeFirstView = (): PreparedView | undefined => {
    taken = true;
    const view = firstView;
    firstView = undefined;
    return view;
  };
  let ui: ShadowRootContentScriptUi<() => void> | undefined;
  let mountedFor: string | undefined;
  let generation = 0;

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
    // The start-up steps run in idle moments of their own (false once this panel is replaced).
    const idle = () => nextIdle(controller.signal).then(
      () => true,
      () => false,
    );
    // The order warnings check against the map the panel received and show in its footer too.
    const warnings = createOrderWarnings({ market, signal: controller.signal });
    // The panel's shadow root in a task of its own (on a busy page the start-up's first calls,
    // running code not yet compiled, take milliseconds each).
    if (!(await idle()) || mine !== generation) return;
    const next = await createShadowRootUi(ctx, {
      name: 'liqlens-panel',
      position: 'inline',
      // WXT's host reset is replaced by HOST_CSS (in the css below).
      inheritStyles: true,
      anchor: 'body',
      append: 'last',
      css: PANEL_CSS + ORDER_CHECK_CSS,
      onMount: (container) => {
        // The shadow root goes in now, the panel's first render in the next idle moment.
        let unmount: (() => void) | undefined;
        void idle().then((go) => {
          if (!go) return;
          unmount = mountPanel(container, {
            exchange: market.exchange,
            symbol: market.symbol,
            signal: controller.signal,
            toggle,
            // Live views (new bars, realized liquidations) reach the warnings too.
            onView: warnings.onView,
            footer: warnings.footer,
            settings,
            firstView: takeFirstView,
          });
        });
        return () => unmount?.();
      },
      onRemove: (unmount) => {
        controller.abort();
        unmount?.();
      },
    });
    if (mine !== generation || ctx.isInvalid) return;
    ui = next;
    ui.mount();
    // The order form is looked for after the panel's first render, in a task of its own.
    if (!(await idle()) || !(await idle())) return;
    await warnings.start(ctx);
  }

  ctx.onInvalidated(() => ui?.remove());
  // Single-page navigation (another symbol picked on the page). The event can come before the
  // address changes (Navigation API), so read the new address from it.
  // A page script can fire a look-alike event without the address: then the address decides.
  ctx.addEventListener(window, 'wxt:locationchange', (event) => {
    const next: unknown = (event as { newUrl?: unknown }).newUrl;
    void remount(next instanceof URL ? next.href : location.href);
  });
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
  // The first panel in a task after the one that set up settings and listeners.
  nextIdle(ctx.signal).then(
    () => remount(),
    () => {},
  );
  return {
    show() {
      mountedFor = undefined;
      void remount();
    },
  };
}
