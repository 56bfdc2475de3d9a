/**
 * Where the panel sits and whether it is collapsed, remembered per site (host name) in local
 * storage, so each exchange's page gets the panel back where the trader left it.
 */
import { storage } from 'wxt/utils/storage';
import { isPlainObject } from '../../messaging/validate';

export interface PanelLayout {
  /** Offset of the panel's top-left corner from the viewport's top-left, CSS pixels; absent: docked bottom-left, away from the order forms, which all five exchanges put on the right. */
  readonly x?: number;
  readonly y?: number;
  readonly collapsed: boolean;
  /** Compact: only the chart and the nearest pools (absent: the full panel). */
  readonly compact?: boolean;
}

export type PanelLayouts = Readonly<Record<string, PanelLayout>>;

export const DEFAULT_LAYOUT: PanelLayout = { collapsed: false };
/** Most sites remembered (there are five exchanges; the cap only guards the storage). */
const MAX_SITES = 20;
const MAX_OFFSET = 100_000;

let item: LayoutStorage | undefined;
/** The WXT item, defined on first use (defining it already talks to the extension's storage). */
export function panelLayoutItem(): LayoutStorage {
  item ??= storage.defineItem<PanelLayouts>('local:panelLayout', { version: 1, fallback: {} });
  return item;
}

/** A stored layout read defensively: anything unreadable is the default. */
export function readLayout(value: unknown): PanelLayout {
  if (!isPlainObject(value)) return DEFAULT_LAYOUT;
  const offset = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= MAX_OFFSET ? Math.round(v) : undefined);
  const x = offset(value['x']);
  const y = offset(value['y']);
  return {
    collapsed: value['collapsed'] === true,
    ...(x !== undefined && y !== undefined ? { x, y } : {}),
    ...(value['compact'] === true ? { compact: true } : {}),
  };
}

/** Storage the layout store talks to (WXT's item, or a stand-in in tests). */
export interface LayoutStorage {
  getValue(): Promise<unknown>;
  setValue(value: PanelLayouts): Promise<void>;
}

/**
 * The layout of `site`.
 * @example await loadLayout('www.binance.com') // { collapsed: false, x: 880, y: 96 }
 */
export async function loadLayout(site: string, store: LayoutStorage = panelLayoutItem()): Promise<PanelLayout> {
  const all = await store.getValue();
  return isPlainObject(all) && Object.hasOwn(all, site) ? readLayout(all[site]) : DEFAULT_LAYOUT;
}

/** Stores the layout of `site`, keeping the other sites' (the oldest dropped past the cap). */
export async function saveLayout(site: string, layout: PanelLayout, store: LayoutStorage = panelLayoutItem()): Promise<void> {
  const all = await store.getValue();
  const next: Record<string, PanelLayout> = {};
  if (isPlainObject(all)) {
    for (const [key, value] of Object.entries(all)) if (key !== site) next[key] = readLayout(value);
  }
  next[site] = readLayout(layout);
  const keys = Object.keys(next);
  for (const key of keys.slice(0, Math.max(0, keys.length - MAX_SITES))) delete next[key];
  await store.setValue(next);
}

/**
 * Keeps a panel of `size` inside the viewport (at least `margin` pixels of it visible each way,
 * its header always reachable).
 * @example clampPosition({ x: 5000, y: -20 }, { width: 440, height: 40 }, { width: 1280, height: 800 }) // { x: 1232, y: 0 }
 */
export function clampPosition(
  position: { readonly x: number; readonly y: number },
  size: { readonly width: number; readonly height: number },
  viewport: { readonly width: number; readonly height: number },
  margin = 48,
): { x: number; y: number } {
  const x = Math.min(Math.max(position.x, margin - size.width), viewport.width - margin);
  const y = Math.min(Math.max(position.y, 0), viewport.height - Math.min(margin, size.height));
  return { x: Math.round(x), y: Math.round(y) };
}
