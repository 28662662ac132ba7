import { describe, expect, it } from 'vitest';
import {
  currentShift,
  hourBuckets,
  lineCalendar,
  nextShift,
  plannedIntervals,
  plannedSeconds,
  previousShift,
  productionDay,
  resolveRange,
  shiftAt,
  shiftsBetween,
  weekOf,
} from './calendar';
import { DEFAULT_SHIFT_PATTERN } from './reference';
import { parseCalendar, ProductionCalendar, type ProductionCalendarInput } from './schema';

const at = (iso: string) => Date.parse(iso);
const MIN = 60;

const shanghai = lineCalendar({ timeZone: 'Asia/Shanghai', calendar: undefined });

/** Berlin: one night shift 22:00–06:00 with a break at 02:15–02:30, every day. */
const berlin = ProductionCalendar.parse({
  timeZone: 'Europe/Berlin',
  dayStart: '06:00',
  shifts: [
    { id: 'day', name: { zh: '白班', en: 'Day' }, start: '06:00', end: '14:00', breaks: [{ start: '10:00', end: '10:30' }] },
    { id: 'night', name: { zh: '夜班', en: 'Night' }, start: '22:00', end: '06:00', breaks: [{ start: '02:15', end: '02:30' }] },
  ],
} satisfies ProductionCalendarInput);

describe('the reference calendar (Asia/Shanghai, three shifts, day starts 06:00)', () => {
  it('plans 3 × 430 minutes a day', () => {
    const day = productionDay(shanghai, at('2027-03-01T12:00:00+08:00'));
    // 3 shifts × (480 − 10 − 30 − 10) min = 1290 min = 77 400 s
    expect(day.plannedSeconds).toBe(77_400);
    expect(day.shifts.map((s) => s.key)).toEqual(['2027-03-01/early', '2027-03-01/late', '2027-03-01/night']);
    expect(day.start).toBe(at('2027-03-01T06:00:00+08:00'));
    expect(day.end).toBe(at('2027-03-02T06:00:00+08:00'));
  });

  it('puts 01:00 in the night shift that began the day before (a shift across midnight)', () => {
    const now = at('2027-03-02T01:00:00+08:00');
    const s = shiftAt(shanghai, now);
    expect(s?.key).toBe('2027-03-01/night');
    expect(s?.start).toBe(at('2027-03-01T22:00:00+08:00'));
    expect(s?.end).toBe(at('2027-03-02T06:00:00+08:00'));
    expect(productionDay(shanghai, now).date).toBe('2027-03-01');
    expect(previousShift(shanghai, now)?.key).toBe('2027-03-01/late');
    expect(nextShift(shanghai, now)?.key).toBe('2027-03-02/early');
  });

  it('counts planned time across midnight, minus the night meal', () => {
    // 23:00–24:00 = 60 min, 00:00–00:30 night meal, 00:30–01:00 = 30 min → 90 min
    expect(plannedSeconds(shanghai, at('2027-03-01T23:00:00+08:00'), at('2027-03-02T01:00:00+08:00'))).toBe(90 * MIN);
    const iv = plannedIntervals(shanghai, at('2027-03-01T23:00:00+08:00'), at('2027-03-02T01:00:00+08:00'));
    expect(iv.map((i) => [i.start, i.end, i.shiftId, i.day])).toEqual([
      [at('2027-03-01T23:00:00+08:00'), at('2027-03-02T00:00:00+08:00'), 'night', '2027-03-01'],
      [at('2027-03-02T00:30:00+08:00'), at('2027-03-02T01:00:00+08:00'), 'night', '2027-03-01'],
    ]);
  });

  it('gives each clock hour its planned minutes, breaks inside the hour taken out', () => {
    const buckets = hourBuckets(shanghai, at('2027-03-01T08:00:00+08:00'), at('2027-03-01T11:30:00+08:00'));
    expect(buckets.map((b) => [b.label, b.plannedSeconds / MIN])).toEqual([
      ['08:00', 50], // break 08:00–08:10
      ['09:00', 60],
      ['10:00', 30], // lunch 10:30–11:00
      ['11:00', 30], // clipped at 11:30
    ]);
    expect(buckets.at(-1)?.end).toBe(at('2027-03-01T11:30:00+08:00'));
    expect(buckets.at(-1)?.hourEnd).toBe(at('2027-03-01T12:00:00+08:00'));
    expect(buckets[0]?.utcOffset).toBe('+08:00');
  });

  it('returns nothing for an empty interval', () => {
    const t = at('2027-03-01T09:00:00+08:00');
    expect(plannedSeconds(shanghai, t, t)).toBe(0);
    expect(hourBuckets(shanghai, t, t)).toEqual([]);
    expect(shiftsBetween(shanghai, t, t - 1)).toEqual([]);
  });

  it('has bucket sums equal to the planned time of a whole week', () => {
    const from = at('2027-03-01T06:00:00+08:00');
    const to = at('2027-03-08T06:00:00+08:00');
    const sum = hourBuckets(shanghai, from, to).reduce((s, b) => s + b.plannedSeconds, 0);
    expect(sum).toBe(7 * 77_400);
    expect(plannedSeconds(shanghai, from, to)).toBe(7 * 77_400);
  });

  it('resolves the ranges the API speaks', () => {
    const now = at('2027-03-03T15:00:00+08:00'); // Wednesday, late shift
    expect(resolveRange(shanghai, 'shift:current', now)).toMatchObject({ ok: true, label: '2027-03-03/late', from: at('2027-03-03T14:00:00+08:00'), to: at('2027-03-03T22:00:00+08:00') });
    expect(resolveRange(shanghai, 'shift:previous', now)).toMatchObject({ ok: true, label: '2027-03-03/early' });
    expect(resolveRange(shanghai, 'day:today', at('2027-03-03T05:00:00+08:00'))).toMatchObject({ ok: true, label: '2027-03-02' });
    expect(resolveRange(shanghai, 'week:current', now)).toMatchObject({
      ok: true,
      label: '2027-W09',
      from: at('2027-03-01T06:00:00+08:00'),
      to: at('2027-03-08T06:00:00+08:00'),
    });
    expect(resolveRange(shanghai, 'week:previous', now)).toMatchObject({ ok: true, label: '2027-W08' });
    expect(resolveRange(shanghai, 'month:current', now)).toMatchObject({ ok: false, code: 'unknown_range' });
  });
});

describe('days off, weekdays and make-up working days', () => {
  const cal = ProductionCalendar.parse({
    timeZone: 'Asia/Shanghai',
    dayStart: '08:00',
    weekdays: [1, 2, 3, 4, 5],
    daysOff: ['2027-05-03'],
    workdays: ['2027-05-08'],
    shifts: [{ id: 'A', name: { zh: '白班', en: 'Day' }, start: '08:00', end: '17:00', breaks: [{ start: '12:00', end: '13:00' }] }],
  } satisfies ProductionCalendarInput);

  it('skips weekends and holidays and works a make-up Saturday', () => {
    // Mon 2027-05-03 is a holiday, Sat 2027-05-08 a 调休 working day.
    expect(productionDay(cal, at('2027-05-03T10:00:00+08:00')).working).toBe(false);
    expect(shiftAt(cal, at('2027-05-03T10:00:00+08:00'))).toBeNull();
    expect(shiftAt(cal, at('2027-05-08T10:00:00+08:00'))?.key).toBe('2027-05-08/A');
    expect(shiftAt(cal, at('2027-05-09T10:00:00+08:00'))).toBeNull();
    // Mon 05-03 09:00: the last shift to end was Friday 04-30.
    expect(previousShift(cal, at('2027-05-03T09:00:00+08:00'))?.key).toBe('2027-04-30/A');
    expect(currentShift(cal, at('2027-05-04T12:30:00+08:00'))?.key).toBe('2027-05-04/A'); // in the lunch break, still the shift
    expect(resolveRange(cal, 'shift:current', at('2027-05-04T18:00:00+08:00'))).toMatchObject({ ok: false, code: 'no_current_shift' });
    // Week of Mon 05-03: Tue–Fri + Sat = 5 days × 8 h = 40 h
    const week = weekOf(cal, at('2027-05-05T10:00:00+08:00'));
    expect(plannedSeconds(cal, week.start, week.end)).toBe(5 * 8 * 3600);
  });
});

describe('daylight saving in Europe/Berlin', () => {
  it('spring forward: the 23 h day, a 7 h night shift and a break at a missing time', () => {
    const day = productionDay(berlin, at('2027-03-27T12:00:00+01:00'));
    expect(day.date).toBe('2027-03-27');
    expect((day.end - day.start) / 3_600_000).toBe(23);
    const night = day.shifts.find((s) => s.id === 'night');
    // 22:00 CET (21:00Z) to 06:00 CEST (04:00Z) = 7 h
    expect(night?.start).toBe(at('2027-03-27T21:00:00Z'));
    expect(night?.end).toBe(at('2027-03-28T04:00:00Z'));
    // 02:15–02:30 does not exist; it moves forward with the clock to 03:15–03:30 CEST (01:15Z–01:30Z)
    expect(night?.breaks).toEqual([{ start: at('2027-03-28T01:15:00Z'), end: at('2027-03-28T01:30:00Z') }]);
    // 7 h − 15 min = 405 min
    expect(night?.plannedSeconds).toBe(405 * MIN);
    // Clock hours from 00:00 to 04:00 local: 00, 01, 03 (02:00 never happens)
    const buckets = hourBuckets(berlin, at('2027-03-28T00:00:00+01:00'), at('2027-03-28T04:00:00+02:00'));
    expect(buckets.map((b) => [b.label, b.utcOffset, b.plannedSeconds / MIN])).toEqual([
      ['00:00', '+01:00', 60],
      ['01:00', '+01:00', 60],
      ['03:00', '+02:00', 45],
    ]);
  });

  it('fall back: the 25 h day, a 9 h night shift and the two 02:00 hours', () => {
    const day = productionDay(berlin, at('2027-10-30T12:00:00+02:00'));
    expect((day.end - day.start) / 3_600_000).toBe(25);
    const night = day.shifts.find((s) => s.id === 'night');
    // 22:00 CEST (20:00Z) to 06:00 CET (05:00Z) = 9 h
    expect(night?.end).toBe(at('2027-10-31T05:00:00Z'));
    expect((night!.end - night!.start) / 3_600_000).toBe(9);
    // 02:15 happens twice; the break takes the first: 02:15 CEST = 00:15Z
    expect(night?.breaks).toEqual([{ start: at('2027-10-31T00:15:00Z'), end: at('2027-10-31T00:30:00Z') }]);
    expect(night?.plannedSeconds).toBe(525 * MIN); // 540 − 15
    const buckets = hourBuckets(berlin, at('2027-10-31T01:00:00+02:00'), at('2027-10-31T04:00:00+01:00'));
    expect(buckets.map((b) => [b.label, b.utcOffset, b.plannedSeconds / MIN])).toEqual([
      ['01:00', '+02:00', 60],
      ['02:00', '+02:00', 45],
      ['02:00', '+01:00', 60],
      ['03:00', '+01:00', 60],
    ]);
    expect(shiftAt(berlin, at('2027-10-31T02:40:00+01:00'))?.key).toBe('2027-10-30/night');
  });

  it('finds the right production day when the day starts inside the gap', () => {
    const cal = ProductionCalendar.parse({ ...berlin, dayStart: '02:30', shifts: [] });
    // Day 2027-03-28 starts at 02:30 wall time, which is 03:30 CEST: 03:10 CEST still belongs to 03-27.
    expect(productionDay(cal, at('2027-03-28T03:10:00+02:00')).date).toBe('2027-03-27');
    expect(productionDay(cal, at('2027-03-28T03:30:00+02:00')).date).toBe('2027-03-28');
  });
});

describe('calendar validation', () => {
  const base = DEFAULT_SHIFT_PATTERN;
  it.each([
    [{ ...base, timeZone: 'Mars/Olympus' }, 'timeZone', /IANA/],
    [{ ...base, timeZone: 'UTC', dayStart: '24:00' }, 'dayStart', /HH:MM/],
    [{ ...base, timeZone: 'UTC', daysOff: ['2027-02-30'] }, 'daysOff.0', /real date/],
    [{ ...base, timeZone: 'UTC', weekdays: [0] }, 'weekdays.0', /ISO weekdays/],
    [
      { ...base, timeZone: 'UTC', shifts: [{ id: 'x', name: { zh: '夜', en: 'N' }, start: '22:00', end: '07:00' }] },
      'shifts.0.end',
      /next production day's start 06:00/,
    ],
    [
      {
        ...base,
        timeZone: 'UTC',
        shifts: [
          { id: 'a', name: { zh: 'a', en: 'a' }, start: '06:00', end: '15:00' },
          { id: 'b', name: { zh: 'b', en: 'b' }, start: '14:00', end: '22:00' },
        ],
      },
      'shifts.1.start',
      /overlaps shift 'a'/,
    ],
    [
      { ...base, timeZone: 'UTC', shifts: [{ id: 'a', name: { zh: 'a', en: 'a' }, start: '06:00', end: '14:00', breaks: [{ start: '13:50', end: '14:10' }] }] },
      'shifts.0.breaks.0',
      /inside shift 'a'/,
    ],
  ])('rejects a bad calendar, naming the field (%#)', (raw, field, reason) => {
    const r = parseCalendar(raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]?.field).toBe(field);
    expect(r.issues[0]?.reason).toMatch(reason);
    expect(r.issues[0]?.code).toBe('invalid_calendar');
  });

  it('accepts the reference pattern and fills defaults', () => {
    const r = parseCalendar({ timeZone: 'Asia/Shanghai', dayStart: '06:00', shifts: [] });
    expect(r).toEqual({ ok: true, calendar: { timeZone: 'Asia/Shanghai', dayStart: '06:00', shifts: [], weekdays: [1, 2, 3, 4, 5, 6, 7], daysOff: [], workdays: [] } });
    expect(parseCalendar({ ...base, timeZone: 'Asia/Shanghai' }).ok).toBe(true);
  });
});
