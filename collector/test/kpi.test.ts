/**
 * GET /api/v1/kpi: KPIs computed by core/ from what InfluxDB holds, checked
 * against hand-computed values; and the same answer after a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneShiftPlant } from './support/plant';
import { startStack, type Stack } from './support/stack';

const HOUR = 3_600_000;
const MIN = 60_000;

/** One early shift, 06:00–14:00 Shanghai, with one 10-minute break at 08:00: 470 planned minutes. */
const plant = oneShiftPlant({ timeZone: 'Asia/Shanghai', stations: ['S01', 'S02', 'S03'] });

/** Yesterday's 06:00 in Shanghai (UTC+8, no DST). */
const shiftStart = (() => {
  const shanghaiNow = Date.now() + 8 * HOUR;
  const midnight = shanghaiNow - (shanghaiNow % (24 * HOUR)) - 8 * HOUR;
  return midnight - 24 * HOUR + 6 * HOUR;
})();
const shiftEnd = shiftStart + 8 * HOUR;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ config: { plant } });
  const events: unknown[] = [];
  for (const station of ['S01', 'S02', 'S03']) {
    events.push({ type: 'state', ts: shiftStart, line: 'A1', station, state: 'running' });
    // Every station down 07:00–07:30: whichever is the constraint, downtime is 1800 s.
    events.push({ type: 'state', ts: shiftStart + HOUR, line: 'A1', station, state: 'fault', reason: 'conveyor stop' });
    events.push({ type: 'state', ts: shiftStart + HOUR + 30 * MIN, line: 'A1', station, state: 'running' });
  }
  events.push({ type: 'orders', ts: shiftStart, total: 120_000 });
  // 200 units from 06:05, every two minutes; every 20th is a reject (10 in all).
  for (let i = 0; i < 200; i += 1) {
    events.push({ type: 'unit', ts: shiftStart + 5 * MIN + i * 2 * MIN, line: 'A1', unit: `KPI${String(i).padStart(5, '0')}`, result: i % 20 === 0 ? 'nok' : 'ok' });
  }
  const { status } = await stack.postEvents(events);
  expect(status).toBe(200);
});
afterAll(async () => {
  await stack.stop();
});

const kpiUrl = () => `${stack.baseUrl}/api/v1/kpi?line=A1&from=${shiftStart}&to=${shiftEnd}&now=${shiftEnd}`;

describe('GET /api/v1/kpi', () => {
  it('computes units and OEE of a finished shift from InfluxDB', async () => {
    const res = await fetch(kpiUrl());
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      inputs: { plannedSeconds: number; counts: { units: number; goodUnits: number } };
      oee: { availability: number; performance: number; quality: number; oee: number; downtimeSeconds: number };
    };
    // P = 480 − 10 = 470 min = 28 200 s; downtime 1 800 s; operating 26 400 s.
    expect(body.inputs.plannedSeconds).toBe(28_200);
    expect(body.inputs.counts).toMatchObject({ units: 200, goodUnits: 190 });
    expect(body.oee.downtimeSeconds).toBe(1800);
    expect(body.oee.availability).toBeCloseTo(26_400 / 28_200, 10); // 0.9362
    expect(body.oee.performance).toBeCloseTo((120 * 200) / 26_400, 10); // 0.9091
    expect(body.oee.quality).toBeCloseTo(190 / 200, 10); // 0.95
    expect(body.oee.oee).toBeCloseTo((120 * 190) / 28_200, 10); // 0.8085
  });

  it('counts the orders backlog as cumulative orders less every unit delivered', async () => {
    const body = (await (await fetch(kpiUrl())).json()) as { backlog: { ordersTotal: number; backlog: number } };
    expect(body.backlog).toMatchObject({ ordersTotal: 120_000, backlog: 120_000 - 200 });
  });

  it('answers the same after the collector restarts mid-shift', async () => {
    // Mid-shift (10:00) as the current shift, and the whole shift.
    const midShift = `${stack.baseUrl}/api/v1/kpi?line=A1&range=shift:current&now=${shiftStart + 4 * HOUR}`;
    const before = [await (await fetch(midShift)).json(), await (await fetch(kpiUrl())).json()];
    expect(before[0]).toMatchObject({ range: { from: shiftStart, to: shiftEnd }, inputs: { counts: { units: 118 } } }); // 06:05 + 2 min × i before 10:00: i = 0…117
    await stack.stopCollector();
    await stack.startCollector();
    const after = [await (await fetch(midShift)).json(), await (await fetch(kpiUrl())).json()];
    expect(after).toEqual(before);
  });

  it('rejects a bad interval with a reason', async () => {
    const cases: [string, number, string][] = [
      ['line=A1&from=abc&to=1', 400, 'invalid_parameter'],
      [`line=A1&from=${shiftEnd}&to=${shiftStart}`, 400, 'invalid_parameter'],
      ['line=A1&range=fortnight', 400, 'unknown_range'],
      [`line=A1&from=${shiftStart - 401 * 24 * HOUR}&to=${shiftEnd}`, 400, 'range_too_long'],
      ['line=Q9&range=day:today', 404, 'unknown_line'],
      [`line=A1'%20OR%201=1&range=day:today`, 404, 'unknown_line'],
    ];
    for (const [query, status, code] of cases) {
      const res = await fetch(`${stack.baseUrl}/api/v1/kpi?${query}`);
      expect(res.status, query).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code, query).toBe(code);
    }
  });

  it('answers 503 with a reason while InfluxDB is down, and answers again once it is back', async () => {
    await stack.influxd.stop();
    try {
      const res = await fetch(kpiUrl());
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('10');
      expect(await res.json()).toMatchObject({ error: { code: 'influx_unavailable', message: expect.stringContaining('unreachable') } });
    } finally {
      await stack.influxd.restart();
    }
    expect((await fetch(kpiUrl())).status).toBe(200);
  });

  it('resolves calendar ranges', async () => {
    const res = await fetch(`${stack.baseUrl}/api/v1/kpi?line=A1&range=day:previous`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { range: { from: number; to: number }; inputs: { counts: { units: number } } };
    // The production day runs 06:00 to 06:00. After 06:00 Shanghai, day:previous is the day of the shift above;
    // before 06:00 it is the day before that, which holds nothing.
    const shanghaiHour = new Date(Date.now() + 8 * HOUR).getUTCHours();
    const expectedFrom = shanghaiHour >= 6 ? shiftStart : shiftStart - 24 * HOUR;
    expect(body.range).toMatchObject({ from: expectedFrom, to: expectedFrom + 24 * HOUR });
    expect(body.inputs.counts.units).toBe(shanghaiHour >= 6 ? 200 : 0);
  });
});
