/**
 * The content script's loader: one file registers every chunk (named System.register calls),
 * then the chunks are linked and run in order, each importer seeing its imports' exports (also
 * ones exported later), and a missing chunk or an abort rejects.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_CHUNKS_DIR, CONTENT_CHUNKS_FILE, EAGER_COMPILE_HINT, namedRegistration, sharedImport } from '../scripts/lib/content-chunks';
import { SHARED_MODULE_NAMES, SHARED_MODULE_PREFIX } from '../src/content/shared-module-names';
import { SHARED_MODULES } from '../src/content/shared-modules';
import { REPO_ROOT } from './support/recorded';
import type { ChunkList, Registry } from '../src/content/loader';

type Loader = typeof import('../src/content/loader');

/** Each new task the loader waits for (see nextIdle). */
const tasks = vi.hoisted(() => ({ count: 0 }));
vi.mock('../src/content/idle', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/content/idle')>();
  return {
    nextIdle: (signal: AbortSignal) => {
      tasks.count++;
      return original.nextIdle(signal);
    },
  };
});
let loader: Loader;

beforeAll(async () => {
  // `wxt/browser` picks the runtime when first imported.
  vi.stubGlobal('chrome', { runtime: { id: 'test', getURL: (path: string) => `chrome-extension://test${path}` } });
  loader = await import('../src/content/loader');
});
afterAll(() => vi.unstubAllGlobals());

const registry = () => (globalThis as unknown as { System: Registry }).System;

/** Three chunks: `app.js` imports `b.js`, which imports `a.js` (whose `late` export comes when it runs). */
function registerChunks(log: string[], skip?: string): void {
  const system = registry();
  if (skip !== 'a.js') {
    system.register('a.js', [], (exportFn) => ({
      execute() {
        log.push('run a');
        exportFn('value', 1);
        exportFn({ late: 'set when a ran' });
      },
    }));
  }
  system.register('b.js', ['./a.js'], (exportFn) => {
    let a: Record<string, unknown> = {};
    return {
      setters: [(module) => (a = module)],
      execute() {
        log.push(`run b (a.value ${String(a['value'])})`);
        exportFn('double', () => Number(a['value']) * 2);
      },
    };
  });
  system.register('app.js', ['./b.js'], (exportFn) => {
    let b: Record<string, unknown> = {};
    return {
      setters: [(module) => (b = module)],
      execute() {
        log.push('run app');
        exportFn('start', () => (b['double'] as () => number)());
      },
    };
  });
}

const CHUNKS: ChunkList = { file: 'panel.js', order: ['a.js', 'b.js', 'app.js'] };

describe('loadContentApp', () => {
  it('imports the one file, then links and runs the chunks in order; resolves to the entry', async () => {
    const log: string[] = [];
    const urls: string[] = [];
    const app = await loader.loadContentApp(new AbortController().signal, CHUNKS, async (url) => {
      urls.push(url);
      registerChunks(log);
    });
    expect(urls).toEqual(['chrome-extension://test/content-chunks/panel.js']);
    expect(log).toEqual(['run a', 'run b (a.value 1)', 'run app']);
    expect((app as unknown as { start: () => number }).start()).toBe(2);
  });

  it('rejects when a chunk of the order did not register', async () => {
    const load = async () => registerChunks([], 'a.js');
    await expect(loader.loadContentApp(new AbortController().signal, CHUNKS, load)).rejects.toThrow('content chunk a.js did not register');
  });

  it('rejects when a chunk imports one that comes later in the order', async () => {
    const load = async () => registerChunks([]);
    await expect(loader.loadContentApp(new AbortController().signal, { file: 'panel.js', order: ['b.js', 'a.js', 'app.js'] }, load)).rejects.toThrow(
      'content chunk b.js needs ./a.js, which is not loaded before it',
    );
  });

  it('stops when aborted (the content script was invalidated) and runs nothing more', async () => {
    const log: string[] = [];
    const controller = new AbortController();
    const loading = loader.loadContentApp(controller.signal, CHUNKS, async () => {
      registerChunks(log);
      controller.abort(new Error('invalidated'));
    });
    await expect(loading).rejects.toThrow('invalidated');
    expect(log).toEqual([]);
  });

  it('runs the chunks in one task while they are quick, and starts a new task for each step once the task has run long enough', async () => {
    const quick = { log: [] as string[], tasks: 0 };
    tasks.count = 0;
    await loader.loadContentApp(new AbortController().signal, CHUNKS, async () => registerChunks(quick.log), () => 0);
    quick.tasks = tasks.count;
    // A task before the import, one after it for all the chunks, one to start the app in.
    expect(quick.tasks).toBe(3);

    const slow: string[] = [];
    let clock = 0;
    tasks.count = 0;
    await loader.loadContentApp(new AbortController().signal, CHUNKS, async () => registerChunks(slow), () => (clock += 5));
    // Before the import, linking and running each of the three chunks, starting the app.
    expect(tasks.count).toBe(1 + 2 * 3 + 1);
    expect(slow).toEqual(quick.log);
  });

  it("links a chunk's import of a module the first file holds to that module's exports", async () => {
    const shared = { 'sites/page-url': { parsePageUrl: () => 'from the first file' } };
    const app = await loader.loadContentApp(
      new AbortController().signal,
      { file: 'panel.js', order: ['app.js'] },
      async () => {
        registry().register('app.js', ['liqlens:sites/page-url'], (exportFn) => {
          let pageUrl: Record<string, unknown> = {};
          return { setters: [(module) => (pageUrl = module)], execute: () => void exportFn('start', () => (pageUrl['parsePageUrl'] as () => string)()) };
        });
      },
      undefined,
      shared,
    );
    expect((app.start as unknown as () => string)()).toBe('from the first file');
    // Without it, the import names a chunk that is not loaded.
    const missing = loader.loadContentApp(new AbortController().signal, { file: 'panel.js', order: ['app.js'] }, async () => {
      registry().register('app.js', ['liqlens:sites/page-url'], () => ({ setters: [() => {}] }));
    }, undefined, {});
    await expect(missing).rejects.toThrow('app.js needs liqlens:sites/page-url');
  });

  it("loads a part on demand when a chunk imports it: its own file once, its chunks linked to the first file's", async () => {
    const urls: string[] = [];
    const log: string[] = [];
    const chunks: ChunkList = { file: 'panel.js', order: ['a.js', 'app.js'], onDemand: { 'picker.js': { file: 'on-demand-picker.js', order: ['a.js', 'picker.js'] } } };
    const app = await loader.loadContentApp(new AbortController().signal, chunks, async (url) => {
      urls.push(url);
      if (url.endsWith('/panel.js')) {
        registry().register('a.js', [], (exportFn) => ({ execute: () => void (log.push('run a'), exportFn('value', 2)) }));
        registry().register('app.js', [], (exportFn, context) => ({ execute: () => void exportFn('start', () => context.import('./picker.js')) }));
      } else {
        registry().register('picker.js', ['./a.js'], (exportFn) => {
          let a: Record<string, unknown> = {};
          return { setters: [(module) => (a = module)], execute: () => void (log.push('run picker'), exportFn('pick', Number(a['value']) * 10)) };
        });
      }
    });
    expect(urls).toEqual(['chrome-extension://test/content-chunks/panel.js']);
    const open = app.start as unknown as () => Promise<Record<string, unknown>>;
    expect((await open())['pick']).toBe(20);
    expect((await open())['pick']).toBe(20);
    // The part's file once; the chunk the first file ran already is not run again.
    expect(urls).toEqual(['chrome-extension://test/content-chunks/panel.js', 'chrome-extension://test/content-chunks/on-demand-picker.js']);
    expect(log).toEqual(['run a', 'run picker']);
  });

  it('rejects the import of a part that is not loaded on demand', async () => {
    const app = await loader.loadContentApp(new AbortController().signal, { file: 'panel.js', order: ['app.js'] }, async () => {
      registry().register('app.js', [], (exportFn, context) => ({ execute: () => void exportFn('start', () => context.import('./other.js')) }));
    });
    await expect((app.start as unknown as () => Promise<unknown>)()).rejects.toThrow('other.js is not one of the parts loaded on demand');
  });

  it('rejects when the file fails to load', async () => {
    await expect(loader.loadContentApp(new AbortController().signal, CHUNKS, () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
  });
});

describe('namedRegistration', () => {
  it('names the registration after its chunk and ends it with a semicolon', () => {
    expect(namedRegistration('System.register([],(function(e){return{execute:function(){}}}))\n', 'app.js')).toBe(
      'System.register("app.js",[],(function(e){return{execute:function(){}}}));',
    );
    expect(namedRegistration('"use strict";\nSystem.register(["./a.js"], function () {});', 'b.js')).toBe('"use strict";\nSystem.register("b.js",["./a.js"], function () {});');
  });

  it('refuses code that is not one System.register call', () => {
    expect(() => namedRegistration('export const a = 1;', 'a.js')).toThrow('a.js is not in the System.register format');
    expect(() => namedRegistration('System.register([], f);\nSystem.register([], g);', 'a.js')).toThrow('a.js registers more than once');
  });
});

describe('the built chunks file (npm test builds before testing)', () => {
  const file = join(REPO_ROOT, '.output/chrome-mv3', CONTENT_CHUNKS_DIR, CONTENT_CHUNKS_FILE);

  it('opens with the eager compile hint on its own first line, then only named registrations', () => {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\``);
    const [first, ...rest] = readFileSync(file, 'utf8').split('\n');
    expect(first).toBe(EAGER_COMPILE_HINT);
    const registrations = rest.join('\n').match(/System\.register\("[\w-]+\.js",/g) ?? [];
    expect(registrations.length).toBeGreaterThan(1);
    expect(rest[0]).toMatch(/^System\.register\("[\w-]+\.js",/);
  });

  it('keeps the field picker out of the first file, in a file of its own with the same hint', () => {
    const picker = join(REPO_ROOT, '.output/chrome-mv3', CONTENT_CHUNKS_DIR, 'on-demand-picker.js');
    if (!existsSync(picker)) throw new Error(`${picker} is missing: run \`npm run build\``);
    expect(readFileSync(file, 'utf8')).not.toContain('liqlens-field-picker');
    const [first, second] = readFileSync(picker, 'utf8').split('\n');
    expect(first).toBe(EAGER_COMPILE_HINT);
    expect(second).toMatch(/^System\.register\("picker\.js",/);
    expect(readFileSync(picker, 'utf8')).toContain('liqlens-field-picker');
  });

  it("keeps the order check's engine (risk, margin tiers) out of the first file, in a file of its own the content script knows", () => {
    const part = join(REPO_ROOT, '.output/chrome-mv3', CONTENT_CHUNKS_DIR, 'on-demand-order-check.js');
    const content = join(REPO_ROOT, '.output/chrome-mv3/content-scripts/content.js');
    if (!existsSync(part)) throw new Error(`${part} is missing: run \`npm run build\``);
    const first = readFileSync(file, 'utf8');
    const code = readFileSync(part, 'utf8');
    // A phrase of the risk engine's findings (src/engine/risk.ts).
    const phrase = 'past the estimated liquidation price';
    expect(first).not.toContain(phrase);
    expect(code).toContain(phrase);
    expect(first).not.toMatch(/System\.register\("(order-check|margin)\.js",/);
    const [hint, ...rest] = code.split('\n');
    expect(hint).toBe(EAGER_COMPILE_HINT);
    const names = [...rest.join('\n').matchAll(/System\.register\("([\w-]+\.js)",/g)].map((m) => m[1]);
    // The margin engine before the check that imports it, the check (the import's target) last.
    expect(names).toEqual(['margin.js', 'order-check.js']);
    // The content script's chunk list names the file, so the loader can import it.
    expect(readFileSync(content, 'utf8')).toContain('on-demand-order-check.js');
  });

  it("imports the first file's modules by their shared name (no second copy), each one the loader lends", () => {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\``);
    const dependencies = [...readFileSync(file, 'utf8').matchAll(/System\.register\("[\w-]+\.js",(\[[^\]]*\])/g)].flatMap((m) => JSON.parse(m[1]!) as string[]);
    const shared = [...new Set(dependencies.filter((d) => !d.startsWith('./')))].sort();
    expect(shared).toContain('liqlens:sites/page-url');
    expect(shared).toEqual(shared.filter((d) => d.startsWith(SHARED_MODULE_PREFIX) && d.slice(SHARED_MODULE_PREFIX.length) in SHARED_MODULES));
  });
});

describe('sharedImport', () => {
  it("names a module of the first file's shared list, and no other", () => {
    expect(sharedImport('/repo/src/sites/page-url.ts')).toBe('liqlens:sites/page-url');
    expect(sharedImport('C:\\repo\\src\\content\\idle.ts')).toBe('liqlens:content/idle');
    expect(sharedImport('/repo/src/sites/read-form.ts')).toBeUndefined();
    expect(Object.keys(SHARED_MODULES).sort()).toEqual([...SHARED_MODULE_NAMES].sort());
  });
});
