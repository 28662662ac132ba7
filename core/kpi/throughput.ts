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

/** Planned units for `plannedSeconds` of production time at `targetPerHour`: target × planned / 3600. */
export function planUnits(targetPerHour: number, plannedSeconds: number): number {
  return (targetPerHour * plannedSeconds) / 3600;
}

/**
 * Units per planned hour still needed to reach `planTotal` in the remaining
 * planned time: max(0, planTotal − units) / (remaining / 3600). Null when no
 * planned time remains.
 */
export function catchUpRate(planTotal: number, units: number, remainingPlannedSeconds: number): number | null {
  if (!(remainingPlannedSeconds > 0)) return null;
  return Math.max(0, planTotal - units) / (remainingPlannedSeconds / 3600);
}

/**
 * Units expected by the end of the range if `ratePerPlannedHour` holds for
 * the remaining planned time: units + rate × remaining / 3600. With no planned
 * time left it is `units`; with no rate known (and time left) it is null.
 */
export function forecastUnits(units: number, ratePerPlannedHour: number | null, remainingPlannedSeconds: number): number | null {
  if (!(remainingPlannedSeconds > 0)) return units;
  if (ratePerPlannedHour === null) return null;
  return units + (ratePerPlannedHour * remainingPlannedSeconds) / 3600;
}

/**
 * The current rate, units per planned hour: units in the trailing window ÷
 * planned hours in it, when the window holds at least `minPlannedSeconds` of
 * planned time (so a break does not read as a slump); otherwise the range's
 * average, units ÷ planned hours elapsed; null when neither has planned time.
 */
export function currentRate(args: {
  trailingUnits: number;
  trailingPlannedSeconds: number;
  units: number;
  plannedElapsedSeconds: number;
  minPlannedSeconds: number;
}): { value: number | null; basis: 'trailing' | 'average' | 'none' } {
  if (args.trailingPlannedSeconds >= args.minPlannedSeconds && args.trailingPlannedSeconds > 0) {
    return { value: args.trailingUnits / (args.trailingPlannedSeconds / 3600), basis: 'trailing' };
  }
  if (args.plannedElapsedSeconds > 0) return { value: args.units / (args.plannedElapsedSeconds / 3600), basis: 'average' };
  return { value: null, basis: 'none' };
}

/**
 * Actual takt, seconds: the mean interval between consecutive units,
 * (last − first) / (n − 1) over ascending completion times; null below 2 units.
 */
export function actualTaktSeconds(sortedUnitTimes: readonly number[]): number | null {
  const n = sortedUnitTimes.length;
  if (n < 2) return null;
  return ((sortedUnitTimes[n - 1] as number) - (sortedUnitTimes[0] as number)) / 1000 / (n - 1);
}
