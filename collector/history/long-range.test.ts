import { describe, expect, it } from 'vitest';
import type { StationEvent } from '../../core/events';
import type { LineConfig } from '../../core/plant';
import { memoryStore } from '../influx/memory-reads';
import { HourRoller } from '../rollup/roller';
import { DEFAULT_SHIFT_PATTERN } from '../../core/calendar/reference';
import { computeLineKpis } from '../../core/kpi/line-kpis';
import { hourlyUnits, longCycleStats, longLineKpis, rollupPlan } from './long-range';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 06:00 in Kolkata (UTC+05:30): its clock hours start at :30 UTC, so hours are the line's, not UTC's. */
const T0 = Date.parse('2026-06-01T00:30:00Z');
const line: LineConfig = {
  id: 'A1',
  name: { zh: 'A1', en: 'A1' },
  timeZone: 'Asia/Kolkata',
  targetPerHour: 30,
  stations: [{ id: 'S01', name: { zh: 'S01', en: 'S01' } }],
};

function events(hours: number): StationEvent[] {
  const out: StationEvent[] = [];
  for (let m = 0; m < hours * 60; m += 2) {
    out.push({ type: 'cycle', ts: T0 + m * 60_000 + 500, line: 'A1', station: 'S01', cycleTime: 100 + (m % 37) });
    if (m % 4 === 0) out.push({ type: 'unit', ts: T0 + m * 60_000 + 900, line: 'A1', unit: `U${m}`, ...(m % 40 === 0 ? { result: 'nok' as const } : {}) });
  }
  return out;
}

async function rolledStore(hours: number) {
  const store = memoryStore();
  await store.write(events(hours));
  await new HourRoller({ store, plant: { name: { zh: 'p', en: 'p' }, lines: [line] }, lineNow: () => T0 + hours * HOUR, log: () => undefined }).backfill();
  return store;
}

describe('long-range reads over the memory store', () => {
  it('reads the whole local hours from summaries and the partial ones at the edges raw', async () => {
    const store = await rolledStore(10);
    const plan = await rollupPlan(store.reads, line, T0 + 20 * 60_000, T0 + 9 * HOUR + 5 * 60_000);
    expect(plan.rollups.map((r) => (r.start - T0) / HOUR)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(plan.raw).toEqual([
      [T0 + 20 * 60_000, T0 + HOUR],
      [T0 + 9 * HOUR, T0 + 9 * HOUR + 5 * 60_000],
    ]);
  });

  it('reads an hour with no summary raw, and the answer does not change', async () => {
    const store = await rolledStore(10);
    const from = T0 + 20 * 60_000;
    const to = T0 + 9 * HOUR + 5 * 60_000;
    const before = await hourlyUnits(store.reads, line, from, to);
    const cyclesBefore = await longCycleStats(store.reads, line, from, to, 120);
    store.events.rollups.delete(`hour|A1|${T0 + 4 * HOUR}`);
    const plan = await rollupPlan(store.reads, line, from, to);
    expect(plan.raw).toContainEqual([T0 + 4 * HOUR, T0 + 5 * HOUR]);
    expect(await hourlyUnits(store.reads, line, from, to)).toEqual(before);
    expect(await longCycleStats(store.reads, line, from, to, 120)).toEqual(cyclesBefore);
  });

  it('equals the raw read: units per hour exactly, cycles exactly but for the percentiles', async () => {
    const store = await rolledStore(10);
    const from = T0 + 20 * 60_000;
    const to = T0 + 9 * HOUR + 5 * 60_000;
    const raw = new Map((await store.reads.unitBuckets(line, from, to, 60)).map((b) => [b.start, { units: b.units, good: b.good }]));
    expect(await hourlyUnits(store.reads, line, from, to)).toEqual(raw);
    const [c] = [...(await longCycleStats(store.reads, line, from, to, 120)).values()];
    const [r] = [...(await store.reads.cycleStats(line, from, to, 120)).values()];
    expect({ count: c?.count, min: c?.min, max: c?.max, withinTakt: c?.withinTakt }).toEqual({ count: r?.count, min: r?.min, max: r?.max, withinTakt: r?.withinTakt });
    // Integer cycle times sit on bucket centres: here the percentiles are exact.
    expect([c?.p10, c?.p50, c?.p90]).toEqual([r?.p10, r?.p50, r?.p90]);
  });

  it('uses a summary counted against another takt by estimating from its buckets', async () => {
    const store = await rolledStore(4);
    const from = T0;
    const to = T0 + 4 * HOUR;
    const [c] = [...(await longCycleStats(store.reads, line, from, to, 110)).values()];
    const [r] = [...(await store.reads.cycleStats(line, from, to, 110)).values()];
    expect(c?.withinTakt).toBe(r?.withinTakt);
  });
});

describe('production week summaries', () => {
  // T0 is Monday 06:00 on the line's clock: a production week starts there.
  it('a whole week reads one summary, the days and hours after it theirs, and the answers are the raw ones', async () => {
    const store = await rolledStore(10 * 24);
    const from = T0;
    const to = T0 + 9 * DAY + 5 * 60_000;
    const plan = await rollupPlan(store.reads, line, from, to);
    expect(plan.rollups.map((r) => (r.end - r.start) / HOUR)).toEqual([7 * 24, 24, 24]);
    expect(plan.raw).toEqual([[T0 + 9 * DAY, to]]);
    // Without weeks: the ten days' summaries.
    expect((await rollupPlan(store.reads, line, from, to, 'stations', 'day')).rollups).toHaveLength(9);

    const raw = new Map((await store.reads.unitBuckets(line, from, to, 60)).map((b) => [b.start, { units: b.units, good: b.good }]));
    expect(await hourlyUnits(store.reads, line, from, to)).toEqual(raw);
    const [c] = [...(await longCycleStats(store.reads, line, from, to, 120)).values()];
    const [r] = [...(await store.reads.cycleStats(line, from, to, 120)).values()];
    expect(c).toEqual(r);
    const now = T0 + 10 * DAY;
    const { events: all, initialStates } = await store.reads.lineEvents(line, from, to);
    const exact = computeLineKpis({ line, events: all, from, to, now, initialStates });
    const long = await longLineKpis(store.reads, line, from, to, now);
    expect(long.inputs.counts).toEqual(exact.inputs.counts);
    expect(long.oee.oee).toBeCloseTo(exact.oee.oee ?? Number.NaN, 12);
    expect(long.stations[0]?.stateSeconds).toEqual(exact.stations[0]?.stateSeconds);
  });

  it('a week built for another dayStart is not read: its days and hours are', async () => {
    const store = await rolledStore(10 * 24);
    const moved: LineConfig = { ...line, calendar: { ...DEFAULT_SHIFT_PATTERN, dayStart: '07:00' } };
    const plan = await rollupPlan(store.reads, moved, T0, T0 + 9 * DAY + 5 * 60_000);
    expect(plan.rollups.every((r) => r.end - r.start === HOUR)).toBe(true);
    const [c] = [...(await longCycleStats(store.reads, moved, T0, T0 + 9 * DAY, 120)).values()];
    const [r] = [...(await store.reads.cycleStats(moved, T0, T0 + 9 * DAY, 120)).values()];
    expect(c).toEqual(r);
  });
});
