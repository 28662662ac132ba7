import { describe, expect, it } from 'vitest';
import { ShiftCalendar, localToEpoch } from './calendar';
import { CalendarSpec } from './scenario';

const START = Date.parse('2027-03-01T20:00:00+08:00'); // a Monday evening in Shanghai

describe('ShiftCalendar', () => {
  it('plans every moment without a calendar', () => {
    const cal = new ShiftCalendar(null, 'Asia/Shanghai', START);
    expect(cal.segmentAt(123).kind).toBe('work');
    expect(cal.plannedSeconds(0, 7200)).toBe(7200);
  });

  it('runs a night shift across midnight with a break after midnight', () => {
    const spec = CalendarSpec.parse({ shifts: [{ name: 'night', start: '22:00', end: '06:00', breaks: [{ start: '02:00', end: '02:30' }] }] });
    const cal = new ShiftCalendar(spec, 'Asia/Shanghai', START);
    expect(cal.segmentAt(0)).toEqual({ kind: 'off', from: 0, to: 7200 }); // 20:00–22:00
    expect(cal.segmentAt(7200)).toEqual({ kind: 'work', from: 7200, to: 7200 + 4 * 3600 }); // 22:00–02:00
    expect(cal.segmentAt(6 * 3600 + 60).kind).toBe('break'); // 02:01
    expect(cal.segmentAt(6.5 * 3600)).toEqual({ kind: 'work', from: 6.5 * 3600, to: 10 * 3600 }); // 02:30–06:00
    expect(cal.segmentAt(10 * 3600).kind).toBe('off');
    // One night: 8 h minus a 30 min break.
    expect(cal.plannedSeconds(0, 24 * 3600)).toBe(7.5 * 3600);
    // A week of nights, built across chunk boundaries.
    expect(cal.plannedSeconds(0, 7 * 24 * 3600 + 3600)).toBe(7 * 7.5 * 3600);
  });

  it('only plans the weekdays a shift starts on', () => {
    const spec = CalendarSpec.parse({ shifts: [{ name: 'day', start: '08:00', end: '16:00', days: [1, 2, 3, 4, 5] }] });
    const monday0000 = Date.parse('2027-03-01T00:00:00+08:00');
    const cal = new ShiftCalendar(spec, 'Asia/Shanghai', monday0000);
    expect(cal.plannedSeconds(0, 7 * 86_400)).toBe(5 * 8 * 3600);
  });

  it('converts local times to instants in zones with daylight saving time', () => {
    // 2027-03-28 is the day Europe/Berlin moves from +01:00 to +02:00.
    expect(localToEpoch(2027, 3, 28, 12 * 60, 'Europe/Berlin')).toBe(Date.parse('2027-03-28T12:00:00+02:00'));
    expect(localToEpoch(2027, 3, 27, 12 * 60, 'Europe/Berlin')).toBe(Date.parse('2027-03-27T12:00:00+01:00'));
  });
});
