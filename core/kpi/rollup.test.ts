import { describe, expect, it } from 'vitest';
import { lineCalendar } from '../calendar/calendar';
import { taktCompliance } from './cycles';
import { rollUpDays } from './rollup';

const cal = lineCalendar({ timeZone: 'Asia/Shanghai' });
const h = (iso: string, units: number) => {
  const start = Date.parse(iso);
  return { start, end: start + 3_600_000, plannedSeconds: 3600, plan: 30, units, goodUnits: units - 1 };
};

describe('rollUpDays', () => {
  it('adds hours into production days that start at 06:00, so 05:00 belongs to the day before', () => {
    const days = rollUpDays(cal, [h('2027-03-01T05:00:00+08:00', 10), h('2027-03-01T06:00:00+08:00', 20), h('2027-03-01T07:00:00+08:00', 25)]);
    expect(days.map((d) => [d.units, d.goodUnits, d.plan])).toEqual([
      [10, 9, 30],
      [45, 43, 60],
    ]);
    expect(days[1]?.start).toBe(Date.parse('2027-03-01T06:00:00+08:00'));
  });
});

describe('taktCompliance', () => {
  it('is the share within takt, and no data without cycles', () => {
    expect(taktCompliance(3, 4)).toBe(0.75);
    expect(taktCompliance(0, 0)).toBeNull();
  });
});
