/**
 * The form watcher on a DOM without a browser (linkedom): it reads the form as inputs change,
 * finds it again after the page replaces it, and stops at the abort signal.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { afterEach, describe, expect, it } from 'vitest';
import { adapterFor } from '../src/sites/adapters';
import { type FormUpdate, watchOrderForm } from '../src/sites/form-watcher';

const PAGE = readFileSync(join(import.meta.dirname, '../e2e/pages/app.hyperliquid.xyz/trade/BTC.html'), 'utf8');

const adapter = adapterFor('hyperliquid');

/** The page's input for `role`, as the adapter finds it. */
function field(doc: Document, role: 'price' | 'size' | 'stop'): Element | null {
  return adapter.field(adapter.findForm(doc)!, role);
}

/** A window whose animation frames run on the next macrotask. */
function setup() {
  const { document, window } = parseHTML(PAGE);
  const win = Object.assign(window, {
    requestAnimationFrame: (fn: (t: number) => void) => setTimeout(() => fn(0), 0) as unknown as number,
    cancelAnimationFrame: (id: number) => clearTimeout(id),
  }) as unknown as Window & typeof globalThis;
  return { doc: document as unknown as Document, win };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
const controllers: AbortController[] = [];
afterEach(() => {
  for (const c of controllers.splice(0)) c.abort();
});

/** The Hyperliquid demo page watched until the test ends (or aborts it itself). */
function watchPage() {
  const { doc, win } = setup();
  const updates: FormUpdate[] = [];
  const controller = new AbortController();
  controllers.push(controller);
  const watcher = watchOrderForm({ adapter, signal: controller.signal, doc, win, onUpdate: (u) => updates.push(u) });
  return { doc, win, updates, controller, watcher };
}

describe('watchOrderForm', () => {
  it('reads the form at start and again after the user types', async () => {
    const { doc, win, updates } = watchPage();
    await tick();
    expect(updates).toHaveLength(1);
    expect(updates[0]!.reading).toMatchObject({ type: 'limit', leverage: 20 });

    const price = field(doc, 'price') as HTMLInputElement;
    price.value = '64000';
    price.dispatchEvent(new win.Event('input', { bubbles: true }));
    await tick();
    expect(updates.at(-1)!.reading).toMatchObject({ entry: 64_000 });
    expect(updates.at(-1)!.inputAt).toBeTypeOf('number');
  });

  it('does not report an unchanged reading twice', async () => {
    const { doc, win, updates } = watchPage();
    await tick();
    const size = field(doc, 'size')!;
    size.dispatchEvent(new win.Event('input', { bubbles: true }));
    await tick();
    expect(updates).toHaveLength(1);
  });

  it('finds the form again when the page replaces it, and reports a page without one', async () => {
    const { doc, updates, watcher } = watchPage();
    await tick();
    const form = adapter.findForm(doc)!;
    const copy = form.cloneNode(true) as Element;
    (adapter.field(copy, 'stop') as HTMLInputElement).value = '63000';
    // The page's own re-render: no call into the watcher, its observer notices the lost form.
    form.replaceWith(copy);
    await tick();
    expect(updates.at(-1)!.form).toBe(copy);
    expect(updates.at(-1)!.reading?.stop).toBe(63_000);

    copy.remove();
    watcher.refresh();
    await tick();
    expect(updates.at(-1)).toEqual({ form: null, reading: null });
  });

  it('searches a page without a form at most every 400 ms however often it changes, and finds the form once it comes', async () => {
    const { document, window } = parseHTML('<!doctype html><html><body><main></main></body></html>');
    const win = Object.assign(window, {
      requestAnimationFrame: (fn: (t: number) => void) => setTimeout(() => fn(0), 0) as unknown as number,
      cancelAnimationFrame: (id: number) => clearTimeout(id),
    }) as unknown as Window & typeof globalThis;
    const doc = document as unknown as Document;
    let searches = 0;
    const counted = { ...adapter, findForm: (root: ParentNode) => (searches++, adapter.findForm(root)) };
    const updates: FormUpdate[] = [];
    const controller = new AbortController();
    controllers.push(controller);
    watchOrderForm({ adapter: counted, signal: controller.signal, doc, win, onUpdate: (u) => updates.push(u) });
    const main = doc.querySelector('main')!;
    for (let i = 0; i < 20; i++) {
      main.append(doc.createElement('div'));
      await tick();
    }
    expect(searches).toBeGreaterThanOrEqual(1);
    expect(searches).toBeLessThanOrEqual(2);
    // The page renders its form.
    for (const node of [...setup().doc.body.childNodes]) main.append(doc.importNode(node, true));
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(updates.at(-1)!.form).not.toBeNull();
    expect(updates.at(-1)!.reading).toMatchObject({ type: 'limit', leverage: 20 });
  });

  it('stops at the abort signal', async () => {
    const { doc, win, updates, controller } = watchPage();
    await tick();
    controller.abort();
    const price = field(doc, 'price') as HTMLInputElement;
    price.value = '65000';
    price.dispatchEvent(new win.Event('input', { bubbles: true }));
    await tick();
    expect(updates).toHaveLength(1);
  });
});
