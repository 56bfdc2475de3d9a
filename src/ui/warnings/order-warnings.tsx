/**
 * Pre-trade warnings on the exchange's page: follows the order form, checks the order against
 * the latest map the panel holds (once per animation frame, on the page's thread: the engine's
 * check takes microseconds), and shows the result beside the form and next to the panel.
 * Reads only the order form; never writes into it, never submits anything.
 */
import { render } from 'preact';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { adapterFor } from '../../sites/adapters';
import { type FormUpdate, watchOrderForm } from '../../sites/form-watcher';
import { checkOrder, type ManualOrder, type OrderMarket, orderKey, plannedOrder } from '../../sites/order-check';
import type { PageMarket } from '../../sites/page-url';
import { DEFAULT_SETTINGS, getSettings, watchSettings } from '../../settings';
import type { CheckState, CopyText } from './check-state';
import { FormWarning } from './form-warning';
import { PanelWarnings } from './panel-warnings';
import { type Box, placeBesidePanel, placeWarning } from './placement';
import type { ViewStore } from './view-store';
import { WARNINGS_CSS } from './warnings-css';

export interface OrderWarningsOptions {
  readonly market: PageMarket;
  readonly store: ViewStore;
  /** Aborted when the market changes or the content script is invalidated. */
  readonly signal: AbortSignal;
  readonly copy?: CopyText;
}

const defaultCopy: CopyText = (text) => navigator.clipboard.writeText(text);

function box(el: Element): Box {
  const r = el.getBoundingClientRect();
  return { left: r.left, top: r.top, width: r.width, height: r.height };
}

function panelSection(): Element | null {
  return document.querySelector('liqlens-panel')?.shadowRoot?.querySelector('section') ?? null;
}

/**
 * Starts the warnings for `market`; they clean up when `options.signal` aborts.
 * @example await startOrderWarnings(ctx, { market, store, signal })
 */
export async function startOrderWarnings(ctx: ContentScriptContext, options: OrderWarningsOptions): Promise<void> {
  const { market, store, signal } = options;
  const adapter = adapterFor(market.exchange);
  const orderMarket: OrderMarket = { exchange: market.exchange, symbol: market.symbol, base: market.unified.split('/')[0] ?? '' };
  const copy = options.copy ?? defaultCopy;
  const dismissed = new Set<string>();
  let update: FormUpdate = { form: null, reading: null };
  let manual: ManualOrder | undefined;
  let state: CheckState = { kind: 'idle' };
  let frame = 0;
  // The warning distance (in ATR) from the settings; the default until they are read.
  let warningAtr = DEFAULT_SETTINGS.warningAtr;

  const [besideUi, panelUi] = await Promise.all(
    (['liqlens-order-warning', 'liqlens-warnings'] as const).map((name) =>
      createShadowRootUi(ctx, {
        name,
        position: 'inline',
        anchor: 'body',
        append: 'last',
        css: WARNINGS_CSS,
        onMount: (container) => container,
        onRemove: (container) => {
          if (container) render(null, container);
        },
      }),
    ),
  );
  if (signal.aborted || ctx.isInvalid) return;
  besideUi!.mount();
  panelUi!.mount();
  signal.addEventListener('abort', () => {
    if (frame !== 0) cancelAnimationFrame(frame);
    besideUi!.remove();
    panelUi!.remove();
  }, { once: true });

  const currentKey = (): string | undefined => (state.kind === 'checked' ? state.key : undefined);
  const dismiss = () => {
    const key = currentKey();
    if (key !== undefined) dismissed.add(key);
    draw();
  };

  function evaluate(): void {
    const view = store.latest();
    const map = view && view.exchange === market.exchange && view.symbol === market.symbol ? view : undefined;
    const source = update.reading ?? manual ?? null;
    const order = source ? plannedOrder(source, orderMarket, map?.price) : undefined;
    if (!order) state = { kind: 'idle' };
    else if (!map) state = { kind: 'no-map', order, symbol: market.symbol };
    else {
      const snapshot = { price: map.price, pools: map.pools, ...(map.latestMap ? { atr: map.latestMap.atr } : {}) };
      state = { kind: 'checked', order, key: orderKey(order), assessment: checkOrder(order, snapshot, warningAtr) };
    }
  }

  function draw(): void {
    const key = currentKey();
    const isDismissed = key !== undefined && dismissed.has(key);
    // The beside-form warning is only for a form that was read; manual orders show in the panel list.
    const besideState: CheckState = update.reading ? state : { kind: 'idle' };
    render(<FormWarning state={besideState} dismissed={isDismissed} onDismiss={dismiss} copy={copy} />, besideUi!.uiContainer);
    render(
      <PanelWarnings
        reading={update.reading}
        state={state}
        dismissed={isDismissed}
        onDismiss={dismiss}
        onManual={(order) => {
          manual = order;
          evaluate();
          draw();
        }}
        copy={copy}
      />,
      panelUi!.uiContainer,
    );
    position();
  }

  function position(): void {
    const viewport = { width: window.innerWidth, height: window.innerHeight };
    const submit = update.form ? adapter.submitButtons(update.form).map(box) : [];
    const panel = panelSection();
    const list = panelUi!.uiContainer.querySelector<HTMLElement>('.list');
    if (list) {
      const r = list.getBoundingClientRect();
      const avoid = update.form ? [box(update.form)] : [];
      const at = placeBesidePanel({ width: r.width, height: r.height }, panel ? box(panel) : undefined, avoid, viewport);
      list.style.left = `${at.left}px`;
      list.style.top = `${at.top}px`;
    }
    const card = besideUi!.uiContainer.querySelector<HTMLElement>('.card');
    const field = update.form ? adapter.anchor(update.form) : null;
    if (card && field && update.form) {
      const r = card.getBoundingClientRect();
      const avoid = [...submit];
      if (panel) avoid.push(box(panel));
      if (list) avoid.push(box(list));
      const at = placeWarning({ size: { width: r.width, height: r.height }, field: box(field), form: box(update.form), avoid, required: submit.length, viewport });
      card.style.left = `${at.left}px`;
      card.style.top = `${at.top}px`;
    }
  }

  const reposition = (): void => {
    if (frame !== 0) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      position();
    });
  };

  watchOrderForm({
    adapter,
    signal,
    onUpdate: (next) => {
      update = next;
      evaluate();
      draw();
      if (next.inputAt !== undefined) {
        // How long from the user's keystroke to the warning on screen (read by the browser tests and the benchmark).
        besideUi!.shadowHost.dataset['latencyMs'] = (performance.now() - next.inputAt).toFixed(1);
      }
    },
  });
  const refresh = (): void => {
    evaluate();
    draw();
  };
  store.subscribe(refresh, signal);
  const useSettings = (settings: { warningAtr: number }): void => {
    if (signal.aborted || settings.warningAtr === warningAtr) return;
    warningAtr = settings.warningAtr;
    refresh();
  };
  signal.addEventListener('abort', watchSettings(useSettings), { once: true });
  getSettings().then(useSettings, () => {
    // Unreadable settings leave the default distance; the panel reports settings problems.
  });
  const passive = { passive: true, capture: true, signal } as const;
  window.addEventListener('scroll', reposition, passive);
  window.addEventListener('resize', reposition, passive);
  draw();
}
