/**
 * Loads the content script's code after its first, tiny file: one file that registers every
 * chunk (scripts/lib/content-chunks.ts builds it and tells this file the chunks' order), imported
 * once and parsed off the page's main thread; then the chunks are linked and run in order, in
 * tasks of a few milliseconds, so no step on the exchange's page is long.
 *
 * Chrome serves the file only under a per-session address (`use_dynamic_url`) and resolves a
 * module's own `import './x.js'` against the extension's fixed address, which it then refuses. So
 * the chunks carry no ES imports: they are in the System.register format, each registration
 * named after its chunk, and the few lines below link them (each chunk's imports are chunks
 * before it in the order; a later export reaches importers).
 */
import { browser } from 'wxt/browser';
import { SLICE_MS } from '../ui/panel/next-task';
import { nextIdle } from './idle';
import { SHARED_MODULE_PREFIX } from './shared-module-names';
import { SHARED_MODULES } from './shared-modules';

/** A chunk's top level runs in the current task only while that task has run less than this. */
const EXECUTE_JOINS_UNDER_MS = 1;

/** The file of `content-chunks/` and its chunks, each after the chunks it imports; the app's entry last. */
declare const __LIQLENS_CONTENT_CHUNKS__: ChunkList;

export interface ChunkList {
  readonly file: string;
  readonly order: readonly string[];
  /**
   * Parts loaded only when a chunk imports them (`import()`), by the name of the chunk imported:
   * each its own file and its chunks in order (those of the first file among them are not run again).
   */
  readonly onDemand?: Readonly<Record<string, { readonly file: string; readonly order: readonly string[] }>>;
}

export type ContentAppModule = typeof import('./app');

type Exports = Record<string, unknown>;
type ExportFn = (name: string | Exports, value?: unknown) => unknown;
interface Declared {
  readonly setters?: readonly (((module: Exports) => void) | null | undefined)[];
  readonly execute?: () => unknown;
}
type Declare = (exportFn: ExportFn, context: { readonly meta: { readonly url: string }; import(id: string): Promise<unknown> }) => Declared;
/** What a chunk's evaluation calls: `System.register(name, dependencies, declare)`. */
export interface Registry {
  register(name: string, dependencies: readonly string[], declare: Declare): void;
}

/** Evaluates the chunks' file (in the browser: a dynamic import of its web-accessible address). */
export type FileImporter = (url: string) => Promise<unknown>;

/** An address inside `content-chunks/` (WXT types `getURL` for the files it knows; these join the build later). */
function chunkUrl(file: string): string {
  const runtime = browser.runtime as unknown as { getURL(path: string): string };
  return runtime.getURL(`/content-chunks/${file}`);
}

const importFile: FileImporter = (url) => import(/* @vite-ignore */ url);

/**
 * Imports the chunks' file, then links and runs the chunks in order: linking a chunk follows in
 * the same task while the task has run under {@link SLICE_MS}, running its top level while it has
 * run under a millisecond, else each in a new task. Most chunks take a fraction of a millisecond:
 * a task per step (two per chunk, some forty in all) cost more in waiting for the page's turn
 * than in work. The chunks' imports of the first file's own modules (`shared`, see
 * ./shared-module-names.ts) link to those. Resolves to the app's module. Rejects when `signal` aborts (the content script
 * was invalidated) or the file fails to load or misses a chunk.
 * @example const { start } = await loadContentApp(ctx.signal);
 */
export async function loadContentApp(
  signal: AbortSignal,
  chunks: ChunkList = __LIQLENS_CONTENT_CHUNKS__,
  load: FileImporter = importFile,
  now: () => number = () => performance.now(),
  shared: Readonly<Record<string, object>> = SHARED_MODULES,
): Promise<ContentAppModule> {
  const registered = new Map<string, { readonly dependencies: readonly string[]; readonly declare: Declare }>();
  // The file calls `System.register(...)` as it is evaluated; this is the content script's own
  // global (its isolated world), which the page cannot see.
  (globalThis as unknown as { System: Registry }).System = {
    register(name, dependencies, declare) {
      registered.set(name, { dependencies, declare });
    },
  };
  // The import starts in a task of its own, after the first file's.
  await nextIdle(signal);
  const url = chunkUrl(chunks.file);
  await load(url);
  let taskStart = Number.NEGATIVE_INFINITY;
  /** Continues in this task while it has run under `budgetMs`, else in a new one (always a new one first). */
  const nextStep = async (budgetMs: number): Promise<void> => {
    if (now() - taskStart < budgetMs) {
      if (signal.aborted) throw signal.reason as Error;
      return;
    }
    await nextIdle(signal);
    taskStart = now();
  };
  const modules = new Map<string, { readonly exports: Exports; readonly importers: ((module: Exports) => void)[] }>();
  // The first file's own modules, which the chunks import rather than carry a copy of.
  for (const [name, exports] of Object.entries(shared)) modules.set(`${SHARED_MODULE_PREFIX}${name}`, { exports: exports as Exports, importers: [] });
  /** Links and runs `order`'s chunks (those not run yet), each in a step; the last one's exports. */
  const run = async (order: readonly string[], fileUrl: string): Promise<Exports> => {
    let last: Exports = {};
    for (const chunk of order) {
      const done = modules.get(chunk);
      if (done) {
        last = done.exports;
        continue;
      }
      await nextStep(SLICE_MS);
      const registration = registered.get(chunk);
      if (!registration) throw new Error(`content chunk ${chunk} did not register`);
      const module = { exports: {} as Exports, importers: [] as ((module: Exports) => void)[] };
      const exportFn: ExportFn = (name, value) => {
        if (typeof name === 'string') module.exports[name] = value;
        else Object.assign(module.exports, name);
        for (const importer of module.importers) importer(module.exports);
        return value;
      };
      const declared = registration.declare(exportFn, { meta: { url: fileUrl }, import: (id) => importOnDemand(id.replace(/^\.\//, '')) });
      registration.dependencies.forEach((dependency, i) => {
        const setter = declared.setters?.[i];
        const imported = modules.get(dependency.replace(/^\.\//, ''));
        if (!imported) throw new Error(`content chunk ${chunk} needs ${dependency}, which is not loaded before it`);
        if (!setter) return;
        imported.importers.push(setter);
        setter(imported.exports);
      });
      // Running a chunk's top level (its first calls compile its functions) took up to 10 ms
      // (the engine's tables): it joins a task only while that task has run under a millisecond.
      await nextStep(EXECUTE_JOINS_UNDER_MS);
      await declared.execute?.();
      modules.set(chunk, module);
      registered.delete(chunk);
      last = module.exports;
    }
    return last;
  };
  /**
   * A chunk's `import()` of a part the page rarely needs (the field picker): its file is imported
   * when first asked for, then its chunks run like the others, in short steps.
   */
  const onDemandFiles = new Map<string, Promise<Exports>>();
  const importOnDemand = (name: string): Promise<Exports> => {
    const part = chunks.onDemand?.[name];
    if (!part) return Promise.reject(new Error(`content chunk ${name} is not one of the parts loaded on demand`));
    let loading = onDemandFiles.get(name);
    if (!loading) {
      const fileUrl = chunkUrl(part.file);
      loading = load(fileUrl).then(() => run(part.order, fileUrl));
      // A failed load may be tried again (the next click).
      loading.catch(() => onDemandFiles.delete(name));
      onDemandFiles.set(name, loading);
    }
    return loading;
  };
  const last = await run(chunks.order, url);
  // The caller starts the app in a task of its own, not in the one that ran the last chunk.
  await nextIdle(signal);
  return last as ContentAppModule;
}
