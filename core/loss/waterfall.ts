/**
 * The loss waterfall of one line over any interval: plan units (from the
 * calendar) → the units lost to each cause → good units, adding up exactly.
 * Pure; the definition is in docs/kpi.md ("Loss accounting").
 *
 * Bookkeeping is in whole thousandths of a unit (integers), so the terms add up
 * to plan − good with no rounding residue:
 *  - every planned millisecond is charged to the constraint of the moment (the
 *    shifting bottleneck, core/kpi/active-period.ts) and, by that station's
 *    state, to productive time or to a time cause (its downtime, starvation
 *    traced upstream, blocking traced downstream, no data); time becomes units
 *    at the target rate, plan = Σ time terms + productive, split by largest
 *    remainder so the thousandths add up to the plan's;
 *  - productive time × rate − units built = speed loss (the constraint's cycles
 *    over the ideal takt) + micro-stops (the part of a cycle far above the
 *    station's median) + `unexplained` (what is left: work in progress that
 *    built up or drained between the constraint and the end of the line);
 *  - units built − good units = quality loss.
 */
import { lineCalendar, plannedIntervals, type Span } from '../calendar/calendar';
import type { ProductionCalendar } from '../calendar/schema';
import type { CycleEvent, PartnerEvent, StateEvent, StationEvent, UnitEvent } from '../events';
import type { LineConfig } from '../plant';
import { intervalBottleneck, partnerFromReason, shiftingBottleneck, type PartnerOf, type ShiftingBottleneck } from '../kpi/active-period';
import { bufferChanges, drainedText } from '../kpi/buffers';
import { lineEventKey } from '../kpi/event-key';
import { percentile } from '../kpi/cycles';
import { overlapMs } from '../kpi/spans';
import { stateTimeline, type InitialState, type StateSegment, type TimelineState } from '../kpi/states';
import { taktTargetSeconds } from '../kpi/throughput';
import type { AlertMark } from '../cluster/material-risk';
import { qualityByDefect } from '../reasons/defects';
import type { LossCause, LossEpisode, LossReport, LossTerm, QualityByDefect, ShortageEpisode } from './types';

/** Tunables, with their defaults in {@link DEFAULT_LOSS_OPTIONS}. */
export interface LossOptions {
  /** Ideal seconds per unit; null: the takt target. @default null */
  idealTaktSeconds: number | null;
  /** A cycle's time above this multiple of its station's median is a micro-stop. @default 1.5 */
  microStopFactor: number;
  /** Partner-starved stretches of one station closer than this merge into one shortage episode, ms. @default 600_000 */
  shortageGapMs: number;
  /** Which partner a starved station waits for, from its reason. @default partnerFromReason */
  partnerOf: PartnerOf;
}

export const DEFAULT_LOSS_OPTIONS: LossOptions = {
  idealTaktSeconds: null,
  microStopFactor: 1.5,
  shortageGapMs: 600_000,
  partnerOf: partnerFromReason,
};

export interface LossRequest {
  line: LineConfig;
  calendar?: ProductionCalendar;
  /** The line's events; state events may begin before `from` (look-back), like computeLineKpis. */
  events: readonly StationEvent[];
  from: number;
  to: number;
  now: number;
  initialStates?: Readonly<Record<string, InitialState>>;
  /** Each partner's material-risk alert history (core/cluster/material-risk.ts alertHistory); without it, read from partner events' status. */
  alerts?: ReadonlyMap<string, readonly AlertMark[]>;
  options?: Partial<LossOptions>;
}

/** The report plus what a caller (the wall, tests) needs beside it. */
export interface LossAnalysis {
  report: LossReport;
  bottleneck: ShiftingBottleneck;
  timelines: Map<string, StateSegment[]>;
  asOf: number;
}

const MILLI = 1000;
export const MAX_EPISODES = 50;

/** Everything a waterfall is built from, split, deduplicated and sorted. */
interface LineInput {
  units: UnitEvent[];
  statesBy: Map<string, StateEvent[]>;
  cyclesBy: Map<string, CycleEvent[]>;
  partners: PartnerEvent[];
  /** Events inside the interval (any kind of this line): none means no data. */
  insideCount: number;
}

function splitEvents(req: LossRequest): LineInput {
  const stationIds = new Set(req.line.stations.map((s) => s.id));
  const keys = new Set<string>();
  const out: LineInput = { units: [], statesBy: new Map(), cyclesBy: new Map(), partners: [], insideCount: 0 };
  const seen = (ts: number) => ts < req.to && ts <= req.now;
  const inside = (ts: number) => ts >= req.from && seen(ts);
  for (const e of [...req.events].sort((a, b) => a.ts - b.ts)) {
    if (e.type === 'partner') {
      if (seen(e.ts)) out.partners.push(e);
      continue;
    }
    if (!('line' in e) || e.line !== req.line.id || !seen(e.ts)) continue;
    const key = lineEventKey(e);
    if (key === null || keys.has(key)) continue;
    keys.add(key);
    if (e.type === 'unit') {
      if (inside(e.ts)) {
        out.units.push(e);
        out.insideCount += 1;
      }
    } else if (e.type === 'state' && stationIds.has(e.station)) {
      push(out.statesBy, e.station, e);
      if (inside(e.ts)) out.insideCount += 1;
    } else if (e.type === 'cycle' && stationIds.has(e.station) && inside(e.ts)) {
      push(out.cyclesBy, e.station, e);
      out.insideCount += 1;
    }
  }
  return out;
}

/**
 * The stations' timelines over `[from, asOf)` from a line's state events
 * (states may begin before `from`; other events are ignored), deduplicated
 * and sorted as {@link computeLosses} does, and how many state events fall
 * inside: what a long read charges the time of the whole range from.
 */
export function lossTimelines(req: Pick<LossRequest, 'line' | 'events' | 'from' | 'to' | 'now' | 'initialStates'>): { timelines: Map<string, StateSegment[]>; inside: number; asOf: number } {
  const to = Math.max(req.to, req.from);
  const asOf = Math.min(Math.max(req.now, req.from), to);
  const input = splitEvents({ ...req, events: req.events.filter((e) => e.type === 'state') });
  const timelines = new Map<string, StateSegment[]>();
  for (const s of req.line.stations) timelines.set(s.id, stateTimeline(input.statesBy.get(s.id) ?? [], req.from, asOf, req.initialStates?.[s.id]));
  return { timelines, inside: input.insideCount, asOf };
}

/** A key for a cause, stable across runs. */
export function causeKey(c: LossCause): string {
  return JSON.stringify([c.kind, c.station ?? '', c.partner ?? '', c.state ?? '', c.reason ?? '']);
}

/** One station's state at one instant, read through a forward-only cursor. */
class Cursor {
  private i = 0;
  constructor(private readonly segments: readonly StateSegment[]) {}
  at(t: number): StateSegment | undefined {
    while (this.i < this.segments.length && (this.segments[this.i] as StateSegment).end <= t) this.i += 1;
    const s = this.segments[this.i];
    return s && s.start <= t ? s : undefined;
  }
}


/** The loss waterfall of `req.line` over `[from, to)` as of `now`. */
export function computeLosses(req: LossRequest): LossAnalysis {
  const options: LossOptions = { ...DEFAULT_LOSS_OPTIONS, ...req.options };
  const cal = req.calendar ?? lineCalendar(req.line);
  const from = req.from;
  const to = Math.max(req.to, from);
  const asOf = Math.min(Math.max(req.now, from), to);
  const input = splitEvents(req);
  const planned: Span[] = plannedIntervals(cal, from, asOf);
  const idealTakt = options.idealTaktSeconds ?? taktTargetSeconds(req.line.targetPerHour);
  const stationIds = req.line.stations.map((s) => s.id);

  const timelines = new Map<string, StateSegment[]>();
  for (const id of stationIds) timelines.set(id, stateTimeline(input.statesBy.get(id) ?? [], from, asOf, req.initialStates?.[id]));
  const bottleneck = shiftingBottleneck(timelines, planned, options.partnerOf);
  // Data: any event inside, or a station state known from before the interval (look-back or initial states).
  const hasData = input.insideCount > 0 || [...timelines.values()].some((tl) => tl.some((seg) => seg.state !== 'unknown'));

  // 1. Every planned millisecond to the interval's constraint and its cause.
  const constraint = intervalConstraint(req.line, bottleneck);
  const time = chargeTime({ stationIds, timelines, planned, stretches: bottleneck.stretches, from, asOf, idealTakt, partnerOf: options.partnerOf }, constraint);

  // 2. Speed and micro-stops from the constraint's own cycles while it was the productive constraint.
  let speedSeconds = 0;
  let microSeconds = 0;
  if (constraint !== null) {
    const cycles = input.cyclesBy.get(constraint) ?? [];
    const cap = microStopCap(cycles.map((c) => c.cycleTime).sort((x, y) => x - y), idealTakt, options.microStopFactor);
    for (const c of productiveCycles(cycles, time.productive)) {
      speedSeconds += Math.max(0, Math.min(c.cycleTime, cap) - idealTakt);
      microSeconds += Math.max(0, c.cycleTime - cap);
    }
  }

  const report = assembleLosses({
    line: req.line,
    range: { from, to, label: 'custom' },
    planned,
    asOf,
    idealTakt,
    hasData,
    time,
    constraint,
    speedSeconds,
    microSeconds,
    units: input.units.length,
    goodUnits: input.units.filter((u) => u.result !== 'nok').length,
    qualityByDefect: qualityByDefect(input.units, input.cyclesBy.values()),
    cyclesOf: (st) => input.cyclesBy.get(st)?.length ?? 0,
    bottleneck,
    timelines,
    partnerEvents: input.partners,
    ...(req.alerts ? { alerts: req.alerts } : {}),
    options,
  });
  return { report, bottleneck, timelines, asOf };
}

/** What charging every planned millisecond needs: the stations' timelines over `[from, asOf)` and the momentary bottleneck. */
export interface ChargeInput {
  /** Stations in flow order. */
  stationIds: readonly string[];
  timelines: ReadonlyMap<string, readonly StateSegment[]>;
  planned: readonly Span[];
  /** The momentary bottleneck's stretches, which only name the episodes (an empty list: episodes without it). */
  stretches: ShiftingBottleneck['stretches'];
  from: number;
  asOf: number;
  /** Ideal seconds per unit. */
  idealTakt: number;
  partnerOf: PartnerOf;
}

/** Time charged to one cause, ms, and the stretches behind it. */
export interface TimeCharge {
  cause: LossCause;
  ms: number;
  episodes: LossEpisode[];
}

/** Every planned millisecond charged at one constraint: to a cause, or productive. */
export interface TimeCharges {
  /** By cause key, in the order the causes first occurred. */
  charges: Map<string, TimeCharge>;
  /** Planned ms the constraint was productive (working, or waiting on the pace of the flow), as spans (for its cycles). */
  productive: Span[];
  productiveMs: number;
}

/**
 * Charges every planned millisecond of `[from, asOf)` at `constraint` (null:
 * no stations, all no data). Local in time: the cause at instant t depends on
 * the stations' segments at t only (an idle segment's whole length decides
 * whether it is the pace of the flow, so an hour cut out of a longer timeline
 * is not charged the same at its edges: a long read charges the whole
 * range's timelines, collector/history/long-range.ts).
 */
export function chargeTime(input: ChargeInput, constraint: string | null): TimeCharges {
  const { stationIds, timelines, planned, stretches, from, asOf, partnerOf } = input;
  const index = new Map(stationIds.map((s, i) => [s, i]));
  const cursors = new Map(stationIds.map((s) => [s, new Cursor(timelines.get(s) ?? [])]));
  const stateAt = (station: string, t: number) => cursors.get(station)?.at(t);
  const charges = new Map<string, TimeCharge>();
  const productive: Span[] = [];
  let productiveMs = 0;
  const points = new Set<number>();
  for (const p of planned) points.add(p.start).add(p.end);
  for (const s of stretches) points.add(s.from).add(s.to);
  for (const tl of timelines.values()) for (const s of tl) points.add(s.start);
  // An idle stretch up to one ideal takt long is the pace of the flow (a paced first station waits for its launch slot); a longer one is a loss.
  const paceMs = input.idealTakt * 1000;
  const sorted = [...points].filter((t) => t >= from && t <= asOf).sort((a, b) => a - b);
  let plannedAt = 0;
  let stretch = 0;
  for (let k = 0; k + 1 < sorted.length; k += 1) {
    const a = sorted[k] as number;
    const b = sorted[k + 1] as number;
    while (plannedAt < planned.length && (planned[plannedAt] as Span).end <= a) plannedAt += 1;
    const p = planned[plannedAt];
    if (!p || p.start > a) continue;
    const cause = constraint === null ? { kind: 'no_data' as const } : chargeAt(constraint, a);
    // The episode names the momentary bottleneck (the chart's), which may differ from the station the loss is counted at.
    while (stretch < stretches.length && (stretches[stretch] as { to: number }).to <= a) stretch += 1;
    const st = stretches[stretch];
    const momentary = st && st.from <= a ? st.period.station : null;
    const ms = b - a;
    if (cause === null) {
      productiveMs += ms;
      const last = productive.at(-1);
      if (last && last.end === a) last.end = b;
      else productive.push({ start: a, end: b });
      continue;
    }
    const key = causeKey(cause);
    const entry = charges.get(key) ?? { cause, ms: 0, episodes: [] };
    entry.ms += ms;
    const last = entry.episodes.at(-1);
    if (last && last.to === a && last.constraint === momentary) {
      last.to = b;
      // From its edges, not summed part by part: the same float however the episode was cut (core/loss/loss-pieces.ts merges stored parts).
      last.seconds = (b - last.from) / 1000;
    } else {
      entry.episodes.push({ from: a, to: b, constraint: momentary, units: 0, seconds: ms / 1000 });
    }
    charges.set(key, entry);
  }
  return { charges, productive, productiveMs };

  /** An idle stretch longer than one ideal takt: not the pace of a paced launch but a loss. */
  function idleTooLong(seg: StateSegment | undefined): boolean {
    return seg !== undefined && seg.end - (seg.since ?? seg.start) > paceMs;
  }

  /** What the constraint lost at `t`, or null while it was productive. */
  function chargeAt(station: string, t: number): LossCause | null {
    const seg = stateAt(station, t);
    const state: TimelineState = seg?.state ?? 'unknown';
    const reason = seg?.reason ?? null;
    switch (state) {
      case 'running':
        return null;
      case 'idle':
        return idleTooLong(seg) ? withReason({ kind: 'starved', station, state }, reason) : null;
      case 'unknown':
        return { kind: 'no_data', station };
      case 'fault':
      case 'maintenance':
      case 'offline':
        return withReason({ kind: 'downtime', station, state }, reason);
      case 'starved': {
        const partner = partnerOf(station, reason);
        if (partner !== null) return withReason({ kind: 'starved', station, partner, state }, reason);
        return trace('starved', station, -1, t);
      }
      case 'blocked':
        return trace('blocked', station, +1, t);
    }
  }

  /**
   * Follows a starvation upstream (step −1) or a blocking downstream (+1) to
   * the first station not waiting the same way. An origin that works (or a
   * first station idle for its launch slot) is the pace of the flow, not a
   * loss: null. The cause names a station that is down, out of a partner's
   * parts, or without data.
   */
  function trace(kind: 'starved' | 'blocked', from: string, step: -1 | 1, t: number): LossCause | null {
    let i = (index.get(from) ?? 0) + step;
    let origin = from;
    let seg: StateSegment | undefined;
    for (; i >= 0 && i < stationIds.length; i += step) {
      origin = stationIds[i] as string;
      seg = stateAt(origin, t);
      const waitsOn = seg?.state === kind && !(kind === 'starved' && partnerOf(origin, seg.reason) !== null);
      if (!waitsOn) break;
    }
    if (seg === undefined || i < 0 || i >= stationIds.length) return { kind, station: origin, state: kind };
    if (seg.state === 'idle' && idleTooLong(seg)) return withReason({ kind, station: origin, state: seg.state }, seg.reason);
    if (seg.state === 'running' || seg.state === 'idle' || seg.state === 'starved' || seg.state === 'blocked') {
      const partner = seg.state === 'starved' ? partnerOf(origin, seg.reason) : null;
      if (partner === null) return null;
      // A blocking traced to a station out of a partner's parts is that partner's shortage, as a starvation is.
      return withReason({ kind: 'starved', station: origin, partner, state: seg.state }, seg.reason);
    }
    if (seg.state === 'unknown') return { kind: 'no_data', station: origin };
    return withReason({ kind, station: origin, state: seg.state }, seg.reason);
  }
}

/** Above this cycle time (seconds) a cycle's excess is a micro-stop: `factor` × the station's median, at least the ideal takt. */
export function microStopCap(sortedTimes: readonly number[], idealTakt: number, factor: number): number {
  return Math.max(idealTakt, (percentile(sortedTimes, 50) ?? idealTakt) * factor);
}

/** The cycles (ascending `ts`) completed inside `spans` (ascending, not overlapping). */
export function productiveCycles(cycles: readonly CycleEvent[], spans: readonly Span[]): CycleEvent[] {
  const out: CycleEvent[] = [];
  let j = 0;
  for (const c of cycles) {
    while (j < spans.length && (spans[j] as Span).end <= c.ts) j += 1;
    const sp = spans[j];
    if (sp && sp.start <= c.ts) out.push(c);
  }
  return out;
}

/** Everything a waterfall is assembled from, whether read raw (computeLosses) or from rollups (collector/history/long-range.ts). */
export interface LossParts {
  line: LineConfig;
  range: LossReport['range'];
  planned: readonly Span[];
  asOf: number;
  /** Ideal seconds per unit. */
  idealTakt: number;
  /** Any event inside the interval, or a state known from before it. */
  hasData: boolean;
  time: TimeCharges;
  constraint: string | null;
  /** The constraint's productive cycles' time over the ideal takt up to the micro-stop cap, and beyond it, seconds. */
  speedSeconds: number;
  microSeconds: number;
  units: number;
  goodUnits: number;
  qualityByDefect: QualityByDefect[];
  /** Cycles per station inside the interval (the why of a negative unexplained term). */
  cyclesOf: (station: string) => number;
  /** The shares and the timeline (a long read's by hour or day: `resolution`). */
  bottleneck: Pick<ShiftingBottleneck, 'stations' | 'timeline'> & { resolution?: 'hour' | 'day' };
  timelines: ReadonlyMap<string, readonly StateSegment[]>;
  partnerEvents: readonly PartnerEvent[];
  alerts?: ReadonlyMap<string, readonly AlertMark[]>;
  options: LossOptions;
}

/** The report from its parts: time in thousandths of a unit by largest remainder, then speed, micro-stops, quality and the remainder. */
export function assembleLosses(parts: LossParts): LossReport {
  const { planned, idealTakt, time, bottleneck } = parts;
  const plannedMs = planned.reduce((s, p) => s + (p.end - p.start), 0);
  /** Thousandths of a unit per planned millisecond at the ideal rate. */
  const milliPerMs = MILLI / (idealTakt * 1000);
  const planMilli = Math.round(plannedMs * milliPerMs);
  const stationIds = parts.line.stations.map((s) => s.id);
  if (!parts.hasData) {
    return {
      status: 'no_data',
      line: parts.line.id,
      range: parts.range,
      planUnits: planMilli / MILLI,
      goodUnits: 0,
      losses: planMilli > 0 ? [{ cause: { kind: 'no_data' }, units: planMilli / MILLI, seconds: plannedMs / 1000, episodes: [] }] : [],
      bottleneck: { stations: bottleneck.stations, timeline: [], ...(bottleneck.resolution ? { resolution: bottleneck.resolution } : {}) },
      shortages: [],
    };
  }

  // Time terms in thousandths, adding up with productive time to the plan (largest remainder).
  const timeEntries = [...time.charges.values()];
  const raw = [...timeEntries.map((e) => e.ms * milliPerMs), time.productiveMs * milliPerMs];
  const milli = largestRemainder(raw, planMilli);
  const productiveMilli = milli.at(-1) ?? 0;
  const speedMilli = Math.round(parts.speedSeconds * 1000 * milliPerMs);
  const microMilli = Math.round(parts.microSeconds * 1000 * milliPerMs);
  const unexplainedMilli = productiveMilli - parts.units * MILLI - speedMilli - microMilli;

  const losses: LossTerm[] = timeEntries.map((e, i) => ({
    cause: e.cause,
    units: (milli[i] ?? 0) / MILLI,
    seconds: e.ms / 1000,
    episodes: topEpisodes(e.episodes, milliPerMs),
  }));
  if (parts.constraint !== null) {
    if (parts.speedSeconds > 0) losses.push({ cause: { kind: 'speed', station: parts.constraint }, units: speedMilli / MILLI, seconds: parts.speedSeconds, episodes: [] });
    if (parts.microSeconds > 0) losses.push({ cause: { kind: 'microstop', station: parts.constraint }, units: microMilli / MILLI, seconds: parts.microSeconds, episodes: [] });
  }
  if (parts.units > parts.goodUnits) losses.push({ cause: { kind: 'quality' }, units: parts.units - parts.goodUnits, seconds: 0, episodes: [] });
  if (unexplainedMilli !== 0) {
    const drained = drainedText(bufferChanges(stationIds, parts.cyclesOf), parts.constraint);
    losses.push({ cause: { kind: 'unexplained' }, units: unexplainedMilli / MILLI, seconds: 0, episodes: [], why: unexplainedWhy(unexplainedMilli, drained) });
  }
  const sortedLosses = losses.filter((l) => l.units !== 0).sort((x, y) => y.units - x.units || causeKey(x.cause).localeCompare(causeKey(y.cause)));
  return {
    status: 'ok',
    line: parts.line.id,
    range: parts.range,
    planUnits: planMilli / MILLI,
    goodUnits: parts.goodUnits,
    losses: sortedLosses,
    bottleneck: { stations: bottleneck.stations, timeline: bottleneck.timeline, ...(bottleneck.resolution ? { resolution: bottleneck.resolution } : {}) },
    shortages: shortageEpisodes(parts.timelines, planned, parts.partnerEvents, parts.alerts, parts.options, parts.asOf, time.charges, milliPerMs),
    qualityByDefect: parts.qualityByDefect,
  };
}

/**
 * The station the interval's losses are counted at: the line's configured
 * constraint, else the interval's bottleneck ({@link intervalBottleneck}: the
 * largest share as sole or shifting bottleneck, Roser), else the first
 * station; null without stations. A stop elsewhere costs output only as far as it stops this
 * station: a breakdown the buffers absorb is no loss (docs/kpi.md).
 */
export function intervalConstraint(line: LineConfig, bottleneck: Pick<ShiftingBottleneck, 'stations'>): string | null {
  const configured = line.constraintStation;
  if (configured !== undefined && line.stations.some((s) => s.id === configured)) return configured;
  return intervalBottleneck(bottleneck) ?? line.stations[0]?.id ?? null;
}

/** The report only. */
export function lossReport(req: LossRequest): LossReport {
  return computeLosses(req).report;
}

/** Why an unexplained term reads as it does (also for a waterfall added up from pieces, core/kpi/loss-rollup.ts). */
export function unexplainedWhy(milli: number, drained: { zh: string; en: string } | null): { zh: string; en: string } {
  if (milli < 0) {
    const which = drained ? { zh: `（排空的缓冲：${drained.zh}）`, en: ` (buffers that drained: ${drained.en})` } : { zh: '', en: '' };
    return {
      zh: `下线数量多于瓶颈有效时间按理想节拍所能产出的数量：瓶颈之后的缓冲区在消化此前积压的在制品${which.zh}（或节拍快于理想节拍）。`,
      en: `More units left the line than the constraint's productive time allows at the ideal takt: buffers after the constraint drained work in progress built earlier${which.en} (or cycles beat the ideal takt).`,
    };
  }
  return {
    zh: '瓶颈有效时间按理想节拍应产出、却未下线的数量：在制品在瓶颈之后积压，或本方法看不到的损失。',
    en: "Units the constraint's productive time should have given at the ideal takt that did not leave the line: work in progress building up after the constraint, or losses this method cannot see.",
  };
}

/**
 * Integers that add up to `total`, each the floor of its `raw` share plus one
 * for the largest fractional parts (Hamilton's method). `raw` is scaled to sum
 * to `total` first when it does not already.
 */
export function largestRemainder(raw: readonly number[], total: number): number[] {
  if (raw.length === 0) return [];
  const sum = raw.reduce((s, x) => s + x, 0);
  // Without any weight the whole total goes to the last entry (the caller puts its catch-all there).
  if (!(sum > 0)) return raw.map((_, i) => (i === raw.length - 1 ? total : 0));
  const scaled = raw.map((x) => (x * total) / sum);
  const floors = scaled.map((x) => Math.floor(x));
  const left = total - floors.reduce((s, x) => s + x, 0);
  const order = scaled.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; k < left; k += 1) {
    const at = (order[k % order.length] as { i: number }).i;
    floors[at] = (floors[at] as number) + 1;
  }
  return floors;
}

export function topEpisodes(episodes: readonly LossEpisode[], milliPerMs: number): LossEpisode[] {
  return [...episodes]
    .map((e) => ({ ...e, units: Math.round((e.to - e.from) * milliPerMs) / MILLI }))
    .sort((a, b) => b.seconds - a.seconds || a.from - b.from)
    .slice(0, MAX_EPISODES);
}

/** Partner-starved stretches of each station, merged across short gaps, with the alert before and the units charged to the partner. */
function shortageEpisodes(
  timelines: ReadonlyMap<string, readonly StateSegment[]>,
  planned: readonly Span[],
  partnerEvents: readonly PartnerEvent[],
  alerts: ReadonlyMap<string, readonly AlertMark[]> | undefined,
  options: LossOptions,
  asOf: number,
  charges: ReadonlyMap<string, { cause: LossCause; episodes: LossEpisode[] }>,
  milliPerMs: number,
): ShortageEpisode[] {
  const out: (ShortageEpisode & { lastEnd: number })[] = [];
  for (const [station, timeline] of timelines) {
    for (const s of timeline) {
      if (s.state !== 'starved') continue;
      const partner = options.partnerOf(station, s.reason);
      if (partner === null) continue;
      // A break or a night between two starved stretches does not end the shortage: the gap counts in planned time.
      const open = out.find(
        (e) => e.partner === partner && e.station === station && overlapMs(planned, e.lastEnd, s.start) <= options.shortageGapMs,
      );
      if (open) {
        open.lastEnd = s.end;
        continue;
      }
      out.push({ partner, station, alertAt: null, starvedFrom: s.since ?? s.start, supplyBackAt: null, unitsLost: 0, lastEnd: s.end });
    }
  }
  return out
    .sort((a, b) => a.starvedFrom - b.starvedFrom)
    .map(({ lastEnd, ...e }) => {
      // A stretch that ends at a break or at the end of the shift is not supply back: that is the first planned instant the station is no longer short.
      const back = firstPlannedAt(planned, lastEnd);
      const supplyBackAt = back === null || back >= asOf ? null : back;
      let ms = 0;
      for (const c of charges.values()) {
        if (c.cause.partner !== e.partner) continue;
        for (const ep of c.episodes) ms += Math.max(0, Math.min(ep.to, lastEnd) - Math.max(ep.from, e.starvedFrom));
      }
      return { ...e, supplyBackAt, alertAt: alertBefore(e.partner, e.starvedFrom, partnerEvents, alerts), unitsLost: Math.round(ms * milliPerMs) / MILLI };
    });
}

/** The first planned instant at or after `t`, or null when no planned time follows. */
function firstPlannedAt(planned: readonly Span[], t: number): number | null {
  for (const p of planned) {
    if (p.end <= t) continue;
    return Math.max(p.start, t);
  }
  return null;
}

/**
 * When the alert behind a shortage was raised: the first report of the run of
 * alerting reports that leads up to the starvation — by the material-risk
 * rules when the caller gives the alert history, else by status (any
 * non-`ok` report alerts). Null when no report before the starvation alerted.
 */
function alertBefore(
  partner: string,
  starvedFrom: number,
  events: readonly PartnerEvent[],
  alerts: ReadonlyMap<string, readonly AlertMark[]> | undefined,
): number | null {
  const marks = alerts?.get(partner) ?? events.filter((e) => e.partner === partner).map((e) => ({ ts: e.ts, alerting: e.status !== 'ok' }));
  let at: number | null = null;
  for (const m of marks) {
    if (m.ts > starvedFrom) break;
    if (!m.alerting) at = null;
    else if (at === null) at = m.ts;
  }
  return at;
}

function withReason(cause: LossCause, reason: string | null): LossCause {
  if (reason !== null && reason !== '') cause.reason = reason;
  return cause;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
