/**
 * Ingest against a real influxd (Debian's 1.6, legacy write path): what is
 * acknowledged is durable in the spool and then in InfluxDB, what is rejected
 * is not, and says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, TEST_INGEST_TOKEN, type Stack } from './support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ config: { influxRetryMinMs: 100, influxRetryMaxMs: 500 } });
});
afterAll(async () => {
  await stack.stop();
});

const now = () => Date.now();

/** Resolves once the writer has emptied the spool into InfluxDB. */
async function drained(timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (stack.app().metrics.spool().unwrittenEvents > 0) {
    if (Date.now() > deadline) throw new Error('the spool did not drain into InfluxDB in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('POST /api/v1/events', () => {
  it('stores a mixed batch: valid events are written, each invalid one is named with a reason', async () => {
    const ts = now() - 10_000;
    const { status, body } = await stack.postEvents([
      { type: 'cycle', ts, line: 'A1', station: 'S02', cycleTime: 117.25, unit: 'LVIN00001', result: 'ok', id: 'mix-1' },
      { type: 'cycle', ts, line: 'A1', station: 'S02', cycleTime: 'fast' },
      { type: 'unit', ts, line: 'A1', unit: 'LVIN00001', model: 'SUV-7', id: 'mix-2' },
      { type: 'state', ts, line: 'Z9', station: 'S01', state: 'fault' },
    ]);
    expect(status).toBe(200);
    expect(body).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [
        { index: 1, code: 'invalid', field: 'cycleTime', reason: 'cycleTime must be a number' },
        { index: 3, code: 'unknown_line', field: 'line', reason: expect.stringContaining("line 'Z9' is not configured") },
      ],
    });
    await drained();
    const cycles = await stack.influxd.query(`SELECT * FROM cycle WHERE "id" = 'mix-1'`);
    expect(cycles).toEqual([
      expect.objectContaining({ line: 'A1', station: 'S02', cycleTime: 117.25, unit: 'LVIN00001', result: 'ok' }),
    ]);
    expect(Math.floor((cycles[0]?.time as number) / 1)).toBe(ts);
    const units = await stack.influxd.query(`SELECT count("good") FROM unit WHERE "id" = 'mix-2'`);
    expect(units[0]?.count).toBe(1);
  });

  it('drops a resent id and lands a replay without id on the same point', async () => {
    const ts = now() - 5_000;
    const event = { type: 'unit', ts, line: 'A1', unit: 'REPLAY01' };
    const withId = { type: 'unit', ts, line: 'A1', unit: 'REPLAY02', id: 'replay-2' };
    expect((await stack.postEvents([event, withId])).body).toMatchObject({ accepted: 2, duplicates: 0 });
    expect((await stack.postEvents([event, withId])).body).toMatchObject({ accepted: 1, duplicates: 1 });
    await drained();
    const rows = await stack.influxd.query(`SELECT count("good") FROM unit WHERE "unit" = 'REPLAY01' OR "unit" = 'REPLAY02'`);
    expect(rows[0]?.count).toBe(2);
  });

  it('takes NDJSON and rejects only the line that does not parse', async () => {
    const ts = now();
    const body = [
      JSON.stringify({ type: 'orders', ts, total: 120_001, id: 'nd-1' }),
      '{"type":"orders",',
      JSON.stringify({ type: 'partner', ts, partner: 'P-BATT-01', status: 'at_risk', inventoryHours: 3.5, id: 'nd-2' }),
    ].join('\n');
    const res = await fetch(`${stack.baseUrl}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_INGEST_TOKEN}`, 'content-type': 'application/x-ndjson' },
      body,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      accepted: 2,
      rejected: [{ index: 1, code: 'invalid', reason: expect.stringContaining('not valid JSON') }],
    });
    await drained();
    const partner = await stack.influxd.query(`SELECT * FROM partner WHERE "id" = 'nd-2'`);
    expect(partner).toEqual([expect.objectContaining({ partner: 'P-BATT-01', status: 'at_risk', inventoryHours: 3.5 })]);
  });

  it('answers 400 when nothing in the batch is valid, and writes nothing', async () => {
    const { status, body } = await stack.postEvents([{ type: 'unit', ts: now(), line: 'A1', unit: 'x y z', id: 'bad-1' }]);
    expect(status).toBe(400);
    expect(body).toMatchObject({ accepted: 0, rejected: [{ index: 0, field: 'unit' }] });
    expect(await stack.influxd.query(`SELECT * FROM unit WHERE "id" = 'bad-1'`)).toEqual([]);
  });

  it('says what is wrong with the request itself', async () => {
    const post = (init: RequestInit) => fetch(`${stack.baseUrl}/api/v1/events`, { method: 'POST', ...init });
    const auth = { authorization: `Bearer ${TEST_INGEST_TOKEN}` };
    const cases: [RequestInit, number, string][] = [
      [{ body: '[]' }, 401, 'unauthorized'],
      [{ headers: { authorization: 'Bearer wrong-token' }, body: '[]' }, 403, 'forbidden'],
      [{ headers: { ...auth, 'content-type': 'text/plain' }, body: '[]' }, 415, 'unsupported_media_type'],
      [{ headers: { ...auth, 'content-type': 'application/json' }, body: '[{' }, 400, 'invalid_json'],
      [{ headers: { ...auth, 'content-type': 'application/json' }, body: Buffer.from([0x5b, 0xff, 0x5d]) }, 400, 'invalid_utf8'],
      [{ headers: { ...auth, 'content-type': 'application/json' }, body: 'x'.repeat(5 * 1024 * 1024) }, 413, 'body_too_large'],
    ];
    for (const [init, status, code] of cases) {
      const res = await post(init);
      expect(res.status, code).toBe(status);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(code);
      expect(body.error.message.length).toBeGreaterThan(10);
    }
  });

  it('accepts into the spool while InfluxDB is down, and writes it once InfluxDB is back', async () => {
    const event = { type: 'unit', ts: now(), line: 'A1', unit: 'OUTAGE01', id: 'outage-1' };
    await stack.influxd.stop();
    try {
      const down = await stack.postEvents([event], { drain: false });
      expect(down).toMatchObject({ status: 200, body: { accepted: 1, duplicates: 0 } });
      // The live board moves on durability, not on InfluxDB.
      expect(stack.app().board.view('A1')).toMatchObject({ lastUnitAt: event.ts });
      const health = await fetch(`${stack.baseUrl}/api/v1/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'degraded', influx: { reachable: false }, spool: { unwrittenEvents: 1 } });
      // A resend after a lost acknowledgement is a repeat, even before InfluxDB has the first copy.
      expect(await stack.postEvents([event], { drain: false })).toMatchObject({ status: 200, body: { accepted: 0, duplicates: 1 } });
    } finally {
      await stack.influxd.restart();
    }
    await drained();
    expect(await stack.influxd.query(`SELECT * FROM unit WHERE "id" = 'outage-1'`)).toHaveLength(1);
  });
});

describe('routing', () => {
  it('answers a wrong method with 405 and Allow, an unknown API path with 404', async () => {
    const wrong = await fetch(`${stack.baseUrl}/api/v1/events`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    const missing = await fetch(`${stack.baseUrl}/api/v1/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found', message: expect.stringContaining('docs/api.md') } });
  });
});

describe('GET /api/v1/health', () => {
  it('names the InfluxDB it talks to and how it writes to it', async () => {
    const res = await fetch(`${stack.baseUrl}/api/v1/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      influx: { url: stack.influxd.url, name: 'InfluxDB 1.6.7', reachable: true, writePath: 'v1-legacy' },
      lines: ['A1'],
    });
  });
});

describe('GET /metrics', () => {
  it('counts accepted and rejected events by reason in the Prometheus format', async () => {
    const text = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    expect(text).toMatch(/^taktline_events_accepted_total [1-9]\d*$/m);
    expect(text).toMatch(/^taktline_events_rejected_total\{reason="unknown_line"\} [1-9]\d*$/m);
  });
});
