/**
 * Custom-range inputs in the line's time zone: a `datetime-local` field holds
 * a wall-clock reading with no zone, and the manager means the line's clock,
 * not the laptop's. Pure conversions both ways.
 */
import { formatClock, localTime, zonedToEpoch } from '@core/time/civil';

const LOCAL_INPUT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/;

/** `YYYY-MM-DDTHH:mm` of instant `ts` on the line's clock, for a datetime-local input. */
export function toLocalInput(ts: number, timeZone: string): string {
  const t = localTime(ts, timeZone);
  return `${t.date}T${formatClock(t.minuteOfDay)}`;
}

/** The instant a `YYYY-MM-DDTHH:mm` reading means on the line's clock; null if it is not one. */
export function fromLocalInput(value: string, timeZone: string): number | null {
  const m = LOCAL_INPUT.exec(value.trim());
  if (!m) return null;
  const [, date, hh, mm] = m;
  const minutes = Number(hh) * 60 + Number(mm);
  if (!date || minutes >= 1440) return null;
  return zonedToEpoch(date, minutes, timeZone);
}
