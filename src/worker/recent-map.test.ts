import { describe, expect, it } from 'vitest';
import { RecentMap } from './recent-map';

describe('RecentMap', () => {
  it('drops the least recently set entry over its maximum, and entries idle longer than idleMs', () => {
    let t = 0;
    const map = new RecentMap<string>({ max: 2, idleMs: 100, now: () => t });
    map.set('a', 'A');
    t = 10;
    map.set('b', 'B');
    t = 20;
    map.set('a', 'A2'); // a is now the most recent
    map.set('c', 'C');
    expect(map.entry('b')).toBeUndefined();
    expect(map.entry('a')).toEqual({ value: 'A2', usedAt: 20 });
    expect(map.size).toBe(2);
    t = 121;
    expect(map.isIdle(map.entry('c')!)).toBe(true);
    expect(map.entry('c')?.value).toBe('C'); // still readable until dropped
    map.set('d', 'D');
    expect(map.entry('a')).toBeUndefined();
    expect(map.entry('c')).toBeUndefined();
    expect(map.size).toBe(1);
  });
});
