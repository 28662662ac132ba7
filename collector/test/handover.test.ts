/**
 * The shift report's handover against the real collector and a real influxd:
 * the outgoing supervisor writes notes and signs, the incoming one
 * acknowledges; a signed version refuses changes with a reason; a
 * correction makes version 2 that links version 1; every step is a
 * `report_handover` point in InfluxDB with who and when, and a restart of
 * the collector rebuilds the same handover. Bad input gets a clear answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentShift, lineCalendar, previousShift } from '../../core/calendar/calendar';
import type { PlantConfig } from '../../core/plant';
import type { HandoverView } from '../../core/report/handover';
import { hashPin } from '../auth/secrets';
import { andonPlant, call, signIn } from './support/andon';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
let plant: PlantConfig;
let ended: string;
let running: string;
let sv1: string | null | undefined;
let sv2: string | null | undefined;
let op1: string | null | undefined;
let mg1: string | null | undefined;

beforeAll(async () => {
  plant = await andonPlant(null);
  // The incoming supervisor of the next shift.
  plant.people?.push({ id: 'sv2', name: '孙丽', role: 'supervisor', lines: ['A1'], stations: [], pinHash: await hashPin('4545', { N: 1024, r: 8, p: 1 }), notify: {} });
  const line = plant.lines[0];
  if (!line) throw new Error('no line');
  ended = previousShift(lineCalendar(line), Date.now())?.key ?? '';
  running = currentShift(lineCalendar(line), Date.now())?.key ?? '';
  // No Chromium: a signature's PDF fails fast (and is said in the log); the handover does not depend on it.
  stack = await startStack({ config: { plant, chromiumPath: '/nonexistent/chromium' } });
  [sv1, sv2, op1, mg1] = (await Promise.all([signIn(stack.baseUrl, 'sv1', '4444'), signIn(stack.baseUrl, 'sv2', '4545'), signIn(stack.baseUrl, 'op1', '1111'), signIn(stack.baseUrl, 'mg1', '5555')])).map((s) => s.cookie);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

const post = (cookie: string | null | undefined, path: string, body: unknown) => call(stack.baseUrl, cookie ?? null, 'POST', `/api/v1/reports/${path}`, body);
const handover = async (shift = ended) => (await call(stack.baseUrl, null, 'GET', `/api/v1/reports/handover?line=A1&shift=${encodeURIComponent(shift)}`)).body.handover as HandoverView;

describe('handover of a shift report', () => {
  it('answers bad input, a missing sign-in and the wrong role with a status and a reason', async () => {
    const cases: [string | null | undefined, string, unknown, number, string][] = [
      [null, 'notes', { line: 'A1', shift: ended, version: 1, notes: 'x' }, 401, 'not_signed_in'],
      [op1, 'notes', { line: 'A1', shift: ended, version: 1, notes: 'x' }, 403, 'forbidden'],
      [mg1, 'sign', { line: 'A1', shift: ended, version: 1 }, 403, 'forbidden'],
      [sv1, 'notes', { line: 'Z9', shift: ended, version: 1, notes: 'x' }, 404, 'unknown_line'],
      [sv1, 'notes', { line: 'A1', shift: '2027-02-30/all', version: 1, notes: 'x' }, 400, 'invalid_shift'],
      [sv1, 'notes', { line: 'A1', shift: `${ended.slice(0, 10)}/graveyard`, version: 1, notes: 'x' }, 404, 'unknown_shift'],
      [sv1, 'sign', { line: 'A1', shift: running, version: 1 }, 409, 'shift_not_ended'],
      [sv1, 'notes', { line: 'A1', shift: ended, notes: 'x' }, 400, 'invalid'],
      [sv1, 'notes', { line: 'A1', shift: ended, version: 1, notes: 'bell\u0007' }, 400, 'invalid'],
      [sv1, 'notes', { line: 'A1', shift: ended, version: 1, notes: 'x', extra: 1 }, 400, 'invalid'],
      [sv1, 'notes', { line: 'A1', shift: ended, version: 2, notes: 'x' }, 404, 'unknown_version'],
      [sv1, 'acknowledge', { line: 'A1', shift: ended, version: 1 }, 409, 'not_signed'],
      [sv1, 'corrections', { line: 'A1', shift: ended, version: 1, reason: 'x' }, 409, 'not_signed'],
      [sv1, 'corrections', { line: 'A1', shift: ended, version: 1, reason: '  ' }, 400, 'invalid'],
    ];
    for (const [cookie, path, body, status, code] of cases) {
      const res = await post(cookie, path, body);
      expect([path, JSON.stringify(body), res.status, res.body?.error?.code]).toEqual([path, JSON.stringify(body), status, code]);
      expect(String(res.body.error.message).length).toBeGreaterThan(10);
    }
    expect((await call(stack.baseUrl, null, 'GET', `/api/v1/reports/handover?line=A1&shift=${encodeURIComponent(running)}`)).body.error.code).toBe('shift_not_ended');
    // Nothing refused was recorded.
    expect((await handover()).history).toEqual([]);
  });

  it('notes, a signature and an acknowledgement, each with who and when; a signed version refuses changes', async () => {
    const notes = 'S03 gripper replaced at 10:40.\n下一班：注意 P-BATT-01 库存';
    expect((await post(sv1, 'notes', { line: 'A1', shift: ended, version: 1, notes: 'first draft' })).status).toBe(200);
    const written = await post(sv1, 'notes', { line: 'A1', shift: ended, version: 1, notes });
    expect(written.body.handover.versions[0]).toMatchObject({ state: 'draft', notes, notesWritten: { by: { id: 'sv1' } } });
    const signed = await post(sv1, 'sign', { line: 'A1', shift: ended, version: 1 });
    expect(signed.status).toBe(200);
    expect(signed.body.handover.versions[0]).toMatchObject({ state: 'signed', signed: { by: { id: 'sv1', name: 'supervisor sv1' } } });

    const edit = await post(sv1, 'notes', { line: 'A1', shift: ended, version: 1, notes: 'changed afterwards' });
    expect([edit.status, edit.body.error.code]).toEqual([409, 'report_signed']);
    expect(edit.body.error.message).toContain('supervisor sv1');
    expect(edit.body.error.message).toContain('/api/v1/reports/corrections');
    expect((await post(sv1, 'sign', { line: 'A1', shift: ended, version: 1 })).body.error.code).toBe('report_signed');
    expect((await post(sv1, 'acknowledge', { line: 'A1', shift: ended, version: 1 })).body.error.code).toBe('signer_cannot_acknowledge');

    const ack = await post(sv2, 'acknowledge', { line: 'A1', shift: ended, version: 1, note: '已接班 taken over' });
    expect(ack.status).toBe(200);
    expect(ack.body.handover.versions[0]).toMatchObject({ state: 'acknowledged', notes, acknowledged: { by: { id: 'sv2', name: '孙丽' }, note: '已接班 taken over' } });
    expect((await post(sv2, 'acknowledge', { line: 'A1', shift: ended, version: 1 })).body.error.code).toBe('already_acknowledged');

    // The page's report carries the handover.
    const report = await call(stack.baseUrl, null, 'GET', `/api/v1/report?line=A1&shift=${encodeURIComponent(ended)}`);
    expect(report.body.handover.versions[0].notes).toBe(notes);
  });

  it('a correction makes version 2, which supersedes version 1; the old version stays as signed', async () => {
    const corrected = await post(mg1, 'corrections', { line: 'A1', shift: ended, version: 1, reason: 'S03 stop was material, not machine' });
    expect(corrected.status).toBe(201);
    const view = corrected.body.handover as HandoverView;
    expect(view.current).toBe(2);
    expect(view.versions.map((v) => [v.version, v.state, v.supersedes, v.supersededBy])).toEqual([
      [1, 'superseded', null, 2],
      [2, 'draft', 1, null],
    ]);
    expect(view.versions[1]?.correction).toMatchObject({ by: { id: 'mg1' }, reason: 'S03 stop was material, not machine' });
    const old = await post(sv1, 'notes', { line: 'A1', shift: ended, version: 1, notes: 'again' });
    expect([old.status, old.body.error.code]).toEqual([409, 'report_superseded']);
    expect((await post(sv1, 'notes', { line: 'A1', shift: ended, version: 2, notes: 'corrected notes' })).status).toBe(200);
    expect((await post(sv1, 'sign', { line: 'A1', shift: ended, version: 2 })).status).toBe(200);
    expect((await handover()).versions[0]?.signed?.by.id).toBe('sv1');
  });

  it('every step is in InfluxDB with who and when, and a restarted collector rebuilds the same handover', async () => {
    const before = await handover();
    await stack.drained();
    const rows = await stack.influxd.query(`SELECT "action", "actorId", "version", "supersedes" FROM report_handover WHERE "line" = 'A1'`);
    expect(rows.map((r) => [r.action, r.actorId, r.version])).toEqual(before.history.map((h) => [h.action, h.by.id, h.version]));
    expect(rows.find((r) => r.action === 'correct')).toMatchObject({ version: 2, supersedes: 1, actorId: 'mg1' });

    await stack.stopCollector();
    await stack.startCollector();
    const after = await handover();
    expect(after).toEqual(before);
    expect(after.versions[1]?.notes).toBe('corrected notes');
  });

  it('a step taken while InfluxDB is away is durable in the spool: a restart without InfluxDB still shows it, and it reaches InfluxDB later', async () => {
    const day = new Date(Date.parse(`${ended.slice(0, 10)}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const older = `${day}/all`;
    // Sessions live in the collector's memory: the restart above ended them.
    const { cookie } = await signIn(stack.baseUrl, 'sv1', '4444');
    await stack.influxd.stop();
    try {
      const res = await post(cookie, 'notes', { line: 'A1', shift: older, version: 1, notes: 'written during the outage' });
      expect(res.status).toBe(200);
      await stack.stopCollector();
      await stack.startCollector();
      expect((await handover(older)).versions[0]?.notes).toBe('written during the outage');
    } finally {
      await stack.influxd.restart();
    }
    await stack.drained(20_000);
    const rows = await stack.influxd.query(`SELECT "note" FROM report_handover WHERE "shift" = '${older}'`);
    expect(rows.map((r) => r.note)).toEqual(['written during the outage']);
  }, 60_000);
});
