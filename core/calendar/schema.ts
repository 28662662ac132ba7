/**
 * The production calendar's configuration: one schema, validated wherever a
 * calendar enters (plant file, API), with errors that name the field.
 *
 * Times are local wall-clock `HH:MM` in the line's time zone. A production day
 * `D` runs from `dayStart` on civil date `D` to `dayStart` on `D + 1`; every
 * shift belongs to the production day in which it starts and must end by the
 * next day's start, so a night shift 22:00–06:00 with `dayStart` 06:00 belongs
 * to the day on which it began.
 */
import { z } from 'zod';
import { IDENTIFIER_PATTERN } from '../events';
import { clockMinutes, isCivilDate } from '../time/civil';
import { isTimeZone } from '../time/zone';

const CLOCK_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

const clock = (what: string) =>
  z
    .string({ error: `${what} must be a string 'HH:MM'` })
    .regex(CLOCK_PATTERN, { error: `${what} must be a 24-hour local time 'HH:MM', e.g. '06:00'` });

const civilDate = (what: string) =>
  z.string({ error: `${what} must be a string 'YYYY-MM-DD'` }).refine(isCivilDate, {
    error: `${what} must be a real date 'YYYY-MM-DD', e.g. '2027-05-01'`,
  });

const LocalizedName = z.strictObject({
  zh: z.string().min(1).max(80),
  en: z.string().min(1).max(80),
});

const weekdays = (what: string) =>
  z
    .array(
      z
        .number({ error: `${what} must hold ISO weekdays 1 (Monday) … 7 (Sunday)` })
        .int({ error: `${what} must hold ISO weekdays 1 (Monday) … 7 (Sunday)` })
        .min(1, { error: `${what} must hold ISO weekdays 1 (Monday) … 7 (Sunday)` })
        .max(7, { error: `${what} must hold ISO weekdays 1 (Monday) … 7 (Sunday)` }),
    )
    .max(7)
    .refine((d) => new Set(d).size === d.length, { error: `${what} must not repeat a weekday` });

/** A paid or unpaid pause inside a shift: not planned production time. */
export const BreakTemplate = z.strictObject({
  start: clock('break start'),
  end: clock('break end'),
  name: LocalizedName.optional(),
});
export type BreakTemplate = z.infer<typeof BreakTemplate>;

/** One shift of the daily pattern. `end` ≤ `start` means it ends the next calendar day. */
export const ShiftTemplate = z.strictObject({
  id: z.string({ error: 'shift id must be a string' }).regex(IDENTIFIER_PATTERN, {
    error: "shift id must be 1–64 characters of letters, digits, '_', '.' or '-'",
  }),
  name: LocalizedName,
  start: clock('shift start'),
  end: clock('shift end'),
  breaks: z.array(BreakTemplate).max(24).default([]),
  /** Weekdays this shift runs (ISO 1–7); default: every working day of the calendar. */
  weekdays: weekdays('shift weekdays').optional(),
});
export type ShiftTemplate = z.infer<typeof ShiftTemplate>;

const patternShape = {
  /** Local time at which the production day begins, e.g. '06:00'. */
  dayStart: clock('dayStart'),
  shifts: z.array(ShiftTemplate).max(12, { error: 'a calendar holds at most 12 shifts per day' }),
  /** ISO weekdays that are working days (1 = Monday … 7 = Sunday). */
  weekdays: weekdays('weekdays').default([1, 2, 3, 4, 5, 6, 7]),
  /** Production days with no shifts (holidays), by the date the production day starts. */
  daysOff: z.array(civilDate('daysOff entry')).max(2000).default([]),
  /** Extra working days outside `weekdays` (China's 调休 make-up working days); `daysOff` wins. */
  workdays: z.array(civilDate('workdays entry')).max(2000).default([]),
};

/**
 * A line's shift pattern without a time zone: what `LineConfig.calendar`
 * holds (the line's own `timeZone` applies, so there is one source of truth).
 */
export const ShiftPattern = z.strictObject(patternShape).superRefine(checkPattern);
export type ShiftPattern = z.infer<typeof ShiftPattern>;
export type ShiftPatternInput = z.input<typeof ShiftPattern>;

/** A complete production calendar: a shift pattern in an IANA time zone. */
export const ProductionCalendar = z
  .strictObject({
    timeZone: z.string().refine(isTimeZone, { error: 'timeZone must be an IANA time zone such as Asia/Shanghai' }),
    ...patternShape,
  })
  .superRefine(checkPattern);
export type ProductionCalendar = z.infer<typeof ProductionCalendar>;
export type ProductionCalendarInput = z.input<typeof ProductionCalendar>;

/** Why a calendar was rejected: a stable code, the field path, and a sentence for a person. */
export interface CalendarIssue {
  code: 'invalid_calendar';
  field: string;
  reason: string;
}

/** Validates a calendar; never throws. */
export function parseCalendar(
  raw: unknown,
): { ok: true; calendar: ProductionCalendar } | { ok: false; issues: CalendarIssue[] } {
  const parsed = ProductionCalendar.safeParse(raw);
  if (parsed.success) return { ok: true, calendar: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => ({
      code: 'invalid_calendar',
      field: i.path.map(String).join('.'),
      reason: i.message,
    })),
  };
}

const mod1440 = (n: number) => ((n % 1440) + 1440) % 1440;

/** Minutes after the production day's start at which a shift begins, and its length in minutes. */
export function shiftOffsets(dayStart: string, shift: Pick<ShiftTemplate, 'start' | 'end'>): { offset: number; length: number } {
  const offset = mod1440(clockMinutes(shift.start) - clockMinutes(dayStart));
  const length = mod1440(clockMinutes(shift.end) - clockMinutes(shift.start)) || 1440; // start = end: a 24 h shift
  return { offset, length };
}

/** Minutes after the shift's start at which a break begins, and its length in minutes. */
export function breakOffsets(shiftStart: string, brk: Pick<BreakTemplate, 'start' | 'end'>): { offset: number; length: number } {
  return {
    offset: mod1440(clockMinutes(brk.start) - clockMinutes(shiftStart)),
    length: mod1440(clockMinutes(brk.end) - clockMinutes(brk.start)),
  };
}

interface PatternLike {
  dayStart: string;
  shifts: { id: string; start: string; end: string; breaks: { start: string; end: string }[] }[];
}

function checkPattern(p: PatternLike, ctx: z.RefinementCtx): void {
  if (!CLOCK_PATTERN.test(p.dayStart)) return; // reported by the field's own schema
  const ids = new Set<string>();
  const spans: { i: number; offset: number; end: number }[] = [];
  p.shifts.forEach((shift, i) => {
    if (ids.has(shift.id)) ctx.addIssue({ code: 'custom', path: ['shifts', i, 'id'], message: `shift id '${shift.id}' is used twice` });
    ids.add(shift.id);
    if (!CLOCK_PATTERN.test(shift.start) || !CLOCK_PATTERN.test(shift.end)) return;
    const { offset, length } = shiftOffsets(p.dayStart, shift);
    if (offset + length > 1440) {
      ctx.addIssue({
        code: 'custom',
        path: ['shifts', i, 'end'],
        message: `shift '${shift.id}' (${shift.start}–${shift.end}) runs past the next production day's start ${p.dayStart}: a shift must fit inside one production day`,
      });
    }
    spans.push({ i, offset, end: offset + length });
    const breaks: { offset: number; end: number }[] = [];
    shift.breaks.forEach((brk, j) => {
      if (!CLOCK_PATTERN.test(brk.start) || !CLOCK_PATTERN.test(brk.end)) return;
      const b = breakOffsets(shift.start, brk);
      if (b.length === 0 || b.offset + b.length > length) {
        ctx.addIssue({
          code: 'custom',
          path: ['shifts', i, 'breaks', j],
          message: `break ${brk.start}–${brk.end} must lie inside shift '${shift.id}' (${shift.start}–${shift.end}) and last more than 0 minutes`,
        });
        return;
      }
      for (const other of breaks) {
        if (b.offset < other.end && other.offset < b.offset + b.length) {
          ctx.addIssue({ code: 'custom', path: ['shifts', i, 'breaks', j], message: `break ${brk.start}–${brk.end} overlaps another break of shift '${shift.id}'` });
        }
      }
      breaks.push({ offset: b.offset, end: b.offset + b.length });
    });
  });
  spans.sort((a, b) => a.offset - b.offset);
  for (let k = 1; k < spans.length; k += 1) {
    const prev = spans[k - 1] as (typeof spans)[number];
    const cur = spans[k] as (typeof spans)[number];
    if (cur.offset < prev.end) {
      ctx.addIssue({
        code: 'custom',
        path: ['shifts', cur.i, 'start'],
        message: `shift '${p.shifts[cur.i]?.id}' overlaps shift '${p.shifts[prev.i]?.id}'`,
      });
    }
  }
}

