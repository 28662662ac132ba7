/**
 * Stop records from closed pieces' stop summaries (hours, and days and a
 * "week" merged from them by core's mergeDay) plus raw timelines at the
 * edges, against core's stopRecords and uptimeSeconds over the whole
 * range's timelines, on every shipped scenario in memory, with stops put
 * across hour, day and week cuts and into the range from before it.
 */
import { describe, expect, it } from 'vitest';
import { lineCalendar, plannedIntervals, type Span } from '../calendar/calendar';
import type { StateEvent, StationEvent, StopReasonEvent } from '../events';
import { partnerFromReason } from '../kpi/active-period';
import { mergeDay } from '../kpi/day-rollup';
import { summariseHours, type HourRollup } from '../kpi/hour-summary';
import { stateTimeline, type StateSegment } from '../kpi/states';
import type { LineConfig } from '../plant';
import { Line } from '../../simulator/model/line';
import { loadScenario, scenarioLine, SHIPPED_SCENARIOS } from '../../simulator/model/scenario';
import { MemorySink } from '../../simulator/sinks/memory';
import { DEFAULT_REASONS } from './config';
import { uptimeSeconds } from './reliability';
import { decodeStopPiece, encodeStopPiece, longStops, mergeStopPieces, type StopPiece, type StopStretch } from './stop-rollup';
import { stopRecords, type StopSummary } from './stops';

const HOUR = 3_600_000;
const MIN = 60_000;
const RUN_HOURS = 52;

/** Replaces `station`'s state events in [a, b] with `state` at a and `after` at b. */
function force(events: StationEvent[], station: string, a: number, b: number, state: StateEvent['state'], reason: string | null, after: StateEvent['state'] = 'running'): StationEvent[] {
  const line = events.find((e) => e.type === 'state')?.line ?? '';
  const kept = events.filter((e) => !(e.type === 'state' && e.station === station && e.ts >= a && e.ts <= b));
  kept.push({ type: 'state', ts: a, line, station, state, ...(reason ? { reason } : {}) }, { type: 'state', ts: b, line, station, state: after });
  return kept.sort((x, y) => x.ts - y.ts);
}

interface Run {
  line: LineConfig;
  events: StationEvent[];
  start: number;
  /** The hour cut the 140 s idle runs across (one in planned time). */
  idleCut: number;
}

function run(name: string): Run {
  const scenario = loadScenario(name);
  const sink = new MemorySink();
  const start = Date.parse(scenario.start);
  new Line({ scenario, seed: 3, startMs: start, runId: `sr-${name}`, emit: (e) => sink.write(e) }).runUntil(RUN_HOURS * 3600);
  const line = scenarioLine(scenario);
  const [a, b] = [line.stations[0]?.id ?? '', line.stations.at(-1)?.id ?? ''];
  let events = sink.events as StationEvent[];
  // A maintenance from before the range into its first whole hour; a fault across the "week"'s end into the hours.
  events = force(events, a, start + 10 * MIN, start + HOUR + 30 * MIN, 'maintenance', 'pm');
  events = force(events, b, start + 49 * HOUR - 10 * MIN, start + 49 * HOUR + 5 * MIN, 'fault', 'servo');
  // Micro-stops across the day cut inside the week and across an hour cut: short on each side, short together.
  events = force(events, a, start + 25 * HOUR - 30_000, start + 25 * HOUR + 40_000, 'blocked', null);
  events = force(events, b, start + 50 * HOUR - 20_000, start + 50 * HOUR + 30_000, 'starved', null);
  // A stop long only together: 70 s before an hour cut and 70 s after it (in planned time), a record at 120 s.
  const planned = plannedIntervals(lineCalendar(line), start, start + RUN_HOURS * HOUR);
  const cuts = Array.from({ length: RUN_HOURS - 3 }, (_, i) => start + (i + 2) * HOUR).filter((c) => c !== start + 25 * HOUR && c !== start + 49 * HOUR);
  const idleCut = cuts.find((c) => planned.some((p) => p.start <= c - 70_000 && p.end >= c + 70_000)) ?? start + 51 * HOUR;
  events = force(events, a, idleCut - 70_000, idleCut + 70_000, 'idle', null);
  return { line, events, start, idleCut };
}

/** Each station's state events (ascending). */
function byStation(r: Run): Map<string, StateEvent[]> {
  const out = new Map<string, StateEvent[]>(r.line.stations.map((s) => [s.id, []]));
  for (const e of r.events) if (e.type === 'state') out.get(e.station)?.push(e);
  return out;
}

/** The raw path: every station's timeline over [from, end), as collector/reasons reads it. */
function raw(r: Run, from: number, end: number, threshold: number, classifications: StopReasonEvent[] = []): { summary: StopSummary; uptime: number } {
  const timelines = new Map<string, StateSegment[]>();
  for (const [st, evs] of byStation(r)) timelines.set(st, stateTimeline(evs, from, end));
  const planned = plannedIntervals(lineCalendar(r.line), from, end);
  return {
    summary: stopRecords({ line: r.line.id, timelines, planned, tree: { ...DEFAULT_REASONS, thresholdSeconds: threshold }, asOf: end, partnerOf: partnerFromReason, classifications }),
    uptime: uptimeSeconds(timelines.values()),
  };
}

/** The run's closed hours as the roller summarises them (in chunks of 24, the states before each from its events). */
function hours(r: Run, threshold: number): HourRollup[] {
  const planned = plannedIntervals(lineCalendar(r.line), r.start, r.start + RUN_HOURS * HOUR);
  const out: HourRollup[] = [];
  for (let c = 0; c < RUN_HOURS; c += 24) {
    const run = Array.from({ length: Math.min(24, RUN_HOURS - c) }, (_, i) => ({ start: r.start + (c + i) * HOUR, end: r.start + (c + i + 1) * HOUR }));
    out.push(
      ...summariseHours({ line: r.line.id, stations: r.line.stations.map((s) => s.id), hours: run, events: r.events, initialStates: {}, taktSeconds: 60, planned, stopThresholdSeconds: threshold }),
    );
  }
  // Loss charges are not what this is about: an empty part each, so mergeDay builds days.
  for (const h of out) h.losses = { plannedMs: 0, hasData: true, units: 0, goodUnits: 0, qualityByDefect: [], cycles: [] };
  return out;
}

const span = (a: number, b: number): Span => ({ start: a, end: b });

/** Pieces: the hours 1–24 and 25–48 merged into days, the two days into a "week", hours after. */
function pieces(r: Run, threshold: number): { week: HourRollup; days: HourRollup[]; hours: HourRollup[] } {
  const all = hours(r, threshold);
  const inside = (s: Span) => all.filter((h) => h.start >= s.start && h.end <= s.end);
  const d1 = mergeDay(r.line.id, span(r.start + HOUR, r.start + 25 * HOUR), inside(span(r.start + HOUR, r.start + 25 * HOUR)));
  const d2 = mergeDay(r.line.id, span(r.start + 25 * HOUR, r.start + 49 * HOUR), inside(span(r.start + 25 * HOUR, r.start + 49 * HOUR)));
  if (!d1 || !d2) throw new Error('days not built');
  const week = mergeDay(r.line.id, span(r.start + HOUR, r.start + 49 * HOUR), [d1, d2]);
  if (!week) throw new Error('week not built');
  return { week, days: [d1, d2], hours: all };
}

const pieceOf = (h: HourRollup): StopStretch => ({ kind: 'piece', stations: new Map(h.stations.map((s) => [s.station, s.stops as StopPiece])) });

function rawStretch(r: Run, a: number, b: number): StopStretch {
  const timelines = new Map<string, StateSegment[]>();
  for (const [st, evs] of byStation(r)) timelines.set(st, stateTimeline(evs, a, b));
  return { kind: 'raw', timelines };
}

function combined(r: Run, from: number, end: number, stretches: StopStretch[], threshold: number, classifications: StopReasonEvent[] = []) {
  return longStops({
    line: r.line.id,
    stations: r.line.stations.map((s) => s.id),
    from,
    stretches,
    planned: plannedIntervals(lineCalendar(r.line), from, end),
    tree: { ...DEFAULT_REASONS, thresholdSeconds: threshold },
    asOf: end,
    partnerOf: partnerFromReason,
    classifications,
  });
}

const classify = (line: string, stop: string, station: string, ts: number, reason: string): StopReasonEvent => ({
  type: 'stop_reason', ts, id: `r-${stop}-${ts}`, stop, line, station, reason, category: 'machine', actorKind: 'person', actorId: 'sv1', actorName: 'sv', role: 'supervisor',
});

describe.each(SHIPPED_SCENARIOS)('stop records from pieces (%s)', (name) => {
  const r = run(name);
  const threshold = DEFAULT_REASONS.thresholdSeconds;
  const p = pieces(r, threshold);
  const later = p.hours.filter((h) => h.start >= r.start + 49 * HOUR);
  const from = r.start + 37 * MIN;
  const end = r.start + (RUN_HOURS - 1) * HOUR + 23 * MIN;
  const lastWhole = r.start + (RUN_HOURS - 1) * HOUR;
  const base = raw(r, from, end, threshold);
  // A classification on every third record, and a reclassification of the first.
  const classes = base.summary.records.filter((_, i) => i % 3 === 0).map((rec, i) => classify(r.line.id, rec.id, rec.station, (rec.to ?? end) + i, 'jam'));
  const first = base.summary.records[0];
  if (first) classes.push(classify(r.line.id, first.id, first.station, end + 5, 'tool'));
  const want = raw(r, from, end, threshold, classes);
  const edges = [rawStretch(r, from, r.start + HOUR), ...later.filter((h) => h.end <= lastWhole).map(pieceOf), rawStretch(r, lastWhole, end)];

  it('raw edges + a week + hours = the whole range: every record with its classification, micro-stops and uptime', () => {
    const got = combined(r, from, end, [edges[0] as StopStretch, pieceOf(p.week), ...edges.slice(1)], threshold, classes);
    expect(got.summary.records).toEqual(want.summary.records);
    expect(got.summary.micro).toEqual(want.summary.micro);
    expect(got.uptimeSeconds).toBe(want.uptime);
    expect(want.summary.records.some((x) => x.current?.source === 'person')).toBe(true);
  });

  it('and raw edges + days + hours, and raw edges + every hour', () => {
    const days = combined(r, from, end, [edges[0] as StopStretch, ...p.days.map(pieceOf), ...edges.slice(1)], threshold, classes);
    const all = combined(r, from, end, [edges[0] as StopStretch, ...p.hours.filter((h) => h.start >= r.start + HOUR && h.end <= lastWhole).map(pieceOf), edges.at(-1) as StopStretch], threshold, classes);
    for (const got of [days, all]) {
      expect(got.summary).toEqual(want.summary);
      expect(got.uptimeSeconds).toBe(want.uptime);
    }
  });

  it('stops cross the cuts: a record over the week\'s end and the maintenance from before the range, micro-stops joined across a cut', () => {
    const cut = r.start + 49 * HOUR;
    expect(want.summary.records.some((x) => x.from < cut && (x.to ?? end) > cut)).toBe(true);
    expect(want.summary.records.some((x) => x.from < from && x.state === 'maintenance')).toBe(true);
    // Unstitched, the idle over the cut would be two micro-stops, not one record.
    expect(want.summary.records.some((x) => x.from === r.idleCut - 70_000 && x.state === 'idle')).toBe(true);
    // The week keeps the blocked micro-stop over the day cut as a micro total, not a segment.
    const blocked = p.week.stations.find((s) => s.station === r.line.stations[0]?.id)?.stops?.segments.find((g) => g.start === r.start + 25 * HOUR - 30_000);
    expect(blocked).toBeUndefined();
  });

  it('a range that starts on a whole hour: pieces first, the stop running into it dated as a raw read from there dates it', () => {
    const at = r.start + 49 * HOUR;
    const whole = raw(r, at, end, threshold);
    const got = combined(r, at, end, [...later.filter((h) => h.end <= lastWhole).map(pieceOf), rawStretch(r, lastWhole, end)], threshold);
    expect(got.summary).toEqual(whole.summary);
    expect(got.uptimeSeconds).toBe(whole.uptime);
  });

  it('pieces rolled for another threshold do not give that threshold\'s records (a reader must not use them), pieces rolled for it do', () => {
    const other = 30;
    const wantOther = raw(r, from, end, other);
    const stale = combined(r, from, end, [edges[0] as StopStretch, pieceOf(p.week), ...edges.slice(1)], other);
    expect(stale.summary).not.toEqual(wantOther.summary);
    const q = pieces(r, other);
    const fresh = [rawStretch(r, from, r.start + HOUR), pieceOf(q.week), ...q.hours.filter((h) => h.start >= r.start + 49 * HOUR && h.end <= lastWhole).map(pieceOf), rawStretch(r, lastWhole, end)];
    expect(combined(r, from, end, fresh, other).summary).toEqual(wantOther.summary);
  });
});

describe('mergeStopPieces and the stored form', () => {
  const seg = (state: StateSegment['state'], start: number, end: number, planned = end - start): StateSegment & { planned: number } => ({ state, reason: null, start, end, since: start, planned });

  it('joins a stop across the cut and counts it a micro-stop once it is inside and short', () => {
    const S = 1_000;
    const a: StopPiece = { segments: [seg('fault', 500 * S, 1_000 * S)], micro: { count: 2, ms: 30 }, uptimeMs: 500 };
    const b: StopPiece = { segments: [{ ...seg('fault', 1_000 * S, 1_050 * S), since: 500 * S }, seg('idle', 1_900 * S, 2_000 * S)], micro: { count: 1, ms: 10 }, uptimeMs: 800 };
    // 550 s at a 500 s threshold: a possible record; the idle touches the end.
    expect(mergeStopPieces([a, b], 0, 2_000 * S, 500)).toEqual({ segments: [{ ...seg('fault', 500 * S, 1_050 * S), planned: 550 * S }, seg('idle', 1_900 * S, 2_000 * S)], micro: { count: 3, ms: 40 }, uptimeMs: 1_300 });
    // At 600 s, over a longer span, both are inside and short: micro-stops.
    expect(mergeStopPieces([a, b], 0, 3_000 * S, 600)).toEqual({ segments: [], micro: { count: 5, ms: 40 + 550 * S + 100 * S }, uptimeMs: 1_300 });
    expect(mergeStopPieces([a, null], 0, 2_000 * S, 500)).toBeNull();
  });

  it('round-trips, and a field it did not write reads as none', () => {
    const p: StopPiece = { segments: [{ state: 'starved', reason: 'part "A,B"', start: 1, end: 9, since: 0, planned: 8 }], micro: { count: 4, ms: 1_234 }, uptimeMs: 3_600_000 };
    expect(decodeStopPiece(encodeStopPiece(p))).toEqual(p);
    for (const bad of ['', '{', '[]', '{"u":1,"n":1,"m":1,"s":[["running",null,1,2,1,1]]}', 7, null]) expect(decodeStopPiece(bad)).toBeNull();
  });
});
