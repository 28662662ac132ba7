import { describe, expect, it } from 'vitest';
import { HttpProblem } from '../http/problem';
import { csvHeader, csvLang, csvPercent, csvRound, csvTime } from './csv-columns';

describe('CSV columns', () => {
  it('writes times in the line zone with its offset', () => {
    expect(csvTime(Date.UTC(2027, 2, 1, 0, 0, 0), 'Asia/Shanghai')).toBe('2027-03-01T08:00:00+08:00');
  });
  it('rounds as shown: shares as percentages with one decimal', () => {
    expect(csvPercent(0.3220240392540789)).toBe(32.2);
    expect(csvRound(12.3456, 1)).toBe(12.3);
    expect(csvRound(null)).toBeNull();
  });
  it('names the header in the asked language, machine names without one', () => {
    expect(csvHeader(['start', 'units'], 'zh-CN')).toEqual(['开始', '产量']);
    expect(csvHeader(['start', 'units'], 'en')).toEqual(['Start', 'Units']);
    expect(csvHeader(['start', 'units'], null)).toEqual(['start', 'units']);
    expect(csvLang(new URL('http://x/?lang=en'))).toBe('en');
    expect(csvLang(new URL('http://x/'))).toBeNull();
    expect(() => csvLang(new URL('http://x/?lang=fr'))).toThrow(HttpProblem);
  });
});
