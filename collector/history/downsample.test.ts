import { describe, expect, it } from 'vitest';
import { bucketMinutes, mergeShortSegments, trailingSums } from './downsample';

const HOUR = 3_600_000;

describe('bucketMinutes', () => {
  it('picks the smallest readable bucket that fits the point budget', () => {
    expect(bucketMinutes(8 * HOUR, 600)).toBe(1); // 480 one-minute buckets fit
    expect(bucketMinutes(24 * HOUR, 600)).toBe(5); // 1440/600 = 2.4 → 5
    expect(bucketMinutes(7 * 24 * HOUR, 600)).toBe(30); // 10080/600 = 16.8 → 30
    expect(bucketMinutes(90 * 24 * HOUR, 600)).toBe(360); // 129600/600 = 216 → 360
    expect(bucketMinutes(3650 * 24 * HOUR, 600)).toBe(7 * 1440); // 5 256 000/600 = 8760 min = 6.08 days → 7 whole days
  });
});

describe('trailingSums', () => {
  it('sums the last window values', () => {
    expect(trailingSums([1, 2, 3, 4, 5], 2)).toEqual([1, 3, 5, 7, 9]);
    expect(trailingSums([], 3)).toEqual([]);
  });
});

describe('mergeShortSegments', () => {
  it('folds short segments into the previous one', () => {
    const segs = [
      { start: 0, end: 100, state: 'running' },
      { start: 100, end: 105, state: 'fault' },
      { start: 105, end: 300, state: 'running' },
    ];
    expect(mergeShortSegments(segs, 10)).toEqual([
      { start: 0, end: 105, state: 'running' },
      { start: 105, end: 300, state: 'running' },
    ]);
  });
});
