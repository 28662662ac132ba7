/**
 * The production calendar at work: production days, shifts, planned time and
 * clock-hour buckets, on epoch milliseconds. Pure; results for a day are
 * memoised per calendar object (a calendar is treated as immutable).
 *
 * Conventions: every interval is half-open `[start, end)`; planned time is
 * elapsed real time, so a night shift 22:00–06:00 lasts 7 h on the night
 * clocks spring forward and 9 h on the night they fall back (see
 * core/time/civil.ts for how a missing or repeated wall time resolves).
 */
import type { LineConfig } from '../plant';
import { addDays, clockMinutes, formatClock, formatOffset, isoWeekLabel, isoWeekday, localTime, zonedToEpoch } from '../time/civil';
import type { CivilDate } from '../time/civil';
import { startOfLocalHour } from '../time/zone';
import { DEFAULT_SHIFT_PATTERN } from './reference';
import { breakOffsets, shiftOffsets, type ProductionCalendar } from './schema';

const HOUR_MS = 3_600_000;
/** How far `previousShift` / `nextShift` look for a shift: covers a Spring Festival shutdown. */
const SEARCH_DAYS = 45;

/** A half-open span of time `[start, end)`, epoch ms. */
export interface Span {
  start: number;
  end: number;
}

/** A stretch of planned production time: a shift minus its breaks. */
export interface PlannedInterval extends Span {
  shiftId: string;
  /** The production day the shift belongs to. */
  day: CivilDate;
}

/** One shift on one production day. */
export interface ShiftInstance extends Span {
  /** Unique per shift occurrence: `${day}/${id}`, e.g. `2027-03-01/night`. */
  key: string;
  id: string;
  name: { zh: string; en: string };
  day: CivilDate;
  breaks: Span[];
  /** The shift minus its breaks, ascending. */
  planned: PlannedInterval[];
  /** Planned production time of the whole shift, seconds. */
  plannedSeconds: number;
}

/** One production day: from `dayStart` on `date` to `dayStart` on the next date. */
export interface ProductionDay extends Span {
  date: CivilDate;
  working: boolean;
  shifts: ShiftInstance[];
  /** Planned production time of the day, seconds. */
  plannedSeconds: number;
}

/** A production week: Monday's production day to the next Monday's. */
export interface ProductionWeek extends Span {
  /** ISO week of its Monday, e.g. `2027-W13`. */
  label: string;
  firstDay: CivilDate;
  lastDay: CivilDate;
}

/** One local clock hour, clipped to the requested interval. */
export interface HourBucket extends Span {
  /** The full clock hour `[hourStart, hourEnd)`; `start`/`end` are clipped to the request. */
  hourStart: number;
  hourEnd: number;
  /** Local date and `HH:00` of the hour, with the UTC offset in force (tells the two 02:00 hours apart). */
  date: CivilDate;
  label: string;
  utcOffset: string;
  /** Planned production time inside `[start, end)`, seconds. The hour's plan = target × this / 3600. */
  plannedSeconds: number;
}

/** The calendar a line runs on: its own pattern or the default, in the line's time zone. */
export function lineCalendar(line: Pick<LineConfig, 'timeZone' | 'calendar'>): ProductionCalendar {
  // Same line object, same calendar object: keeps the per-calendar day memo warm.
  const hit = lineCalendars.get(line);
  if (hit) return hit;
  const cal = { timeZone: line.timeZone, ...(line.calendar ?? DEFAULT_SHIFT_PATTERN) };
  lineCalendars.set(line, cal);
  return cal;
}

const lineCalendars = new WeakMap<object, ProductionCalendar>();

const dayCache = new WeakMap<ProductionCalendar, Map<CivilDate, ProductionDay>>();
/** Days kept per calendar: more than the 400 days a long read may ask for, so a year's reads (planned time, hour buckets, shifts) build each day once. */
const DAY_CACHE_SIZE = 1024;

/** The production day that starts on civil date `date`. */
export function productionDayOf(cal: ProductionCalendar, date: CivilDate): ProductionDay {
  let cache = dayCache.get(cal);
  if (!cache) {
    cache = new Map();
    dayCache.set(cal, cache);
  }
  const hit = cache.get(date);
  if (hit) return hit;
  const day = buildDay(cal, date);
  if (cache.size >= DAY_CACHE_SIZE) cache.delete(cache.keys().next().value as CivilDate);
  cache.set(date, day);
  return day;
}

function isWorkingDay(cal: ProductionCalendar, date: CivilDate): boolean {
  if (cal.daysOff.includes(date)) return false;
  return cal.weekdays.includes(isoWeekday(date)) || cal.workdays.includes(date);
}

function buildDay(cal: ProductionCalendar, date: CivilDate): ProductionDay {
  const dayStartMin = clockMinutes(cal.dayStart);
  const at = (minutesAfterDayStart: number) => zonedToEpoch(date, dayStartMin + minutesAfterDayStart, cal.timeZone);
  const start = at(0);
  const end = at(1440);
  const working = isWorkingDay(cal, date);
  const weekday = isoWeekday(date);
  const shifts: ShiftInstance[] = [];
  if (working) {
    for (const t of cal.shifts) {
      if (t.weekdays && !t.weekdays.includes(weekday)) continue;
      const { offset, length } = shiftOffsets(cal.dayStart, t);
      const sStart = at(offset);
      const sEnd = at(offset + length);
      if (sEnd <= sStart) continue; // swallowed whole by a DST gap
      const breaks: Span[] = [];
      for (const b of t.breaks) {
        const bo = breakOffsets(t.start, b);
        const bStart = Math.max(sStart, at(offset + bo.offset));
        const bEnd = Math.min(sEnd, at(offset + bo.offset + bo.length));
        if (bEnd > bStart) breaks.push({ start: bStart, end: bEnd });
      }
      breaks.sort((a, b) => a.start - b.start);
      const planned = subtract({ start: sStart, end: sEnd }, breaks).map((s) => ({ ...s, shiftId: t.id, day: date }));
      shifts.push({
        key: `${date}/${t.id}`,
        id: t.id,
        name: t.name,
        day: date,
        start: sStart,
        end: sEnd,
        breaks,
        planned,
        plannedSeconds: sumSeconds(planned),
      });
    }
    shifts.sort((a, b) => a.start - b.start);
  }
  return { date, start, end, working, shifts, plannedSeconds: shifts.reduce((s, x) => s + x.plannedSeconds, 0) };
}

/** The production day containing instant `ts`. */
export function productionDay(cal: ProductionCalendar, ts: number): ProductionDay {
  const local = localTime(ts, cal.timeZone);
  let date = local.minuteOfDay < clockMinutes(cal.dayStart) ? addDays(local.date, -1) : local.date;
  // The wall-clock guess can be off by a day when dayStart falls in a DST gap or repeat: check the instants.
  for (let i = 0; i < 3; i += 1) {
    const day = productionDayOf(cal, date);
    if (ts < day.start) date = addDays(date, -1);
    else if (ts >= day.end) date = addDays(date, 1);
    else return day;
  }
  return productionDayOf(cal, date);
}

/** The shift in progress at `ts` (breaks included), or null between shifts and on days off. */
export function shiftAt(cal: ProductionCalendar, ts: number): ShiftInstance | null {
  return productionDay(cal, ts).shifts.find((s) => s.start <= ts && ts < s.end) ?? null;
}

/** "This shift": the shift in progress at `now`, or null when none is. */
export function currentShift(cal: ProductionCalendar, now: number): ShiftInstance | null {
  return shiftAt(cal, now);
}

/**
 * "Last shift": the latest shift that ended at or before `now` (during a shift,
 * the one before it; between shifts, the one that just ended). Null if none
 * ended in the last 45 days.
 */
export function previousShift(cal: ProductionCalendar, now: number): ShiftInstance | null {
  let date = productionDay(cal, now).date;
  for (let i = 0; i <= SEARCH_DAYS; i += 1, date = addDays(date, -1)) {
    const shifts = productionDayOf(cal, date).shifts;
    for (let k = shifts.length - 1; k >= 0; k -= 1) {
      const s = shifts[k] as ShiftInstance;
      if (s.end <= now) return s;
    }
  }
  return null;
}

/** The next shift to start after `now`, or null if none within 45 days. */
export function nextShift(cal: ProductionCalendar, now: number): ShiftInstance | null {
  let date = productionDay(cal, now).date;
  for (let i = 0; i <= SEARCH_DAYS; i += 1, date = addDays(date, 1)) {
    const found = productionDayOf(cal, date).shifts.find((s) => s.start > now);
    if (found) return found;
  }
  return null;
}

/** Every shift that overlaps `[from, to)`, ascending. */
export function shiftsBetween(cal: ProductionCalendar, from: number, to: number): ShiftInstance[] {
  if (!(to > from)) return [];
  const out: ShiftInstance[] = [];
  let date = productionDay(cal, from).date;
  for (;;) {
    const day = productionDayOf(cal, date);
    if (day.start >= to) break;
    for (const s of day.shifts) if (s.start < to && s.end > from) out.push(s);
    date = addDays(date, 1);
  }
  return out;
}

const plannedMemo = new WeakMap<ProductionCalendar, Map<string, PlannedInterval[]>>();
/** Intervals remembered per calendar: one long KPI read asks for the same year's planned time about ten times. */
const PLANNED_MEMO_SIZE = 16;

/**
 * Planned production time inside `[from, to)`: shifts minus breaks, clipped, ascending. The answer is
 * frozen and shared by the callers that ask for the same interval of the same calendar object.
 */
export function plannedIntervals(cal: ProductionCalendar, from: number, to: number): PlannedInterval[] {
  let memo = plannedMemo.get(cal);
  if (!memo) {
    memo = new Map();
    plannedMemo.set(cal, memo);
  }
  const key = `${from}|${to}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const out = computePlannedIntervals(cal, from, to);
  for (const p of out) Object.freeze(p);
  Object.freeze(out);
  if (memo.size >= PLANNED_MEMO_SIZE) memo.delete(memo.keys().next().value as string);
  memo.set(key, out);
  return out;
}

function computePlannedIntervals(cal: ProductionCalendar, from: number, to: number): PlannedInterval[] {
  const out: PlannedInterval[] = [];
  for (const s of shiftsBetween(cal, from, to)) {
    for (const p of s.planned) {
      const start = Math.max(p.start, from);
      const end = Math.min(p.end, to);
      if (end > start) out.push({ ...p, start, end });
    }
  }
  return out;
}

/** Planned production time inside `[from, to)`, seconds. */
export function plannedSeconds(cal: ProductionCalendar, from: number, to: number): number {
  return sumSeconds(plannedIntervals(cal, from, to));
}

/** The production week containing `ts`: Monday's production day through Sunday's. */
export function weekOf(cal: ProductionCalendar, ts: number): ProductionWeek {
  const date = productionDay(cal, ts).date;
  const firstDay = addDays(date, 1 - isoWeekday(date));
  const lastDay = addDays(firstDay, 6);
  return {
    label: isoWeekLabel(firstDay),
    firstDay,
    lastDay,
    start: productionDayOf(cal, firstDay).start,
    end: productionDayOf(cal, lastDay).end,
  };
}

/** `00:00` … `23:00`: a year of hour buckets labels 8,760 hours with these 24. */
const HOUR_LABELS = Array.from({ length: 24 }, (_, h) => formatClock(h * 60));
const offsetLabels = new Map<number, string>();
function offsetLabel(offsetMs: number): string {
  let label = offsetLabels.get(offsetMs);
  if (label === undefined) {
    label = formatOffset(offsetMs);
    if (offsetLabels.size < 256) offsetLabels.set(offsetMs, label);
  }
  return label;
}

/**
 * Local clock hours covering `[from, to)`, each clipped to it, with the planned
 * production time inside. The sum of the buckets' planned seconds equals
 * `plannedSeconds(cal, from, to)`. On a 23 h day the hour 02:00 is missing; on
 * a 25 h day 02:00 appears twice, with different `utcOffset`.
 */
export function hourBuckets(cal: ProductionCalendar, from: number, to: number): HourBucket[] {
  if (!(to > from)) return [];
  const planned = plannedIntervals(cal, from, to);
  const out: HourBucket[] = [];
  let p = 0;
  for (let h = startOfLocalHour(from, cal.timeZone); h < to; ) {
    let next = startOfLocalHour(h + HOUR_MS, cal.timeZone);
    if (next <= h) next = h + HOUR_MS;
    const start = Math.max(h, from);
    const end = Math.min(next, to);
    let ms = 0;
    while (p < planned.length && (planned[p] as PlannedInterval).end <= start) p += 1;
    for (let q = p; q < planned.length && (planned[q] as PlannedInterval).start < end; q += 1) {
      const iv = planned[q] as PlannedInterval;
      ms += Math.max(0, Math.min(iv.end, end) - Math.max(iv.start, start));
    }
    const local = localTime(h, cal.timeZone);
    out.push({
      start,
      end,
      hourStart: h,
      hourEnd: next,
      date: local.date,
      label: HOUR_LABELS[local.hour] ?? formatClock(local.hour * 60),
      utcOffset: offsetLabel(local.offsetMs),
      plannedSeconds: ms / 1000,
    });
    h = next;
  }
  return out;
}

/** Planned time of the `days` production days from the one holding `ts`: what the backlog is cleared against. */
export function plannedAhead(cal: ProductionCalendar, ts: number, days: number): { plannedSeconds: number; workingDays: number } {
  const first = productionDay(cal, ts).date;
  let plannedSecondsTotal = 0;
  let workingDays = 0;
  for (let i = 0; i < days; i += 1) {
    const d = productionDayOf(cal, addDays(first, i));
    plannedSecondsTotal += d.plannedSeconds;
    if (d.plannedSeconds > 0) workingDays += 1;
  }
  return { plannedSeconds: plannedSecondsTotal, workingDays };
}

/** Range names the API speaks, resolved against the calendar. */
export const CALENDAR_RANGES = ['shift:current', 'shift:previous', 'day:today', 'day:previous', 'week:current', 'week:previous'] as const;
export type CalendarRange = (typeof CALENDAR_RANGES)[number];

export type RangeResolution =
  | { ok: true; from: number; to: number; label: string; shift: ShiftInstance | null }
  | { ok: false; code: 'unknown_range' | 'no_current_shift' | 'no_previous_shift'; reason: string };

/**
 * Resolves a calendar range at `now` to `[from, to)`. The range is the whole
 * shift / day / week, even when it has not ended: KPI functions evaluate it as
 * of `now`. `shift:current` between shifts is `no_current_shift` (the caller
 * may fall back to `shift:previous`).
 */
export function resolveRange(cal: ProductionCalendar, range: string, now: number): RangeResolution {
  switch (range) {
    case 'shift:current':
    case 'shift:previous': {
      const s = range === 'shift:current' ? currentShift(cal, now) : previousShift(cal, now);
      if (!s) {
        const code = range === 'shift:current' ? 'no_current_shift' : 'no_previous_shift';
        const next = nextShift(cal, now);
        const reason =
          range === 'shift:current'
            ? `no shift is in progress${next ? `; the next one (${next.id}) starts at ${new Date(next.start).toISOString()}` : ''}`
            : 'no shift ended in the last 45 days';
        return { ok: false, code, reason };
      }
      return { ok: true, from: s.start, to: s.end, label: s.key, shift: s };
    }
    case 'day:today':
    case 'day:previous': {
      let day = productionDay(cal, now);
      if (range === 'day:previous') day = productionDayOf(cal, addDays(day.date, -1));
      return { ok: true, from: day.start, to: day.end, label: day.date, shift: null };
    }
    case 'week:current':
    case 'week:previous': {
      let week = weekOf(cal, now);
      if (range === 'week:previous') week = weekOf(cal, week.start - 1);
      return { ok: true, from: week.start, to: week.end, label: week.label, shift: null };
    }
    default:
      return { ok: false, code: 'unknown_range', reason: `range must be one of ${CALENDAR_RANGES.join(', ')}` };
  }
}

/** `outer` minus sorted, non-overlapping `holes`. */
function subtract(outer: Span, holes: readonly Span[]): Span[] {
  const out: Span[] = [];
  let cursor = outer.start;
  for (const h of holes) {
    if (h.start > cursor) out.push({ start: cursor, end: Math.min(h.start, outer.end) });
    cursor = Math.max(cursor, h.end);
  }
  if (cursor < outer.end) out.push({ start: cursor, end: outer.end });
  return out.filter((s) => s.end > s.start);
}

function sumSeconds(spans: readonly Span[]): number {
  let ms = 0;
  for (const s of spans) ms += s.end - s.start;
  return ms / 1000;
}
