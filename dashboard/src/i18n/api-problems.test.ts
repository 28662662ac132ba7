import { describe, expect, it } from 'vitest';
import { problemText } from './api-problems';

describe('problemText', () => {
  it('says a database outage in the page language, with what is safe and what to do', () => {
    const outage = { code: 'influx_unavailable', message: 'InfluxDB is unreachable now: try again later; /api/v1/health shows its state' };
    expect(problemText(outage, 'zh-CN')).toMatch(/^数据库 InfluxDB 暂时连不上.*不会丢失.*重试/);
    expect(problemText(outage, 'en')).toMatch(/^InfluxDB cannot be reached.*nothing is lost/);
    expect(problemText({ code: 'network', message: 'cannot reach the collector (TypeError)' }, 'zh-CN')).toMatch(/^连不上采集器/);
  });

  it('keeps the collector\'s own words for any other refusal', () => {
    expect(problemText({ code: 'range_too_long', message: 'a range is at most 400 days' }, 'zh-CN')).toBe('a range is at most 400 days');
  });
});
