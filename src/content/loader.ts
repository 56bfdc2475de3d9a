/**
 * Loads the content script's code after its first, tiny file: one chunk per idle moment of the
 * page, so each compile and each run is a short task of its own (scripts/lib/content-chunks.ts
 * builds the chunks and tells this file their order).
 *
 * Chrome serves the chunks only under a per-session address (`use_dynamic_url`) but resolves a
 * chunk's own `import './x.js'` against the extension's fixed address, which it then refuses. So
 * the chunks carry no ES imports: they are in the System.register format, and the few lines below
 * link them (each chunk's imports are chunks loaded before it; a later export reaches importers).
 */
import { browser } from 'wxt/browser';
import { nextIdle } from './idle';

/** Chunk files of `content-chunks/`, each after the chunks it imports; the app's entry last. */
declare const __LIQLENS_CONTENT_CHUNKS__: readonly string[];

export type ContentAppModule = typeof import('./app');

type Exports = Record<string, unknown>;
type ExportFn = (name: string | Exports, value?: unknown) => unknown;
interface Declared {
  readonly setters?: readonly (((module: Exports) => void) | null | undefined)[];
  readonly execute?: () => unknown;
}
type Declare = (exportFn: ExportFn, context: { readonly meta: { readonly url: string }; import(id: string): Promise<unknown> }) => Declared;
interface Registry {
  register(dependencies: readonly string[], declare: Declare): void;
}

/** A chunk's address (WXT types `getURL` for the files it knows; the chunks join the build later). */
function chunkUrl(chunk: string): string {
  const getURL = browser.runtime.getURL as (path: string) => string;
  return getURL(`/content-chunks/${chunk}`);
}

/**
 * Imports the chunks one by one, each compiled, linked and run in idle moments of their own; resolves
 * to the app's module. Rejects when `signal` aborts (the content script was invalidated) or a
 * chunk fails to load.
 */
export async function loadContentApp(signal: AbortSignal, chunks: readonly string[] = __LIQLENS_CONTENT_CHUNKS__): Promise<ContentAppModule> {
  const modules = new Map<string, { readonly exports: Exports; readonly importers: ((module: Exports) => void)[] }>();
  let registered: { dependencies: readonly string[]; declare: Declare } | undefined;
  // The chunks call `System.register(...)` as they are evaluated; this is the content script's
  // own global (its isolated world), which the page cannot see.
  (globalThis as unknown as { System: Registry }).System = {
    register(dependencies, declare) {
      registered = { dependencies, declare };
    },
  };
  let last: Exports = {};
  for (const chunk of chunks) {
    await nextIdle(signal);
    const url = chunkUrl(chunk);
    await import(/* @vite-ignore */ url);
    const registration = registered;
    registered = undefined;
    if (!registration) throw new Error(`content chunk ${chunk} did not register`);
    await nextIdle(signal);
    const module = { exports: {} as Exports, importers: [] as ((module: Exports) => void)[] };
    const exportFn: ExportFn = (name, value) => {
      if (typeof name === 'string') module.exports[name] = value;
      else Object.assign(module.exports, name);
      for (const importer of module.importers) importer(module.exports);
      return value;
    };
    const declared = registration.declare(exportFn, {
      meta: { url },
      import: () => Promise.reject(new Error('content chunks import each other statically only')),
    });
    registration.dependencies.forEach((dependency, i) => {
      const setter = declared.setters?.[i];
      const imported = modules.get(dependency.replace(/^\.\//, ''));
      if (!imported) throw new Error(`content chunk ${chunk} needs ${dependency}, which is not loaded before it`);
      if (!setter) return;
      imported.importers.push(setter);
      setter(imported.exports);
    });
    // Running the chunk's top level (its first calls compile its functions) is a task of its own too.
    await nextIdle(signal);
    await declared.execute?.();
    modules.set(chunk, module);
    last = module.exports;
  }
  return last as ContentAppModule;
}
