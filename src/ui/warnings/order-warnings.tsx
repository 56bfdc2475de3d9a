/**
 * Pre-trade warnings on the exchange's page: follows the order form, checks the order against
 * the latest map the panel holds (once per animation frame, on the page's thread: the engine's
 * check takes microseconds), and shows the result beside the form and in the panel's footer.
 * Reads only the order form; never writes into it, never submits anything.
 */
import { type ComponentChildren, render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import type { EstimateView } from '../../messaging/contract';
import { DEFAULT_SETTINGS, getSettings, watchSettings } from '../../settings';
import { adapterFor } from '../../sites/adapters';
import { backgroundClient, withRetry } from '../estimate-client';
import { type FormUpdate, watchOrderForm } from '../../sites/form-watcher';
import { type ManualOrder, type OrderMarket, orderKey, plannedOrder } from '../../sites/order-check';
import type { PageMarket } from '../../sites/page-url';
import { describeField, TAUGHT_FIELDS, type TaughtField } from '../../sites/user-fields/locator';
import { forgetTaughtFields, getTaughtFields, saveTaughtField, type TaughtFields, watchTaughtFields } from '../../sites/user-fields/store';
import { withTaughtFields } from '../../sites/user-fields/with-taught-fields';
import type { CheckState, CopyText } from './check-state';
import { FormWarning } from './form-warning';
import { type CheckModule, createOrderEngine } from './order-engine';
import { PanelWarnings, type PanelWarningsProps } from './panel-warnings';
import { type Box, placeWarning } from './placement';
import { watchOrderRealLevels } from './real-level-citations';
import { createViewStore } from './view-store';
import { WARNINGS_CSS } from './warnings-css';

export interface OrderWarningsOptions {
  readonly market: PageMarket;
  /** Aborted when the market changes or the content script is invalidated. */
  readonly signal: AbortSignal;
  readonly copy?: CopyText;
  /** The market's contract size, asked once a size is typed in contracts; default: the background's market list. */
  readonly contractSize?: () => Promise<number | undefined>;
  /** Imports the check's engine; default: its on-demand file (./order-engine.ts). */
  readonly loadCheck?: () => Promise<CheckModule>;
}

export interface OrderWarnings {
  /** The panel's `onView`: the warnings check against every view the panel shows, live updates included. */
  onView(view: EstimateView): void;
  /** Wraps the panel's loader: the warnings check against every view the panel receives. */
  tap<R>(load: (req: R, signal: AbortSignal) => Promise<EstimateView>): (req: R, signal: AbortSignal) => Promise<EstimateView>;
  /** The panel's part (what was read, the findings, manual entry): pass it as the panel's footer. */
  readonly footer: ComponentChildren;
  /** Starts following the order form and shows the warning beside it. */
  start(ctx: ContentScriptContext): Promise<void>;
}

const defaultCopy: CopyText = (text) => navigator.clipboard.writeText(text);

/** The contract size of `market` from the background's market list (ccxt's `contractSize`). */
function listedContractSize(market: PageMarket): () => Promise<number | undefined> {
  return async () => {
    const markets = await withRetry(() => backgroundClient().listMarkets({ exchange: market.exchange }));
    return markets.find((m) => m.symbol === market.symbol)?.contractSize;
  };
}

function box(el: Element): Box {
  const r = el.getBoundingClientRect();
  return { left: r.left, top: r.top, width: r.width, height: r.height };
}

function panelSection(): Element | null {
  return document.querySelector('liqlens-panel')?.shadowRoot?.querySelector('section.panel') ?? null;
}

type FooterProps = Omit<PanelWarningsProps, 'onDismiss' | 'onManual' | 'copy' | 'onPick' | 'onForget'>;

/** The panel footer: re-renders itself when the warnings change (the panel is mounted once). */
function PanelFooter({ hub }: { hub: FooterHub }) {
  const [props, setProps] = useState(hub.current);
  useEffect(() => hub.listen(setProps), [hub]);
  return <PanelWarnings {...props} onDismiss={hub.onDismiss} onManual={hub.onManual} copy={hub.copy} onPick={hub.onPick} onForget={hub.onForget} />;
}

interface FooterHub {
  current: FooterProps;
  listen(listener: (props: FooterProps) => void): () => void;
  readonly onDismiss: () => void;
  readonly onManual: (order: ManualOrder | undefined) => void;
  readonly onPick: (field: TaughtField) => void;
  readonly onForget: () => void;
  readonly copy: CopyText;
}

const PICK_LABELS: Readonly<Record<TaughtField, string>> = { price: 'Price', stop: 'Stop', takeProfit: 'Take-profit', size: 'Size' };

/**
 * The order warnings for one market; everything they attach goes when `options.signal` aborts.
 * @example
 * const warnings = createOrderWarnings({ market, signal });
 * mountPanel(container, { ...props, load: warnings.tap(load), footer: warnings.footer });
 * await warnings.start(ctx);
 */
export function createOrderWarnings(options: OrderWarningsOptions): OrderWarnings {
  const { market, signal } = options;
  const store = createViewStore();
  const adapter = adapterFor(market.exchange);
  let orderMarket: OrderMarket = { exchange: market.exchange, symbol: market.symbol, base: market.unified.split('/')[0] ?? '' };
  // Asked once, when a size is first typed in contracts; until it is known the size is left out.
  let contractSizeAsked = false;
  const askContractSize = (): void => {
    if (contractSizeAsked || update.reading?.size?.unit !== 'contracts') return;
    contractSizeAsked = true;
    (options.contractSize ?? listedContractSize(market))().then(
      (contractSize) => {
        if (signal.aborted || contractSize === undefined) return;
        orderMarket = { ...orderMarket, contractSize };
        refresh();
      },
      () => {
        // No market list: a size in contracts stays out of the check, as before.
      },
    );
  };
  const copy = options.copy ?? defaultCopy;
  const dismissed = new Set<string>();
  let update: FormUpdate = { form: null, reading: null };
  let manual: ManualOrder | undefined;
  let state: CheckState = { kind: 'idle' };
  // The warning distance (in ATR) from the settings; the default until they are read.
  let warningAtr = DEFAULT_SETTINGS.warningAtr;
  let container: HTMLElement | undefined;
  let host: HTMLElement | undefined;
  let frame = 0;
  // The adapter reads first; fields the user pointed to fill what it leaves out.
  const reader = withTaughtFields(adapter);
  let watcher: ReturnType<typeof watchOrderForm> | undefined;
  let stored: readonly TaughtField[] = [];
  let picking: TaughtField | undefined;
  let pickNote: string | undefined;

  const useTaught = (fields: TaughtFields): void => {
    if (signal.aborted) return;
    reader.setTaught(fields);
    stored = TAUGHT_FIELDS.filter((field) => fields[field] !== undefined);
    watcher?.refresh();
    draw();
  };

  async function pick(field: TaughtField): Promise<void> {
    if (picking !== undefined || signal.aborted) return;
    picking = field;
    pickNote = undefined;
    draw();
    const picker = new AbortController();
    const stop = (): void => picker.abort();
    signal.addEventListener('abort', stop, { once: true });
    // The picker's code loads on its first use (src/content/loader.ts): few users ever need it.
    const el = await import('./field-picker')
      .then(({ pickField }) => pickField({ label: PICK_LABELS[field], signal: picker.signal }))
      .catch((): null => {
        pickNote = 'The picker could not load; reload the page and try again.';
        return null;
      });
    signal.removeEventListener('abort', stop);
    picking = undefined;
    if (signal.aborted) return;
    const locator = el ? describeField(el, document) : undefined;
    if (el && !locator) pickNote = 'That field carries no name, label or placeholder LiqLens can find again: it was not kept.';
    if (locator) {
      try {
        await saveTaughtField(market.exchange, field, locator);
      } catch {
        pickNote = 'The field could not be saved (browser storage refused it).';
      }
      useTaught(await getTaughtFields(market.exchange).catch(() => ({})));
    }
    draw();
  }
  // The check's engine loads on demand, from the moment an order form is found (./order-engine.ts).
  const engine = createOrderEngine({ signal, onChange: () => refresh(), ...(options.loadCheck ? { load: options.loadCheck } : {}) });
  // Real Hyperliquid levels the findings may cite (src/ui/warnings/real-level-citations.ts).
  const real = watchOrderRealLevels({ exchange: market.exchange, symbol: market.symbol, signal, onChange: () => refresh() });

  const listeners = new Set<(props: FooterProps) => void>();
  const hub: FooterHub = {
    current: { reading: null, state, dismissed: false },
    listen(listener) {
      listeners.add(listener);
      listener(hub.current);
      return () => listeners.delete(listener);
    },
    onDismiss: () => {
      if (state.kind === 'checked') dismissed.add(state.key);
      draw();
    },
    onManual: (order) => {
      manual = order;
      if (order) engine.want();
      refresh();
    },
    onPick: (field) => void pick(field),
    onForget: () => {
      pickNote = undefined;
      forgetTaughtFields(market.exchange).then(
        () => useTaught({}),
        () => {
          pickNote = 'The fields could not be forgotten (browser storage refused it).';
          draw();
        },
      );
    },
    copy,
  };

  function evaluate(): void {
    const view = store.latest();
    const map = view && view.exchange === market.exchange && view.symbol === market.symbol ? view : undefined;
    const source = update.reading ?? manual ?? null;
    const order = source ? plannedOrder(source, orderMarket, map?.price) : undefined;
    if (!order) state = { kind: 'idle' };
    else if (!map) state = { kind: 'no-map', order, symbol: market.symbol };
    else if (!engine.check) state = { kind: engine.status === 'failed' ? 'check-failed' : 'check-loading', order };
    else {
      const snapshot = { price: map.price, pools: map.pools, ...(map.latestMap ? { atr: map.latestMap.atr } : {}) };
      state = { kind: 'checked', order, key: orderKey(order), assessment: engine.check.citeRealLevels(order, engine.check.checkOrder(order, snapshot, warningAtr), real.levels()) };
    }
  }

  function draw(): void {
    const isDismissed = state.kind === 'checked' && dismissed.has(state.key);
    hub.current = { reading: update.reading, state, dismissed: isDismissed, stored, picking, pickNote };
    for (const listener of listeners) listener(hub.current);
    if (!container) return;
    // Beside the form only for a form that was read; a manual order shows in the panel alone.
    const besideState: CheckState = update.reading ? state : { kind: 'idle' };
    render(<FormWarning state={besideState} dismissed={isDismissed} onDismiss={hub.onDismiss} copy={copy} />, container);
    position();
  }

  function refresh(): void {
    evaluate();
    draw();
  }

  function position(): void {
    const card = container?.querySelector<HTMLElement>('.card');
    const form = update.form;
    const field = form ? reader.anchor(form) : null;
    if (!card || !form || !field) return;
    const submit = reader.submitButtons(form).map(box);
    const panel = panelSection();
    const r = card.getBoundingClientRect();
    const at = placeWarning({
      size: { width: r.width, height: r.height },
      field: box(field),
      form: box(form),
      avoid: panel ? [...submit, box(panel)] : submit,
      required: submit.length,
      viewport: { width: window.innerWidth, height: window.innerHeight },
    });
    card.style.left = `${at.left}px`;
    card.style.top = `${at.top}px`;
  }

  const reposition = (): void => {
    if (frame !== 0) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      position();
    });
  };

  return {
    onView: (view) => store.put(view),
    tap: (load) => store.tap(load),
    footer: <PanelFooter hub={hub} />,
    async start(ctx) {
      const ui = await createShadowRootUi(ctx, {
        name: 'liqlens-order-warning',
        position: 'inline',
        // WXT's host reset is replaced by HOST_CSS (in the css below).
        inheritStyles: true,
        anchor: 'body',
        append: 'last',
        css: WARNINGS_CSS,
        onMount: (el) => el,
        onRemove: (el) => {
          if (el) render(null, el);
        },
      });
      if (signal.aborted || ctx.isInvalid) return;
      ui.mount();
      container = ui.uiContainer;
      host = ui.shadowHost;
      signal.addEventListener('abort', () => {
        if (frame !== 0) cancelAnimationFrame(frame);
        ui.remove();
      }, { once: true });

      watcher = watchOrderForm({
        adapter: reader,
        signal,
        onUpdate: (next) => {
          update = next;
          // A form on the page: the check will be needed (a failed load is tried again on each change).
          if (next.form) engine.want();
          askContractSize();
          refresh();
          if (next.inputAt !== undefined && host) {
            // Keystroke to warning on screen, for the browser tests and the benchmark.
            host.dataset['latencyMs'] = (performance.now() - next.inputAt).toFixed(1);
          }
        },
      });
      store.subscribe(() => {
        if (engine.status === 'failed' && (update.reading ?? manual)) engine.want();
        refresh();
      }, signal);
      // Fields the user pointed to on this site, and later changes (a pick or a Forget in another tab).
      signal.addEventListener('abort', watchTaughtFields(market.exchange, useTaught), { once: true });
      getTaughtFields(market.exchange).then(useTaught, () => {
        // Unreadable storage: the adapter alone reads the form.
      });
      const useSettings = (settings: { warningAtr: number }): void => {
        if (signal.aborted || settings.warningAtr === warningAtr) return;
        warningAtr = settings.warningAtr;
        refresh();
      };
      signal.addEventListener('abort', watchSettings(useSettings), { once: true });
      getSettings().then(useSettings, () => {
        // Unreadable settings leave the default distance; the options page reports what it could not read.
      });
      const passive = { passive: true, capture: true, signal } as const;
      window.addEventListener('scroll', reposition, passive);
      window.addEventListener('resize', reposition, passive);
      refresh();
    },
  };
}
