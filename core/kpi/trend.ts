/**
 * Day and week trends: the buckets of an interval on the production calendar
 * and one trend point per bucket from that bucket's KPIs (the same
 * `LineKpis` /api/v1/kpi answers, so a bucket's numbers have one definition).
 */
import { productionDay, weekOf, type Span } from '../calendar/calendar';
import type { ProductionCalendar } from '../calendar/schema';
import type { LineKpis } from './line-kpis';
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

/** The trend point of one bucket from its KPIs. */
export function trendPoint(kpis: LineKpis): TrendPoint {
  const known = kpis.status === 'ok' && kpis.inputs.plannedSeconds > 0 && kpis.oee.oee !== null;
  return {
    start: kpis.from,
    end: kpis.to,
    planUnits: planUnits(kpis.inputs.targetPerHour, kpis.inputs.plannedSecondsTotal),
    units: kpis.inputs.counts.units,
    goodUnits: kpis.inputs.counts.goodUnits,
    status: known ? 'ok' : 'no_data',
    oee: known ? { availability: kpis.oee.availability, performance: kpis.oee.performance, quality: kpis.oee.quality, oee: kpis.oee.oee } : null,
  };
}
