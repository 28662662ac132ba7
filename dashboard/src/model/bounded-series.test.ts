import { describe, expect, it } from 'vitest';
import { appendBounded, type SeriesPoint } from './bounded-series';

const limits = { maxPoints: 10, maxAgeMs: 100_000 }; // one point per 10 s at most

describe('appendBounded', () => {
  it('drops points older than the age limit', () => {
    let s: SeriesPoint[] = [];
    for (let t = 0; t <= 300_000; t += 20_000) s = appendBounded(s, { t, v: t / 1000 }, limits);
    expect(s[0]?.t).toBe(200_000);
    expect(s.at(-1)?.t).toBe(300_000);
  });

  it('never holds more than maxPoints, however fast updates come', () => {
    let s: SeriesPoint[] = [];
    for (let t = 0; t <= 1_000_000; t += 250) s = appendBounded(s, { t, v: 1 }, limits);
    expect(s.length).toBeLessThanOrEqual(limits.maxPoints);
    // Bursts replace the newest point, so the window still spans most of its age.
    expect((s.at(-1)?.t ?? 0) - (s[0]?.t ?? 0)).toBeGreaterThanOrEqual(80_000);
  });

  it('keeps the latest value of a burst and starts over when the clock goes back', () => {
    let s = appendBounded([], { t: 0, v: 1 }, limits);
    s = appendBounded(s, { t: 20_000, v: 2 }, limits);
    s = appendBounded(s, { t: 21_000, v: 3 }, limits);
    s = appendBounded(s, { t: 25_000, v: 4 }, limits);
    expect(s).toEqual([{ t: 0, v: 1 }, { t: 20_000, v: 2 }, { t: 25_000, v: 4 }]);
    expect(appendBounded(s, { t: 5, v: 9 }, limits)).toEqual([{ t: 5, v: 9 }]);
  });

  it('returns a new array and leaves the input alone', () => {
    const s: SeriesPoint[] = [{ t: 0, v: 1 }];
    const next = appendBounded(s, { t: 50_000, v: 2 }, limits);
    expect(next).not.toBe(s);
    expect(s).toEqual([{ t: 0, v: 1 }]);
  });
});
