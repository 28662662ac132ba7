/**
 * Stop records of a long range from the closed hours' (days', weeks')
 * summaries (docs/reasons.md, docs/api.md "Rollups"). A piece keeps, per
 * station, what {@link stopSummaryOf} needs of its stops:
 *
 * - every stop segment that touches the piece's start or end, whatever its
 *   length (a stop crossing a cut is stitched with its neighbours on read,
 *   the first part's `since` kept as the whole timeline holds it; a piece's
 *   first segment dates a stop begun before it by the last state event
 *   before it, as a raw read from there does);
 * - every stop inside the piece of at least the threshold in wall time (a
 *   possible record: its planned time is taken on read);
 * - the stops inside shorter than the threshold as micro-stop totals (count
 *   and planned ms, on the calendar when the piece was rolled): never a
 *   record, whatever the calendar;
 * - the ms the station was up (running, idle, starved, blocked).
 *
 * The totals are exact for the threshold the piece was rolled with, so a
 * piece rolled with another one is not used (the caller reads it raw).
 * Combined with raw timelines at the edges, the stop records, micro-stops
 * and uptime equal {@link stopRecords} and `uptimeSeconds` over the whole
 * range's timelines. Pure.
 */
import type { Span } from '../calendar/calendar';
import { overlapMs } from '../kpi/spans';
import type { StateSegment } from '../kpi/states';
import { uptimeMs } from './reliability';
import { isStop, stopSummaryOf, type StationStops, type StopSummary, type StopSummaryInput } from './stops';

/** A stop segment as a piece keeps it, with its planned ms on the calendar at roll time. */
export interface StopSegment extends StateSegment {
  planned: number;
}

/** One station's stops of a closed piece `[start, end)`. */
export interface StopPiece {
  /** Stop segments at the piece's edges and those inside of at least the threshold, ascending. */
  segments: StopSegment[];
  /** Stops inside shorter than the threshold with planned time: their count and planned ms. */
  micro: { count: number; ms: number };
  /** Ms up: running, idle, starved, blocked (all time, planned or not). */
  uptimeMs: number;
}

/** A segment in the piece `[start, end)` that a later read must see on its own: at an edge, or long enough to be a record. */
function keeps(seg: StateSegment, start: number, end: number, thresholdMs: number): boolean {
  return seg.start <= start || seg.end >= end || seg.end - seg.start >= thresholdMs;
}

/** A station's stops of `[start, end)` from its timeline there; `planned`: the calendar's planned spans over it. */
export function stopPieceOf(timeline: readonly StateSegment[], start: number, end: number, planned: readonly Span[], thresholdSeconds: number): StopPiece {
  const thresholdMs = thresholdSeconds * 1000;
  const piece: StopPiece = { segments: [], micro: { count: 0, ms: 0 }, uptimeMs: uptimeMs(timeline) };
  for (const seg of timeline) {
    if (!isStop(seg.state)) continue;
    const ms = overlapMs(planned, seg.start, seg.end);
    if (keeps(seg, start, end, thresholdMs)) piece.segments.push({ ...seg, planned: ms });
    else if (ms > 0) {
      piece.micro.count += 1;
      piece.micro.ms += ms;
    }
  }
  return piece;
}

/**
 * Appends `next` to `into`, joining a segment that continues across the cut
 * (same state and reason, ending where the next begins) as one timeline
 * holds it: the first part's `since`, the planned ms added.
 */
function stitch(into: StopSegment[], next: readonly StopSegment[]): void {
  for (const seg of next) {
    const last = into.at(-1);
    if (last && last.end === seg.start && last.state === seg.state && last.reason === seg.reason) {
      last.end = seg.end;
      last.planned += seg.planned;
    } else into.push({ ...seg });
  }
}

/**
 * The pieces of a longer span `[start, end)` (a day from its hours, a week
 * from its days), ascending and contiguous, as one piece: the segments
 * stitched at the cuts, those no longer at an edge and shorter than the
 * threshold counted as micro-stops. Null when one of them is null.
 */
export function mergeStopPieces(pieces: readonly (StopPiece | null)[], start: number, end: number, thresholdSeconds: number): StopPiece | null {
  const thresholdMs = thresholdSeconds * 1000;
  const stitched: StopSegment[] = [];
  const out: StopPiece = { segments: [], micro: { count: 0, ms: 0 }, uptimeMs: 0 };
  for (const p of pieces) {
    if (p === null) return null;
    stitch(stitched, p.segments);
    out.micro.count += p.micro.count;
    out.micro.ms += p.micro.ms;
    out.uptimeMs += p.uptimeMs;
  }
  for (const seg of stitched) {
    if (keeps(seg, start, end, thresholdMs)) out.segments.push(seg);
    else if (seg.planned > 0) {
      out.micro.count += 1;
      out.micro.ms += seg.planned;
    }
  }
  return out;
}

/** One stretch of a long range in time order: a closed piece's stops per station, or the raw timelines of a stretch between them. */
export type StopStretch = { kind: 'piece'; stations: ReadonlyMap<string, StopPiece> } | { kind: 'raw'; timelines: ReadonlyMap<string, readonly StateSegment[]> };

export interface LongStopsInput extends Omit<StopSummaryInput, 'stations' | 'micro'> {
  /** The stations, in the order the raw path takes them. */
  stations: readonly string[];
  /** The range's start: a stop begun before it counts from here. */
  from: number;
  /** `[from, asOf)` covered without a gap, ascending. */
  stretches: readonly StopStretch[];
}

/**
 * The stop summary and the stations' uptime (seconds) of a range from its
 * stretches: the same as {@link stopRecords} and `uptimeSeconds` over the
 * whole range's timelines (planned time of the records on `planned`,
 * micro-stops inside closed pieces on the calendar they were rolled with).
 */
export function longStops(input: LongStopsInput): { summary: StopSummary; uptimeSeconds: number } {
  const micro = { count: 0, ms: 0 };
  let up = 0;
  const stations = new Map<string, StationStops>();
  for (const station of input.stations) {
    const segments: StopSegment[] = [];
    for (const s of input.stretches) {
      if (s.kind === 'raw') {
        const timeline = s.timelines.get(station) ?? [];
        up += uptimeMs(timeline);
        stitch(
          segments,
          timeline.filter((seg) => isStop(seg.state)).map((seg) => ({ ...seg, planned: 0 })),
        );
      } else {
        const p = s.stations.get(station);
        if (!p) continue;
        up += p.uptimeMs;
        micro.count += p.micro.count;
        micro.ms += p.micro.ms;
        stitch(segments, p.segments);
      }
    }
    stations.set(station, { segments, from: input.from });
  }
  const { stretches: _stretches, from: _from, stations: _stations, ...rest } = input;
  return { summary: stopSummaryOf({ ...rest, stations, micro }), uptimeSeconds: up / 1000 };
}

/** The piece as one string field: JSON of {u: uptime ms, n: micro count, m: micro ms, s: [[state, reason, start, end, since, planned]]} (reasons are free text). */
export function encodeStopPiece(p: StopPiece): string {
  return JSON.stringify({ u: p.uptimeMs, n: p.micro.count, m: p.micro.ms, s: p.segments.map((g) => [g.state, g.reason, g.start, g.end, g.since, g.planned]) });
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The piece of a stored field; null when absent or not what {@link encodeStopPiece} writes (the piece is read raw then). */
export function decodeStopPiece(text: unknown): StopPiece | null {
  if (typeof text !== 'string' || text === '') return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const { u, n, m, s } = raw as Record<string, unknown>;
  if (!num(u) || !num(n) || !num(m) || !Array.isArray(s)) return null;
  const segments: StopSegment[] = [];
  for (const r of s) {
    if (!Array.isArray(r) || r.length !== 6) return null;
    const [state, reason, start, end, since, planned] = r as unknown[];
    if (typeof state !== 'string' || !isStop(state) || !num(start) || !num(end) || !num(planned)) return null;
    segments.push({ state, reason: typeof reason === 'string' ? reason : null, start, end, since: num(since) ? since : null, planned });
  }
  return { segments, micro: { count: n, ms: m }, uptimeMs: u };
}
