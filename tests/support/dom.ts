import { parseHTML } from 'linkedom';
import { render } from 'preact';
import { afterEach, beforeAll } from 'vitest';

/**
 * A linkedom document for a test file's Preact components: installed as the global `document`
 * before its tests, with `newRoot()` giving a root element in its body. Every root given is
 * un-rendered after each test, so effects and listeners of one test do not run into the next.
 */
export function installDom() {
  const { document, window } = parseHTML('<!doctype html><html><body></body></html>');
  const roots: HTMLElement[] = [];
  beforeAll(() => {
    (globalThis as { document?: unknown }).document = document;
  });
  afterEach(() => {
    for (const root of roots) render(null, root);
  });
  const newRoot = (): HTMLElement => {
    const root = document.createElement('div');
    document.body.appendChild(root);
    roots.push(root);
    return root;
  };
  return { document, window, newRoot };
}
