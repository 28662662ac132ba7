import { describe, expect, it } from 'vitest';
import { addDays, formatLocal, isCivilDate, isoWeekLabel, isoWeekday, localTime, zonedToEpoch } from './civil';

describe('civil dates', () => {
  it('validates, adds days and names ISO weeks across year ends', () => {
    expect(isCivilDate('2028-02-29')).toBe(true); // leap year
    expect(isCivilDate('2027-02-29')).toBe(false);
    expect(addDays('2027-12-31', 1)).toBe('2028-01-01');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
    expect(isoWeekday('2027-03-01')).toBe(1); // a Monday
    expect(isoWeekday('2027-03-07')).toBe(7);
    // 2027-01-01 is a Friday: it belongs to 2026-W53; 2027-01-04 (Monday) starts 2027-W01
    expect(isoWeekLabel('2027-01-01')).toBe('2026-W53');
    expect(isoWeekLabel('2027-01-04')).toBe('2027-W01');
    expect(isoWeekLabel('2024-12-30')).toBe('2025-W01');
  });
});

describe('wall time ↔ instant', () => {
  it('reads an instant in Shanghai', () => {
    const t = localTime(Date.parse('2027-03-01T23:30:00Z'), 'Asia/Shanghai');
    expect(t).toEqual({ date: '2027-03-02', minuteOfDay: 7 * 60 + 30, hour: 7, minute: 30, offsetMs: 8 * 3_600_000 });
  });

  it('moves a missing Berlin wall time forward by the gap', () => {
    // 2027-03-28 02:30 does not exist; read with the CET offset: 01:30Z = 03:30 CEST
    expect(zonedToEpoch('2027-03-28', 150, 'Europe/Berlin')).toBe(Date.parse('2027-03-28T01:30:00Z'));
    expect(formatLocal(Date.parse('2027-03-28T01:30:00Z'), 'Europe/Berlin')).toBe('2027-03-28T03:30:00+02:00');
  });

  it('takes the first of a repeated Berlin wall time', () => {
    // 2027-10-31 02:30 happens at 00:30Z (CEST) and 01:30Z (CET)
    expect(zonedToEpoch('2027-10-31', 150, 'Europe/Berlin')).toBe(Date.parse('2027-10-31T00:30:00Z'));
    expect(zonedToEpoch('2027-10-31', 210, 'Europe/Berlin')).toBe(Date.parse('2027-10-31T02:30:00Z')); // 03:30 CET, unambiguous
  });

  it('rolls minutes past midnight into the next day', () => {
    expect(zonedToEpoch('2027-03-01', 1440 + 360, 'Asia/Shanghai')).toBe(Date.parse('2027-03-02T06:00:00+08:00'));
    expect(zonedToEpoch('2027-06-01', 330, 'Asia/Kolkata')).toBe(Date.parse('2027-06-01T05:30:00+05:30'));
  });
});
