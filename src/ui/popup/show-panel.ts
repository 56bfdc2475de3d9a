/**
 * Popup → content script: "show the panel" (mount it again if it was closed, expanded). Like the
 * page-market question, it goes to one tab with `tabs.sendMessage`, which needs no permission.
 */
export const SHOW_PANEL = 'liqlens:show-panel';

/** True only for exactly `{ type: SHOW_PANEL }`. */
export function isShowPanelRequest(message: unknown): boolean {
  return (
    typeof message === 'object' &&
    message !== null &&
    Object.getPrototypeOf(message) === Object.prototype &&
    (message as { type?: unknown }).type === SHOW_PANEL &&
    Object.keys(message).length === 1
  );
}
