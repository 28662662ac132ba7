/**
 * What the closed hours' and days' summaries keep for a long range's loss
 * waterfall (collector/history/long-range.ts `longLosses`), which charges
 * the range's time from its raw state timelines at the interval's
 * constraint (core/loss/waterfall.ts `chargeTime`, the raw path's own code)
 * and takes the rest from here:
 *  - per line ({@link PieceLosses}): planned time, units, good units and
 *    quality by defect, which add up across pieces exactly;
 *  - per station ({@link ConstraintCycles}): its cycles that completed while
 *    it was productive were it the constraint, so whichever station the
 *    range's constraint turns out to be, speed and micro-stops are its own,
 *    as in the raw waterfall, not each hour's own constraint's.
 */
import type { CycleEvent, StateEvent, StationEvent, UnitEvent } from '../events';
import type { LineConfig } from '../plant';
import { lineCalendar, plannedIntervals } from '../calendar/calendar';
import { chargeTime, DEFAULT_LOSS_OPTIONS, productiveCycles } from '../loss/waterfall';
import type { QualityByDefect } from '../loss/types';
import { qualityByDefect } from '../reasons/defects';
import { lineEventKey } from './event-key';
import { CYCLE_BUCKET_SECONDS, CYCLE_PERCENTILE_ERROR_SECONDS, decodeBuckets, encodeBuckets, summaryPercentile, type CycleSummary } from './hour-summary';
import { stateTimeline, type InitialState } from './states';
import { taktTargetSeconds } from './throughput';

/** One piece's (an hour's, a day's) line-level part of the waterfall. */
export interface PieceLosses {
  /** Planned milliseconds of the piece. */
  plannedMs: number;
  /** Whether the piece had any data: an event inside, or a station state known from before it. */
  hasData: boolean;
  units: number;
  goodUnits: number;
  qualityByDefect: QualityByDefect[];
  /** Cycles per configured station (the why of a negative unexplained term), so a long read needs no station rows for them. */
  cycles: [string, number][];
}

/** The line-level part of the piece `[from, to)` as of `now` from its events (states may begin before `from`). */
export function lossesOfPiece(req: {
  line: LineConfig;
  events: readonly StationEvent[];
  initialStates?: Readonly<Record<string, InitialState>>;
  from: number;
  to: number;
  now: number;
}): PieceLosses {
  const asOf = Math.min(Math.max(req.now, req.from), req.to);
  const plannedMs = plannedIntervals(lineCalendar(req.line), req.from, asOf).reduce((s, p) => s + (p.end - p.start), 0);
  const stations = new Set(req.line.stations.map((s) => s.id));
  const keys = new Set<string>();
  const units: UnitEvent[] = [];
  const cycles: CycleEvent[] = [];
  let inside = 0;
  for (const e of req.events) {
    if (!('line' in e) || e.line !== req.line.id || e.ts < req.from || e.ts >= req.to || e.ts > req.now) continue;
    const key = lineEventKey(e);
    if (key === null || keys.has(key)) continue;
    keys.add(key);
    if (e.type === 'unit') units.push(e);
    else if (e.type === 'cycle' && stations.has(e.station)) cycles.push(e);
    else if (!(e.type === 'state' && stations.has(e.station))) continue;
    inside += 1;
  }
  // As the raw waterfall: a state known from before the piece is data too.
  const known = Object.entries(req.initialStates ?? {}).some(([station, s]) => stations.has(station) && s.state !== undefined);
  const perStation = new Map<string, number>();
  for (const c of cycles) perStation.set(c.station, (perStation.get(c.station) ?? 0) + 1);
  return {
    plannedMs,
    hasData: inside > 0 || known,
    units: units.length,
    goodUnits: units.filter((u) => u.result !== 'nok').length,
    qualityByDefect: qualityByDefect(units, [cycles]),
    cycles: [...perStation],
  };
}

/** Consecutive pieces as one piece (a day from its hours). */
export function mergePieceLosses(parts: readonly PieceLosses[]): PieceLosses {
  const quality = new Map<string, QualityByDefect>();
  const cycles = new Map<string, number>();
  const out: PieceLosses = { plannedMs: 0, hasData: false, units: 0, goodUnits: 0, qualityByDefect: [], cycles: [] };
  for (const p of parts) {
    out.plannedMs += p.plannedMs;
    out.units += p.units;
    out.goodUnits += p.goodUnits;
    out.hasData ||= p.hasData;
    for (const q of p.qualityByDefect) {
      const key = `${q.defect ?? ''}\u0000${q.station ?? ''}`;
      const row = quality.get(key) ?? { defect: q.defect, station: q.station, units: 0 };
      row.units += q.units;
      quality.set(key, row);
    }
    for (const [station, n] of p.cycles) cycles.set(station, (cycles.get(station) ?? 0) + n);
  }
  out.qualityByDefect = [...quality.values()];
  out.cycles = [...cycles];
  return out;
}

/**
 * A station's cycles over one piece that completed while it was productive,
 * were it the interval's constraint: what a long read takes the speed and
 * micro-stop terms from once it knows the interval's constraint (the cap,
 * `microStopFactor` × the range's median, is known only then).
 */
export interface ConstraintCycles {
  /** Σ max(0, cycle − ideal takt) over them, seconds: speed + micro-stops, exactly. */
  slowSeconds: number;
  /** Those over the ideal takt, counted in CYCLE_BUCKET_SECONDS buckets (index = time / width, rounded). */
  buckets: Map<number, number>;
}

export function emptyConstraintCycles(): ConstraintCycles {
  return { slowSeconds: 0, buckets: new Map() };
}

/** Adds `b` into `a`. */
export function mergeConstraintCycles(a: ConstraintCycles, b: ConstraintCycles): void {
  a.slowSeconds += b.slowSeconds;
  for (const [i, n] of b.buckets) a.buckets.set(i, (a.buckets.get(i) ?? 0) + n);
}

/** Adds one productive cycle (seconds) against the ideal takt. */
export function addConstraintCycle(a: ConstraintCycles, cycleTime: number, idealTakt: number): void {
  if (!(cycleTime > idealTakt)) return;
  a.slowSeconds += cycleTime - idealTakt;
  const i = Math.round(cycleTime / CYCLE_BUCKET_SECONDS);
  a.buckets.set(i, (a.buckets.get(i) ?? 0) + 1);
}

/**
 * Micro-stop seconds over `cap` from the buckets' centres (speed is
 * `slowSeconds` minus this). Each cycle's time is within half a bucket of its
 * centre and `cap` (from a summary median) within `factor` × half a bucket of
 * the raw one, so the micro-stop term is within
 * {@link constraintMicroErrorSeconds} per cycle near or over the cap.
 */
export function constraintMicroSeconds(a: ConstraintCycles, cap: number): number {
  let micro = 0;
  for (const [i, n] of a.buckets) micro += n * Math.max(0, i * CYCLE_BUCKET_SECONDS - cap);
  return Math.min(micro, a.slowSeconds);
}

/**
 * Speed and micro-stop seconds of the interval's constraint at the range's
 * cap (`microStopFactor` × the median of all its cycles, from `allCycles`,
 * at least the ideal takt): the summaries' productive cycles by their
 * buckets, the raw edges' productive cycles one by one.
 */
export function constraintSpeedAndMicro(req: {
  summaries: ConstraintCycles;
  allCycles: CycleSummary;
  rawCycles: readonly CycleEvent[];
  idealTakt: number;
  microStopFactor: number;
}): { speedSeconds: number; microSeconds: number } {
  const cap = Math.max(req.idealTakt, (summaryPercentile(req.allCycles, 50, 'ceil') ?? req.idealTakt) * req.microStopFactor);
  let slow = req.summaries.slowSeconds;
  let micro = constraintMicroSeconds(req.summaries, cap);
  for (const c of req.rawCycles) {
    slow += Math.max(0, c.cycleTime - req.idealTakt);
    micro += Math.max(0, c.cycleTime - cap);
  }
  return { speedSeconds: Math.max(0, slow - micro), microSeconds: micro };
}

/** The largest difference, seconds per productive cycle at or over `cap − this`, of the micro-stop term from summaries to the raw one. */
export function constraintMicroErrorSeconds(factor: number): number {
  return CYCLE_PERCENTILE_ERROR_SECONDS * (1 + factor);
}

/** `slowSeconds|buckets` (core/kpi/hour-summary.ts encodeBuckets): one short string field per station and hour. */
export function encodeConstraintCycles(a: ConstraintCycles): string {
  return `${a.slowSeconds}|${encodeBuckets(a.buckets)}`;
}

/** Null when absent or not what {@link encodeConstraintCycles} writes. */
export function decodeConstraintCycles(text: unknown): ConstraintCycles | null {
  if (typeof text !== 'string') return null;
  const bar = text.indexOf('|');
  if (bar < 1) return null;
  const slowSeconds = Number(text.slice(0, bar));
  if (!Number.isFinite(slowSeconds) || slowSeconds < 0) return null;
  return { slowSeconds, buckets: decodeBuckets(text.slice(bar + 1)) };
}

/**
 * Every station's {@link ConstraintCycles} over the piece `[from, to)` (its
 * events; states may begin before `from`, or come as initial states): each
 * station taken as the constraint in turn and every planned millisecond
 * charged at it by core's {@link chargeTime}, as the raw waterfall does.
 */
export function constraintCyclesOfPiece(req: {
  line: LineConfig;
  events: readonly StationEvent[];
  initialStates?: Readonly<Record<string, InitialState>>;
  from: number;
  to: number;
  now: number;
}): Map<string, ConstraintCycles> {
  const asOf = Math.min(Math.max(req.now, req.from), req.to);
  const idealTakt = DEFAULT_LOSS_OPTIONS.idealTaktSeconds ?? taktTargetSeconds(req.line.targetPerHour);
  const planned = plannedIntervals(lineCalendar(req.line), req.from, asOf);
  const stationIds = req.line.stations.map((s) => s.id);
  const statesBy = new Map<string, StateEvent[]>();
  const cyclesBy = new Map<string, CycleEvent[]>();
  const keys = new Set<string>();
  for (const e of [...req.events].sort((a, b) => a.ts - b.ts)) {
    if (!('line' in e) || e.line !== req.line.id || e.ts >= req.to || e.ts > req.now) continue;
    if (e.type !== 'state' && e.type !== 'cycle') continue;
    const key = lineEventKey(e);
    if (key === null || keys.has(key)) continue;
    keys.add(key);
    const into = e.type === 'state' ? statesBy : e.ts >= req.from ? cyclesBy : null;
    const list = into?.get(e.station);
    if (list) list.push(e as never);
    else into?.set(e.station, [e as never]);
  }
  const timelines = new Map(stationIds.map((id) => [id, stateTimeline(statesBy.get(id) ?? [], req.from, asOf, req.initialStates?.[id])] as const));
  const input = { stationIds, timelines, planned, stretches: [], from: req.from, asOf, idealTakt, partnerOf: DEFAULT_LOSS_OPTIONS.partnerOf };
  const out = new Map<string, ConstraintCycles>();
  for (const station of stationIds) {
    const acc = emptyConstraintCycles();
    const cycles = cyclesBy.get(station) ?? [];
    if (cycles.length > 0) {
      for (const c of productiveCycles(cycles, chargeTime(input, station).productive)) addConstraintCycle(acc, c.cycleTime, idealTakt);
    }
    out.set(station, acc);
  }
  return out;
}
