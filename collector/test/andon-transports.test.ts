/**
 * A pull cord over every transport: the station `andon` event raises a call
 * whether it arrives over MQTT (a real Mosquitto), the ingest WebSocket or
 * HTTP, each acknowledged once durable like any station event.
 */
import { setLogger } from '@influxdata/influxdb-client';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { AndonCallView } from '../../core/andon/types';
import { call, eventually } from './support/andon';
import { startTestMosquitto, type TestMosquitto } from './support/mosquitto';
import { startStack, type Stack } from './support/stack';

let broker: TestMosquitto;
let stack: Stack;
let gateway: MqttClient;

beforeAll(async () => {
  setLogger({ error: () => undefined, warn: () => undefined });
  broker = await startTestMosquitto();
  stack = await startStack({ config: { mqttUrl: broker.url, mqttTopic: 'plant/+/+/events', mqttErrorTopic: 'plant/errors', mqttClientId: 'andon-collector' } });
  gateway = await connectAsync(broker.url, { clientId: 'andon-gateway' });
}, 60_000);
afterAll(async () => {
  await gateway?.endAsync();
  await stack?.stop();
  await broker?.dispose();
});

const callsAt = async (station: string) => (await call(stack.baseUrl, null, 'GET', `/api/v1/andon/calls?line=A1&station=${station}`)).body.calls as AndonCallView[];

describe('pull cords over every transport', () => {
  it('MQTT', async () => {
    await gateway.publishAsync('plant/A1/S07/events', JSON.stringify({ type: 'andon', ts: Date.now(), line: 'A1', station: 'S07', kind: 'material', id: 'mq-cord-1' }), { qos: 1 });
    const c = await eventually(async () => (await callsAt('S07'))[0], 'the call from MQTT');
    expect(c).toMatchObject({ kind: 'material', raisedBy: { kind: 'station', id: 'S07' } });
  });

  it('the ingest WebSocket, acknowledged by id', async () => {
    const ws = new WebSocket(`${stack.baseUrl.replace('http', 'ws')}/api/v1/ingest`, { headers: { authorization: `Bearer ${stack.ingestToken}` } });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const ack = new Promise<{ type: string; ids: string[] }>((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()) as { type: string; ids: string[] })));
    ws.send(JSON.stringify({ batch: 'b-1', events: [{ type: 'andon', ts: Date.now(), line: 'A1', station: 'S12', kind: 'quality', id: 'ws-cord-1' }] }));
    expect(await ack).toMatchObject({ type: 'ack', ids: ['ws-cord-1'] });
    ws.close();
    const c = await eventually(async () => (await callsAt('S12'))[0], 'the call from the WebSocket');
    expect(c).toMatchObject({ kind: 'quality', raisedBy: { kind: 'station', id: 'S12' }, priority: 'high' });
  });

  it('HTTP', async () => {
    expect((await stack.postEvents([{ type: 'andon', ts: Date.now(), line: 'A1', station: 'S15', kind: 'safety' }])).status).toBe(200);
    const c = await eventually(async () => (await callsAt('S15'))[0], 'the call from HTTP');
    expect(c).toMatchObject({ kind: 'safety', priority: 'critical', tierRole: 'team_leader' });
  });
});
