#!/usr/bin/env node
// Runs before `npm start` and `npm test` (the "prestart" / "pretest" scripts) and brings a fresh
// clone to where those commands can run, with only Node and npm present:
//   1. dependencies: `npm ci` when node_modules is missing or does not hold what package-lock.json locks;
//   2. browsers: Chromium (and, for the tests, Firefox ESR) installed with apt-get when running as
//      root on Debian or Ubuntu, after saying what will be run; otherwise it stops with the command to run.
// One line of progress per step. It imports Node's built-ins only: it runs before any package is installed.
//
// Usage: node scripts/ensure-setup.mjs start|test
import { execFileSync } from 'node:child_process';
import * as nodeFs from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The browsers each command needs; the paths are the defaults of e2e/support/harness.ts and firefox.ts. */
export const BROWSERS = {
  chromium: { label: 'Chromium', env: 'LIQLENS_CHROMIUM', path: '/usr/bin/chromium', aptPackage: 'chromium' },
  firefox: { label: 'Firefox ESR', env: 'LIQLENS_FIREFOX', path: '/usr/bin/firefox-esr', aptPackage: 'firefox-esr' },
};

/** `npm start` drives Chromium only; `npm test` also runs the Firefox browser test. */
export function browsersFor(command) {
  return command === 'test' ? ['chromium', 'firefox'] : ['chromium'];
}

/**
 * Whether node_modules holds what package-lock.json locks. npm writes node_modules/.package-lock.json
 * (its "hidden lockfile") on every install; node_modules is stale when that file is missing, or is
 * older than package-lock.json and names other packages or versions (a checkout that only touched
 * the lock file's time leaves it up to date). Optional packages of other platforms are never installed.
 * @returns {{ state: 'missing' | 'stale' | 'current', reason: string }}
 */
export function dependencyState(root, fs = nodeFs) {
  const lockPath = join(root, 'package-lock.json');
  const modules = join(root, 'node_modules');
  const hiddenPath = join(modules, '.package-lock.json');
  if (!fs.existsSync(modules)) return { state: 'missing', reason: 'node_modules is missing' };
  if (!fs.existsSync(hiddenPath)) return { state: 'stale', reason: 'node_modules was not installed by npm from package-lock.json' };
  if (fs.statSync(hiddenPath).mtimeMs >= fs.statSync(lockPath).mtimeMs) return { state: 'current', reason: 'node_modules is newer than package-lock.json' };
  const locked = JSON.parse(fs.readFileSync(lockPath, 'utf8')).packages ?? {};
  const installed = JSON.parse(fs.readFileSync(hiddenPath, 'utf8')).packages ?? {};
  for (const [path, entry] of Object.entries(locked)) {
    if (path === '' || entry.optional || entry.link) continue;
    if (installed[path]?.version !== entry.version) return { state: 'stale', reason: `node_modules is older than package-lock.json (${path.replace(/^.*node_modules\//, '')} ${entry.version} not installed)` };
  }
  for (const [path, entry] of Object.entries(installed)) {
    if (locked[path]?.version !== entry.version) return { state: 'stale', reason: `node_modules is older than package-lock.json (${path.replace(/^.*node_modules\//, '')} is no longer locked)` };
  }
  return { state: 'current', reason: 'node_modules matches package-lock.json' };
}

/** Debian or Ubuntu (or a derivative of either), from /etc/os-release. */
export function isDebianLike(osRelease) {
  const field = (name) => (osRelease.match(new RegExp(`^${name}=["']?([^"'\\n]*)`, 'm'))?.[1] ?? '').toLowerCase();
  return [field('ID'), ...field('ID_LIKE').split(/\s+/)].some((id) => id === 'debian' || id === 'ubuntu');
}

/**
 * The steps to take, decided from the machine's state alone (nothing is run here).
 * Each step is { kind: 'ok', line } (already in place), { kind: 'run', line, commands } (run these)
 * or { kind: 'stop', line, command } (cannot be done here: the user runs `command`).
 */
export function planSetup({ command, root, env, fs = nodeFs, uid, osRelease }) {
  const steps = [];
  const deps = dependencyState(root, fs);
  const modulesLink = deps.state !== 'missing' && fs.lstatSync(join(root, 'node_modules')).isSymbolicLink();
  if (deps.state === 'current') {
    steps.push({ kind: 'ok', line: `dependencies: ${deps.reason}` });
  } else if (modulesLink) {
    // `npm ci` deletes node_modules first: never through a link to another checkout's folder.
    steps.push({ kind: 'stop', line: `dependencies: ${deps.reason}, and node_modules is a link to ${fs.realpathSync(join(root, 'node_modules'))}`, command: `(cd ${dirname(fs.realpathSync(join(root, 'node_modules')))} && npm ci)` });
  } else {
    steps.push({ kind: 'run', line: `dependencies: ${deps.reason}; installing the locked versions (npm ci)`, commands: [['npm', 'ci']] });
  }

  const missing = [];
  for (const name of browsersFor(command)) {
    const browser = BROWSERS[name];
    const path = env[browser.env] || browser.path;
    if (isExecutable(fs, path)) steps.push({ kind: 'ok', line: `${browser.label}: ${path}` });
    else if (env[browser.env]) steps.push({ kind: 'stop', line: `${browser.label}: ${browser.env}=${path} is not an executable`, command: `unset ${browser.env}` });
    else missing.push(browser);
  }
  if (missing.length > 0) {
    const packages = missing.map((b) => b.aptPackage);
    const labels = missing.map((b) => `${b.label} (${b.path})`).join(' and ');
    const install = `apt-get install -y ${packages.join(' ')}`;
    if (uid === 0 && isDebianLike(osRelease)) {
      steps.push({ kind: 'run', line: `${labels} missing; installing with: apt-get update && ${install}`, commands: [['apt-get', 'update'], ['apt-get', 'install', '-y', ...packages]], check: missing.map((b) => b.path) });
    } else if (isDebianLike(osRelease)) {
      steps.push({ kind: 'stop', line: `${labels} missing`, command: `sudo apt-get update && sudo ${install}` });
    } else {
      const vars = missing.map((b) => `${b.env}=/path/to/${b.aptPackage}`).join(' ');
      steps.push({ kind: 'stop', line: `${labels} missing (automatic install on Debian or Ubuntu only)`, command: `install ${missing.map((b) => b.label).join(' and ')}, then: export ${vars}` });
    }
  }
  return steps;
}

function isExecutable(fs, path) {
  try {
    fs.accessSync(path, nodeFs.constants.X_OK);
    return fs.statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Carries the plan out: prints one line per step, runs the commands of 'run' steps (their output
 * follows the line) and stops at the first 'stop' step. Returns the exit code.
 */
export function runSetup(steps, { exec, log, fs = nodeFs }) {
  for (const step of steps) {
    if (step.kind === 'ok') {
      log(`setup: ${step.line}`);
      continue;
    }
    if (step.kind === 'stop') {
      log(`setup: ${step.line}. Run:\n  ${step.command}`);
      return 1;
    }
    log(`setup: ${step.line}`);
    for (const [file, ...args] of step.commands) {
      try {
        exec(file, args);
      } catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        // Ubuntu ships no firefox-esr, and its chromium is a snap: another browser can stand in.
        const hint = file === 'apt-get' ? '; install the browser another way and set LIQLENS_CHROMIUM / LIQLENS_FIREFOX to its path' : '';
        log(`setup: \`${[file, ...args].join(' ')}\` failed (${reason})${hint}`);
        return 1;
      }
    }
    const absent = (step.check ?? []).filter((path) => !isExecutable(fs, path));
    if (absent.length > 0) {
      log(`setup: installed, but ${absent.join(' and ')} is still missing; set LIQLENS_CHROMIUM / LIQLENS_FIREFOX to the browser's path`);
      return 1;
    }
  }
  return 0;
}

function main() {
  const command = process.argv[2];
  if (command !== 'start' && command !== 'test') {
    console.error('usage: node scripts/ensure-setup.mjs start|test');
    return 2;
  }
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  let osRelease = '';
  try {
    osRelease = nodeFs.readFileSync('/etc/os-release', 'utf8');
  } catch {
    // Not Linux, or no os-release: no automatic browser install.
  }
  const steps = planSetup({ command, root, env: process.env, uid: process.getuid?.(), osRelease });
  return runSetup(steps, {
    log: (line) => console.log(line),
    exec: (file, args) => execFileSync(file, args, { cwd: root, stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }),
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main();
