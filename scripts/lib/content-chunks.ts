/**
 * The content script's code beyond its first, tiny file: ES module chunks in the System.register
 * format, joined into one file that the first file imports once; the loader then links and runs
 * the chunks one by one, each in its own task, so no single step on the exchange's page is long
 * (a 120 KB classic script took 50-200 ms to compile and run in one task).
 *
 * One file: each `import()` of an extension file costs the page a task of a few milliseconds and
 * a round trip to the browser (21 chunks one after the other took 200-300 ms), while a module
 * file is parsed off the page's main thread whatever its size; its evaluation only registers the
 * chunks (no chunk's code runs yet).
 *
 * WXT builds each content script as one classic (IIFE) file; Chrome runs no ES module content
 * scripts. So the chunks are a separate Vite build, run before WXT builds the content script: the
 * content script learns the file and the chunks in dependency order (`__LIQLENS_CONTENT_CHUNKS__`),
 * and the file joins the output as a generated public file under `content-chunks/`,
 * web-accessible to the five trading sites only (see the manifest in wxt.config.ts).
 */
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { build, type InlineConfig, type Rollup } from 'vite';
import { SHARED_MODULE_NAMES, SHARED_MODULE_PREFIX } from '../../src/content/shared-module-names';

type OutputChunk = Rollup.OutputChunk;
type RollupOutput = Rollup.RollupOutput;

/** Output folder of the chunks, inside the extension. */
export const CONTENT_CHUNKS_DIR = 'content-chunks';
/** The module whose `start` the content script calls once every chunk is in. */
export const CONTENT_APP_ENTRY = fileURLToPath(new URL('../../src/content/app.ts', import.meta.url));
/** Name the content script's build gives the ordered chunk list (see src/content/loader.ts). */
export const CONTENT_CHUNKS_GLOBAL = '__LIQLENS_CONTENT_CHUNKS__';

/** The content script's later code, as the loader (src/content/loader.ts) receives it. */
export interface ContentChunkList {
  /** The file holding every chunk's registration (inside {@link CONTENT_CHUNKS_DIR}). */
  readonly file: string;
  /** Chunk names (as registered), each after every chunk it imports; the app's entry last. */
  readonly order: readonly string[];
  /**
   * Parts the page load does without (the field picker, the order check's engine), by the name of the chunk a chunk imports with
   * `import()`: each in a file of its own ({@link ON_DEMAND_PREFIX}), with the chunks it needs
   * beyond the first file's, in order, itself last.
   */
  readonly onDemand?: Readonly<Record<string, { readonly file: string; readonly order: readonly string[] }>>;
}

/**
 * Files of the parts loaded on demand start with this: they load only when needed (the field
 * picker when the user asks, the order check's engine once an order form is found), so they are
 * not counted as what every page load costs (scripts/lib/size-budget.ts).
 */
export const ON_DEMAND_PREFIX = 'on-demand-';

export interface ContentChunks extends ContentChunkList {
  readonly files: readonly { readonly fileName: string; readonly code: string }[];
}

/** The one file of {@link CONTENT_CHUNKS_DIR}. */
export const CONTENT_CHUNKS_FILE = 'panel.js';

/**
 * V8's explicit compile hint (Chrome 136+): every function of the file is compiled while the file
 * is parsed, off the page's main thread, instead of on its first call. Nearly all of the file runs
 * while the panel loads (its first render, the order form's first read), and those first calls
 * compiled Preact's diff and the panel on the exchange's main thread, in its longest tasks. Other
 * engines read it as a comment.
 */
export const EAGER_COMPILE_HINT = '//# allFunctionsCalledOnLoad';

/**
 * Groups modules into chunks small enough to link and run in well under 16 ms each on a slow
 * machine (about 10-15 KB minified). A module's group is the first pattern its path matches.
 */
const GROUPS: readonly [name: string, pattern: RegExp][] = [
  ['preact-hooks', /node_modules\/preact\/hooks\//],
  ['preact', /node_modules\/preact\//],
  // WXT's storage wrapper and the browser API object: settings and everything else use them.
  ['storage', /node_modules\/(@wxt-dev\/|superlock\/|wxt\/dist\/(browser|utils\/storage))/],
  ['wxt', /node_modules\/(wxt|@webext-core|@1natsu|defu|many-keys-map|is-potential-custom-element-name)\//],
  // The order check's engine, loaded on demand once an order form is found (src/ui/warnings/order-engine.ts):
  // the check, the risk engine and the real levels its findings cite; the margin engine and its
  // tier tables in a chunk of their own.
  ['order-check', /src\/(engine\/risk|sites\/check-order|ui\/warnings\/(order-check-engine|cite-real-levels)|data\/hyperliquid-positions\/order-notes)/],
  ['margin', /src\/engine\/margin\//],
  ['engine', /src\/engine\//],
  ['render-font', /src\/render\/bitmap-font/],
  ['render', /src\/render\//],
  ['live', /src\/(messaging\/live|worker\/)/],
  ['messaging', /src\/messaging\//],
  ['settings', /src\/settings\//],
  ['selectors', /src\/sites\/(selectors|adapters)\//],
  ['sites', /src\/sites\//],
  // Loaded on demand only ("Point to a field…"), so its own chunk.
  ['picker', /src\/ui\/warnings\/field-picker/],
  ['warnings-ui', /src\/ui\/warnings\/(field-status|finding-list|form-warning|manual-entry|panel-warnings|placement)/],
  ['warnings', /src\/ui\/warnings\//],
  ['chart', /src\/ui\/(panel\/(chart|hover)|HeatmapCanvas|put-rgba|same-heatmap)/],
  ['panel-parts', /src\/ui\/(panel\/|format|theme|estimate-client)/],
  ['panel-css', /src\/ui\/panel-css/],
  ['panel', /src\/ui\//],
];

/**
 * The import a chunk makes of a module the content script's first file holds (left out of the
 * chunks; the loader links the first file's copy), or undefined for any other module.
 * @example sharedImport('/repo/src/sites/page-url.ts') // 'liqlens:sites/page-url'
 */
export function sharedImport(id: string): string | undefined {
  const path = id.split('\\').join('/');
  const name = SHARED_MODULE_NAMES.find((n) => path.endsWith(`/src/${n}.ts`));
  return name && `${SHARED_MODULE_PREFIX}${name}`;
}

export function chunkOf(id: string): string | undefined {
  const path = id.split('\\').join('/');
  return GROUPS.find(([, pattern]) => pattern.test(path))?.[0];
}

/** Chunk file names in an order where each comes after the chunks it imports statically. */
export function dependencyOrder(chunks: readonly Pick<OutputChunk, 'fileName' | 'imports'>[], entry: string): string[] {
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  const order: string[] = [];
  const seen = new Set<string>();
  const visiting = new Set<string>();
  const visit = (name: string): void => {
    if (visiting.has(name)) throw new Error(`content chunks: ${name} imports itself through other chunks; regroup GROUPS`);
    if (seen.has(name)) return;
    seen.add(name);
    visiting.add(name);
    const chunk = byName.get(name);
    if (!chunk) throw new Error(`content chunks: ${name} is imported but was not built`);
    // The first file's modules (`liqlens:...`) are linked by the loader, not built here.
    for (const dependency of chunk.imports) if (!dependency.startsWith(SHARED_MODULE_PREFIX)) visit(dependency);
    visiting.delete(name);
    order.push(name);
  };
  visit(entry);
  return order;
}

export interface ContentChunksOptions {
  readonly root: string;
  readonly mode: string;
  readonly browser: string;
  readonly manifestVersion: 2 | 3;
  /** Minify (production builds); dev builds keep names readable. */
  readonly minify: boolean;
}

/** Builds the chunks in memory (nothing is written: WXT copies them into its output). */
export async function buildContentChunks(options: ContentChunksOptions): Promise<ContentChunks> {
  const config: InlineConfig = {
    configFile: false,
    root: options.root,
    mode: options.mode,
    logLevel: 'warn',
    publicDir: false,
    plugins: [preact()],
    // The same compile-time values WXT gives its own entrypoints (`wxt/utils` reads ENTRYPOINT to
    // name its per-content-script events and CSS file: these chunks belong to `content`).
    define: {
      'import.meta.env.ENTRYPOINT': JSON.stringify('content'),
      'import.meta.env.BROWSER': JSON.stringify(options.browser),
      'import.meta.env.MANIFEST_VERSION': JSON.stringify(options.manifestVersion),
      'import.meta.env.CHROME': JSON.stringify(options.browser === 'chrome'),
      'import.meta.env.FIREFOX': JSON.stringify(options.browser === 'firefox'),
      'process.env.NODE_ENV': JSON.stringify(options.mode),
    },
    build: {
      write: false,
      minify: options.minify,
      sourcemap: false,
      modulePreload: false,
      copyPublicDir: false,
      emptyOutDir: false,
      reportCompressedSize: false,
      rollupOptions: {
        input: { app: CONTENT_APP_ENTRY },
        preserveEntrySignatures: 'exports-only',
        external: (id, _importer, isResolved) => isResolved && sharedImport(id) !== undefined,
        makeAbsoluteExternalsRelative: false,
        output: {
          paths: (id) => sharedImport(id) ?? id,
          format: 'system',
          entryFileNames: `${CONTENT_CHUNKS_DIR}/[name].js`,
          chunkFileNames: `${CONTENT_CHUNKS_DIR}/[name].js`,
          manualChunks: chunkOf,
        },
      },
    },
  };
  const result = (await build(config)) as RollupOutput | RollupOutput[];
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
  const chunks = outputs.filter((o): o is OutputChunk => o.type === 'chunk');
  const entry = chunks.find((c) => c.isEntry);
  if (!entry) throw new Error('content chunks: the build has no entry chunk');
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  const nameOf = (fileName: string): string => fileName.slice(CONTENT_CHUNKS_DIR.length + 1);
  const ordered = dependencyOrder(chunks, entry.fileName);
  const order = ordered.map(nameOf);
  const registrations = ordered.map((name, i) => namedRegistration(byName.get(name)!.code, order[i]!));
  // The hint counts only as the file's first line.
  const code = [EAGER_COMPILE_HINT, ...registrations].join('\n');
  const files = [{ fileName: `${CONTENT_CHUNKS_DIR}/${CONTENT_CHUNKS_FILE}`, code }];
  const onDemand: Record<string, { file: string; order: string[] }> = {};
  const inFirstFile = new Set(ordered);
  for (const target of new Set(chunks.flatMap((c) => c.dynamicImports))) {
    if (inFirstFile.has(target)) continue;
    const own = dependencyOrder(chunks, target).filter((name) => !inFirstFile.has(name));
    const file = `${ON_DEMAND_PREFIX}${nameOf(target)}`;
    onDemand[nameOf(target)] = { file, order: dependencyOrder(chunks, target).map(nameOf) };
    const partCode = [EAGER_COMPILE_HINT, ...own.map((name) => namedRegistration(byName.get(name)!.code, nameOf(name)))].join('\n');
    files.push({ fileName: `${CONTENT_CHUNKS_DIR}/${file}`, code: partCode });
  }
  return { file: CONTENT_CHUNKS_FILE, order, ...(Object.keys(onDemand).length > 0 ? { onDemand } : {}), files };
}

/**
 * A chunk's registration named after its chunk (`System.register("app.js", [...], ...)`, the
 * named form of the System.register format), so that one file can hold them all; ends with a
 * semicolon so the next one can follow.
 * @example namedRegistration('System.register([], (function () { ... }));', 'app.js')
 * // 'System.register("app.js", [], (function () { ... }));'
 */
export function namedRegistration(code: string, name: string): string {
  const start = /^System\.register\(/m.exec(code);
  if (!start) throw new Error(`content chunks: ${name} is not in the System.register format`);
  if (code.indexOf('System.register(', start.index + 1) >= 0) throw new Error(`content chunks: ${name} registers more than once`);
  const at = start.index + start[0].length;
  const named = `${code.slice(0, at)}${JSON.stringify(name)},${code.slice(at)}`.trimEnd();
  return named.endsWith(';') ? named : `${named};`;
}
