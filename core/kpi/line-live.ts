/**
 * The live state of one line, reduced from its events. Pure: callers pass the
 * clock (`now`) and keep the returned tracker.
 */
import type { StationEvent } from '../events';
import type { LineLive, StationLive } from '../live';
import type { LineConfig } from '../plant';
import { startOfLocalHour } from '../time/zone';
import { taktTargetSeconds, unitsPerHour } from './throughput';

const HOUR_MS = 3_600_000;

/** Mutable working state behind a {@link LineLive} view. */
export interface LineTracker {
  config: LineConfig;
  /** Completion times of units in the last hour or so, ascending, epoch ms. */
  unitTimes: number[];
  unitsTotal: number;
  stations: Map<string, StationLive>;
  dataAt: number | null;
  /** Server wall-clock time of the newest event received, epoch ms. */
  receivedAt: number | null;
}

export function createLineTracker(config: LineConfig): LineTracker {
  const stations = new Map<string, StationLive>();
  for (const s of config.stations) {
    stations.set(s.id, { id: s.id, name: s.name, state: 'offline', since: null, reason: null, lastCycleTime: null });
  }
  return { config, unitTimes: [], unitsTotal: 0, stations, dataAt: null, receivedAt: null };
}

/** Applies one validated event of this line; returns whether anything changed. */
export function applyLineEvent(tracker: LineTracker, event: StationEvent): boolean {
  if (!('line' in event) || event.line !== tracker.config.id) return false;
  tracker.dataAt = Math.max(tracker.dataAt ?? event.ts, event.ts);
  switch (event.type) {
    case 'unit': {
      insertSorted(tracker.unitTimes, event.ts);
      tracker.unitsTotal += 1;
      // Keep just what the trailing-hour and this-hour counts can need.
      const horizon = tracker.dataAt - 2 * HOUR_MS;
      while ((tracker.unitTimes[0] ?? Infinity) < horizon) tracker.unitTimes.shift();
      return true;
    }
    case 'state': {
      const station = tracker.stations.get(event.station);
      if (!station) return false;
      if (station.since !== null && event.ts < station.since) return false; // late, older than what we show
      station.state = event.state;
      station.since = event.ts;
      station.reason = event.reason ?? null;
      return true;
    }
    case 'cycle': {
      const station = tracker.stations.get(event.station);
      if (!station) return false;
      station.lastCycleTime = event.cycleTime;
      return true;
    }
    default:
      return false;
  }
}

/** The line's live numbers at `now`. */
export function lineLiveView(tracker: LineTracker, now: number): LineLive {
  const { config } = tracker;
  const hourStart = startOfLocalHour(now, config.timeZone);
  let unitsThisHour = 0;
  for (const t of tracker.unitTimes) if (t >= hourStart && t <= now) unitsThisHour += 1;
  return {
    line: config.id,
    name: config.name,
    timeZone: config.timeZone,
    targetPerHour: config.targetPerHour,
    taktTarget: taktTargetSeconds(config.targetPerHour),
    unitsThisHour,
    hourStart,
    unitsPerHour: unitsPerHour(tracker.unitTimes, now),
    lastUnitAt: tracker.unitTimes.at(-1) ?? null,
    unitsTotal: tracker.unitsTotal,
    stations: config.stations.map((s) => ({ ...(tracker.stations.get(s.id) as StationLive) })),
    dataAt: tracker.dataAt,
    now,
    receivedAt: tracker.receivedAt,
    shift: null,
    kpis: null,
  };
}

function insertSorted(times: number[], t: number): void {
  let i = times.length;
  while (i > 0 && (times[i - 1] as number) > t) i -= 1;
  times.splice(i, 0, t);
}
