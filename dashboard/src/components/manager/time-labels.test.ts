import { describe, expect, it } from 'vitest';
import { dayLabels, formatIntervalEnds } from './time-labels';

const SHANGHAI = 'Asia/Shanghai';
/** Epoch ms of a Shanghai wall-clock time (UTC+8, no DST). */
const local = (y: number, mo: number, d: number, h = 0) => Date.UTC(y, mo - 1, d, h) - 8 * 3_600_000;

describe('formatIntervalEnds', () => {
  it('gives the year when the ends fall in different years, where month and day alone read the same', () => {
    const [from, to] = formatIntervalEnds(local(2025, 12, 1), local(2026, 12, 1), SHANGHAI, 'zh-CN');
    expect(from).not.toBe(to);
    expect(from).toContain('2025');
    expect(to).toContain('2026');
  });

  it('leaves the year out inside one year', () => {
    const [from, to] = formatIntervalEnds(local(2026, 11, 28, 6), local(2026, 11, 29, 6), SHANGHAI, 'en');
    expect(from).not.toContain('2026');
    expect(to).not.toContain('2026');
    expect(from).toContain('11/28');
  });

  it('decides the year on the line\'s clock: 31 December 23:00 UTC is already the next year in Shanghai', () => {
    const [from, to] = formatIntervalEnds(Date.UTC(2026, 11, 31, 10), Date.UTC(2026, 11, 31, 23), SHANGHAI, 'zh-CN');
    expect(from).toContain('2026');
    expect(to).toContain('2027');
  });
});

describe('dayLabels', () => {
  const WEEK = 7 * 86_400_000;
  it('puts the year on the first label and on the first of each new year when the days span years', () => {
    // Weekly buckets from Monday 2025-12-01 to November 2026, as a year's trend asks.
    const starts = Array.from({ length: 52 }, (_, i) => local(2025, 12, 1) + i * WEEK);
    const labels = dayLabels(starts, SHANGHAI, 'zh-CN');
    const withYear = labels.map((l, i) => [l, i] as const).filter(([l]) => /20\d\d/.test(l));
    expect(withYear.map(([, i]) => i)).toEqual([0, 5]);
    expect(labels[0]).toContain('2025');
    expect(labels[5]).toContain('2026');
    expect(labels[5]).toContain('1/5');
    expect(labels[1]).toBe('12/8');
  });

  it('leaves the year out when every day is in one year', () => {
    const labels = dayLabels([local(2026, 3, 1), local(2026, 3, 2)], SHANGHAI, 'en');
    expect(labels).toEqual(['3/1', '3/2']);
  });

  it("decides the year on the line's clock", () => {
    // 31 December 16:00 UTC is 1 January in Shanghai.
    const labels = dayLabels([Date.UTC(2026, 11, 30, 16), Date.UTC(2026, 11, 31, 16)], SHANGHAI, 'zh-CN');
    expect(labels[0]).toContain('2026');
    expect(labels[1]).toContain('2027');
  });
});
