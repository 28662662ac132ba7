/**
 * Stop reasons against the real collector and influxd: stops become records
 * (a short one a micro-stop), an operator classifies one of their station's,
 * a supervisor corrects it by splitting it (the history keeps both), an edit
 * after the window is refused with its reason, the audit lists every change,
 * the classified reasons show in the downtime Pareto and the loss report, and
 * the classifications are rebuilt from InfluxDB after a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StopRecord } from '../../core/reasons/stops';
import { andonPlant, call, signInAll } from './support/andon';
import { startStack, type Stack } from './support/stack';

const HOUR = 3_600_000;
const MIN = 60_000;
let stack: Stack;
let cookies = new Map<string, string>();
const now = Date.now();
const T = now - 3 * HOUR;
const OLD = now - 30 * HOUR;
const window = () => `line=A1&from=${OLD - HOUR}&to=${now + MIN}`;

beforeAll(async () => {
  const plant = await andonPlant(null);
  stack = await startStack({ config: { plant, maxAgeSeconds: 3 * 86_400 } });
  const state = (station: string, ts: number, s: string, reason?: string) => ({ type: 'state', line: 'A1', station, ts, state: s, ...(reason ? { reason } : {}) });
  const posted = await stack.postEvents([
    state('S03', OLD - MIN, 'running'),
    state('S03', OLD, 'fault'),
    state('S03', OLD + 10 * MIN, 'running'),
    state('S01', T - MIN, 'running'),
    state('S01', T, 'fault'),
    state('S01', T + 10 * MIN, 'running'),
    state('S02', T - MIN, 'running'),
    state('S02', T + 20 * MIN, 'fault'),
    state('S02', T + 20 * MIN + 30_000, 'running'),
    state('S02', T + 30 * MIN, 'starved', 'waiting for parts from P-BATT-01'),
    state('S02', T + 35 * MIN, 'running'),
  ]);
  expect(posted.status).toBe(200);
  cookies = await signInAll(stack.baseUrl, [['op1', '1111'], ['sv1', '4444']]);
}, 60_000);
afterAll(async () => {
  await stack.stop();
});

const stops = async (): Promise<{ records: StopRecord[]; micro: { count: number }; unclassifiedShare: number | null }> => {
  const res = await call(stack.baseUrl, null, 'GET', `/api/v1/stops?${window()}`);
  expect(res.status).toBe(200);
  return res.body;
};
const classify = (who: string, body: Record<string, unknown>) => call(stack.baseUrl, cookies.get(who) ?? null, 'POST', '/api/v1/stops/classify', { line: 'A1', ...body });
type Totals = { byReason: { reason: string | null; seconds: number }[]; byCategory: { category: string | null; seconds: number }[]; unclassifiedShare: number | null };
/** The `reasons` part of the downtime Pareto, the loss report and /api/v1/kpi: the three must agree. */
async function reasonsEverywhere(): Promise<Totals> {
  const parts = await Promise.all(['/api/v1/history/downtime', '/api/v1/losses', '/api/v1/kpi'].map(async (path) => {
    const res = await call(stack.baseUrl, null, 'GET', `${path}?${window()}`);
    expect(res.status).toBe(200);
    return res.body.reasons as Totals;
  }));
  // MTBF rests on the planned time up to each request's own now: equal but for those milliseconds.
  const same = (t: Totals & { reliability?: { byReason: { mtbfSeconds: number | null }[] } }) => ({ ...t, reliability: t.reliability?.byReason.map((r) => ({ ...r, mtbfSeconds: r.mtbfSeconds === null ? null : 'a number' })) });
  expect(same(parts[1] as Totals)).toEqual(same(parts[0] as Totals));
  expect(same(parts[2] as Totals)).toEqual(same(parts[0] as Totals));
  return parts[0] as Totals;
}
const seconds = (t: Totals) => Object.fromEntries(t.byReason.map((r) => [r.reason ?? 'unclassified', r.seconds]));
const stopOf = (list: StopRecord[], station: string) => list.find((r) => r.station === station) as StopRecord;

describe('stop records', () => {
  it('makes a record of every stop of at least 2 minutes and counts the shorter ones as micro-stops; starved for P-BATT-01 is pre-filled as material', async () => {
    const body = await stops();
    expect(body.records.map((r) => [r.station, r.state, r.seconds])).toEqual([['S03', 'fault', 600], ['S01', 'fault', 600], ['S02', 'starved', 300]]);
    expect(body.micro.count).toBe(1);
    expect(stopOf(body.records, 'S02').inferred).toEqual({ category: 'material', partner: 'P-BATT-01' });
    expect(body.unclassifiedShare).toBe(1);
  });

  it('lists one station\'s records with station= (the tablet), and answers a station the line has not with its stations', async () => {
    const one = await call(stack.baseUrl, null, 'GET', `/api/v1/stops?${window()}&station=S02`);
    expect(one.status).toBe(200);
    expect(one.body.records.map((r: StopRecord) => r.station)).toEqual(['S02']);
    const none = await call(stack.baseUrl, null, 'GET', `/api/v1/stops?${window()}&station=S99`);
    expect(none.status).toBe(404);
    expect(none.body.error).toMatchObject({ code: 'unknown_station' });
    expect(none.body.error.message).toContain('S01, S02');
  });
});

describe('classifying', () => {
  it('an operator classifies their station\'s stop; changing it is for a supervisor, who splits it; the history keeps both', async () => {
    const stop = stopOf((await stops()).records, 'S01');
    expect((await classify('op1', { stop: stop.id, reason: 'nope' })).body.error.code).toBe('unknown_reason');
    const first = await classify('op1', { stop: stop.id, reason: 'breakdown' });
    expect(first.status).toBe(201);
    expect(first.body.stop.current).toMatchObject({ source: 'person', by: { id: 'op1', role: 'operator' }, parts: [{ reason: 'breakdown', category: 'machine' }] });
    expect(seconds(await reasonsEverywhere())).toEqual({ breakdown: 600, unclassified: 900 });

    const again = await classify('op1', { stop: stop.id, reason: 'power' });
    expect(again.status).toBe(403);
    expect(again.body.error.message).toMatch(/supervisor may/);
    expect((await classify(null as unknown as string, { stop: stop.id, reason: 'power' })).status).toBe(401);

    const split = await classify('sv1', { stop: stop.id, reason: 'power', splitAt: T + 4 * MIN, reason2: 'breakdown', note: 'power dip, then the robot' });
    expect(split.status).toBe(201);
    const after = stopOf((await stops()).records, 'S01');
    expect(after.current?.parts.map((p) => [p.reason, p.category, (p.to - p.from) / MIN])).toEqual([['power', 'environment', 4], ['breakdown', 'machine', 6]]);
    expect(after.history.map((h) => [h.actorId, h.reason])).toEqual([['op1', 'breakdown'], ['sv1', 'power']]);
    expect(after.history[1]?.supersedes).toBe(after.history[0]?.id);
    expect((await stops()).unclassifiedShare).toBeCloseTo(900 / 1500, 6);
    const corrected = await reasonsEverywhere();
    expect(seconds(corrected)).toEqual({ breakdown: 360, power: 240, unclassified: 900 });
    expect(corrected.byCategory.map((c) => [c.category, c.seconds])).toEqual([[null, 600], ['machine', 360], ['material', 300], ['environment', 240]]);
    expect(corrected.unclassifiedShare).toBeCloseTo(0.6, 6);
    // The reliability table by reason and the unclassified trend come with the same part.
    const kpi = (await call(stack.baseUrl, null, 'GET', `/api/v1/kpi?${window()}`)).body.reasons as {
      reliability: { uptimeSeconds: number; byReason: { reason: string | null; stops: number; mttrSeconds: number | null; mtbfSeconds: number | null }[] };
      trend: { grain: string; points: { records: number; unclassified: number; share: number | null }[] };
    };
    const power = kpi.reliability.byReason.find((r) => r.reason === 'power');
    expect(power).toMatchObject({ stops: 1, mttrSeconds: 240 });
    expect(power?.mtbfSeconds).toBeCloseTo(kpi.reliability.uptimeSeconds, 6);
    // Uptime as the station table counts it, summed over the stations.
    const stationsUp = ((await call(stack.baseUrl, null, 'GET', `/api/v1/kpi?${window()}`)).body.stations as { reliability: { uptimeSeconds: number } }[]).reduce((s, x) => s + x.reliability.uptimeSeconds, 0);
    expect(kpi.reliability.uptimeSeconds / stationsUp).toBeCloseTo(1, 3);
    expect(kpi.trend.grain).toBe('shift');
    expect(kpi.trend.points.reduce((n, p) => n + p.records, 0)).toBe(3);
    expect(kpi.trend.points.reduce((n, p) => n + p.unclassified, 0)).toBe(2);
  });

  it('refuses an edit after the 24 h window with edit_window_closed and says when it closed', async () => {
    const old = stopOf((await stops()).records, 'S03');
    const res = await classify('sv1', { stop: old.id, reason: 'breakdown' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('edit_window_closed');
    expect(res.body.error.message).toMatch(/24 h edit window closed/);
    expect(stopOf((await stops()).records, 'S03').history).toEqual([]);
  });

  it('refuses a stop that is no record and a malformed body with a reason, never a 5xx', async () => {
    expect((await classify('sv1', { stop: 'S01.zzzzzz', reason: 'breakdown' })).body.error.code).toBe('unknown_stop');
    expect((await classify('sv1', { stop: '../x', reason: 'breakdown' })).status).toBe(404);
    const bad = await classify('sv1', { stop: 'S01.1', reason: 'breakdown', splitAt: 'soon' });
    expect(bad.status).toBe(400);
  });

  it('the audit lists every change with who', async () => {
    const res = await call(stack.baseUrl, null, 'GET', `/api/v1/audit?${window()}`);
    expect(res.status).toBe(200);
    const changes = (res.body.entries as { action: string; actor: { id: string }; details: { reason: string } }[]).filter((e) => e.action.startsWith('stop.'));
    expect(changes.map((e) => [e.action, e.actor.id, e.details.reason])).toEqual([['stop.classify', 'op1', 'breakdown'], ['stop.reclassify', 'sv1', 'power']]);
  });

  it('breaks quality losses down by defect code and station in the loss report', async () => {
    const at = now - 2 * HOUR;
    const res = await stack.postEvents([
      { type: 'unit', line: 'A1', unit: 'VIN-1', ts: at, result: 'nok', defect: 'scratch' },
      { type: 'unit', line: 'A1', unit: 'VIN-2', ts: at + 1000, result: 'nok', defect: 'scratch' },
      { type: 'unit', line: 'A1', unit: 'VIN-3', ts: at + 2000, result: 'nok' },
      { type: 'cycle', line: 'A1', station: 'S04', cycleTime: 60, ts: at + 3000, result: 'nok', defect: 'torque' },
    ]);
    expect(res.status).toBe(200);
    expect((await stack.postEvents([{ type: 'unit', line: 'A1', unit: 'VIN-4', ts: at, defect: 'bad code!' }])).status).toBe(400);
    const report = await call(stack.baseUrl, null, 'GET', `/api/v1/losses?${window()}`);
    expect(report.body.qualityByDefect).toEqual([
      { defect: 'scratch', station: null, units: 2 },
      { defect: null, station: null, units: 1 },
      { defect: 'torque', station: 'S04', units: 1 },
    ]);
  });

  it('keeps the classifications over a restart (read back from InfluxDB)', async () => {
    await stack.drained();
    await stack.stopCollector();
    await stack.startCollector();
    const after = stopOf((await stops()).records, 'S01');
    expect(after.history.map((h) => h.actorId)).toEqual(['op1', 'sv1']);
    expect(after.current?.parts.map((p) => p.reason)).toEqual(['power', 'breakdown']);
  });
});
