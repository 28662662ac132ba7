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
import { assembleLineKpis, shiftingOfStates, DEFAULT_KPI_OPTIONS, type KpiOptions, type LineKpis } from '../../core/kpi/line-kpis';
import { localDayOf } from '../../core/kpi/day-rollup';
import { wholeMonths } from '../../core/kpi/rollup-merge';
import { combineLosses, lossesOfPiece, type PieceLosses } from '../../core/kpi/loss-rollup';
import type { StationParts } from '../../core/kpi/stations';
import type { LossReport } from '../../core/loss/types';
import { TIMELINE_STATES, zeroStateSeconds, type StateSegment } from '../../core/kpi/states';
import { taktTargetSeconds } from '../../core/kpi/throughput';
import type { StateEvent, StationEvent } from '../../core/events';
import type { LineConfig } from '../../core/plant';
import { startOfLocalHour } from '../../core/time/zone';
import type { MonthPiece, MonthRollups } from '../rollup/month-cache';
import { ORDERS_LOOKBACK_MS, type CycleStats, type EventReads, type LineEvents, type RollupDetail } from '../influx/reads';

const HOUR_MS = 3_600_000;

/** Ranges at least this long read rollups; shorter ones read raw events only (fresh to the second, exact percentiles). */
export const ROLLUP_MIN_RANGE_MS = 2 * 86_400_000;

/**
 * The stored summaries of whole local days (when `days`) and whole hours in
 * `[from, to)`, ascending and not overlapping, and the stretches between them
 * to read raw.
 */
export async function rollupPlan(
  reads: EventReads,
  line: LineConfig,
  from: number,
  to: number,
  detail: RollupDetail = 'stations',
  days = true,
): Promise<{ rollups: HourRollup[]; raw: [number, number][] }> {
  let firstWhole = startOfLocalHour(from, line.timeZone);
  if (firstWhole < from) firstWhole += HOUR_MS;
  const lastEnd = startOfLocalHour(to, line.timeZone);
  let wholeDays: HourRollup[] = [];
  if (days && lastEnd > firstWhole) {
    const first = localDayOf(from, line.timeZone);
    const firstDay = first.start < from ? first.end : first.start;
    const lastDay = localDayOf(to, line.timeZone).start;
    if (lastDay > firstDay) {
      wholeDays = (await reads.rollups(line.id, firstDay, lastDay, detail, 'day')).filter(
        (d) => d.end <= lastDay && d.version === ROLLUP_VERSION && (detail !== 'losses' || d.losses !== null),
      );
    }
  }
  const gaps: [number, number][] = [];
  let c = firstWhole;
  for (const d of wholeDays) {
    if (d.start > c) gaps.push([c, d.start]);
    c = d.end;
  }
  if (c < lastEnd) gaps.push([c, lastEnd]);
  const hours = (await Promise.all(gaps.map(([a, b]) => reads.rollups(line.id, a, b, detail)))).flat().filter((r) => r.end <= lastEnd);
  const rollups = [...wholeDays, ...hours].sort((a, b) => a.start - b.start);
  const raw: [number, number][] = [];
  let cursor = from;
  for (const r of rollups) {
    if (r.start > cursor) raw.push([cursor, r.start]);
    cursor = Math.max(cursor, r.end);
  }
  if (cursor < to) raw.push([cursor, to]);
  return { rollups, raw };
}

/** Units and good units per local clock hour (the hour's start), as InfluxDB's GROUP BY time(1h) labels them. */
export async function hourlyUnits(reads: EventReads, line: LineConfig, from: number, to: number): Promise<Map<number, { units: number; good: number }>> {
  // Hours, not days: the answer is per hour.
  const { rollups, raw } = await rollupPlan(reads, line, from, to, 'line', false);
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
 * The line's state events of `[from, end)` with each station's state before `from` (what
 * `reads.lineEvents(line, from, end, ['state'])` answers), the kept months' from memory and the rest
 * read. `asOf` bounds the months, as {@link longLineKpis} takes them.
 */
export async function longStateEvents(reads: EventReads, line: LineConfig, from: number, asOf: number, end: number, months?: MonthRollups): Promise<LineEvents> {
  const kept = months
    ? (await Promise.all(wholeMonths(from, asOf, line.timeZone).map((m) => months.month(line, m, taktTargetSeconds(line.targetPerHour))))).filter(
        (m): m is MonthPiece & { states: readonly StateEvent[] } => m !== null && m.states !== null,
      )
    : [];
  if (kept.length === 0) return reads.lineEvents(line, from, end, ['state']);
  const pieces: { start: number; events: readonly StationEvent[] }[] = kept.map((m) => ({ start: m.rollup.start, events: m.states }));
  const gaps: [number, number][] = [];
  let c = from;
  for (const m of kept) {
    if (m.rollup.start > c) gaps.push([c, m.rollup.start]);
    c = m.rollup.end;
  }
  if (c < end) gaps.push([c, end]);
  // The states before `from` come with a read that starts there (an empty one when a kept month does).
  const first = gaps[0]?.[0] === from ? null : reads.lineEvents(line, from, from, ['state']);
  const [initial, ...read] = await Promise.all([first, ...gaps.map(([a, b]) => reads.lineEvents(line, a, b, ['state']))]);
  read.forEach((r, i) => pieces.push({ start: (gaps[i] as [number, number])[0], events: r.events }));
  pieces.sort((a, b) => a.start - b.start);
  return { events: pieces.flatMap((p) => p.events), initialStates: (initial ?? read[0])?.initialStates ?? (Object.create(null) as LineEvents['initialStates']) };
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

/** What a caller of {@link longLineKpis} may already have. */
export interface LongKpiSources {
  /** The line's state events of `[from, min(to, now + 1))` with each station's state before `from`. */
  stateEvents?: LineEvents;
  /** Closed months merged from their summaries and kept in memory (collector/rollup/month-cache.ts). */
  months?: MonthRollups;
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
  const cal = lineCalendar(line);
  const asOf = Math.min(Math.max(now, from), to);
  // Events count up to and including now; state time stops at asOf.
  const end = Math.min(to, now + 1);
  const countTo = Math.min(asOf, now, to - 1);
  const takt = taktTargetSeconds(line.targetPerHour);
  const planned = plannedIntervals(cal, from, asOf);
  // Whole closed months merged in memory where the caller keeps them; the rest as rollupPlan reads it.
  const monthCache = more.months;
  const months = monthCache
    ? (await Promise.all(wholeMonths(from, asOf, line.timeZone).map((m) => monthCache.month(line, m, takt)))).filter((m) => m !== null)
    : [];
  const between = (until: number): [number, number][] => {
    const gaps: [number, number][] = [];
    let c = from;
    for (const m of months) {
      if (m.rollup.start > c) gaps.push([c, m.rollup.start]);
      c = m.rollup.end;
    }
    if (c < until) gaps.push([c, until]);
    return gaps;
  };
  const plans = await Promise.all(between(asOf).map(([a, b]) => rollupPlan(reads, line, a, b, 'stations')));
  const rollups = [...months.map((m) => m.rollup), ...plans.flatMap((p) => p.rollups)].sort((a, b) => a.start - b.start);
  const raw = plans.flatMap((p) => p.raw).sort((a, b) => a[0] - b[0]);
  const last = raw.at(-1);
  if (last && last[1] === asOf) last[1] = Math.max(asOf, end);
  else if (end > asOf) raw.push([asOf, end]);
  const ordersNow = Math.min(to - 1, now);

  const [rawParts, latest, hourUnits, states] = await Promise.all([
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
    reads.latestOrders(ordersNow, ordersNow - (from - ORDERS_LOOKBACK_MS) + 1),
    // The hourly table is per hour: the hours' unit counts, not the days' (a kept month has its hours').
    Promise.all(between(end).map(([a, b]) => hourlyUnits(reads, line, a, b))).then((maps) => {
      const all = new Map<number, { units: number; good: number }>();
      for (const map of [...maps, ...months.map((m) => m.hourUnits)]) for (const [h, c] of map) all.set(h, c);
      return all;
    }),
    // Roser's shifting bottleneck needs whole state timelines, which rollups do not keep (an hour's own
    // shares, summed, differ by up to 0.6 of the interval: docs/performance.md): the state events, raw.
    more.stateEvents ?? longStateEvents(reads, line, from, asOf, end, monthCache),
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
  const pieceEnd = (p: KpiPiece) => Math.min(p.rollup.end, countTo + 1);
  const [firstUnitAt, lastUnitAt, trailingUnits, unitsSinceOrders] = await Promise.all([
    firstPiece ? reads.firstUnitAt(line.id, firstPiece.rollup.start, pieceEnd(firstPiece) - 1) : Promise.resolve(null),
    lastPiece ? reads.lastUnitAt(line.id, lastPiece.rollup.start, pieceEnd(lastPiece) - 1) : Promise.resolve(null),
    reads.countUnits([line.id], asOf - (options?.trailingWindowMs ?? DEFAULT_KPI_OPTIONS.trailingWindowMs), countTo),
    latest ? reads.countUnits([line.id], latest.ts, countTo) : Promise.resolve(0),
  ]);

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
  return assembleLineKpis({
    line,
    calendar: cal,
    from,
    to,
    now,
    ...(options ? { options } : {}),
    stations,
    units,
    goodUnits,
    firstUnitAt,
    lastUnitAt,
    unitsIn: (b) => {
      const c = hourUnits.get(b.hourStart);
      return { units: c?.units ?? 0, goodUnits: c?.good ?? 0 };
    },
    trailingUnits,
    stateEvents: [...byStation.values()].reduce((n, s) => n + s.stateEvents, 0),
    cyclesPerStation: (st) => byStation.get(st)?.summary.count ?? 0,
    latestOrders: latest ? { type: 'orders', ts: latest.ts, total: latest.total } : null,
    ordersEvents: latest ? 1 : 0,
    unitsSinceOrders,
    shifting: shiftingOfStates({ line, calendar: cal, events: states.events, from, to, now, initialStates: states.initialStates }),
  });
}

/**
 * The loss waterfall of `[from, to)` as of `now` from the closed hours' own
 * waterfalls and raw events at the edges (core/kpi/loss-rollup.ts says what
 * is exact and what is approximated).
 */
export async function longLosses(reads: EventReads, line: LineConfig, from: number, to: number, now: number, label: string): Promise<LossReport> {
  const asOf = Math.min(Math.max(now, from), to);
  const end = Math.min(to, now + 1);
  const plan = await rollupPlan(reads, line, from, asOf, 'losses');
  // An hour rolled before its waterfall was kept reads raw.
  const rollups = plan.rollups.filter((r) => r.losses !== null);
  const raw: [number, number][] = [];
  let cursor = from;
  for (const r of rollups) {
    if (r.start > cursor) raw.push([cursor, r.start]);
    cursor = r.end;
  }
  if (cursor < end) raw.push([cursor, end]);
  const cycles = new Map<string, number>();
  const rawPieces = await Promise.all(
    raw.map(async ([a, b]) => {
      const { events, initialStates } = await reads.lineEvents(line, a, b, ['state', 'unit', 'cycle']);
      for (const e of events) if (e.type === 'cycle' && e.ts >= a && e.ts < b) cycles.set(e.station, (cycles.get(e.station) ?? 0) + 1);
      return { start: a, losses: lossesOfPiece({ line, events, initialStates, from: a, to: b, now }) };
    }),
  );
  for (const r of rollups) for (const s of r.stations) cycles.set(s.station, (cycles.get(s.station) ?? 0) + s.cycles.count);
  const pieces = [...rollups.map((r) => ({ start: r.start, losses: r.losses as PieceLosses })), ...rawPieces].sort((a, b) => a.start - b.start);
  return combineLosses({ line, from, to, label, pieces: pieces.map((p) => p.losses), cycles: (st) => cycles.get(st) ?? 0 });
}
