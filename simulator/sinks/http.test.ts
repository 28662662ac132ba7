/**
 * The HTTP sink against a tiny local ingest server (node:http on a free port,
 * not the real collector): 503s and a collector that is down lose nothing and
 * duplicate nothing; rejected events are not resent; a bad token stops the run.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { StationEvent } from '../../core/events';
import { HttpSink } from './http';

type Handler = (events: StationEvent[], req: IncomingMessage) => { status: number; body?: unknown; headers?: Record<string, string> };

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
});

async function listen(handler: Handler, port = 0): Promise<{ url: string; port: number }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { status, body, headers } = handler(JSON.parse(Buffer.concat(chunks).toString('utf8')) as StationEvent[], req);
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body === undefined ? '' : JSON.stringify(body));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${actual}`, port: actual };
}

function events(n: number): StationEvent[] {
  return Array.from({ length: n }, (_, i) => ({ type: 'orders', id: `run-${i}`, ts: 1_803_852_000_000 + i, total: 120_000 + i }));
}

const quiet = { initialBackoffMs: 5, maxBackoffMs: 20, flushIntervalMs: 10 };

describe('HttpSink', () => {
  it('retries through 503 twice, then delivers every event exactly once, with the token', async () => {
    let requests = 0;
    const accepted: string[] = [];
    const auth: (string | undefined)[] = [];
    const { url } = await listen((batch, req) => {
      requests += 1;
      auth.push(req.headers.authorization);
      if (requests <= 2) return { status: 503, headers: { 'retry-after': '0' }, body: { error: 'storage unavailable' } };
      accepted.push(...batch.map((e) => e.id ?? ''));
      return { status: 200, body: { accepted: batch.length, duplicates: 0, rejected: [] } };
    });
    const log: string[] = [];
    const sink = new HttpSink({ target: `${url}/`, token: 'secret', batchSize: 100, log: (l) => log.push(l), ...quiet });
    const sent = events(250);
    for (const e of sent) sink.write(e);
    await sink.close();
    expect(accepted).toEqual(sent.map((e) => e.id));
    expect(new Set(accepted).size).toBe(250);
    expect(auth.every((a) => a === 'Bearer secret')).toBe(true);
    expect(log.filter((l) => l.includes('503'))).toHaveLength(2);
    expect(sink.stats).toMatchObject({ accepted: 250, rejected: 0, retries: 2 });
  });

  it('keeps events while the collector is down and sends them when it comes up', async () => {
    // Take a free port, close it, and start the collector there only after a few failed attempts.
    const probe = await listen(() => ({ status: 200 }));
    const port = probe.port;
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const log: string[] = [];
    const received: string[] = [];
    let started = false;
    const sink = new HttpSink({
      target: `http://127.0.0.1:${port}`,
      token: 't',
      log: (l) => log.push(l),
      ...quiet,
      sleep: async (ms) => {
        await new Promise((r) => setTimeout(r, ms));
        if (log.length >= 3 && !started) {
          started = true;
          await listen((batch) => {
            received.push(...batch.map((e) => e.id ?? ''));
            return { status: 200, body: { accepted: batch.length, duplicates: 0, rejected: [] } };
          }, port);
        }
      },
    });
    for (const e of events(30)) sink.write(e);
    await sink.close();
    expect(log.length).toBeGreaterThanOrEqual(3);
    expect(log[0]).toMatch(/unreachable/);
    expect(received).toEqual(events(30).map((e) => e.id));
  });

  it('does not resend rejected events and prints each reason once', async () => {
    const seen: string[] = [];
    const { url } = await listen((batch) => {
      seen.push(...batch.map((e) => e.id ?? ''));
      // Every event whose id ends in 3 is refused, for the same reason.
      const rejected = batch.flatMap((e, index) =>
        (e.id ?? '').endsWith('3') ? [{ index, field: 'line', code: 'unknown_line', reason: "line 'A1' is not configured" }] : [],
      );
      return { status: 200, body: { accepted: batch.length - rejected.length, duplicates: 0, rejected } };
    });
    const log: string[] = [];
    const sink = new HttpSink({ target: url, token: 't', batchSize: 10, log: (l) => log.push(l), ...quiet });
    for (const e of events(40)) sink.write(e);
    await sink.close();
    expect(seen).toEqual(events(40).map((e) => e.id)); // each sent once, none resent
    expect(sink.stats).toMatchObject({ accepted: 36, rejected: 4 });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/line: line 'A1' is not configured/);
  });

  it('splits a batch the collector finds too large (413)', async () => {
    const sizes: number[] = [];
    const received: string[] = [];
    const { url } = await listen((batch) => {
      sizes.push(batch.length);
      if (batch.length > 4) return { status: 413, body: { error: 'too large' } };
      received.push(...batch.map((e) => e.id ?? ''));
      return { status: 200, body: { accepted: batch.length, duplicates: 0, rejected: [] } };
    });
    const sink = new HttpSink({ target: url, token: 't', batchSize: 10, log: () => {}, ...quiet });
    for (const e of events(10)) sink.write(e);
    await sink.close();
    expect(received).toEqual(events(10).map((e) => e.id));
    expect(sizes[0]).toBe(10);
  });

  it('stops with a clear error on a bad token', async () => {
    let requests = 0;
    const { url } = await listen(() => {
      requests += 1;
      return { status: 401, body: { error: 'bad token' } };
    });
    const sink = new HttpSink({ target: url, token: 'wrong', log: () => {}, ...quiet });
    sink.write(events(1)[0] as StationEvent);
    await expect(sink.close()).rejects.toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/--token/) });
    expect(requests).toBe(1);
    expect(() => sink.write(events(1)[0] as StationEvent)).toThrow(/token/);
  });
});
