/**
 * The built extension asks for what it uses and nothing more, and ships no remote or string-built
 * code. Reads the manifests and bundles `npm run build` / `npm run build:firefox` wrote to
 * `.output/` (npm test builds both before the tests run).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIQUIDATION_STREAM_HOSTS } from '../src/data/liquidation-stream';
import { REPO_ROOT } from './support/recorded';

/** Every API permission the extension may hold, and why it needs it. */
const ALLOWED_PERMISSIONS: Readonly<Record<string, string>> = {
  storage: 'settings and the watch list (storage.defineItem with versions and migrations)',
  offscreen: 'Chrome only: an offscreen document hosts the estimator Web Worker (a service worker cannot start one)',
  alarms: 'refreshing watched markets on a schedule while the service worker sleeps',
  notifications: 'telling the user when a watched market gets a liquidation pool close to price',
  activeTab: 'the popup reading the market of the tab it was opened on, only when the user clicks it',
};

/** Permissions that would reach far beyond what the extension does; none may appear. */
const FORBIDDEN_PERMISSIONS = [
  '<all_urls>',
  'tabs',
  'history',
  'cookies',
  'webRequest',
  'webRequestBlocking',
  'declarativeNetRequest',
  'scripting',
  'debugger',
  'management',
  'downloads',
  'bookmarks',
  'clipboardRead',
  'clipboardWrite',
  'nativeMessaging',
  'identity',
  'geolocation',
  'privacy',
  'proxy',
  'webNavigation',
  'unlimitedStorage',
];

/**
 * The exchanges' public market-data API hosts (the background's only HTTP peers), and
 * Hyperliquid's public leaderboard (the accounts of the real-positions layer; justified in
 * docs/privacy-hyperliquid-positions.md).
 */
const API_HOSTS = ['fapi.binance.com', 'api.bybit.com', 'www.okx.com', 'api.bitget.com', 'api.hyperliquid.xyz', 'stats-data.hyperliquid.xyz'];
/** The five trading sites whose futures pages get the panel. */
const SITE_HOSTS = ['www.binance.com', 'www.bybit.com', 'www.okx.com', 'www.bitget.com', 'app.hyperliquid.xyz'];

/** Top-level manifest keys the extension may declare (anything else needs a reason added here). */
const ALLOWED_KEYS = new Set([
  'manifest_version',
  'name',
  'description',
  'version',
  'version_name',
  'icons',
  'permissions',
  'host_permissions',
  'optional_permissions',
  'content_security_policy',
  'background',
  'action',
  'browser_action',
  'content_scripts',
  'options_ui',
  'options_page',
  // Keyboard shortcut to show or hide the panel.
  'commands',
  'browser_specific_settings',
  // The content script's later code, imported by the content script on the trading sites only.
  'web_accessible_resources',
  'default_locale',
  'minimum_chrome_version',
]);

interface Manifest {
  readonly manifest_version: number;
  readonly permissions?: readonly string[];
  readonly optional_permissions?: readonly string[];
  readonly host_permissions?: readonly string[];
  readonly content_security_policy?: string | { readonly extension_pages?: string; readonly sandbox?: string };
  readonly content_scripts?: readonly { readonly matches: readonly string[]; readonly js?: readonly string[] }[];
  readonly web_accessible_resources?: readonly (string | { readonly resources: readonly string[]; readonly matches?: readonly string[]; readonly use_dynamic_url?: boolean })[];
  readonly externally_connectable?: unknown;
  readonly [key: string]: unknown;
}

const BUILDS = [
  { name: 'Chrome (MV3)', dir: join(REPO_ROOT, '.output/chrome-mv3'), required: true },
  { name: 'Firefox (MV2)', dir: join(REPO_ROOT, '.output/firefox-mv2'), required: false },
];

function readBuild(dir: string): Manifest {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` (npm test builds before testing)`);
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

function filesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesOf(path) : [path];
  });
}

function hostOf(pattern: string): string {
  const match = /^https:\/\/([^/*]+)\//.exec(pattern);
  if (!match) throw new Error(`not an https pattern with a fixed host: ${pattern}`);
  return match[1]!;
}

function scriptSrc(csp: string): string[] {
  const directive = csp
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith('script-src ') || d === 'script-src');
  return directive ? directive.split(/\s+/).slice(1) : [];
}

for (const build of BUILDS) {
  const present = existsSync(join(build.dir, 'manifest.json'));
  if (!build.required && !present) continue;

  describe(`built manifest: ${build.name}`, () => {
    const manifest = readBuild(build.dir);
    const mv3 = manifest.manifest_version === 3;
    // MV2 lists host patterns among the permissions.
    const apiPermissions = (manifest.permissions ?? []).filter((p) => !p.includes('://'));
    const hostPermissions = mv3 ? (manifest.host_permissions ?? []) : (manifest.permissions ?? []).filter((p) => p.includes('://'));

    it('asks only for permissions with a stated use', () => {
      for (const permission of [...apiPermissions, ...(manifest.optional_permissions ?? [])]) {
        expect(Object.keys(ALLOWED_PERMISSIONS), `permission '${permission}' has no stated use`).toContain(permission);
      }
      for (const permission of FORBIDDEN_PERMISSIONS) expect(apiPermissions).not.toContain(permission);
      expect(apiPermissions).toContain('storage');
      if (!mv3) expect(apiPermissions).not.toContain('offscreen');
    });

    it('no <all_urls> or wildcard host anywhere in the manifest', () => {
      const text = JSON.stringify(manifest);
      expect(text).not.toContain('<all_urls>');
      expect(text).not.toMatch(/\*:\/\//);
      expect(text).not.toMatch(/https?:\/\/\*/);
      expect(text).not.toMatch(/http:\/\//);
    });

    it('host permissions: the exchanges’ API hosts only, over https', () => {
      expect(hostPermissions.length).toBeGreaterThan(0);
      for (const pattern of hostPermissions) expect(API_HOSTS, pattern).toContain(hostOf(pattern));
      expect(new Set(hostPermissions.map(hostOf))).toEqual(new Set(API_HOSTS));
    });

    it('no host permission for the liquidation websockets: a WebSocket is not subject to CORS, so none is needed', () => {
      // fstream.binance.com (forceOrder), stream.bybit.com (allLiquidation), ws.okx.com (liquidation-orders).
      expect(LIQUIDATION_STREAM_HOSTS).toEqual(['fstream.binance.com', 'stream.bybit.com', 'ws.okx.com']);
      for (const host of LIQUIDATION_STREAM_HOSTS) expect(hostPermissions.map(hostOf), host).not.toContain(host);
    });

    it('content scripts run on the five trading sites only', () => {
      const matches = (manifest.content_scripts ?? []).flatMap((c) => c.matches);
      expect(matches.length).toBeGreaterThan(0);
      for (const pattern of matches) expect(SITE_HOSTS, pattern).toContain(hostOf(pattern));
      expect(new Set(matches.map(hostOf))).toEqual(new Set(SITE_HOSTS));
    });

    it('web pages cannot message the extension; only the content script chunks are web-accessible, on the trading sites only', () => {
      expect(manifest.externally_connectable).toBeUndefined();
      const entries = manifest.web_accessible_resources ?? [];
      expect(entries.length).toBeGreaterThan(0);
      const chunkFiles = filesOf(join(build.dir, 'content-chunks')).map((f) => relative(build.dir, f).split('\\').join('/'));
      expect(chunkFiles.length).toBeGreaterThan(0);
      for (const entry of entries) {
        // MV2 lists resources only; MV3 names the sites and serves them under a per-session address.
        const resources = typeof entry === 'string' ? [entry] : entry.resources;
        expect(resources).toEqual(['content-chunks/*.js']);
        if (mv3) {
          expect(typeof entry).toBe('object');
          const { matches, use_dynamic_url } = entry as { matches?: readonly string[]; use_dynamic_url?: boolean };
          expect(use_dynamic_url).toBe(true);
          expect(matches?.length).toBeGreaterThan(0);
          for (const pattern of matches ?? []) expect(pattern).toBe(`https://${hostOf(pattern)}/*`);
          expect(new Set((matches ?? []).map(hostOf))).toEqual(new Set(SITE_HOSTS));
        } else {
          expect(typeof entry).toBe('string');
        }
      }
      // Nothing else in the build matches the pattern: the folder holds the chunks only, all scripts.
      for (const file of chunkFiles) expect(file).toMatch(/^content-chunks\/[\w-]+\.js$/);
    });

    it('declares only known manifest keys', () => {
      for (const key of Object.keys(manifest)) expect([...ALLOWED_KEYS], `manifest key '${key}'`).toContain(key);
    });

    it('a CSP for extension pages: bundled scripts only, no eval, no inline or remote script', () => {
      const csp = typeof manifest.content_security_policy === 'string' ? manifest.content_security_policy : manifest.content_security_policy?.extension_pages;
      expect(csp, 'content_security_policy').toBeTypeOf('string');
      expect(csp).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-inline/);
      const sources = scriptSrc(csp!);
      expect(sources).toEqual(["'self'"]);
      expect(csp).toMatch(/object-src 'self'|object-src 'none'/);
    });

    it('the bundles hold no eval, no functions built from strings, and load no remote code', () => {
      const files = filesOf(build.dir).filter((f) => /\.(m?js|html)$/.test(f));
      expect(files.some((f) => f.endsWith('background.js'))).toBe(true);
      const problems: string[] = [];
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        const name = relative(build.dir, file);
        const checks: [RegExp, string][] = [
          [/(?<![\w$.])eval\s*\(/, 'eval('],
          [/\bnew\s+Function\s*\(/, 'new Function('],
          [/(?<![\w$.])Function\s*\(\s*["'`]/, 'Function("...")'],
          [/\bsetTimeout\s*\(\s*["'`]/, 'setTimeout with a string'],
          [/\bimportScripts\s*\(\s*["'`]https?:/, 'importScripts of a remote URL'],
          [/\bimport\s*\(\s*["'`]https?:/, 'import() of a remote URL'],
          [/<script[^>]+src\s*=\s*["']?(https?:)?\/\//i, 'remote <script src>'],
          [/\.src\s*=\s*["'`]https?:\/\/[^"'`]*\.m?js\b/, 'script element with a remote .js'],
        ];
        for (const [pattern, what] of checks) if (pattern.test(text)) problems.push(`${name}: ${what}`);
      }
      expect(problems).toEqual([]);
    });
  });
}
