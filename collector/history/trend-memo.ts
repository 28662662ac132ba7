/**
 * Trend points of closed production days and weeks, kept in memory: a year
 * by week asked again computes only its two partial edge weeks. A closed
 * bucket's point depends on nothing but what is stored in it (its whole time
 * is past `now`), so it stays right until something is stored or rolled into
 * it, and it is dropped then by the same calls that drop a kept month
 * (collector/rollup/month-cache.ts: `written` for every summary the roller
 * writes, `stored` for every event InfluxDB confirmed). A point computed from
 * reads that began before such a call is not kept.
 */
import type { TrendPoint } from '../../core/kpi/trend';
import type { LineConfig } from '../../core/plant';

/** Points kept, over all lines (about 200 bytes each: a year by day and by week of ten lines is 4,200). @default 8192 */
const DEFAULT_MAX_POINTS = 8192;

/** A computation of some buckets under way: stale once something lands in one of its spans. */
export interface TrendMemoTicket {
  readonly line: string;
  readonly spans: readonly { start: number; end: number }[];
  stale: boolean;
}

export class TrendPointMemo {
  /** By line config and span; insertion order is recency. */
  private readonly entries = new Map<string, { line: string; start: number; end: number; point: TrendPoint }>();
  private readonly open = new Set<TrendMemoTicket>();
  private hits = 0;
  private misses = 0;

  constructor(private readonly maxPoints = DEFAULT_MAX_POINTS) {}

  /** The kept point of a closed bucket of `line`, or undefined. */
  get(line: LineConfig, span: { start: number; end: number }): TrendPoint | undefined {
    const key = keyOf(line, span);
    const hit = this.entries.get(key);
    if (!hit) {
      this.misses += 1;
      return undefined;
    }
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, hit);
    this.hits += 1;
    return hit.point;
  }

  /** Call before reading what the points of `spans` are computed from. */
  begin(line: LineConfig, spans: readonly { start: number; end: number }[]): TrendMemoTicket {
    const ticket: TrendMemoTicket = { line: line.id, spans, stale: false };
    this.open.add(ticket);
    return ticket;
  }

  /** The points computed under `ticket` (closed buckets only: the caller's choice), kept unless something landed in its spans meanwhile. */
  end(ticket: TrendMemoTicket, line: LineConfig, points: readonly TrendPoint[]): void {
    this.open.delete(ticket);
    if (ticket.stale) return;
    for (const p of points) {
      this.entries.set(keyOf(line, { start: p.start, end: p.end }), { line: line.id, start: p.start, end: p.end, point: p });
      while (this.entries.size > this.maxPoints) this.entries.delete(this.entries.keys().next().value as string);
    }
  }

  /** Something was stored or rolled into `spans` of `line`: the points that overlap them go, the computations under way keep nothing. */
  touched(line: string, spans: readonly { start: number; end: number }[]): void {
    const overlaps = (a: { start: number; end: number }) => spans.some((s) => s.start < a.end && s.end > a.start);
    for (const [key, e] of this.entries) if (e.line === line && overlaps(e)) this.entries.delete(key);
    for (const t of this.open) if (t.line === line && t.spans.some(overlaps)) t.stale = true;
  }

  /** How often a point was answered from memory and how often computed, and how many are kept. */
  stats(): { hits: number; misses: number; points: number } {
    return { hits: this.hits, misses: this.misses, points: this.entries.size };
  }
}

const fingerprints = new WeakMap<LineConfig, string>();

/** A point depends on the line's configuration (takt, calendar, stations, constraint): a changed line is another key. */
function keyOf(line: LineConfig, span: { start: number; end: number }): string {
  let f = fingerprints.get(line);
  if (f === undefined) {
    f = JSON.stringify(line);
    fingerprints.set(line, f);
  }
  return `${span.start}|${span.end}|${f}`;
}
