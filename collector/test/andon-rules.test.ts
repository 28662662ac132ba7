/**
 * The material-risk and silence rules against the real collector and influxd
 * on fake time, with the reference plant and its partner registry: a partner
 * that is down raises one material call for the station it supplies; a
 * station shown as running that stops reporting (a broken PLC link) raises a
 * maintenance call, while one that keeps reporting does not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AndonCallView } from '../../core/andon/types';
import { referencePlant } from '../../core/plant';
import { DEFAULT_ANDON_SETTINGS } from '../andon/settings';
import { call, eventually } from './support/andon';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
let offset = 0;
const clock = () => Date.now() + offset;

beforeAll(async () => {
  const plant = referencePlant();
  plant.andon = {
    kinds: [
      { id: 'maintenance', label: { zh: '设备维修', en: 'Maintenance' }, priority: 'high' },
      { id: 'material', label: { zh: '物料', en: 'Material' }, priority: 'high' },
    ],
    escalation: [{ role: 'team_leader', afterSeconds: 0, channels: [] }],
    resolutionReasons: [{ id: 'other', label: { zh: '其他', en: 'Other' } }],
    channels: [],
    rules: [
      { id: 'material', type: 'material_risk', level: 'critical' },
      { id: 'plc-silent', type: 'silent', factor: 3, stations: ['S10', 'S11'] },
    ],
  };
  stack = await startStack({ clock, config: { plant, andon: { ...DEFAULT_ANDON_SETTINGS, tickMs: 50 } } });
}, 60_000);
afterAll(async () => {
  await stack.stop();
});

const calls = async (query = '') => (await call(stack.baseUrl, null, 'GET', `/api/v1/andon/calls?line=A1${query}`)).body.calls as AndonCallView[];
const ticks = (n: number) => new Promise((r) => setTimeout(r, n * 50 + 100));

describe('rules beyond faults', () => {
  it('a partner that is down raises one material call for the station it supplies', async () => {
    await stack.postEvents([{ type: 'partner', ts: clock(), partner: 'P-BATT-01', status: 'down', inventoryHours: 0.5 }]);
    offset += 31_000; // the alerts are read from InfluxDB every 30 s of the line's clock
    const c = await eventually(async () => (await calls('&station=S07'))[0], 'the material call');
    expect(c).toMatchObject({ kind: 'material', raisedBy: { kind: 'rule', id: 'material' }, status: 'open' });
    expect(c.note).toContain('P-BATT-01');
    offset += 31_000;
    await ticks(6);
    expect(await calls('&station=S07')).toHaveLength(1);
  });

  it('a running station that goes silent for 3 × takt raises a call; one that keeps reporting does not', async () => {
    const t = clock();
    await stack.postEvents([
      { type: 'state', ts: t, line: 'A1', station: 'S10', state: 'running' },
      { type: 'state', ts: t, line: 'A1', station: 'S11', state: 'running' },
    ]);
    for (let i = 1; i <= 4; i += 1) {
      offset += 100_000;
      await stack.postEvents([{ type: 'cycle', ts: clock(), line: 'A1', station: 'S11', cycleTime: 100 }]);
      await ticks(2);
    }
    // 400 s of fake time: S10 (silent since t) is past 3 × 120 s, S11 reported every 100 s.
    const c = await eventually(async () => (await calls('&station=S10'))[0], 'the silence call');
    expect(c).toMatchObject({ kind: 'maintenance', raisedBy: { kind: 'rule', id: 'plc-silent' } });
    expect(c.note).toContain('silent');
    expect(await calls('&station=S11')).toHaveLength(0);
  });
});
