import { describe, expect, it } from 'vitest';
import { firstAtOrAfter, firstEndingAfter } from './spans';

describe('firstAtOrAfter', () => {
  const events = [{ ts: 10 }, { ts: 20 }, { ts: 20 }, { ts: 30 }];
  const at = (t: number) => firstAtOrAfter(events, t, (e) => e.ts);
  it('finds the first at or after t, the first of equal keys included, and the length past the last', () => {
    expect([at(0), at(10), at(11), at(20), at(21), at(30), at(31)]).toEqual([0, 0, 1, 1, 3, 3, 4]);
    expect(firstAtOrAfter([], 5, (x: { ts: number }) => x.ts)).toBe(0);
  });
  it('equals a linear scan on every instant, whatever the key', () => {
    const records = Array.from({ length: 50 }, (_, i) => ({ from: Math.floor(i / 3) * 7 }));
    for (let t = -1; t <= 130; t += 1) {
      const scan = records.findIndex((r) => r.from >= t);
      expect(firstAtOrAfter(records, t, (r) => r.from)).toBe(scan === -1 ? records.length : scan);
    }
  });
});

describe('firstEndingAfter', () => {
  it('finds the first span ending after t, or at it with orEqual', () => {
    const spans = [{ end: 5 }, { end: 10 }, { end: 15 }];
    expect([firstEndingAfter(spans, 4), firstEndingAfter(spans, 5), firstEndingAfter(spans, 5, true), firstEndingAfter(spans, 15)]).toEqual([0, 1, 0, 3]);
  });
});
