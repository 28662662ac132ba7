import { describe, expect, it } from 'vitest';
import { formatIntervalEnds } from './time-labels';

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
