import { describe, expect, it } from 'vitest';
import { offsetAt, zoneOffsetMs } from './zone';

describe('zoneOffsetMs', () => {
  it('gives what Intl gives at every minute around offset changes, through its cache', () => {
    // Zones whose changes fall on hours, half hours (Lord Howe) and quarter hours (Chatham, Nepal's 1986 move), and no DST at all.
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kathmandu', 'Asia/Shanghai', 'Asia/Kolkata'];
    const days = [Date.UTC(2026, 2, 28), Date.UTC(2026, 2, 8), Date.UTC(2026, 3, 4), Date.UTC(2026, 8, 26), Date.UTC(1985, 11, 31), Date.UTC(2026, 9, 25), Date.UTC(2026, 10, 1)];
    let changes = 0;
    let compared = 0;
    // Differences are collected, not asserted one by one: 200,000 expect() calls took 13–30 s on a loaded machine.
    const wrong: string[] = [];
    for (const zone of zones) {
      for (const day of days) {
        let previous: number | null = null;
        for (let ts = day - 86_400_000; ts < day + 2 * 86_400_000; ts += 60_000 + 7) {
          const expected = offsetAt(ts, zone);
          const got = zoneOffsetMs(ts, zone);
          compared += 1;
          if (got !== expected && wrong.length < 20) wrong.push(`${zone} ${new Date(ts).toISOString()}: ${got} instead of ${expected}`);
          if (previous !== null && previous !== expected) changes += 1;
          previous = expected;
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(compared).toBeGreaterThan(200_000);
    // The cases above do cross offset changes (else the test proves nothing about blocks).
    expect(changes).toBeGreaterThanOrEqual(6);
  });
});
