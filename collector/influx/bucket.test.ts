import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureBucket } from './bucket';

/** A stand-in for the bucket endpoints of InfluxDB 2.x's API (unit level: creating a bucket is all it answers). */
function fakeInflux2(options: { buckets: string[]; mayCreate: boolean }) {
  const created: unknown[] = [];
  const seenTokens: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    seenTokens.push(req.headers.authorization ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/api/v2/buckets') {
      json(200, { buckets: options.buckets.filter((b) => b === url.searchParams.get('name')).map((name) => ({ name })) });
    } else if (req.method === 'GET' && url.pathname === '/api/v2/orgs') {
      json(200, { orgs: [{ id: '0a1b2c3d4e5f6a7b', name: 'taktline' }] });
    } else if (req.method === 'POST' && url.pathname === '/api/v2/buckets') {
      if (!options.mayCreate) return json(403, { code: 'forbidden', message: 'write:orgs/…/buckets is unauthorized' });
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        created.push(JSON.parse(body));
        json(201, { id: 'b1' });
      });
    } else json(404, { code: 'not found' });
  });
  return { server, created, seenTokens };
}

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

async function listen(s: Server): Promise<string> {
  server = s;
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

describe('ensureBucket (InfluxDB 2.x)', () => {
  it('creates a missing bucket in the organisation, with the token', async () => {
    const fake = fakeInflux2({ buckets: [], mayCreate: true });
    const url = await listen(fake.server);
    expect(await ensureBucket({ url, token: 'all-access', org: 'taktline', bucket: 'line-data' })).toEqual({ outcome: 'created', detail: '' });
    expect(fake.created).toEqual([{ orgID: '0a1b2c3d4e5f6a7b', name: 'line-data', retentionRules: [] }]);
    expect(new Set(fake.seenTokens)).toEqual(new Set(['Token all-access']));
  });

  it('leaves an existing bucket alone', async () => {
    const fake = fakeInflux2({ buckets: ['line-data'], mayCreate: true });
    const url = await listen(fake.server);
    expect((await ensureBucket({ url, token: 't', org: 'taktline', bucket: 'line-data' })).outcome).toBe('exists');
    expect(fake.created).toEqual([]);
  });

  it('says so when the token may not create buckets, without throwing', async () => {
    const fake = fakeInflux2({ buckets: [], mayCreate: false });
    const url = await listen(fake.server);
    expect(await ensureBucket({ url, token: 'write-only', org: 'taktline', bucket: 'line-data' })).toEqual({
      outcome: 'not_permitted',
      detail: 'creating the bucket: 403',
    });
  });

  it('reports an unreachable server as failed', async () => {
    expect((await ensureBucket({ url: 'http://127.0.0.1:1', token: 't', org: 'taktline', bucket: 'b' }, 500)).outcome).toBe('failed');
  });
});
