import { render } from 'preact';
import { browser } from 'wxt/browser';
import { getSettings, getWatchlist, setWatched } from '../../src/settings';
import { backgroundClient, requestEstimate, watchEstimate, withRetry } from '../../src/ui/estimate-client';
import { openFullViewTab } from '../../src/ui/fullview/open';
import { PAGE_MARKET } from '../../src/ui/page-market';
import { Popup, type PopupDeps } from '../../src/ui/popup/popup';
import { POPUP_CSS } from '../../src/ui/popup/popup-css';
import { readPageMarket, readUnsupportedPage } from '../../src/ui/popup/read-page-market';
import { SHOW_PANEL } from '../../src/ui/popup/show-panel';

/** The tab to describe: `?tab=<id>` when the popup is opened as a page, else the active tab. */
async function targetTab(): Promise<number | undefined> {
  const param = new URLSearchParams(location.search).get('tab');
  if (param !== null && /^\d+$/.test(param)) return Number(param);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

const deps: PopupDeps = {
  async findTab() {
    const tabId = await targetTab();
    if (tabId === undefined) return { market: null };
    // No LiqLens content script in that tab means it is not a supported futures page.
    const answer: unknown = await browser.tabs.sendMessage(tabId, { type: PAGE_MARKET }).catch(() => null);
    const unsupported = readUnsupportedPage(answer);
    return { tabId, market: readPageMarket(answer), ...(unsupported !== null ? { unsupported } : {}) };
  },
  getSettings,
  listMarkets: (exchange) => withRetry(() => backgroundClient().listMarkets({ exchange })),
  estimate: (req) => requestEstimate(req),
  watch: (req, onView, onError, signal) => watchEstimate(req, { onView, onError, signal }),
  getWatchlist,
  setWatched,
  async showPanel(tabId) {
    const answer: unknown = await browser.tabs.sendMessage(tabId, { type: SHOW_PANEL }).catch(() => false);
    return answer === true;
  },
  async openTab(url) {
    await browser.tabs.create({ url });
  },
  openFullView: openFullViewTab,
  openOptions: () => void browser.runtime.openOptionsPage(),
  close: () => window.close(),
};

function main(): void {
  const style = document.createElement('style');
  style.textContent = POPUP_CSS;
  document.head.append(style);
  const root = document.getElementById('app');
  if (root) render(<Popup deps={deps} />, root);
}

main();
