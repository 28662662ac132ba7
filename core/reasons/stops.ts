/**
 * Stop records (docs/reasons.md): every stop of a station — `fault`,
 * `maintenance`, `starved`, `blocked`, and `idle` — with at least
 * `thresholdSeconds` of planned time is a record; shorter ones are counted as
 * micro-stops. A station-sent reason that is a code of the tree classifies
 * the record; loss accounting's inference (starved for a partner's parts)
 * pre-fills its category. People's `stop_reason` events classify it; the
 * newest decides, the older ones stay as its history. Pure.
 */
import type { ShiftInstance, Span } from '../calendar/calendar';
import type { StopReasonEvent } from '../events';
import type { PartnerOf } from '../kpi/active-period';
import { overlapMs } from '../kpi/spans';
import type { StateSegment } from '../kpi/states';
import type { DefectCode, ReasonCategory, ReasonsConfig, StopReason } from './config';
import { reasonReliability, trendGrain, unclassifiedTrend, type ReasonReliability, type TrendGrain, type UnclassifiedPoint } from './reliability';

export const STOP_STATES = ['fault', 'maintenance', 'starved', 'blocked', 'idle'] as const;
export type StopState = (typeof STOP_STATES)[number];

/** One part of a classification: a reason over [from, to). */
export interface ReasonPart {
  from: number;
  to: number;
  reason: string;
  category: string;
}

export interface Classification {
  /** `person`: a stop_reason event; `station`: the station sent a code of the tree. */
  source: 'person' | 'station';
  parts: ReasonPart[];
  /** The event behind it (source person). */
  event?: string;
  by?: { id: string; name: string; role: string };
  at?: number;
}

export interface StopRecord {
  /** `<station>.<start in base 36>`: stable, the same however often it is computed. */
  id: string;
  line: string;
  station: string;
  state: StopState;
  /** epoch ms; `to` is null while the stop goes on. */
  from: number;
  to: number | null;
  /** Planned seconds of the stop inside the interval asked for. */
  seconds: number;
  /** What the station sent with the state, if anything. */
  stationReason: string | null;
  /** What loss accounting infers: the category (and the partner) of a starvation for parts. */
  inferred: { category: string; partner?: string } | null;
  /** The classification in force, null while unclassified. */
  current: Classification | null;
  /** Every person's classification, oldest first. */
  history: StopReasonEvent[];
}

export interface StopSummary {
  records: StopRecord[];
  micro: { count: number; seconds: number };
}

export const isStop = (s: string): s is StopState => (STOP_STATES as readonly string[]).includes(s);

export function stopId(station: string, start: number): string {
  return `${station}.${start.toString(36)}`;
}

/** Planned ms of `[from, to)`: `planned` is ascending and non-overlapping (core's plannedIntervals), so a year of it is searched, not scanned per stop. */
function plannedOverlap(planned: readonly Span[], from: number, to: number): number {
  return overlapMs(planned, from, to);
}

export interface StopRecordsInput {
  line: string;
  timelines: ReadonlyMap<string, readonly StateSegment[]>;
  planned: readonly Span[];
  tree: ReasonsConfig;
  /** The end of the timelines: a stop reaching it goes on. */
  asOf: number;
  partnerOf: PartnerOf;
  /** Classification events of the line (any order). */
  classifications?: readonly StopReasonEvent[];
}

/** The stop records and micro-stops of each station's timeline. */
export function stopRecords(input: StopRecordsInput): StopSummary {
  const stations = new Map<string, StationStops>();
  for (const [station, timeline] of input.timelines) stations.set(station, { segments: timeline, from: timeline[0]?.start ?? null });
  return stopSummaryOf({ ...input, stations });
}

/** One station's stop-state segments in time order (other segments may be there too: they are skipped), and where its time begins. */
export interface StationStops {
  segments: readonly StateSegment[];
  /** The start of the station's time (a stop begun before it counts from here); null: no time. */
  from: number | null;
}

export interface StopSummaryInput extends Omit<StopRecordsInput, 'timelines'> {
  stations: ReadonlyMap<string, StationStops>;
  /** Micro-stops counted already (closed hours' summaries, core/reasons/stop-rollup.ts): planned ms. */
  micro?: { count: number; ms: number };
}

/**
 * {@link stopRecords} over each station's stop segments (a whole timeline,
 * or the closed pieces' segments stitched with the raw edges), plus
 * micro-stops already counted.
 */
export function stopSummaryOf(input: StopSummaryInput): StopSummary {
  const byStop = new Map<string, StopReasonEvent[]>();
  for (const e of [...(input.classifications ?? [])].sort((a, b) => a.ts - b.ts || a.id.localeCompare(b.id))) {
    const list = byStop.get(e.stop);
    if (list) list.push(e);
    else byStop.set(e.stop, [e]);
  }
  const codes = new Map(input.tree.reasons.map((r) => [r.code, r]));
  const records: StopRecord[] = [];
  // Planned ms summed as integers, seconds once at the end: the same figure however the stops are grouped.
  let microCount = input.micro?.count ?? 0;
  let microMs = input.micro?.ms ?? 0;
  for (const [station, { segments, from }] of input.stations) {
    // Adjacent segments of one state event are one stop.
    const stops: { state: StopState; start: number; end: number; reason: string | null }[] = [];
    for (const seg of segments) {
      if (!isStop(seg.state)) continue;
      const start = seg.since ?? seg.start;
      const last = stops.at(-1);
      if (last && last.state === seg.state && last.end === seg.start && last.start === start) last.end = seg.end;
      else stops.push({ state: seg.state, start, end: seg.end, reason: seg.reason });
    }
    for (const s of stops) {
      const ms = plannedOverlap(input.planned, Math.max(s.start, from ?? s.start), s.end);
      if (ms <= 0) continue;
      if (ms < input.tree.thresholdSeconds * 1000) {
        microCount += 1;
        microMs += ms;
        continue;
      }
      const id = stopId(station, s.start);
      const to = s.end >= input.asOf ? null : s.end;
      const partner = s.state === 'starved' ? input.partnerOf(station, s.reason) : null;
      const sent = s.reason !== null ? codes.get(s.reason) : undefined;
      const history = byStop.get(id) ?? [];
      const newest = history.at(-1);
      let current: Classification | null = null;
      if (newest) current = classificationOf(newest, s.start, to ?? input.asOf);
      else if (sent) current = { source: 'station', parts: [{ from: s.start, to: to ?? input.asOf, reason: sent.code, category: sent.category }] };
      records.push({
        id,
        line: input.line,
        station,
        state: s.state,
        from: s.start,
        to,
        seconds: ms / 1000,
        stationReason: s.reason,
        inferred: partner !== null ? { category: 'material', partner } : null,
        current,
        history,
      });
    }
  }
  records.sort((a, b) => a.from - b.from || a.station.localeCompare(b.station));
  return { records, micro: { count: microCount, seconds: microMs / 1000 } };
}

/** The parts a classification event gives a stop over [from, to). */
export function classificationOf(e: StopReasonEvent, from: number, to: number): Classification {
  const by = { id: e.actorId, name: e.actorName, role: e.role };
  if (e.splitAt !== undefined && e.reason2 !== undefined && e.category2 !== undefined) {
    return {
      source: 'person',
      event: e.id,
      by,
      at: e.ts,
      parts: [
        { from, to: e.splitAt, reason: e.reason, category: e.category },
        { from: e.splitAt, to, reason: e.reason2, category: e.category2 },
      ],
    };
  }
  return { source: 'person', event: e.id, by, at: e.ts, parts: [{ from, to, reason: e.reason, category: e.category }] };
}

/** Share (0–1) of stop-record seconds without a classification; null when there are no records (no data, never 0 %). */
export function unclassifiedShare(records: readonly StopRecord[]): number | null {
  const total = records.reduce((s, r) => s + r.seconds, 0);
  if (!(total > 0)) return null;
  return records.filter((r) => r.current === null).reduce((s, r) => s + r.seconds, 0) / total;
}

export interface ReasonTotal {
  reason: string | null;
  category: string | null;
  seconds: number;
  stops: number;
}

/**
 * Planned seconds by classified reason and by category, largest first; the
 * unclassified under `reason: null` (by category: the inferred category, else null).
 */
export function reasonTotals(records: readonly StopRecord[], planned: readonly Span[]): { byReason: ReasonTotal[]; byCategory: ReasonTotal[] } {
  const byReason = new Map<string, ReasonTotal>();
  const byCategory = new Map<string, ReasonTotal>();
  const add = (map: Map<string, ReasonTotal>, key: string, reason: string | null, category: string | null, seconds: number) => {
    const t = map.get(key) ?? { reason, category, seconds: 0, stops: 0 };
    t.seconds += seconds;
    t.stops += 1;
    map.set(key, t);
  };
  for (const r of records) {
    if (r.current === null) {
      const cat = r.inferred?.category ?? null;
      add(byReason, '\u0000', null, null, r.seconds);
      add(byCategory, cat ?? '\u0000', null, cat, r.seconds);
      continue;
    }
    for (const p of r.current.parts) {
      const s = plannedOverlap(planned, p.from, p.to) / 1000;
      add(byReason, p.reason, p.reason, p.category, s);
      add(byCategory, p.category, null, p.category, s);
    }
  }
  const sort = (m: Map<string, ReasonTotal>) => [...m.values()].sort((a, b) => b.seconds - a.seconds || String(a.reason ?? a.category).localeCompare(String(b.reason ?? b.category)));
  return { byReason: sort(byReason), byCategory: sort(byCategory) };
}

/** What the Pareto, the loss report and /api/v1/kpi carry of stop reasons (`reasons`). */
export interface StopReasonsPart {
  /** Share (0–1) of stop-record time without a classification; null: no stop records. */
  unclassifiedShare: number | null;
  records: number;
  unclassified: number;
  micro: { count: number; seconds: number };
  byReason: ReasonTotal[];
  byCategory: ReasonTotal[];
  /** MTBF (over the stations' uptime, seconds) and MTTR by classified reason and by category (core/reasons/reliability.ts). */
  reliability: { uptimeSeconds: number; byReason: ReasonReliability[]; byCategory: ReasonReliability[] };
  /** The unclassified share per shift (up to two days) or production day, by the bucket a stop began in. */
  trend: { grain: TrendGrain; points: UnclassifiedPoint[] };
  /** The plant's categories, reasons and defect codes with their labels, for a screen to name the codes (the collector adds them). */
  labels?: { categories: ReasonCategory[]; reasons: StopReason[]; defects: DefectCode[] };
}

/**
 * The part above from a summary; `shifts`: the shifts overlapping the
 * interval (the trend's buckets); `uptime`: the stations' uptime, seconds
 * (MTBF's numerator, {@link uptimeSeconds}).
 */
export function stopReasonsPart(summary: StopSummary, planned: readonly Span[], shifts: readonly ShiftInstance[] = [], range?: { from: number; to: number }, uptime = 0): StopReasonsPart {
  const totals = reasonTotals(summary.records, planned);
  const grain = range ? trendGrain(range.from, range.to) : 'shift';
  return {
    unclassifiedShare: unclassifiedShare(summary.records),
    records: summary.records.length,
    unclassified: summary.records.filter((r) => r.current === null).length,
    micro: summary.micro,
    ...totals,
    reliability: { uptimeSeconds: uptime, byReason: reasonReliability(totals.byReason, uptime), byCategory: reasonReliability(totals.byCategory, uptime) },
    trend: { grain, points: unclassifiedTrend(summary.records, shifts, grain) },
  };
}
