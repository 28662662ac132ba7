/**
 * Hostile clients against a real collector and a real influxd (issue 18,
 * defects 3, 4, 5, 6, 8, 9): request targets no URL parser accepts, sent as
 * raw bytes on a TCP socket, plain and as WebSocket upgrades; prototype names
 * (`constructor`, `toString`, …) as lines, stations, partners, entities and as
 * every parameter of every GET route the app registers; times outside the
 * documented limits; security headers; WebSocket origins; partner and entity
 * names that are not registered; and a password in the InfluxDB URL.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { referencePartnerRegistry } from '../../core/cluster/reference';
import { referencePlant, type PlantConfig } from '../../core/plant';
import { localTime } from '../../core/time/civil';
import { buildApp, type App } from '../app';
import { DEFAULT_COLLECTOR_CONFIG, type CollectorConfig } from '../config';
import { connectInflux } from '../influx/store';
import { startStack, TEST_ADMIN_TOKEN, TEST_INGEST_TOKEN, type Stack } from './support/stack';

/** Names that are members of every plain object. */
const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'];
/** The ones that are also valid identifiers (stations, partners, entities may be called so). */
const PROTO_IDS = ['constructor', 'toString', 'valueOf', 'hasOwnProperty'];

let stack: Stack;
let tmp: string;

/** Line A1 with stations named like Object's members, and a second line called `valueOf`. */
function hostilePlant(): PlantConfig {
  const plant = referencePlant();
  const a1 = plant.lines[0]!;
  a1.stations = [...PROTO_IDS.map((id) => ({ id, name: { zh: id, en: id } })), ...a1.stations];
  plant.lines.push({ ...a1, id: 'valueOf', name: { zh: 'valueOf', en: 'valueOf' }, stations: PROTO_IDS.map((id) => ({ id, name: { zh: id, en: id } })) });
  return plant;
}

function hostileRegistry() {
  const registry = referencePartnerRegistry();
  for (const id of PROTO_IDS) {
    registry.partners.push({ id, name: { zh: id, en: id }, category: 'battery', tier: 1, inDistrict: true, stations: [] });
  }
  return registry;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'taktline-hostile-'));
  const partnersFile = join(tmp, 'partners.json');
  writeFileSync(partnersFile, JSON.stringify(hostileRegistry()));
  stack = await startStack({
    config: { plant: hostilePlant(), partnersFile, allowedOrigins: ['https://wall.example.com'] },
  });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** Sends raw bytes on a new TCP connection; resolves with everything the server wrote until it closed. */
function raw(request: string | Buffer, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(stack.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.write(request);
  });
}

const statusOf = (reply: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0);
const bodyOf = (reply: string) => reply.slice(reply.indexOf('\r\n\r\n') + 4);

const UPGRADE_HEADERS = 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n';

describe('request targets that are not paths', () => {
  // Each of these made `new URL(target, base)` throw (`//[` reads as an authority with a broken host).
  const targets = ['//[', '//[::1', '//[/api/v1/live', '//x:99999/', '//a@[/', '*', 'api/v1/health', 'http://[', '//%00/'];

  it('a WebSocket upgrade to any of them gets a 400 with a reason written on the socket, and the collector stays up', async () => {
    for (const target of targets) {
      const reply = await raw(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${UPGRADE_HEADERS}\r\n`);
      expect(statusOf(reply), `${target}: ${reply.slice(0, 200)}`).toBe(400);
      const body = JSON.parse(bodyOf(reply)) as { error: { code: string; message: string } };
      // `invalid_target` from the collector; `bad_request` where Node's parser refused the request line first.
      expect(['invalid_target', 'bad_request']).toContain(body.error.code);
      expect(body.error.message.length).toBeGreaterThan(10);
    }
    const health = await fetch(`${stack.baseUrl}/api/v1/health`);
    expect(health.status).toBe(200);
  });

  it('a plain request to any of them gets a 400 with a reason, not a 500', async () => {
    for (const target of targets) {
      const reply = await raw(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      expect(statusOf(reply), `${target}: ${reply.slice(0, 200)}`).toBe(400);
      expect((JSON.parse(bodyOf(reply)) as { error: { message: string } }).error.message.length).toBeGreaterThan(10);
    }
  });

  it('bytes that are not HTTP, oversized headers and broken upgrades get 4xx answers, and the collector stays up', async () => {
    const attacks = [
      'GET / HTTP/1.1\r\nHost: x\r\nX: \u0000\r\n\r\n',
      'GARBAGE\r\n\r\n',
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`,
      `GET /api/v1/live?line=%ZZ HTTP/1.1\r\nHost: 127.0.0.1\r\n${UPGRADE_HEADERS}Sec-WebSocket-Version: 99\r\n\r\n`,
      `GET /api/v1/nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n${UPGRADE_HEADERS}\r\n`,
      `GET /api/v1/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\n${UPGRADE_HEADERS}Authorization: Bearer\r\n\r\n`,
    ];
    for (const attack of attacks) {
      const status = statusOf(await raw(attack));
      expect(status, attack.slice(0, 60)).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
    }
    expect((await fetch(`${stack.baseUrl}/api/v1/health`)).status).toBe(200);
  });
});

describe('prototype names as keys', () => {
  const now = Date.now() - 2000;
  const period = localTime(now, 'Asia/Shanghai').date.slice(0, 7);

  beforeAll(async () => {
    const events = PROTO_IDS.flatMap((name, i) => [
      { type: 'state', ts: now - 60_000, line: 'A1', station: name, state: 'running' },
      { type: 'cycle', ts: now - 30_000, line: 'A1', station: name, cycleTime: 100 + i },
      { type: 'state', ts: now - 60_000, line: 'valueOf', station: name, state: 'fault', reason: name },
      { type: 'partner', ts: now, partner: name, status: 'at_risk', inventoryHours: 2 + i },
      { type: 'output', ts: now, entity: name, period, value: 1000 * (i + 1) },
    ]);
    const res = await stack.postEvents(events);
    expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(200);
    expect((res.body as { accepted: number }).accepted).toBe(events.length);
  });

  it('the cluster goal sums entities named constructor, toString, valueOf as numbers', async () => {
    const res = await fetch(`${stack.baseUrl}/api/v1/cluster`);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).not.toContain('native code');
    const body = JSON.parse(text) as { months: { period: string; byEntity: Record<string, unknown> }[]; contributions: { entity: string; valueYuan: unknown }[] };
    const month = body.months.find((m) => m.period === period);
    PROTO_IDS.forEach((name, i) => {
      expect(month?.byEntity[name], name).toBe(1000 * (i + 1));
      expect(body.contributions.find((c) => c.entity === name)?.valueYuan, name).toBe(1000 * (i + 1));
    });
  });

  it('the event export refuses type=constructor, __proto__, … with 400 and the list of types', async () => {
    for (const type of PROTO_NAMES) {
      const res = await fetch(`${stack.baseUrl}/api/v1/export/events?line=A1&range=day:today&type=${type}`);
      expect(res.status, type).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/json/);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/unit, cycle, state/);
    }
  });

  it('every GET route answers every prototype name in every parameter without a 5xx or a leaked function', async () => {
    const routes = stack.app().routes().filter((r) => r.method === 'GET');
    expect(routes.length).toBeGreaterThan(10);
    const params = ['line', 'range', 'from', 'to', 'now', 'type', 'format', 'station', 'partner', 'entity', 'period', 'kind'];
    let requests = 0;
    for (const { path } of routes) {
      for (const param of params) {
        for (const name of PROTO_NAMES) {
          const query = new URLSearchParams({ line: 'A1', range: 'day:today' });
          query.set(param, name);
          if (param === 'from' || param === 'to') query.delete('range');
          const res = await fetch(`${stack.baseUrl}${path}?${query.toString()}`);
          const text = await res.text();
          requests += 1;
          expect(res.status, `${path}?${query.toString()}: ${text.slice(0, 200)}`).toBeLessThan(500);
          expect(text, `${path}?${query.toString()}`).not.toMatch(/native code|function \w*\(|\[object Object\]/);
        }
      }
    }
    expect(requests).toBe(routes.length * params.length * PROTO_NAMES.length);
  });

  it('the live socket serves a line called valueOf and refuses one called constructor by name', async () => {
    const first = async (line: string) => {
      const ws = new WebSocket(`${stack.baseUrl.replace('http', 'ws')}/api/v1/live?line=${line}`);
      const message = await new Promise<{ type: string; code?: string }>((resolve, reject) => {
        ws.once('message', (data) => resolve(JSON.parse(String(data)) as { type: string; code?: string }));
        ws.once('error', reject);
      });
      ws.close();
      return message;
    };
    expect((await first('valueOf')).type).toBe('snapshot');
    expect(await first('constructor')).toMatchObject({ type: 'error', code: 'unknown_line' });
  });
});

describe('times outside the documented limits', () => {
  const interval = ['/api/v1/kpi', '/api/v1/trends', '/api/v1/history/hourly', '/api/v1/history/uph', '/api/v1/history/cycles', '/api/v1/history/states', '/api/v1/history/downtime', '/api/v1/export/events'];
  const plantWide = ['/api/v1/partners', '/api/v1/partners/alerts', '/api/v1/orders', '/api/v1/cluster'];
  const badNow = ['9999-12-31T23:59:59Z', '1677-09-20T00:00:00Z', '2262-04-12T00:00:00Z', '2200-01-01T00:00:00Z', '1999-12-31T23:59:59Z', '99999999999999', '9999999999'];
  const badRanges: [string, string][] = [
    ['1000-01-01T00:00:00Z', '1000-01-02T00:00:00Z'],
    ['2262-04-12T00:00:00Z', '2262-04-13T00:00:00Z'],
    ['2199-12-31T00:00:00Z', '2200-01-02T00:00:00Z'],
    ['1677-09-21T00:00:00Z', '2000-01-02T00:00:00Z'],
    ['99999999999999', '99999999999999'],
  ];

  async function expect400(path: string): Promise<void> {
    const res = await fetch(`${stack.baseUrl}${path}`);
    const text = await res.text();
    expect(res.status, `${path}: ${text.slice(0, 200)}`).toBe(400);
    expect(res.headers.get('content-type'), path).toMatch(/json/);
    const body = JSON.parse(text) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_parameter');
    expect(body.error.message).toMatch(/2000-01-01.*2200-01-01/);
    expect(text).not.toMatch(/overflow|RangeError|civil date/);
  }

  it('now= outside 2000–2199 is a 400 with the limits, on every route that takes it', async () => {
    for (const path of [...interval, ...plantWide]) {
      for (const now of badNow) await expect400(`${path}?line=A1&range=day:today&now=${encodeURIComponent(now)}`);
    }
  });

  it('from/to outside 2000–2199 is a 400 with the limits, the CSV export included, before its first byte', async () => {
    for (const path of interval) {
      for (const [from, to] of badRanges) await expect400(`${path}?line=A1&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    }
  });

  it('the first and last instants within the limits are answered', async () => {
    const res = await fetch(`${stack.baseUrl}/api/v1/kpi?line=A1&from=2199-12-31T00:00:00Z&to=2199-12-31T23:59:59.999Z&now=2199-12-31T12:00:00Z`);
    expect(res.status, await res.clone().text()).toBe(200);
    const early = await fetch(`${stack.baseUrl}/api/v1/export/events?line=A1&type=cycle&from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z`);
    expect(early.status).toBe(200);
    expect(await early.text()).toBe('time,line,station,cycleTime,unit,result,id\r\n');
  });
});

describe('security headers', () => {
  it('every API answer, errors included, carries nosniff, a deny-all CSP, no framing and no referrer', async () => {
    for (const [path, status] of [
      ['/api/v1/health', 200],
      ['/api/v1/kpi?line=A1&range=day:today', 200],
      ['/api/v1/kpi?line=A1&range=nope', 400],
      ['/api/v1/nowhere', 404],
      ['/metrics', 200],
    ] as const) {
      const res = await fetch(`${stack.baseUrl}${path}`);
      expect(res.status, path).toBe(status);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('content-security-policy'), path).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
  });
});

describe('WebSocket origins', () => {
  /** The HTTP status of a handshake: 101 when it opened. */
  function handshake(path: string, headers: Record<string, string>): Promise<number> {
    return new Promise((resolve) => {
      const ws = new WebSocket(`${stack.baseUrl.replace('http', 'ws')}${path}`, { headers });
      ws.once('open', () => {
        ws.close();
        resolve(101);
      });
      ws.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
      });
      ws.once('error', () => resolve(0));
    });
  }
  const auth = { authorization: `Bearer ${TEST_INGEST_TOKEN}` };

  it("the live socket opens for the collector's own pages, the allowed origins and non-browser clients only", async () => {
    expect(await handshake('/api/v1/live?line=A1', {})).toBe(101);
    expect(await handshake('/api/v1/live?line=A1', { origin: stack.baseUrl })).toBe(101);
    expect(await handshake('/api/v1/live?line=A1', { origin: 'https://wall.example.com' })).toBe(101);
    expect(await handshake('/api/v1/live?line=A1', { origin: 'http://evil.example' })).toBe(403);
    expect(await handshake('/api/v1/live?line=A1', { origin: 'null' })).toBe(403);
    expect(await handshake('/api/v1/live?line=A1', { origin: `http://127.0.0.1:${stack.port + 1}` })).toBe(403);
  });

  it('the ingest socket refuses a foreign page even with a valid token', async () => {
    expect(await handshake('/api/v1/ingest', auth)).toBe(101);
    expect(await handshake('/api/v1/ingest', { ...auth, origin: 'http://evil.example' })).toBe(403);
  });
});

describe('partner and entity names come from the registry', () => {
  const seriesCount = async () =>
    (await stack.influxd.query('SHOW SERIES FROM "partner", "output"')).length;

  it('refuses unregistered partners and entities with where to register them, and adds no series', async () => {
    const now = Date.now() - 1000;
    const before = await seriesCount();
    const events = Array.from({ length: 200 }, (_, i) => [
      { type: 'partner', ts: now, partner: `P-NEW-${i}`, status: 'ok' },
      { type: 'output', ts: now, entity: `ENT-NEW-${i}`, period: '2027-03', value: 1 },
    ]).flat();
    const res = await stack.postEvents(events);
    expect(res.status).toBe(400);
    const body = res.body as { accepted: number; rejected: { index: number; code: string; field: string; reason: string }[] };
    expect(body.accepted).toBe(0);
    expect(body.rejected).toHaveLength(400);
    expect(body.rejected[0]).toMatchObject({ code: 'unknown_partner', field: 'partner' });
    expect(body.rejected[1]).toMatchObject({ code: 'unknown_entity', field: 'entity' });
    for (const r of body.rejected) expect(r.reason).toMatch(/TAKTLINE_PARTNERS_FILE.*PUT \/api\/v1\/partners.*TAKTLINE_MAX_UNREGISTERED_NAMES/);
    expect(body.rejected[0]?.reason).toContain('P-BATT-01');
    expect(await seriesCount()).toBe(before);
  });

  it('accepts a partner once the admin API registered it', async () => {
    const registry = hostileRegistry();
    registry.partners.push({ id: 'P-LATE-01', name: { zh: '新', en: 'New' }, category: 'seats', tier: 2, inDistrict: false, stations: [] });
    const put = await fetch(`${stack.baseUrl}/api/v1/partners`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(registry),
    });
    expect(put.status).toBe(200);
    const res = await stack.postEvents([{ type: 'partner', ts: Date.now() - 1000, partner: 'P-LATE-01', status: 'ok' }]);
    expect(res.status).toBe(200);
  });

  it('with TAKTLINE_MAX_UNREGISTERED_NAMES=3 accepts three new names, then no more, across a restart', async () => {
    const dataDir = mkdtempSync(join(tmp, 'limit-'));
    const config: CollectorConfig = { ...DEFAULT_COLLECTOR_CONFIG, dataDir, host: '127.0.0.1', port: 0, influxUrl: stack.influxd.url, ingestTokens: [TEST_INGEST_TOKEN], maxUnregisteredNames: 3, influxBucket: 'limits' };
    const run = async (events: unknown[]) => {
      const app = buildApp({ config, store: await connectInflux({ url: config.influxUrl, token: '', org: config.influxOrg, bucket: config.influxBucket }) });
      await app.start();
      await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
      const port = (app.server.address() as AddressInfo).port;
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_INGEST_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(events),
      });
      const body = (await res.json()) as { accepted: number; rejected: { index: number; reason: string }[] };
      while (app.metrics.spool().unwrittenEvents > 0) await new Promise((r) => setTimeout(r, 20));
      await app.close();
      return body;
    };
    const ts = Date.now() - 1000;
    const partner = (name: string) => ({ type: 'partner', ts, partner: name, status: 'ok' });
    const first = await run([partner('P-X-1'), partner('P-X-2'), partner('P-X-1'), { type: 'output', ts, entity: 'ENT-X-1', period: '2027-03', value: 1 }, partner('P-X-3')]);
    expect(first.accepted).toBe(4);
    expect(first.rejected.map((r) => r.index)).toEqual([4]);
    expect(first.rejected[0]?.reason).toMatch(/the 3 unregistered names TAKTLINE_MAX_UNREGISTERED_NAMES allows are taken/);
    // After a restart the names InfluxDB holds still count: known ones pass, a fourth does not.
    const second = await run([partner('P-X-2'), partner('P-X-4')]);
    expect(second.accepted).toBe(1);
    expect(second.rejected.map((r) => r.index)).toEqual([1]);
  });
});

describe('a password in the InfluxDB or MQTT URL', () => {
  it('appears in no answer and no log, even when a store was connected with it', { timeout: 30_000 }, async () => {
    const secret = 'pw-s3cret-77';
    const influxUrl = stack.influxd.url.replace('http://', `http://reader:${secret}@`);
    const logs: string[] = [];
    const capture = (...args: unknown[]) => void logs.push(args.map((a) => (a instanceof Error ? `${a.message} ${String(a.cause)}` : String(a))).join(' '));
    const spies = [vi.spyOn(console, 'error').mockImplementation(capture), vi.spyOn(console, 'warn').mockImplementation(capture), vi.spyOn(console, 'log').mockImplementation(capture)];
    let app: App | null = null;
    try {
      const dataDir = mkdtempSync(join(tmp, 'secret-'));
      // The MQTT broker's URL carries a password too (the usual way for MQTT); nothing listens on port 1.
      const mqttUrl = `mqtt://station:${secret}@127.0.0.1:1`;
      const config: CollectorConfig = { ...DEFAULT_COLLECTOR_CONFIG, dataDir, host: '127.0.0.1', port: 0, influxUrl, mqttUrl, ingestTokens: [TEST_INGEST_TOKEN] };
      app = buildApp({ config, store: await connectInflux({ url: influxUrl, token: '', org: config.influxOrg, bucket: config.influxBucket }) });
      await app.start();
      await new Promise<void>((resolve) => app!.server.listen(0, '127.0.0.1', () => resolve()));
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const health = await fetch(`${base}/api/v1/health`);
      const healthText = await health.text();
      expect(healthText).not.toContain(secret);
      expect(healthText).not.toContain('reader');
      expect((JSON.parse(healthText) as { influx: { url: string } }).influx.url).toBe(stack.influxd.url.replace(/\/$/, ''));
      for (const path of ['/api/v1/kpi?line=A1&range=day:today', '/api/v1/cluster', '/api/v1/partners', '/api/v1/orders?line=A1']) {
        const res = await fetch(`${base}${path}`);
        expect(res.status, path).toBe(503);
        const text = await res.text();
        expect(text, path).not.toContain(secret);
      }
    } finally {
      await app?.close();
      for (const spy of spies) spy.mockRestore();
    }
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) expect(line).not.toContain(secret);
  });
});
