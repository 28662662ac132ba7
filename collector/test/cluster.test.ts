/**
 * The cluster goal and the order book end to end: events through the ingest
 * API into a real InfluxDB, read back by GET /api/v1/cluster and
 * GET /api/v1/orders, checked against values computed by hand (the
 * arithmetic is in the comments).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterGoalResult } from '../../core/cluster/goal';
import type { ChainLink } from '../../core/cluster/chain';
import type { StationEventInput } from '../../core/events';
import { referencePlant } from '../../core/plant';
import { startStack, type Stack } from './support/stack';

const at = (local: string) => Date.parse(`${local}+08:00`);

interface ClusterBody extends Omit<ClusterGoalResult, 'contributions'> {
  contributions: { entity: string; valueYuan: number; share: number | null; chainMaster: boolean; partner: { id: string; inDistrict: boolean } | null }[];
  chain: ChainLink[];
  gaps: string[];
}

let stack: Stack;

const output = (entity: string, period: string, value: number, reportedAt: string): StationEventInput => ({
  type: 'output',
  ts: at(reportedAt),
  entity,
  period,
  value,
});

const OUTPUT: StationEventInput[] = [
  // Q4 2026: 6e9, 6e9, 9e9 for the cluster.
  output('PLANT-A1', '2026-10', 5e9, '2026-11-01T00:00:00'),
  output('P-BATT-01', '2026-10', 1e9, '2026-11-01T00:00:00'),
  output('PLANT-A1', '2026-11', 5e9, '2026-12-01T00:00:00'),
  output('P-BATT-01', '2026-11', 1e9, '2026-12-01T00:00:00'),
  output('PLANT-A1', '2026-12', 6e9, '2027-01-01T00:00:00'),
  output('P-BATT-01', '2026-12', 3e9, '2027-01-01T00:00:00'),
  // January: month to date on the 10th (1 + 1), final figure on 1 February (6 + 2).
  output('PLANT-A1', '2027-01', 1e9, '2027-01-10T00:00:00'),
  output('P-BATT-01', '2027-01', 1e9, '2027-01-10T00:00:00'),
  output('PLANT-A1', '2027-01', 6e9, '2027-02-01T00:00:00'),
  output('P-BATT-01', '2027-01', 2e9, '2027-02-01T00:00:00'),
  output('PLANT-A1', '2027-02', 6e9, '2027-03-01T00:00:00'),
  output('P-BATT-01', '2027-02', 2e9, '2027-03-01T00:00:00'),
  // March: a mid-month figure superseded by the final one.
  output('PLANT-A1', '2027-03', 4e9, '2027-03-20T00:00:00'),
  output('PLANT-A1', '2027-03', 7e9, '2027-04-01T00:00:00'),
  output('P-BATT-01', '2027-03', 3e9, '2027-04-01T00:00:00'),
  // April to date.
  output('PLANT-A1', '2027-04', 4e9, '2027-04-15T00:00:00'),
  output('P-BATT-01', '2027-04', 1e9, '2027-04-15T00:00:00'),
];

// Orders and units on Monday 2027-03-01 (default calendar: early shift 06:00–14:00, break 08:00–08:10).
const ORDERS_DAY = '2027-03-01';
const UNITS: StationEventInput[] = Array.from({ length: 60 }, (_, k) => ({
  type: 'unit',
  // From 06:00:00.001, one every 3 minutes: the last at 08:57.
  ts: at(`${ORDERS_DAY}T06:00:00`) + 1 + k * 180_000,
  line: 'A1',
  unit: `LTKA${String(k).padStart(6, '0')}`,
}));
const ORDERS: StationEventInput[] = [
  { type: 'orders', ts: at(`${ORDERS_DAY}T06:00:00`), total: 1000 },
  { type: 'orders', ts: at(`${ORDERS_DAY}T08:00:00`), total: 1010 },
  { type: 'orders', ts: at(`${ORDERS_DAY}T11:00:00`), total: 1500 }, // after `now` below
  { type: 'unit', ts: at(`${ORDERS_DAY}T10:30:00`), line: 'A1', unit: 'LTKA999999' }, // after `now` below
];

beforeAll(async () => {
  // The figures are dated 2026–2027: accept events from the past and the coming months.
  stack = await startStack({ config: { plant: referencePlant(), maxAgeSeconds: 10 * 365 * 86_400, maxFutureSeconds: 10 * 365 * 86_400 } });
  const all = [...OUTPUT, ...UNITS, ...ORDERS];
  const { status, body } = await stack.postEvents(all);
  expect(status).toBe(200);
  expect(body).toMatchObject({ accepted: all.length, rejected: [] });
  // Ingest acknowledges from the spool; wait until InfluxDB holds every point.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const rows = await stack.influxd.query('SELECT count("value") AS "n" FROM "output"');
    const units = await stack.influxd.query('SELECT count("unit") AS "n" FROM "unit"');
    if (rows[0]?.n === OUTPUT.length && units[0]?.n === UNITS.length + 1) break;
    if (Date.now() > deadline) throw new Error('events did not reach InfluxDB in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

async function cluster(now: string): Promise<ClusterBody> {
  const res = await fetch(`${stack.baseUrl}/api/v1/cluster?now=${encodeURIComponent(`${now}+08:00`)}`);
  expect(res.status).toBe(200);
  return (await res.json()) as ClusterBody;
}

describe('GET /api/v1/cluster', () => {
  it('in the target year: year to date, run rate, projection, required rate and contributions', async () => {
    // 2027-04-16 00:00: half of April has passed.
    const c = await cluster('2027-04-16T00:00:00');
    // Year to date: Jan 6 + 2, Feb 6 + 2, Mar 7 + 3 (not 4 + 3), Apr 4 + 1 = 31e9; Dec 2026 is last year.
    expect(c.yearToDateYuan).toBe(31e9);
    expect(c.progress).toBeCloseTo(0.31, 12);
    expect(c.months.map((m) => [m.period, m.valueYuan])).toEqual([
      ['2027-01', 8e9],
      ['2027-02', 8e9],
      ['2027-03', 10e9],
      ['2027-04', 5e9],
    ]);
    // Run rate: (8 + 8 + 10) / 3 = 8.667e9 a month; 8.5 months remain; projection 31e9 + 8.667e9 × 8.5 = 104.67e9.
    expect(c.runRate).toMatchObject({ basis: 'complete_months', months: ['2027-01', '2027-02', '2027-03'] });
    expect(c.runRate.yuanPerMonth).toBeCloseTo(26e9 / 3, 0);
    expect(c.monthsRemaining).toBeCloseTo(8.5, 12);
    expect(c.projectionYuan).toBeCloseTo(31e9 + (26e9 / 3) * 8.5, 0);
    expect(c.onTrack).toBe(true);
    // Needed: (100 − 31)e9 / 8.5 = 8.118e9 a month, 6.3 % below the current run rate.
    expect(c.growth.requiredYuanPerMonth).toBeCloseTo(69e9 / 8.5, 0);
    expect(c.growth.requiredRunRateIncrease).toBeCloseTo(-0.063348, 5);
    // Demo baseline 6.1e10 in 2025 → 1e11 in 2027: √(1e11 / 6.1e10) − 1 = 28.04 % a year.
    expect(c.growth.plannedAnnual).toBeCloseTo(0.280369, 5);
    // Contributions: the plant 6 + 6 + 7 + 4 = 23e9 (23/31), the battery partner 2 + 2 + 3 + 1 = 8e9 (8/31).
    expect(c.contributions).toEqual([
      { entity: 'PLANT-A1', valueYuan: 23e9, share: 23 / 31, chainMaster: true, partner: null },
      {
        entity: 'P-BATT-01',
        valueYuan: 8e9,
        share: 8 / 31,
        chainMaster: false,
        partner: { id: 'P-BATT-01', name: { zh: '东湖动力电池', en: 'Donghu Power Battery' }, category: 'battery', inDistrict: true },
      },
    ]);
  });

  it('in January: the run rate comes from last year, and only reports made so far count', async () => {
    // 2027-01-16 12:00: 15.5 of January's 31 days = half the month.
    const c = await cluster('2027-01-16T12:00:00');
    // The final January figures come on 1 February: year to date = the 10 January report, 1 + 1 = 2e9.
    expect(c.yearToDateYuan).toBe(2e9);
    // Run rate: Oct 6, Nov 6, Dec 9 → 7e9; 0.5 + 11 = 11.5 months remain; projection 2e9 + 7e9 × 11.5 = 82.5e9.
    expect(c.runRate).toMatchObject({ basis: 'complete_months', months: ['2026-10', '2026-11', '2026-12'] });
    expect(c.runRate.yuanPerMonth).toBeCloseTo(7e9, 0);
    expect(c.projectionYuan).toBeCloseTo(82.5e9, 0);
    expect(c.onTrack).toBe(false);
    // Needed: 98e9 / 11.5 = 8.522e9 a month, 21.7 % above the run rate: 8.522 / 7 − 1 = 0.21739.
    expect(c.growth.requiredYuanPerMonth).toBeCloseTo(98e9 / 11.5, 0);
    expect(c.growth.requiredRunRateIncrease).toBeCloseTo(98 / 11.5 / 7 - 1, 9);
  });

  it('before the target year: the compound growth still required', async () => {
    // 2026-12-16 12:00: 15.5 of December's 31 days. Year to date 2026: Oct 6 + Nov 6 = 12e9 (December not reported yet).
    const c = await cluster('2026-12-16T12:00:00');
    expect(c.yearToDateYuan).toBe(12e9);
    // Run rate (6 + 6) / 2 = 6e9; 0.5 months remain; projection 12e9 + 3e9 = 15e9; 1e11 / 15e9 − 1 = 5.667.
    expect(c.projectionYuan).toBeCloseTo(15e9, 0);
    expect(c.growth.requiredAnnual).toBeCloseTo(1e11 / 15e9 - 1, 9);
    expect(c.progress).toBeNull();
  });

  it('shows the chain gaps: categories without a partner in the district', async () => {
    const c = await cluster('2027-04-16T00:00:00');
    expect(c.gaps).toEqual(['glass', 'adas-software', 'lidar']);
    expect(c.chain.find((l) => l.category === 'adas-software')).toEqual({
      category: 'adas-software',
      name: { zh: '智能驾驶软件', en: 'ADAS software' },
      inDistrict: [],
      outOfDistrict: ['P-ADAS-01'],
      gap: true,
    });
  });
});

describe('GET /api/v1/orders', () => {
  it('gives orders, units delivered, the backlog and the days to clear it', async () => {
    const res = await fetch(`${stack.baseUrl}/api/v1/orders?line=A1&now=${encodeURIComponent(`${ORDERS_DAY}T10:00:00+08:00`)}`);
    expect(res.status).toBe(200);
    const o = (await res.json()) as Record<string, unknown>;
    // Latest snapshot by 10:00 is 1010; 60 units delivered by then; backlog 1010 − 60 = 950.
    expect(o).toMatchObject({ line: 'A1', ordersTotal: 1010, ordersAt: at(`${ORDERS_DAY}T08:00:00`), delivered: 60, backlog: 950 });
    // Rate: 60 units over the planned time from the first unit (06:00) to 10:00 = 240 − 10 (break) = 230 min
    // → 3600 / 230 = 15.652 units per planned hour.
    expect(o.ratePerPlannedHour).toBeCloseTo(3600 / 230, 6);
    // The calendar plans 21.5 h every day: 15.652 × 21.5 = 336.52 units a day; 950 / 336.52 = 2.823 days.
    expect(o.unitsPerCalendarDay).toBeCloseTo((3600 / 230) * 21.5, 6);
    expect(o.daysToClear).toBeCloseTo((950 * 230) / 77_400, 6);
    expect(o.productionDaysToClear).toBeCloseTo((950 * 230) / 77_400, 6);
    expect(o).toMatchObject({ workingDaysNext7Days: 7, plannedSecondsNext7Days: 7 * 1290 * 60 });
  });

  it('has no backlog before the first orders snapshot, and names unknown lines', async () => {
    const res = await fetch(`${stack.baseUrl}/api/v1/orders?now=${encodeURIComponent(`${ORDERS_DAY}T05:00:00+08:00`)}`);
    expect(await res.json()).toMatchObject({ ordersTotal: null, backlog: null, daysToClear: null, delivered: 0 });
    const unknown = await fetch(`${stack.baseUrl}/api/v1/orders?line=B9`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'unknown_line' } });
  });
});
