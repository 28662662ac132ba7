/**
 * Hourly output rolled up into production days: one definition for the
 * history API's long ranges (and anyone else who adds hours into days).
 */
import { productionDay } from '../calendar/calendar';
import type { ProductionCalendar } from '../calendar/schema';

/** Output of one bucket (an hour or a day) against its plan. */
export interface OutputBucket {
  start: number;
  end: number;
  plannedSeconds: number;
  /** target × planned seconds / 3600. */
  plan: number;
  units: number;
  goodUnits: number;
}

/** Sums hourly buckets (ascending) into the production days that hold them (a day starts at the calendar's `dayStart`). */
export function rollUpDays(cal: ProductionCalendar, hours: readonly OutputBucket[]): OutputBucket[] {
  const days = new Map<number, OutputBucket>();
  for (const h of hours) {
    const day = productionDay(cal, h.start);
    const d = days.get(day.start) ?? { start: day.start, end: day.end, plannedSeconds: 0, plan: 0, units: 0, goodUnits: 0 };
    d.plannedSeconds += h.plannedSeconds;
    d.plan += h.plan;
    d.units += h.units;
    d.goodUnits += h.goodUnits;
    days.set(day.start, d);
  }
  return [...days.values()];
}
