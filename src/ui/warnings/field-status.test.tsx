/**
 * The order check's list of what is read from the form (linkedom): every field read or not,
 * whether the warnings are live, "Point to the field" for the inputs not read, the fields taught
 * by pointing marked as such, and Forget.
 */
import { parseHTML } from 'linkedom';
import { render } from 'preact';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OrderFormReading } from '../../sites/types';
import type { TaughtReading } from '../../sites/user-fields/with-taught-fields';
import type { CheckState } from './check-state';
import { fieldStatuses } from './field-status';
import { PanelWarnings, type PanelWarningsProps } from './panel-warnings';

const { document, window } = parseHTML('<!doctype html><html><body><div id="root"></div></body></html>');
const root = document.getElementById('root') as unknown as HTMLElement;

beforeAll(() => {
  (globalThis as { document?: unknown }).document = document;
});

afterEach(() => {
  render(null, root);
});

const idle: CheckState = { kind: 'idle' };

function show(props: Partial<PanelWarningsProps> & Pick<PanelWarningsProps, 'reading'>): void {
  render(<PanelWarnings state={idle} dismissed={false} onDismiss={() => {}} onManual={() => {}} copy={async () => {}} {...props} />, root);
}

function rows(): Record<string, { read: string | null; text: string; taught: boolean }> {
  const out: Record<string, { read: string | null; text: string; taught: boolean }> = {};
  for (const li of root.querySelectorAll('li[data-field]')) {
    out[li.getAttribute('data-field') ?? ''] = {
      read: li.getAttribute('data-read'),
      text: (li.querySelector('.value')?.textContent ?? '').trim(),
      taught: li.querySelector('.taught') !== null,
    };
  }
  return out;
}

const click = (el: Element | null) => el?.dispatchEvent(new window.Event('click', { bubbles: true }));

/** Opens "Point to a field…" (Preact re-renders after a tick) and lists the fields offered. */
async function offered(): Promise<string[]> {
  click(root.querySelector('button.point-open'));
  await new Promise((resolve) => setTimeout(resolve, 0));
  return [...root.querySelectorAll('button[data-pick]')].map((b) => b.getAttribute('data-pick') ?? '');
}

describe('order check: fields read and not read', () => {
  it('with no readable form, lists all seven fields as not read and offers pointing for the four inputs', async () => {
    show({ reading: null, onPick: () => {} });
    const r = rows();
    expect(Object.keys(r)).toEqual(['price', 'stop', 'takeProfit', 'size', 'leverage', 'side', 'orderType']);
    for (const field of Object.values(r)) expect(field).toMatchObject({ read: 'false', text: 'not read' });
    expect(root.querySelector('[data-reading]')).toBeNull();
    expect(root.querySelector('button[data-pick]')).toBeNull();
    expect(await offered()).toEqual(['price', 'stop', 'takeProfit', 'size']);
    expect(root.querySelector('.fields')?.getAttribute('data-live')).toBe('false');
    expect(root.querySelector('.fields li.not-live')?.textContent).toBe('Warnings not live');
  });

  it('shows what a full reading holds and says the warnings are live', () => {
    const reading: OrderFormReading = { side: 'long', sideFrom: 'form', type: 'limit', entryFrom: 'limit-price', entry: 64_000, stop: 63_500, takeProfit: 66_000, leverage: 20, size: { amount: 0.25, unit: 'BTC' } };
    show({ reading, onPick: () => {} });
    const r = rows();
    for (const field of Object.values(r)) expect(field.read).toBe('true');
    expect(r['price']?.text).toBe('64,000');
    expect(r['stop']?.text).toBe('63,500');
    expect(r['size']?.text).toBe('0.25 BTC');
    expect(r['leverage']?.text).toBe('20x');
    expect(r['side']?.text).toBe('long');
    expect(r['orderType']?.text).toBe('limit');
    expect(root.querySelector('button.point-open')).toBeNull();
    expect(root.querySelector('.fields')?.getAttribute('data-live')).toBe('true');
    expect(root.querySelector('.fields li.live')?.textContent).toBe('Warnings live');
    expect(JSON.parse(root.querySelector('[data-reading]')?.getAttribute('data-reading') ?? 'null')).toEqual(reading);
  });

  it('marks the gaps of a partial reading and where the side and the entry came from', async () => {
    const reading: OrderFormReading = { side: 'short', sideFrom: 'levels', type: 'market', entryFrom: 'last-price', entry: 64_100, stop: 65_000 };
    show({ reading, onPick: () => {} });
    const r = rows();
    expect(r['price']).toMatchObject({ read: 'true', text: '64,100 (last price)' });
    expect(r['side']).toMatchObject({ read: 'true', text: 'short (from stop / take-profit)' });
    expect(r['takeProfit']).toMatchObject({ read: 'false' });
    expect(r['size']).toMatchObject({ read: 'false' });
    expect(r['leverage']).toMatchObject({ read: 'false' });
    expect(r['stop']).toMatchObject({ read: 'true' });
    // Only inputs are offered for pointing (not leverage), and only those not read.
    expect(await offered()).toEqual(['takeProfit', 'size']);
  });

  it('shows the margin mode next to the leverage where the form shows one', () => {
    const base: OrderFormReading = { side: 'long', sideFrom: 'form', type: 'limit', entryFrom: 'limit-price', entry: 64_000, leverage: 20 };
    const leverage = (reading: OrderFormReading) => fieldStatuses(reading).find((s) => s.field === 'leverage');
    expect(leverage({ ...base, marginMode: 'cross' })).toMatchObject({ read: true, detail: '20x cross' });
    expect(leverage({ ...base, marginMode: 'isolated' })).toMatchObject({ read: true, detail: '20x isolated' });
    expect(leverage(base)).toMatchObject({ read: true, detail: '20x' });
    show({ reading: { ...base, marginMode: 'cross' } });
    expect(rows()['leverage']?.text).toBe('20x cross');
  });

  it('counts an order type the reader could not tell as not read', () => {
    const reading = { side: 'long', type: 'unknown', entryFrom: 'limit-price', entry: 1 } as unknown as OrderFormReading;
    expect(fieldStatuses(reading).find((s) => s.field === 'orderType')?.read).toBe(false);
  });

  it('marks the values that came from fields the user pointed to', async () => {
    const reading: TaughtReading = { type: 'limit', entryFrom: 'limit-price', entry: 64_000, taught: ['price'], typeFrom: 'inferred' };
    show({ reading, stored: ['price', 'stop'], onPick: () => {}, onForget: () => {} });
    const r = rows();
    expect(r['orderType']).toMatchObject({ read: 'true', text: 'limit (a price field is shown)' });
    expect(r['price']).toMatchObject({ read: 'true', taught: true });
    // Stored but its input is empty (or not on the page): not read, marked as the user's pick.
    expect(r['stop']).toMatchObject({ read: 'false', taught: true });
    expect(await offered()).toEqual(['stop', 'takeProfit', 'size']);
    expect(r['size']).toMatchObject({ read: 'false', taught: false });
  });

  it('"Point to the field" asks for that field; while picking, the page is where to click', async () => {
    const onPick = vi.fn();
    show({ reading: null, onPick });
    await offered();
    click(root.querySelector('button[data-pick="stop"]'));
    expect(onPick).toHaveBeenCalledWith('stop');
    show({ reading: null, onPick, picking: 'stop' });
    expect(root.querySelector('[role="status"]')?.textContent).toBe('Click the Stop field on the page · Esc cancels');
    expect(root.querySelector('button[data-pick]')).toBeNull();
    expect(root.querySelector('button.point-open')).toBeNull();
    // Picking over (picked or cancelled): the list is compact again, the opener back.
    show({ reading: null, onPick });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(root.querySelector('button[data-pick]')).toBeNull();
    expect(root.querySelector('button.point-open')).not.toBeNull();
  });

  it('offers no pointing where the panel cannot start a picker', () => {
    show({ reading: null });
    expect(root.querySelector('button.point-open')).toBeNull();
  });

  it('Forget appears only with fields pointed to, and asks to forget them', () => {
    const onForget = vi.fn();
    show({ reading: null, onPick: () => {}, onForget });
    expect(root.querySelector('button.forget')).toBeNull();
    show({ reading: null, stored: ['price', 'size'], onPick: () => {}, onForget });
    expect(root.textContent).toContain('Fields you pointed to on this site: Price, Size.');
    click(root.querySelector('button.forget'));
    expect(onForget).toHaveBeenCalledOnce();
  });

  it('a note about the last pick is shown as an alert', () => {
    show({ reading: null, onPick: () => {}, pickNote: 'That field carries no name' });
    expect(root.querySelector('[role="alert"]')?.textContent).toContain('That field carries no name');
  });
});
