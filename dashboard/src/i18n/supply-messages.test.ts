import { describe, expect, it } from 'vitest';
import { formatLead, formatPercent, formatYuanShort, SUPPLY_CATALOGUES } from './supply-messages';

describe('formatYuanShort', () => {
  it('counts Chinese money in 亿 and 万 with one decimal, without grouping four digits', () => {
    expect(formatYuanShort(83_240_000_000, 'zh-CN')).toBe('832.4 亿元');
    expect(formatYuanShort(1e11, 'zh-CN')).toBe('1000 亿元');
    expect(formatYuanShort(1.23456e12, 'zh-CN')).toBe('12,345.6 亿元');
    expect(formatYuanShort(2_500_000, 'zh-CN')).toBe('250 万元');
    expect(formatYuanShort(900, 'zh-CN')).toBe('900 元');
  });

  it('writes English in billions and millions', () => {
    expect(formatYuanShort(83_240_000_000, 'en')).toBe('83.2 bn yuan');
    expect(formatYuanShort(1e11, 'en')).toBe('100 bn yuan');
    expect(formatYuanShort(1e11, 'en', { bare: true })).toBe('100 bn');
    expect(formatYuanShort(2_500_000, 'en')).toBe('2.5 m yuan');
    expect(formatYuanShort(null, 'en')).toBe('–');
  });
});

describe('other formats', () => {
  it('percentages and lead times', () => {
    expect(formatPercent(0.3104, 'zh-CN')).toBe('31.0%');
    expect(formatPercent(-0.0621, 'en')).toBe('-6.2%');
    expect(formatPercent(null, 'en')).toBe('–');
    expect(formatLead(56 * 60_000, 'zh-CN')).toBe('56 分钟');
    expect(formatLead(125 * 60_000, 'en')).toBe('2 h 5 min');
    expect(formatLead(120 * 60_000, 'en')).toBe('2 h');
  });

  it('has the same labels in both locales', () => {
    const keys = (o: object): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v).map((s) => `${k}.${s}`) : [k]));
    expect(keys(SUPPLY_CATALOGUES.en)).toEqual(keys(SUPPLY_CATALOGUES['zh-CN']));
  });
});
