/**
 * The shift calendar as the simulation sees it: a run of segments in simulated
 * seconds, each `work` (planned production), `break` (inside a shift, no work)
 * or `off` (no shift). Shifts, breaks and planned time come from core's
 * production calendar, so the simulator plans exactly the time a collector
 * with the same calendar counts as planned.
 */
import { plannedSeconds, shiftsBetween, type ProductionCalendar, type ShiftPattern, type Span } from '../../core/calendar';

export type SegmentKind = 'work' | 'break' | 'off';

/** A stretch of time of one kind, [from, to) in simulated seconds since the start of the run. */
export interface Segment {
  kind: SegmentKind;
  from: number;
  to: number;
}

const DAY_MS = 86_400_000;
/** Segments are built a week at a time, so an endless paced run never builds more than it needs. */
const CHUNK_MS = 7 * DAY_MS;

/** Shift calendar over a run that starts at `startMs`; without a pattern, every moment is planned. */
export class ShiftCalendar {
  /** Core's calendar (pattern + zone), or null when the line is planned around the clock. */
  readonly production: ProductionCalendar | null;
  private segments: Segment[] = [];
  private builtUntilMs: number;
  private cursor = 0;

  constructor(
    pattern: ShiftPattern | null,
    readonly timeZone: string,
    readonly startMs: number,
  ) {
    this.production = pattern === null ? null : { timeZone, ...pattern };
    this.builtUntilMs = startMs;
    if (pattern === null) this.segments.push({ kind: 'work', from: -Infinity, to: Infinity });
  }

  /** The segment that contains simulated second `t` (t ≥ 0). Fastest when asked in increasing order. */
  segmentAt(t: number): Segment {
    if (this.production === null) return this.segments[0] as Segment;
    while (this.startMs + t * 1000 >= this.builtUntilMs) this.buildChunk(this.production);
    if ((this.segments[this.cursor]?.from ?? Infinity) > t) this.cursor = 0;
    for (;;) {
      const seg = this.segments[this.cursor] as Segment;
      if (t < seg.to) return seg;
      this.cursor += 1;
    }
  }

  /** Planned production seconds in [from, to) simulated seconds: core's plannedSeconds over the same instants. */
  plannedSeconds(from: number, to: number): number {
    if (this.production === null) return Math.max(0, to - from);
    return plannedSeconds(this.production, this.startMs + from * 1000, this.startMs + to * 1000);
  }

  private buildChunk(cal: ProductionCalendar): void {
    const chunkFrom = this.builtUntilMs;
    const chunkTo = chunkFrom + CHUNK_MS;
    const shifts = shiftsBetween(cal, chunkFrom, chunkTo);
    const work: Span[] = shifts.flatMap((s) => s.planned);
    const breaks: Span[] = shifts.flatMap((s) => s.breaks);
    const points = new Set<number>([chunkFrom, chunkTo]);
    for (const iv of [...work, ...breaks]) {
      if (iv.start > chunkFrom && iv.start < chunkTo) points.add(iv.start);
      if (iv.end > chunkFrom && iv.end < chunkTo) points.add(iv.end);
    }
    const sorted = [...points].sort((a, b) => a - b);
    const inside = (list: Span[], ms: number) => list.some((iv) => ms >= iv.start && ms < iv.end);
    for (let i = 0; i + 1 < sorted.length; i += 1) {
      const a = sorted[i] as number;
      const b = sorted[i + 1] as number;
      const kind: SegmentKind = inside(work, a) ? 'work' : inside(breaks, a) ? 'break' : 'off';
      const from = (a - this.startMs) / 1000;
      const to = (b - this.startMs) / 1000;
      const last = this.segments.at(-1);
      if (last !== undefined && last.kind === kind && last.to === from) last.to = to;
      else this.segments.push({ kind, from, to });
    }
    this.builtUntilMs = chunkTo;
  }
}
