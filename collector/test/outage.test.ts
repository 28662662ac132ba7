/**
 * Outage: events stream in while influxd is stopped for longer than the
 * writer's retry back-off (shortened here to 1 s), then influxd comes back.
 * Every acknowledged event must be in InfluxDB exactly once, counted by id,
 * over both transports (HTTP and WebSocket).
 */
import { setLogger } from '@influxdata/influxdb-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startStack, TEST_INGEST_TOKEN, type Stack } from './support/stack';

let stack: Stack;
beforeAll(async () => {
  // The client library logs each refused connection; the writer reports the outage once itself.
  setLogger({ error: () => undefined, warn: () => undefined });
  stack = await startStack({ config: { influxRetryMinMs: 100, influxRetryMaxMs: 1000 } });
});
afterAll(async () => {
  await stack.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('an InfluxDB outage', () => {
  it('loses nothing acknowledged and stores nothing twice', async () => {
    const acked = new Set<string>();
    const start = Date.now() - 60_000;
    let n = 0;
    const batch = (prefix: string, size: number) =>
      Array.from({ length: size }, () => {
        n += 1;
        return { type: 'cycle', ts: start + n, line: 'A1', station: 'S03', cycleTime: 100 + (n % 40), id: `${prefix}-${n}` };
      });

    const ws = new WebSocket(`${stack.baseUrl.replace('http', 'ws')}/api/v1/ingest`, { headers: { authorization: `Bearer ${TEST_INGEST_TOKEN}` } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const wsAcks = new Map<string, (ids: string[]) => void>();
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; batch: string; ids?: string[] };
      if (message.type === 'ack') wsAcks.get(message.batch)?.(message.ids ?? []);
    });

    let streaming = true;
    let sentBatches = 0;
    const sender = (async () => {
      while (streaming) {
        const overHttp = batch('h', 25);
        const res = await stack.postEvents(overHttp, { drain: false });
        if (res.status === 200) for (const e of overHttp) acked.add(e.id);
        const overWs = batch('w', 25);
        const id = `b${sentBatches}`;
        const ids = await new Promise<string[]>((resolve) => {
          wsAcks.set(id, resolve);
          ws.send(JSON.stringify({ batch: id, events: overWs }));
        });
        for (const i of ids) acked.add(i);
        sentBatches += 1;
        await sleep(40);
      }
    })();

    await sleep(500);
    await stack.influxd.stop();
    const errorsBefore = stack.app().metrics.summary().influxErrors;
    // Several back-off rounds of the writer fail while influxd is away.
    await sleep(4000);
    const duringOutage = acked.size;
    await stack.influxd.restart();
    await sleep(500);
    streaming = false;
    await sender;
    ws.close();

    expect(stack.app().metrics.summary().influxErrors - errorsBefore).toBeGreaterThanOrEqual(3);
    expect(duringOutage).toBeGreaterThan(500);
    const deadline = Date.now() + 20_000;
    while (stack.app().metrics.spool().unwrittenEvents > 0 && Date.now() < deadline) await sleep(100);

    const rows = await stack.influxd.query(`SELECT "id", "cycleTime" FROM cycle WHERE "station" = 'S03'`);
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(String(row.id), (counts.get(String(row.id)) ?? 0) + 1);
    const missing = [...acked].filter((id) => !counts.has(id));
    const twice = [...counts].filter(([, c]) => c > 1);
    expect({ missing, twice }).toEqual({ missing: [], twice: [] });
    expect(counts.size).toBe(acked.size);
  });
});
