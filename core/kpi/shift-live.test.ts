import { describe, expect, it } from 'vitest';
import { currentShift, lineCalendar } from '../calendar/calendar';
import type { StationEvent } from '../events';
import type { LineConfig } from '../plant';
import { computeLineKpis } from './line-kpis';
import { applyShiftEvent, createShiftTracker, KEPT_SHIFTS, shiftFiguresShown, shiftLiveView } from './shift-live';

const at = (iso: string) => Date.parse(iso);
const sh = (hhmm: string, date = '2027-03-01') => at(`${date}T${hhmm}:00+08:00`);
const MIN = 60_000;

const line: LineConfig = {
  id: 'A1',
  name: { zh: '总装 A1 线', en: 'Final assembly A1' },
  timeZone: 'Asia/Shanghai',
  targetPerHour: 30,
  stations: ['S01', 'S02'].map((id) => ({ id, name: { zh: id, en: id } })),
};

/** Night shift from 22:00: a unit every 2 min until 23:59, then 00:31–00:51; S02 faults 23:50–00:40 ('servo'). */
function nightEvents(): StationEvent[] {
  const events: StationEvent[] = [
    { type: 'state', ts: sh('21:00'), line: 'A1', station: 'S02', state: 'running' },
    { type: 'state', ts: sh('21:00'), line: 'A1', station: 'S01', state: 'running' },
  ];
  let n = 0;
  for (let k = 0; k < 60; k += 1) events.push({ type: 'unit', ts: sh('22:01') + 2 * k * MIN, line: 'A1', unit: `V${n++}`, ...(k === 5 ? { result: 'nok' as const } : {}) });
  events.push({ type: 'state', ts: sh('23:50'), line: 'A1', station: 'S02', state: 'fault', reason: 'servo' });
  events.push({ type: 'state', ts: sh('00:40', '2027-03-02'), line: 'A1', station: 'S02', state: 'running' });
  events.push({ type: 'state', ts: sh('00:45', '2027-03-02'), line: 'A1', station: 'S01', state: 'maintenance', reason: 'PM' });
  for (let k = 0; k < 11; k += 1) events.push({ type: 'unit', ts: sh('00:31', '2027-03-02') + 2 * k * MIN, line: 'A1', unit: `V${n++}` });
  return events.sort((a, b) => a.ts - b.ts);
}

describe('shiftLiveView', () => {
  const now = sh('01:00', '2027-03-02');
  const tracker = createShiftTracker(line);
  for (const e of nightEvents()) applyShiftEvent(tracker, e);
  const live = shiftLiveView(tracker, now);

  it('gives the hand-computed shift numbers', () => {
    expect(live?.shift.key).toBe('2027-03-01/night');
    expect(live?.status).toBe('running');
    expect(live?.units).toBe(71);
    expect(live?.goodUnits).toBe(70);
    expect(live?.planByNow).toBe(75); // 30 × 150 planned min / 60
    expect(live?.gap).toBe(-4);
    expect(live?.currentRate).toBe(22); // 11 units in 30 planned min of the trailing hour
    expect(live?.hourPlan).toBe(30); // 01:00–02:00, no break
    expect(live?.hourPlanByNow).toBe(0);
    // S02 fault 23:50–00:40 inside planned time: 23:50–00:00 (10 min) + 00:30–00:40 (10 min) = 1200 s; S01 PM 00:45–01:00 = 900 s
    expect(live?.topDowntime).toEqual([
      { station: 'S02', state: 'fault', reason: 'servo', seconds: 1200 },
      { station: 'S01', state: 'maintenance', reason: 'PM', seconds: 900 },
    ]);
    expect(live?.downNow).toEqual([{ station: 'S01', state: 'maintenance', reason: 'PM', since: sh('00:45', '2027-03-02'), seconds: 900 }]);
  });

  it('agrees with computeLineKpis over the same shift', () => {
    const shift = currentShift(lineCalendar(line), now);
    if (!shift) throw new Error('no shift');
    const r = computeLineKpis({ line, events: nightEvents(), from: shift.start, to: shift.end, now });
    expect(live?.units).toBe(r.kpis.units.value);
    expect(live?.goodUnits).toBe(r.kpis.goodUnits.value);
    expect(live?.planTotal).toBe(r.kpis.planTotal.value);
    expect(live?.planByNow).toBe(r.kpis.planByNow.value);
    expect(live?.gap).toBe(r.kpis.gap.value);
    expect(live?.catchUpRate).toBe(r.kpis.catchUpRate.value);
    expect(live?.currentRate).toBe(r.kpis.currentRate.value);
    expect(live?.forecast).toBe(r.kpis.forecast.value);
    expect(live?.topDowntime).toEqual(r.downtime.items.map(({ station, state, reason, seconds }) => ({ station, state, reason, seconds })));
  });

  it('counts a replayed unit once', () => {
    const t = createShiftTracker(line);
    const u: StationEvent = { type: 'unit', ts: sh('22:10'), line: 'A1', unit: 'V1' };
    expect(applyShiftEvent(t, u)).toBe(true);
    expect(applyShiftEvent(t, u)).toBe(false);
    expect(shiftLiveView(t, sh('22:30'))?.units).toBe(1);
  });

  it('shows the last shift as ended between shifts', () => {
    const weekdays: LineConfig = {
      ...line,
      calendar: { dayStart: '06:00', weekdays: [1, 2, 3, 4, 5], daysOff: [], workdays: [], shifts: [{ id: 'day', name: { zh: '白班', en: 'Day' }, start: '08:00', end: '17:00', breaks: [] }] },
    };
    const t = createShiftTracker(weekdays);
    applyShiftEvent(t, { type: 'unit', ts: sh('16:59', '2027-03-05'), line: 'A1', unit: 'V1' });
    const v = shiftLiveView(t, sh('10:00', '2027-03-06')); // Saturday
    expect(v).toMatchObject({ status: 'ended', units: 1, planTotal: 270, planByNow: 270, gap: -269, forecast: 1, catchUpRate: null });
    expect(v?.shift.key).toBe('2027-03-05/day');
  });

  it('keeps memory bounded over a week of events', () => {
    const t = createShiftTracker(line);
    const start = sh('06:00');
    for (let i = 0; i < 7 * 24 * 30; i += 1) {
      const ts = start + i * 2 * MIN;
      applyShiftEvent(t, { type: 'unit', ts, line: 'A1', unit: `V${i}` });
      if (i % 10 === 0) applyShiftEvent(t, { type: 'state', ts, line: 'A1', station: 'S02', state: i % 20 === 0 ? 'fault' : 'running', reason: `r${i % 7}` });
    }
    expect(t.tallies.size).toBeLessThanOrEqual(KEPT_SHIFTS);
    expect(t.unitTimes.length).toBeLessThanOrEqual(61); // 2 h at one unit per 2 min, both ends
    expect(t.unitKeys.size).toBeLessThanOrEqual(t.unitTimes.length * 2 + 64);
  });
});

describe('catch-up the line cannot reach', () => {
  it('says so, with the units that will be short and the overtime that would build them', () => {
    // Early shift, 06:00–14:00 (430 planned min, plan 215); nothing built by 12:00, 110 planned min left (break 12:30–12:40).
    const tracker = createShiftTracker(line);
    applyShiftEvent(tracker, { type: 'state', ts: sh('06:00'), line: 'A1', station: 'S01', state: 'fault', reason: 'conveyor' });
    const live = shiftLiveView(tracker, sh('12:00'));
    const c = live?.catchUp;
    expect(c?.reachable).toBe(false);
    expect(c?.neededRate).toBeCloseTo(215 / (110 / 60), 6);
    // At 30/h the last 110 min build 55: 160 short, or 160 / 30 h = 5 h 20 min of overtime.
    expect(c?.unitsShort).toBeCloseTo(160, 6);
    expect(c?.overtimeSeconds).toBeCloseTo(160 * 120, 6);
    expect(c?.why?.en).toContain('160 units will be short');
    expect(c?.why?.zh).toContain('5 小时 20 分钟');
  });

  it('is quiet when the plan is still within reach', () => {
    const tracker = createShiftTracker(line);
    const live = shiftLiveView(tracker, sh('06:00'));
    expect(live?.catchUp).toMatchObject({ reachable: true, unitsShort: 0, overtimeSeconds: 0, why: null });
  });
});

describe('a line behind plan after a burst', () => {
  // Day shift 06:00–14:00 without breaks: 8 planned h, plan 240 at 30/h. By 11:00 (plan 150) the line has built 89:
  // 38 in 06:00–10:00, then a burst of 51 in the last hour (a buffer emptying). 61 behind, 3 planned h left.
  const dayLine: LineConfig = {
    ...line,
    calendar: { dayStart: '06:00', weekdays: [1, 2, 3, 4, 5, 6, 7], daysOff: [], workdays: [], shifts: [{ id: 'day', name: { zh: '白班', en: 'Day' }, start: '06:00', end: '14:00', breaks: [] }] },
  };
  const now = sh('11:00');
  const tracker = createShiftTracker(dayLine);
  for (let k = 0; k < 38; k += 1) applyShiftEvent(tracker, { type: 'unit', ts: sh('06:05') + k * 6 * MIN, line: 'A1', unit: `E${k}` });
  for (let k = 0; k < 51; k += 1) applyShiftEvent(tracker, { type: 'unit', ts: sh('10:00') + (k + 1) * 70_000, line: 'A1', unit: `B${k}` });
  const live = shiftLiveView(tracker, now);
  if (!live) throw new Error('no shift');

  it('measures the burst as it is, and is 61 behind', () => {
    expect(live.units).toBe(89);
    expect(live.planByNow).toBe(150);
    expect(live.gap).toBe(-61);
    expect(live.currentRate).toBe(51);
    expect(live.plannedSecondsRemaining).toBe(3 * 3600);
  });

  it('never forecasts more than the line builds at its ideal rate, so a line behind is forecast behind by its gap', () => {
    // At most 30/h for the 3 h left: 89 + 90 = 179 = plan 240 − 61 (not 89 + 51 × 3 = 242, above plan).
    expect(live.forecast).toBe(179);
    expect(live.forecast).toBeLessThanOrEqual(live.units + (dayLine.targetPerHour * live.plannedSecondsRemaining) / 3600);
    expect((live.forecast as number) - live.planTotal).toBe(live.gap);
  });

  it('agrees with computeLineKpis on the capped forecast', () => {
    const shift = currentShift(lineCalendar(dayLine), now);
    if (!shift) throw new Error('no shift');
    const events: StationEvent[] = [];
    for (let k = 0; k < 38; k += 1) events.push({ type: 'unit', ts: sh('06:05') + k * 6 * MIN, line: 'A1', unit: `E${k}` });
    for (let k = 0; k < 51; k += 1) events.push({ type: 'unit', ts: sh('10:00') + (k + 1) * 70_000, line: 'A1', unit: `B${k}` });
    const r = computeLineKpis({ line: dayLine, events, from: shift.start, to: shift.end, now });
    expect(r.kpis.forecast.value).toBe(live.forecast);
  });

  it('shows a catch-up it cannot reach as the units short and the overtime, computed from the shown numbers', () => {
    const shown = shiftFiguresShown(live, dayLine.targetPerHour);
    expect(shown).toMatchObject({ units: 89, planByNow: 150, gap: -61, planTotal: 240, forecast: 179 });
    // 51/h would be needed; the line builds 30/h: at most 179, so 240 − 179 = 61 short, or 61 × 2 min = 2 h 02 min more.
    expect(shown.catchUp).toEqual({ kind: 'short', maxAtCapacity: 179, short: 61, overtimeSeconds: 61 * 120, capacityPerHour: 30 });
    if (shown.catchUp.kind !== 'short') throw new Error('reachable');
    expect(shown.catchUp.short).toBe(shown.planTotal - shown.catchUp.maxAtCapacity);
    expect(shown.forecast as number).toBeLessThanOrEqual(shown.planTotal + shown.gap);
  });

  it('shows the rate when the plan is still within reach, and nothing once ahead or ended', () => {
    const t = createShiftTracker(dayLine);
    for (let k = 0; k < 130; k += 1) applyShiftEvent(t, { type: 'unit', ts: sh('06:01') + k * 2 * MIN, line: 'A1', unit: `R${k}` });
    const v = shiftLiveView(t, sh('11:00'));
    if (!v) throw new Error('no shift');
    // 130 built, 150 due: (240 − 130) / 3 h = 36.7/h > 30: at most 130 + 90 = 220, 20 short.
    expect(shiftFiguresShown(v, 30).catchUp).toMatchObject({ kind: 'short', maxAtCapacity: 220, short: 20 });
    const late = shiftLiveView(t, sh('07:00'));
    if (!late) throw new Error('no shift');
    // By 07:00, 30 built and 30 due: on plan, no catch-up line.
    expect(shiftFiguresShown(late, 30).catchUp).toEqual({ kind: 'none' });
    const behind = createShiftTracker(dayLine);
    for (let k = 0; k < 20; k += 1) applyShiftEvent(behind, { type: 'unit', ts: sh('06:01') + k * 3 * MIN, line: 'A1', unit: `L${k}` });
    const early = shiftLiveView(behind, sh('07:00'));
    if (!early) throw new Error('no shift');
    // 20 built, 30 due, 7 h left: (240 − 20) / 7 = 31.4/h > 30 → 20 + 210 = 230: 10 short.
    expect(shiftFiguresShown(early, 30).catchUp).toMatchObject({ kind: 'short', short: 10 });
    const mild = createShiftTracker(dayLine);
    for (let k = 0; k < 27; k += 1) applyShiftEvent(mild, { type: 'unit', ts: sh('06:01') + k * 2 * MIN, line: 'A1', unit: `M${k}` });
    const m = shiftLiveView(mild, sh('07:00'));
    if (!m) throw new Error('no shift');
    // 27 built, 30 due: (240 − 27) / 7 = 30.43 → above 30/h: 27 + 210 = 237, 3 short.
    expect(shiftFiguresShown(m, 30).catchUp).toMatchObject({ kind: 'short', short: 3 });
    // With a faster ideal rate the same line can catch up: ceil(30.43) = 31/h.
    expect(shiftFiguresShown(m, 36).catchUp).toEqual({ kind: 'rate', rate: 31 });
  });
});
