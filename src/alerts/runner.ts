/**
 * Alerts in the background: a one-minute alarm re-estimates each watched market (through the
 * estimate service, so its cache and worker are shared with the panel), and a browser
 * notification tells when price nears a strong pool. The alarm and the watch list outlive the
 * service worker and the browser; cooldowns are kept in local storage so a restart does not
 * repeat an alert.
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import type { EstimateRequest, EstimateView } from '../messaging/contract';
import { estimateRequestFor, getSettings, getWatchlist } from '../settings';
import { futuresPageUrl } from '../ui/popup/futures-page';
import { type Alert, alertMarket, checkAlerts, readCooldowns } from './check';

export const ALERT_ALARM = 'liqlens:alerts';
export const ALERT_PERIOD_MINUTES = 1;
const COOLDOWNS_KEY = 'local:alert-cooldowns';

export interface AlertDeps {
  readonly getEstimate: (req: EstimateRequest) => Promise<EstimateView>;
  readonly now?: () => number;
  /** Shows one alert (default: a browser notification). */
  readonly notify?: (alert: Alert) => Promise<void>;
}

/**
 * One round: every watched market estimated under the user's settings and checked; returns the
 * alerts raised. Failures of one market do not stop the others.
 */
export async function runAlertCheck(deps: AlertDeps): Promise<Alert[]> {
  const settings = await getSettings();
  if (!settings.alerts) return [];
  const watches = await getWatchlist();
  if (watches.length === 0) return [];
  const now = deps.now ?? Date.now;
  const notify = deps.notify ?? showNotification;
  let cooldowns = readCooldowns(await storage.getItem<unknown>(COOLDOWNS_KEY));
  const raised: Alert[] = [];
  for (const watch of watches) {
    let view: EstimateView;
    try {
      view = await deps.getEstimate(estimateRequestFor(watch, settings));
    } catch {
      continue; // Shown in the market's status; the next round tries again.
    }
    const result = checkAlerts({ market: watch, price: view.price, pools: view.pools, warningAtr: settings.warningAtr, cooldowns, now: now() });
    cooldowns = [...result.cooldowns];
    for (const alert of result.alerts) {
      raised.push(alert);
      await notify(alert).catch(() => {});
    }
  }
  await storage.setItem(COOLDOWNS_KEY, cooldowns);
  return raised;
}

async function showNotification(alert: Alert): Promise<void> {
  await browser.notifications.create(alert.id, {
    type: 'basic',
    // Resolved against the extension's root by the notifications API.
    iconUrl: '/icon/128.png',
    title: alert.title,
    message: alert.message,
  });
}

/**
 * Registers the alarm (kept if it already runs) and its listeners. Called from the background's
 * `main()`; listeners are added synchronously so a wake-up by the alarm reaches them.
 */
export function startAlerts(deps: AlertDeps): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === ALERT_ALARM) void runAlertCheck(deps).catch(() => {});
  });
  browser.notifications.onClicked.addListener((id) => {
    const market = alertMarket(id);
    if (!market) return;
    void browser.tabs.create({ url: futuresPageUrl(market) });
    void browser.notifications.clear(id);
  });
  // A browser restart may drop alarms; the startup event wakes the background to set it again.
  browser.runtime.onStartup.addListener(() => void ensureAlarm());
  void ensureAlarm();
}

/** Creates the alarm unless it runs already (creating it again would restart its period). */
async function ensureAlarm(): Promise<void> {
  const existing = await browser.alarms.get(ALERT_ALARM);
  if (!existing) await browser.alarms.create(ALERT_ALARM, { periodInMinutes: ALERT_PERIOD_MINUTES });
}
