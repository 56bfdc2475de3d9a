/**
 * The user's settings for the panels of a page, kept current: the first from the background's
 * answer to `prepareEstimate` when it is there first, then whatever storage says.
 */
import { getSettings, saveSettings, type Settings, watchSettings } from '../settings';
import type { SettingsSource } from '../ui/Panel';
import { firstSettings } from './prepared-answer';

/** Where the settings live (the extension's storage; injectable for tests). */
export interface SettingsStore {
  read(): Promise<Settings>;
  watch(listener: (settings: Settings) => void): () => void;
  save?(change: Partial<Settings>): Promise<Settings>;
}

const extensionStore: SettingsStore = { read: getSettings, watch: watchSettings, save: saveSettings };

/**
 * The settings source of a page's panels. The background read the settings when the first file
 * asked it to prepare the estimate, and reading them here takes two storage round trips, each
 * waiting for a turn on a page busy loading (40-50 ms measured): its copy comes first when it is
 * there first. The own read starts at once all the same; when it ends later with other settings
 * (the user saved a change after the background's read, before this source watched storage),
 * they replace the copy and the panels hear of them. Stops watching when `signal` aborts.
 * @example mountPanel(container, { ...props, settings: settingsSource(ctx.signal, readPreparedAnswer(answer).then((read) => read.settings)) });
 */
export function settingsSource(signal: AbortSignal, prepared?: Promise<Settings | undefined>, store: SettingsStore = extensionStore): SettingsSource {
  let latest: Promise<Settings> | undefined;
  let known: Settings | undefined;
  /** Storage changes seen; a read started before the last one is older than it. */
  let changes = 0;
  const listeners = new Set<(settings: Settings) => void>();
  const publish = (next: Settings): void => {
    latest = Promise.resolve(next);
    known = next;
    for (const listener of listeners) listener(next);
  };
  const keep = (reading: Promise<Settings>): Promise<Settings> => {
    reading.then(
      (settings) => {
        if (latest === reading) known = settings;
      },
      // A failed read is not kept: the next panel reads again.
      () => {
        if (latest === reading) latest = undefined;
      },
    );
    return reading;
  };
  const own = store.read();
  if (prepared) {
    const first = keep(firstSettings(prepared, own));
    latest = first;
    const changesBefore = changes;
    Promise.all([first, own]).then(
      ([shown, read]) => {
        if (changes === changesBefore && latest === first && JSON.stringify(shown) !== JSON.stringify(read)) publish(read);
      },
      () => {},
    );
  } else {
    latest = keep(own);
  }
  const unwatch = store.watch((next) => {
    changes++;
    publish(next);
  });
  signal.addEventListener(
    'abort',
    () => {
      unwatch();
      listeners.clear();
    },
    { once: true },
  );
  return {
    get: () => (latest ??= keep(store.read())),
    known: () => known,
    // The panel's own controls (contrast, lock scale) store their choice; the watch brings it back.
    ...(store.save ? { save: (change: Partial<Settings>) => store.save!(change) } : {}),
    watch: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
