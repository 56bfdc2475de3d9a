/**
 * "Point to the field": an element picker over the exchange's page. Hovering highlights the
 * input under the pointer, a click picks it, Escape (or Cancel) ends without a pick. The
 * highlight and the hint live in a shadow root on a fixed, full-window host that takes no
 * pointer events, so the page's layout never moves; clicks are swallowed before the page sees
 * them (a picked Buy button must never place an order), and everything goes when picking ends.
 */
import { pickableField } from '../../sites/user-fields/locator';

export interface PickFieldOptions {
  /** What to click, for the hint: `Price`, `Stop`. */
  readonly label: string;
  /** Aborting ends the picking without a pick. */
  readonly signal: AbortSignal;
  readonly doc?: Document;
}

export const PICKER_TAG = 'liqlens-field-picker';

const PICKER_CSS = `
:host { all: initial; position: fixed; inset: 0; z-index: 2147483646; pointer-events: none; display: block; }
.box { position: fixed; box-sizing: border-box; border: 2px solid #58a6ff; background: rgba(88, 166, 255, 0.18); border-radius: 3px; pointer-events: none; }
.box[hidden] { display: none; }
.hint { position: fixed; left: 50%; top: 12px; transform: translateX(-50%); pointer-events: auto;
  display: flex; gap: 8px; align-items: center; padding: 6px 10px; border-radius: 6px;
  background: #0e1117; color: #c9d1d9; border: 1px solid #30363d; box-shadow: 0 6px 18px rgba(0, 0, 0, 0.45);
  font: 12px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
.hint button { font: inherit; color: inherit; background: #21262d; border: 1px solid #30363d; border-radius: 4px; padding: 2px 8px; cursor: pointer; }
`;

/** Events that would reach the page's own handlers on a click; all are swallowed while picking. */
const CLICK_EVENTS = ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click', 'dblclick', 'auxclick', 'contextmenu'] as const;

/**
 * Lets the user click an input on the page; resolves with it, or null when cancelled.
 * @example const input = await pickField({ label: 'Price', signal });
 */
export function pickField(options: PickFieldOptions): Promise<Element | null> {
  const doc = options.doc ?? document;
  const win = doc.defaultView ?? window;
  return new Promise((resolve) => {
    if (options.signal.aborted) {
      resolve(null);
      return;
    }
    const controller = new AbortController();
    const { signal } = controller;
    const host = doc.createElement(PICKER_TAG);
    const root = host.attachShadow({ mode: 'open' });
    const style = doc.createElement('style');
    style.textContent = PICKER_CSS;
    const box = doc.createElement('div');
    box.className = 'box';
    box.hidden = true;
    const hint = doc.createElement('div');
    hint.className = 'hint';
    hint.setAttribute('role', 'status');
    const words = doc.createElement('span');
    const idle = `Click the ${options.label} field on the page · Esc cancels`;
    words.textContent = idle;
    const cancel = doc.createElement('button');
    cancel.type = 'button';
    cancel.textContent = 'Cancel';
    hint.append(words, cancel);
    root.append(style, box, hint);
    let hovered: Element | null = null;

    const finish = (picked: Element | null): void => {
      if (signal.aborted) return;
      controller.abort();
      host.remove();
      resolve(picked);
    };
    const show = (): void => {
      if (!hovered || !hovered.isConnected) {
        box.hidden = true;
        return;
      }
      const r = hovered.getBoundingClientRect();
      box.hidden = false;
      box.style.left = `${r.left - 2}px`;
      box.style.top = `${r.top - 2}px`;
      box.style.width = `${r.width + 4}px`;
      box.style.height = `${r.height + 4}px`;
    };
    /** The page element an event is about, or null for LiqLens' own elements (picker, panel, warning). */
    const pageTarget = (event: Event): Element | null => {
      const first = event.composedPath()[0];
      const target = first instanceof win.Element ? first : event.target instanceof win.Element ? event.target : null;
      if (!target) return null;
      const top = (target.getRootNode() as ShadowRoot).host ?? target;
      return top.tagName.toLowerCase().startsWith('liqlens-') ? null : target;
    };

    const listen = { capture: true, signal } as const;
    win.addEventListener('pointermove', (event) => {
      const target = pageTarget(event);
      hovered = target ? pickableField(target) : null;
      words.textContent = target && !hovered ? `Not an input: click the ${options.label} field itself · Esc cancels` : idle;
      show();
    }, { ...listen, passive: true });
    for (const type of CLICK_EVENTS) {
      win.addEventListener(type, (event) => {
        const target = pageTarget(event);
        // LiqLens' own controls (Cancel, the panel) work as usual while picking.
        if (!target) return;
        event.preventDefault();
        event.stopImmediatePropagation();
        if (type !== 'click') return;
        const field = pickableField(target);
        if (field) finish(field);
      }, listen);
    }
    win.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopImmediatePropagation();
      finish(null);
    }, listen);
    win.addEventListener('scroll', show, { ...listen, passive: true });
    win.addEventListener('resize', show, { ...listen, passive: true });
    cancel.addEventListener('click', () => finish(null), { signal });
    options.signal.addEventListener('abort', () => finish(null), { once: true, signal });
    // On the root element, outside the page's body layout (a fixed host takes no room anyway).
    doc.documentElement.append(host);
  });
}
