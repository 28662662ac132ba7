import { describe, expect, it } from 'vitest';
import { seededRandom } from '../test/support/seeded-random';
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

  it('remembers a batch with addAll exactly as adding its ids one by one, over 3,000 generated histories', () => {
    const next = seededRandom(1517);
    const alphabet = Array.from({ length: 30 }, (_, i) => `id-${i}`);
    let evictions = 0;
    for (let history = 0; history < 3_000; history += 1) {
      const capacity = 1 + Math.floor(next() * 12);
      const windowMs = next() < 0.3 ? Number.POSITIVE_INFINITY : 10 + Math.floor(next() * 200);
      const batched = new RecentIds(capacity, windowMs);
      const single = new RecentIds(capacity, windowMs);
      let at = 0;
      for (let step = 0; step < 12; step += 1) {
        // Mostly forward in time, sometimes back (a restart's recovery remembers ids in spool order).
        at += next() < 0.15 ? -Math.floor(next() * 50) : Math.floor(next() * 80);
        const batch = new Set(Array.from({ length: Math.floor(next() * 10) }, () => alphabet[Math.floor(next() * alphabet.length)] ?? 'id-0'));
        const before = single.size + batch.size;
        batched.addAll(batch, at);
        for (const id of batch) single.add(id, at);
        if (single.size < before) evictions += 1;
        expect(batched.size).toBe(single.size);
        for (const now of [at, at + 50, at + 150, Number.NEGATIVE_INFINITY]) {
          for (const id of alphabet) if (batched.has(id, now) !== single.has(id, now)) expect({ history, step, id, now, batched: batched.has(id, now) }).toEqual({ history, step, id, now, batched: single.has(id, now) });
        }
      }
    }
    // Histories where the window or the capacity pushed ids out: the eviction itself is compared.
    expect(evictions).toBeGreaterThan(5_000);
  });
});
