/**
 * The whole numbers of a shift a wall shows (see {@link shiftFiguresShown}).
 * Apart from shift-live.ts so the dashboard can import it without the
 * calendar and its schema (zod probes `new Function`, which the
 * collector's Content-Security-Policy reports as a violation).
 */
import type { ShiftLive } from './shift-live';

/** What a wall shows of the catch-up: nothing, the rate that reaches plan, or what the line cannot reach. */
export type CatchUpShown =
  | { kind: 'none' }
  /** The plan is still within reach at this whole rate (units per hour, rounded up). */
  | { kind: 'rate'; rate: number }
  /**
   * The plan cannot be reached even at the line's ideal rate: the most it can
   * build by the end (`maxAtCapacity`, whole units), the units that will be
   * short (`planTotal − maxAtCapacity`, both as shown) and the overtime at
   * the ideal rate that would build them, seconds.
   */
  | { kind: 'short'; maxAtCapacity: number; short: number; overtimeSeconds: number; capacityPerHour: number };

/** The shift's figures as whole numbers a wall shows; every difference among them is computed from them. */
export interface ShiftFiguresShown {
  units: number;
  /** Units due by now, rounded down (a unit is due once it is whole). */
  planByNow: number;
  /** `units − planByNow`, both as shown: negative = behind. */
  gap: number;
  planTotal: number;
  /** Forecast at the end (at most what the ideal rate builds), rounded down; null when no rate is known. */
  forecast: number | null;
  catchUp: CatchUpShown;
}

/**
 * The whole numbers of {@link ShiftLive} a wall shows, so that the screen's
 * arithmetic holds: gap = units − due, short = plan − most at the ideal rate,
 * overtime = short ÷ ideal rate, and a line behind plan is never forecast at
 * or above it (forecast ≤ plan + gap).
 */
export function shiftFiguresShown(live: ShiftLive, capacityPerHour: number): ShiftFiguresShown {
  const planByNow = Math.floor(live.planByNow + 1e-9);
  const planTotal = Math.round(live.planTotal);
  const gap = live.units - planByNow;
  const forecast = live.forecast === null ? null : Math.floor(live.forecast + 1e-9);
  let catchUp: CatchUpShown = { kind: 'none' };
  if (live.status === 'running' && live.plannedSecondsRemaining > 0 && live.units < planTotal) {
    const maxAtCapacity = Math.floor(live.units + (capacityPerHour * live.plannedSecondsRemaining) / 3600 + 1e-9);
    const short = planTotal - maxAtCapacity;
    if (short > 0) {
      catchUp = { kind: 'short', maxAtCapacity, short, overtimeSeconds: (short / capacityPerHour) * 3600, capacityPerHour };
    } else if (gap < 0 && live.catchUpRate !== null) {
      catchUp = { kind: 'rate', rate: Math.min(Math.ceil(live.catchUpRate - 1e-9), capacityPerHour) };
    }
  }
  return { units: live.units, planByNow, gap, planTotal, forecast, catchUp };
}
