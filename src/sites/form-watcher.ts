/**
 * Follows the order form on the page: finds it, re-reads it when the user types or picks a
 * tab, finds it again when the page re-renders it or navigates in place. Everything it attaches
 * takes the given AbortSignal. The observers' callbacks only flag work; the reading itself runs
 * at most once per animation frame, so typing is never held up.
 */
import type { OrderFormReading, SiteAdapter } from './types';

export interface FormUpdate {
  /** The form element, or null when the page shows none. */
  readonly form: Element | null;
  /** The reading; null when there is no form or it cannot be read. */
  readonly reading: OrderFormReading | null;
  /** `performance.now()` time of the user's input that caused this update, when one did. */
  readonly inputAt?: number;
}

export interface FormWatcherOptions {
  readonly adapter: SiteAdapter;
  readonly signal: AbortSignal;
  readonly onUpdate: (update: FormUpdate) => void;
  /** Defaults to the page's document and window. */
  readonly doc?: Document;
  readonly win?: Window;
}

/** Shortest pause between two searches of a page that showed no form. */
const FIND_RETRY_MS = 400;

/** Attributes through which forms show a picked tab, side or toggle. */
const STATE_ATTRIBUTES = ['aria-selected', 'aria-pressed', 'aria-checked', 'data-state', 'data-active', 'data-selected', 'checked', 'value', 'hidden', 'disabled', 'class'];

export interface FormWatcher {
  /** Re-reads on the next frame (finding the form again when it was replaced). */
  refresh(): void;
}

/**
 * Starts following the adapter's order form; stops when `signal` aborts.
 * @example watchOrderForm({ adapter: adapterFor('bybit'), signal, onUpdate: ({ reading }) => show(reading) })
 */
export function watchOrderForm(options: FormWatcherOptions): FormWatcher {
  const { adapter, signal, onUpdate } = options;
  const doc = options.doc ?? document;
  const win = options.win ?? window;
  let form: Element | null = null;
  let formObserver: MutationObserver | undefined;
  let frame = 0;
  let lastKey: string | undefined;
  let inputAt: number | undefined;
  let readsMarket = false;
  // A page without a form (yet) is searched at most every FIND_RETRY_MS however often it
  // mutates: a search looks at the whole document. A form that was there is searched for at once.
  let lastMiss = -Infinity;
  let retry: number | undefined;
  // The window's own constructor: the page's in a browser, the test DOM's in tests.
  const Observer = (win as Window & typeof globalThis).MutationObserver;

  const schedule = (): void => {
    if (frame !== 0 || signal.aborted) return;
    frame = win.requestAnimationFrame(run);
  };

  function attach(next: Element | null): void {
    formObserver?.disconnect();
    formObserver = undefined;
    form = next;
    if (!form) return;
    formObserver = new Observer(schedule);
    formObserver.observe(form, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: STATE_ATTRIBUTES });
  }

  function run(): void {
    frame = 0;
    if (signal.aborted) return;
    if (!form || !form.isConnected) {
      const now = Date.now();
      if (!form && now - lastMiss < FIND_RETRY_MS) {
        retry ??= win.setTimeout(() => {
          retry = undefined;
          schedule();
        }, FIND_RETRY_MS - (now - lastMiss));
        return;
      }
      attach(adapter.findForm(doc));
      lastMiss = form ? -Infinity : now;
    }
    const reading = form ? adapter.read(form, doc) : null;
    readsMarket = reading?.entryFrom === 'last-price';
    const at = inputAt;
    inputAt = undefined;
    const key = `${form ? 'form' : 'none'}:${JSON.stringify(reading)}`;
    if (key === lastKey) return;
    lastKey = key;
    onUpdate(at !== undefined ? { form, reading, inputAt: at } : { form, reading });
  }

  // The page re-renders parts of itself all the time (ticker, order book): only a lost form, or
  // the last price under a market order, is worth a new reading.
  const pageObserver = new Observer(() => {
    if (!form || !form.isConnected || readsMarket) schedule();
  });
  pageObserver.observe(doc.body ?? doc.documentElement, { subtree: true, childList: true, characterData: true });

  const onInput = (event: Event): void => {
    const target = event.target as Node | null;
    if (form && target && form.contains(target)) {
      inputAt ??= event.timeStamp;
      schedule();
    }
  };
  const listen = { capture: true, passive: true, signal } as const;
  doc.addEventListener('input', onInput, listen);
  doc.addEventListener('change', onInput, listen);
  doc.addEventListener('click', onInput, listen);
  win.addEventListener('wxt:locationchange', () => {
    attach(null);
    schedule();
  }, { signal });

  signal.addEventListener('abort', () => {
    pageObserver.disconnect();
    formObserver?.disconnect();
    if (frame !== 0) win.cancelAnimationFrame(frame);
    if (retry !== undefined) win.clearTimeout(retry);
  }, { once: true });

  schedule();
  return {
    refresh() {
      attach(null);
      schedule();
    },
  };
}
