/**
 * The OPC UA connector against a real node-opcua server in its own process,
 * acting as the reference line's PLC, and a real influxd: counter increments,
 * state words and serials arrive as events with the PLC's source timestamps;
 * a code outside the state map is rejected with a reason; a subscription
 * that goes silent while the session stays up is recreated; a PLC that is
 * killed and restarted is reconnected without help.
 */
import { setLogger } from '@influxdata/influxdb-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { referenceStationTags } from '../../core/connectors';
import { PlantConfig } from '../../core/plant';
import type { SourceStatus } from '../connectors/source-status';
import { startTestPlc, type TestPlc } from './support/opcua-plc';
import { oneShiftPlant } from './support/plant';
import { getJson, getText } from './support/opcua-fetch';
import { startStack, type Stack } from './support/stack';

let plc: TestPlc;
let stack: Stack;
const warnings: string[] = [];

beforeAll(async () => {
  setLogger({ error: () => undefined, warn: () => undefined });
  vi.spyOn(console, 'warn').mockImplementation((message: unknown) => {
    warnings.push(String(message));
  });
  plc = await startTestPlc({ line: 'A1', stations: ['S01', 'S02'], standby: true });
  const plant = PlantConfig.parse({
    ...oneShiftPlant({ timeZone: 'Asia/Shanghai', stations: ['S01', 'S02'] }),
    connectors: {
      opcua: [
        {
          id: 'plc1',
          endpoint: plc.endpoint,
          publishingIntervalMs: 100,
          silenceSeconds: 2.5,
          stations: [referenceStationTags('A1', 'S01', { completesUnit: false }), referenceStationTags('A1', 'S02', { completesUnit: true })],
        },
      ],
    },
  });
  stack = await startStack({ config: { plant } });
}, 90_000);
afterAll(async () => {
  await stack?.stop();
  await plc?.dispose();
  vi.restoreAllMocks();
  if (process.env.TAKTLINE_TEST_LOG) console.error(warnings.join('\n'));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function eventually<T>(read: () => Promise<T> | T, done: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(100);
  }
}
async function source(): Promise<SourceStatus> {
  const health = await getJson<{ sources: SourceStatus[] }>(`${stack.baseUrl}/api/v1/health`);
  const found = health.sources.find((s) => s.id === 'plc1');
  if (!found) throw new Error('plc1 is not in /api/v1/health');
  return found;
}
const query = (q: string) => stack.influxd.query(q);

describe('OPC UA connector', () => {
  it('turns counter increments, state words and serials into events with the PLC source timestamps', async () => {
    // The first connection makes the client's certificate (an RSA key): slow on a busy machine.
    expect((await eventually(source, (s) => s.state === 'connected', 40_000)).state).toBe('connected');
    const t = Date.now() - 60_000;
    await plc.set('S01', 'FaultCode', 'E-217 gripper', t);
    await plc.set('S01', 'State', 5, t);
    await plc.set('S01', 'State', 1, t + 30_000);
    await plc.cycle('S01', { unit: 'LOPCUA0001', result: 'ok', cycleTime: 118.5, ts: t + 40_000 });
    await plc.cycle('S02', { unit: 'LOPCUA0001', result: 'nok', cycleTime: 117.25, ts: t + 50_000 });

    const cycles = await eventually(() => query(`SELECT * FROM cycle WHERE unit = 'LOPCUA0001'`), (r) => r.length === 2);
    expect(cycles.map((r) => [r.station, r.time, r.cycleTime, r.result])).toEqual([
      ['S01', t + 40_000, 118.5, 'ok'],
      ['S02', t + 50_000, 117.25, 'nok'],
    ]);
    const units = await eventually(() => query(`SELECT * FROM unit WHERE unit = 'LOPCUA0001'`), (r) => r.length === 1);
    expect(units).toMatchObject([{ line: 'A1', time: t + 50_000, result: 'nok', good: 0 }]);
    const states = await eventually(() => query(`SELECT * FROM state WHERE station = 'S01' AND time >= ${t}ms AND time < ${t + 30_001}ms`), (r) => r.length >= 2);
    expect(states.map((r) => [r.time, r.state, r.reason ?? null])).toEqual([
      [t, 'fault', 'E-217 gripper'],
      [t + 30_000, 'running', null],
    ]);
    expect((await source()).lastValueAt).toBeGreaterThan(t);
  }, 60_000);

  it('rejects a state code outside the map with a reason, counts it, and keeps going', async () => {
    const before = (await source()).rejectedValues;
    await plc.set('S01', 'State', 42);
    const after = await eventually(source, (s) => s.rejectedValues > before);
    expect(after.rejectedValues).toBe(before + 1);
    expect(after.lastRejection).toMatchObject({ station: 'A1/S01', field: 'state', code: 'unmapped_value', reason: expect.stringMatching(/state code 42 is not in state\.map \(mapped: 0, 1, 2, 3, 4, 5, 6\)/) });
    // Logged too (at most one line a second per source, the rest counted in the next line).
    expect(await eventually(() => warnings.join('\n'), (w) => /state code 42/.test(w), 3000)).toMatch(/plc1: A1\/S01 state \(ns=1;s=A1\.S01\.State\): state code 42/);
    const metrics = await getText(`${stack.baseUrl}/metrics`);
    expect(metrics).toMatch(/taktline_events_rejected_total\{reason="unmapped_value"\} [1-9]/);
    // Still connected and still reading: the next valid value arrives.
    const ts = Date.now() - 1000;
    await plc.set('S01', 'State', 2, ts);
    const idle = await eventually(() => query(`SELECT * FROM state WHERE station = 'S01' AND time >= ${ts}ms AND time < ${ts + 1}ms`), (r) => r.length === 1);
    expect(idle).toMatchObject([{ state: 'idle' }]);
  });

  it('recreates a subscription that goes silent while the session stays up', async () => {
    const before = await source();
    expect(await plc.silence()).toBeGreaterThan(0);
    // Values written now are not delivered by the silenced subscription.
    const ts = Date.now() - 1000;
    await plc.cycle('S01', { unit: 'LSILENT001', result: 'ok', cycleTime: 120, ts });
    const recreated = await eventually(source, (s) => s.resubscriptions > before.resubscriptions && s.state === 'connected', 20_000);
    expect(recreated.resubscriptions).toBe(before.resubscriptions + 1);
    expect(recreated.reconnects).toBe(before.reconnects); // the session never dropped
    expect(recreated.lastError).toMatch(/delivered nothing/);
    // The new subscription's first values carry the cycle the silent one never delivered.
    const rows = await eventually(() => query(`SELECT * FROM cycle WHERE unit = 'LSILENT001'`), (r) => r.length === 1);
    expect(rows).toMatchObject([{ station: 'S01', time: ts, cycleTime: 120 }]);
  });

  it('comes back by itself when the PLC is killed and restarted, and shows the outage meanwhile', async () => {
    const before = await source();
    // The outage is the test's, not the stand-by's build time on a busy machine.
    await plc.standbyBuilt();
    await plc.kill();
    const down = await eventually(source, (s) => s.state !== 'connected' && s.silentSince !== null);
    expect(down.connected).toBe(false);
    expect(down.silentSince).not.toBeNull();
    const metrics = await getText(`${stack.baseUrl}/metrics`);
    expect(metrics).toContain('taktline_source_up{source="plc1",kind="opcua"} 0');

    await plc.restart();
    const back = await eventually(source, (s) => s.state === 'connected' && s.reconnects > before.reconnects, 30_000);
    expect(back.reconnects).toBe(before.reconnects + 1);
    expect(back.silentSince).toBeNull();
    const ts = Date.now() - 1000;
    await plc.cycle('S02', { unit: 'LRESTART01', result: 'ok', cycleTime: 119, ts });
    const rows = await eventually(() => query(`SELECT * FROM unit WHERE unit = 'LRESTART01'`), (r) => r.length === 1);
    expect(rows).toMatchObject([{ time: ts, result: 'ok' }]);
    expect(await getText(`${stack.baseUrl}/metrics`)).toContain('taktline_source_up{source="plc1",kind="opcua"} 1');
  }, 60_000);
});
