/** Throughput KPIs as defined in DESIGN.md: one definition, used everywhere. */

const HOUR_MS = 3_600_000;

/** Takt target in seconds: the time the line has per unit at its planned rate. */
export function taktTargetSeconds(targetPerHour: number): number {
  return 3600 / targetPerHour;
}

/** Units completed in the trailing 60 minutes ending at `now`: (now − 60 min, now]. */
export function unitsPerHour(unitTimes: readonly number[], now: number): number {
  return countInWindow(unitTimes, now - HOUR_MS, now);
}

/** Units whose completion time lies in (from, to]. */
export function countInWindow(times: readonly number[], from: number, to: number): number {
  let n = 0;
  for (const t of times) if (t > from && t <= to) n += 1;
  return n;
}
