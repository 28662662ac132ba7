import { describe, expect, it } from 'vitest';
import { ProductionCalendar } from '../calendar/schema';
import type { LineConfig } from '../plant';
import { plannedIntervals } from '../calendar/calendar';
import type { StateEvent } from '../events';
import { STATION_STATES } from '../events';
import { seededRandom } from '../test/support/seeded-random';
import { cycleStats } from './cycles';
import { assembleLineKpis, computeLineKpis, shiftingOfStates, type LineKpiParts } from './line-kpis';
import { overlapMs } from './spans';
import { stateTimeline, timeInStates, zeroStateSeconds } from './states';
import { trendBuckets, trendPoint, trendPointOf } from './trend';

const at = (local: string) => Date.parse(`${local}+08:00`);
const cal = ProductionCalendar.parse({
  timeZone: 'Asia/Shanghai',
  dayStart: '06:00',
  shifts: [{ id: 'early', name: { zh: '早班', en: 'Early' }, start: '06:00', end: '14:00', breaks: [] }],
});
const line: LineConfig = { id: 'A1', name: { zh: 'A1', en: 'A1' }, timeZone: 'Asia/Shanghai', targetPerHour: 30, stations: [{ id: 'S01', name: { zh: 'S01', en: 'S01' } }], calendar: cal };

describe('trendBuckets', () => {
  it('cuts production days at dayStart, clipping the first and last to the interval', () => {
    const spans = trendBuckets(cal, at('2027-03-01T12:00:00'), at('2027-03-03T08:00:00'), 'day');
    expect(spans).toEqual([
      { start: at('2027-03-01T12:00:00'), end: at('2027-03-02T06:00:00') },
      { start: at('2027-03-02T06:00:00'), end: at('2027-03-03T06:00:00') },
      { start: at('2027-03-03T06:00:00'), end: at('2027-03-03T08:00:00') },
    ]);
  });

  it('cuts weeks at Monday dayStart local time (2027-03-08 is a Monday)', () => {
    const spans = trendBuckets(cal, at('2027-03-03T06:00:00'), at('2027-03-20T06:00:00'), 'week');
    expect(spans.map((s) => s.start)).toEqual([at('2027-03-03T06:00:00'), at('2027-03-08T06:00:00'), at('2027-03-15T06:00:00')]);
    expect(spans.at(-1)?.end).toBe(at('2027-03-20T06:00:00'));
  });
});

describe('trendPoint', () => {
  const day = { from: at('2027-03-01T06:00:00'), to: at('2027-03-02T06:00:00'), now: at('2027-03-05T00:00:00') };

  it('is no_data with a null OEE when the bucket holds no event, with the plan of the whole bucket', () => {
    const p = trendPoint(computeLineKpis({ line, events: [], ...day }));
    expect(p).toEqual({ start: day.from, end: day.to, planUnits: 240, units: 0, goodUnits: 0, status: 'no_data', oee: null });
  });

  it('is no_data with a null OEE when no planned time has elapsed yet, even with units', () => {
    const events = [{ type: 'unit' as const, ts: at('2027-03-01T05:00:00'), line: 'A1', unit: 'V1' }];
    const p = trendPoint(computeLineKpis({ line, events, from: at('2027-03-01T03:00:00'), to: day.to, now: at('2027-03-01T05:30:00') }));
    expect(p).toMatchObject({ units: 1, status: 'no_data', oee: null });
  });

  it("carries the bucket's OEE factors from core's OEE", () => {
    const events = [0, 1, 2].map((k) => ({ type: 'unit' as const, ts: at('2027-03-01T07:00:00') + k * 60_000, line: 'A1', unit: `V${k}`, result: k === 2 ? ('nok' as const) : ('ok' as const) }));
    const kpis = computeLineKpis({ line, events, ...day });
    const p = trendPoint(kpis);
    expect(p.status).toBe('ok');
    expect(p.oee).toEqual({ availability: kpis.oee.availability, performance: kpis.oee.performance, quality: 2 / 3, oee: kpis.oee.oee });
  });
});

describe('trendPointOf', () => {
  const three: LineConfig = { ...line, stations: ['S01', 'S02', 'S03'].map((id) => ({ id, name: { zh: id, en: id } })) };
  const from = at('2027-03-01T06:00:00');
  const to = at('2027-03-02T06:00:00');

  /** A bucket's parts as a long read gathers them: random states, cycles and counts; the clock before, inside or after the bucket. */
  function parts(seed: number): LineKpiParts {
    const rnd = seededRandom(seed);
    const now = [from - 3_600_000, from + Math.floor(rnd() * (to - from)), to + 86_400_000][Math.floor(rnd() * 3)] as number;
    const asOf = Math.min(Math.max(now, from), to);
    const planned = plannedIntervals(cal, from, asOf);
    const empty = rnd() < 0.2;
    const events: StateEvent[] = [];
    const stations = three.stations.map((s) => {
      const states: StateEvent[] = [];
      for (let ts = from - 600_000; !empty && ts < to; ts += Math.floor(rnd() * 7_200_000)) {
        states.push({ type: 'state', ts, line: 'A1', station: s.id, state: STATION_STATES[Math.floor(rnd() * STATION_STATES.length)] as StateEvent['state'] });
      }
      events.push(...states);
      const segments = stateTimeline(states, from, asOf);
      const plannedStateSeconds = zeroStateSeconds();
      for (const seg of segments) plannedStateSeconds[seg.state] += overlapMs(planned, seg.start, seg.end) / 1000;
      const times = empty ? [] : Array.from({ length: Math.floor(rnd() * 400) }, () => 90 + rnd() * 60);
      return { station: s.id, name: s.name, stateSeconds: timeInStates(segments), plannedStateSeconds, cycles: cycleStats(times, 120), segments };
    });
    const units = empty ? 0 : Math.floor(rnd() * 300);
    const options = rnd() < 0.3 ? { constraintStation: 'S02', idealTaktSeconds: 100 } : undefined;
    return {
      line: three,
      from,
      to,
      now,
      ...(options ? { options } : {}),
      stations,
      units,
      goodUnits: Math.floor(units * rnd()),
      firstUnitAt: null,
      lastUnitAt: null,
      unitsIn: () => ({ units: 0, goodUnits: 0 }),
      trailingUnits: 0,
      stateEvents: events.filter((e) => e.ts >= from && e.ts <= now).length,
      cyclesPerStation: () => 0,
      latestOrders: null,
      ordersEvents: 0,
      unitsSinceOrders: 0,
      ...(rnd() < 0.5 ? { shifting: shiftingOfStates({ line: three, events, from, to, now }) } : {}),
    };
  }

  it("is the KPI answer's trend point, from the same parts, for every kind of bucket", () => {
    const statuses = new Set<string>();
    for (let seed = 1; seed <= 200; seed += 1) {
      const p = parts(seed);
      const expected = trendPoint(assembleLineKpis(p));
      expect(trendPointOf(p), `seed ${seed}`).toEqual(expected);
      // The stations' segments are not read once the shifting bottleneck is given (a trend reads its summaries without them).
      if (p.shifting) expect(trendPointOf({ ...p, stations: p.stations.map((s) => ({ ...s, segments: [] })) }), `seed ${seed}, no segments`).toEqual(expected);
      statuses.add(expected.status);
    }
    expect([...statuses].sort()).toEqual(['no_data', 'ok']);
  });
});
