/**
 * GET /api/v1/trends through a real collector and influxd: the days' units
 * add up to /api/v1/kpi's for the same range (rollups of the closed hours
 * with raw events at the edges on both sides), a production day without data
 * is null / no_data and never 100 %, week buckets start on the line's local
 * Monday at dayStart, and bad input is a 400 with a reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationEvent } from '../../core/events';
import type { LineKpiAnswer } from '../history/kpi-route';
import type { TrendAnswer } from '../history/trend-route';
import { oneShiftPlant } from './support/plant';
import { startStack, type Stack } from './support/stack';

/** Asia/Shanghai is UTC+8 all year: Monday 06:00 local is Sunday 22:00 UTC. */
const at = (local: string) => Date.parse(`${local}+08:00`);
/** Thursday 2026-11-05 06:00 to Wednesday 2026-11-11 06:00 local: six production days across one Monday. */
const FROM = at('2026-11-05T06:00:00');
const TO = at('2026-11-11T06:00:00');
const MONDAY = at('2026-11-09T06:00:00');
const NOW = at('2026-11-12T12:00:00');
/** Saturday's production day has no event at all. */
const EMPTY_DAY = at('2026-11-07T06:00:00');

function unitsOfDays(): StationEvent[] {
  const out: StationEvent[] = [];
  let n = 0;
  const unit = (ts: number, result: 'ok' | 'nok' = 'ok') => out.push({ type: 'unit', ts, line: 'A1', unit: `VIN${(n += 1)}`, result });
  for (const day of ['2026-11-05', '2026-11-06', '2026-11-08', '2026-11-09', '2026-11-10']) {
    for (const clock of ['06:30', '07:15', '09:00', '11:45', '13:59']) unit(at(`${day}T${clock}:00`));
    unit(at(`${day}T10:30:00`), 'nok');
  }
  // Either side of the week's edge: 05:59 on Monday is still Sunday's production day, 06:00 is Monday's.
  unit(at('2026-11-09T05:59:00'));
  unit(at('2026-11-09T06:00:00'));
  // Outside the range on both sides.
  unit(at('2026-11-05T05:00:00'));
  unit(at('2026-11-11T06:30:00'));
  return out;
}

let stack: Stack;
/** The union of the answers this file reads: a trend, a KPI answer, a problem. */
type Body = Partial<TrendAnswer> & Partial<Pick<LineKpiAnswer, 'inputs'>> & { error?: { code: string; message: string } };
const get = async (path: string) => {
  const res = await fetch(`${stack.baseUrl}${path}`);
  return { status: res.status, body: (await res.json()) as Body };
};
const interval = `line=A1&from=${FROM}&to=${TO}&now=${NOW}`;

beforeAll(async () => {
  stack = await startStack({ clock: () => NOW, config: { plant: oneShiftPlant({ timeZone: 'Asia/Shanghai', stations: ['S01', 'S02'] }), maxAgeSeconds: 60 * 86_400 } });
  const posted = await stack.postEvents(unitsOfDays());
  expect(posted.status).toBe(200);
  // Every closed hour and local day summarised, so the reads combine rollups with raw edges.
  await stack.app().roller.backfill();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('GET /api/v1/trends', () => {
  it('splits the range into production days whose units add up to /api/v1/kpi for the same range', async () => {
    const [trend, kpi] = await Promise.all([get(`/api/v1/trends?${interval}&bucket=day`), get(`/api/v1/kpi?${interval}`)]);
    expect(trend.status).toBe(200);
    expect(kpi.status).toBe(200);
    const points = trend.body.points ?? [];
    const counts = kpi.body.inputs?.counts;
    expect(points.map((p) => p.start)).toEqual([0, 1, 2, 3, 4, 5].map((d) => FROM + d * 86_400_000));
    expect(points.at(-1)?.end).toBe(TO);
    const sum = (k: 'units' | 'goodUnits' | 'planUnits') => points.reduce((s, p) => s + p[k], 0);
    expect(sum('units')).toBe(counts?.units);
    expect(sum('goodUnits')).toBe(counts?.goodUnits);
    expect(sum('planUnits')).toBeCloseTo((30 * (kpi.body.inputs?.plannedSecondsTotal ?? Number.NaN)) / 3600, 9);
    // Thursday: six units, one nok, 470 planned minutes at 30/h.
    expect(points[0]).toMatchObject({ units: 6, goodUnits: 5, planUnits: 235, status: 'ok' });
    // Sunday's production day runs to Monday 05:59.
    expect(points[3]?.units).toBe(7);
  });

  it('shows a production day without data as null / no_data, never 100 %', async () => {
    const { body } = await get(`/api/v1/trends?${interval}&bucket=day`);
    const empty = (body.points ?? []).find((p) => p.start === EMPTY_DAY);
    expect(empty).toMatchObject({ units: 0, goodUnits: 0, planUnits: 235, status: 'no_data', oee: null });
    const thursday = (body.points ?? [])[0];
    expect(thursday?.oee?.quality).toBeCloseTo(5 / 6, 12);
    expect(thursday?.oee?.oee).toBeGreaterThan(0);
  });

  it("starts week buckets on the line's local Monday at dayStart", async () => {
    const { status, body } = await get(`/api/v1/trends?${interval}&bucket=week`);
    expect(status).toBe(200);
    const points = body.points ?? [];
    expect(points.map((p) => [p.start, p.end])).toEqual([
      [FROM, MONDAY],
      [MONDAY, TO],
    ]);
    // Monday 06:00 local is not a UTC day's edge.
    expect(new Date(MONDAY).toISOString()).toBe('2026-11-08T22:00:00.000Z');
    // Thu, Fri, Sun (with Monday 05:59) before the edge; Monday (with 06:00) and Tuesday after it.
    expect(points.map((p) => p.units)).toEqual([6 + 6 + 7, 7 + 6]);
  });

  it('answers bad input with 400 and a reason', async () => {
    const unknown = await get(`/api/v1/trends?${interval}&bucket=month`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'invalid_parameter' });
    expect(unknown.body.error?.message).toMatch(/bucket must be day or week/);
    const tooLong = await get(`/api/v1/trends?line=A1&from=${TO - 401 * 86_400_000}&to=${TO}&bucket=week`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error?.code).toBe('range_too_long');
  });
});
