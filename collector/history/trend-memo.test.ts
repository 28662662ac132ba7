import { describe, expect, it } from 'vitest';
import type { TrendPoint } from '../../core/kpi/trend';
import type { LineConfig } from '../../core/plant';
import { TrendPointMemo } from './trend-memo';

const DAY = 86_400_000;
const line: LineConfig = { id: 'A1', name: { zh: 'A1', en: 'A1' }, timeZone: 'Asia/Shanghai', targetPerHour: 30, stations: [{ id: 'S01', name: { zh: 'S01', en: 'S01' } }] };
const point = (start: number, units: number): TrendPoint => ({ start, end: start + DAY, planUnits: 240, units, goodUnits: units, status: 'ok', oee: null });
const span = (p: TrendPoint) => ({ start: p.start, end: p.end });

describe('TrendPointMemo', () => {
  it('keeps computed points until something lands in them, on their line only', () => {
    const memo = new TrendPointMemo();
    const days = [0, 1, 2].map((d) => point(d * DAY, 10 + d));
    memo.end(memo.begin(line, [{ start: 0, end: 3 * DAY }]), line, days);
    expect(days.map((p) => memo.get(line, span(p)))).toEqual(days);
    // Another line's event, and one just after the second day, leave them.
    memo.touched('B7', [{ start: DAY + 5, end: DAY + 6 }]);
    memo.touched('A1', [{ start: 3 * DAY, end: 3 * DAY + 1 }]);
    expect(memo.stats().points).toBe(3);
    // An event in the second day drops that day alone.
    memo.touched('A1', [{ start: 2 * DAY - 1, end: 2 * DAY }]);
    expect(days.map((p) => memo.get(line, span(p)))).toEqual([days[0], undefined, days[2]]);
    // Another configuration of the line (a new takt) is another point.
    expect(memo.get({ ...line, targetPerHour: 31 }, span(days[0] as TrendPoint))).toBeUndefined();
  });

  it('keeps nothing computed from reads that began before something landed in them', () => {
    const memo = new TrendPointMemo();
    const days = [0, 1].map((d) => point(d * DAY, 5));
    const early = memo.begin(line, [{ start: 0, end: 2 * DAY }]);
    const other = memo.begin(line, [{ start: 5 * DAY, end: 6 * DAY }]);
    memo.touched('A1', [{ start: DAY + 60_000, end: DAY + 60_001 }]);
    memo.end(early, line, days);
    memo.end(other, line, [point(5 * DAY, 7)]);
    expect(days.map((p) => memo.get(line, span(p)))).toEqual([undefined, undefined]);
    expect(memo.get(line, { start: 5 * DAY, end: 6 * DAY })?.units).toBe(7);
  });

  it('holds at most its bound, the least recently used leaving first', () => {
    const memo = new TrendPointMemo(2);
    const days = [0, 1, 2].map((d) => point(d * DAY, d));
    memo.end(memo.begin(line, []), line, days.slice(0, 2));
    memo.get(line, span(days[0] as TrendPoint));
    memo.end(memo.begin(line, []), line, days.slice(2));
    expect(days.map((p) => memo.get(line, span(p))?.units)).toEqual([0, undefined, 2]);
  });
});
