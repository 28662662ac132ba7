import { describe, expect, it } from 'vitest';
import { ProductionCalendar } from '../calendar/schema';
import type { StationEvent, StationState } from '../events';
import type { LineConfig } from '../plant';
import { computeLineKpis } from './line-kpis';
import { KPI_REGISTRY } from './registry';

const at = (iso: string) => Date.parse(iso);
const sh = (hhmm: string, date = '2027-03-01') => at(`${date}T${hhmm}:00+08:00`);

const line: LineConfig = {
  id: 'A1',
  name: { zh: '总装 A1 线', en: 'Final assembly A1' },
  timeZone: 'Asia/Shanghai',
  targetPerHour: 30, // takt 120 s
  stations: ['S01', 'S02', 'S03'].map((id) => ({ id, name: { zh: id, en: id } })),
};

const unit = (ts: number, n: number, result?: 'ok' | 'nok'): StationEvent => ({
  type: 'unit',
  ts,
  line: 'A1',
  unit: `VIN${n}`,
  ...(result ? { result } : {}),
});
const state = (ts: number, station: string, s: StationState, reason?: string): StationEvent => ({
  type: 'state',
  ts,
  line: 'A1',
  station,
  state: s,
  ...(reason ? { reason } : {}),
});
const cycle = (ts: number, station: string, cycleTime: number): StationEvent => ({ type: 'cycle', ts, line: 'A1', station, cycleTime });
const MIN = 60_000;

/**
 * One hour, 09:00–10:00 of the early shift (no break inside: P = 3600 s),
 * read at noon. 20 units at 09:01 + 3k min, k = 0…19; k = 3 and 7 are nok.
 */
function hourScenario(): StationEvent[] {
  const events: StationEvent[] = [];
  for (let k = 0; k < 20; k += 1) events.push(unit(sh('09:01') + 3 * k * MIN, k, k === 3 || k === 7 ? 'nok' : k % 2 ? 'ok' : undefined));
  events.push(
    // S01: starved 09:00–09:30, running after.
    state(sh('08:00'), 'S01', 'running'),
    state(sh('09:00'), 'S01', 'starved'),
    state(sh('09:30'), 'S01', 'running'),
    // S02: running since before the hour; faults 09:20–09:30 and 09:40–09:42; maintenance 09:55 on.
    state(sh('08:50'), 'S02', 'running'),
    state(sh('09:20'), 'S02', 'fault', 'gripper'),
    state(sh('09:30'), 'S02', 'running'),
    state(sh('09:40'), 'S02', 'fault', 'gripper'),
    state(sh('09:42'), 'S02', 'running'),
    state(sh('09:55'), 'S02', 'maintenance', 'PM'),
    // S03: blocked 09:10–09:20.
    state(sh('08:55'), 'S03', 'running'),
    state(sh('09:10'), 'S03', 'blocked'),
    state(sh('09:20'), 'S03', 'running'),
    // S02 cycles: 110, 115, 120, 125, 130 s.
    cycle(sh('09:05'), 'S02', 110),
    cycle(sh('09:06'), 'S02', 125),
    cycle(sh('09:07'), 'S02', 120),
    cycle(sh('09:08'), 'S02', 130),
    cycle(sh('09:09'), 'S02', 115),
    { type: 'orders', ts: sh('09:30'), total: 1000 },
  );
  return events;
}

describe('computeLineKpis over a closed hour', () => {
  const r = computeLineKpis({ line, events: hourScenario(), from: sh('09:00'), to: sh('10:00'), now: sh('12:00') });

  it('counts units, good units, plan and gap', () => {
    expect(r.kpis.units.value).toBe(20);
    expect(r.kpis.goodUnits.value).toBe(18); // 20 − 2 nok; missing result counts as good
    expect(r.kpis.plannedTime.value).toBe(3600);
    expect(r.kpis.planTotal.value).toBe(30); // 30/h × 3600 s / 3600
    expect(r.kpis.planByNow.value).toBe(30);
    expect(r.kpis.gap.value).toBe(-10); // 20 − 30
    expect(r.kpis.catchUpRate.value).toBeNull(); // no planned time left
    expect(r.kpis.forecast.value).toBe(20);
    expect(r.kpis.unitsPerHour.value).toBe(20); // trailing (09:00, 10:00)
    expect(r.kpis.currentRate.value).toBe(20); // 20 units / 1 planned hour
    expect(r.kpis.taktTarget.value).toBe(120);
    expect(r.kpis.actualTakt.value).toBe(180); // (09:58 − 09:01) = 57 min = 3420 s / 19
  });

  it('computes time in state, blocked and starved time per station', () => {
    const [s1, s2, s3] = r.stations;
    expect(s1?.stateSeconds).toMatchObject({ running: 1800, starved: 1800, unknown: 0 });
    expect(s1?.starvedShare).toBe(0.5);
    expect(s3?.blockedSeconds).toBe(600);
    // S02: fault 600 + 120 = 720 s, maintenance 09:55–10:00 = 300 s, running 3600 − 1020 = 2580 s
    expect(s2?.stateSeconds).toMatchObject({ running: 2580, fault: 720, maintenance: 300 });
    expect(s2?.downtimeSeconds).toBe(1020);
  });

  it('gives cycle statistics and takt compliance', () => {
    const c = r.stations[1]?.cycles;
    // sorted 110 115 120 125 130: mean 600/5 = 120; p50 rank ⌈2.5⌉ = 3 → 120; p90 rank ⌈4.5⌉ = 5 → 130
    expect(c).toMatchObject({ count: 5, meanSeconds: 120, p50Seconds: 120, p90Seconds: 130, maxSeconds: 130, minSeconds: 110 });
    expect(c?.taktCompliance).toBe(0.6); // 110, 115, 120 ≤ 120 s: 3 of 5
    expect(r.stations[0]?.cycles.meanSeconds).toBeNull();
  });

  it('gives MTBF, MTTR and micro-stops', () => {
    // 2 failures; uptime = running 2580 s → MTBF 1290 s; MTTR (600 + 120) / 2 = 360 s; the 120 s fault is a micro-stop (< 300 s)
    expect(r.stations[1]?.reliability).toEqual({
      failures: 2,
      faultSeconds: 720,
      uptimeSeconds: 2580,
      mtbfSeconds: 1290,
      mttrSeconds: 360,
      microStops: { count: 1, seconds: 120, thresholdSeconds: 300 },
    });
    expect(r.stations[0]?.reliability.mtbfSeconds).toBeNull();
  });

  it('picks S02 as the bottleneck and says why', () => {
    // S02 is active the whole hour (one active period of 60 min), longer than any period of S01 or S03: sole bottleneck 100 %
    expect(r.bottleneck.station).toBe('S02');
    expect(r.bottleneck.method).toBe('active-period');
    expect(r.bottleneck.ranking.map((c) => c.station)).toEqual(['S02', 'S01', 'S03']);
    expect(r.bottleneck.ranking[0]).toMatchObject({ soleShare: 1, shiftingShare: 0 });
    expect(r.bottleneck.margin).toBeCloseTo(1, 12);
    expect(r.bottleneck.shifting).toBe(false);
    expect(r.bottleneck.why.en).toContain('S02 was the bottleneck 100.0% of the planned time (alone 100.0%');
    expect(r.bottleneck.why.en).toContain('next: S01, 0.0%');
    expect(r.bottleneck.why.zh).toContain('S02 在 100.0% 的计划时间内是瓶颈');
    expect(r.stations[1]?.effectiveCycleSeconds).toBe(720); // 3600 active s / 5 cycles
  });

  it('computes OEE at the detected constraint, carrying its inputs', () => {
    // P = 3600, downtime 1020 → A = 2580/3600; perf = 120 × 20 / 2580; Q = 18/20; OEE = 120 × 18 / 3600 = 0.6
    expect(r.oee).toMatchObject({ plannedSeconds: 3600, downtimeSeconds: 1020, operatingSeconds: 2580, constraintStation: 'S02', constraintSource: 'detected' });
    expect(r.kpis.availability.value).toBeCloseTo(2580 / 3600, 12);
    expect(r.kpis.performance.value).toBeCloseTo(2400 / 2580, 12);
    expect(r.kpis.quality.value).toBe(0.9);
    expect(r.kpis.oee.value).toBeCloseTo(0.6, 12);
    expect(r.kpis.oee.inputs).toMatchObject({ plannedSeconds: 3600, downtimeSeconds: 1020, idealTaktSeconds: 120, units: 20, goodUnits: 18 });
  });

  it('uses a configured constraint station instead of the detected one', () => {
    const c = computeLineKpis({ line, events: hourScenario(), from: sh('09:00'), to: sh('10:00'), now: sh('12:00'), options: { constraintStation: 'S03' } });
    // S03 never faulted: A = 1, OEE still 120 × 18 / 3600
    expect(c.oee).toMatchObject({ constraintStation: 'S03', constraintSource: 'configured', downtimeSeconds: 0, availability: 1 });
    expect(c.kpis.oee.value).toBeCloseTo(0.6, 12);
  });

  it('ranks downtime by station and reason', () => {
    expect(r.downtime.totalSeconds).toBe(1020);
    expect(r.downtime.items.map((i) => [i.station, i.state, i.reason, i.seconds, i.occurrences])).toEqual([
      ['S02', 'fault', 'gripper', 720, 2],
      ['S02', 'maintenance', 'PM', 300, 1],
    ]);
    expect(r.downtime.items[0]?.share).toBeCloseTo(720 / 1020, 12);
    expect(r.downtime.items[1]?.cumulativeShare).toBe(1);
    expect(r.downtime.byStation).toEqual([{ station: 'S02', seconds: 1020, share: 1 }]);
  });

  it('gives the backlog and the days to clear it on the calendar', () => {
    // 1000 orders at 09:30; units after: 09:01 + 3k > 09:30 ⇔ k ≥ 10 → 10 units → 990.
    // Rate 20 units / 1 planned h; next 7 days plan 7 × 21.5 h = 150.5 h → 20 × 150.5 / 7 = 430 units a day → 990 / 430 days.
    expect(r.backlog).toMatchObject({ backlog: 990, unitsSinceOrders: 10, ratePerPlannedHour: 20, workingDaysNext7Days: 7 });
    expect(r.backlog.unitsPerCalendarDay).toBeCloseTo(430, 9);
    expect(r.kpis.daysToClear.value).toBeCloseTo(990 / 430, 12);
    expect(r.backlog.productionDaysToClear).toBeCloseTo(990 / 430, 12);
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe('computeLineKpis during a shift across midnight', () => {
  // Night shift 2027-03-01 22:00 → 03-02 06:00 (430 planned min), read at 01:00.
  // Units every 2 min from 22:01 to 23:59 (60) and from 00:31 to 00:51 (11): 71.
  const events: StationEvent[] = [];
  let n = 0;
  for (let k = 0; k < 60; k += 1) events.push(unit(sh('22:01') + 2 * k * MIN, n++));
  for (let k = 0; k < 11; k += 1) events.push(unit(sh('00:31', '2027-03-02') + 2 * k * MIN, n++));
  const r = computeLineKpis({ line, events, from: sh('22:00'), to: sh('06:00', '2027-03-02'), now: sh('01:00', '2027-03-02') });

  it('gives plan by now, gap, catch-up rate and forecast', () => {
    expect(r.kpis.units.value).toBe(71);
    // elapsed planned: 22:00–00:00 (120 min) + 00:30–01:00 (30 min) = 150 min
    expect(r.kpis.plannedTime.value).toBe(150 * 60);
    expect(r.kpis.planTotal.value).toBe(215); // 30 × 430 / 60
    expect(r.kpis.planByNow.value).toBe(75); // 30 × 150 / 60
    expect(r.kpis.gap.value).toBe(-4);
    // (215 − 71) / (280 min / 60) = 144 / 4.666… = 30.857…
    expect(r.kpis.catchUpRate.value).toBeCloseTo(144 / (280 / 60), 12);
    // trailing (00:00, 01:00]: 11 units in 30 planned min → 22 per planned hour
    expect(r.kpis.unitsPerHour.value).toBe(11);
    expect(r.kpis.currentRate.value).toBe(22);
    expect(r.kpis.currentRate.inputs.basis).toBe('trailing');
    // 71 + 22 × 280 / 60 = 173.666…
    expect(r.kpis.forecast.value).toBeCloseTo(71 + (22 * 280) / 60, 12);
  });

  it('splits the shift into clock hours with the plan of each', () => {
    expect(r.hourly.map((h) => [h.label, h.units, h.plan, h.status])).toEqual([
      ['22:00', 30, 30, 'past'],
      ['23:00', 30, 30, 'past'],
      ['00:00', 11, 15, 'past'], // night meal 00:00–00:30
      ['01:00', 0, 30, 'current'],
      ['02:00', 0, 25, 'future'], // break 02:00–02:10
      ['03:00', 0, 30, 'future'],
      ['04:00', 0, 25, 'future'], // break 04:00–04:10
      ['05:00', 0, 30, 'future'],
    ]);
    expect(r.hourly[3]?.planByNow).toBe(0);
    expect(r.hourly.reduce((s, h) => s + h.plan, 0)).toBe(215);
  });

  it('falls back to the shift average when the trailing hour is mostly a break', () => {
    // At 00:20 the trailing hour holds only 23:20–00:00 planned (40 min ≥ 15): trailing; at 00:10 with a 30-min window
    // (23:40–00:10) only 20 planned min; with a 15-min window (23:55–00:10) 5 min < 15 → average.
    const early = computeLineKpis({
      line,
      events,
      from: sh('22:00'),
      to: sh('06:00', '2027-03-02'),
      now: sh('00:10', '2027-03-02'),
      options: { trailingWindowMs: 15 * MIN },
    });
    // average: 60 units / 2 planned h = 30
    expect(early.kpis.currentRate.inputs.basis).toBe('average');
    expect(early.kpis.currentRate.value).toBe(30);
  });
});

describe('computeLineKpis across the spring-forward night in Europe/Berlin', () => {
  const berlin = ProductionCalendar.parse({
    timeZone: 'Europe/Berlin',
    dayStart: '06:00',
    shifts: [{ id: 'night', name: { zh: '夜班', en: 'Night' }, start: '22:00', end: '06:00', breaks: [{ start: '02:15', end: '02:30' }] }],
  });
  const berlinLine: LineConfig = { ...line, timeZone: 'Europe/Berlin' };

  it('plans a 7 h shift, with seven clock hours', () => {
    const from = at('2027-03-27T22:00:00+01:00');
    const to = at('2027-03-28T06:00:00+02:00');
    // one unit per 2 min during the first two hours (22:00–00:00 CET) → 60 units, read at 03:00 CEST
    const events = Array.from({ length: 60 }, (_, k) => unit(from + (2 * k + 1) * MIN, k));
    const r = computeLineKpis({ line: berlinLine, calendar: berlin, events, from, to, now: at('2027-03-28T03:00:00+02:00') });
    // 7 h − 15 min = 405 min → plan 30 × 405 / 60 = 202.5
    expect(r.kpis.planTotal.value).toBe(202.5);
    // elapsed 22:00 CET → 03:00 CEST = 4 real hours → 120 units planned
    expect(r.kpis.planByNow.value).toBe(120);
    expect(r.kpis.gap.value).toBe(-60);
    expect(r.hourly.map((h) => [h.label, h.utcOffset, h.plan])).toEqual([
      ['22:00', '+01:00', 30],
      ['23:00', '+01:00', 30],
      ['00:00', '+01:00', 30],
      ['01:00', '+01:00', 30],
      ['03:00', '+02:00', 22.5], // the 02:15–02:30 break, moved to 03:15–03:30
      ['04:00', '+02:00', 30],
      ['05:00', '+02:00', 30],
    ]);
  });
});

describe('computeLineKpis on empty input', () => {
  it('gives zeros and nulls for an empty interval [t, t)', () => {
    const t = sh('09:00');
    const r = computeLineKpis({ line, events: hourScenario(), from: t, to: t, now: sh('12:00') });
    const values = Object.fromEntries(Object.values(r.kpis).map((k) => [k.id, k.value]));
    expect(values).toEqual({
      units: 0,
      goodUnits: 0,
      unitsPerHour: 0, // the trailing hour (08:00, 09:00] holds no units
      currentRate: 0, // …and 50 planned minutes: a real rate of 0
      plannedTime: 0,
      planTotal: 0,
      planByNow: 0,
      gap: 0,
      catchUpRate: null,
      forecast: 0,
      taktTarget: 120,
      actualTakt: null,
      availability: null,
      performance: null,
      quality: null,
      oee: null,
      downtime: 0,
      backlog: null, // the orders snapshot at 09:30 is after the interval
      daysToClear: null,
    });
    expect(r.hourly).toEqual([]);
    expect(r.bottleneck.station).toBeNull();
    expect(r.downtime.items).toEqual([]);
  });

  it('gives every KPI its registered empty value with no events and no planned time', () => {
    const off: LineConfig = { ...line, calendar: { dayStart: '06:00', weekdays: [1, 2, 3, 4, 5], daysOff: [], workdays: [], shifts: [] } };
    const r = computeLineKpis({ line: off, events: [], from: sh('06:00', '2027-03-06'), to: sh('06:00', '2027-03-07'), now: sh('12:00', '2027-03-08') });
    for (const def of KPI_REGISTRY) {
      if (def.source === 'config') continue;
      expect(r.kpis[def.id].value, def.id).toBe(def.empty);
    }
  });

  it('with planned time but no events: behind plan, nothing to blame', () => {
    const r = computeLineKpis({ line, events: [], from: sh('09:00'), to: sh('10:00'), now: sh('12:00') });
    expect(r.kpis.units.value).toBe(0);
    expect(r.kpis.gap.value).toBe(-30);
    expect(r.kpis.quality.value).toBeNull();
    expect(r.kpis.oee.value).toBeNull(); // no data at all: no data, not 0 %
    expect(r.oee.constraintSource).toBe('none');
    expect(r.stations[0]?.stateSeconds.unknown).toBe(3600);
    expect(r.bottleneck.method).toBe('none');
  });

  it('on a day off plans nothing', () => {
    const weekdays: LineConfig = { ...line, calendar: { dayStart: '06:00', weekdays: [1, 2, 3, 4, 5], daysOff: [], workdays: [], shifts: [] } };
    const r = computeLineKpis({ line: weekdays, events: [], from: sh('06:00', '2027-03-06'), to: sh('06:00', '2027-03-07'), now: sh('12:00', '2027-03-08') });
    expect(r.kpis.planTotal.value).toBe(0);
    expect(r.kpis.oee.value).toBeNull();
  });
});

describe('computeLineKpis edge cases', () => {
  it('counts a replayed event once and ignores other lines and the future', () => {
    const events = [unit(sh('09:10'), 1), unit(sh('09:10'), 1), unit(sh('09:20'), 2), { ...unit(sh('09:25'), 3), line: 'B7' } as StationEvent, unit(sh('09:40'), 4)];
    const r = computeLineKpis({ line, events, from: sh('09:00'), to: sh('10:00'), now: sh('09:30') });
    expect(r.kpis.units.value).toBe(2); // VIN1 once, VIN2; B7 is another line; 09:40 is after now
    expect(r.kpis.planByNow.value).toBe(15); // 30 min planned
  });

  it('takes the state at `from` from initialStates and does not count a fault carried in as a failure', () => {
    const r = computeLineKpis({
      line,
      events: [state(sh('09:15'), 'S01', 'running')],
      from: sh('09:00'),
      to: sh('10:00'),
      now: sh('12:00'),
      initialStates: { S01: { state: 'fault', reason: 'jam', since: sh('08:40') } },
    });
    const s1 = r.stations[0];
    expect(s1?.stateSeconds).toMatchObject({ fault: 900, running: 2700 });
    expect(s1?.reliability.failures).toBe(0);
    expect(s1?.downtimeSeconds).toBe(900);
  });

  it('falls back to cycle times for the bottleneck and flags a shifting one', () => {
    const cyclesOnly = computeLineKpis({
      line,
      events: [cycle(sh('09:10'), 'S01', 100), cycle(sh('09:12'), 'S03', 119), cycle(sh('09:14'), 'S02', 90)],
      from: sh('09:00'),
      to: sh('10:00'),
      now: sh('12:00'),
    });
    expect(cyclesOnly.bottleneck).toMatchObject({ station: 'S03', method: 'cycle-time', margin: 19 });
    // S01 active 09:00–09:40, S02 09:19–10:00: the longer S02 period takes over at 09:19, the two overlap 21 min (shifting).
    // Shares: S01 19 sole + 21 shifting = 40 min, S02 21 + 20 = 41 min of 60: a lead of 1/60, under 2 points.
    const close = computeLineKpis({
      line,
      events: [
        state(sh('08:00'), 'S01', 'running'),
        state(sh('09:40'), 'S01', 'blocked'),
        state(sh('08:00'), 'S02', 'starved'),
        state(sh('09:19'), 'S02', 'running'),
        state(sh('08:00'), 'S03', 'starved'),
      ],
      from: sh('09:00'),
      to: sh('10:00'),
      now: sh('12:00'),
    });
    expect(close.bottleneck.station).toBe('S02');
    expect(close.bottleneck.margin).toBeCloseTo(1 / 60, 12);
    expect(close.bottleneck.shifting).toBe(true);
    expect(close.bottleneck.why.en).toContain('shifting');
  });
});

describe('an interval without data', () => {
  it('says no data: availability, performance, quality and OEE are null, never 100 % and 0 %', () => {
    const k = computeLineKpis({ line, events: [], from: sh('09:00'), to: sh('10:00'), now: sh('12:00') });
    expect(k.status).toBe('no_data');
    expect(k.oee).toMatchObject({ availability: null, performance: null, quality: null, oee: null });
    expect(k.kpis.availability.value).toBeNull();
    expect(k.kpis.performance.value).toBeNull();
  });

  it('has data once a station state carries into it, even without units', () => {
    const k = computeLineKpis({ line, events: [state(sh('08:00'), 'S01', 'fault', 'spindle')], from: sh('09:00'), to: sh('10:00'), now: sh('12:00') });
    expect(k.status).toBe('ok');
    // S01 was down all hour: availability 0, a number, because the state is known.
    expect(k.oee.availability).toBe(0);
  });
});

describe('honest rates', () => {
  it('measures the actual takt in planned time, so a break between two units is not a slow takt', () => {
    // Lunch 10:30–11:00: units at 10:28 and 11:02 are 4 planned minutes apart, not 34.
    const k = computeLineKpis({ line, events: [unit(sh('10:28'), 1), unit(sh('11:02'), 2)], from: sh('10:00'), to: sh('12:00'), now: sh('12:00') });
    expect(k.kpis.actualTakt.value).toBe(240);
  });

  it('explains a performance above 100 %', () => {
    const events = Array.from({ length: 40 }, (_, n) => unit(sh('09:00') + 90_000 * n + 1000, n));
    const k = computeLineKpis({ line, events, from: sh('09:00'), to: sh('10:00'), now: sh('10:00') });
    expect(k.oee.performance).toBeGreaterThan(1);
    expect(k.oee.performanceWhy?.en).toContain('buffers after the constraint drained');
    // With cycles: S01 finished 30 units and S02 40, so the buffer after S01 gave 10 built before the hour.
    const cycles = [
      ...Array.from({ length: 30 }, (_, n) => cycle(sh('09:00') + 100_000 * n + 500, 'S01', 100)),
      ...Array.from({ length: 40 }, (_, n) => cycle(sh('09:00') + 90_000 * n + 700, 'S02', 90)),
      ...Array.from({ length: 40 }, (_, n) => cycle(sh('09:00') + 90_000 * n + 900, 'S03', 90)),
    ];
    const named = computeLineKpis({ line, events: [...events, ...cycles], from: sh('09:00'), to: sh('10:00'), now: sh('10:00') });
    expect(named.oee.constraintStation).toBe('S01');
    expect(named.oee.performanceWhy?.en).toContain('Buffers that drained: after S01 −10');
    // With S02 the constraint, the buffer after S01 fed it and explains nothing: no buffer after S02 drained.
    const atS02 = computeLineKpis({ line, events: [...events, ...cycles], from: sh('09:00'), to: sh('10:00'), now: sh('10:00'), options: { constraintStation: 'S02' } });
    expect(atS02.oee.performanceWhy?.en).toContain('buffers after the constraint drained');
    expect(atS02.oee.performanceWhy?.en).not.toContain('Buffers that drained');
    const normal = computeLineKpis({ line, events: events.slice(0, 20), from: sh('09:00'), to: sh('10:00'), now: sh('10:00') });
    expect(normal.oee.performanceWhy).toBeUndefined();
  });
});
