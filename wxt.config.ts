import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';

/** Hosts of the exchanges' public market-data APIs; nothing else is contacted. */
const API_HOSTS = [
  'https://fapi.binance.com/*',
  'https://api.bybit.com/*',
  'https://www.okx.com/*',
  'https://api.bitget.com/*',
  'https://api.hyperliquid.xyz/*',
];

// Only bundled scripts may run on extension pages: no remote code, no eval.
const EXTENSION_PAGES_CSP = "script-src 'self'; object-src 'self';";

export default defineConfig({
  // Explicit imports only (`wxt/utils/...`, `wxt/browser`): no ambient globals to leak into the engine.
  imports: false,
  // Chrome builds MV3; Firefox keeps WXT's default (MV2), where host permissions are granted at install.
  manifest: {
    name: 'LiqLens',
    description:
      "Estimated liquidation heatmap, nearest liquidation pools and pre-trade warnings on the exchange's own futures order page.",
    permissions: ['storage'],
    host_permissions: API_HOSTS,
    content_security_policy: {
      extension_pages: EXTENSION_PAGES_CSP,
    },
  },
  vite: () => ({
    plugins: [preact()],
  }),
});
