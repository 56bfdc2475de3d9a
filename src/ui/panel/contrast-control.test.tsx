/**
 * The contrast control and its state: the slider redraws while it moves and stores the value when
 * let go, the lock stores itself and keeps the first top it saw until the market changes or it is
 * released, and stored settings are what a new panel starts with.
 */
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { installDom } from '../../../tests/support/dom';
import { DEFAULT_SETTINGS, type Settings } from '../../settings/schema';
import { type Contrast, ContrastControl, useContrast } from './contrast-control';

const { window, newRoot } = installDom();
const root = newRoot();

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
const fire = (element: Element | null, type: string) => element?.dispatchEvent(new window.Event(type, { bubbles: true }));

let latest: Contrast | undefined;
function Harness(props: { settings: Settings; save: (change: Partial<Settings>) => void; top: number; market: string }) {
  latest = useContrast(props.settings, props.save, props.top, props.market);
  return <ContrastControl {...latest.control} />;
}

describe('the contrast control', () => {
  it('starts from the stored settings and says in USD what it hides', async () => {
    const saved: Partial<Settings>[] = [];
    render(<Harness settings={{ ...DEFAULT_SETTINGS, contrast: 0.3 }} save={(c) => saved.push(c)} top={60e6} market="binance:BTCUSDT" />, root);
    await settle();
    const slider = root.querySelector<HTMLInputElement>('input[data-control="contrast"]')!;
    expect(slider.getAttribute('value') ?? slider.value).toBe('30');
    expect(root.querySelector('[data-contrast="hidden"]')!.textContent).toBe('hides levels under $18M');
    expect(latest!.scale).toEqual({ threshold: 0.3 });
    expect(root.textContent).toContain('Lock scale');
    expect(saved).toEqual([]);
  });

  it('redraws while the slider moves and stores the value once it is let go', async () => {
    const saved: Partial<Settings>[] = [];
    render(<Harness settings={DEFAULT_SETTINGS} save={(c) => saved.push(c)} top={60e6} market="m" />, root);
    await settle();
    const slider = root.querySelector<HTMLInputElement>('input[data-control="contrast"]')!;
    slider.value = '45';
    fire(slider, 'input');
    await settle();
    expect(latest!.scale.threshold).toBe(0.45);
    expect(saved).toEqual([]);
    fire(slider, 'change');
    await settle();
    expect(saved).toEqual([{ contrast: 0.45 }]);
  });

  it('lock scale is stored and keeps the top it first saw while the view changes, until the market changes', async () => {
    const saved: Partial<Settings>[] = [];
    const save = (c: Partial<Settings>) => saved.push(c);
    render(<Harness settings={DEFAULT_SETTINGS} save={save} top={60e6} market="a" />, root);
    await settle();
    expect(latest!.scale.topUsd).toBeUndefined();
    const box = root.querySelector<HTMLInputElement>('input[data-control="lock-scale"]')!;
    box.checked = true;
    fire(box, 'change');
    await settle();
    expect(saved).toEqual([{ lockScale: true }]);
    expect(latest!.scale).toEqual({ threshold: DEFAULT_SETTINGS.contrast, topUsd: 60e6 });
    // Another lookback or leverage filter: a smaller top, the locked one stays.
    render(<Harness settings={{ ...DEFAULT_SETTINGS, lockScale: true }} save={save} top={15e6} market="a" />, root);
    await settle();
    expect(latest!.scale.topUsd).toBe(60e6);
    expect(root.querySelector('[data-contrast="hidden"]')!.textContent).toBe('hides levels under $12M');
    // Another market: its own top.
    render(<Harness settings={{ ...DEFAULT_SETTINGS, lockScale: true }} save={save} top={3e6} market="b" />, root);
    await settle();
    expect(latest!.scale.topUsd).toBe(3e6);
    // Released: the view's own top again.
    render(<Harness settings={{ ...DEFAULT_SETTINGS, lockScale: false }} save={save} top={3e6} market="b" />, root);
    await settle();
    expect(latest!.scale.topUsd).toBeUndefined();
  });
});
