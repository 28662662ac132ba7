import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from './args';

describe('parseCliArgs', () => {
  it('has headless defaults', () => {
    expect(parseCliArgs([])).toMatchObject({ scenario: 'reference', seed: 1, hours: 24, speed: 'max', target: null, start: null });
  });

  it('runs until stopped, at real time, from now-by-default, when driving a collector', () => {
    const o = parseCliArgs(['--target', 'http://localhost:8080'], { TAKTLINE_TOKEN: 'tok' });
    expect(o).toMatchObject({ hours: Infinity, speed: 1, token: 'tok', start: null });
  });

  it('publishes through OPC UA on request, on port 4840 unless told', () => {
    expect(parseCliArgs(['--target', 'http://localhost:8080', '--token', 't', '--via', 'opcua'])).toMatchObject({ via: 'opcua', opcuaPort: 4840 });
    expect(parseCliArgs(['--target', 'http://localhost:8080', '--token', 't', '--via', 'opcua', '--opcua-port', '0'])).toMatchObject({ opcuaPort: 0 });
    expect(parseCliArgs([])).toMatchObject({ via: 'http' });
  });

  it.each([
    [['--seed', '1.5'], /--seed must be a whole number/],
    [['--hours', '0'], /--hours must be a number of simulated hours > 0/],
    [['--speed', '0.5'], /--speed must be a number from 1 to 1000/],
    [['--start', '2027-03-01 06:00'], /--start must be 'now' or RFC 3339/],
    [['--target', 'localhost:8080', '--token', 't'], /--target must be an http/],
    [['--target', 'http://localhost:8080'], /needs an ingest token/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
    [['--via', 'modbus'], /--via must be 'http' or 'opcua'/],
    [['--via', 'opcua'], /--via opcua needs --target/],
    [['--target', 'http://localhost:8080', '--token', 't', '--via', 'opcua', '--opcua-port', '70000'], /--opcua-port must be a TCP port/],
    [['extra'], /Unexpected argument 'extra'/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliArgs(argv as string[])).toThrow(UsageError);
    expect(() => parseCliArgs(argv as string[])).toThrow(message);
  });
});
