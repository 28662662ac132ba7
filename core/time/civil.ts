/**
 * Civil (wall-clock) dates and times in an IANA time zone, on epoch
 * milliseconds, with Intl only. A civil date is the string `YYYY-MM-DD`.
 *
 * Daylight-saving rule (the same as Temporal's `disambiguation: 'compatible'`):
 * a wall time that does not exist (spring forward, e.g. 02:30 in Europe/Berlin
 * on the last Sunday of March) moves forward by the length of the gap (03:30);
 * a wall time that occurs twice (fall back) means its first occurrence.
 */
import { zoneOffsetMs } from './zone';

/** A calendar date as `YYYY-MM-DD`, no time zone attached. */
export type CivilDate = string;

const DAY_MS = 86_400_000;
const CIVIL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Wall-clock reading of an instant in a time zone. */
export interface LocalTime {
  date: CivilDate;
  /** Minutes since local midnight, 0–1439 (fractional part: seconds/60). */
  minuteOfDay: number;
  hour: number;
  minute: number;
  /** Offset from UTC at that instant, milliseconds, east positive. */
  offsetMs: number;
}

/** Whether `s` is a real date `YYYY-MM-DD` (no 2027-02-30). */
export function isCivilDate(s: string): boolean {
  const m = CIVIL_DATE_PATTERN.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/**
 * Day numbers and dates already converted: a year of calendar reads (planned time, hour buckets) converts
 * the same few hundred days thousands of times, and a Date and its ISO string per call were a tenth of a
 * long KPI read. Bounded; both directions are pure.
 */
const dayNumbers = new Map<CivilDate, number>();
const datesOfDay = new Map<number, CivilDate>();
const MAX_MEMO_DAYS = 20_000;

/** Days since 1970-01-01 of a civil date (proleptic Gregorian). */
function dayNumber(date: CivilDate): number {
  const hit = dayNumbers.get(date);
  if (hit !== undefined) return hit;
  const m = CIVIL_DATE_PATTERN.exec(date);
  if (!m) throw new RangeError(`not a civil date YYYY-MM-DD: '${date}'`);
  const n = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
  if (dayNumbers.size >= MAX_MEMO_DAYS) dayNumbers.clear();
  dayNumbers.set(date, n);
  return n;
}

function fromDayNumber(n: number): CivilDate {
  const hit = datesOfDay.get(n);
  if (hit !== undefined) return hit;
  const date = new Date(n * DAY_MS).toISOString().slice(0, 10);
  if (datesOfDay.size >= MAX_MEMO_DAYS) datesOfDay.clear();
  datesOfDay.set(n, date);
  return date;
}

/** The civil date `days` after `date` (negative: before). */
export function addDays(date: CivilDate, days: number): CivilDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: CivilDate, b: CivilDate): number {
  return dayNumber(b) - dayNumber(a);
}

/** ISO weekday of a civil date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: CivilDate): number {
  const d = new Date(dayNumber(date) * DAY_MS).getUTCDay();
  return d === 0 ? 7 : d;
}

/** ISO week label of a civil date, e.g. `2027-W13`. */
export function isoWeekLabel(date: CivilDate): string {
  // The ISO week belongs to the year of its Thursday.
  const thursday = addDays(date, 4 - isoWeekday(date));
  const year = thursday.slice(0, 4);
  const week = Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The wall-clock reading of instant `ts` in `timeZone`. */
export function localTime(ts: number, timeZone: string): LocalTime {
  const offsetMs = zoneOffsetMs(ts, timeZone);
  const local = ts + offsetMs;
  const dayN = Math.floor(local / DAY_MS);
  const msOfDay = local - dayN * DAY_MS;
  const minuteOfDay = msOfDay / 60_000;
  return {
    date: fromDayNumber(dayN),
    minuteOfDay,
    hour: Math.floor(minuteOfDay / 60),
    minute: Math.floor(minuteOfDay % 60),
    offsetMs,
  };
}

/**
 * The instant at which the wall clock in `timeZone` reads `date` plus
 * `minuteOfDay` minutes (may exceed 1440: the following days). Gaps and
 * repeats resolve as described at the top of this file.
 */
export function zonedToEpoch(date: CivilDate, minuteOfDay: number, timeZone: string): number {
  const naive = dayNumber(date) * DAY_MS + Math.round(minuteOfDay * 60_000);
  // Offsets a day either side bracket any transition near `naive` (zones change at most once a day).
  const before = zoneOffsetMs(naive - DAY_MS, timeZone);
  const after = zoneOffsetMs(naive + DAY_MS, timeZone);
  const tBefore = naive - before;
  const tAfter = naive - after;
  const beforeValid = zoneOffsetMs(tBefore, timeZone) === before;
  const afterValid = zoneOffsetMs(tAfter, timeZone) === after;
  if (beforeValid && afterValid) return Math.min(tBefore, tAfter); // repeated: first occurrence
  if (beforeValid) return tBefore;
  if (afterValid) return tAfter;
  // In the gap: read with the offset in force before it, which lands after the gap.
  return tBefore;
}

/** UTC offset as `+08:00` / `-05:00`. */
export function formatOffset(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  return `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** `HH:MM` → minutes since midnight. */
export function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** Minutes since midnight → `HH:MM` (wraps at 24 h). */
export function formatClock(minutes: number): string {
  const m = ((Math.floor(minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** RFC 3339 local rendering of an instant, e.g. `2027-03-28T03:00:00+02:00`: for labels and logs. */
export function formatLocal(ts: number, timeZone: string): string {
  const t = localTime(ts, timeZone);
  const secs = Math.floor((t.minuteOfDay * 60) % 60);
  return `${t.date}T${formatClock(t.minuteOfDay)}:${String(secs).padStart(2, '0')}${formatOffset(t.offsetMs)}`;
}
