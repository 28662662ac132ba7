/**
 * Defect codes against the real collector and influxd: a station's unknown
 * code is rejected at ingest with the closest known one (no code is fine); an
 * operator gives a nok unit that came without a code its defect, the loss
 * report counts it by defect and station, a second code is for a supervisor,
 * an ok unit or another station's unit is refused with a reason, the audit
 * lists every code with who, and the codes are rebuilt from InfluxDB after a
 * restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NokItem } from '../../core/reasons/defects';
import { andonPlant, call, signInAll } from './support/andon';
import { startStack, type Stack } from './support/stack';

const HOUR = 3_600_000;
const MIN = 60_000;
let stack: Stack;
let cookies = new Map<string, string>();
const now = Date.now();
const at = now - HOUR;
const window = () => `line=A1&from=${now - 2 * HOUR}&to=${now + MIN}`;

beforeAll(async () => {
  stack = await startStack({ config: { plant: await andonPlant(null) } });
  const posted = await stack.postEvents([
    { type: 'cycle', line: 'A1', station: 'S02', cycleTime: 60, ts: at, unit: 'VIN-1', result: 'nok' },
    { type: 'cycle', line: 'A1', station: 'S02', cycleTime: 60, ts: at + MIN, unit: 'VIN-2', result: 'ok' },
    { type: 'cycle', line: 'A1', station: 'S04', cycleTime: 60, ts: at + 2 * MIN, unit: 'VIN-3', result: 'nok' },
    { type: 'unit', line: 'A1', unit: 'VIN-1', ts: at + 10 * MIN, result: 'nok' },
    { type: 'unit', line: 'A1', unit: 'VIN-4', ts: at + 11 * MIN, result: 'nok', defect: 'leak' },
  ]);
  expect(posted.status).toBe(200);
  cookies = await signInAll(stack.baseUrl, [['op1', '1111'], ['sv1', '4444']]);
}, 60_000);
afterAll(async () => {
  await stack.stop();
});

const add = (who: string | null, body: Record<string, unknown>) => call(stack.baseUrl, who ? (cookies.get(who) ?? null) : null, 'POST', '/api/v1/units/defect', { line: 'A1', ...body });
const nok = async (station?: string): Promise<NokItem[]> => {
  const res = await call(stack.baseUrl, null, 'GET', `/api/v1/units/nok?${window()}${station ? `&station=${station}` : ''}`);
  expect(res.status).toBe(200);
  return res.body.units;
};
const byDefect = async () => (await call(stack.baseUrl, null, 'GET', `/api/v1/losses?${window()}`)).body.qualityByDefect as { defect: string | null; station: string | null; units: number }[];

describe('defect codes', () => {
  it('rejects a station\'s unknown code at ingest with the closest known one, and takes units without a code', async () => {
    const res = await stack.postEvents([
      { type: 'unit', line: 'A1', unit: 'VIN-9', ts: at, result: 'nok', defect: 'scrach' },
      { type: 'unit', line: 'A1', unit: 'VIN-10', ts: at, result: 'nok' },
    ]);
    expect(res.status).toBe(200);
    const body = res.body as { accepted: number; rejected: { index: number; code: string; field: string; reason: string }[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected).toEqual([{ index: 0, code: 'unknown_defect', field: 'defect', reason: expect.stringContaining("closest known code is 'scratch'") }]);
  });

  it('an operator codes their station\'s nok unit; the loss report counts it by defect and station', async () => {
    expect((await nok('S02')).map((u) => [u.unit, u.defect])).toEqual([['VIN-1', null]]);
    expect(await byDefect()).toContainEqual({ defect: null, station: 'S02', units: 1 });
    expect((await add(null, { unit: 'VIN-1', station: 'S02', defect: 'scratch' })).status).toBe(401);
    const res = await add('op1', { unit: 'VIN-1', station: 'S02', defect: 'scratch' });
    expect(res.status).toBe(201);
    expect(res.body.unit).toMatchObject({ unit: 'VIN-1', station: 'S02', defect: 'scratch', added: { actorId: 'op1', role: 'operator' } });
    expect((await nok('S02'))[0]?.defect).toBe('scratch');
    const rows = await byDefect();
    expect(rows).toContainEqual({ defect: 'scratch', station: 'S02', units: 1 });
    expect(rows.some((r) => r.defect === null && r.station === 'S02')).toBe(false);
    // The line's end: a rejected unit without a code, coded the same way.
    expect((await add('op1', { unit: 'VIN-1', defect: 'gap_flush' })).status).toBe(201);
    expect(await byDefect()).toContainEqual({ defect: 'gap_flush', station: null, units: 1 });
  });

  it('refuses with a reason: an unknown code, an ok unit, a station\'s code, another station\'s unit, an operator\'s second code; a supervisor may change it', async () => {
    const unknown = await add('op1', { unit: 'VIN-1', station: 'S02', defect: 'torqe' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'unknown_defect', message: expect.stringContaining("closest known code is 'torque'") });
    expect((await add('op1', { unit: 'VIN-2', station: 'S02', defect: 'scratch' })).body.error).toMatchObject({ code: 'not_nok', message: expect.stringContaining('is ok, not nok') });
    expect((await add('op1', { unit: 'VIN-4', defect: 'scratch' })).body.error).toMatchObject({ code: 'already_coded', message: expect.stringContaining("station sent defect 'leak'") });
    expect((await add('op1', { unit: 'VIN-3', station: 'S04', defect: 'scratch' })).status).toBe(403);
    expect((await add('op1', { unit: 'VIN-404', station: 'S02', defect: 'scratch' })).status).toBe(404);
    const second = await add('op1', { unit: 'VIN-1', station: 'S02', defect: 'torque' });
    expect(second.status).toBe(409);
    expect(second.body.error.message).toMatch(/a supervisor may/);
    const fixed = await add('sv1', { unit: 'VIN-1', station: 'S02', defect: 'torque' });
    expect(fixed.status).toBe(201);
    expect(fixed.body.unit.added.supersedes).toMatch(/^ud-/);
    expect(await byDefect()).toContainEqual({ defect: 'torque', station: 'S02', units: 1 });
    expect((await add('sv1', { unit: 'VIN-1', station: 'S02' })).status).toBe(400);
  });

  it('the audit lists every code with who, and the codes survive a restart (read back from InfluxDB)', async () => {
    const audit = await call(stack.baseUrl, null, 'GET', `/api/v1/audit?${window()}`);
    const codes = (audit.body.entries as { action: string; actor: { id: string }; subject: string; details: { defect: string } }[]).filter((e) => e.action.startsWith('unit.'));
    expect(codes.map((e) => [e.action, e.actor.id, e.subject, e.details.defect])).toEqual([
      ['unit.defect', 'op1', 'VIN-1', 'scratch'],
      ['unit.defect', 'op1', 'VIN-1', 'gap_flush'],
      ['unit.redefect', 'sv1', 'VIN-1', 'torque'],
    ]);
    await stack.drained();
    await stack.stopCollector();
    await stack.startCollector();
    expect((await nok('S02'))[0]).toMatchObject({ unit: 'VIN-1', defect: 'torque', added: { actorId: 'sv1' } });
    expect(await byDefect()).toContainEqual({ defect: 'torque', station: 'S02', units: 1 });
  });
});
