/**
 * `computeLineKpis`: every KPI of one line over any interval, evaluated as of
 * `now`, from a batch of validated events. One definition for the live
 * screens, the history API and the simulator's ground truth.
 *
 * Interval: `[from, to)`; when `to` is after `now`, events count up to and
 * including `now` and time-based quantities (planned time, state durations)
 * stop at `now`. So a running shift's numbers are "so far", and the plan for
 * the whole shift is still known.
 *
 * Look-back the caller supplies alongside the interval's events:
 *  - state events before `from`: at least the last one per station (or pass
 *    `initialStates`), else the station is `unknown` until its first event;
 *  - unit events from `min(from, now) − 60 min` for the trailing hour, and
 *    since the latest orders snapshot for the backlog;
 *  - the latest `orders` event at or before the evaluation time.
 * Events of other lines, of unknown stations, and later than `to` or `now`
 * are ignored. Exact repeats (same type, station/unit and ts) count once, as
 * they do once written to InfluxDB.
 */
import { lineCalendar, hourBuckets, plannedAhead, plannedIntervals, plannedSeconds, type HourBucket, type Span } from '../calendar/calendar';
import type { ProductionCalendar } from '../calendar/schema';
import type { CycleEvent, OrdersEvent, StateEvent, StationEvent, UnitEvent } from '../events';
import type { LineConfig } from '../plant';
import { ordersBacklog, type BacklogResult } from './backlog';
import { shiftingBottleneck, type ShiftingBottleneck } from './active-period';
import { detectBottleneck, type Bottleneck } from './bottleneck';
import { bufferChanges, drainedText } from './buffers';
import { downtimePareto, type DowntimePareto } from './downtime';
import { computeOee, type OeeResult } from './oee';
import { reduceKpis, type KpiContext, type KpiId, type KpiValue } from './registry';
import { cycleStats } from './cycles';
import { overlapMs } from './spans';
import { stationKpisFromParts, type StationKpis, type StationParts } from './stations';
import { stateTimeline, timeInStates, zeroStateSeconds, type InitialState, type StateSegment } from './states';
import { currentRate, planUnits, taktTargetSeconds } from './throughput';

/** Tunables, with their defaults in {@link DEFAULT_KPI_OPTIONS}. */
export interface KpiOptions {
  /** Station whose downtime counts for availability; null: the detected bottleneck. @default null */
  constraintStation: string | null;
  /** Ideal seconds per unit for performance; null: the takt target. @default null */
  idealTaktSeconds: number | null;
  /** Faults shorter than this are micro-stops, seconds. @default 300 */
  microStopSeconds: number;
  /** Length of the trailing window for units per hour and the current rate, ms. @default 3_600_000 */
  trailingWindowMs: number;
  /** Planned seconds the trailing window needs before it sets the current rate. @default 900 */
  minRateWindowSeconds: number;
  /** Units delivered against a cumulative orders total, if known; null: count units since the snapshot. @default null */
  deliveredTotal: number | null;
  /**
   * Units per planned hour that days-to-clear projects with: the line's delivery rate (core's `deliveryRate`, as
   * /api/v1/orders uses), when the caller has it; null: the interval's units per planned hour elapsed. @default null
   */
  deliveryRatePerPlannedHour: number | null;
}

export const DEFAULT_KPI_OPTIONS: KpiOptions = {
  constraintStation: null,
  idealTaktSeconds: null,
  microStopSeconds: 300,
  trailingWindowMs: 3_600_000,
  minRateWindowSeconds: 900,
  deliveredTotal: null,
  deliveryRatePerPlannedHour: null,
};

export interface LineKpiRequest {
  line: LineConfig;
  /** Defaults to the line's calendar (`lineCalendar(line)`). */
  calendar?: ProductionCalendar;
  events: readonly StationEvent[];
  /** Interval `[from, to)`, epoch ms. */
  from: number;
  to: number;
  /** The clock, epoch ms. */
  now: number;
  /** State of each station at `from` when the caller has it without events (e.g. a query for the last state). */
  initialStates?: Readonly<Record<string, InitialState>>;
  options?: Partial<KpiOptions>;
}

/** Units against plan in one local clock hour. */
export interface HourlyOutput extends HourBucket {
  units: number;
  goodUnits: number;
  /** target × plannedSeconds / 3600. */
  plan: number;
  /** Plan for the part of the hour up to now. */
  planByNow: number;
  status: 'past' | 'current' | 'future';
}

/** The complete, JSON-serialisable answer for one line and interval. */
export interface LineKpis {
  /**
   * `no_data` when the interval holds no unit, cycle or state event and no
   * station state carries into it: then availability, performance, quality and
   * OEE are null ("no data"), never 100 % and 0 %.
   */
  status: 'ok' | 'no_data';
  line: string;
  from: number;
  to: number;
  now: number;
  /** min(max(now, from), to): where time-based quantities stop. */
  asOf: number;
  timeZone: string;
  inputs: {
    calendar: ProductionCalendar;
    targetPerHour: number;
    taktTargetSeconds: number;
    idealTaktSeconds: number;
    plannedSeconds: number;
    plannedSecondsTotal: number;
    plannedSecondsRemaining: number;
    counts: { units: number; goodUnits: number; cycles: number; stateEvents: number; ordersEvents: number };
    options: KpiOptions;
  };
  kpis: Record<KpiId, KpiValue>;
  hourly: HourlyOutput[];
  stations: StationKpis[];
  oee: OeeResult;
  downtime: DowntimePareto;
  bottleneck: Bottleneck;
  backlog: BacklogResult;
}

/** Every KPI of a line over `[from, to)` as of `now`. Pure. */
export function computeLineKpis(req: LineKpiRequest): LineKpis {
  const { line, now } = req;
  const cal = req.calendar ?? lineCalendar(line);
  const from = req.from;
  const to = Math.max(req.to, from);
  const asOf = Math.min(Math.max(now, from), to);
  const seen = (ts: number) => ts < to && ts <= now;
  const inside = (ts: number) => ts >= from && seen(ts);
  const options = kpiOptions(req);

  // Split, dedupe and sort the line's events.
  const stationIds = new Set(line.stations.map((s) => s.id));
  const keys = new Set<string>();
  const units: UnitEvent[] = [];
  const statesBy = new Map<string, StateEvent[]>();
  const cyclesBy = new Map<string, CycleEvent[]>();
  let latestOrders: OrdersEvent | null = null;
  let ordersEvents = 0;
  for (const e of [...req.events].sort((a, b) => a.ts - b.ts)) {
    if (e.type === 'orders') {
      if (seen(e.ts)) {
        ordersEvents += 1;
        if (!latestOrders || e.ts >= latestOrders.ts) latestOrders = e;
      }
      continue;
    }
    if (!('line' in e) || e.line !== line.id || !seen(e.ts)) continue;
    const key =
      e.type === 'unit' ? `u|${e.unit}|${e.ts}` : e.type === 'cycle' ? `c|${e.station}|${e.ts}` : e.type === 'state' ? `s|${e.station}|${e.state}|${e.ts}` : null;
    if (key === null || keys.has(key)) continue;
    keys.add(key);
    if (e.type === 'unit') units.push(e);
    else if (e.type === 'state' && stationIds.has(e.station)) push(statesBy, e.station, e);
    else if (e.type === 'cycle' && stationIds.has(e.station) && inside(e.ts)) push(cyclesBy, e.station, e);
  }

  const unitsIn = units.filter((u) => inside(u.ts));
  const planned = plannedIntervals(cal, from, asOf);
  const takt = taktTargetSeconds(line.targetPerHour);
  const stations = line.stations.map((s): StationParts => {
    const timeline = stateTimeline(statesBy.get(s.id) ?? [], from, asOf, req.initialStates?.[s.id]);
    const plannedStateSeconds = zeroStateSeconds();
    for (const seg of timeline) plannedStateSeconds[seg.state] += overlapMs(planned, seg.start, seg.end) / 1000;
    return {
      station: s.id,
      name: s.name,
      stateSeconds: timeInStates(timeline),
      plannedStateSeconds,
      cycles: cycleStats((cyclesBy.get(s.id) ?? []).map((c) => c.cycleTime), takt),
      segments: timeline,
    };
  });
  const windowStart = asOf - options.trailingWindowMs;
  const ordersAt = latestOrders?.ts ?? null;
  let hourCursor = 0;
  return assembleLineKpis({
    line,
    calendar: cal,
    from,
    to: req.to,
    now,
    options: req.options,
    stations,
    units: unitsIn.length,
    goodUnits: unitsIn.filter((u) => u.result !== 'nok').length,
    firstUnitAt: unitsIn[0]?.ts ?? null,
    lastUnitAt: unitsIn.at(-1)?.ts ?? null,
    unitsIn: (b) => {
      let n = 0;
      let good = 0;
      while (hourCursor < unitsIn.length && (unitsIn[hourCursor] as UnitEvent).ts < b.start) hourCursor += 1;
      for (; hourCursor < unitsIn.length && (unitsIn[hourCursor] as UnitEvent).ts < b.end; hourCursor += 1) {
        n += 1;
        if ((unitsIn[hourCursor] as UnitEvent).result !== 'nok') good += 1;
      }
      return { units: n, goodUnits: good };
    },
    trailingUnits: units.filter((u) => u.ts > windowStart).length,
    stateEvents: [...statesBy.values()].reduce((s, c) => s + c.filter((e) => inside(e.ts)).length, 0),
    cyclesPerStation: (st) => cyclesBy.get(st)?.length ?? 0,
    latestOrders,
    ordersEvents,
    unitsSinceOrders: ordersAt === null ? 0 : units.filter((u) => u.ts > ordersAt).length,
  });
}

/** The options in force: the line's configured constraint is the default, a caller's option still wins. */
function kpiOptions(req: { line: LineConfig; options?: Partial<KpiOptions> }): KpiOptions {
  return { ...DEFAULT_KPI_OPTIONS, constraintStation: req.line.constraintStation ?? null, ...req.options };
}

/**
 * What a line's KPIs are made of once the events are counted: the raw path
 * (computeLineKpis) and the long-range path (rollups of whole hours with raw
 * events at the edges, collector/history) both build this, so every KPI has
 * one definition.
 */
export interface LineKpiParts {
  line: LineConfig;
  calendar?: ProductionCalendar;
  from: number;
  to: number;
  now: number;
  options?: Partial<KpiOptions>;
  /** In the line's flow order; `segments` over `[from, asOf)`, at least the `fault` and `maintenance` ones. */
  stations: StationParts[];
  /** Units (and good ones) completed inside the interval up to now. */
  units: number;
  goodUnits: number;
  firstUnitAt: number | null;
  lastUnitAt: number | null;
  /** Units and good units inside one hour bucket of the interval; called once per bucket, in order. */
  unitsIn: (bucket: HourBucket) => { units: number; goodUnits: number };
  /** Units in `(asOf − trailing window, asOf]`. */
  trailingUnits: number;
  /** State events of the line's stations inside the interval. */
  stateEvents: number;
  /** Cycles of a station inside the interval (for the buffers that drained). */
  cyclesPerStation: (station: string) => number;
  /** The newest orders snapshot at or before the evaluation time, and how many snapshots were read. */
  latestOrders: OrdersEvent | null;
  ordersEvents: number;
  /** Units after the orders snapshot, up to the evaluation time. */
  unitsSinceOrders: number;
  /**
   * The interval's shifting-bottleneck shares when the caller has them (summed from each hour's
   * own, collector/history/long-range.ts); absent: computed here from the stations' `segments`.
   */
  shifting?: Pick<ShiftingBottleneck, 'stations' | 'plannedMs'>;
}

/**
 * The interval's shifting bottleneck from the line's state events alone, with the same reading of
 * them as {@link computeLineKpis} (deduplicated, up to now): for a caller whose other figures come
 * from summaries that keep no whole state timelines (collector/history/long-range.ts).
 */
export function shiftingOfStates(req: Pick<LineKpiRequest, 'line' | 'events' | 'from' | 'to' | 'now' | 'initialStates' | 'calendar'>): Pick<ShiftingBottleneck, 'stations' | 'plannedMs'> {
  const { line, now } = req;
  const cal = req.calendar ?? lineCalendar(line);
  const from = req.from;
  const to = Math.max(req.to, from);
  const asOf = Math.min(Math.max(now, from), to);
  const timelines = shiftingTimelines(line, req.events, from, asOf, (ts) => ts < to && ts <= now, req.initialStates);
  const { stations, plannedMs } = shiftingBottleneck(timelines, plannedIntervals(cal, from, asOf));
  return { stations, plannedMs };
}

/**
 * The stations' state timelines over `[from, end)` (flow order) as the shifting bottleneck takes them:
 * the line's state events that `seen` accepts, an exact repeat of a station's state at one instant
 * once, each station's state at `from` from `initialStates`. The stored hour pieces
 * (collector/rollup/shifting-roller.ts) and the long read's raw edges build theirs with it too.
 */
export function shiftingTimelines(
  line: LineConfig,
  events: readonly StationEvent[],
  from: number,
  end: number,
  seen: (ts: number) => boolean,
  initialStates?: Readonly<Record<string, InitialState>>,
): Map<string, StateSegment[]> {
  const stationIds = new Set(line.stations.map((s) => s.id));
  // Repeats share a timestamp: only the keys of one instant are held (a year is tens of thousands of events).
  const keys = new Set<string>();
  let keysAt = Number.NaN;
  const statesBy = new Map<string, StateEvent[]>();
  for (const e of [...events].sort((a, b) => a.ts - b.ts)) {
    if (e.type !== 'state' || e.line !== line.id || !stationIds.has(e.station) || !seen(e.ts)) continue;
    if (e.ts !== keysAt) {
      keys.clear();
      keysAt = e.ts;
    }
    const key = `${e.station}|${e.state}`;
    if (keys.has(key)) continue;
    keys.add(key);
    push(statesBy, e.station, e);
  }
  return new Map(line.stations.map((s) => [s.id, stateTimeline(statesBy.get(s.id) ?? [], from, end, initialStates?.[s.id])] as const));
}

/** What a line's OEE is made of: the parts of {@link LineKpiParts} a KPI answer and a trend point both need. */
export type LineOeeParts = Pick<LineKpiParts, 'line' | 'calendar' | 'from' | 'to' | 'now' | 'options' | 'stations' | 'units' | 'goodUnits' | 'stateEvents' | 'shifting'>;

/** A line's OEE over an interval and what it was found from: the first half of {@link assembleLineKpis}. */
export interface LineOee {
  status: LineKpis['status'];
  options: KpiOptions;
  calendar: ProductionCalendar;
  from: number;
  /** max(to, from). */
  to: number;
  asOf: number;
  /** Planned intervals of `[from, asOf)`. */
  planned: Span[];
  plannedSeconds: number;
  plannedSecondsTotal: number;
  taktTargetSeconds: number;
  idealTaktSeconds: number;
  stations: StationKpis[];
  timelines: Map<string, readonly StateSegment[]>;
  bottleneck: Bottleneck;
  oee: OeeResult;
  cycles: number;
}

/**
 * The line's status, station KPIs, bottleneck and OEE from its parts. Pure. {@link assembleLineKpis}
 * builds every other figure on it, and a trend point (core/kpi/trend.ts) is made of it alone, so a
 * bucket's OEE is the KPI answer's without the hourly table, Pareto and backlog it does not show.
 */
export function lineOee(req: LineOeeParts): LineOee {
  const options = kpiOptions(req);
  const cal = req.calendar ?? lineCalendar(req.line);
  const from = req.from;
  const to = Math.max(req.to, from);
  const asOf = Math.min(Math.max(req.now, from), to);

  const planned = plannedIntervals(cal, from, asOf);
  const plannedElapsed = sumSeconds(planned);
  const takt = taktTargetSeconds(req.line.targetPerHour);
  const idealTakt = options.idealTaktSeconds ?? takt;

  // Stations, in flow order.
  const timelines = new Map<string, readonly StateSegment[]>();
  const stations = req.stations.map((parts) => {
    timelines.set(parts.station, parts.segments);
    return stationKpisFromParts(parts, { from, asOf, microStopSeconds: options.microStopSeconds });
  });
  const bottleneck = detectBottleneck(stations, req.shifting ? { stretches: [], timeline: [], ...req.shifting } : shiftingBottleneck(timelines, planned));
  const constraintStation = options.constraintStation ?? bottleneck.station;
  const constraintSource = options.constraintStation ? 'configured' : bottleneck.station ? 'detected' : 'none';
  const constraint = stations.find((s) => s.station === constraintStation);
  const cycles = stations.reduce((s, st) => s + st.cycles.count, 0);
  const stateKnown = stations.some((s) => s.knownSeconds > 0);
  const status: LineKpis['status'] = req.units > 0 || cycles > 0 || req.stateEvents > 0 || stateKnown ? 'ok' : 'no_data';
  const computed = computeOee({
    plannedSeconds: plannedElapsed,
    downtimeSeconds: constraint?.downtimeSeconds ?? 0,
    idealTaktSeconds: idealTakt,
    units: req.units,
    goodUnits: req.goodUnits,
    constraintStation,
    constraintSource,
  });
  const oee: OeeResult = status === 'ok' ? computed : { ...computed, availability: null, performance: null, quality: null, oee: null };
  return {
    status,
    options,
    calendar: cal,
    from,
    to,
    asOf,
    planned,
    plannedSeconds: plannedElapsed,
    plannedSecondsTotal: plannedSeconds(cal, from, to),
    taktTargetSeconds: takt,
    idealTaktSeconds: idealTakt,
    stations,
    timelines,
    bottleneck,
    oee,
    cycles,
  };
}

/** Every KPI of a line from its parts. Pure. */
export function assembleLineKpis(req: LineKpiParts): LineKpis {
  const base = lineOee(req);
  const { options, calendar: cal, from, to, asOf, planned, stations, timelines, bottleneck, oee, status } = base;
  const { line, now } = req;
  const { plannedSeconds: plannedElapsed, plannedSecondsTotal: plannedTotal, taktTargetSeconds: takt, idealTaktSeconds: idealTakt, cycles: cycleCount } = base;
  const plannedRemaining = plannedSeconds(cal, asOf, to);
  // Above 100 %: name the buffers that drained, when the cycles show it.
  const drained = oee.performanceWhy ? drainedText(bufferChanges(line.stations.map((s) => s.id), req.cyclesPerStation), oee.constraintStation) : null;
  if (oee.performanceWhy && drained) {
    oee.performanceWhy = { zh: `${oee.performanceWhy.zh}排空的缓冲：${drained.zh}。`, en: `${oee.performanceWhy.en} Buffers that drained: ${drained.en}.` };
  }

  // Rates.
  const windowStart = asOf - options.trailingWindowMs;
  const trailingUnits = req.trailingUnits;
  const trailingPlannedSeconds = plannedSeconds(cal, windowStart, asOf);
  const rate = currentRate({
    trailingUnits,
    trailingPlannedSeconds,
    units: req.units,
    plannedElapsedSeconds: plannedElapsed,
    minPlannedSeconds: options.minRateWindowSeconds,
  });

  // Backlog against the calendar of the coming week.
  const { plannedSeconds: plannedNext7, workingDays: workingNext7 } = plannedAhead(cal, asOf, 7);
  const latestOrders = req.latestOrders;
  const ordersAt = latestOrders?.ts ?? null;
  const backlog = ordersBacklog({
    ordersTotal: latestOrders?.total ?? null,
    ordersAt,
    unitsSinceOrders: ordersAt === null ? 0 : req.unitsSinceOrders,
    deliveredTotal: options.deliveredTotal,
    ratePerPlannedHour: options.deliveryRatePerPlannedHour ?? (plannedElapsed > 0 ? req.units / (plannedElapsed / 3600) : null),
    plannedSecondsNext7Days: plannedNext7,
    workingDaysNext7Days: workingNext7,
  });

  const ctx: KpiContext = {
    targetPerHour: line.targetPerHour,
    taktTargetSeconds: takt,
    idealTaktSeconds: idealTakt,
    firstUnitAt: req.firstUnitAt,
    lastUnitAt: req.lastUnitAt,
    units: req.units,
    goodUnits: req.goodUnits,
    trailingUnits,
    trailingWindowSeconds: options.trailingWindowMs / 1000,
    trailingPlannedSeconds,
    plannedSeconds: plannedElapsed,
    plannedSecondsTotal: plannedTotal,
    plannedSecondsRemaining: plannedRemaining,
    rate,
    plannedSecondsBetween: (a, b) => plannedSeconds(cal, a, b),
    oee,
    backlog,
  };

  return {
    status,
    line: line.id,
    from,
    to,
    now,
    asOf,
    timeZone: cal.timeZone,
    inputs: {
      calendar: cal,
      targetPerHour: line.targetPerHour,
      taktTargetSeconds: takt,
      idealTaktSeconds: idealTakt,
      plannedSeconds: plannedElapsed,
      plannedSecondsTotal: plannedTotal,
      plannedSecondsRemaining: plannedRemaining,
      counts: {
        units: req.units,
        goodUnits: req.goodUnits,
        cycles: cycleCount,
        stateEvents: req.stateEvents,
        ordersEvents: req.ordersEvents,
      },
      options,
    },
    kpis: reduceKpis(ctx),
    hourly: hourlyOutput(hourBuckets(cal, from, to), req.unitsIn, line.targetPerHour, now, (a, b) => plannedSeconds(cal, a, b)),
    stations,
    oee,
    downtime: downtimePareto(timelines, planned),
    bottleneck,
    backlog,
  };
}

function hourlyOutput(
  buckets: readonly HourBucket[],
  unitsIn: (bucket: HourBucket) => { units: number; goodUnits: number },
  targetPerHour: number,
  now: number,
  planned: (from: number, to: number) => number,
): HourlyOutput[] {
  // A year is 8,760 rows: each built as one literal (a spread per row was most of this table's cost).
  const out: HourlyOutput[] = new Array<HourlyOutput>(buckets.length);
  for (let i = 0; i < buckets.length; i += 1) {
    const b = buckets[i] as HourBucket;
    const { units, goodUnits } = unitsIn(b);
    const status = now >= b.end ? 'past' : now >= b.start ? 'current' : 'future';
    const byNow = status === 'past' ? b.plannedSeconds : status === 'current' ? planned(b.start, now) : 0;
    const plan = planUnits(targetPerHour, b.plannedSeconds);
    out[i] = {
      start: b.start,
      end: b.end,
      hourStart: b.hourStart,
      hourEnd: b.hourEnd,
      date: b.date,
      label: b.label,
      utcOffset: b.utcOffset,
      plannedSeconds: b.plannedSeconds,
      units,
      goodUnits,
      plan,
      planByNow: status === 'past' ? plan : planUnits(targetPerHour, byNow),
      status,
    };
  }
  return out;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function sumSeconds(spans: readonly { start: number; end: number }[]): number {
  return spans.reduce((s, x) => s + (x.end - x.start), 0) / 1000;
}
