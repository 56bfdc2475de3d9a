import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { defineContentScript } from 'wxt/utils/define-content-script';
import type { ContentApp } from '../src/content/app';
import { nextIdle } from '../src/content/idle';
import { type ContentAppModule, loadContentApp } from '../src/content/loader';
import type { RequestEnvelope } from '../src/messaging/contract';
import { PROTOCOL_VERSION } from '../src/messaging/version';
import { FUTURES_PAGE_MATCHES } from '../src/sites/futures-pages';
import { quietWhenInvalidated } from '../src/ui/keep-mounted';
import { createToggleChannel, isTogglePanelMessage } from '../src/ui/panel/commands';
import { isPageMarketRequest, pageAnswer, pageMarket } from '../src/ui/page-market';
import { isShowPanelRequest } from '../src/ui/popup/show-panel';

// This file stays small (its evaluation is one task on the exchange's page): it answers the
// popup and loads the panel's code in later, short tasks (src/content/loader.ts).
export default defineContentScript({
  matches: [...FUTURES_PAGE_MATCHES],
  runAt: 'document_idle',
  async main(ctx: ContentScriptContext) {
    // The keyboard shortcut arrives here (from the background) and goes on to the mounted panel.
    const toggle = createToggleChannel();
    let app: ContentApp | undefined = undefined;
    let showWhenLoaded = false;
    // The rest in the next task: this file's evaluation, with WXT's start-up around it, stays short.
    try {
      await nextIdle(ctx.signal);
    } catch {
      return;
    }

    // The popup asks which market this tab shows (it has no permission to read the tab's address).
    const onMessage = (message: unknown, sender: { id?: string; tab?: unknown }, sendResponse: (answer: unknown) => void): false => {
      if (sender.id !== browser.runtime.id || sender.tab !== undefined) return false;
      if (isPageMarketRequest(message)) sendResponse(pageAnswer(location.href));
      else if (isTogglePanelMessage(message)) toggle.emit();
      else if (isShowPanelRequest(message)) {
        // The popup's "Show panel": mount it afresh (shown), also after it was hidden or removed.
        if (app) app.show();
        else showWhenLoaded = true;
        sendResponse(pageMarket(location.href) !== null);
      }
      return false;
    };
    browser.runtime.onMessage.addListener(onMessage);
    // The background starts the panel's estimate while the panel's code loads.
    // Its answer holds the user's settings, which the panel then need not wait to read itself.
    const market = pageMarket(location.href);
    let prepared: Promise<unknown> | undefined;
    if (market) {
      // Sent as is (the background checks it): the contract's validators stay out of this file,
      // and the app checks the answer.
      const prepare: RequestEnvelope<'prepareEstimate'> = { type: 'prepareEstimate', payload: market, version: PROTOCOL_VERSION };
      prepared = browser.runtime.sendMessage(prepare);
      prepared.catch(() => {});
    }
    ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(onMessage));
    // Nothing tells a content script that its extension was reloaded or removed: a cheap check
    // each second (ctx's timers test the extension's id) invalidates ctx, which removes the panel.
    ctx.setInterval(() => undefined, 1_000);
    quietWhenInvalidated(() => browser.runtime?.id === undefined);

    let start: ContentAppModule['start'];
    try {
      ({ start } = await loadContentApp(ctx.signal));
    } catch (error) {
      if (ctx.isInvalid) return;
      throw error;
    }
    if (ctx.isInvalid) return;
    app = start(ctx, toggle, prepared);
    if (showWhenLoaded) app.show();
  },
});
