/**
 * Downtime Pareto: time in `fault` or `maintenance` inside planned production
 * time, by station and reason, largest first, with cumulative shares.
 * Maintenance outside planned time (the usual place for it) is not a loss.
 */
import type { Span } from '../calendar/calendar';
import { overlapMs } from './spans';
import type { StateSegment } from './states';

/** A reason as recorded; events without one are grouped as `''` (the UI shows "unspecified"). */
export interface DowntimeItem {
  station: string;
  state: 'fault' | 'maintenance';
  reason: string;
  seconds: number;
  /** Stretches of this state and reason that overlap planned time. */
  occurrences: number;
  /** Share of all downtime in the interval, 0–1. */
  share: number;
  /** Running total of `share` down the sorted list, 0–1. */
  cumulativeShare: number;
}

export interface DowntimePareto {
  totalSeconds: number;
  items: DowntimeItem[];
  /** Downtime per station, largest first. */
  byStation: { station: string; seconds: number; share: number }[];
}

/** The Pareto of downtime from each station's timeline and the planned intervals. */
export function downtimePareto(timelines: ReadonlyMap<string, readonly StateSegment[]>, planned: readonly Span[]): DowntimePareto {
  const byKey = new Map<string, Omit<DowntimeItem, 'share' | 'cumulativeShare'>>();
  for (const [station, segments] of timelines) {
    for (const s of segments) {
      if (s.state !== 'fault' && s.state !== 'maintenance') continue;
      const seconds = overlapMs(planned, s.start, s.end) / 1000;
      if (seconds <= 0) continue;
      const reason = s.reason ?? '';
      const key = JSON.stringify([station, s.state, reason]);
      const item = byKey.get(key) ?? { station, state: s.state, reason, seconds: 0, occurrences: 0 };
      item.seconds += seconds;
      item.occurrences += 1;
      byKey.set(key, item);
    }
  }
  const sorted = [...byKey.values()].sort(
    (a, b) => b.seconds - a.seconds || a.station.localeCompare(b.station) || a.reason.localeCompare(b.reason),
  );
  const totalSeconds = sorted.reduce((s, i) => s + i.seconds, 0);
  let running = 0;
  const items = sorted.map((i) => {
    running += i.seconds;
    return { ...i, share: i.seconds / totalSeconds, cumulativeShare: running / totalSeconds };
  });
  const perStation = new Map<string, number>();
  for (const i of items) perStation.set(i.station, (perStation.get(i.station) ?? 0) + i.seconds);
  const byStation = [...perStation.entries()]
    .map(([station, seconds]) => ({ station, seconds, share: seconds / totalSeconds }))
    .sort((a, b) => b.seconds - a.seconds || a.station.localeCompare(b.station));
  return { totalSeconds, items, byStation };
}
