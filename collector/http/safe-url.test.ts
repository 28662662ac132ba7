import { describe, expect, it } from 'vitest';
import { HttpProblem } from './problem';
import { parseTarget, publicUrl, redactUserInfo } from './safe-url';

describe('parseTarget', () => {
  it('reads origin-form and absolute-form targets', () => {
    expect(parseTarget('/api/v1/kpi?line=A1').pathname).toBe('/api/v1/kpi');
    expect(parseTarget('/api/v1/kpi?line=A1').searchParams.get('line')).toBe('A1');
    expect(parseTarget('http://collector:8080/api/v1/health').pathname).toBe('/api/v1/health');
    expect(parseTarget(undefined).pathname).toBe('/');
  });

  it('answers 400 for what is not a path, never throwing anything else', () => {
    for (const target of ['//[', '//[::1', '//evil.example/x', '*', 'api', 'http://[', 'javascript:alert(1)', '']) {
      let caught: unknown = null;
      try {
        parseTarget(target);
      } catch (error) {
        caught = error;
      }
      expect(caught, target).toBeInstanceOf(HttpProblem);
      expect((caught as HttpProblem).status).toBe(400);
    }
    expect(() => parseTarget(`/${'a'.repeat(9000)}`)).toThrow(/limit is 8192/);
  });
});

describe('publicUrl and redactUserInfo', () => {
  it('drop user info and queries', () => {
    expect(publicUrl('http://u:pw@influx:8086/?token=x')).toBe('http://influx:8086');
    expect(publicUrl('https://influx.example.com/prefix')).toBe('https://influx.example.com/prefix');
    expect(publicUrl('pw only')).toBe('(not a URL)');
    expect(redactUserInfo('InfluxDB at http://u:pw@h:1 is unreachable; mqtt://x@b too')).toBe('InfluxDB at http://h:1 is unreachable; mqtt://b too');
  });
});
