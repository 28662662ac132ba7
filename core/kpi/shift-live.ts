/**
 * Live shift numbers for the wall screen, kept incrementally from the event
 * stream: units this shift against plan by now, the gap, the rate needed to
 * catch up, the end-of-shift forecast, this clock hour's plan, the stations
 * down right now and the shift's top downtime. The same definitions as
 * {@link computeLineKpis} over `[shift.start, shift.end)` at `now`, so live and
 * history agree (a test holds them to it).
 *
 * Memory is bounded: unit times of the last two hours, one tally per shift for
 * the newest {@link KEPT_SHIFTS} shifts, and at most {@link MAX_DOWNTIME_KEYS}
 * downtime entries per shift. After a restart, replay the events since the
 * current shift began, preceded by each station's last state event before it.
 */
import { lineCalendar, plannedSeconds, previousShift, shiftAt, shiftsBetween, type ShiftInstance } from '../calendar/calendar';
import type { ProductionCalendar } from '../calendar/schema';
import type { StationEvent, StationState } from '../events';
import type { LineConfig } from '../plant';
import { startOfLocalHour } from '../time/zone';
import { overlapMs } from './spans';
import { catchUpOutlook, catchUpRate, currentRate, forecastUnits, planUnits, type CatchUpOutlook } from './throughput';

export { shiftFiguresShown, type CatchUpShown, type ShiftFiguresShown } from './shift-shown';

const HOUR_MS = 3_600_000;
/** Shift tallies kept: the current one, the previous (shown between shifts) and slack for late events. */
export const KEPT_SHIFTS = 3;
/** Distinct station/state/reason entries tallied per shift; beyond it reasons merge into `…`. */
export const MAX_DOWNTIME_KEYS = 500;
/** Planned seconds the trailing hour needs before it sets the current rate (as DEFAULT_KPI_OPTIONS). */
const MIN_RATE_WINDOW_SECONDS = 900;

/** One entry of the live downtime list. */
export interface LiveDowntime {
  station: string;
  state: 'fault' | 'maintenance';
  reason: string;
  /** Downtime inside planned time of this shift so far, seconds. */
  seconds: number;
}

/** A station down right now. */
export interface DownNow {
  station: string;
  state: 'fault' | 'maintenance';
  reason: string | null;
  since: number;
  /** now − since, seconds. */
  seconds: number;
}

/** What a wall screen shows about the shift, as of `now`. */
export interface ShiftLive {
  shift: { key: string; id: string; name: { zh: string; en: string }; day: string; start: number; end: number };
  /** `running` while now is inside the shift; `ended` between shifts (the last shift's final numbers). */
  status: 'running' | 'ended';
  now: number;
  units: number;
  goodUnits: number;
  /** Planned seconds: elapsed, in the whole shift, still to come. */
  plannedSeconds: number;
  plannedSecondsTotal: number;
  plannedSecondsRemaining: number;
  planTotal: number;
  planByNow: number;
  /** units − planByNow: negative = behind. */
  gap: number;
  catchUpRate: number | null;
  /** Whether the plan can still be reached at the line's planned rate; if not, the units short or the overtime (always set by core; optional for fixtures written before it). */
  catchUp?: CatchUpOutlook;
  currentRate: number | null;
  rateBasis: 'trailing' | 'average' | 'none';
  forecast: number | null;
  /** This local clock hour: its plan and the plan up to now. */
  hourStart: number;
  hourPlan: number;
  hourPlanByNow: number;
  downNow: DownNow[];
  /** The shift's downtime by station and reason, largest first, at most 5. */
  topDowntime: LiveDowntime[];
}

interface ShiftTally {
  shift: ShiftInstance;
  units: number;
  good: number;
  /** JSON [station, state, reason] → planned seconds. */
  downtime: Map<string, number>;
}

interface StationNow {
  state: StationState;
  reason: string | null;
  since: number;
}

/** Working state behind {@link shiftLiveView}. */
export interface ShiftTracker {
  config: LineConfig;
  calendar: ProductionCalendar;
  /** Completion times of the last two hours, ascending, epoch ms. */
  unitTimes: number[];
  /** Keys `unit|ts` of those units: a replay counts once. */
  unitKeys: Set<string>;
  stations: Map<string, StationNow>;
  tallies: Map<string, ShiftTally>;
  dataAt: number | null;
}

export function createShiftTracker(config: LineConfig, calendar: ProductionCalendar = lineCalendar(config)): ShiftTracker {
  return { config, calendar, unitTimes: [], unitKeys: new Set(), stations: new Map(), tallies: new Map(), dataAt: null };
}

/** Applies one validated event; returns whether anything changed. */
export function applyShiftEvent(tracker: ShiftTracker, event: StationEvent): boolean {
  if (!('line' in event) || event.line !== tracker.config.id) return false;
  if (event.type === 'unit') {
    const key = `${event.unit}|${event.ts}`;
    if (tracker.unitKeys.has(key)) return false;
    tracker.dataAt = Math.max(tracker.dataAt ?? event.ts, event.ts);
    const horizon = tracker.dataAt - 2 * HOUR_MS;
    if (event.ts >= horizon) {
      insertSorted(tracker.unitTimes, event.ts);
      tracker.unitKeys.add(key);
      while ((tracker.unitTimes[0] ?? Infinity) < horizon) tracker.unitTimes.shift();
      if (tracker.unitKeys.size > tracker.unitTimes.length * 2 + 64) pruneKeys(tracker, horizon);
    }
    const shift = shiftAt(tracker.calendar, event.ts);
    if (shift) {
      const t = tally(tracker, shift);
      if (t) {
        t.units += 1;
        if (event.result !== 'nok') t.good += 1;
      }
    }
    return true;
  }
  if (event.type === 'state') {
    if (!tracker.config.stations.some((s) => s.id === event.station)) return false;
    const prev = tracker.stations.get(event.station);
    if (prev && event.ts < prev.since) return false; // late: older than the state we hold
    tracker.dataAt = Math.max(tracker.dataAt ?? event.ts, event.ts);
    const reason = event.reason ?? null;
    if (prev && prev.state === event.state && prev.reason === reason) return false; // a repeat continues the state
    if (prev && (prev.state === 'fault' || prev.state === 'maintenance')) {
      addDowntime(tracker, event.station, prev.state, prev.reason, prev.since, event.ts);
    }
    tracker.stations.set(event.station, { state: event.state, reason, since: event.ts });
    return true;
  }
  return false;
}

/** The shift's live numbers at `now`: the current shift, else the last one; null if none in 45 days. */
export function shiftLiveView(tracker: ShiftTracker, now: number): ShiftLive | null {
  const cal = tracker.calendar;
  const running = shiftAt(cal, now);
  const shift = running ?? previousShift(cal, now);
  if (!shift) return null;
  const t = tracker.tallies.get(shift.key);
  const asOf = Math.min(Math.max(now, shift.start), shift.end);
  const plannedElapsed = plannedSeconds(cal, shift.start, asOf);
  const plannedRemaining = shift.plannedSeconds - plannedElapsed;
  const target = tracker.config.targetPerHour;
  const units = t?.units ?? 0;
  const planTotal = planUnits(target, shift.plannedSeconds);
  const planByNow = planUnits(target, plannedElapsed);
  const windowStart = asOf - HOUR_MS;
  let trailingUnits = 0;
  for (const u of tracker.unitTimes) if (u > windowStart && u <= now && u < shift.end) trailingUnits += 1;
  const rate = currentRate({
    trailingUnits,
    trailingPlannedSeconds: plannedSeconds(cal, windowStart, asOf),
    units,
    plannedElapsedSeconds: plannedElapsed,
    minPlannedSeconds: MIN_RATE_WINDOW_SECONDS,
  });
  const hourStart = startOfLocalHour(now, cal.timeZone);

  const downtime = new Map(t?.downtime ?? []);
  const downNow: DownNow[] = [];
  for (const [station, s] of tracker.stations) {
    if (s.state !== 'fault' && s.state !== 'maintenance') continue;
    if (s.since <= now) downNow.push({ station, state: s.state, reason: s.reason, since: s.since, seconds: (now - s.since) / 1000 });
    const open = overlapMs(shift.planned, s.since, asOf) / 1000;
    if (open > 0) {
      const key = JSON.stringify([station, s.state, s.reason ?? '']);
      downtime.set(key, (downtime.get(key) ?? 0) + open);
    }
  }
  downNow.sort((a, b) => b.seconds - a.seconds || a.station.localeCompare(b.station));
  const topDowntime = [...downtime.entries()]
    .map(([key, seconds]) => {
      const [station, state, reason] = JSON.parse(key) as [string, 'fault' | 'maintenance', string];
      return { station, state, reason, seconds };
    })
    .sort((a, b) => b.seconds - a.seconds || a.station.localeCompare(b.station) || a.reason.localeCompare(b.reason))
    .slice(0, 5);

  return {
    shift: { key: shift.key, id: shift.id, name: shift.name, day: shift.day, start: shift.start, end: shift.end },
    status: running ? 'running' : 'ended',
    now,
    units,
    goodUnits: t?.good ?? 0,
    plannedSeconds: plannedElapsed,
    plannedSecondsTotal: shift.plannedSeconds,
    plannedSecondsRemaining: plannedRemaining,
    planTotal,
    planByNow,
    gap: units - planByNow,
    catchUpRate: catchUpRate(planTotal, units, plannedRemaining),
    catchUp: catchUpOutlook(planTotal, units, plannedRemaining, tracker.config.targetPerHour),
    currentRate: rate.value,
    rateBasis: rate.basis,
    forecast: forecastUnits(units, rate.value, plannedRemaining, target),
    hourStart,
    hourPlan: planUnits(target, plannedSeconds(cal, hourStart, startOfLocalHour(hourStart + HOUR_MS + 1, cal.timeZone))),
    hourPlanByNow: planUnits(target, plannedSeconds(cal, hourStart, now)),
    downNow,
    topDowntime,
  };
}

/** The tally of `shift`, created if it is among the newest kept; null if it is older than all kept. */
function tally(tracker: ShiftTracker, shift: ShiftInstance): ShiftTally | null {
  const hit = tracker.tallies.get(shift.key);
  if (hit) return hit;
  const kept = [...tracker.tallies.values()];
  if (kept.length >= KEPT_SHIFTS && kept.every((k) => k.shift.start > shift.start)) return null;
  const t: ShiftTally = { shift, units: 0, good: 0, downtime: new Map() };
  tracker.tallies.set(shift.key, t);
  if (tracker.tallies.size > KEPT_SHIFTS) {
    const oldest = [...tracker.tallies.values()].sort((a, b) => a.shift.start - b.shift.start)[0];
    if (oldest) tracker.tallies.delete(oldest.shift.key);
  }
  return t;
}

function addDowntime(tracker: ShiftTracker, station: string, state: 'fault' | 'maintenance', reason: string | null, from: number, to: number): void {
  // A station down for days only matters to the shifts still kept: look back one day at most.
  const start = Math.max(from, to - 24 * HOUR_MS);
  for (const shift of shiftsBetween(tracker.calendar, start, to)) {
    const seconds = overlapMs(shift.planned, start, to) / 1000;
    if (seconds <= 0) continue;
    const t = tally(tracker, shift);
    if (!t) continue;
    let key = JSON.stringify([station, state, reason ?? '']);
    if (!t.downtime.has(key) && t.downtime.size >= MAX_DOWNTIME_KEYS) key = JSON.stringify([station, state, '…']);
    t.downtime.set(key, (t.downtime.get(key) ?? 0) + seconds);
  }
}

function pruneKeys(tracker: ShiftTracker, horizon: number): void {
  for (const key of tracker.unitKeys) {
    const ts = Number(key.slice(key.lastIndexOf('|') + 1));
    if (ts < horizon) tracker.unitKeys.delete(key);
  }
}

function insertSorted(times: number[], t: number): void {
  let i = times.length;
  while (i > 0 && (times[i - 1] as number) > t) i -= 1;
  times.splice(i, 0, t);
}
