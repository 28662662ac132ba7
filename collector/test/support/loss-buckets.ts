/**
 * The bottleneck timeline a long loss read must give (docs/kpi.md "bottleneck timeline over long
 * ranges"), from the raw path's whole-range timelines: each local hour's (or day's) sole and shifting
 * ms as the whole range's accounting has them (core's bottleneckMs over the range's timelines, counted
 * only in the bucket's planned time), then core's bucket rule.
 */
import type { Span } from '../../../core/calendar/calendar';
import { bottleneckMs } from '../../../core/kpi/active-period';
import { localDayOf } from '../../../core/kpi/day-rollup';
import type { StateSegment } from '../../../core/kpi/states';
import { bucketTimeline } from '../../../core/loss/loss-pieces';
import type { BottleneckSpan } from '../../../core/loss/types';
import { startOfLocalHour } from '../../../core/time/zone';

export function rawBucketTimeline(
  timelines: ReadonlyMap<string, readonly StateSegment[]>,
  planned: readonly Span[],
  range: Span,
  timeZone: string,
  resolution: 'hour' | 'day',
): BottleneckSpan[] {
  const buckets: { start: number; end: number; stations: { station: string; soleMs: number; shiftingMs: number }[] }[] = [];
  for (let t = range.start; t < range.end; ) {
    const span = resolution === 'hour' ? { start: startOfLocalHour(t, timeZone), end: startOfLocalHour(t, timeZone) + 3_600_000 } : localDayOf(t, timeZone);
    const b = { start: t, end: Math.min(span.end, range.end) };
    const inside = planned.flatMap((p) => (p.end > b.start && p.start < b.end ? [{ start: Math.max(p.start, b.start), end: Math.min(p.end, b.end) }] : []));
    const ms = bottleneckMs(timelines, inside);
    buckets.push({ ...b, stations: [...timelines.keys()].map((station) => ({ station, soleMs: ms.soleMs.get(station) ?? 0, shiftingMs: ms.shiftingMs.get(station) ?? 0 })) });
    t = b.end;
  }
  return bucketTimeline(buckets);
}
