/**
 * Long-range reads: the closed hours' summaries (`rollup_hour`) for every
 * whole hour that has one, raw events for the rest (the partial hours at the
 * edges, the open hour, any hour not rolled yet). Unit counts, cycle counts,
 * min, max and takt compliance equal the raw computation; percentiles are
 * within CYCLE_PERCENTILE_ERROR_SECONDS of it (core/kpi/hour-summary.ts).
 */
import { lineCalendar, plannedIntervals } from '../../core/calendar/calendar';
import { taktCompliance } from '../../core/kpi/cycles';
import {
  addCycleTime,
  emptyCycleSummary,
  mergeCycleSummary,
  ROLLUP_VERSION,
  stitchSegments,
  summariseHours,
  summaryPercentile,
  summaryWithin,
  type CycleSummary,
  type HourRollup,
} from '../../core/kpi/hour-summary';
import { assembleLineKpis, shiftingOfStates, shiftingTimelines, DEFAULT_KPI_OPTIONS, type KpiOptions, type LineKpis, type LineOeeParts } from '../../core/kpi/line-kpis';
import { trendPointOf, type TrendPoint } from '../../core/kpi/trend';
import { isRollupDay, isRollupWeek, localDayOf, rollupDayOf, rollupWeekOf } from '../../core/kpi/day-rollup';
import { wholeMonths } from '../../core/kpi/rollup-merge';
import { constraintSpeedAndMicro, emptyConstraintCycles, mergeConstraintCycles, type PieceLosses } from '../../core/kpi/loss-rollup';
import { type ShiftingBottleneck } from '../../core/kpi/active-period';
import { ActivePeriodIndex, combineShifting, shiftingPiece, shiftingReads, type ShiftingPiece } from '../../core/kpi/shifting-pieces';
import { chargeWindow } from '../../core/loss/charge-pieces';
import { bucketTimeline, combineLinePieces, combineLossPieces, lossLinePiece, lossPieces, momentaryStretches, type LossLinePiece, type LossPiece } from '../../core/loss/loss-pieces';
import type { Span } from '../../core/calendar/calendar';
import { lineEventKey } from '../../core/kpi/event-key';
import type { AlertMark } from '../../core/cluster/material-risk';
import type { CycleEvent, PartnerEvent, UnitDefectEvent, UnitEvent } from '../../core/events';
import { assembleLosses, DEFAULT_LOSS_OPTIONS, intervalConstraint, lossTimelines, productiveCycles, type TimeCharges } from '../../core/loss/waterfall';
import { defectSubject, newestDefects, qualityByDefect } from '../../core/reasons/defects';
import type { StationParts } from '../../core/kpi/stations';
import type { BottleneckSpan, LossReport, QualityByDefect } from '../../core/loss/types';
import { TIMELINE_STATES, zeroStateSeconds, type StateSegment } from '../../core/kpi/states';
import { taktTargetSeconds } from '../../core/kpi/throughput';
import type { StationEvent } from '../../core/events';
import type { InitialState } from '../../core/kpi/states';
import type { LineConfig } from '../../core/plant';
import { startOfLocalHour } from '../../core/time/zone';
import { LOSS_VERSION, SHIFTING_VERSION, type LossHour, type LossLineHour, type RollupSpan, type ShiftingHour } from '../influx/points';
import type { MonthPiece, MonthRollups } from '../rollup/month-cache';
import { ORDERS_LOOKBACK_MS, type ConstraintRollup, type CycleStats, type EventReads, type LineEvents, type RollupDetail } from '../influx/reads';
import { firstAtOrAfter, firstEndingAfter } from '../../core/kpi/spans';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Ranges at least this long read rollups; shorter ones read raw events only (fresh to the second, exact percentiles). */
export const ROLLUP_MIN_RANGE_MS = 2 * 86_400_000;

/** The stretches of `[from, to)` that `cover` (ascending, not overlapping, inside it) leaves open. */
function gapsOf(from: number, to: number, cover: readonly { start: number; end: number }[]): [number, number][] {
  const gaps: [number, number][] = [];
  let c = from;
  for (const r of cover) {
    if (r.start > c) gaps.push([c, r.start]);
    c = Math.max(c, r.end);
  }
  if (c < to) gaps.push([c, to]);
  return gaps;
}

/**
 * The stored summaries that cover `[from, to)`, coarsest first, ascending and
 * not overlapping, and the stretches between them to read raw: whole
 * production weeks (when `coarsest` is `week`, the default), whole production
 * days in what the weeks leave, whole hours in what those leave. `true` and
 * `false` are `week` and `hour`. A week or day summary built for another
 * dayStart is not the calendar's: its time is read from finer summaries.
 * `accept`: what else a summary must be to be used (one it refuses is read
 * from finer summaries, an hour's raw).
 */
export async function rollupPlan(
  reads: EventReads,
  line: LineConfig,
  from: number,
  to: number,
  detail: RollupDetail = 'stations',
  coarsest: RollupSpan | boolean = 'week',
  accept?: (r: HourRollup) => boolean,
): Promise<{ rollups: HourRollup[]; raw: [number, number][] }> {
  const level = coarsest === true ? 'week' : coarsest === false ? 'hour' : coarsest;
  let firstWhole = startOfLocalHour(from, line.timeZone);
  if (firstWhole < from) firstWhole += HOUR_MS;
  const lastEnd = startOfLocalHour(to, line.timeZone);
  const usable = (r: HourRollup) => r.version === ROLLUP_VERSION && (detail !== 'losses' || r.losses !== null) && (accept === undefined || accept(r));
  let cover: HourRollup[] = [];
  if (level !== 'hour' && lastEnd > firstWhole) {
    const cal = lineCalendar(line);
    const first = rollupDayOf(cal, from);
    const firstDay = first.start < from ? first.end : first.start;
    const lastDay = rollupDayOf(cal, to).start;
    if (lastDay > firstDay) {
      let weeks: HourRollup[] = [];
      const fw = rollupWeekOf(cal, firstDay);
      const firstWeek = fw.start < firstDay ? fw.end : fw.start;
      const lastWeek = rollupWeekOf(cal, lastDay).start;
      if (level === 'week' && lastWeek > firstWeek) {
        weeks = (await reads.rollups(line.id, firstWeek, lastWeek, detail, 'week')).filter((w) => w.end <= lastWeek && usable(w) && isRollupWeek(cal, w));
      }
      const days = await Promise.all(
        gapsOf(firstDay, lastDay, weeks).map(async ([a, b]) =>
          (await reads.rollups(line.id, a, b, detail, 'day')).filter((d) => d.end <= b && usable(d) && isRollupDay(cal, d)),
        ),
      );
      cover = [...weeks, ...days.flat()].sort((a, b) => a.start - b.start);
    }
  }
  const hours = (await Promise.all(gapsOf(firstWhole, lastEnd, cover).map(([a, b]) => reads.rollups(line.id, a, b, detail)))).flat().filter((r) => r.end <= lastEnd && (accept === undefined || accept(r)));
  const rollups = [...cover, ...hours].sort((a, b) => a.start - b.start);
  return { rollups, raw: gapsOf(from, to, rollups) };
}

/** Units and good units per local clock hour (the hour's start), as InfluxDB's GROUP BY time(1h) labels them. */
export async function hourlyUnits(reads: EventReads, line: LineConfig, from: number, to: number): Promise<Map<number, { units: number; good: number }>> {
  // Hours, not days: the answer is per hour.
  const { rollups, raw } = await rollupPlan(reads, line, from, to, 'line', 'hour');
  const byHour = new Map<number, { units: number; good: number }>();
  const add = (start: number, units: number, good: number) => {
    const h = byHour.get(start) ?? { units: 0, good: 0 };
    h.units += units;
    h.good += good;
    byHour.set(start, h);
  };
  // Every hour is there, empty ones as zero, as fill(0) answers over the whole range.
  for (const [a, b] of raw) for (let h = startOfLocalHour(a, line.timeZone); h < b; h += HOUR_MS) add(h, 0, 0);
  for (const buckets of await Promise.all(raw.map(([a, b]) => reads.unitBuckets(line, a, b, 60)))) {
    for (const b of buckets) add(b.start, b.units, b.good);
  }
  for (const r of rollups) add(r.start, r.units, r.goodUnits);
  return byHour;
}

/** Cycle-time figures per station over `[from, to)`, from summaries and raw cycles; stations without cycles are absent. */
export async function longCycleStats(reads: EventReads, line: LineConfig, from: number, to: number, taktSeconds: number): Promise<Map<string, CycleStats>> {
  const { rollups, raw } = await rollupPlan(reads, line, from, to, 'cycles');
  const summaries = new Map<string, { summary: CycleSummary; within: number }>();
  const of = (station: string) => {
    const s = summaries.get(station) ?? { summary: emptyCycleSummary(), within: 0 };
    summaries.set(station, s);
    return s;
  };
  for (const r of rollups) {
    for (const st of r.stations) {
      if (st.cycles.count === 0) continue;
      const s = of(st.station);
      mergeCycleSummary(s.summary, st.cycles);
      // Counted against the takt of the hour; a line whose target changed since is estimated from the buckets.
      s.within += r.taktSeconds === taktSeconds ? st.withinTakt : summaryWithin(st.cycles, taktSeconds);
    }
  }
  for (const times of await Promise.all(raw.map(([a, b]) => reads.cycleTimes(line.id, a, b)))) {
    for (const [station, list] of times) {
      const s = of(station);
      for (const t of list) {
        addCycleTime(s.summary, t);
        if (t <= taktSeconds) s.within += 1;
      }
    }
  }
  const out = new Map<string, CycleStats>();
  for (const [station, { summary, within }] of summaries) {
    if (summary.count === 0) continue;
    out.set(station, {
      count: summary.count,
      mean: summary.sum / summary.count,
      min: summary.min,
      p10: summaryPercentile(summary, 10),
      p50: summaryPercentile(summary, 50),
      p90: summaryPercentile(summary, 90),
      max: summary.max,
      withinTakt: within,
    });
  }
  return out;
}

/** One stretch of a long-range KPI read, rolled up or raw, in time order. */
interface KpiPiece {
  start: number;
  rollup: HourRollup;
}

/**
 * Units the lines delivered up to and including `asOf` (what `reads.countUnits(lines, null, asOf)`
 * counts): the months kept in `months` from memory, only the time between them counted in InfluxDB
 * (the backlog's denominator counts every unit ever, a year of points per request otherwise).
 */
export async function deliveredUnits(reads: EventReads, lines: readonly string[], asOf: number, months?: MonthRollups): Promise<number> {
  const counts = lines.map((line) => {
    const kept = months?.keptBefore(line, asOf + 1) ?? [];
    if (kept.length === 0) return reads.countUnits([line], null, asOf);
    // countUnits counts (a, b]; a month is [start, end) on whole milliseconds, so its edges are − 1.
    const open: [number | null, number][] = [];
    let c: number | null = null;
    for (const m of kept) {
      open.push([c, m.start - 1]);
      c = m.end - 1;
    }
    open.push([c, asOf]);
    const units = kept.reduce((n, m) => n + m.units, 0);
    return Promise.all(open.filter(([a, b]) => a === null || b > a).map(([a, b]) => reads.countUnits([line], a, b))).then((ns) => ns.reduce((n, x) => n + x, units));
  });
  return (await Promise.all(counts)).reduce((n, x) => n + x, 0);
}

/** `given`'s state events of `[a, b)` with each station's state before `a`, as `reads.lineEvents(line, a, b, ['state'])` answers (`sorted` by ts). */
export function statesWithin(given: LineEvents, sorted: readonly StationEvent[], a: number, b: number): LineEvents {
  const lower = (t: number) => firstAtOrAfter(sorted, t, (e) => e.ts);
  const lo = lower(a);
  const initialStates = Object.assign(Object.create(null) as Record<string, InitialState>, given.initialStates);
  for (let i = 0; i < lo; i += 1) {
    const e = sorted[i] as StationEvent;
    if (e.type === 'state') initialStates[e.station] = { state: e.state, reason: e.reason ?? null, since: e.ts };
  }
  return { events: sorted.slice(lo, lower(b)), initialStates };
}

/** The final pieces of the current version among stored `shifting_hour` rows. */
export function shiftingPiecesOf(rows: readonly ShiftingHour[]): ShiftingPiece[] {
  return rows
    .filter((r) => r.status === 'final' && r.version === SHIFTING_VERSION)
    .map((r) => ({ start: r.start, end: r.end, window: r.window, plannedMs: r.plannedMs, stations: r.stations }));
}

/**
 * The stored final shifting-bottleneck pieces of the current version of the hours that start in
 * `[from's hour, asOf)`, ascending; the whole months inside it from `months` when given (kept there).
 */
export async function storedShiftingPieces(reads: EventReads, line: LineConfig, from: number, asOf: number, months?: MonthRollups): Promise<ShiftingPiece[]> {
  const hourFrom = startOfLocalHour(from, line.timeZone);
  const read = async (a: number, b: number) => shiftingPiecesOf(await reads.shiftingHours(line.id, a, b));
  const kept = months ? wholeMonths(hourFrom, asOf, line.timeZone) : [];
  if (!months || kept.length === 0) return read(hourFrom, asOf);
  const parts = await Promise.all([...kept.map((m) => months.shiftingPieces(line, m)), ...gapsOf(hourFrom, asOf, kept).map(([a, b]) => read(a, b))]);
  return parts.flat().sort((a, b) => a.start - b.start);
}

/** A span's stored loss rows at one constraint and the line's, any status and version, ascending. */
export interface StoredLossRows {
  hours: readonly LossHour[];
  lines: readonly LossLineHour[];
}

/**
 * The stored loss rows of the hours that start in `[from, to)` at `constraint` and the line's, ascending;
 * the whole months inside it from `months` when given (kept there), the rest read.
 */
export async function storedLossRows(reads: EventReads, line: LineConfig, constraint: string, from: number, to: number, months?: MonthRollups): Promise<StoredLossRows> {
  const read = async (a: number, b: number): Promise<StoredLossRows> => {
    const [hours, lines] = await Promise.all([reads.lossHours(line.id, constraint, a, b), reads.lossLineHours(line.id, a, b)]);
    return { hours, lines };
  };
  if (!(to > from)) return { hours: [], lines: [] };
  const kept = months ? wholeMonths(from, to, line.timeZone) : [];
  if (!months || kept.length === 0) return read(from, to);
  const parts = await Promise.all([...kept.map((m) => months.lossRows(line, m, constraint)), ...gapsOf(from, to, kept).map(([a, b]) => read(a, b))]);
  return {
    hours: parts.flatMap((p) => p.hours).sort((a, b) => a.start - b.start),
    lines: parts.flatMap((p) => p.lines).sort((a, b) => a.start - b.start),
  };
}

/**
 * Roser's shifting bottleneck of `[from, to)` as of `now` (what `shiftingOfStates` gives over the
 * range's state events, exactly): the stored final hour pieces (`shifting_hour`) whose hour and
 * window lie in `[from, asOf)`, and raw state timelines over what {@link shiftingReads} says the rest
 * needs, read wider while core's `combineShifting` answers `short`. `given`: the range's state
 * events when the caller has them (the edges are taken from them instead of read).
 */
export async function longShifting(
  reads: EventReads,
  line: LineConfig,
  from: number,
  to: number,
  now: number,
  planned: readonly Span[],
  given?: LineEvents,
  months?: MonthRollups,
): Promise<Pick<ShiftingBottleneck, 'stations' | 'plannedMs'>> {
  const asOf = Math.min(Math.max(now, from), to);
  if (!(asOf > from)) return shiftingOfStates({ line, events: [], from, to, now });
  const range = { start: from, end: asOf };
  const pieces = await storedShiftingPieces(reads, line, from, asOf, months);
  const sorted = given ? (given.events.every((e, i, all) => i === 0 || (all[i - 1] as StationEvent).ts <= e.ts) ? given.events : [...given.events].sort((a, b) => a.ts - b.ts)) : [];
  const stations = line.stations.map((s) => s.id);
  let read = shiftingReads(range, pieces).read;
  for (;;) {
    const parts = await Promise.all(read.map((k) => (given ? statesWithin(given, sorted, k.start, k.end) : reads.lineEvents(line, k.start, k.end, ['state']))));
    const timelines = new Map<string, StateSegment[]>(stations.map((s) => [s, []]));
    parts.forEach((e, i) => {
      const k = read[i] as Span;
      for (const [s, segs] of shiftingTimelines(line, e.events, k.start, k.end, (ts) => ts < to && ts <= now, e.initialStates)) timelines.get(s)?.push(...segs);
    });
    const r = combineShifting({ stations, range, planned, pieces, raw: { timelines, known: read } });
    if (r.status === 'ok') return { stations: r.stations, plannedMs: r.plannedMs };
    read = r.read;
  }
}

/** What a caller of {@link longLineKpis} may already have. */
export interface LongKpiSources {
  /**
   * The line's state events of `[from, min(to, now + 1))` with each station's state before `from`, when
   * the caller read them anyway: the shifting bottleneck's raw edges are taken from them instead of read.
   */
  stateEvents?: LineEvents;
  /** Closed months merged from their summaries and kept in memory (collector/rollup/month-cache.ts). */
  months?: MonthRollups;
}

/** The kept months inside `[from, asOf)`, ascending (none without a cache). */
async function keptMonths(line: LineConfig, from: number, asOf: number, takt: number, cache?: MonthRollups): Promise<MonthPiece[]> {
  if (!cache) return [];
  return (await Promise.all(wholeMonths(from, asOf, line.timeZone).map((m) => cache.month(line, m, takt)))).filter((m) => m !== null);
}

/** The stretches of `[from, until)` between the kept `months`. */
function betweenMonths(from: number, until: number, months: readonly MonthPiece[]): [number, number][] {
  return gapsOf(from, until, months.map((m) => m.rollup));
}

/** A line's KPI parts over a long range: what {@link longLineKpis} and {@link longTrendPoint} both assemble from. */
interface LongParts {
  /** Everything of core's `LineOeeParts`: the stations, the counts, the shifting bottleneck. */
  oee: LineOeeParts;
  /** What a full answer adds to it. */
  cyclesPerStation: (station: string) => number;
  /** The first and last pieces (rolled or raw) that hold a unit: where the first and last unit are looked for. */
  firstUnitIn: { start: number; end: number } | null;
  lastUnitIn: { start: number; end: number } | null;
}

/**
 * The stations, counts and shifting bottleneck of `[from, to)` as of `now`: the kept months, the
 * closed hours' (days', weeks') summaries of the rest, raw events at the edges, and the shifting
 * bottleneck from the stored hour pieces and raw state timelines at their edges ({@link longShifting}).
 */
async function longParts(
  reads: EventReads,
  line: LineConfig,
  from: number,
  to: number,
  now: number,
  options: Partial<KpiOptions> | undefined,
  months: readonly MonthPiece[],
  more: LongKpiSources,
): Promise<LongParts> {
  const cal = lineCalendar(line);
  const asOf = Math.min(Math.max(now, from), to);
  // Events count up to and including now; state time stops at asOf.
  const end = Math.min(to, now + 1);
  const countTo = Math.min(asOf, now, to - 1);
  const takt = taktTargetSeconds(line.targetPerHour);
  const planned = plannedIntervals(cal, from, asOf);
  const plans = await Promise.all(betweenMonths(from, asOf, months).map(([a, b]) => rollupPlan(reads, line, a, b, 'stations')));
  const rollups = [...months.map((m) => m.rollup), ...plans.flatMap((p) => p.rollups)].sort((a, b) => a.start - b.start);
  const raw = plans.flatMap((p) => p.raw).sort((a, b) => a[0] - b[0]);
  const last = raw.at(-1);
  if (last && last[1] === asOf) last[1] = Math.max(asOf, end);
  else if (end > asOf) raw.push([asOf, end]);

  const [rawParts, shifting] = await Promise.all([
    Promise.all(
      raw.map(async ([a, b]): Promise<KpiPiece> => {
        const { events, initialStates } = await reads.lineEvents(line, a, b, ['state', 'unit', 'cycle']);
        const [rollup] = summariseHours({
          line: line.id,
          stations: line.stations.map((s) => s.id),
          hours: [{ start: a, end: b }],
          events,
          initialStates,
          taktSeconds: takt,
          planned,
          until: asOf,
        });
        return { start: a, rollup: rollup as HourRollup };
      }),
    ),
    // Roser's shifting bottleneck: the stored hour pieces (an hour's own shares, summed, would differ by up to
    // 0.6 of the interval: docs/performance.md) and raw state timelines where none can stand for the time.
    longShifting(reads, line, from, to, now, planned, more.stateEvents, more.months),
  ]);
  const pieces: KpiPiece[] = [...rollups.map((r) => ({ start: r.start, rollup: r })), ...rawParts].sort((a, b) => a.start - b.start);

  const byStation = new Map(
    line.stations.map((s) => [
      s.id,
      { stateSeconds: zeroStateSeconds(), plannedStateSeconds: zeroStateSeconds(), summary: emptyCycleSummary(), within: 0, segments: [] as StateSegment[], stateEvents: 0 },
    ]),
  );
  let units = 0;
  let goodUnits = 0;
  let firstPiece: KpiPiece | null = null;
  let lastPiece: KpiPiece | null = null;
  for (const piece of pieces) {
    const r = piece.rollup;
    units += r.units;
    goodUnits += r.goodUnits;
    if (r.units > 0) {
      firstPiece ??= piece;
      lastPiece = piece;
    }
    for (const st of r.stations) {
      const acc = byStation.get(st.station);
      if (!acc) continue;
      for (const state of TIMELINE_STATES) {
        acc.stateSeconds[state] += st.stateSeconds?.[state] ?? 0;
        acc.plannedStateSeconds[state] += st.plannedStateSeconds?.[state] ?? 0;
      }
      mergeCycleSummary(acc.summary, st.cycles);
      acc.within += r.taktSeconds === takt ? st.withinTakt : summaryWithin(st.cycles, takt);
      acc.stateEvents += st.stateEvents;
      stitchSegments(acc.segments, st.down ?? []);
    }
  }
  const unitsIn = (p: KpiPiece | null) => (p ? { start: p.rollup.start, end: Math.min(p.rollup.end, countTo + 1) } : null);

  const stations: StationParts[] = line.stations.map((s) => {
    const acc = byStation.get(s.id);
    const summary = acc?.summary ?? emptyCycleSummary();
    const n = summary.count;
    return {
      station: s.id,
      name: s.name,
      stateSeconds: acc?.stateSeconds ?? zeroStateSeconds(),
      plannedStateSeconds: acc?.plannedStateSeconds ?? zeroStateSeconds(),
      cycles: {
        count: n,
        meanSeconds: n ? summary.sum / n : null,
        p50Seconds: summaryPercentile(summary, 50, 'ceil'),
        p90Seconds: summaryPercentile(summary, 90, 'ceil'),
        minSeconds: summary.min,
        maxSeconds: summary.max,
        taktSeconds: takt,
        taktCompliance: taktCompliance(acc?.within ?? 0, n),
      },
      segments: acc?.segments ?? [],
    };
  });
  return {
    oee: {
      line,
      calendar: cal,
      from,
      to,
      now,
      ...(options ? { options } : {}),
      stations,
      units,
      goodUnits,
      stateEvents: [...byStation.values()].reduce((n, s) => n + s.stateEvents, 0),
      shifting,
    },
    cyclesPerStation: (st) => byStation.get(st)?.summary.count ?? 0,
    firstUnitIn: unitsIn(firstPiece),
    lastUnitIn: unitsIn(lastPiece),
  };
}

/**
 * Every KPI of a line over `[from, to)` as of `now` from the closed hours'
 * summaries and raw events at the edges (and in hours not rolled yet), by
 * core's `assembleLineKpis`: the same numbers as `computeLineKpis` over the
 * raw events — counts and state durations exactly (durations to float
 * rounding of the sum), fault episodes and the downtime Pareto exactly, cycle
 * percentiles within CYCLE_PERCENTILE_ERROR_SECONDS (a planned-time figure
 * uses the calendar in force when its hour was rolled).
 */
export async function longLineKpis(
  reads: EventReads,
  line: LineConfig,
  from: number,
  to: number,
  now: number,
  options?: Partial<KpiOptions>,
  more: LongKpiSources = {},
): Promise<LineKpis> {
  const asOf = Math.min(Math.max(now, from), to);
  const end = Math.min(to, now + 1);
  const countTo = Math.min(asOf, now, to - 1);
  // Whole closed months merged in memory where the caller keeps them; the rest as rollupPlan reads it.
  const months = await keptMonths(line, from, asOf, taktTargetSeconds(line.targetPerHour), more.months);
  const ordersNow = Math.min(to - 1, now);
  const [parts, latest, hourUnits] = await Promise.all([
    longParts(reads, line, from, to, now, options, months, more),
    reads.latestOrders(ordersNow, ordersNow - (from - ORDERS_LOOKBACK_MS) + 1),
    // The hourly table is per hour: the hours' unit counts, not the days' (a kept month has its hours').
    Promise.all(betweenMonths(from, end, months).map(([a, b]) => hourlyUnits(reads, line, a, b))).then((maps) => {
      const all = new Map<number, { units: number; good: number }>();
      for (const map of [...maps, ...months.map((m) => m.hourUnits)]) for (const [h, c] of map) all.set(h, c);
      return all;
    }),
  ]);
  const { firstUnitIn: first, lastUnitIn: last } = parts;
  const [firstUnitAt, lastUnitAt, trailingUnits, unitsSinceOrders] = await Promise.all([
    first ? reads.firstUnitAt(line.id, first.start, first.end - 1) : Promise.resolve(null),
    last ? reads.lastUnitAt(line.id, last.start, last.end - 1) : Promise.resolve(null),
    reads.countUnits([line.id], asOf - (options?.trailingWindowMs ?? DEFAULT_KPI_OPTIONS.trailingWindowMs), countTo),
    latest ? reads.countUnits([line.id], latest.ts, countTo) : Promise.resolve(0),
  ]);
  return assembleLineKpis({
    ...parts.oee,
    firstUnitAt,
    lastUnitAt,
    unitsIn: (b) => {
      const c = hourUnits.get(b.hourStart);
      return { units: c?.units ?? 0, goodUnits: c?.good ?? 0 };
    },
    trailingUnits,
    cyclesPerStation: parts.cyclesPerStation,
    latestOrders: latest ? { type: 'orders', ts: latest.ts, total: latest.total } : null,
    ordersEvents: latest ? 1 : 0,
    unitsSinceOrders,
  });
}

/**
 * The trend point of `[from, to)` as of `now`: core's `trendPointOf` over the same parts
 * {@link longLineKpis} assembles its answer from (so it is `trendPoint(longLineKpis(…))`), without
 * the reads only the full answer needs (first and last unit, trailing and orders counts, the hours'
 * unit counts of the hourly table).
 */
export async function longTrendPoint(reads: EventReads, line: LineConfig, from: number, to: number, now: number, more: LongKpiSources = {}): Promise<TrendPoint> {
  const asOf = Math.min(Math.max(now, from), to);
  const months = await keptMonths(line, from, asOf, taktTargetSeconds(line.targetPerHour), more.months);
  const parts = await longParts(reads, line, from, to, now, undefined, months, more);
  return trendPointOf(parts.oee);
}

/** What the loss waterfall of a long range needs besides the line's events: the partner reports behind its shortages, people's defect codes. */
export interface LongLossExtras {
  /** Partner reports from the alert look-back before `from` to the end. */
  partnerEvents: readonly PartnerEvent[];
  /** Each partner's material-risk alert history. */
  alerts?: ReadonlyMap<string, readonly AlertMark[]>;
  /** People's defect codes of the line, put on the nok units and cycles that came without one (core/reasons/defects.ts). */
  unitDefects?: readonly UnitDefectEvent[];
  /** Closed months kept in memory: their stored shifting pieces and loss rows are not read again, as kpi's. */
  months?: MonthRollups;
  /** The range's state events (`reads.lineEvents(line, from, end, ['state'])`) when the caller read them already. */
  stateEvents?: LineEvents;
  /** Ranges longer than this have their bottleneck timeline by local day, shorter ones by hour, ms. @default LOSS_TIMELINE_BY_DAY_MS */
  timelineByDayMs?: number;
}

/** A long loss range longer than this (31 days) has its bottleneck timeline by local day, else by local hour (docs/kpi.md). */
export const LOSS_TIMELINE_BY_DAY_MS = 31 * DAY_MS;

/**
 * The loss waterfall of `[from, to)` as of `now`, one attribution with the
 * raw waterfall (core/loss/waterfall.ts): the interval's constraint from the
 * stations' shares as the long kpi has them ({@link longShifting}); every
 * planned millisecond's charge, the episodes and the shortages from the
 * closed hours' stored loss pieces at that constraint ({@link longTimeCharges}:
 * `loss_hour`, `loss_line_hour`, core/loss/loss-pieces.ts) with raw state
 * timelines only at the range's edges and where no final piece stands, so
 * time terms, productive time, episodes, shares and shortages are the raw
 * path's exactly; the bottleneck timeline by local hour (up to
 * `timelineByDayMs`, 31 days) or day (docs/kpi.md). Units, good units, quality
 * by defect and cycle counts come from the closed hours' and days' summaries
 * with raw events at the edges, exactly. Speed and micro-stops come from the
 * constraint's own summaries (`asConstraint`, its productive cycles were it
 * the constraint): their sum exactly, the split at the micro-stop cap (the
 * range's median from the summary's buckets) within
 * `constraintMicroErrorSeconds` per cycle near or over the cap.
 */
export async function longLosses(
  reads: EventReads,
  line: LineConfig,
  from: number,
  to: number,
  now: number,
  label: string,
  extras: LongLossExtras = { partnerEvents: [] },
): Promise<LossReport> {
  const options = DEFAULT_LOSS_OPTIONS;
  const asOf = Math.min(Math.max(now, from), to);
  const end = Math.min(to, now + 1);
  const idealTakt = options.idealTaktSeconds ?? taktTargetSeconds(line.targetPerHour);
  const planned = plannedIntervals(lineCalendar(line), from, asOf);
  const stationIds = line.stations.map((s) => s.id);
  const range = { start: from, end: asOf };
  const hourFrom = startOfLocalHour(from, line.timeZone);
  // The stations' shares and the constraint as the long kpi has them: stored shifting pieces plus raw edges.
  const [shifting, plan, shiftingStored] = await Promise.all([
    longShifting(reads, line, from, to, now, planned, extras.stateEvents, extras.months),
    rollupPlan(reads, line, from, asOf, 'losses'),
    storedShiftingPieces(reads, line, from, asOf, extras.months),
  ]);
  const constraint = intervalConstraint(line, shifting);

  // The raw edges are read while the constraint's summaries are; a summary without them (or without its loss part) is read raw too.
  const gaps = (rollups: readonly HourRollup[], after: number, until: number): [number, number][] => {
    const out: [number, number][] = [];
    let cursor = after;
    for (const r of rollups) {
      if (r.end <= after || r.start >= until) continue;
      if (r.start > cursor) out.push([cursor, r.start]);
      cursor = r.end;
    }
    if (cursor < until) out.push([cursor, until]);
    return out;
  };
  const readRaw = (spans: readonly [number, number][]) =>
    Promise.all(spans.map(([a, b]) => reads.lineEvents(line, a, b, ['unit', 'cycle']).then((e) => ({ a, b, events: e.events }))));
  const withLosses = plan.rollups.filter((r) => r.losses !== null);
  const [rows, edges, lossRows] = await Promise.all([
    constraint === null ? Promise.resolve(new Map<number, ConstraintRollup>()) : constraintRows(reads, line.id, constraint, withLosses),
    readRaw(gaps(withLosses, from, end)),
    constraint === null ? Promise.resolve({ hours: [], lines: [] }) : storedLossRows(reads, line, constraint, hourFrom, asOf, extras.months),
  ]);
  const rollups = withLosses.filter((r) => constraint === null || rows.get(r.start)?.asConstraint);
  const missing = withLosses.filter((r) => !rollups.includes(r)).map((r): [number, number] => [r.start, r.end]);
  const rawParts = [...edges, ...(await readRaw(missing))];

  // Time charges, episodes and shortages: stored loss hours where the hour's loss, line and shifting rows are final
  // and settled inside the range (and its cycles come from a summary), raw timelines for the rest.
  const time = await longTimeCharges(reads, line, {
    range,
    to,
    now,
    planned,
    idealTakt,
    constraint,
    shiftingStored,
    lossRows: lossRows.hours,
    lineRows: lossRows.lines,
    cyclesRaw: rawParts.map(({ a, b }) => ({ start: a, end: Math.min(b, asOf) })),
    resolution: to - from > (extras.timelineByDayMs ?? LOSS_TIMELINE_BY_DAY_MS) ? 'day' : 'hour',
    ...(extras.stateEvents ? { given: extras.stateEvents } : {}),
  });

  const cycles = new Map<string, number>();
  const quality = new Map<string, QualityByDefect>();
  const addQuality = (rows: readonly QualityByDefect[]) => {
    for (const q of rows) {
      const key = `${q.defect ?? ''}\u0000${q.station ?? ''}`;
      const row = quality.get(key) ?? { defect: q.defect, station: q.station, units: 0 };
      row.units += q.units;
      quality.set(key, row);
    }
  };
  let units = 0;
  let goodUnits = 0;
  const all = emptyCycleSummary();
  const summaries = emptyConstraintCycles();
  const constraintCycles: CycleEvent[] = [];
  const configured = new Set(stationIds);
  for (const r of rollups) {
    const losses = r.losses as PieceLosses;
    units += losses.units;
    goodUnits += losses.goodUnits;
    addQuality(losses.qualityByDefect);
    for (const [station, n] of losses.cycles) if (configured.has(station)) cycles.set(station, (cycles.get(station) ?? 0) + n);
    const row = rows.get(r.start);
    if (row) {
      mergeCycleSummary(all, row.cycles);
      if (row.asConstraint) mergeConstraintCycles(summaries, row.asConstraint);
    }
  }
  for (const { a, b, events } of rawParts) {
    // As the raw waterfall reads them: inside the piece, seen by now, each event once.
    const keys = new Set<string>();
    const pieceUnits: UnitEvent[] = [];
    const pieceCycles = new Map<string, CycleEvent[]>();
    for (const e of [...events].sort((x, y) => x.ts - y.ts)) {
      if (e.ts < a || e.ts >= b || e.ts > now || !('line' in e) || e.line !== line.id) continue;
      const key = lineEventKey(e);
      if (key === null || keys.has(key)) continue;
      keys.add(key);
      if (e.type === 'unit') pieceUnits.push(e);
      else if (e.type === 'cycle' && configured.has(e.station)) {
        const list = pieceCycles.get(e.station);
        if (list) list.push(e);
        else pieceCycles.set(e.station, [e]);
        cycles.set(e.station, (cycles.get(e.station) ?? 0) + 1);
        if (e.station === constraint) {
          addCycleTime(all, e.cycleTime);
          constraintCycles.push(e);
        }
      }
    }
    units += pieceUnits.length;
    goodUnits += pieceUnits.filter((u) => u.result !== 'nok').length;
    addQuality(qualityByDefect(pieceUnits, pieceCycles.values()));
  }

  // People's codes on the nok units and cycles that came without one, as the raw path's withPeoplesDefects: only the units they name are read.
  const people = newestDefects(extras.unitDefects ?? []);
  if (people.size > 0) {
    const named = [...new Set([...people.values()].map((d) => d.unit))];
    const keys = new Set<string>();
    for (const e of await reads.nokEventsOf(line, named, from, end)) {
      if (e.ts > now || (e.type !== 'unit' && e.type !== 'cycle') || e.defect !== undefined || e.unit === undefined) continue;
      if (e.type === 'cycle' && !configured.has(e.station)) continue;
      const key = lineEventKey(e);
      if (key === null || keys.has(key)) continue;
      keys.add(key);
      const station = e.type === 'cycle' ? e.station : null;
      const code = people.get(defectSubject(e.unit, station));
      if (!code) continue;
      addQuality([{ defect: null, station, units: -1 }, { defect: code.defect, station, units: 1 }]);
    }
    for (const [key, row] of quality) if (row.units === 0) quality.delete(key);
  }

  const { speedSeconds, microSeconds } = constraintSpeedAndMicro({
    summaries,
    allCycles: all,
    rawCycles: productiveCycles(constraintCycles, time.charges.productive),
    idealTakt,
    microStopFactor: options.microStopFactor,
  });
  const cycleCount = [...cycles.values()].reduce((n, c) => n + c, 0);

  return assembleLosses({
    line,
    range: { from, to, label },
    planned,
    asOf,
    idealTakt,
    hasData: time.known || units > 0 || cycleCount > 0,
    time: time.charges,
    constraint,
    speedSeconds,
    microSeconds,
    units,
    goodUnits,
    qualityByDefect: [...quality.values()].sort(
      (x, y) => y.units - x.units || String(x.defect).localeCompare(String(y.defect)) || String(x.station).localeCompare(String(y.station)),
    ),
    cyclesOf: (st) => cycles.get(st) ?? 0,
    bottleneck: { stations: shifting.stations, timeline: time.timeline, resolution: time.resolution },
    timelines: time.starved,
    partnerEvents: extras.partnerEvents,
    ...(extras.alerts ? { alerts: extras.alerts } : {}),
    options,
  });
}

/** The constraint's rows of the given summaries (weeks, days and hours), by start: one read per run of hours, one for the days, one for the weeks. */
async function constraintRows(reads: EventReads, line: string, station: string, rollups: readonly HourRollup[]): Promise<Map<number, ConstraintRollup>> {
  const spans: { span: RollupSpan; from: number; to: number }[] = [];
  for (const r of rollups) {
    // A production day is 23–25 hours (a DST change), a production week 7 days.
    const length = r.end - r.start;
    const span: RollupSpan = length > 2 * DAY_MS ? 'week' : length > HOUR_MS ? 'day' : 'hour';
    const last = spans.findLast((s) => s.span === span);
    // Weeks and days in one read each (a year is 52 or 365 rows); hours in runs, so a long range does not read every hour between its edges.
    if (last && (span !== 'hour' || last.to === r.start)) last.to = r.end;
    else spans.push({ span, from: r.start, to: r.end });
  }
  const out = new Map<number, ConstraintRollup>();
  for (const rows of await Promise.all(spans.map((s) => reads.constraintRollups(line, station, s.from, s.to, s.span)))) for (const [k, v] of rows) out.set(k, v);
  return out;
}

/** What {@link longTimeCharges} combines. */
interface TimeChargeSources {
  /** `[from, asOf)`. */
  range: Span;
  to: number;
  now: number;
  planned: readonly Span[];
  idealTakt: number;
  constraint: string | null;
  /** The stored final shifting pieces of the range's hours ({@link storedShiftingPieces}). */
  shiftingStored: readonly ShiftingPiece[];
  /** The constraint's stored loss hours and the line's, any status. */
  lossRows: readonly LossHour[];
  lineRows: readonly LossLineHour[];
  /** Where the constraint's cycles are read raw: those parts are charged raw too (their productive spans match the cycles). */
  cyclesRaw: readonly Span[];
  resolution: 'hour' | 'day';
  /** The range's state events when the caller has them (the raw parts are taken from them instead of read). */
  given?: LineEvents;
}

/** A long range's time part of the loss waterfall (see {@link longTimeCharges}). */
interface LongTimeCharges {
  charges: TimeCharges;
  /** Whether any station's state is known anywhere in the range. */
  known: boolean;
  /** Each station's partner-starved segments in time order, as `shortageEpisodes` reads timelines. */
  starved: Map<string, StateSegment[]>;
  timeline: BottleneckSpan[];
  resolution: 'hour' | 'day';
}

/**
 * The range's time charges at the constraint (ms per cause in first-occurrence order, the episodes
 * merged across hours, productive ms), partner-starved segments, whether any state is known and the
 * bottleneck timeline by hour or local day: stored hours where the constraint's `loss_hour`, the line's
 * `loss_line_hour` and the `shifting_hour` rows are final, of the current versions, their windows
 * inside the range and their cycles from a summary; raw state timelines for the rest, read wider while
 * a part's shifting or charge window reaches the read's edge. Exactly `chargeTime` over the range's
 * timelines (core/loss/loss-pieces.ts), and the buckets' ms exactly the whole range's.
 */
async function longTimeCharges(reads: EventReads, line: LineConfig, src: TimeChargeSources): Promise<LongTimeCharges> {
  const { range } = src;
  const stationIds = line.stations.map((s) => s.id);
  const inRange = (s: Span) => s.start >= range.start && s.end <= range.end;
  const shiftingBy = new Map(src.shiftingStored.map((p) => [p.start, p]));
  const lineBy = new Map(src.lineRows.filter((r) => r.status === 'final' && r.version === LOSS_VERSION).map((r) => [r.start, r]));
  const cyclesRaw = [...src.cyclesRaw].sort((a, b) => a.start - b.start);
  const stored: { loss: LossPiece; line: LossLinePiece; shifting: ShiftingPiece }[] = [];
  for (const r of src.lossRows) {
    if (r.status !== 'final' || r.version !== LOSS_VERSION || r.constraint !== src.constraint) continue;
    const l = lineBy.get(r.start);
    const sh = shiftingBy.get(r.start);
    if (!l || !sh || sh.end !== r.end || l.end !== r.end || (stored.at(-1)?.loss.end ?? -Infinity) > r.start) continue;
    if (!inRange({ start: r.start, end: r.end }) || !inRange(r.window) || !inRange(l.window) || !inRange(sh.window)) continue;
    const c = cyclesRaw[firstEndingAfter(cyclesRaw, r.start)];
    if (c !== undefined && c.start < r.end) continue;
    stored.push({
      loss: { start: r.start, end: r.end, window: r.window, constraint: r.constraint, charges: r.charges, productiveMs: r.productiveMs },
      line: { start: l.start, end: l.end, known: l.known, starved: l.starved },
      shifting: sh,
    });
  }
  // The last day found, so a year's pieces in time order look up each day once.
  let day: Span = { start: 0, end: 0 };
  const bucketOf = (t: number): Span => {
    if (src.resolution === 'hour') {
      const h = startOfLocalHour(t, line.timeZone);
      return { start: h, end: h + HOUR_MS };
    }
    if (!(t >= day.start && t < day.end)) day = localDayOf(t, line.timeZone);
    return day;
  };
  // The rest, cut at bucket edges (a raw part's shifting ms go to one bucket).
  const rest: Span[] = [];
  for (const [a, b] of gapsOf(range.start, range.end, stored.map((s) => s.loss))) {
    for (let t = a; t < b; ) {
      const e = Math.min(b, bucketOf(t).end);
      rest.push({ start: t, end: e });
      t = e;
    }
  }
  const raw = await rawTimeParts(reads, line, rest, src);
  const charges = combineLossPieces([...stored.map((s) => s.loss), ...raw.loss], raw.productive);
  const lines = combineLinePieces(stationIds, [...stored.map((s) => s.line), ...raw.lines]);
  const buckets = new Map<number, { start: number; end: number; stations: Map<string, { station: string; soleMs: number; shiftingMs: number }> }>();
  for (const p of [...stored.map((s) => s.shifting), ...raw.shifting].sort((a, b) => a.start - b.start)) {
    const span = bucketOf(p.start);
    let bucket = buckets.get(span.start);
    if (bucket === undefined) {
      bucket = { start: Math.max(span.start, range.start), end: Math.min(span.end, range.end), stations: new Map(stationIds.map((s) => [s, { station: s, soleMs: 0, shiftingMs: 0 }])) };
      buckets.set(span.start, bucket);
    }
    for (const st of p.stations) {
      const acc = bucket.stations.get(st.station);
      if (!acc) continue;
      acc.soleMs += st.soleMs;
      acc.shiftingMs += st.shiftingMs;
    }
  }
  const timeline = bucketTimeline([...buckets.values()].map((b) => ({ start: b.start, end: b.end, stations: [...b.stations.values()] })));
  return { charges, known: lines.known, starved: lines.timelines, timeline, resolution: src.resolution };
}

/**
 * The raw parts of a long loss read charged from the range's state timelines (the range's edges hard, as
 * the raw path cuts there): read around each part, wider while its shifting or charge window reaches
 * the read's edge; each part's charges with all its episodes, productive spans, line part and shifting ms.
 */
async function rawTimeParts(
  reads: EventReads,
  line: LineConfig,
  parts: readonly Span[],
  src: TimeChargeSources,
): Promise<{ loss: LossPiece[]; productive: Span[]; lines: LossLinePiece[]; shifting: ShiftingPiece[] }> {
  const out = { loss: [] as LossPiece[], productive: [] as Span[], lines: [] as LossLinePiece[], shifting: [] as ShiftingPiece[] };
  const { range } = src;
  const stationIds = line.stations.map((s) => s.id);
  const sorted = src.given ? [...src.given.events].sort((a, b) => a.ts - b.ts) : [];
  let todo = [...parts];
  let grow = HOUR_MS;
  while (todo.length > 0) {
    const spans = mergedSpans(todo.map((p) => ({ start: Math.max(range.start, p.start - grow), end: Math.min(range.end, p.end + grow) })));
    const read = await Promise.all(spans.map((k) => (src.given ? statesWithin(src.given, sorted, k.start, k.end) : reads.lineEvents(line, k.start, k.end, ['state']))));
    const wider: Span[] = [];
    spans.forEach((k, i) => {
      const e = read[i] as LineEvents;
      const { timelines } = lossTimelines({ line, events: e.events, from: k.start, to: k.end, now: src.now, initialStates: e.initialStates });
      const index = new ActivePeriodIndex(timelines, k);
      for (const p of todo) {
        if (p.start < k.start || p.end > k.end) continue;
        const w = index.window(p, { hard: range, maxReachMs: Infinity });
        const c = chargeWindow(timelines, p, src.idealTakt, { known: k, hard: range });
        if (w.status !== 'final' || c.status !== 'final') {
          wider.push(p);
          continue;
        }
        const [charged] = lossPieces({ stationIds, timelines, planned: src.planned, idealTakt: src.idealTakt }, p, c.window, momentaryStretches(timelines, w.window), [src.constraint], true);
        if (charged) {
          out.loss.push(charged.piece);
          out.productive.push(...charged.productive);
        }
        out.lines.push(lossLinePiece(timelines, p));
        out.shifting.push(shiftingPiece(timelines, p, w.window, src.planned));
      }
    });
    todo = wider;
    grow *= 2;
  }
  return out;
}

/** Spans merged where they overlap or touch, ascending. */
function mergedSpans(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    const last = out.at(-1);
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}
