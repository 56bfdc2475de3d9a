/**
 * The keyboard shortcut that shows or hides the panel. The browser delivers the manifest command
 * to the background, which forwards it to the tab's content script as {@link TOGGLE_PANEL}; the
 * content script passes it on to the mounted panel.
 */

/** Name of the manifest command (wxt.config.ts). */
export const TOGGLE_COMMAND = 'toggle-panel';
export const TOGGLE_PANEL = 'liqlens:toggle-panel';

export function isTogglePanelMessage(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === TOGGLE_PANEL && Object.keys(message).length === 1;
}

/**
 * The background's listener for manifest commands: forwards the toggle to the tab it came from.
 * A tab without the content script (not an exchange page) rejects the message; that is ignored.
 * @example browser.commands.onCommand.addListener(forwardPanelCommand((id, m) => browser.tabs.sendMessage(id, m)));
 */
export function forwardPanelCommand(send: (tabId: number, message: unknown) => Promise<unknown>) {
  return (command: string, tab?: { id?: number }): void => {
    if (command !== TOGGLE_COMMAND || tab?.id === undefined) return;
    send(tab.id, { type: TOGGLE_PANEL }).catch(() => {});
  };
}

/** A tiny subscription point between the content script (which hears the message) and the panel. */
export interface ToggleChannel {
  /** Registers a listener; returns the function that removes it. */
  subscribe(listener: () => void): () => void;
  emit(): void;
}

export function createToggleChannel(): ToggleChannel {
  const listeners = new Set<() => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit() {
      for (const listener of [...listeners]) listener();
    },
  };
}
