import { describe, expect, it } from 'vitest';
import { problemText } from './api-problems';

describe('problemText', () => {
  it('says a database outage in the page language, with what is safe and what to do', () => {
    const outage = { code: 'influx_unavailable', message: 'InfluxDB is unreachable now: try again later; /api/v1/health shows its state' };
    expect(problemText(outage, 'zh-CN')).toMatch(/^数据库 InfluxDB 暂时连不上.*不会丢失.*重试/);
    expect(problemText(outage, 'en')).toMatch(/^InfluxDB cannot be reached.*nothing is lost/);
    expect(problemText({ code: 'network', message: 'cannot reach the collector (TypeError)' }, 'zh-CN')).toMatch(/^连不上采集器/);
  });

  it('says a range the endpoint does not answer in Chinese with its limit, and keeps the collector\'s words in English', () => {
    const long = { code: 'range_too_long', message: 'the interval is longer than 31 days: ask for a shorter one' };
    expect(problemText(long, 'zh-CN')).toBe('这项数据的时间范围最长 31 天：请选择更短的区间。');
    expect(problemText(long, 'en')).toBe(long.message);
  });

  it('keeps the collector\'s own words for any other refusal', () => {
    expect(problemText({ code: 'invalid_parameter', message: 'to must be after from' }, 'zh-CN')).toBe('to must be after from');
  });
});
