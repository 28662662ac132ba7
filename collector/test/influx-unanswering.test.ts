/**
 * A query InfluxDB does not answer in time is said for what it is: a server that
 * answers nothing, not even /ping (frozen, hung, its host gone), is unavailable
 * (the pages say the data is safe and to try again); a server that answers /ping
 * but not the query is slow on this read (the pages say to ask for less).
 */
import { readdirSync, readFileSync } from 'node:fs';
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

/**
 * Stops the process and waits until every one of its threads is stopped: `kill` returns once the
 * signal is sent, and a thread running on the other core meanwhile can still answer a request.
 */
async function freeze(pid: number): Promise<void> {
  process.kill(pid, 'SIGSTOP');
  const stopped = (task: string) => {
    try {
      // The state is the field after the command's closing parenthesis.
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'T';
    } catch {
      return true; // the thread ended
    }
  };
  const deadline = Date.now() + 10_000;
  while (!readdirSync(`/proc/${pid}/task`).every(stopped)) {
    if (Date.now() > deadline) throw new Error(`influxd (pid ${pid}) did not stop within 10 s of SIGSTOP`);
    await new Promise((r) => setTimeout(r, 5));
  }
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
    await freeze(influxd.process().pid as number);
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
