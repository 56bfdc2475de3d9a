/**
 * A stock Firefox (Debian's firefox-esr) driven over WebDriver BiDi, with LiqLens installed as a
 * temporary add-on. Every https host goes through a local CONNECT proxy that tunnels the replay
 * server's hosts to it and refuses the rest, so nothing leaves the machine and every host the
 * browser tried to reach is on record.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReplayServer } from '../../test-support/replay-server/index';
import { BidiConnection } from './bidi';
import { type ConnectProxy, startConnectProxy } from './connect-proxy';
import { readManifest } from './harness';

const FIREFOX = process.env['LIQLENS_FIREFOX'] ?? '/usr/bin/firefox-esr';

export interface FirefoxSession {
  readonly bidi: BidiConnection;
  /** The add-on id Firefox reports for the installed extension. */
  readonly extensionId: string;
  /** `moz-extension://<uuid>` of the installed extension. */
  readonly extensionOrigin: string;
  /** Every host the browser asked the proxy for, in order. */
  readonly proxied: ConnectProxy['requests'];
  /** A new tab's browsing context id. */
  newTab(): Promise<string>;
  /** Navigates and waits for the load event. */
  navigate(context: string, url: string): Promise<void>;
  /** Waits until `expression` (in the page) gives a value other than false/null/undefined. */
  waitFor<T>(context: string, expression: string, timeoutMs?: number): Promise<T>;
  /** Firefox's own output so far (console messages of extension pages included), for failures. */
  log(): string;
  close(): Promise<void>;
}

export interface FirefoxOptions {
  readonly extensionDir: string;
  readonly server: ReplayServer;
}

/** Preferences for a quiet, test-only profile: no updates, telemetry or other background traffic. */
function userPrefs(proxyPort: number, addonId: string, uuid: string): Record<string, string | number | boolean> {
  return {
    'network.proxy.type': 1,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': proxyPort,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': proxyPort,
    'network.proxy.no_proxies_on': '',
    'network.trr.mode': 5,
    'network.dns.disablePrefetch': true,
    'network.prefetch-next': false,
    'network.predictor.enabled': false,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'network.http.speculative-parallel-limit': 0,
    // The moz-extension:// origin, fixed so the test can open the extension's pages.
    'extensions.webextensions.uuids': JSON.stringify({ [addonId]: uuid }),
    'extensions.update.enabled': false,
    'extensions.getAddons.cache.enabled': false,
    'extensions.blocklist.enabled': false,
    'app.update.enabled': false,
    'app.normandy.enabled': false,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'browser.safebrowsing.downloads.enabled': false,
    'browser.safebrowsing.blockedURIs.enabled': false,
    'browser.safebrowsing.provider.mozilla.updateURL': '',
    'browser.shell.checkDefaultBrowser': false,
    'browser.startup.page': 0,
    'browser.startup.homepage': 'about:blank',
    'browser.newtabpage.enabled': false,
    'browser.newtabpage.activity-stream.feeds.system.topstories': false,
    'browser.newtabpage.activity-stream.feeds.snippets': false,
    'browser.topsites.contile.enabled': false,
    'browser.search.update': false,
    'browser.ping-centre.telemetry': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'datareporting.healthreport.uploadEnabled': false,
    'toolkit.telemetry.enabled': false,
    'toolkit.telemetry.server': '',
    'messaging-system.rsexperimentloader.enabled': false,
    'identity.fxaccounts.enabled': false,
    'media.gmp-manager.updateEnabled': false,
    'security.OCSP.enabled': 0,
    // Console messages of extension pages (background included) go to stdout: a failure shows them.
    'devtools.console.stdout.chrome': true,
    'devtools.console.stdout.content': true,
  };
}

/** Fails with how to install Firefox when it is missing (CI installs it; a missing browser is never skipped). */
export function assertFirefoxInstalled(path = FIREFOX): void {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(
      `Firefox is not installed at ${path}. The Firefox browser test needs it: apt-get install -y firefox-esr ` +
        '(.ci/run does this), or set LIQLENS_FIREFOX to another Firefox (138 or later).',
    );
  }
}

/** Starts Firefox and waits for its "WebDriver BiDi listening on ws://..." line. */
async function startFirefox(profile: string, output: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(FIREFOX, ['--headless', '--no-remote', '--remote-debugging-port=0', '--remote-allow-system-access', '--profile', profile, 'about:blank'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1', MOZ_DISABLE_NONLOCAL_CONNECTIONS: '1' },
  });
  // Its output is kept for the whole run (a failing test prints it).
  let onOutput = (): void => {};
  const keep = (chunk: Buffer): void => {
    output.push(String(chunk));
    onOutput();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Firefox did not open its BiDi port within 30 s:\n${output.join('')}`)), 30_000);
    onOutput = () => {
      const match = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(output.join(''));
      if (match?.[1]) {
        clearTimeout(timer);
        onOutput = () => {};
        resolve(match[1]);
      }
    };
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Firefox exited (${String(code)}) before opening its BiDi port:\n${output.join('')}`));
    });
  });
  return { child, url };
}

export async function launchFirefox(options: FirefoxOptions): Promise<FirefoxSession> {
  assertFirefoxInstalled();
  const { server } = options;
  const served = new Set(server.hosts);
  const proxy = await startConnectProxy((host) => (served.has(host) ? server.port : undefined));
  const profile = mkdtempSync(join(tmpdir(), 'liqlens-firefox-'));
  const uuid = randomUUID();
  const prefs = userPrefs(proxy.port, declaredAddonId(options.extensionDir), uuid);
  writeFileSync(join(profile, 'user.js'), Object.entries(prefs).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});\n`).join(''));
  const output: string[] = [];
  let child: ChildProcess | undefined;
  let bidi: BidiConnection | undefined;
  const cleanup = async (): Promise<void> => {
    if (bidi) {
      await bidi.send('browser.close', {}).catch(() => {});
      bidi.close();
    }
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      const timer = setTimeout(() => child?.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await proxy.close();
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    const started = await startFirefox(profile, output);
    child = started.child;
    bidi = await BidiConnection.connect(`${started.url}/session`);
    // The replay server's certificate is self-signed.
    await bidi.send('session.new', { capabilities: { alwaysMatch: { acceptInsecureCerts: true } } });
    const { extension } = await bidi.send('webExtension.install', { extensionData: { type: 'path', path: options.extensionDir } });
    const connection = bidi;
    const session: FirefoxSession = {
      bidi: connection,
      extensionId: extension,
      extensionOrigin: `moz-extension://${uuid}`,
      proxied: proxy.requests,
      async newTab() {
        return (await connection.send('browsingContext.create', { type: 'tab' })).context;
      },
      async navigate(context, url) {
        await connection.send('browsingContext.navigate', { context, url, wait: 'complete' });
      },
      async waitFor<T>(context: string, expression: string, timeoutMs = 30_000): Promise<T> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const value = await connection.evaluateJson<T | false | null>(context, `(${expression}) ?? null`);
          if (value !== false && value !== null) return value;
          if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      },
      log: () => output.join(''),
      close: cleanup,
    };
    return session;
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** The add-on id a built Firefox extension declares. */
export function declaredAddonId(extensionDir: string): string {
  const id = readManifest(extensionDir).browser_specific_settings?.gecko?.id;
  if (!id) throw new Error(`${extensionDir}/manifest.json declares no browser_specific_settings.gecko.id`);
  return id;
}
