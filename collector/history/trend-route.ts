/**
 * GET /api/v1/trends: output against plan and OEE per production day or week
 * of an interval. Each bucket is one `longTrendPoint` (long-range.ts: the
 * parts `longLineKpis` assembles /api/v1/kpi's answer from, closed hours'
 * rollups with raw events at the edges, given to core's `trendPointOf`), so a
 * bucket's numbers are /api/v1/kpi's for that bucket; the buckets' rollups and
 * state events are read once for the whole range (range-reads.ts), so a closed
 * bucket asks the store nothing of its own; and a whole day or week that is
 * over is computed once and kept until something is stored or rolled into it
 * (trend-memo.ts).
 */
import { z } from 'zod';
import { lineCalendar, productionDay, weekOf, type Span } from '../../core/calendar/calendar';
import { TREND_BUCKET_KINDS, trendBuckets, type TrendBucketKind, type TrendPoint } from '../../core/kpi/trend';
import type { PlantConfig } from '../../core/plant';
import type { EventStore } from '../influx/store';
import { HttpProblem } from '../http/problem';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { printable } from '../http/safe-url';
import { longTrendPoint } from './long-range';
import type { TrendPointMemo } from './trend-memo';
import { rangeReads } from './range-reads';
import { intervalQuery, type IntervalQuery } from './params';

/** The same bound as /api/v1/kpi. */
export const TREND_MAX_DAYS = 400;
/**
 * Buckets read at once. Their rollups and states come from one read of the range (range-reads.ts); what
 * a bucket still asks the store (the raw events of its open or unrolled hours) is asked in the same tick
 * by the buckets in flight. 16 and 64 measured no faster on the 2-core box (docs/performance.md).
 */
const BUCKETS_IN_FLIGHT = 4;

/** The `bucket` query parameter. */
export const TrendBucket = z.enum(TREND_BUCKET_KINDS as [TrendBucketKind, ...TrendBucketKind[]]);
export type TrendBucket = z.infer<typeof TrendBucket>;

export interface TrendRouteDeps {
  store: EventStore;
  plant: PlantConfig;
  /** The instant a line's numbers are for (wall clock, or the data's clock in the demo). */
  lineNow: (line: string) => number;
  /** Points of closed days and weeks kept in memory, dropped with the kept months (trend-memo.ts); absent: computed every time. */
  memo?: TrendPointMemo;
}

/** `GET /api/v1/trends`'s body. */
export interface TrendAnswer {
  line: string;
  range: { label: string; from: number; to: number };
  bucket: TrendBucket;
  timeZone: string;
  points: TrendPoint[];
}

/** The trend of an interval already parsed, bucket by bucket. */
export async function trendAnswer(deps: TrendRouteDeps, q: IntervalQuery, bucket: TrendBucket): Promise<TrendAnswer> {
  const cal = lineCalendar(q.line);
  const spans = trendBuckets(cal, q.from, q.to, bucket);
  const points: TrendPoint[] = new Array<TrendPoint>(spans.length);
  // A whole production day or week that is over: its point is kept (trend-memo.ts), until something lands in it.
  const closed = (s: Span) => {
    const whole = bucket === 'day' ? productionDay(cal, s.start) : weekOf(cal, s.start);
    return s.end <= q.now && whole.start === s.start && whole.end === s.end;
  };
  const { memo } = deps;
  // The buckets to compute, in runs of neighbours: each run's rollups and states are read once.
  const runs: number[][] = [];
  spans.forEach((s, i) => {
    const kept = memo && closed(s) ? memo.get(q.line, s) : undefined;
    if (kept) points[i] = kept;
    else if (runs.at(-1)?.at(-1) === i - 1) runs.at(-1)?.push(i);
    else runs.push([i]);
  });
  const span = (i: number) => spans[i] as Span;
  const runSpan = (run: number[]) => ({ start: span(run[0] as number).start, end: span(run.at(-1) as number).end });
  // Begun before anything is read, so what lands in a run meanwhile keeps its points out of the memo.
  const tickets = runs.map((run) => memo?.begin(q.line, [runSpan(run)]));
  let done = false;
  try {
    const jobs = await Promise.all(
      runs.map(async (run) => {
        const { start, end } = runSpan(run);
        // The run's rollups and state events read once; each bucket takes its part of them. A point shows no
        // cycle percentile, fault episode or hourly table: its stations' summaries are read without them.
        const reads = await rangeReads(deps.store.reads, q.line, start, end, q.now, {
          stations: 'states',
          hourly: false,
          coarsest: bucket === 'day' ? 'day' : 'week',
          buckets: run.map(span),
        });
        return run.map((i) => ({ i, reads }));
      }),
    );
    const queue = jobs.flat();
    let next = 0;
    const worker = async () => {
      while (next < queue.length) {
        const { i, reads } = queue[next++] as (typeof queue)[number];
        points[i] = await longTrendPoint(reads, q.line, span(i).start, span(i).end, q.now);
      }
    };
    await Promise.all(Array.from({ length: Math.min(BUCKETS_IN_FLIGHT, queue.length) }, worker));
    done = true;
  } finally {
    runs.forEach((run, k) => {
      const ticket = tickets[k];
      if (memo && ticket) memo.end(ticket, q.line, done ? run.filter((i) => closed(span(i))).map((i) => points[i] as TrendPoint) : []);
    });
  }
  return { line: q.line.id, range: { label: q.label, from: q.from, to: q.to }, bucket, timeZone: q.line.timeZone, points };
}

/**
 * Computes the day and week points of each line's last `days` (from its first event) ahead of any request (the collector calls
 * it once the closed months are kept), one line and bucket kind after the other, so a year's first trend
 * finds its closed buckets kept. Resolves with how many points are kept; a failed read is left to the
 * request that needs it.
 */
export async function warmTrends(deps: TrendRouteDeps, days = TREND_MAX_DAYS): Promise<number> {
  if (!deps.memo) return 0;
  for (const line of deps.plant.lines) {
    const now = deps.lineNow(line.id);
    // From the line's first event: the days before it hold nothing to keep (a new line warms in no time).
    const first = await deps.store.reads.firstEventAt(line.id).catch(() => null);
    if (first === null || first >= now) continue;
    const q: IntervalQuery = { line, from: Math.max(now - days * 86_400_000, first), to: now, now, label: 'warm-up' };
    for (const bucket of TREND_BUCKET_KINDS) await trendAnswer(deps, q, bucket).catch(() => null);
  }
  return deps.memo.stats().points;
}

export function registerTrendRoutes(router: Router, deps: TrendRouteDeps): void {
  router.on('GET', '/api/v1/trends', async ({ res, url }) => {
    const raw = url.searchParams.get('bucket') ?? 'day';
    const bucket = TrendBucket.safeParse(raw);
    if (!bucket.success) {
      throw new HttpProblem(400, 'invalid_parameter', `bucket must be day or week; got '${printable(raw, 40)}'`);
    }
    const q = intervalQuery(url, deps.plant, deps.lineNow, TREND_MAX_DAYS);
    sendJson(res, 200, await trendAnswer(deps, q, bucket.data));
  });
}
