/**
 * The order check's engine loaded on demand (./order-engine.ts): loading starts in idle time,
 * the check is there once the file is in, a failed load is said and tried again at once on the
 * next ask; and what the order check shows meanwhile (linkedom): the fields read and "loading",
 * or a clear note when the load failed.
 */
import { parseHTML } from 'linkedom';
import { render } from 'preact';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PlannedOrder } from '../../engine/types';
import { checkOrder } from '../../sites/check-order';
import { citeRealLevels } from './cite-real-levels';
import type { OrderFormReading } from '../../sites/types';
import type { CheckState } from './check-state';
import { FormWarning } from './form-warning';
import { type CheckModule, createOrderEngine } from './order-engine';
import { PanelWarnings } from './panel-warnings';

/** A promise and its resolve/reject, to hold a step until the test lets it go. */
function gate<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('createOrderEngine', () => {
  it('is loading from the first ask, imports only in idle time, then offers the check', async () => {
    const idle = gate<void>();
    const load = vi.fn(async (): Promise<CheckModule> => ({ checkOrder, citeRealLevels }));
    const onChange = vi.fn();
    const engine = createOrderEngine({ signal: new AbortController().signal, onChange, load, idle: () => idle.promise });
    expect(engine.status).toBe('unasked');
    engine.want();
    engine.want();
    expect(engine.status).toBe('loading');
    expect(engine.check).toBeUndefined();
    await flush();
    expect(load).not.toHaveBeenCalled();
    idle.resolve();
    await flush();
    expect(load).toHaveBeenCalledTimes(1);
    expect(engine.status).toBe('ready');
    expect(engine.check?.checkOrder).toBe(checkOrder);
    expect(onChange).toHaveBeenCalledTimes(1);
    engine.want();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('says a failed load and tries again at once on the next ask', async () => {
    const load = vi
      .fn<() => Promise<CheckModule>>()
      .mockRejectedValueOnce(new Error('Failed to fetch dynamically imported module'))
      .mockResolvedValueOnce({ checkOrder, citeRealLevels });
    const onChange = vi.fn();
    const idle = vi.fn(async () => {});
    const engine = createOrderEngine({ signal: new AbortController().signal, onChange, load, idle });
    engine.want();
    await flush();
    expect(engine.status).toBe('failed');
    expect(engine.check).toBeUndefined();
    expect(onChange).toHaveBeenCalledTimes(1);
    // Nothing is tried again until asked (no loop of failing imports).
    await flush();
    expect(load).toHaveBeenCalledTimes(1);
    engine.want();
    expect(engine.status).toBe('loading');
    await flush();
    expect(engine.status).toBe('ready');
    expect(engine.check?.checkOrder).toBe(checkOrder);
    // Idle time only for the first load; the retry follows a change the trader made.
    expect(idle).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenCalledTimes(2);
  });

  it('neither loads nor reports after the market changes', async () => {
    const controller = new AbortController();
    const idle = gate<void>();
    const load = vi.fn(async (): Promise<CheckModule> => ({ checkOrder, citeRealLevels }));
    const onChange = vi.fn();
    const engine = createOrderEngine({ signal: controller.signal, onChange, load, idle: () => idle.promise });
    engine.want();
    controller.abort();
    idle.reject(new Error('aborted'));
    await flush();
    expect(load).not.toHaveBeenCalled();
    expect(onChange).not.toHaveBeenCalled();
  });
});

describe('the order check while its engine is not in', () => {
  const { document } = parseHTML('<!doctype html><html><body><div id="root"></div></body></html>');
  const root = document.getElementById('root') as unknown as HTMLElement;
  beforeAll(() => {
    (globalThis as { document?: unknown }).document = document;
  });
  afterEach(() => render(null, root));

  const reading: OrderFormReading = { type: 'limit', entryFrom: 'limit-price', side: 'long', entry: 64_000, stop: 63_500 };
  const order: PlannedOrder = { side: 'long', entry: 64_000, stop: 63_500, exchange: 'binance', symbol: 'BTCUSDT' };
  const panel = (state: CheckState) =>
    render(<PanelWarnings reading={reading} state={state} dismissed={false} onDismiss={() => {}} onManual={() => {}} copy={async () => {}} />, root);

  it('shows the fields read and says the check is loading', () => {
    panel({ kind: 'check-loading', order });
    expect(root.querySelector('li[data-field="stop"]')?.getAttribute('data-read')).toBe('true');
    expect(root.querySelector('[data-state="check-loading"]')?.textContent).toContain('The order check is loading');
    expect(root.querySelector('[data-state="check-failed"]')).toBeNull();
    // Nothing beside the form for a moment's wait.
    render(<FormWarning state={{ kind: 'check-loading', order }} dismissed={false} onDismiss={() => {}} copy={async () => {}} />, root);
    expect(root.querySelector('.card')).toBeNull();
  });

  it('says clearly that a failed load left the order unchecked, in the panel and beside the form', () => {
    panel({ kind: 'check-failed', order });
    const note = root.querySelector('[data-state="check-failed"]');
    expect(note?.getAttribute('role')).toBe('alert');
    expect(note?.textContent).toContain('could not load: the order was not checked');
    expect(root.querySelector('li[data-field="stop"]')?.getAttribute('data-read')).toBe('true');
    render(<FormWarning state={{ kind: 'check-failed', order }} dismissed={false} onDismiss={() => {}} copy={async () => {}} />, root);
    expect(root.querySelector('.card[data-state="check-failed"]')?.textContent).toContain('this order was not checked');
  });
});
