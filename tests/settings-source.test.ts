/**
 * The settings source of a page's panels: the background's copy first when it comes first, the
 * own storage read replacing it when it finds newer settings, storage changes after that, and a
 * failed read not kept.
 */
import { describe, expect, it } from 'vitest';
import { settingsSource, type SettingsStore } from '../src/content/settings-source';
import { DEFAULT_SETTINGS, type Settings } from '../src/settings/schema';

const PREPARED: Settings = { ...DEFAULT_SETTINGS, lookback: '7d' };
const SAVED_SINCE: Settings = { ...DEFAULT_SETTINGS, lookback: '3d', theme: 'light' };

/** A store whose read the test ends, and whose changes it emits. */
function controlledStore() {
  let endRead: (settings: Settings) => void = () => {};
  let failRead: (error: Error) => void = () => {};
  const watchers = new Set<(settings: Settings) => void>();
  let reads = 0;
  const store: SettingsStore = {
    read: () => {
      reads++;
      return new Promise((resolve, reject) => {
        endRead = resolve;
        failRead = reject;
      });
    },
    watch: (listener) => {
      watchers.add(listener);
      return () => watchers.delete(listener);
    },
  };
  return {
    store,
    endRead: (settings: Settings) => endRead(settings),
    failRead: (error: Error) => failRead(error),
    change: (settings: Settings) => watchers.forEach((w) => w(settings)),
    watchers,
    reads: () => reads,
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A source started with the background's copy ({@link PREPARED}), and what its panels heard. */
function withBackgroundCopy() {
  const s = controlledStore();
  const heard: Settings[] = [];
  const source = settingsSource(new AbortController().signal, Promise.resolve(PREPARED), s.store);
  source.watch((next) => heard.push(next));
  return { s, heard, source };
}

describe('settingsSource', () => {
  it("starts with the background's copy and keeps it when the own read finds the same", async () => {
    const { s, heard, source } = withBackgroundCopy();
    expect(await source.get()).toEqual(PREPARED);
    expect(source.known?.()).toEqual(PREPARED);
    s.endRead({ ...PREPARED });
    await settle();
    expect(heard).toEqual([]);
  });

  it('replaces the copy with the own read when the user saved a change before storage was watched', async () => {
    const { s, heard, source } = withBackgroundCopy();
    expect(await source.get()).toEqual(PREPARED);
    s.endRead(SAVED_SINCE);
    await settle();
    expect(heard).toEqual([SAVED_SINCE]);
    expect(await source.get()).toEqual(SAVED_SINCE);
    expect(source.known?.()).toEqual(SAVED_SINCE);
  });

  it('keeps a change seen in storage over an own read that ends after it', async () => {
    const { s, heard, source } = withBackgroundCopy();
    await source.get();
    const newest: Settings = { ...DEFAULT_SETTINGS, lookback: '30d' };
    s.change(newest);
    s.endRead(SAVED_SINCE);
    await settle();
    expect(heard).toEqual([newest]);
    expect(await source.get()).toEqual(newest);
  });

  it('waits for the own read when there is no usable copy, and reads again after a failed read', async () => {
    const s = controlledStore();
    const source = settingsSource(new AbortController().signal, Promise.resolve(undefined), s.store);
    const first = source.get();
    s.failRead(new Error('storage unavailable'));
    await expect(first).rejects.toThrow('storage unavailable');
    await settle();
    const again = source.get();
    expect(s.reads()).toBe(2);
    s.endRead(SAVED_SINCE);
    expect(await again).toEqual(SAVED_SINCE);
  });

  it('stops watching storage when the page is left', async () => {
    const s = controlledStore();
    const controller = new AbortController();
    const heard: Settings[] = [];
    const source = settingsSource(controller.signal, undefined, s.store);
    source.watch((next) => heard.push(next));
    s.change(SAVED_SINCE);
    controller.abort();
    expect(s.watchers.size).toBe(0);
    s.change(PREPARED);
    expect(heard).toEqual([SAVED_SINCE]);
  });
});
