import { render } from 'preact';
import { getWatchlist, loadSettings, saveSettings, setWatched, watchSettings } from '../../src/settings';
import { Options } from '../../src/ui/options/options';
import { OPTIONS_CSS } from '../../src/ui/options/options-css';

function main(): void {
  const style = document.createElement('style');
  style.textContent = OPTIONS_CSS;
  document.head.append(style);
  const root = document.getElementById('app');
  if (root) render(<Options deps={{ loadSettings, saveSettings, watchSettings, getWatchlist, setWatched }} />, root);
}

main();
