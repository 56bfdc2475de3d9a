import { render } from 'preact';
import { getSettings, saveSettings, watchSettings } from '../../src/settings';
import { backgroundClient, watchEstimate } from '../../src/ui/estimate-client';
import { FullView, type FullViewDeps } from '../../src/ui/fullview/full-view';
import { FULL_VIEW_CSS } from '../../src/ui/fullview/fullview-css';
import { parseFullViewQuery } from '../../src/ui/fullview/params';

const deps: FullViewDeps = {
  settings: { get: getSettings, watch: watchSettings },
  saveSettings,
  watch: (req, onView, onError, signal) => watchEstimate(req, { onView, onError, signal }),
  status: (req) => backgroundClient().getStatus(req),
  prefersDark: () => matchMedia('(prefers-color-scheme: dark)').matches,
};

function main(): void {
  const style = document.createElement('style');
  style.textContent = FULL_VIEW_CSS;
  document.head.append(style);
  const root = document.getElementById('app');
  if (!root) return;
  const parsed = parseFullViewQuery(location.search);
  if (!parsed.ok) {
    const message = document.createElement('p');
    message.className = 'error';
    message.setAttribute('role', 'alert');
    message.textContent = `This address does not name a market LiqLens can show (${parsed.error}). Open the full view from the panel or the popup.`;
    root.append(message);
    return;
  }
  document.title = `${parsed.params.symbol} · LiqLens full view`;
  render(<FullView params={parsed.params} deps={deps} />, root);
}

main();
