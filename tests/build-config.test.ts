/**
 * The build configuration per browser: Chrome hosts the estimator worker in an offscreen
 * document and asks for that permission; Firefox starts the worker from its background page and
 * must not ask for it. The estimator is bundled as a module worker.
 */
import { describe, expect, it } from 'vitest';
import type { ConfigEnv, UserManifest } from 'wxt';
import config, { FIREFOX_ADDON_ID } from '../wxt.config';

function env(browser: string): ConfigEnv {
  return { browser, command: 'build', mode: 'production', manifestVersion: browser === 'firefox' ? 2 : 3 };
}

async function manifestFor(browser: string): Promise<UserManifest> {
  const manifest = config.manifest;
  if (typeof manifest !== 'function') throw new Error('the manifest is expected to depend on the browser');
  return manifest(env(browser));
}

describe('build configuration', () => {
  it('asks for the offscreen permission in Chrome only; alarms and notifications (alerts) in both', async () => {
    expect((await manifestFor('chrome')).permissions).toEqual(['storage', 'alarms', 'notifications', 'offscreen']);
    const firefox = await manifestFor('firefox');
    expect(firefox.permissions).toEqual(['storage', 'alarms', 'notifications']);
    expect(firefox.host_permissions).toEqual((await manifestFor('chrome')).host_permissions);
  });

  it('gives the Firefox build a fixed add-on id and the first ESR with module workers as minimum', async () => {
    expect((await manifestFor('firefox')).browser_specific_settings).toEqual({ gecko: { id: FIREFOX_ADDON_ID, strict_min_version: '115.0' } });
    // An id both Firefox and the add-on store accept: user@domain-like or a braced UUID.
    expect(FIREFOX_ADDON_ID).toMatch(/^[a-z0-9-._]*@[a-z0-9-._]+$/i);
    expect((await manifestFor('chrome')).browser_specific_settings).toBeUndefined();
  });

  it('bundles workers as ES modules', async () => {
    const vite = config.vite;
    if (typeof vite !== 'function') throw new Error('vite config is expected to be a function');
    const resolved = await vite(env('chrome'));
    expect(resolved.worker?.format).toBe('es');
  });
});
