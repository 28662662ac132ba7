/**
 * Closed hours summarised per line and station, and the mergeable cycle-time
 * summary they carry: what a long-range read adds up instead of raw events.
 *
 * The cycle-time summary counts cycles in fixed buckets of
 * {@link CYCLE_BUCKET_SECONDS}, each holding the times that round to its
 * centre. Rounding is monotone, so the value at any rank lies in the bucket
 * the summary finds for that rank: a percentile from a summary is within
 * half a bucket (0.05 s) of the raw nearest-rank value. Counts, sums, min
 * and max are exact.
 */
import type { Span } from '../calendar/calendar';
import type { CycleEvent, StateEvent, StationEvent, UnitEvent } from '../events';
import { stopPieceOf, type StopPiece } from '../reasons/stop-rollup';
import type { ConstraintCycles, PieceLosses } from './loss-rollup';
import { overlapMs } from './spans';
import { stateTimeline, timeInStates, zeroStateSeconds, type InitialState, type StateSeconds, type StateSegment } from './states';

/**
 * What a stored summary holds; a summary of another version is rolled again
 * at start. 2: planned state seconds, state events and fault / maintenance
 * segments per station; 3: the hour's loss waterfall charges; 4: each
 * station's productive cycles as a possible constraint (`asConstraint`);
 * 5: the line's loss part keeps cycles per station; 6: each station's stops
 * (core/reasons/stop-rollup.ts) for the threshold the line row records.
 */
export const ROLLUP_VERSION = 6;

/** Width of a cycle-time bucket, seconds. */
export const CYCLE_BUCKET_SECONDS = 0.1;
/** Largest distance of a summary percentile from the raw nearest-rank value, seconds. */
export const CYCLE_PERCENTILE_ERROR_SECONDS = CYCLE_BUCKET_SECONDS / 2;

/** A mergeable summary of cycle times (seconds). */
export interface CycleSummary {
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
  /** Bucket index (time / bucket width, rounded) → cycles. */
  buckets: Map<number, number>;
}

export function emptyCycleSummary(): CycleSummary {
  return { count: 0, sum: 0, min: null, max: null, buckets: new Map() };
}

export function addCycleTime(s: CycleSummary, seconds: number): void {
  s.count += 1;
  s.sum += seconds;
  s.min = s.min === null ? seconds : Math.min(s.min, seconds);
  s.max = s.max === null ? seconds : Math.max(s.max, seconds);
  const i = Math.round(seconds / CYCLE_BUCKET_SECONDS);
  s.buckets.set(i, (s.buckets.get(i) ?? 0) + 1);
}

/** Adds `b` into `a`. */
export function mergeCycleSummary(a: CycleSummary, b: CycleSummary): void {
  a.count += b.count;
  a.sum += b.sum;
  if (b.min !== null) a.min = a.min === null ? b.min : Math.min(a.min, b.min);
  if (b.max !== null) a.max = a.max === null ? b.max : Math.max(a.max, b.max);
  for (const [i, n] of b.buckets) a.buckets.set(i, (a.buckets.get(i) ?? 0) + n);
}

/**
 * The percentile InfluxDB's percentile() gives (nearest rank
 * ⌊n·p/100 + 0.5⌋, null when that rank is 0), read from the summary: the
 * centre of the bucket holding the rank, kept within min and max.
 */
export function summaryPercentile(s: CycleSummary, p: number, rankOf: 'influx' | 'ceil' = 'influx'): number | null {
  // 'ceil': core's nearest rank (core/kpi/cycles.ts percentile), ⌈p/100 · n⌉ and at least 1.
  const rank = rankOf === 'ceil' ? Math.min(s.count, Math.max(1, Math.ceil((p / 100) * s.count))) : Math.floor((s.count * p) / 100 + 0.5);
  if (rank < 1 || rank > s.count || s.min === null || s.max === null) return null;
  let seen = 0;
  for (const i of [...s.buckets.keys()].sort((x, y) => x - y)) {
    seen += s.buckets.get(i) ?? 0;
    if (seen >= rank) return Math.min(s.max, Math.max(s.min, i * CYCLE_BUCKET_SECONDS));
  }
  return s.max;
}

/** Cycles at or under `taktSeconds`, estimated from bucket centres: for hours counted against another takt. */
export function summaryWithin(s: CycleSummary, taktSeconds: number): number {
  let n = 0;
  for (const [i, c] of s.buckets) if (i * CYCLE_BUCKET_SECONDS <= taktSeconds) n += c;
  return n;
}

/** Dense bucket counts 0–61, one character each. */
const DENSE_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DENSE_VALUE = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < DENSE_DIGITS.length; i += 1) table[DENSE_DIGITS.charCodeAt(i)] = i;
  return table;
})();

/**
 * The summary as one string field, short because a long range reads
 * thousands of them, in whichever of two forms is shorter:
 * - sparse (an hour's few cycles): ascending bucket indices as base-36
 *   differences from the previous one, `*count` (base 36) after a bucket
 *   that holds more than one, comma-separated;
 * - dense (a day's, whose buckets are mostly filled): `#`, the first bucket
 *   index in base 36, `:`, then one character per bucket up to the last, its
 *   count 0–61 in `0-9A-Za-z`, or `~count.` (base 36) for a larger one. A
 *   day of 720 cycles over 300 buckets is about 300 characters instead of
 *   1,000, and a year of day summaries reads a third of the bytes.
 */
export function encodeBuckets(buckets: ReadonlyMap<number, number>): string {
  const sorted = [...buckets.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  let previous = 0;
  const sparse = sorted
    .map(([i, n]) => {
      const token = `${(i - previous).toString(36)}${n > 1 ? `*${n.toString(36)}` : ''}`;
      previous = i;
      return token;
    })
    .join(',');
  const first = sorted[0]?.[0];
  const last = sorted.at(-1)?.[0];
  // Sparse already holds two characters per bucket; dense needs one per index between the first and last.
  if (first === undefined || last === undefined || first < 0 || last - first + 1 >= sparse.length) return sparse;
  const chars: string[] = [`#${first.toString(36)}:`];
  let next = first;
  for (const [i, n] of sorted) {
    for (; next < i; next += 1) chars.push('0');
    chars.push(n < DENSE_DIGITS.length ? (DENSE_DIGITS[n] as string) : `~${n.toString(36)}.`);
    next = i + 1;
  }
  const dense = chars.join('');
  return dense.length < sparse.length ? dense : sparse;
}

/** The dense form (after its `#`): unknown characters count as an empty bucket. */
function decodeDense(text: string, out: Map<number, number>): Map<number, number> {
  const colon = text.indexOf(':');
  const first = colon > 1 ? Number.parseInt(text.slice(1, colon), 36) : Number.NaN;
  if (!Number.isInteger(first) || first < 0) return out;
  let index = first;
  for (let i = colon + 1; i < text.length; i += 1, index += 1) {
    const c = text.charCodeAt(i);
    let n: number;
    if (c === 126 /* ~ */) {
      const end = text.indexOf('.', i + 1);
      if (end < 0) break;
      n = Number.parseInt(text.slice(i + 1, end), 36);
      i = end;
    } else n = c < 128 ? (DENSE_VALUE[c] as number) : -1;
    if (Number.isInteger(n) && n > 0) out.set(index, (out.get(index) ?? 0) + n);
  }
  return out;
}

export function decodeBuckets(text: string): Map<number, number> {
  // A year of day summaries holds millions of tokens: read the string once, without splitting it.
  const out = new Map<number, number>();
  if (text.charCodeAt(0) === 35 /* # */) return decodeDense(text, out);
  let index = 0;
  let delta = 0;
  let count = 0;
  let inCount = false;
  let digits = 0;
  let bad = false;
  const flush = () => {
    const n = inCount ? count : 1;
    if (!bad && digits > 0 && n > 0) {
      index += delta;
      out.set(index, (out.get(index) ?? 0) + n);
    }
    delta = 0;
    count = 0;
    inCount = false;
    digits = 0;
    bad = false;
  };
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 44 /* , */) {
      flush();
      continue;
    }
    if (c === 42 /* * */) {
      if (inCount) bad = true;
      inCount = true;
      continue;
    }
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 122 ? c - 87 : -1;
    if (d < 0) {
      bad = true;
      continue;
    }
    if (inCount) count = count * 36 + d;
    else {
      delta = delta * 36 + d;
      digits += 1;
    }
  }
  if (text.length > 0) flush();
  return out;
}

/** One station's closed hour. */
export interface StationHour {
  station: string;
  cycles: CycleSummary;
  /** Cycles at or under `taktSeconds` of the hour's summary. */
  withinTakt: number;
  /** Seconds in each state (and `unknown` before the first known state); null when a read left them out. */
  stateSeconds: StateSeconds | null;
  /** Seconds in each state inside planned production time (the calendar when the hour was rolled); null when left out. */
  plannedStateSeconds: StateSeconds | null;
  /** The station's state events in the hour. */
  stateEvents: number;
  /**
   * The hour's `fault` and `maintenance` segments, `since` as in the whole
   * timeline: all a downtime Pareto, the downtime at the constraint and the
   * fault episodes (MTBF, MTTR, micro-stops) need. Null when left out.
   */
  down: StateSegment[] | null;
  /** The station's cycles while it was productive, were it the interval's constraint (core/kpi/loss-rollup.ts); null or absent when a read left it out or it was not computed. */
  asConstraint?: ConstraintCycles | null;
  /** The station's stops for the stop-reasons part (core/reasons/stop-rollup.ts), for the rollup's `stopThresholdSeconds`; null or absent when a read left them out or they were not computed. */
  stops?: StopPiece | null;
}

/** One line's closed hour `[start, end)`. */
export interface HourRollup {
  line: string;
  start: number;
  end: number;
  units: number;
  goodUnits: number;
  /** State events in the hour: with units and cycles, what tells a stored hour is out of date. */
  stateEvents: number;
  /** The takt `withinTakt` was counted against, seconds. */
  taktSeconds: number;
  /** {@link ROLLUP_VERSION} of the summary as stored (0: before versions). */
  version: number;
  /** What the hour's own loss waterfall charged (core/kpi/loss-rollup.ts); null when a read left it out or it was not computed. */
  losses: PieceLosses | null;
  /** The stop-record threshold (reasons config) the stations' `stops` were summarised for; null or absent: not summarised. */
  stopThresholdSeconds?: number | null;
  stations: StationHour[];
}

export interface SummariseHoursInput {
  line: string;
  /** Stations to summarise, besides any that report cycles or states. */
  stations: readonly string[];
  /** Consecutive hours, `[start, end)`, ascending. */
  hours: readonly { start: number; end: number }[];
  /** The line's events of the hours (others are ignored), any order. */
  events: readonly StationEvent[];
  /** Each station's state before the first hour. */
  initialStates: Readonly<Record<string, InitialState>>;
  taktSeconds: number;
  /** Planned production time over the hours (the line's calendar); none: no time is planned. */
  planned?: readonly Span[];
  /** State time stops here (the evaluation time of an open stretch); events still count up to each hour's end. */
  until?: number;
  /** The reasons tree's stop-record threshold: given, each station's stops are summarised for it. */
  stopThresholdSeconds?: number;
}

/** Summarises consecutive hours of one line. */
export function summariseHours(input: SummariseHoursInput): HourRollup[] {
  const sorted = [...input.events].sort((a, b) => a.ts - b.ts);
  const states = new Map<string, StateEvent[]>();
  const cycles: CycleEvent[] = [];
  const units: UnitEvent[] = [];
  for (const e of sorted) {
    if (e.type === 'state' && e.line === input.line) {
      const list = states.get(e.station) ?? [];
      list.push(e);
      states.set(e.station, list);
    } else if (e.type === 'cycle' && e.line === input.line) cycles.push(e);
    else if (e.type === 'unit' && e.line === input.line) units.push(e);
  }
  const planned = input.planned ?? [];
  const stations = [...new Set([...input.stations, ...states.keys(), ...cycles.map((c) => c.station), ...Object.keys(input.initialStates)])];
  return input.hours.map(({ start, end }) => {
    const inHour = (e: StationEvent) => e.ts >= start && e.ts < end;
    const hourUnits = units.filter(inHour);
    const hourCycles = cycles.filter(inHour);
    let stateEvents = 0;
    const perStation = stations.map((station): StationHour => {
      const summary = emptyCycleSummary();
      let within = 0;
      for (const c of hourCycles) {
        if (c.station !== station) continue;
        addCycleTime(summary, c.cycleTime);
        if (c.cycleTime <= input.taktSeconds) within += 1;
      }
      const events = states.get(station) ?? [];
      const inside = events.filter(inHour).length;
      stateEvents += inside;
      const timeline = stateTimeline(events, start, Math.min(end, input.until ?? end), input.initialStates[station]);
      const plannedStateSeconds = zeroStateSeconds();
      for (const seg of timeline) plannedStateSeconds[seg.state] += overlapMs(planned, seg.start, seg.end) / 1000;
      return {
        station,
        cycles: summary,
        withinTakt: within,
        stateSeconds: timeInStates(timeline),
        plannedStateSeconds,
        stateEvents: inside,
        down: timeline.filter((seg) => seg.state === 'fault' || seg.state === 'maintenance'),
        ...(input.stopThresholdSeconds !== undefined ? { stops: stopPieceOf(timeline, start, end, planned, input.stopThresholdSeconds) } : {}),
      };
    });
    return {
      line: input.line,
      start,
      end,
      units: hourUnits.length,
      goodUnits: hourUnits.filter((u) => u.result !== 'nok').length,
      stateEvents,
      taktSeconds: input.taktSeconds,
      version: ROLLUP_VERSION,
      losses: null,
      ...(input.stopThresholdSeconds !== undefined ? { stopThresholdSeconds: input.stopThresholdSeconds } : {}),
      stations: perStation,
    };
  });
}

/**
 * Appends `next` (segments of a later stretch, ascending) to `into`, joining a
 * segment that continues across the boundary (same state and reason, ending
 * where the next begins) the way one timeline would hold it.
 */
export function stitchSegments(into: StateSegment[], next: readonly StateSegment[]): void {
  for (const seg of next) {
    const last = into.at(-1);
    if (last && last.end === seg.start && last.state === seg.state && last.reason === seg.reason) last.end = seg.end;
    else into.push({ ...seg });
  }
}

/** The down segments as one string field: JSON of [state, reason, start, end, since] (reasons are free text). */
export function encodeDown(segments: readonly StateSegment[]): string {
  return JSON.stringify(segments.map((s) => [s.state === 'fault' ? 'f' : 'm', s.reason, s.start, s.end, s.since]));
}

export function decodeDown(text: string): StateSegment[] {
  if (text === '') return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const out: StateSegment[] = [];
  for (const r of raw) {
    if (!Array.isArray(r) || r.length !== 5) continue;
    const [state, reason, start, end, since] = r as unknown[];
    if ((state !== 'f' && state !== 'm') || typeof start !== 'number' || typeof end !== 'number') continue;
    out.push({
      state: state === 'f' ? 'fault' : 'maintenance',
      reason: typeof reason === 'string' ? reason : null,
      start,
      end,
      since: typeof since === 'number' ? since : null,
    });
  }
  return out;
}
