import { describe, expect, it } from 'vitest';
import { DEFAULT_SHIFT_PATTERN, ShiftPattern } from '../../core/calendar';
import { ShiftCalendar } from './calendar';

const START = Date.parse('2027-03-01T20:00:00+08:00'); // a Monday evening in Shanghai

const night = ShiftPattern.parse({
  dayStart: '12:00',
  weekdays: [1, 2, 3, 4, 5],
  shifts: [{ id: 'night', name: { zh: '夜班', en: 'Night' }, start: '22:00', end: '06:00', breaks: [{ start: '02:00', end: '02:30' }] }],
});

describe('ShiftCalendar', () => {
  it('plans every moment without a calendar', () => {
    const cal = new ShiftCalendar(null, 'Asia/Shanghai', START);
    expect(cal.segmentAt(123).kind).toBe('work');
    expect(cal.plannedSeconds(0, 7200)).toBe(7200);
  });

  it('runs a night shift across midnight with a break after midnight', () => {
    const cal = new ShiftCalendar(night, 'Asia/Shanghai', START);
    expect(cal.segmentAt(0)).toEqual({ kind: 'off', from: 0, to: 7200 }); // 20:00–22:00
    expect(cal.segmentAt(7200)).toEqual({ kind: 'work', from: 7200, to: 7200 + 4 * 3600 }); // 22:00–02:00
    expect(cal.segmentAt(6 * 3600 + 60).kind).toBe('break'); // 02:01
    expect(cal.segmentAt(6.5 * 3600)).toEqual({ kind: 'work', from: 6.5 * 3600, to: 10 * 3600 }); // 02:30–06:00
    expect(cal.segmentAt(10 * 3600).kind).toBe('off');
    expect(cal.plannedSeconds(0, 24 * 3600)).toBe(7.5 * 3600);
  });

  it('agrees segment by segment with its own planned seconds over weeks (chunk boundaries included)', () => {
    for (const pattern of [night, DEFAULT_SHIFT_PATTERN]) {
      const cal = new ShiftCalendar(pattern, 'Asia/Shanghai', START);
      let work = 0;
      const end = 15 * 86_400;
      for (let t = 0; t < end; ) {
        const seg = cal.segmentAt(t);
        const to = Math.min(seg.to, end);
        if (seg.kind === 'work') work += to - t;
        t = to;
      }
      expect(work).toBe(cal.plannedSeconds(0, end));
    }
    // Two weeks of nights, Monday to Friday: 10 × 7.5 h.
    expect(new ShiftCalendar(night, 'Asia/Shanghai', START).plannedSeconds(0, 14 * 86_400)).toBe(10 * 7.5 * 3600);
  });
});
