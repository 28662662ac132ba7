/**
 * MTBF and MTTR by classified reason and by category (docs/reasons.md), and
 * the unclassified share per shift or per production day. A "stop" here is
 * a stop record (at least the tree's threshold; micro-stops are not), each
 * part of a split counted under its own reason. Over the line's stations:
 *
 *   MTTR = stop seconds under the reason / its stops
 *   MTBF = the stations' uptime / its stops
 *
 * uptime as the station table counts it (running + idle + starved +
 * blocked, core/kpi/stations.ts), summed over the stations: for one station
 * the same number as its own MTBF.
 * both null without stops (no data, never 0). Pure.
 */
import type { ShiftInstance } from '../calendar/calendar';
import type { StateSegment } from '../kpi/states';
import type { ReasonTotal, StopRecord } from './stops';
import { firstAtOrAfter } from '../kpi/spans';

export interface ReasonReliability {
  /** null: the unclassified (by reason), or without an inferred category (by category). */
  reason: string | null;
  category: string | null;
  stops: number;
  /** Planned seconds of those stops. */
  seconds: number;
  mtbfSeconds: number | null;
  mttrSeconds: number | null;
}

/** The rows of a byReason or byCategory total with their MTBF (over `uptimeSeconds`) and MTTR, in the totals' order. */
export function reasonReliability(totals: readonly ReasonTotal[], uptimeSeconds: number): ReasonReliability[] {
  return totals.map((t) => ({
    reason: t.reason,
    category: t.category,
    stops: t.stops,
    seconds: t.seconds,
    mtbfSeconds: t.stops > 0 && uptimeSeconds > 0 ? uptimeSeconds / t.stops : null,
    mttrSeconds: t.stops > 0 ? t.seconds / t.stops : null,
  }));
}

/** Seconds the stations were up (running, idle, starved, blocked), summed: the MTBF numerator, as core/kpi/stations.ts counts it. */
export function uptimeSeconds(timelines: Iterable<readonly StateSegment[]>): number {
  let ms = 0;
  for (const t of timelines) ms += uptimeMs(t);
  return ms / 1000;
}

/** Milliseconds of a timeline up (running, idle, starved, blocked): whole numbers, so pieces of a range add up to the whole exactly. */
export function uptimeMs(timeline: readonly StateSegment[]): number {
  let ms = 0;
  for (const s of timeline) if (s.state === 'running' || s.state === 'idle' || s.state === 'starved' || s.state === 'blocked') ms += s.end - s.start;
  return ms;
}

export type TrendGrain = 'shift' | 'day';

/** One bucket of the unclassified trend. */
export interface UnclassifiedPoint {
  /** The shift's key (`2027-03-01/night`) or the production day (`2027-03-01`). */
  key: string;
  /** The shift's name in both languages; absent for a production day. */
  name?: { zh: string; en: string };
  from: number;
  to: number;
  records: number;
  unclassified: number;
  /** Share (0–1) of the bucket's stop-record seconds without a classification; null: no stop records in it. */
  share: number | null;
}

/** Per shift up to two days, per production day beyond. */
export function trendGrain(from: number, to: number): TrendGrain {
  return to - from <= 2 * 86_400_000 ? 'shift' : 'day';
}

/** The unclassified share of the stop records that began in each shift (or production day) of `shifts`, in time order. */
export function unclassifiedTrend(records: readonly StopRecord[], shifts: readonly ShiftInstance[], grain: TrendGrain): UnclassifiedPoint[] {
  const buckets: { key: string; name?: { zh: string; en: string }; from: number; to: number }[] = [];
  for (const s of [...shifts].sort((a, b) => a.start - b.start)) {
    const key = grain === 'shift' ? s.key : s.day;
    const last = buckets.at(-1);
    if (last && last.key === key) last.to = Math.max(last.to, s.end);
    else buckets.push({ key, ...(grain === 'shift' ? { name: s.name } : {}), from: s.start, to: s.end });
  }
  // By start, so each bucket takes its records by two searches (a year is 365 buckets over thousands of records).
  const byStart = [...records].sort((a, b) => a.from - b.from);
  const firstAt = (t: number) => firstAtOrAfter(byStart, t, (r) => r.from);
  return buckets.map((b) => {
    const inside = byStart.slice(firstAt(b.from), Math.max(firstAt(b.from), firstAt(b.to)));
    const total = inside.reduce((s, r) => s + r.seconds, 0);
    const open = inside.filter((r) => r.current === null);
    return { ...b, records: inside.length, unclassified: open.length, share: total > 0 ? open.reduce((s, r) => s + r.seconds, 0) / total : null };
  });
}
