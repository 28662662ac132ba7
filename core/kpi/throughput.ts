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

/** Whether the plan can still be reached, and if not, what it costs: overtime or units short. */
export interface CatchUpOutlook {
  /** Units still to build for the plan (≥ 0). */
  remainingUnits: number;
  /** Units per planned hour needed for the rest of the range; null with no planned time left. */
  neededRate: number | null;
  /** The most the line builds per planned hour: its planned rate (a paced line launches no faster). */
  capacityPerHour: number;
  reachable: boolean;
  /** At capacity until the end: units missing then; 0 when reachable. */
  unitsShort: number;
  /** Planned seconds beyond the range needed at capacity to build them; 0 when reachable. */
  overtimeSeconds: number;
  /** For a person; null when reachable. */
  why: { zh: string; en: string } | null;
}

function hoursMinutes(seconds: number): { zh: string; en: string } {
  const minutes = Math.ceil(seconds / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? { zh: `${h} 小时 ${m} 分钟`, en: `${h} h ${m} min` } : { zh: `${m} 分钟`, en: `${m} min` };
}

/**
 * Catch-up the line cannot reach says so: the rate needed for the rest of the
 * range against the line's capacity, and at capacity the units that will be
 * short at the end or the overtime (planned-rate hours) that would build them.
 */
export function catchUpOutlook(planTotal: number, units: number, remainingPlannedSeconds: number, capacityPerHour: number): CatchUpOutlook {
  const remainingUnits = Math.max(0, planTotal - units);
  const neededRate = catchUpRate(planTotal, units, remainingPlannedSeconds);
  const buildable = (capacityPerHour * Math.max(0, remainingPlannedSeconds)) / 3600;
  const unitsShort = Math.max(0, remainingUnits - buildable);
  const reachable = unitsShort <= 1e-9;
  if (reachable) return { remainingUnits, neededRate, capacityPerHour, reachable, unitsShort: 0, overtimeSeconds: 0, why: null };
  const overtimeSeconds = (unitsShort / capacityPerHour) * 3600;
  const short = Math.ceil(unitsShort - 1e-9);
  const ot = hoursMinutes(overtimeSeconds);
  const need =
    neededRate === null
      ? { zh: '计划时间已用完', en: 'No planned time is left' }
      : { zh: `剩余时间需 ${neededRate.toFixed(1)} 台/小时`, en: `Catching up needs ${neededRate.toFixed(1)}/h for the rest of the time` };
  return {
    remainingUnits,
    neededRate,
    capacityPerHour,
    reachable,
    unitsShort,
    overtimeSeconds,
    why: {
      zh: `${need.zh}，产线最多 ${capacityPerHour} 台/小时：结束时将缺 ${short} 台，或需加班 ${ot.zh}。`,
      en: `${need.en}; the line builds at most ${capacityPerHour}/h: ${short} units will be short at the end, or ${ot.en} of overtime.`,
    },
  };
}

/**
 * Units expected by the end of the range if the current rate holds for the
 * remaining planned time, never faster than the line can build:
 * units + min(rate, capacity) × remaining / 3600. A burst after a stop (a
 * buffer emptying, a replay) must not project more than the line's ideal rate
 * allows, so a line behind plan is never forecast above it. With no planned
 * time left it is `units`; with no rate known (and time left) it is null.
 */
export function forecastUnits(
  units: number,
  ratePerPlannedHour: number | null,
  remainingPlannedSeconds: number,
  capacityPerHour: number = Number.POSITIVE_INFINITY,
): number | null {
  if (!(remainingPlannedSeconds > 0)) return units;
  if (ratePerPlannedHour === null) return null;
  return units + (Math.min(ratePerPlannedHour, capacityPerHour) * remainingPlannedSeconds) / 3600;
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
 * Actual takt, seconds: the mean interval between consecutive units, measured
 * in planned time — (planned seconds between the first and the last unit) /
 * (n − 1) — so a break or a night between two units does not count as a slow
 * takt. Without a calendar (`plannedBetween` absent) the clock time between
 * them. Null below 2 units.
 */
export function actualTaktSeconds(sortedUnitTimes: readonly number[], plannedBetween?: (from: number, to: number) => number): number | null {
  return actualTaktBetween(sortedUnitTimes.length, sortedUnitTimes[0] ?? null, sortedUnitTimes.at(-1) ?? null, plannedBetween);
}

/** The same from the count of units and the first and last unit's times (what a rolled-up range knows). */
export function actualTaktBetween(
  units: number,
  first: number | null,
  last: number | null,
  plannedBetween?: (from: number, to: number) => number,
): number | null {
  if (units < 2 || first === null || last === null) return null;
  const seconds = plannedBetween ? plannedBetween(first, last) : (last - first) / 1000;
  return seconds / (units - 1);
}
