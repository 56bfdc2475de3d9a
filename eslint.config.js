// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Node built-ins without the `node:` prefix (fs, path, ...), sub-paths included (fs/promises). */
const NODE_BUILTINS = builtinModules.filter((name) => !name.startsWith('_'));

/** Packages the pure code (engine, render) must never reach: network, storage, workers, UI, extension APIs. */
const FORBIDDEN_PACKAGES = ['ccxt', 'idb', 'comlink', 'preact', 'wxt', '@preact/*', '@wxt-dev/*'];

const pureImportPatterns = (extra = []) => [
  {
    group: FORBIDDEN_PACKAGES.flatMap((name) => [name, `${name}/**`]),
    message: 'Pure code must not depend on ccxt, idb, comlink, preact or wxt: pass data in from the caller.',
  },
  {
    group: ['node:*', ...NODE_BUILTINS.flatMap((name) => [name, `${name}/**`])],
    message: 'Pure code runs in the browser too: no Node built-ins.',
  },
  {
    group: ['**/entrypoints', '**/entrypoints/**', '**/ui', '**/ui/**'],
    message: 'Wrong-way import: the extension depends on the engine, never the reverse.',
  },
  ...extra,
];

const PURE_GLOBALS = [
  'window',
  'document',
  'chrome',
  'browser',
  'self',
  'navigator',
  'localStorage',
  'indexedDB',
  'fetch',
  'XMLHttpRequest',
  'Worker',
  'process',
  'require',
].map((name) => ({
  name,
  message: `\`${name}\` is not available to pure code (engine/render run in workers, the service worker and Node alike).`,
}));

/** Raw HTML sinks: build DOM nodes or use JSX instead. */
const NO_HTML_SINKS = [
  {
    selector: 'AssignmentExpression > MemberExpression.left[property.name=/^(innerHTML|outerHTML)$/]',
    message: 'Do not assign HTML strings (innerHTML/outerHTML); use textContent, DOM nodes or JSX.',
  },
  {
    selector: 'AssignmentExpression > MemberExpression.left[computed=true][property.value=/^(innerHTML|outerHTML)$/]',
    message: 'Do not assign HTML strings (innerHTML/outerHTML); use textContent, DOM nodes or JSX.',
  },
  {
    selector: 'CallExpression[callee.object.name="document"][callee.property.name=/^(write|writeln)$/]',
    message: 'document.write parses HTML strings; use DOM nodes or JSX.',
  },
  {
    selector: 'JSXAttribute[name.name="dangerouslySetInnerHTML"]',
    message: 'dangerouslySetInnerHTML injects HTML strings; render JSX instead.',
  },
  {
    // `Object.assign(el, { innerHTML })`, `h('div', { dangerouslySetInnerHTML })` and the like.
    selector: 'Property[key.name=/^(innerHTML|outerHTML|dangerouslySetInnerHTML|srcdoc)$/]',
    message: 'Do not pass HTML strings as properties (innerHTML/outerHTML/srcdoc); use textContent, DOM nodes or JSX.',
  },
  {
    selector: 'CallExpression[callee.property.name="setAttribute"][arguments.0.value=/^(srcdoc|on[a-z]+)$/i]',
    message: 'srcdoc and on* attributes run strings as HTML or code; use DOM nodes and addEventListener.',
  },
];

/** Methods and properties that parse HTML strings, read or written. */
const NO_HTML_PROPERTIES = [
  { property: 'insertAdjacentHTML', message: 'insertAdjacentHTML parses HTML strings; use DOM nodes or JSX.' },
  { property: 'setHTMLUnsafe', message: 'setHTMLUnsafe parses HTML strings; use DOM nodes or JSX.' },
  { property: 'createContextualFragment', message: 'createContextualFragment parses HTML strings; use DOM nodes or JSX.' },
  { property: 'parseHTMLUnsafe', message: 'parseHTMLUnsafe parses HTML strings; use DOM nodes or JSX.' },
];

export default defineConfig(
  {
    ignores: [
      '.output/**',
      '.wxt/**',
      'node_modules/**',
      'dist/**',
      'out/**',
      'coverage/**',
      'tmp/**',
      'e2e-artifacts/**',
      'screenshots/**',
      'estimate-out/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    rules: {
      'no-restricted-syntax': ['error', ...NO_HTML_SINKS],
      'no-restricted-properties': ['error', ...NO_HTML_PROPERTIES],
      // No code from strings: the extension's CSP forbids it, and fetched text must never run.
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  // Node-side code and tool configs.
  {
    files: ['**/*.{js,mjs,cjs}', 'scripts/**', 'tests/**', 'bench/**', '*.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  // Extension code: browser globals.
  {
    files: ['entrypoints/**', 'src/ui/**'],
    languageOptions: { globals: { ...globals.browser, ...globals.webextensions } },
  },
  // The engine: imports only its own files (relative paths inside src/engine).
  {
    files: ['src/engine/**/*.{ts,tsx,js,mjs}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: pureImportPatterns([
            {
              group: ['**/render', '**/render/**'],
              message: 'Wrong-way import: render depends on the engine, never the reverse.',
            },
            {
              regex: '^(?!\\.{1,2}(/|$))',
              message: 'The engine imports only its own files, by relative path.',
            },
          ]),
        },
      ],
      'no-restricted-globals': ['error', ...PURE_GLOBALS],
    },
  },
  // Raster code: pure like the engine, and may import the engine.
  {
    files: ['src/render/**/*.{ts,tsx,js,mjs}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: pureImportPatterns() }],
      'no-restricted-globals': ['error', ...PURE_GLOBALS],
    },
  },
);
