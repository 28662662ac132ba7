/**
 * Custom-range inputs in the line's time zone: a `datetime-local` field holds
 * a wall-clock reading with no zone, and the manager means the line's clock,
 * not the laptop's. Pure conversions both ways, and the range in the page's
 * URL so a link opens on the same interval.
 */
import type { CalendarRange } from '@core/calendar/calendar';
import { formatClock, localTime, zonedToEpoch } from '@core/time/civil';
import type { RangeSelection } from '../../services/history-api';

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

const CALENDAR_IDS: readonly string[] = ['shift:current', 'shift:previous', 'day:today', 'day:previous', 'week:current', 'week:previous'];

/**
 * The range a page URL names: `range=day:today`, or `from` and `to` in epoch
 * ms; null when it names none (or nonsense), so a shared link opens on the
 * same interval.
 */
export function rangeFromSearch(search: string): RangeSelection | null {
  const p = new URLSearchParams(search);
  const range = p.get('range');
  if (range !== null) return CALENDAR_IDS.includes(range) ? { kind: 'calendar', range: range as CalendarRange } : null;
  const from = Number(p.get('from'));
  const to = Number(p.get('to'));
  return p.has('from') && p.has('to') && Number.isSafeInteger(from) && Number.isSafeInteger(to) && to > from ? { kind: 'custom', from, to } : null;
}

/** `search` with its range parameters replaced by `range`'s; other parameters (line, lang) kept. */
export function searchWithRange(search: string, range: RangeSelection): string {
  const p = new URLSearchParams(search);
  p.delete('range');
  p.delete('from');
  p.delete('to');
  if (range.kind === 'calendar') p.set('range', range.range);
  else {
    p.set('from', String(Math.round(range.from)));
    p.set('to', String(Math.round(range.to)));
  }
  return `?${p.toString()}`;
}

/** The complete periods the picker offers beside the calendar's: last month, last quarter, the twelve months before this one. */
export type PastPeriod = 'month' | 'quarter' | 'year';
export const PAST_PERIODS: readonly PastPeriod[] = ['month', 'quarter', 'year'];

/** Local midnight on the first day of month `index` (months since year 0, may run over) on the line's clock. */
function monthStart(index: number, timeZone: string): number {
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return zonedToEpoch(`${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`, 0, timeZone);
}

/**
 * The last complete month, quarter or twelve months before the month that
 * holds `now`, from local midnight on the line's clock: a whole period, so
 * its size never depends on today's date.
 */
export function pastPeriod(period: PastPeriod, now: number, timeZone: string): { from: number; to: number } {
  const { date } = localTime(now, timeZone);
  const current = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
  const quarter = current - (current % 3);
  const [from, to] = period === 'month' ? [current - 1, current] : period === 'quarter' ? [quarter - 3, quarter] : [current - 12, current];
  return { from: monthStart(from, timeZone), to: monthStart(to, timeZone) };
}

/** Which past period a custom selection is exactly, if any (the picker shows it pressed). */
export function pastPeriodOf(range: RangeSelection, now: number, timeZone: string): PastPeriod | null {
  if (range.kind !== 'custom') return null;
  return PAST_PERIODS.find((p) => {
    const span = pastPeriod(p, now, timeZone);
    return span.from === range.from && span.to === range.to;
  }) ?? null;
}
