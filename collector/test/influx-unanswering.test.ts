/**
 * A query InfluxDB does not answer in time is said for what it is: a server that
 * answers nothing, not even /ping (frozen, hung, its host gone), is unavailable
 * (the pages say the data is safe and to try again); a server that answers /ping
 * but not the query is slow on this read (the pages say to ask for less).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectInflux, InfluxError } from '../influx/store';
import { startTestInfluxd, type TestInfluxd } from './support/influxd';

async function failure(read: Promise<unknown>): Promise<InfluxError> {
  try {
    await read;
  } catch (error) {
    if (error instanceof InfluxError) return error;
    throw error;
  }
  throw new Error('the read was answered');
}

describe('a query InfluxDB does not answer in time', () => {
  let influxd: TestInfluxd;
  beforeAll(async () => {
    influxd = await startTestInfluxd();
  });
  afterAll(async () => {
    influxd.process().kill('SIGCONT');
    await influxd.dispose();
  });

  it('is influx_unavailable when the real influxd is frozen (SIGSTOP) and answers not even /ping; answered again once it runs', { timeout: 60_000 }, async () => {
    const store = await connectInflux({ url: influxd.url, token: '', org: 'taktline', bucket: 'taktline' }, { queryTimeoutMs: 1500 });
    expect(await store.reads.firstEventAt('A1')).toBeNull();
    influxd.process().kill('SIGSTOP');
    try {
      const e = await failure(store.reads.firstEventAt('A1'));
      expect(e.code).toBe('influx_unavailable');
      expect(e.retryable).toBe(true);
      expect(e.message).toContain('/ping');
      expect(e.message).not.toContain('shorter');
    } finally {
      influxd.process().kill('SIGCONT');
    }
    expect(await store.reads.firstEventAt('A1')).toBeNull();
  });
});

describe('a server that answers /ping but not the query', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // /ping as InfluxDB 1.x answers it; /query held open, as a read too long for the server would be.
    server = createServer((req, res) => {
      if (req.url?.startsWith('/ping')) {
        res.writeHead(204, { 'X-Influxdb-Version': '1.6.7', 'X-Influxdb-Build': 'OSS' });
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('is influx_timeout, which asks for a shorter interval', { timeout: 30_000 }, async () => {
    const store = await connectInflux({ url, token: '', org: 'taktline', bucket: 'taktline' }, { queryTimeoutMs: 1500 });
    const e = await failure(store.reads.firstEventAt('A1'));
    expect(e.code).toBe('influx_timeout');
    expect(e.message).toContain('shorter interval');
  });
});
