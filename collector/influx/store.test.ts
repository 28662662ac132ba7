import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { HttpError, InfluxDB, setLogger } from '@influxdata/influxdb-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacyWriteTransport } from './legacy-transport';
import { sendLines, writeGzipBytesFor } from './store';

/** How the store wrote before sendLines: the client's WriteApi, one batch, no retries. The reference sendLines must equal. */
async function viaWriteApi(influx: InfluxDB, org: string, bucket: string, lines: string[]): Promise<void> {
  const api = influx.getWriteApi(org, bucket, 'ns', { batchSize: lines.length + 1, flushInterval: 0, maxRetries: 0, maxBufferLines: lines.length + 1, gzipThreshold: 64 * 1024 });
  api.writeRecords(lines);
  await api.close();
}

/** What InfluxDB answers next; `reset` drops the connection without an answer. */
type Answer = { status: number; body?: string; headers?: Record<string, string> } | 'reset';
let answer: Answer = { status: 204 };
const requests: { method: string; url: string; encoding: string; type: string; body: string }[] = [];

let server: Server;
let url: string;
beforeAll(async () => {
  setLogger({ error: () => undefined, warn: () => undefined });
  server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const encoding = String(req.headers['content-encoding'] ?? '');
      requests.push({ method: req.method ?? '', url: req.url ?? '', encoding, type: String(req.headers['content-type']), body: (encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8') });
      if (answer === 'reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** The outcome of a write as the store sees it: written, or the error's kind, status, body and message. */
async function outcome(write: Promise<void>): Promise<unknown> {
  try {
    await write;
    return 'written';
  } catch (error) {
    if (error instanceof HttpError) return { http: error.statusCode, body: error.body, message: error.message, retryAfter: error.retryAfter() };
    return { error: error instanceof Error ? error.constructor.name : String(error) };
  }
}

const json = { 'content-type': 'application/json' };
const ANSWERS: Answer[] = [
  { status: 204 },
  { status: 201 },
  { status: 200, body: 'ok' },
  { status: 400, body: '{"error":"field type conflict: input field \\"cycleTime\\" on measurement \\"cycle\\" is type string, already exists as type float"}', headers: json },
  { status: 400, body: '{"error":"write failed: hinted handoff queue not empty"}', headers: json },
  { status: 401, body: '{"code":"unauthorized","message":"unauthorized access"}', headers: json },
  { status: 404, body: '{"error":"database not found: \\"nope\\""}', headers: json },
  { status: 413, body: 'too large' },
  { status: 429, body: 'slow down', headers: { 'retry-after': '7' } },
  { status: 500, body: '{"error":"timeout"}', headers: json },
  { status: 503, body: '' },
  'reset',
];

describe('sendLines', () => {
  const small = ['cycle,line=A1,station=S01 cycleTime=1 1800000000000000000', 'unit,line=A1 good=1i,unit="V\\"1" 1800000000000000001'];
  const large = Array.from({ length: 2000 }, (_, i) => `cycle,line=A1,station=S${i % 20} cycleTime=${100 + i},unit="LVIN${i}",note="急停 ${'x'.repeat(i % 50)}" 18000000000${String(i).padStart(8, '0')}`);

  it.each([
    ['the v2 write path', () => new InfluxDB({ url, token: 'secret' })],
    ['the 1.x legacy write path', () => new InfluxDB({ url, transport: legacyWriteTransport(new InfluxDB({ url }).transport, { username: 'u', password: 'p' }) })],
  ])("answers every status and failure as the client's WriteApi did, with the same request, on %s", async (_name, client) => {
    const influx = client();
    for (const a of ANSWERS) {
      for (const lines of [small, large]) {
        answer = a;
        requests.length = 0;
        const before = await outcome(viaWriteApi(influx, 'org', 'db/rp', lines));
        const after = await outcome(sendLines(influx, 'org', 'db/rp', lines));
        expect({ answer: a, outcome: after }).toEqual({ answer: a, outcome: before });
        expect(requests).toHaveLength(2);
        expect(requests[1]).toEqual(requests[0]);
      }
    }
    // Both paths were really taken: small bodies plain, large ones gzip, and each failure kind seen.
    answer = { status: 204 };
    requests.length = 0;
    await sendLines(influx, 'org', 'db/rp', large);
    await sendLines(influx, 'org', 'db/rp', small);
    expect(requests.map((r) => r.encoding)).toEqual(['gzip', '']);
    expect(requests[0]?.body).toBe(large.join('\n'));
  });
});

describe('writes to a loopback InfluxDB go uncompressed', () => {
  it('never gzips for localhost, 127.0.0.0/8 or ::1; above 64 KiB for any other host', () => {
    for (const loopback of ['http://localhost:8086', 'http://LOCALHOST:8086/', 'http://influx.localhost:8086', 'http://127.0.0.1:39123', 'http://127.1.2.3:8086', 'https://[::1]:8086']) {
      expect({ loopback, bytes: writeGzipBytesFor(loopback) }).toEqual({ loopback, bytes: Number.POSITIVE_INFINITY });
    }
    for (const remote of ['http://influx.plant.local:8086', 'https://eu-central-1-1.aws.cloud2.influxdata.com', 'http://10.0.0.5:8086', 'http://128.0.0.1:8086', 'http://[::2]:8086', 'http://localhost.example.com:8086', 'not a url']) {
      expect({ remote, bytes: writeGzipBytesFor(remote) }).toEqual({ remote, bytes: 64 * 1024 });
    }
  });

  it('sends a large write plain, byte for byte, when told not to gzip it', async () => {
    const influx = new InfluxDB({ url, token: 'secret' });
    const lines = Array.from({ length: 2000 }, (_, i) => `cycle,line=A1,station=S${i % 20} cycleTime=${100 + i},unit="LVIN${i}" 18000000000${String(i).padStart(8, '0')}`);
    answer = { status: 204 };
    requests.length = 0;
    await sendLines(influx, 'org', 'db/rp', lines, writeGzipBytesFor(url));
    expect(requests.map((r) => r.encoding)).toEqual(['']);
    expect(requests[0]?.body).toBe(lines.join('\n'));
  });
});
