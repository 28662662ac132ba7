import { describe, expect, it } from 'vitest';
import { addCycleTime, emptyCycleSummary, ROLLUP_VERSION, type HourRollup } from './hour-summary';
import { localMonthOf, mergeRollups, wholeMonths } from './rollup-merge';
import { zeroStateSeconds, type StateSegment } from './states';

const HOUR = 3_600_000;

function piece(start: number, end: number, opts: { units?: number; takt?: number; cycles?: number[]; down?: StateSegment[]; version?: number } = {}): HourRollup {
  const cycles = emptyCycleSummary();
  for (const c of opts.cycles ?? []) addCycleTime(cycles, c);
  const stateSeconds = zeroStateSeconds();
  stateSeconds.running = (end - start) / 1000;
  return {
    line: 'A1',
    start,
    end,
    units: opts.units ?? 1,
    goodUnits: opts.units ?? 1,
    stateEvents: 1,
    taktSeconds: opts.takt ?? 120,
    version: opts.version ?? ROLLUP_VERSION,
    losses: null,
    stations: [
      {
        station: 'S01',
        cycles,
        withinTakt: (opts.cycles ?? []).filter((c) => c <= (opts.takt ?? 120)).length,
        stateSeconds,
        plannedStateSeconds: zeroStateSeconds(),
        stateEvents: 1,
        down: opts.down ?? [],
      },
    ],
  };
}

describe('local months', () => {
  it('runs midnight to midnight on the line’s clock, 745 hours in the month clocks fall back', () => {
    const october = localMonthOf(Date.parse('2026-10-15T12:00:00+02:00'), 'Europe/Berlin');
    expect(october.start).toBe(Date.parse('2026-10-01T00:00:00+02:00'));
    expect(october.end).toBe(Date.parse('2026-11-01T00:00:00+01:00'));
    expect((october.end - october.start) / HOUR).toBe(31 * 24 + 1);
    const december = localMonthOf(Date.parse('2026-12-31T23:59:59+08:00'), 'Asia/Shanghai');
    expect(december.end).toBe(Date.parse('2027-01-01T00:00:00+08:00'));
  });

  it('whole months inside a range leave the partial ones at the edges out', () => {
    const months = wholeMonths(Date.parse('2026-09-03T00:00:00+08:00'), Date.parse('2026-12-01T00:00:00+08:00'), 'Asia/Shanghai');
    expect(months.map((m) => new Date(m.start + 8 * HOUR).toISOString().slice(0, 7))).toEqual(['2026-10', '2026-11']);
  });
});

describe('mergeRollups', () => {
  const t0 = Date.parse('2026-11-01T00:00:00+08:00');

  it('adds counts, state seconds and cycle summaries, and joins a fault that runs across a boundary', () => {
    const fault = (start: number, end: number): StateSegment => ({ state: 'fault', reason: 'jam', start, end, since: t0 + 50 * 60_000 });
    const merged = mergeRollups(
      'A1',
      { start: t0, end: t0 + 2 * HOUR },
      [piece(t0, t0 + HOUR, { units: 3, cycles: [100, 130], down: [fault(t0 + 50 * 60_000, t0 + HOUR)] }), piece(t0 + HOUR, t0 + 2 * HOUR, { units: 4, cycles: [110], down: [fault(t0 + HOUR, t0 + HOUR + 600_000)] })],
      120,
    );
    expect(merged).toMatchObject({ start: t0, end: t0 + 2 * HOUR, units: 7, goodUnits: 7, stateEvents: 2 });
    const s = merged?.stations[0];
    expect(s?.cycles).toMatchObject({ count: 3, sum: 340, min: 100, max: 130 });
    expect(s?.withinTakt).toBe(2);
    expect(s?.stateSeconds?.running).toBe(7200);
    expect(s?.down).toEqual([fault(t0 + 50 * 60_000, t0 + HOUR + 600_000)]);
  });

  it('counts a piece rolled against another takt from its buckets', () => {
    const merged = mergeRollups('A1', { start: t0, end: t0 + HOUR }, [piece(t0, t0 + HOUR, { cycles: [100, 130], takt: 90 })], 120);
    expect(merged?.stations[0]?.withinTakt).toBe(1);
    expect(merged?.taktSeconds).toBe(120);
  });

  it('is null for a gap, an overlap, an old version or nothing', () => {
    const span = { start: t0, end: t0 + 2 * HOUR };
    expect(mergeRollups('A1', span, [piece(t0, t0 + HOUR)], 120)).toBeNull();
    expect(mergeRollups('A1', span, [piece(t0, t0 + HOUR), piece(t0 + HOUR - 1, t0 + 2 * HOUR)], 120)).toBeNull();
    expect(mergeRollups('A1', span, [piece(t0, t0 + HOUR), piece(t0 + HOUR, t0 + 2 * HOUR, { version: ROLLUP_VERSION - 1 })], 120)).toBeNull();
    expect(mergeRollups('A1', span, [], 120)).toBeNull();
  });
});
