/**
 * The set-up step before `npm start` and `npm test` (scripts/ensure-setup.mjs): what it decides
 * from the machine's state (node_modules against package-lock.json, the browsers, root or not,
 * Debian or not) and that it runs what it printed, in order, and stops at the first failure.
 * The file system and the commands are injected: nothing here installs anything.
 */
import { describe, expect, it } from 'vitest';
import { dependencyState, isDebianLike, planSetup, runSetup, type SetupFs, type SetupStep } from '../scripts/ensure-setup.mjs';

const ROOT = '/repo';
const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nID=debian\n';
const UBUNTU = 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n';
const FEDORA = 'NAME="Fedora Linux"\nID=fedora\n';

const LOCK = { packages: { '': { name: 'liqlens' }, 'node_modules/vitest': { version: '4.1.12' }, 'node_modules/fsevents': { version: '2.3.3', optional: true } } };
const INSTALLED = { packages: { 'node_modules/vitest': { version: '4.1.12' } } };

interface Entry {
  readonly content?: string;
  readonly mtimeMs?: number;
  readonly dir?: boolean;
  readonly executable?: boolean;
  readonly linkTo?: string;
}

/** A file system of the entries given, no others. */
function fakeFs(entries: Record<string, Entry>): SetupFs {
  const get = (path: string): Entry => {
    const entry = entries[path];
    if (!entry) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return entry;
  };
  const stat = (path: string) => {
    const entry = get(path);
    return { mtimeMs: entry.mtimeMs ?? 0, isFile: () => !entry.dir, isSymbolicLink: () => entry.linkTo !== undefined };
  };
  return {
    existsSync: (path: string) => path in entries,
    statSync: stat,
    lstatSync: stat,
    readFileSync: (path: string) => get(path).content ?? '',
    realpathSync: (path: string) => get(path).linkTo ?? path,
    accessSync: (path: string) => {
      if (!get(path).executable) throw new Error(`EACCES: ${path}`);
    },
  } as unknown as SetupFs;
}

const lockFile = (mtimeMs = 100): Record<string, Entry> => ({ [`${ROOT}/package-lock.json`]: { content: JSON.stringify(LOCK), mtimeMs } });
const installed = (mtimeMs = 200, packages: unknown = INSTALLED): Record<string, Entry> => ({
  [`${ROOT}/node_modules`]: { dir: true },
  [`${ROOT}/node_modules/.package-lock.json`]: { content: JSON.stringify(packages), mtimeMs },
});
const browsers = { '/usr/bin/chromium': { executable: true }, '/usr/bin/firefox-esr': { executable: true } };

function plan(entries: Record<string, Entry>, options: { command?: 'start' | 'test'; uid?: number; osRelease?: string; env?: Record<string, string> } = {}): SetupStep[] {
  return planSetup({ command: options.command ?? 'test', root: ROOT, env: options.env ?? {}, fs: fakeFs(entries), uid: options.uid ?? 0, osRelease: options.osRelease ?? DEBIAN });
}

describe('dependencies', () => {
  it('installs with npm ci when node_modules is missing', () => {
    expect(dependencyState(ROOT, fakeFs(lockFile())).state).toBe('missing');
    const [deps] = plan({ ...lockFile(), ...browsers });
    expect(deps).toMatchObject({ kind: 'run', commands: [['npm', 'ci']] });
    expect(deps!.line).toContain('node_modules is missing');
  });

  it('leaves node_modules newer than the lock file alone', () => {
    expect(plan({ ...lockFile(100), ...installed(200), ...browsers })[0]).toMatchObject({ kind: 'ok' });
  });

  it('reinstalls when the lock file is newer and locks another version', () => {
    const old = { packages: { 'node_modules/vitest': { version: '4.0.0' } } };
    const [deps] = plan({ ...lockFile(300), ...installed(200, old), ...browsers });
    expect(deps).toMatchObject({ kind: 'run', commands: [['npm', 'ci']] });
    expect(deps!.line).toContain('vitest 4.1.12 not installed');
  });

  it('reinstalls when an installed package is no longer locked', () => {
    const extra = { packages: { ...INSTALLED.packages, 'node_modules/left-pad': { version: '1.3.0' } } };
    expect(plan({ ...lockFile(300), ...installed(200, extra), ...browsers })[0]).toMatchObject({ kind: 'run', commands: [['npm', 'ci']] });
  });

  it('a newer lock file with the same packages (a fresh checkout) is up to date; optional packages of other platforms are not required', () => {
    expect(dependencyState(ROOT, fakeFs({ ...lockFile(300), ...installed(200) })).state).toBe('current');
  });

  it('reinstalls node_modules that npm did not write (no hidden lock file)', () => {
    const entries = { ...lockFile(), [`${ROOT}/node_modules`]: { dir: true }, ...browsers };
    expect(plan(entries)[0]).toMatchObject({ kind: 'run', commands: [['npm', 'ci']] });
  });

  it('never runs npm ci through a node_modules link to another checkout: it names the command', () => {
    const old = { packages: { 'node_modules/vitest': { version: '4.0.0' } } };
    const entries = { ...lockFile(300), ...installed(200, old), [`${ROOT}/node_modules`]: { dir: true, linkTo: '/main/node_modules' }, ...browsers };
    expect(plan(entries)[0]).toMatchObject({ kind: 'stop', command: '(cd /main && npm ci)' });
  });
});

describe('browsers', () => {
  const ready = { ...lockFile(), ...installed() };

  it('npm test needs Chromium and Firefox ESR, npm start Chromium only', () => {
    expect(plan({ ...ready, ...browsers }, { command: 'test' }).map((s) => s.line)).toEqual([
      'dependencies: node_modules is newer than package-lock.json',
      'Chromium: /usr/bin/chromium',
      'Firefox ESR: /usr/bin/firefox-esr',
    ]);
    const start = plan({ ...ready, '/usr/bin/chromium': { executable: true } }, { command: 'start' });
    expect(start.every((s) => s.kind === 'ok')).toBe(true);
    expect(start).toHaveLength(2);
  });

  it('as root on Debian: says what it installs, then apt-get update and install of the missing ones only', () => {
    const steps = plan({ ...ready, '/usr/bin/chromium': { executable: true } }, { uid: 0, osRelease: DEBIAN });
    expect(steps.at(-1)).toMatchObject({
      kind: 'run',
      commands: [['apt-get', 'update'], ['apt-get', 'install', '-y', 'firefox-esr']],
      check: ['/usr/bin/firefox-esr'],
    });
    expect(steps.at(-1)!.line).toBe('Firefox ESR (/usr/bin/firefox-esr) missing; installing with: apt-get update && apt-get install -y firefox-esr');
  });

  it('as root on Ubuntu (ID_LIKE=debian) too, both browsers in one install', () => {
    expect(plan(ready, { uid: 0, osRelease: UBUNTU }).at(-1)).toMatchObject({ kind: 'run', commands: [['apt-get', 'update'], ['apt-get', 'install', '-y', 'chromium', 'firefox-esr']] });
  });

  it('not root on Debian: stops with the one sudo command', () => {
    expect(plan(ready, { uid: 1000, osRelease: DEBIAN }).at(-1)).toMatchObject({ kind: 'stop', command: 'sudo apt-get update && sudo apt-get install -y chromium firefox-esr' });
  });

  it('elsewhere: stops, naming the variables that point at an installed browser', () => {
    const [, last] = plan({ ...ready }, { command: 'start', uid: 0, osRelease: FEDORA });
    expect(last).toMatchObject({ kind: 'stop', command: 'install Chromium, then: export LIQLENS_CHROMIUM=/path/to/chromium' });
  });

  it('LIQLENS_CHROMIUM is used when set, and a wrong one stops instead of installing another browser', () => {
    const env = { LIQLENS_CHROMIUM: '/opt/chrome/chrome' };
    expect(plan({ ...ready, '/opt/chrome/chrome': { executable: true } }, { command: 'start', env })[1]).toEqual({ kind: 'ok', line: 'Chromium: /opt/chrome/chrome' });
    expect(plan({ ...ready, ...browsers }, { command: 'start', env })[1]).toMatchObject({ kind: 'stop', command: 'unset LIQLENS_CHROMIUM' });
  });

  it('a file that is not executable counts as missing', () => {
    expect(plan({ ...ready, '/usr/bin/chromium': {} }, { command: 'start' })[1]).toMatchObject({ kind: 'run' });
  });

  it('reads Debian and Ubuntu from os-release, not other systems', () => {
    expect([DEBIAN, UBUNTU, 'ID="raspbian"\nID_LIKE="debian"\n', FEDORA, ''].map(isDebianLike)).toEqual([true, true, true, false, false]);
  });
});

describe('running the plan', () => {
  function run(steps: SetupStep[], entries: Record<string, Entry> = {}, failing?: string) {
    const ran: string[] = [];
    const lines: string[] = [];
    const code = runSetup(steps, {
      fs: fakeFs(entries),
      log: (line) => lines.push(line),
      exec: (file, args) => {
        const command = [file, ...args].join(' ');
        ran.push(command);
        if (command === failing) throw new Error('exit 100');
      },
    });
    return { code, ran, lines };
  }

  it('one line per step, the commands of each in order', () => {
    const steps = plan({ ...lockFile() }, { uid: 0 });
    const { code, ran, lines } = run(steps, browsers);
    expect(code).toBe(0);
    expect(ran).toEqual(['npm ci', 'apt-get update', 'apt-get install -y chromium firefox-esr']);
    expect(lines).toHaveLength(2);
    expect(lines.every((line) => line.startsWith('setup: '))).toBe(true);
  });

  it('stops at a failed command and runs nothing after it', () => {
    const { code, ran, lines } = run(plan({ ...lockFile() }, { uid: 0 }), browsers, 'apt-get update');
    expect(code).toBe(1);
    expect(ran).toEqual(['npm ci', 'apt-get update']);
    expect(lines.at(-1)).toContain('`apt-get update` failed');
    expect(lines.at(-1)).toContain('set LIQLENS_CHROMIUM / LIQLENS_FIREFOX');
  });

  it('stops at a stop step with its command, before later steps', () => {
    const steps = plan({ ...lockFile(), ...installed() }, { uid: 1000 });
    const { code, ran, lines } = run(steps);
    expect(code).toBe(1);
    expect(ran).toEqual([]);
    expect(lines.at(-1)).toBe('setup: Chromium (/usr/bin/chromium) and Firefox ESR (/usr/bin/firefox-esr) missing. Run:\n  sudo apt-get update && sudo apt-get install -y chromium firefox-esr');
  });

  it('fails when apt-get succeeded but the browser is still not there', () => {
    const { code, lines } = run(plan({ ...lockFile(), ...installed() }, { command: 'start', uid: 0 }), {});
    expect(code).toBe(1);
    expect(lines.at(-1)).toContain('/usr/bin/chromium is still missing');
  });
});
