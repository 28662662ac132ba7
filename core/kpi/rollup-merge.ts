/**
 * Consecutive summaries (hours or days, core/kpi/hour-summary.ts) merged into
 * one of the span they cover, as a long-range KPI read adds them up: counts,
 * state seconds and cycle summaries summed, fault / maintenance segments
 * stitched where they run across a boundary, and takt compliance counted
 * against one takt (a summary counted against another is estimated from its
 * buckets, as collector/history/long-range.ts does for each piece). So a
 * merged month gives the same KPIs as its days read one by one. Pure.
 */
import { addDays, localTime, zonedToEpoch } from '../time/civil';
import { emptyCycleSummary, mergeCycleSummary, stitchSegments, summaryWithin, ROLLUP_VERSION, type HourRollup, type StationHour } from './hour-summary';
import { TIMELINE_STATES, zeroStateSeconds } from './states';

/** The local calendar month `[start, end)` holding `ts` (midnight on the 1st to midnight on the next 1st, on the line's clock). */
export function localMonthOf(ts: number, timeZone: string): { start: number; end: number } {
  const { date } = localTime(ts, timeZone);
  const first = `${date.slice(0, 7)}-01`;
  // The 1st plus 31 days is always in the next month.
  const next = `${addDays(first, 31).slice(0, 7)}-01`;
  return { start: zonedToEpoch(first, 0, timeZone), end: zonedToEpoch(next, 0, timeZone) };
}

/**
 * `pieces` (ascending) merged into one summary of `[span.start, span.end)`;
 * null unless they cover it without a gap or an overlap, all of the current
 * version and all with their stations' state seconds and segments.
 */
export function mergeRollups(line: string, span: { start: number; end: number }, pieces: readonly HourRollup[], taktSeconds: number): HourRollup | null {
  let cursor = span.start;
  for (const p of pieces) {
    if (p.start !== cursor || p.version !== ROLLUP_VERSION) return null;
    cursor = p.end;
  }
  if (cursor !== span.end || pieces.length === 0) return null;
  const stations = new Map<string, StationHour>();
  let units = 0;
  let goodUnits = 0;
  let stateEvents = 0;
  for (const p of pieces) {
    units += p.units;
    goodUnits += p.goodUnits;
    stateEvents += p.stateEvents;
    for (const s of p.stations) {
      if (s.stateSeconds === null || s.plannedStateSeconds === null || s.down === null) return null;
      let acc = stations.get(s.station);
      if (!acc) {
        acc = { station: s.station, cycles: emptyCycleSummary(), withinTakt: 0, stateSeconds: zeroStateSeconds(), plannedStateSeconds: zeroStateSeconds(), stateEvents: 0, down: [] };
        stations.set(s.station, acc);
      }
      mergeCycleSummary(acc.cycles, s.cycles);
      acc.withinTakt += p.taktSeconds === taktSeconds ? s.withinTakt : summaryWithin(s.cycles, taktSeconds);
      acc.stateEvents += s.stateEvents;
      const seconds = acc.stateSeconds as NonNullable<StationHour['stateSeconds']>;
      const planned = acc.plannedStateSeconds as NonNullable<StationHour['plannedStateSeconds']>;
      for (const state of TIMELINE_STATES) {
        seconds[state] += s.stateSeconds[state];
        planned[state] += s.plannedStateSeconds[state];
      }
      stitchSegments(acc.down as NonNullable<StationHour['down']>, s.down);
    }
  }
  return {
    line,
    start: span.start,
    end: span.end,
    units,
    goodUnits,
    stateEvents,
    taktSeconds,
    version: ROLLUP_VERSION,
    losses: null,
    stations: [...stations.values()].sort((a, b) => (a.station < b.station ? -1 : a.station > b.station ? 1 : 0)),
  };
}

/** Whole local months inside `[from, to)`, ascending. */
export function wholeMonths(from: number, to: number, timeZone: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let m = localMonthOf(from, timeZone);
  if (m.start < from) m = localMonthOf(m.end, timeZone);
  for (; m.end <= to; m = localMonthOf(m.end, timeZone)) out.push(m);
  return out;
}
