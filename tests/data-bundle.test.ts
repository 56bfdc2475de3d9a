/**
 * The data layer bundles for the background service worker the way `wxt build` bundles it: the
 * `ccxt-exchange/<id>` alias resolves to ccxt's own exchange files, ccxt's Node-only dynamic
 * imports become empty modules, only the five exchanges are inside, and the bundle starts in a
 * worker-like scope (no Node globals) without throwing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import vm from 'node:vm';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { CCXT_EXCHANGE_ALIAS, ccxtBrowserShims } from '../wxt.config';

const ROOT = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'liqlens-data-bundle-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('data layer bundle', () => {
  it('builds one IIFE with the five exchange modules only, and starts in a worker scope', async () => {
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `import { getExchangeSource } from ${JSON.stringify(join(ROOT, 'src/data/exchanges/index.ts'))};\n` +
        `import { loadSeries } from ${JSON.stringify(join(ROOT, 'src/data/series-store.ts'))};\n` +
        `(self as unknown as Record<string, unknown>).liqlensData = { getExchangeSource, loadSeries };\n`,
    );
    const warnings: string[] = [];
    await build({
      root: ROOT,
      configFile: false,
      logLevel: 'silent',
      plugins: [ccxtBrowserShims()],
      resolve: { alias: [CCXT_EXCHANGE_ALIAS] },
      build: {
        outDir: join(dir, 'out'),
        emptyOutDir: true,
        minify: true,
        copyPublicDir: false,
        lib: { entry, formats: ['iife'], name: 'bundle', fileName: () => 'bundle.js' },
        rollupOptions: { onwarn: (w) => void warnings.push(w.message) },
      },
    });
    const code = readFileSync(join(dir, 'out', 'bundle.js'), 'utf8');
    // Measured 1.04 MB with all five; the package index would be 5.6 MB.
    expect(code.length).toBeLessThan(1_400_000);
    expect(code.length).toBeGreaterThan(600_000);
    for (const id of ['binanceusdm', 'bybit', 'okx', 'bitget', 'hyperliquid']) expect(code).toContain(`"${id}"`);
    for (const other of ['kraken', 'coinbaseexchange', 'bitfinex', 'mexc']) expect(code).not.toContain(`id:"${other}"`);
    expect(warnings.filter((w) => /undici|protobufjs|compiled\.cjs/.test(w))).toEqual([]);

    // A worker-like scope: fetch and web APIs, no process, no require.
    const scope: Record<string, unknown> = {
      console, setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask, fetch, Headers, Request, Response,
      URL, URLSearchParams, TextEncoder, TextDecoder, AbortController, AbortSignal, DOMException, crypto: globalThis.crypto,
      atob, btoa, performance,
    };
    scope.self = scope;
    scope.globalThis = scope;
    const context = vm.createContext(scope);
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      vm.runInContext(code, context);
      const api = scope.liqlensData as { getExchangeSource: (id: string) => Promise<{ id: string; capabilities: object }> };
      for (const id of ['binance', 'bybit', 'okx', 'bitget', 'hyperliquid']) {
        const source = await api.getExchangeSource(id);
        expect(source.id).toBe(id);
      }
      await new Promise((r) => setTimeout(r, 100));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  }, 180_000);
});
