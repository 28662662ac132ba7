/**
 * The MQTT connector against a real Mosquitto: QoS 1 messages are
 * acknowledged (PUBACK) only once durable in the spool, land in InfluxDB, and
 * invalid payloads are reported on the error topic with their reasons.
 */
import { setLogger } from '@influxdata/influxdb-client';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttRejection } from '../mqtt/connector';
import { startTestMosquitto, type TestMosquitto } from './support/mosquitto';
import { startStack, type Stack } from './support/stack';

let broker: TestMosquitto;
let stack: Stack;
let station: MqttClient;
const rejections: MqttRejection[] = [];

beforeAll(async () => {
  setLogger({ error: () => undefined, warn: () => undefined });
  broker = await startTestMosquitto();
  stack = await startStack({
    config: {
      mqttUrl: broker.url,
      mqttTopic: 'plant/+/+/events',
      mqttErrorTopic: 'plant/errors',
      mqttClientId: 'collector-under-test',
      influxRetryMinMs: 100,
      influxRetryMaxMs: 300,
      spoolMaxBytes: 4096,
    },
  });
  station = await connectAsync(broker.url, { clientId: 'station-gateway' });
  await station.subscribeAsync('plant/errors', { qos: 1 });
  station.on('message', (topic, payload) => {
    if (topic === 'plant/errors') rejections.push(JSON.parse(payload.toString()) as MqttRejection);
  });
});
afterAll(async () => {
  await station?.endAsync();
  await stack?.stop();
  await broker?.dispose();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function eventually<T>(read: () => Promise<T> | T, done: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(50);
  }
}

describe('MQTT connector', () => {
  it('stores events published with QoS 1, one event or an array per message', async () => {
    const ts = Date.now() - 1000;
    await station.publishAsync('plant/A1/S04/events', JSON.stringify({ type: 'cycle', ts, line: 'A1', station: 'S04', cycleTime: 118.5, id: 'mq-1' }), { qos: 1 });
    await station.publishAsync(
      'plant/A1/S20/events',
      JSON.stringify([
        { type: 'unit', ts, line: 'A1', unit: 'LMQTT0001', id: 'mq-2' },
        { type: 'unit', ts: ts + 1, line: 'A1', unit: 'LMQTT0002', id: 'mq-3' },
      ]),
      { qos: 1 },
    );
    const rows = await eventually(
      () => stack.influxd.query(`SELECT "id" FROM cycle, unit WHERE "id" =~ /^mq-/`),
      (r) => r.length === 3,
    );
    expect(rows.map((r) => r.id).sort()).toEqual(['mq-1', 'mq-2', 'mq-3']);
  });

  it('reports invalid payloads and events on the error topic and keeps going', async () => {
    await station.publishAsync('plant/A1/S01/events', Buffer.from([0x7b, 0xff, 0xfe]), { qos: 1 });
    await station.publishAsync('plant/A1/S01/events', '{"type":', { qos: 1 });
    await station.publishAsync(
      'plant/A1/S01/events',
      JSON.stringify([{ type: 'cycle', ts: Date.now(), line: 'A1', station: 'S01', cycleTime: -1 }, { type: 'state', ts: Date.now(), line: 'A1', station: 'S01', state: 'running', id: 'mq-ok' }]),
      { qos: 1 },
    );
    const seen = await eventually(() => rejections.slice(), (r) => r.length >= 3);
    expect(seen.slice(-3)).toEqual([
      { topic: 'plant/A1/S01/events', code: 'invalid_utf8', message: expect.stringContaining('UTF-8'), rejected: [] },
      { topic: 'plant/A1/S01/events', code: 'invalid_json', message: expect.stringContaining('not valid JSON'), rejected: [] },
      {
        topic: 'plant/A1/S01/events',
        code: 'rejected_events',
        message: '1 of 2 event(s) rejected; 1 accepted',
        rejected: [{ index: 0, code: 'invalid', field: 'cycleTime', reason: expect.stringContaining('greater than 0') }],
      },
    ]);
    const rows = await eventually(() => stack.influxd.query(`SELECT "id" FROM state WHERE "id" = 'mq-ok'`), (r) => r.length === 1);
    expect(rows).toHaveLength(1);
  });

  it('withholds its PUBACK while the spool is full, so the broker redelivers after a restart', async () => {
    await stack.influxd.stop();
    try {
      // Fill the spool (4 KiB quota) while InfluxDB is away.
      let n = 0;
      for (;;) {
        // One event per request, each as large as the one published below: the last 503 leaves no room for it.
        const res = await stack.postEvents([{ type: 'unit', ts: Date.now(), line: 'A1', unit: `LFILL${String(n++).padStart(4, '0')}`, id: `mq-fill-${n}` }], { drain: false });
        if (res.status === 503) break;
      }
      const full = await fetch(`${stack.baseUrl}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.ingestToken}`, 'content-type': 'application/json' },
        body: JSON.stringify([{ type: 'unit', ts: Date.now(), line: 'A1', unit: 'LFULL0001' }]),
      });
      expect(full.status).toBe(503);
      expect(full.headers.get('retry-after')).toBe('5');
      expect(await full.json()).toMatchObject({ error: { code: 'spool_full', message: expect.stringContaining('resend') } });
      const acceptedBefore = stack.app().metrics.summary().accepted;
      // The station's PUBACK comes from the broker; the collector's own PUBACK to the broker is what waits.
      await station.publishAsync('plant/A1/S20/events', JSON.stringify({ type: 'unit', ts: Date.now(), line: 'A1', unit: 'LWAIT0001', id: 'mq-wait' }), { qos: 1 });
      await sleep(1000);
      expect(stack.app().metrics.summary().accepted).toBe(acceptedBefore);
      // Stop the collector with the message unacknowledged: had it been acknowledged, it would be lost now.
      await stack.stopCollector();
    } finally {
      await stack.influxd.restart();
    }
    await stack.startCollector();
    const rows = await eventually(() => stack.influxd.query(`SELECT "id" FROM unit WHERE "id" = 'mq-wait'`), (r) => r.length === 1, 20_000);
    expect(rows).toHaveLength(1);
  });
});
