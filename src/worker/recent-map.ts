/**
 * The keeping rule shared by the worker's kept estimates (`session-store.ts`) and the background's
 * record of them (`kept-estimates.ts`), so both sides forget the same views: at most `max`
 * entries, the least recently set going first, and none older than `idleMs` since it was last set.
 * @example
 * const kept = new RecentMap<number>({ max: 6, idleMs: 180_000 });
 * kept.set('binance:BTCUSDT', 1); kept.entry('binance:BTCUSDT')?.usedAt // now
 */
export class RecentMap<V> {
  // Insertion order is use order: a set entry is re-inserted.
  private readonly entries = new Map<string, { readonly value: V; readonly usedAt: number }>();
  private readonly max: number;
  private readonly idleMs: number;
  private readonly now: () => number;

  constructor(options: { readonly max: number; readonly idleMs: number; readonly now?: () => number }) {
    this.max = options.max;
    this.idleMs = options.idleMs;
    this.now = options.now ?? Date.now;
  }

  /** The entry under `key` with when it was last set, idle or not (the caller may want to say so). */
  entry(key: string): { readonly value: V; readonly usedAt: number } | undefined {
    return this.entries.get(key);
  }

  /** Whether an entry was last set more than `idleMs` ago. */
  isIdle(entry: { readonly usedAt: number }): boolean {
    return this.now() - entry.usedAt > this.idleMs;
  }

  /** Sets `key` as the most recently used, then drops the idle entries and the oldest over `max`. */
  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, usedAt: this.now() });
    this.dropIdle();
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.max) break;
      this.entries.delete(oldest);
    }
  }

  dropIdle(): void {
    for (const [key, entry] of this.entries) if (this.isIdle(entry)) this.entries.delete(key);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
