/**
 * OPC UA security and credentials from the plant file, against a real
 * node-opcua PLC process that accepts only SignAndEncrypt (Basic256Sha256)
 * and one user: the right password (read from the variable `passwordEnv`
 * names) connects and delivers; a wrong one is refused and shown, not hidden.
 */
import { setLogger } from '@influxdata/influxdb-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { referenceStationTags } from '../../core/connectors';
import { PlantConfig } from '../../core/plant';
import type { SourceStatus } from '../connectors/source-status';
import { startTestPlc, type TestPlc } from './support/opcua-plc';
import { oneShiftPlant } from './support/plant';
import { getJson } from './support/opcua-fetch';
import { startStack, type Stack } from './support/stack';

let plc: TestPlc;
let stack: Stack;

beforeAll(async () => {
  setLogger({ error: () => undefined, warn: () => undefined });
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  process.env.TEST_PLC_PASSWORD = 'pl3-secret';
  process.env.TEST_PLC_WRONG_PASSWORD = 'not-it';
  plc = await startTestPlc({ line: 'A1', stations: ['S01'], secure: { username: 'taktline', password: 'pl3-secret' } });
  const secured = { securityMode: 'SignAndEncrypt', securityPolicy: 'Basic256Sha256', username: 'taktline', publishingIntervalMs: 100 };
  const plant = PlantConfig.parse({
    ...oneShiftPlant({ timeZone: 'Asia/Shanghai', stations: ['S01'] }),
    connectors: {
      opcua: [
        { id: 'secure', endpoint: plc.endpoint, ...secured, passwordEnv: 'TEST_PLC_PASSWORD', stations: [referenceStationTags('A1', 'S01', { completesUnit: false })] },
        { id: 'wrong-password', endpoint: plc.endpoint, ...secured, passwordEnv: 'TEST_PLC_WRONG_PASSWORD', stations: [referenceStationTags('A1', 'S01', { completesUnit: false })] },
      ],
    },
  });
  stack = await startStack({ config: { plant } });
}, 90_000);
afterAll(async () => {
  await stack?.stop();
  await plc?.dispose();
  delete process.env.TEST_PLC_PASSWORD;
  delete process.env.TEST_PLC_WRONG_PASSWORD;
  vi.restoreAllMocks();
});

async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}
async function sources(): Promise<Map<string, SourceStatus>> {
  const health = await getJson<{ sources: SourceStatus[] }>(`${stack.baseUrl}/api/v1/health`);
  return new Map(health.sources.map((s) => [s.id, s]));
}

describe('OPC UA security', () => {
  it('connects with SignAndEncrypt and the password from passwordEnv, and reads the tags', async () => {
    const up = await eventually(sources, (s) => s.get('secure')?.state === 'connected', 40_000);
    expect(up.get('secure')?.state).toBe('connected');
    const ts = Date.now() - 2000;
    await plc.cycle('S01', { unit: 'LSECURE001', result: 'ok', cycleTime: 118, ts });
    const rows = await eventually(() => stack.influxd.query(`SELECT * FROM cycle WHERE unit = 'LSECURE001'`), (r) => r.length === 1);
    expect(rows).toMatchObject([{ station: 'S01', time: ts, cycleTime: 118 }]);
  }, 60_000);

  it('shows a refused password as a source that is not connected, with the reason', async () => {
    const refused = await eventually(sources, (s) => (s.get('wrong-password')?.lastError ?? null) !== null);
    const status = refused.get('wrong-password');
    expect(status?.connected).toBe(false);
    expect(status?.state).toMatch(/connecting|backoff/);
    expect(status?.lastError).toMatch(/BadUserAccessDenied|BadIdentityTokenRejected|BadIdentityTokenInvalid/);
  }, 60_000);
});
