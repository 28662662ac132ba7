/**
 * One long request's reads, read once. A request split into buckets (a
 * trend's production days or weeks) asks every bucket the same things:
 * its rollups and its stations' state events. `rangeReads` reads those of
 * the whole range up front, the way the long-range reads ask for them
 * (long-range.ts `rollupPlan`), and answers a bucket's request from them
 * when it lies inside what was read: the store's own answer, filtered to the
 * bucket, so every figure is the one a read of the bucket alone gives
 * (collector/test/trends.test.ts and collector/history/range-reads.test.ts
 * compare both). Anything else (raw edges, counts, orders) goes to the store.
 *
 * Answers are shared between buckets, not copied: callers must not change them.
 */
import type { HourRollup } from '../../core/kpi/hour-summary';
import type { InitialState } from '../../core/kpi/states';
import type { LineConfig } from '../../core/plant';
import type { RollupSpan } from '../influx/points';
import type { EventKind, EventReads, LineEvents, RollupDetail } from '../influx/reads';
import { shiftingReads } from '../../core/kpi/shifting-pieces';
import type { Span } from '../../core/calendar/calendar';
import { startOfLocalHour } from '../../core/time/zone';
import type { ShiftingHour } from '../influx/points';
import { rollupPlan, shiftingPiecesOf, statesWithin } from './long-range';
import { firstAtOrAfter } from '../../core/kpi/spans';

interface RollupRead {
  detail: RollupDetail;
  span: RollupSpan;
  from: number;
  to: number;
  rollups: HourRollup[];
}

export interface RangeReadsOptions {
  /**
   * How the stations' rollups asked as `stations` are read, for a reader that shows less than a KPI
   * answer: `timeline` without their cycle-time buckets (most of their bytes; a `LineKpis` from these
   * reads has every figure but p50 and p90 of the cycle times), `states` without their down segments
   * either (nor fault episodes, MTTR and the Pareto: what a trend point, core's `trendPointOf`, does
   * not read). @default 'stations'
   */
  stations?: Extract<RollupDetail, 'stations' | 'timeline' | 'states'>;
  /** The coarsest summaries read: `day` when the buckets are days (no bucket holds a whole week). @default 'week' */
  coarsest?: RollupSpan;
  /** false: the hours' line summaries of an hourly table are not read, for a reader that shows none (a trend's points). @default true */
  hourly?: boolean;
  /**
   * The buckets the reads are for. Given, the range's stored shifting-bottleneck hours are read once
   * and the state events only where those leave a bucket to raw timelines (core's `shiftingReads`,
   * what `longShifting` asks for first); a wider state read goes to the store. Without, the whole
   * range's state events are read.
   */
  buckets?: readonly Span[];
}

/** The rows `shiftingHours` answered for the range, and the state events read where its buckets need them raw. */
async function shiftingParts(reads: EventReads, line: LineConfig, from: number, asOf: number, now: number, buckets: readonly Span[]) {
  const hourFrom = startOfLocalHour(from, line.timeZone);
  // One read of the rows: the pieces are theirs (what storedShiftingPieces would read again).
  const rows = await reads.shiftingHours(line.id, hourFrom, asOf);
  const pieces = shiftingPiecesOf(rows);
  const spans: Span[] = [];
  for (const b of buckets) {
    const bAsOf = Math.min(Math.max(now, b.start), b.end);
    if (bAsOf > b.start) spans.push(...shiftingReads({ start: b.start, end: bAsOf }, pieces).read);
  }
  spans.sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  const states = await Promise.all(
    merged.map(async (k) => {
      const read = await reads.lineEvents(line, k.start, k.end, ['state']);
      return { span: k, events: { ...read, events: [...read.events].sort((x, y) => x.ts - y.ts) } };
    }),
  );
  return { hourFrom, rows, states };
}

/** First index of `sorted` (by `ts`) at or after `ts`. */
const lowerBound = (sorted: readonly { ts: number }[], ts: number): number => firstAtOrAfter(sorted, ts, (e) => e.ts);

/**
 * The reads of `line` over `[from, to)` as of `now`, read once for requests
 * about parts of it: rollups as `longLineKpis` and `hourlyUnits` plan them
 * (up to the evaluation time), and the stations' state events (up to now;
 * a kept month's from memory).
 */
export async function rangeReads(reads: EventReads, line: LineConfig, from: number, to: number, now: number, options: RangeReadsOptions = {}): Promise<EventReads> {
  const asOf = Math.min(Math.max(now, from), to);
  const end = Math.min(to, now + 1);
  const recorded: RollupRead[] = [];
  const recording: EventReads = {
    ...reads,
    async rollups(id, a, b, detail = 'stations', span = 'hour') {
      const read = detail === 'stations' ? (options.stations ?? 'stations') : detail;
      const rollups = await reads.rollups(id, a, b, read, span);
      if (id === line.id) recorded.push({ detail, span, from: a, to: b, rollups });
      return rollups;
    },
  };
  const [, , states, shifting] = await Promise.all([
    rollupPlan(recording, line, from, asOf, 'stations', options.coarsest ?? 'week'),
    options.hourly === false ? null : rollupPlan(recording, line, from, end, 'line', 'hour'),
    end > from && !options.buckets ? reads.lineEvents(line, from, end, ['state']) : Promise.resolve(null),
    options.buckets ? shiftingParts(reads, line, from, asOf, now, options.buckets) : null,
  ]);
  const stateEvents = states ? [...states.events].sort((a, b) => a.ts - b.ts) : [];

  // The stations' states before event `i`, kept for the last index asked: buckets ask in time order, so a year is one pass.
  let known = { index: 0, states: Object.assign(Object.create(null) as Record<string, InitialState>, states?.initialStates ?? {}) };
  const statesOf = (a: number, b: number): LineEvents | null => {
    if (!states || a < from || b > end || a > b) return null;
    const lo = lowerBound(stateEvents, a);
    if (lo < known.index) known = { index: 0, states: Object.assign(Object.create(null) as Record<string, InitialState>, states.initialStates) };
    // What InfluxDB's last() before `a` gives: the newest state point of each station before it, with its reason.
    for (let i = known.index; i < lo; i += 1) {
      const e = stateEvents[i];
      if (e?.type === 'state') known.states[e.station] = { state: e.state, reason: e.reason ?? null, since: e.ts };
    }
    known.index = lo;
    const initialStates = Object.assign(Object.create(null) as Record<string, InitialState>, known.states);
    return { events: stateEvents.slice(lo, lowerBound(stateEvents, b)), initialStates };
  };

  return {
    ...reads,
    async rollups(id, a, b, detail = 'stations', span = 'hour') {
      const hit = id === line.id ? recorded.find((r) => r.detail === detail && r.span === span && r.from <= a && b <= r.to) : undefined;
      if (!hit) return reads.rollups(id, a, b, detail, span);
      return hit.rollups.filter((r) => r.start >= a && r.start < b);
    },
    async lineEvents(l, a, b, kinds?: readonly EventKind[]) {
      const onlyStates = kinds !== undefined && kinds.length === 1 && kinds[0] === 'state';
      const read = l.id === line.id && onlyStates ? shifting?.states.find((s) => s.span.start <= a && b <= s.span.end) : undefined;
      if (read) return statesWithin(read.events, read.events.events, a, b);
      const hit = l.id === line.id && onlyStates ? statesOf(a, b) : null;
      return hit ?? reads.lineEvents(l, a, b, kinds);
    },
    async shiftingHours(id, a, b, withStations = true): Promise<ShiftingHour[]> {
      if (!shifting || id !== line.id || a < shifting.hourFrom || b > asOf) return reads.shiftingHours(id, a, b, withStations);
      return shifting.rows.filter((r) => r.start >= a && r.start < b).map((r) => (withStations ? r : { ...r, stations: [] }));
    },
  };
}
