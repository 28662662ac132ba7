import { describe, expect, it } from 'vitest';
import { formatAge, formatClockDuration, formatDuration, formatDate, formatNumber, formatTimeOfDay, formatYuan } from './format';
import { en, zhCN } from './messages';

describe('formatYuan', () => {
  it('counts in 万 and 亿 in Chinese', () => {
    expect(formatYuan(100_000_000_000, 'zh-CN')).toBe('1,000 亿元');
    expect(formatYuan(2_345_000_000, 'zh-CN')).toBe('23.45 亿元');
    expect(formatYuan(56_780, 'zh-CN')).toBe('5.68 万元');
    expect(formatYuan(3_500_000, 'zh-CN')).toBe('350 万元');
    expect(formatYuan(980, 'zh-CN')).toBe('980 元');
  });
  it('uses short scale in English', () => {
    expect(formatYuan(100_000_000_000, 'en')).toBe('CN¥100 billion');
    expect(formatYuan(2_345_000_000, 'en')).toBe('CN¥2.35 billion');
    expect(formatYuan(980, 'en')).toBe('CN¥980');
  });
});

describe('formatNumber', () => {
  it('groups digits the locale way and hides non-finite values', () => {
    expect(formatNumber(120000, 'zh-CN')).toBe('120,000');
    expect(formatNumber(28.46, 'en', 1)).toBe('28.5');
    expect(formatNumber(Number.NaN, 'en')).toBe('–');
  });
});

describe('durations', () => {
  it('formats a clock face, m:ss under an hour and h:mm:ss above', () => {
    expect(formatClockDuration(0)).toBe('0:00');
    expect(formatClockDuration(119.9)).toBe('1:59');
    expect(formatClockDuration(3600 + 62)).toBe('1:01:02');
    expect(formatClockDuration(-5)).toBe('0:00');
  });
  it('formats an age in words of the locale', () => {
    expect(formatAge(12.7, zhCN)).toBe('12 秒');
    expect(formatAge(185, en)).toBe('3 min');
    expect(formatAge(7300, zhCN)).toBe('2 小时');
  });
});

describe('times in the line time zone', () => {
  // 2025-03-04T01:02:03Z is 09:02:03 in Shanghai and 20:02:03 the day before in New York.
  const ts = Date.UTC(2025, 2, 4, 1, 2, 3);
  it('uses the line zone, not the browser zone', () => {
    expect(formatTimeOfDay(ts, 'Asia/Shanghai', 'zh-CN')).toBe('09:02:03');
    expect(formatTimeOfDay(ts, 'America/New_York', 'en')).toBe('20:02:03');
    expect(formatTimeOfDay(ts, 'Asia/Shanghai', 'en', false)).toBe('09:02');
    expect(formatDate(ts, 'Asia/Shanghai', 'zh-CN')).toContain('3月4日');
    expect(formatDate(ts, 'America/New_York', 'en')).toContain('Mar 3');
  });
});

describe('formatDuration', () => {
  it('says minutes and seconds in words, never like a clock', () => {
    expect(formatDuration(990, 'zh-CN')).toBe('16分30秒');
    expect(formatDuration(990, 'en')).toBe('16 min 30 s');
    expect(formatDuration(3861, 'zh-CN')).toBe('1小时04分');
    expect(formatDuration(3861, 'en')).toBe('1 h 04 min');
    expect(formatDuration(45.9, 'zh-CN')).toBe('45秒');
    expect(formatDuration(120, 'en')).toBe('2 min 00 s');
    expect(formatDuration(Number.NaN, 'en')).toBe('–');
  });
});
