/**
 * The store packages `npm run zip` writes to .output/ (npm test runs it before the tests): the
 * Chrome Web Store zip, the addons.mozilla.org zip and the sources zip AMO asks for. Each holds
 * what its store reads (a manifest at the root with package.json's version, the icons, every file
 * the manifest names) and nothing of the test set-up (test pages, the replay server, tests, source maps).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIREFOX_ADDON_ID } from '../wxt.config';
import { REPO_ROOT } from './support/recorded';
import { readZip, type ZipArchive } from './support/zip-archive';

const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function archive(kind: 'chrome' | 'firefox' | 'sources'): ZipArchive {
  const path = join(REPO_ROOT, '.output', `liqlens-${VERSION}-${kind}.zip`);
  try {
    return readZip(path);
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}. Run \`npm run zip\` (npm test does) first.`, { cause: error });
  }
}

/** Paths of test code, test pages and the replay server, in an archive or in a built file. */
const TEST_PATH = /(^|\/)(tests?|e2e|test-support|replay-server|__tests__)\/|\.(test|spec)\.[cm]?[jt]sx?$/;
/** Markers only the test set-up contains: the replay server's control path and module names. */
const TEST_CODE = ['/__replay/', 'replay-server', 'e2e/pages', 'fake-indexeddb', 'playwright'];

interface Manifest {
  manifest_version: number;
  name: string;
  version: string;
  icons?: Record<string, string>;
  action?: { default_popup?: string; default_icon?: Record<string, string> };
  browser_action?: { default_popup?: string; default_icon?: Record<string, string> };
  options_ui?: { page: string };
  background?: { service_worker?: string; scripts?: string[]; page?: string };
  content_scripts?: { js?: string[]; css?: string[] }[];
  browser_specific_settings?: { gecko?: { id?: string } };
}

function manifestOf(zip: ZipArchive): Manifest {
  return JSON.parse(zip.read('manifest.json').toString('utf8')) as Manifest;
}

/** Every file the manifest names: icons, background, content scripts, popup, options page. */
function referencedFiles(manifest: Manifest): string[] {
  const action = manifest.action ?? manifest.browser_action;
  return [
    ...Object.values(manifest.icons ?? {}),
    ...Object.values(action?.default_icon ?? {}),
    ...(action?.default_popup ? [action.default_popup] : []),
    ...(manifest.options_ui ? [manifest.options_ui.page] : []),
    ...(manifest.background?.service_worker ? [manifest.background.service_worker] : []),
    ...(manifest.background?.scripts ?? []),
    ...(manifest.background?.page ? [manifest.background.page] : []),
    ...(manifest.content_scripts ?? []).flatMap((c) => [...(c.js ?? []), ...(c.css ?? [])]),
  ].map((file) => file.replace(/^\//, ''));
}

function expectStorePackage(zip: ZipArchive, manifestVersion: number): Manifest {
  const manifest = manifestOf(zip);
  expect(manifest.manifest_version).toBe(manifestVersion);
  expect(manifest.name).toBe('LiqLens');
  expect(manifest.version).toBe(VERSION);
  // Both stores show the 128 px icon; toolbars use the small ones.
  expect(Object.keys(manifest.icons ?? {}).sort()).toEqual(['128', '16', '32', '48']);
  const missing = referencedFiles(manifest).filter((file) => !zip.names.includes(file));
  expect(missing).toEqual([]);
  for (const icon of Object.values(manifest.icons ?? {})) expect(zip.read(icon).subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(zip.names.filter((name) => name.endsWith('.map'))).toEqual([]);
  expect(zip.names.filter((name) => TEST_PATH.test(name))).toEqual([]);
  for (const name of zip.names.filter((n) => /\.(js|html|json)$/.test(n))) {
    const text = zip.read(name).toString('utf8');
    if (text.includes('sourceMappingURL=')) expect.fail(`${name} points to a source map`);
    const marker = TEST_CODE.find((m) => text.includes(m));
    if (marker !== undefined) expect.fail(`${name} holds test code ("${marker}")`);
  }
  return manifest;
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .map((file) => join(dir, file))
    .filter((file) => statSync(join(REPO_ROOT, file)).isFile())
    .map((file) => relative('.', file).replaceAll('\\', '/'));
}

describe('store packages (npm run zip)', () => {
  it('the Chrome zip: an MV3 manifest with the package version, its icons and every file it names; no source maps or test code', () => {
    const zip = archive('chrome');
    const manifest = expectStorePackage(zip, 3);
    expect(manifest.background?.service_worker).toBe('background.js');
    expect(manifest.browser_specific_settings).toBeUndefined();
  });

  it('the Firefox zip: the same, as MV2 with the add-on id of wxt.config.ts', () => {
    const zip = archive('firefox');
    const manifest = expectStorePackage(zip, 2);
    expect(manifest.browser_specific_settings?.gecko?.id).toBe(FIREFOX_ADDON_ID);
    // Firefox starts the estimator from its background page: no offscreen document is shipped.
    expect(zip.names.filter((name) => name.includes('offscreen'))).toEqual([]);
  });

  it('the sources zip: what `npm ci && npm run build:firefox` needs, nothing of the tests, tools or installed packages', () => {
    const zip = archive('sources');
    for (const file of ['package.json', 'package-lock.json', 'wxt.config.ts', 'README.md', 'CHANGELOG.md', 'tsconfig.json', 'scripts/lib/content-chunks.ts']) {
      expect(zip.names, file).toContain(file);
    }
    expect(zip.read('package.json').toString('utf8')).toBe(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    // Every source file of the extension (the Chrome-only offscreen page is not built for Firefox).
    const sources = [...filesUnder('src'), ...filesUnder('entrypoints'), ...filesUnder('public')].filter(
      (file) => !TEST_PATH.test(file) && !file.startsWith('entrypoints/offscreen/'),
    );
    expect(sources.length).toBeGreaterThan(50);
    expect(sources.filter((file) => !zip.names.includes(file))).toEqual([]);
    const unwanted = /^(node_modules|\.output|\.wxt|\.git|\.ci|docs|bench|tests|e2e|test-support|demo-out|estimate-out)\/|^scripts\/[^/]+\.ts$|^scripts\/start\.mjs$/;
    expect(zip.names.filter((name) => unwanted.test(name) || TEST_PATH.test(name))).toEqual([]);
  });
});
