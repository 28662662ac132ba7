import { describe, expect, it } from 'vitest';
import { ProductionCalendar } from '../calendar/schema';
import type { LineConfig } from '../plant';
import { computeLineKpis } from './line-kpis';
import { trendBuckets, trendPoint } from './trend';

const at = (local: string) => Date.parse(`${local}+08:00`);
const cal = ProductionCalendar.parse({
  timeZone: 'Asia/Shanghai',
  dayStart: '06:00',
  shifts: [{ id: 'early', name: { zh: '早班', en: 'Early' }, start: '06:00', end: '14:00', breaks: [] }],
});
const line: LineConfig = { id: 'A1', name: { zh: 'A1', en: 'A1' }, timeZone: 'Asia/Shanghai', targetPerHour: 30, stations: [{ id: 'S01', name: { zh: 'S01', en: 'S01' } }], calendar: cal };

describe('trendBuckets', () => {
  it('cuts production days at dayStart, clipping the first and last to the interval', () => {
    const spans = trendBuckets(cal, at('2027-03-01T12:00:00'), at('2027-03-03T08:00:00'), 'day');
    expect(spans).toEqual([
      { start: at('2027-03-01T12:00:00'), end: at('2027-03-02T06:00:00') },
      { start: at('2027-03-02T06:00:00'), end: at('2027-03-03T06:00:00') },
      { start: at('2027-03-03T06:00:00'), end: at('2027-03-03T08:00:00') },
    ]);
  });

  it('cuts weeks at Monday dayStart local time (2027-03-08 is a Monday)', () => {
    const spans = trendBuckets(cal, at('2027-03-03T06:00:00'), at('2027-03-20T06:00:00'), 'week');
    expect(spans.map((s) => s.start)).toEqual([at('2027-03-03T06:00:00'), at('2027-03-08T06:00:00'), at('2027-03-15T06:00:00')]);
    expect(spans.at(-1)?.end).toBe(at('2027-03-20T06:00:00'));
  });
});

describe('trendPoint', () => {
  const day = { from: at('2027-03-01T06:00:00'), to: at('2027-03-02T06:00:00'), now: at('2027-03-05T00:00:00') };

  it('is no_data with a null OEE when the bucket holds no event, with the plan of the whole bucket', () => {
    const p = trendPoint(computeLineKpis({ line, events: [], ...day }));
    expect(p).toEqual({ start: day.from, end: day.to, planUnits: 240, units: 0, goodUnits: 0, status: 'no_data', oee: null });
  });

  it('is no_data with a null OEE when no planned time has elapsed yet, even with units', () => {
    const events = [{ type: 'unit' as const, ts: at('2027-03-01T05:00:00'), line: 'A1', unit: 'V1' }];
    const p = trendPoint(computeLineKpis({ line, events, from: at('2027-03-01T03:00:00'), to: day.to, now: at('2027-03-01T05:30:00') }));
    expect(p).toMatchObject({ units: 1, status: 'no_data', oee: null });
  });

  it("carries the bucket's OEE factors from core's OEE", () => {
    const events = [0, 1, 2].map((k) => ({ type: 'unit' as const, ts: at('2027-03-01T07:00:00') + k * 60_000, line: 'A1', unit: `V${k}`, result: k === 2 ? ('nok' as const) : ('ok' as const) }));
    const kpis = computeLineKpis({ line, events, ...day });
    const p = trendPoint(kpis);
    expect(p.status).toBe('ok');
    expect(p.oee).toEqual({ availability: kpis.oee.availability, performance: kpis.oee.performance, quality: 2 / 3, oee: kpis.oee.oee });
  });
});
