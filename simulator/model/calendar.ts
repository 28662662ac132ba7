/**
 * The shift calendar as seen by the simulation: a run of segments in simulated
 * seconds, each `work` (planned production), `break` (inside a shift, no work)
 * or `off` (no shift). Local times are resolved in the line's time zone, so a
 * shift from 22:00 to 06:00 crosses midnight as it does on the shop floor.
 */
import { zoneOffsetMs } from '../../core/time/zone';
import { offsetInShift, shiftMinutes, type CalendarSpec } from './scenario';

export type SegmentKind = 'work' | 'break' | 'off';

/** A stretch of time of one kind, [from, to) in simulated seconds since the start of the run. */
export interface Segment {
  kind: SegmentKind;
  from: number;
  to: number;
}

const DAY_MS = 86_400_000;
/** Segments are built a week at a time, so an endless paced run never builds more than it needs. */
const CHUNK_DAYS = 7;

interface Interval {
  from: number;
  to: number;
}

/** Local calendar date (year, month 1–12, day) of an instant in a time zone. */
function localDate(ms: number, timeZone: string): { y: number; m: number; d: number } {
  const local = new Date(ms + zoneOffsetMs(ms, timeZone));
  return { y: local.getUTCFullYear(), m: local.getUTCMonth() + 1, d: local.getUTCDate() };
}

/** Epoch ms of a local wall-clock time; two rounds settle the offset on either side of a DST change. */
export function localToEpoch(y: number, m: number, d: number, minutes: number, timeZone: string): number {
  const asUtc = Date.UTC(y, m - 1, d, 0, minutes);
  let t = asUtc - zoneOffsetMs(asUtc, timeZone);
  t = asUtc - zoneOffsetMs(t, timeZone);
  return t;
}

function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** Shift calendar over a run that starts at `startMs`; without a spec, every moment is planned. */
export class ShiftCalendar {
  private segments: Segment[] = [];
  private builtUntilMs: number;
  private cursor = 0;

  constructor(
    readonly spec: CalendarSpec | null,
    readonly timeZone: string,
    readonly startMs: number,
  ) {
    this.builtUntilMs = startMs;
    if (spec === null) this.segments.push({ kind: 'work', from: -Infinity, to: Infinity });
  }

  /** The segment that contains simulated second `t` (t ≥ 0). Fastest when asked in increasing order. */
  segmentAt(t: number): Segment {
    if (this.spec === null) return this.segments[0] as Segment;
    while (this.startMs + t * 1000 >= this.builtUntilMs) this.buildChunk();
    if ((this.segments[this.cursor]?.from ?? Infinity) > t) this.cursor = 0;
    for (;;) {
      const seg = this.segments[this.cursor] as Segment;
      if (t < seg.to) return seg;
      this.cursor += 1;
    }
  }

  /** Planned production seconds (segments of kind `work`) in [from, to), simulated seconds. */
  plannedSeconds(from: number, to: number): number {
    if (this.spec === null) return Math.max(0, to - from);
    let total = 0;
    let t = from;
    while (t < to) {
      const seg = this.segmentAt(t);
      const end = Math.min(seg.to, to);
      if (seg.kind === 'work') total += end - t;
      t = end;
    }
    return total;
  }

  private buildChunk(): void {
    const spec = this.spec as CalendarSpec;
    const chunkFrom = this.builtUntilMs;
    const chunkTo = chunkFrom + CHUNK_DAYS * DAY_MS;
    const work: Interval[] = [];
    const breaks: Interval[] = [];
    // Shifts that started the day before the chunk may still run into it.
    const first = localDate(chunkFrom - DAY_MS, this.timeZone);
    for (let day = 0; day <= CHUNK_DAYS + 1; day += 1) {
      const date = new Date(Date.UTC(first.y, first.m - 1, first.d + day));
      const y = date.getUTCFullYear();
      const m = date.getUTCMonth() + 1;
      const d = date.getUTCDate();
      const isoWeekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
      for (const shift of spec.shifts) {
        if (!shift.days.includes(isoWeekday)) continue;
        const startMin = minutesOf(shift.start);
        const at = (offsetMin: number) => localToEpoch(y, m, d, startMin + offsetMin, this.timeZone);
        const shiftInterval = { from: at(0), to: at(shiftMinutes(shift.start, shift.end)) };
        const shiftBreaks = shift.breaks
          .map((b) => ({ from: at(offsetInShift(shift.start, b.start)), to: at(offsetInShift(shift.start, b.end)) }))
          .sort((a, b) => a.from - b.from);
        let t = shiftInterval.from;
        for (const b of shiftBreaks) {
          if (b.from > t) work.push({ from: t, to: b.from });
          breaks.push(b);
          t = Math.max(t, b.to);
        }
        if (shiftInterval.to > t) work.push({ from: t, to: shiftInterval.to });
      }
    }
    const points = new Set<number>([chunkFrom, chunkTo]);
    for (const iv of [...work, ...breaks]) {
      if (iv.from > chunkFrom && iv.from < chunkTo) points.add(iv.from);
      if (iv.to > chunkFrom && iv.to < chunkTo) points.add(iv.to);
    }
    const sorted = [...points].sort((a, b) => a - b);
    const inside = (list: Interval[], ms: number) => list.some((iv) => ms >= iv.from && ms < iv.to);
    for (let i = 0; i + 1 < sorted.length; i += 1) {
      const a = sorted[i] as number;
      const b = sorted[i + 1] as number;
      // Overlapping shifts: work wins over a break in the other shift, a break over no shift.
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
