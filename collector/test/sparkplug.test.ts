/**
 * Sparkplug B over the MQTT connector against a real Mosquitto and influxd:
 * the collector asks for births when it connects, takes metric aliases from
 * NBIRTH/DBIRTH, turns NDATA/DDATA (by alias) into events through the tag
 * map, shows NDEATH/DDEATH sources offline, answers a sequence gap with
 * an NCMD `Node Control/Rebirth`, and shows a node that stops publishing
 * (no death, just nothing) as silent in health and /metrics.
 */
import { setLogger } from '@influxdata/influxdb-client';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PLC_TAGS } from '../../simulator/sinks/opcua';
import { referenceStationTags } from '../../core/connectors';
import { PlantConfig } from '../../core/plant';
import type { SourceStatus } from '../connectors/source-status';
import { decodeSparkplug, encodeSparkplug } from '../mqtt/sparkplug';
import { startTestMosquitto, type TestMosquitto } from './support/mosquitto';
import { oneShiftPlant } from './support/plant';
import { getJson, getText } from './support/opcua-fetch';
import { startStack, type Stack } from './support/stack';

let broker: TestMosquitto;
let stack: Stack;
let edge: MqttClient;
const commands: { topic: string; metrics: { name: string; value: unknown }[] }[] = [];

const GROUP = 'Plant1';
const NODE = 'Edge1';
type Metric = { name?: string; alias?: number; type: 'UInt32' | 'Int32' | 'Double' | 'String' | 'Boolean' | 'UInt64'; value: unknown; timestamp?: number };
const TYPES = { CycleCounter: 'UInt32', CycleTime: 'Double', State: 'Int32', FaultCode: 'String', UnitSerial: 'String', Result: 'Int32', Model: 'String', UnitResult: 'Int32', Andon: 'Boolean' } as const;
/** Node metrics `S01/<Tag>` get aliases 1…8; the S02 device's `<Tag>` get 101…108. */
const nodeAlias = (tag: string) => 1 + PLC_TAGS.indexOf(tag as (typeof PLC_TAGS)[number]);
const deviceAlias = (tag: string) => 101 + PLC_TAGS.indexOf(tag as (typeof PLC_TAGS)[number]);
let seq = 0;
const nextSeq = () => {
  const s = seq;
  seq = (seq + 1) % 256;
  return s;
};

async function publish(type: string, metrics: Metric[], device?: string, options: { seq?: number } = {}): Promise<void> {
  const topic = `spBv1.0/${GROUP}/${type}/${NODE}${device ? `/${device}` : ''}`;
  const payload = encodeSparkplug({ timestamp: Date.now(), ...(type === 'NDEATH' ? {} : { seq: options.seq ?? nextSeq() }), metrics });
  await edge.publishAsync(topic, payload, { qos: 0 });
}
function birthMetrics(prefix: string, alias: (tag: string) => number, initial: Partial<Record<string, unknown>>): Metric[] {
  return PLC_TAGS.map((tag) => ({ name: `${prefix}${tag}`, alias: alias(tag), type: TYPES[tag], value: initial[tag] ?? (TYPES[tag] === 'String' ? '' : TYPES[tag] === 'Boolean' ? false : 0) }));
}

beforeAll(async () => {
  setLogger({ error: () => undefined, warn: () => undefined });
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  broker = await startTestMosquitto();
  edge = await connectAsync(broker.url, { clientId: 'edge-node-1' });
  await edge.subscribeAsync(`spBv1.0/${GROUP}/NCMD/${NODE}`, { qos: 0 });
  edge.on('message', (topic, payload) => {
    const decoded = decodeSparkplug(payload);
    commands.push({ topic, metrics: (decoded.metrics ?? []).map((m) => ({ name: m.name ?? '', value: m.value })) });
  });
  const plant = PlantConfig.parse({
    ...oneShiftPlant({ timeZone: 'Asia/Shanghai', stations: ['S01', 'S02'] }),
    connectors: {
      sparkplug: [
        { group: GROUP, node: NODE, stations: [referenceStationTags('A1', 'S01', { completesUnit: false, address: (n) => `S01/${n}` })] },
        { group: GROUP, node: NODE, device: 'S02', stations: [referenceStationTags('A1', 'S02', { completesUnit: true, address: (n) => n })] },
      ],
    },
  });
  stack = await startStack({ config: { plant, mqttUrl: broker.url, mqttTopic: 'plant/+/+/events', mqttErrorTopic: 'plant/errors', mqttClientId: 'collector-sparkplug' } });
}, 60_000);
afterAll(async () => {
  await edge?.endAsync();
  await stack?.stop();
  await broker?.dispose();
  vi.restoreAllMocks();
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
async function sources(): Promise<Map<string, SourceStatus>> {
  const health = await getJson<{ sources: SourceStatus[] }>(`${stack.baseUrl}/api/v1/health`);
  return new Map(health.sources.map((s) => [s.id, s]));
}
const rebirths = () => commands.filter((c) => c.metrics.some((m) => m.name === 'Node Control/Rebirth' && m.value === true));

describe('Sparkplug B', () => {
  it('asks for a birth on connecting; NBIRTH and DBIRTH bring the node and its device online', async () => {
    expect((await eventually(rebirths, (r) => r.length >= 1)).length).toBeGreaterThanOrEqual(1);
    expect((await sources()).get(`${GROUP}/${NODE}`)?.state).toBe('offline'); // before its birth
    await publish('NBIRTH', [{ name: 'bdSeq', type: 'UInt64', value: 0 }, ...birthMetrics('S01/', nodeAlias, { CycleCounter: 100, State: 2 })], undefined, { seq: (seq = 0) });
    await publish('DBIRTH', birthMetrics('', deviceAlias, { CycleCounter: 7, State: 1 }), 'S02');
    const online = await eventually(sources, (s) => s.get(`${GROUP}/${NODE}`)?.state === 'connected' && s.get(`${GROUP}/${NODE}/S02`)?.state === 'connected');
    expect(online.get(`${GROUP}/${NODE}`)).toMatchObject({ kind: 'sparkplug', connected: true, silentSince: null, stations: ['A1/S01'] });
    expect(online.get(`${GROUP}/${NODE}/S02`)).toMatchObject({ connected: true, stations: ['A1/S02'] });
  });

  it('turns NDATA and DDATA metrics sent by alias into cycles, states and units', async () => {
    const ts = Date.now() - 5000;
    await publish('NDATA', [
      { alias: nodeAlias('UnitSerial'), type: 'String', value: 'LSPARK0001', timestamp: ts },
      { alias: nodeAlias('Result'), type: 'Int32', value: 1, timestamp: ts },
      { alias: nodeAlias('CycleTime'), type: 'Double', value: 121.5, timestamp: ts },
      { alias: nodeAlias('CycleCounter'), type: 'UInt32', value: 101, timestamp: ts },
      { alias: nodeAlias('FaultCode'), type: 'String', value: 'E-9 torque', timestamp: ts + 1000 },
      { alias: nodeAlias('State'), type: 'Int32', value: 5, timestamp: ts + 1000 },
    ]);
    await publish(
      'DDATA',
      [
        { alias: deviceAlias('UnitSerial'), type: 'String', value: 'LSPARK0001', timestamp: ts + 2000 },
        { alias: deviceAlias('Result'), type: 'Int32', value: 2, timestamp: ts + 2000 },
        { alias: deviceAlias('UnitResult'), type: 'Int32', value: 2, timestamp: ts + 2000 },
        { alias: deviceAlias('CycleCounter'), type: 'UInt32', value: 8, timestamp: ts + 2000 },
      ],
      'S02',
    );
    const cycles = await eventually(() => stack.influxd.query(`SELECT * FROM cycle WHERE unit = 'LSPARK0001'`), (r) => r.length === 2);
    expect(cycles.map((r) => [r.station, r.time, r.result])).toEqual([
      ['S01', ts, 'ok'],
      ['S02', ts + 2000, 'nok'],
    ]);
    expect(cycles[0]).toMatchObject({ cycleTime: 121.5 });
    const units = await eventually(() => stack.influxd.query(`SELECT * FROM unit WHERE unit = 'LSPARK0001'`), (r) => r.length === 1);
    expect(units).toMatchObject([{ time: ts + 2000, result: 'nok' }]);
    const states = await eventually(() => stack.influxd.query(`SELECT * FROM state WHERE station = 'S01' AND reason = 'E-9 torque'`), (r) => r.length === 1);
    expect(states).toMatchObject([{ time: ts + 1000, state: 'fault' }]);
  });

  it('requests a rebirth on a sequence gap', async () => {
    const before = (await sources()).get(`${GROUP}/${NODE}`)?.resubscriptions ?? 0;
    const asked = rebirths().length;
    seq = (seq + 5) % 256; // five messages lost
    await publish('NDATA', [{ alias: nodeAlias('State'), type: 'Int32', value: 1, timestamp: Date.now() }]);
    const after = await eventually(rebirths, (r) => r.length > asked);
    expect(after.length).toBe(asked + 1);
    expect(after.at(-1)?.topic).toBe(`spBv1.0/${GROUP}/NCMD/${NODE}`);
    const status = (await sources()).get(`${GROUP}/${NODE}`);
    expect(status?.resubscriptions).toBe(before + 1);
    expect(status?.lastError).toMatch(/sequence gap/);
  });

  it('marks a device offline on DDEATH and the node (and its devices) on NDEATH', async () => {
    await publish('DDEATH', [], 'S02');
    const deviceDead = await eventually(sources, (s) => s.get(`${GROUP}/${NODE}/S02`)?.state === 'offline');
    expect(deviceDead.get(`${GROUP}/${NODE}/S02`)?.silentSince).not.toBeNull();
    expect(deviceDead.get(`${GROUP}/${NODE}`)?.state).toBe('connected');

    await publish('NDEATH', [{ name: 'bdSeq', type: 'UInt64', value: 0 }]);
    const nodeDead = await eventually(sources, (s) => s.get(`${GROUP}/${NODE}`)?.state === 'offline');
    expect(nodeDead.get(`${GROUP}/${NODE}`)).toMatchObject({ connected: false, lastError: expect.stringMatching(/NDEATH/) });
    const metrics = await getText(`${stack.baseUrl}/metrics`);
    expect(metrics).toContain(`taktline_source_up{source="${GROUP}/${NODE}",kind="sparkplug"} 0`);
  });

  it('shows a node that published and then sends nothing for longer than its interval as silent, since its last message', async () => {
    await publish('NBIRTH', [{ name: 'bdSeq', type: 'UInt64', value: 1 }, ...birthMetrics('S01/', nodeAlias, { CycleCounter: 200, State: 1 })], undefined, { seq: (seq = 0) });
    await eventually(sources, (s) => s.get(`${GROUP}/${NODE}`)?.state === 'connected');
    // A steady cadence (every 300 ms), then nothing: no NDEATH, the broker still holds its session.
    for (let i = 0; i < 4; i += 1) {
      await sleep(300);
      await publish('NDATA', [{ alias: nodeAlias('State'), type: 'Int32', value: 1, timestamp: Date.now() }]);
    }
    const lastAt = Date.now();
    // Silent after 3 × its longest recent gap, at least 5 s: well within 20 s.
    const silent = await eventually(sources, (s) => s.get(`${GROUP}/${NODE}`)?.state === 'silent', 20_000);
    const status = silent.get(`${GROUP}/${NODE}`);
    expect(status).toMatchObject({ state: 'silent', connected: false, lastError: expect.stringMatching(/nothing from Plant1\/Edge1 for \d+ s/) });
    expect(status?.silentSince).toBeGreaterThan(lastAt - 2000);
    expect(status?.silentSince).toBeLessThanOrEqual(lastAt + 1000);
    const metrics = await getText(`${stack.baseUrl}/metrics`);
    expect(metrics).toContain(`taktline_source_up{source="${GROUP}/${NODE}",kind="sparkplug"} 0`);
    const silentSeconds = Number(new RegExp(`taktline_source_silent_seconds\\{source="${GROUP}/${NODE}",kind="sparkplug"\\} ([\\d.]+)`).exec(metrics)?.[1]);
    expect(silentSeconds).toBeGreaterThanOrEqual(4);

    // It speaks again: delivering, and nothing is silent any more.
    await publish('NDATA', [{ alias: nodeAlias('State'), type: 'Int32', value: 1, timestamp: Date.now() }]);
    const back = await eventually(sources, (s) => s.get(`${GROUP}/${NODE}`)?.state === 'connected');
    expect(back.get(`${GROUP}/${NODE}`)).toMatchObject({ connected: true, silentSince: null });
  }, 40_000);

  it('after a restart of the collector, sends the cycles the node counted meanwhile when its birth brings the counter', async () => {
    const countS01 = async () => Number((await stack.influxd.query(`SELECT count(cycleTime) FROM cycle WHERE station = 'S01'`))[0]?.count ?? 0);
    await stack.drained();
    const earlier = await countS01();
    await publish('NDATA', [{ alias: nodeAlias('CycleCounter'), type: 'UInt32', value: 201, timestamp: Date.now() - 1000 }]);
    const before = await eventually(async () => {
      await stack.drained();
      return countS01();
    }, (n) => n === earlier + 1);
    expect(before).toBe(earlier + 1);
    const asked = rebirths().length;
    await stack.stopCollector();
    // Away: the node counts three cycles; its NDATA goes nowhere (QoS 0, no collector).
    await publish('NDATA', [{ alias: nodeAlias('CycleCounter'), type: 'UInt32', value: 204, timestamp: Date.now() }]);
    await stack.startCollector();
    await eventually(rebirths, (r) => r.length > asked);
    await publish('NBIRTH', [{ name: 'bdSeq', type: 'UInt64', value: 2 }, ...birthMetrics('S01/', nodeAlias, { CycleCounter: 204, State: 1 })], undefined, { seq: (seq = 0) });
    const after = await eventually(async () => {
      await stack.drained();
      return countS01();
    }, (n) => n >= before + 3);
    expect(after).toBe(before + 3);
    const ids = (await stack.influxd.query(`SELECT id FROM cycle WHERE station = 'S01' ORDER BY time DESC LIMIT 3`)).map((r) => String(r.id));
    expect(ids.map((id) => /:c(\d+)@/.exec(id)?.[1]).sort()).toEqual(['202', '203', '204']);
  }, 60_000);
});
