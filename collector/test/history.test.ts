/**
 * History endpoints against a real influxd: local-hour buckets, the trailing
 * rate, cycle-time statistics, state timelines, the downtime Pareto, CSV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneShiftPlant } from './support/plant';
import { startStack, type Stack } from './support/stack';

const HOUR = 3_600_000;
const MIN = 60_000;

/** One shift 06:00–14:00 in Kolkata (UTC+05:30: local hours are not UTC hours), break 08:00–08:10. */
const plant = oneShiftPlant({ timeZone: 'Asia/Kolkata', stations: ['S01', 'S02'] });

/** Yesterday 06:00 in Kolkata. */
const shiftStart = (() => {
  const offset = 5.5 * HOUR;
  const local = Date.now() + offset;
  return local - (local % (24 * HOUR)) - offset - 24 * HOUR + 6 * HOUR;
})();
const range = `line=A1&from=${shiftStart}&to=${shiftStart + 8 * HOUR}&now=${shiftStart + 8 * HOUR}`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ config: { plant } });
  const events: unknown[] = [];
  // 06:00–07:00: 30 units (every 2 min from 06:01); 07:00–08:00: 15 units (every 4 min from 07:02).
  for (let i = 0; i < 30; i += 1) events.push({ type: 'unit', ts: shiftStart + MIN + i * 2 * MIN, line: 'A1', unit: `H1-${i}` });
  for (let i = 0; i < 15; i += 1) events.push({ type: 'unit', ts: shiftStart + HOUR + 2 * MIN + i * 4 * MIN, line: 'A1', unit: `H2-${i}` });
  // Cycle times at S01: 100, 110, …, 190 s (mean 145); within the 120 s takt: 100, 110 and 120.
  for (let i = 0; i < 10; i += 1) events.push({ type: 'cycle', ts: shiftStart + i * 3 * MIN, line: 'A1', station: 'S01', cycleTime: 100 + 10 * i });
  events.push({ type: 'state', ts: shiftStart, line: 'A1', station: 'S02', state: 'running' });
  events.push({ type: 'state', ts: shiftStart + 30 * MIN, line: 'A1', station: 'S02', state: 'fault', reason: 'robot gripper' });
  events.push({ type: 'state', ts: shiftStart + 50 * MIN, line: 'A1', station: 'S02', state: 'running' });
  events.push({ type: 'state', ts: shiftStart + 2 * HOUR + 30 * MIN, line: 'A1', station: 'S02', state: 'maintenance', reason: 'tip dress' });
  events.push({ type: 'state', ts: shiftStart + 2 * HOUR + 35 * MIN, line: 'A1', station: 'S02', state: 'running' });
  expect((await stack.postEvents(events)).status).toBe(200);
});
afterAll(async () => {
  await stack.stop();
});

const get = async (path: string) => {
  const res = await fetch(`${stack.baseUrl}${path}`);
  expect(res.status, path).toBe(200);
  return res;
};

describe('history', () => {
  it('buckets units by local clock hour, against the plan of each hour', async () => {
    const body = (await (await get(`/api/v1/history/hourly?${range}`)).json()) as {
      bucket: string;
      buckets: { start: number; units: number; plan: number; plannedSeconds: number }[];
    };
    expect(body.bucket).toBe('hour');
    expect(body.buckets).toHaveLength(8);
    expect(body.buckets[0]).toMatchObject({ start: shiftStart, units: 30, plan: 30, plannedSeconds: 3600 });
    expect(body.buckets[1]).toMatchObject({ start: shiftStart + HOUR, units: 15, plan: 30 });
    // 08:00–09:00 holds the 10-minute break: plan = 30 × 50/60 = 25.
    expect(body.buckets[2]).toMatchObject({ units: 0, plannedSeconds: 3000, plan: 25 });
  });

  it('gives the trailing-hour rate, at most one point per minute for a shift', async () => {
    const body = (await (await get(`/api/v1/history/uph?${range}`)).json()) as {
      bucketMinutes: number;
      points: { ts: number; unitsPerHour: number }[];
    };
    expect(body.bucketMinutes).toBe(1);
    expect(body.points.length).toBeLessThanOrEqual(8 * 60);
    const at = (ts: number) => body.points.find((p) => p.ts === ts)?.unitsPerHour;
    expect(at(shiftStart + HOUR)).toBe(30); // 06:00–07:00
    expect(at(shiftStart + 2 * HOUR)).toBe(15); // 07:00–08:00
    expect(at(shiftStart + 3 * HOUR)).toBe(0);
  });

  it('summarises cycle times per station with takt compliance', async () => {
    const body = (await (await get(`/api/v1/history/cycles?${range}`)).json()) as {
      taktSeconds: number;
      stations: { station: string; count: number; mean: number; max: number; withinTakt: number; taktCompliance: number | null }[];
    };
    expect(body.taktSeconds).toBe(120);
    expect(body.stations[0]).toMatchObject({ station: 'S01', count: 10, mean: 145, max: 190, withinTakt: 3, taktCompliance: 0.3 });
    expect(body.stations[1]).toMatchObject({ station: 'S02', count: 0, taktCompliance: null });
  });

  it('draws state timelines and ranks downtime', async () => {
    const states = (await (await get(`/api/v1/history/states?${range}`)).json()) as {
      stations: { station: string; segments: { state: string; start: number; end: number; reason: string | null }[] }[];
    };
    const s02 = states.stations.find((s) => s.station === 'S02')?.segments ?? [];
    expect(s02.map((g) => g.state)).toEqual(['running', 'fault', 'running', 'maintenance', 'running']);
    expect(s02[1]).toMatchObject({ start: shiftStart + 30 * MIN, end: shiftStart + 50 * MIN, reason: 'robot gripper' });

    const downtime = (await (await get(`/api/v1/history/downtime?${range}`)).json()) as {
      items: { station: string; reason: string; seconds: number }[];
    };
    expect(downtime.items.map((d) => [d.station, d.reason, d.seconds])).toEqual([
      ['S02', 'robot gripper', 1200],
      ['S02', 'tip dress', 300],
    ]);
  });

  it('exports any chart and the raw events as CSV', async () => {
    const hourly = await get(`/api/v1/history/hourly?${range}&format=csv`);
    expect(hourly.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await hourly.text()).trim().split('\r\n');
    expect(lines[0]).toBe('start,end,planned_seconds,plan,units,good_units');
    expect(lines).toHaveLength(9);
    // The line's local time with its offset (Kolkata: +05:30), never UTC.
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00:00\+05:30,/);
    const zh = (await (await get(`/api/v1/history/hourly?${range}&format=csv&lang=zh-CN`)).text()).split('\r\n');
    expect(zh[0]).toBe('开始,结束,计划时间（秒）,计划产量,产量,合格数');
    const pareto = (await (await get(`/api/v1/history/downtime?${range}&format=csv&lang=en`)).text()).trim().split('\r\n');
    expect(pareto[0]).toBe('Station,State,Reason,Duration (s),Occurrences,Share (%),Cumulative share (%)');
    // Shares rounded as shown: one decimal of a percentage.
    for (const row of pareto.slice(1)) expect(row.split(',')[5]).toMatch(/^\d{1,3}(\.\d)?$/);
    expect((await fetch(`${stack.baseUrl}/api/v1/history/hourly?${range}&format=csv&lang=fr`)).status).toBe(400);
    const raw = await (await get(`/api/v1/export/events?${range}&type=unit`)).text();
    const rows = raw.trim().split('\r\n');
    expect(rows[0]).toBe('time,line,unit,model,result,id');
    expect(rows).toHaveLength(46);
  });
});
