import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'wxt';
import { FUTURES_PAGE_MATCHES } from './src/sites/futures-pages';
import { buildContentChunks, CONTENT_CHUNKS_DIR, CONTENT_CHUNKS_GLOBAL, type ContentChunkList, type ContentChunks } from './scripts/lib/content-chunks';

/** Hosts of the exchanges' public market-data APIs (and Hyperliquid's public leaderboard); nothing else is contacted. */
const API_HOSTS = [
  'https://fapi.binance.com/*',
  'https://api.bybit.com/*',
  'https://www.okx.com/*',
  'https://api.bitget.com/*',
  'https://api.hyperliquid.xyz/*',
  // Hyperliquid's public leaderboard: the large accounts whose real positions are shown (docs/privacy-hyperliquid-positions.md).
  'https://stats-data.hyperliquid.xyz/*',
];

/** The Firefox add-on id (`browser_specific_settings.gecko.id`). */
export const FIREFOX_ADDON_ID = 'liqlens@liqlens';

// Only bundled scripts may run on extension pages: no remote code, no eval.
const EXTENSION_PAGES_CSP = "script-src 'self'; object-src 'self';";

/**
 * ccxt's per-exchange module files. The package index does not tree-shake (one exchange pulls in
 * all of them, 5.6 MB) and the package exports only ".", so extension code imports
 * `ccxt-exchange/<id>` (e.g. `ccxt-exchange/binanceusdm`), mapped here to
 * `node_modules/ccxt/js/src/<id>.js`; `src/data/exchanges/ccxt-modules.d.ts` types the same names.
 */
export const CCXT_EXCHANGE_ALIAS = {
  find: /^ccxt-exchange\/([a-z0-9]+)$/,
  replacement: `${fileURLToPath(new URL('./node_modules/ccxt/js/src/', import.meta.url))}$1.js`,
};

/**
 * ccxt's base class imports Node-only code dynamically (`undici`, `node:*`, the MEXC protobuf
 * bundle, the optional `protobufjs/minimal.js`). The background is one IIFE file, so Vite inlines
 * those imports and runs them at start-up; an unresolved one throws and the service worker fails
 * to register without an error message. In the browser build they become empty modules (ccxt then
 * falls back to the global `fetch`). So do dYdX's protobuf registry and zkLink's signing SDK, which
 * the base class loads only to sign dYdX and ApeX orders and which would otherwise be inlined too.
 */
export function ccxtBrowserShims(): Plugin {
  const PREFIX = '\0ccxt-empty:';
  const NODE_ONLY = [
    /^undici$/,
    /^protobufjs\/minimal(\.js)?$/,
    /\/protobuf\/mexc\/compiled\.cjs$/,
    /^node:/,
    /\/dydx-v4-client\/(registry|cosmos\/tx\/v1beta1\/tx|cosmos\/tx\/signing\/v1beta1\/signing)\.js$/,
    // zkLink's wasm glue signs ApeX orders only, and builds functions from strings (`new Function`).
    /\/zklink\/zklink-sdk-web\.js$/,
  ];
  return {
    name: 'liqlens:ccxt-browser-shims',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer || !/[\\/]node_modules[\\/]ccxt[\\/]/.test(importer)) return null;
      return NODE_ONLY.some((pattern) => pattern.test(source)) ? PREFIX + source : null;
    },
    load(id) {
      return id.startsWith(PREFIX) ? 'export default undefined;' : null;
    },
  };
}

/**
 * The content script's later code (scripts/lib/content-chunks.ts): web-accessible to the five
 * trading sites only, so a content script there can `import()` them (Chrome takes origins here,
 * `https://www.okx.com/*`, not the pages' paths). Chrome serves them only
 * under a per-session random origin (`use_dynamic_url`), so a page cannot probe for a fixed
 * extension address to detect it; Firefox's MV2 list takes no site patterns, and its extension
 * origin is already random per installation.
 */
export function contentChunkResources(browser: string) {
  const resources = [`${CONTENT_CHUNKS_DIR}/*.js`];
  const origins = [...new Set(FUTURES_PAGE_MATCHES.map((pattern) => `${new URL(pattern.replaceAll('*', 'x')).origin}/*`))];
  return browser === 'firefox' ? resources : [{ resources, matches: origins, use_dynamic_url: true }];
}

// Built once per WXT build, before the content script (which embeds the chunk order).
let contentChunks: ContentChunks | undefined;

export default defineConfig({
  // Explicit imports only (`wxt/utils/...`, `wxt/browser`): no ambient globals to leak into the engine.
  imports: false,
  // `npm run zip`: the store packages in .output/ (liqlens-<version>-chrome.zip, -firefox.zip) and,
  // with the Firefox one, the sources addons.mozilla.org asks for (-sources.zip: what
  // `npm ci && npm run build:firefox` needs, without tests, test pages, the replay server or tools).
  // The manifest's version is package.json's. tests/store-zips.test.ts checks the three archives.
  zip: {
    exclude: ['**/*.map'],
    excludeSources: [
      'tests/**',
      'e2e/**',
      'test-support/**',
      'bench/**',
      'docs/**',
      'scripts/*.ts',
      'scripts/start.mjs',
      'vitest.config.ts',
      'eslint.config.js',
      '{coverage,dist,out,tmp,demo-out,estimate-out,screenshots,e2e-artifacts}/**',
      'test-results.json',
      '**/*.tsbuildinfo',
    ],
  },
  // Chrome builds MV3; Firefox keeps WXT's default (MV2), where host permissions are granted at install.
  manifest: ({ browser }) => ({
    name: 'LiqLens',
    description:
      "Estimated liquidation heatmap, nearest liquidation pools and pre-trade warnings on the exchange's own futures order page.",
    // Firefox's background can start the estimator worker itself; only Chrome needs an offscreen document.
    // alarms + notifications: alerts for watched symbols (a one-minute re-check, a browser notification).
    permissions: browser === 'firefox' ? ['storage', 'alarms', 'notifications'] : ['storage', 'alarms', 'notifications', 'offscreen'],
    host_permissions: API_HOSTS,
    commands: {
      // Shows or hides the panel on the exchange's page (forwarded by the background).
      'toggle-panel': { suggested_key: { default: 'Alt+Shift+L' }, description: 'Show or hide the LiqLens panel' },
    },
    content_security_policy: {
      extension_pages: EXTENSION_PAGES_CSP,
    },
    // A fixed add-on id keeps storage and the moz-extension:// origin across reinstalls; module
    // workers (the estimator) need Firefox 114, so the first ESR with them is the minimum.
    ...(browser === 'firefox' ? { browser_specific_settings: { gecko: { id: FIREFOX_ADDON_ID, strict_min_version: '115.0' } } } : {}),
    web_accessible_resources: contentChunkResources(browser),
  }),
  hooks: {
    'build:before': async (wxt) => {
      contentChunks = await buildContentChunks({
        root: wxt.config.root,
        mode: wxt.config.mode,
        browser: wxt.config.browser,
        manifestVersion: wxt.config.manifestVersion,
        minify: wxt.config.command === 'build',
      });
    },
    'vite:build:extendConfig': (entrypoints, config) => {
      if (!entrypoints.some((e) => e.type === 'content-script')) return;
      if (!contentChunks) throw new Error('content chunks were not built before the content script');
      const { file, order, onDemand } = contentChunks;
      const list: ContentChunkList = { file, order, ...(onDemand ? { onDemand } : {}) };
      config.define = { ...config.define, [CONTENT_CHUNKS_GLOBAL]: JSON.stringify(list) };
    },
    'build:publicAssets': (_wxt, files) => {
      for (const file of contentChunks?.files ?? []) files.push({ relativeDest: file.fileName, contents: file.code });
    },
  },
  vite: () => ({
    plugins: [preact(), ccxtBrowserShims()],
    resolve: { alias: [CCXT_EXCHANGE_ALIAS] },
    // The estimator is a module worker (`?worker` imports then construct it with `type: 'module'`):
    // one ES chunk, no classic-script wrapper, and the engine's imports stay ES modules.
    worker: { format: 'es' as const },
  }),
});
