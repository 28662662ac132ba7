/**
 * Production-day summaries built from the day's hour summaries: the same
 * shape (an HourRollup whose `[start, end)` is a production day, `dayStart`
 * to `dayStart` on the line's calendar), merged so that a year reads 365
 * summaries per station instead of 8,760, and a trend's day bucket (a
 * production day) reads one summary per station instead of 24. Counts, state
 * seconds, cycle summaries and fault / maintenance segments merge exactly (a
 * segment that runs across an hour's edge is joined again); the loss charges
 * merge as core/kpi/loss-rollup.ts describes.
 */
import { productionDay, weekOf, type Span } from '../calendar/calendar';
import type { ProductionCalendar } from '../calendar/schema';
import { addDays, localTime, zonedToEpoch } from '../time/civil';
import { emptyCycleSummary, mergeCycleSummary, ROLLUP_VERSION, stitchSegments, type HourRollup, type StationHour } from './hour-summary';
import { mergeStopPieces, type StopPiece } from '../reasons/stop-rollup';
import { emptyConstraintCycles, mergeConstraintCycles, mergePieceLosses } from './loss-rollup';
import { TIMELINE_STATES, zeroStateSeconds } from './states';

/** The local day `[start, end)` that contains `ts` (midnight to midnight on the line's clock). */
export function localDayOf(ts: number, timeZone: string): { start: number; end: number } {
  const { date } = localTime(ts, timeZone);
  return { start: zonedToEpoch(date, 0, timeZone), end: zonedToEpoch(addDays(date, 1), 0, timeZone) };
}

/**
 * The span a day summary covers: the production day that holds `ts`. A
 * stored summary whose span is not this (the calendar's `dayStart` changed
 * since it was built) is not the day's: reads take the day's hours instead.
 */
export function rollupDayOf(cal: ProductionCalendar, ts: number): Span {
  const { start, end } = productionDay(cal, ts);
  return { start, end };
}

/** Whether a stored day summary covers the production day it starts, as the calendar holds it now. */
export function isRollupDay(cal: ProductionCalendar, day: Span): boolean {
  const d = rollupDayOf(cal, day.start);
  return d.start === day.start && d.end === day.end;
}

/** The span a week summary covers: the production week (Monday's dayStart to the next Monday's) that holds `ts`. */
export function rollupWeekOf(cal: ProductionCalendar, ts: number): Span {
  const { start, end } = weekOf(cal, ts);
  return { start, end };
}

/** Whether a stored week summary covers the production week it starts, as the calendar holds it now. */
export function isRollupWeek(cal: ProductionCalendar, week: Span): boolean {
  const w = rollupWeekOf(cal, week.start);
  return w.start === week.start && w.end === week.end;
}

/**
 * One day's summary from its hours (ascending), or one week's from its days:
 * null unless the parts cover `[start, end)` without a gap, all of the
 * current version, all counted against one takt, and each with its loss
 * charges.
 */
export function mergeDay(line: string, day: { start: number; end: number }, hours: readonly HourRollup[]): HourRollup | null {
  const sorted = [...hours].sort((a, b) => a.start - b.start);
  let cursor = day.start;
  for (const h of sorted) {
    if (h.start !== cursor || h.version !== ROLLUP_VERSION || h.losses === null || h.taktSeconds !== sorted[0]?.taktSeconds) return null;
    cursor = h.end;
  }
  if (cursor !== day.end || sorted.length === 0) return null;
  const stations = new Map<string, StationHour>();
  // Stops merge only when every part was summarised for one threshold; a station absent from a part had no stops in it.
  const threshold = sorted[0]?.stopThresholdSeconds ?? null;
  const withStops = threshold !== null && sorted.every((h) => h.stopThresholdSeconds === threshold && h.stations.every((s) => s.stops));
  const stopParts = new Map<string, (StopPiece | null)[]>();
  for (const h of sorted) {
    for (const s of h.stations) {
      let acc = stations.get(s.station);
      if (!acc) {
        acc = { station: s.station, cycles: emptyCycleSummary(), withinTakt: 0, stateSeconds: zeroStateSeconds(), plannedStateSeconds: zeroStateSeconds(), stateEvents: 0, down: [], asConstraint: emptyConstraintCycles() };
        stations.set(s.station, acc);
      }
      mergeCycleSummary(acc.cycles, s.cycles);
      acc.withinTakt += s.withinTakt;
      acc.stateEvents += s.stateEvents;
      for (const state of TIMELINE_STATES) {
        (acc.stateSeconds as Record<string, number>)[state] = (acc.stateSeconds?.[state] ?? 0) + (s.stateSeconds?.[state] ?? 0);
        (acc.plannedStateSeconds as Record<string, number>)[state] = (acc.plannedStateSeconds?.[state] ?? 0) + (s.plannedStateSeconds?.[state] ?? 0);
      }
      stitchSegments(acc.down as NonNullable<StationHour['down']>, s.down ?? []);
      // A day holds a station's productive cycles only if each of its hours does.
      if (acc.asConstraint && s.asConstraint) mergeConstraintCycles(acc.asConstraint, s.asConstraint);
      else acc.asConstraint = null;
      if (withStops) {
        const parts = stopParts.get(s.station) ?? [];
        parts.push(s.stops ?? null);
        stopParts.set(s.station, parts);
      }
    }
  }
  if (withStops && threshold !== null) {
    for (const [station, acc] of stations) acc.stops = mergeStopPieces(stopParts.get(station) ?? [], day.start, day.end, threshold);
  }
  return {
    line,
    start: day.start,
    end: day.end,
    units: sorted.reduce((n, h) => n + h.units, 0),
    goodUnits: sorted.reduce((n, h) => n + h.goodUnits, 0),
    stateEvents: sorted.reduce((n, h) => n + h.stateEvents, 0),
    taktSeconds: (sorted[0] as HourRollup).taktSeconds,
    version: ROLLUP_VERSION,
    losses: mergePieceLosses(sorted.map((h) => h.losses).filter((l) => l !== null)),
    ...(withStops ? { stopThresholdSeconds: threshold } : {}),
    stations: [...stations.values()].sort((a, b) => (a.station < b.station ? -1 : a.station > b.station ? 1 : 0)),
  };
}
