import { describe, expect, it } from 'vitest';
import { lineCalendar, shiftsBetween } from '../calendar/calendar';
import type { StopReasonEvent } from '../events';
import { partnerFromReason } from '../kpi/active-period';
import type { StateSegment } from '../kpi/states';
import { DEFAULT_REASONS } from './config';
import { reasonReliability, trendGrain, unclassifiedTrend, uptimeSeconds } from './reliability';
import { stopReasonsPart, stopRecords } from './stops';

const T0 = Date.UTC(2027, 2, 1, 8);
const MIN = 60_000;
const seg = (state: StateSegment['state'], start: number, end: number, reason: string | null = null): StateSegment => ({ state, reason, start: T0 + start * MIN, end: T0 + end * MIN, since: T0 + start * MIN });
const planned = [{ start: T0, end: T0 + 120 * MIN }];
const event = (stop: string, ts: number, reason: string, category: string): StopReasonEvent => ({
  type: 'stop_reason', ts, id: `r-${ts}`, stop, line: 'A1', station: 'S01', reason, category, actorKind: 'person', actorId: 'op1', actorName: 'op', role: 'operator',
});

describe('MTBF and MTTR by classified reason', () => {
  it('divide the stations\' uptime and stop time by the stops of each reason and category; none without stops', () => {
    const timeline = [seg('fault', 0, 10), seg('running', 10, 40), seg('fault', 40, 60), seg('running', 60, 80), seg('starved', 80, 86), seg('running', 86, 120)];
    const summary = stopRecords({ line: 'A1', timelines: new Map([['S01', timeline]]), planned, tree: DEFAULT_REASONS, asOf: T0 + 120 * MIN, partnerOf: partnerFromReason });
    const [a, b] = summary.records;
    const part = stopReasonsPart(
      stopRecords({
        line: 'A1', timelines: new Map([['S01', timeline]]), planned, tree: DEFAULT_REASONS, asOf: T0 + 120 * MIN, partnerOf: partnerFromReason,
        classifications: [event(a?.id ?? '', T0, 'breakdown', 'machine'), event(b?.id ?? '', T0 + 1, 'breakdown', 'machine')],
      }),
      planned,
      [],
      undefined,
      uptimeSeconds([timeline]),
    );
    // Up: 30 + 20 + 6 (starved) + 34 minutes = 90 min.
    expect(part.reliability.uptimeSeconds).toBe(5400);
    expect(part.reliability.byReason).toEqual([
      { reason: 'breakdown', category: 'machine', stops: 2, seconds: 1800, mtbfSeconds: 2700, mttrSeconds: 900 },
      { reason: null, category: null, stops: 1, seconds: 360, mtbfSeconds: 5400, mttrSeconds: 360 },
    ]);
    expect(part.reliability.byCategory.map((c) => [c.category, c.stops, c.mttrSeconds])).toEqual([['machine', 2, 900], [null, 1, 360]]);
    expect(reasonReliability([{ reason: 'x', category: 'y', seconds: 0, stops: 0 }], 7200)).toEqual([{ reason: 'x', category: 'y', stops: 0, seconds: 0, mtbfSeconds: null, mttrSeconds: null }]);
  });
});

describe('the unclassified trend', () => {
  it('gives each shift (or production day) the unclassified share of the stops that began in it; null for a shift without stops', () => {
    const cal = lineCalendar({
      timeZone: 'UTC',
      calendar: { dayStart: '06:00', weekdays: [1, 2, 3, 4, 5, 6, 7], daysOff: [], workdays: [], shifts: [{ id: 'early', name: { zh: '早班', en: 'Early' }, start: '06:00', end: '14:00', breaks: [] }] },
    });
    const day = Date.UTC(2027, 2, 1);
    const shifts = shiftsBetween(cal, day, day + 3 * 86_400_000);
    expect(shifts.length).toBe(3);
    const rec = (from: number, seconds: number, classified: boolean) => ({ id: `S01.${from.toString(36)}`, line: 'A1', station: 'S01', state: 'fault' as const, from, to: from + seconds * 1000, seconds, stationReason: null, inferred: null, current: classified ? { source: 'person' as const, parts: [] } : null, history: [] });
    const s0 = shifts[0]?.start ?? 0;
    const s2 = shifts[2]?.start ?? 0;
    const points = unclassifiedTrend([rec(s0 + MIN, 300, true), rec(s0 + 60 * MIN, 100, false), rec(s2 + MIN, 200, false)], shifts, 'day');
    expect(points.map((p) => [p.key, p.records, p.unclassified, p.share])).toEqual([
      ['2027-03-01', 2, 1, 0.25],
      ['2027-03-02', 0, 0, null],
      ['2027-03-03', 1, 1, 1],
    ]);
    expect(trendGrain(day, day + 86_400_000)).toBe('shift');
    expect(trendGrain(day, day + 7 * 86_400_000)).toBe('day');
  });
});
