import { describe, expect, it } from 'vitest';
import { mapWritePath } from './legacy-transport';

describe('mapWritePath', () => {
  it('maps the v2 write path to the legacy /write with database, retention policy and precision', () => {
    expect(mapWritePath('/api/v2/write?org=taktline&bucket=plant%2Fweekly&precision=ns')).toBe(
      '/write?db=plant&rp=weekly&precision=n',
    );
    expect(mapWritePath('/api/v2/write?org=x&bucket=taktline&precision=ms')).toBe('/write?db=taktline&precision=ms');
  });

  it('adds 1.x credentials as u and p', () => {
    expect(mapWritePath('/api/v2/write?org=x&bucket=db&precision=s', { username: 'line', password: 'p@ss' })).toBe(
      '/write?db=db&precision=s&u=line&p=p%40ss',
    );
  });

  it('leaves every other path alone', () => {
    expect(mapWritePath('/ping')).toBe('/ping');
    expect(mapWritePath('/query?db=x&q=SHOW+DATABASES')).toBe('/query?db=x&q=SHOW+DATABASES');
  });
});
