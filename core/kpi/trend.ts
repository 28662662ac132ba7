/**
 * Day and week trends: the buckets of an interval on the production calendar
 * and one trend point per bucket from that bucket's KPIs (the same
 * `LineKpis` /api/v1/kpi answers, so a bucket's numbers have one definition).
 */
import { productionDay, weekOf, type Span } from '../calendar/calendar';
import type { ProductionCalendar } from '../calendar/schema';
import { lineOee, type LineKpis, type LineOeeParts } from './line-kpis';
import { planUnits } from './throughput';

/** `day`: production days (dayStart to dayStart); `week`: production weeks (Monday's dayStart to the next Monday's). */
export type TrendBucketKind = 'day' | 'week';

export const TREND_BUCKET_KINDS: readonly TrendBucketKind[] = ['day', 'week'];

/**
 * The production days or weeks that cover `[from, to)`, ascending, each
 * clipped to the interval (so the first and last may be partial, and the
 * buckets' sum is the interval's total).
 */
export function trendBuckets(cal: ProductionCalendar, from: number, to: number, kind: TrendBucketKind): Span[] {
  const out: Span[] = [];
  let cursor = from;
  while (cursor < to) {
    const whole = kind === 'day' ? productionDay(cal, cursor) : weekOf(cal, cursor);
    const end = Math.min(whole.end, to);
    out.push({ start: cursor, end });
    cursor = end;
  }
  return out;
}

/** OEE and its factors for one bucket, fractions 0–1. */
export interface TrendOee {
  availability: number | null;
  performance: number | null;
  quality: number | null;
  oee: number | null;
}

/** One bucket of a trend. `oee` is null (and `status` `no_data`) when the bucket had no planned time elapsed or no data: never 100 %. */
export interface TrendPoint {
  start: number;
  end: number;
  /** target × planned seconds of the whole bucket / 3600. */
  planUnits: number;
  units: number;
  goodUnits: number;
  status: 'ok' | 'no_data';
  oee: TrendOee | null;
}

/** The figures a trend point is made of, as a KPI answer or {@link lineOee} has them. */
interface PointFigures {
  from: number;
  to: number;
  status: LineKpis['status'];
  targetPerHour: number;
  plannedSeconds: number;
  plannedSecondsTotal: number;
  units: number;
  goodUnits: number;
  oee: LineKpis['oee'];
}

function point(f: PointFigures): TrendPoint {
  const known = f.status === 'ok' && f.plannedSeconds > 0 && f.oee.oee !== null;
  return {
    start: f.from,
    end: f.to,
    planUnits: planUnits(f.targetPerHour, f.plannedSecondsTotal),
    units: f.units,
    goodUnits: f.goodUnits,
    status: known ? 'ok' : 'no_data',
    oee: known ? { availability: f.oee.availability, performance: f.oee.performance, quality: f.oee.quality, oee: f.oee.oee } : null,
  };
}

/** The trend point of one bucket from its KPIs. */
export function trendPoint(kpis: LineKpis): TrendPoint {
  return point({
    from: kpis.from,
    to: kpis.to,
    status: kpis.status,
    targetPerHour: kpis.inputs.targetPerHour,
    plannedSeconds: kpis.inputs.plannedSeconds,
    plannedSecondsTotal: kpis.inputs.plannedSecondsTotal,
    units: kpis.inputs.counts.units,
    goodUnits: kpis.inputs.counts.goodUnits,
    oee: kpis.oee,
  });
}

/**
 * The trend point of one bucket from the parts of its KPIs: {@link trendPoint} of `assembleLineKpis(parts)`,
 * without the hourly table, Pareto, backlog and rates a point does not show (a year by day is 365 buckets).
 * With `shifting` given, the stations' `segments` are not read (they feed fault episodes and the Pareto,
 * not the OEE): a caller may leave them empty.
 */
export function trendPointOf(parts: LineOeeParts): TrendPoint {
  const o = lineOee(parts);
  return point({
    from: o.from,
    to: o.to,
    status: o.status,
    targetPerHour: parts.line.targetPerHour,
    plannedSeconds: o.plannedSeconds,
    plannedSecondsTotal: o.plannedSecondsTotal,
    units: parts.units,
    goodUnits: parts.goodUnits,
    oee: o.oee,
  });
}
