import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { defineContentScript } from 'wxt/utils/define-content-script';

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
    // Placeholder: an empty, isolated host element. The on-page panel is mounted here later.
    const ui = await createShadowRootUi(ctx, {
      name: 'liqlens-root',
      position: 'inline',
      anchor: 'body',
      append: 'last',
      onMount(container) {
        container.dataset['liqlens'] = 'placeholder';
      },
    });
    ui.mount();
  },
});
