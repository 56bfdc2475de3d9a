import { render } from 'preact';
import { browser } from 'wxt/browser';
import { requestEstimate } from '../../src/ui/estimate-client';
import { PAGE_MARKET, readPageMarket } from '../../src/ui/page-market';
import { QuickLook, type QuickLookState } from '../../src/ui/QuickLook';

/** The tab to describe: `?tab=<id>` when the popup is opened as a page, else the active tab. */
async function targetTab(): Promise<number | undefined> {
  const param = new URLSearchParams(location.search).get('tab');
  if (param !== null && /^\d+$/.test(param)) return Number(param);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

async function run(report: (state: QuickLookState) => void): Promise<void> {
  const tabId = await targetTab();
  let answer: unknown = null;
  if (tabId !== undefined) {
    try {
      answer = await browser.tabs.sendMessage(tabId, { type: PAGE_MARKET });
    } catch {
      answer = null; // No LiqLens content script in that tab: not a supported futures page.
    }
  }
  const market = readPageMarket(answer);
  if (!market) {
    report({ kind: 'no-market' });
    return;
  }
  report({ kind: 'loading', market });
  try {
    const view = await requestEstimate({ ...market, lookback: '24h' });
    report({ kind: 'ready', view });
  } catch (error) {
    report({ kind: 'error', market, message: error instanceof Error ? error.message : String(error) });
  }
}

const root = document.getElementById('app');
if (root) render(<QuickLook run={run} />, root);
