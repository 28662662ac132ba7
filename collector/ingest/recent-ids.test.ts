import { describe, expect, it } from 'vitest';
import { RecentIds } from './recent-ids';

describe('RecentIds', () => {
  it('forgets the oldest id once past its capacity', () => {
    const ids = new RecentIds(2);
    ids.add('a');
    ids.add('b');
    ids.add('c');
    expect([ids.has('a'), ids.has('b'), ids.has('c')]).toEqual([false, true, true]);
  });

  it('forgets ids older than the window', () => {
    const ids = new RecentIds(100, 60_000);
    ids.add('a', 1_000);
    ids.add('b', 30_000);
    expect(ids.has('a', 61_000)).toBe(true);
    expect(ids.has('a', 61_001)).toBe(false);
    ids.add('c', 70_000);
    expect(ids.size).toBe(2);
    expect(ids.has('b', 70_000)).toBe(true);
  });
});
