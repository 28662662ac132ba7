/**
 * Axis and interval labels on the line's clock, in the locale's style: the
 * hour alone when a chart spans about a day, date and hour beyond that.
 */
import type { Locale } from '../../i18n/messages';

const formats = new Map<string, Intl.DateTimeFormat>();

function format(locale: Locale, timeZone: string, withDate: boolean, withTime: boolean, withYear = false): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${withDate}|${withTime}|${withYear}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone,
      ...(withYear ? { year: 'numeric' } : {}),
      ...(withDate ? { month: 'numeric', day: 'numeric' } : {}),
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
    });
    formats.set(key, f);
  }
  return f;
}

/** Spans up to this long label ticks with the time of day only, ms. */
export const TIME_ONLY_SPAN_MS = 26 * 3_600_000;

/** A tick formatter for a chart spanning `spanMs`: `14:00`, or `11/28 14:00` beyond a day. */
export function tickFormatter(spanMs: number, timeZone: string, locale: Locale): (ts: number) => string {
  const f = format(locale, timeZone, spanMs > TIME_ONLY_SPAN_MS, true);
  return (ts) => f.format(ts);
}

/** A day label, e.g. `11/28` / `11/28`, for daily buckets. */
export function dayFormatter(timeZone: string, locale: Locale): (ts: number) => string {
  const f = format(locale, timeZone, true, false);
  return (ts) => f.format(ts);
}

/**
 * Day labels of buckets starting at `starts` (ascending), e.g. `11/28`; when they fall in more than
 * one year on the line's clock, the first label and the first of each new year carry the year
 * (`2025/12/1`, `12/8`, …, `2026/1/5`), so a year of weeks does not read as one run of dates.
 */
export function dayLabels(starts: readonly number[], timeZone: string, locale: Locale): string[] {
  const year = format(locale, timeZone, false, false, true);
  const day = format(locale, timeZone, true, false);
  const dated = format(locale, timeZone, true, false, true);
  const years = starts.map((ts) => year.format(ts));
  if (new Set(years).size <= 1) return starts.map((ts) => day.format(ts));
  return starts.map((ts, i) => (i === 0 || years[i] !== years[i - 1] ? dated : day).format(ts));
}

/** Date and time of an interval's end, e.g. `11/28 22:00`. */
export function formatDateTime(ts: number, timeZone: string, locale: Locale): string {
  return format(locale, timeZone, true, true).format(ts);
}

/**
 * The two ends of an interval, e.g. `11/28 06:00` and `11/29 06:00`; with the year
 * (`2025/12/1 00:00`, `2026/12/1 00:00`) when they fall in different years on the line's clock,
 * where month and day alone would read the same or backwards.
 */
export function formatIntervalEnds(from: number, to: number, timeZone: string, locale: Locale): [string, string] {
  const year = format(locale, timeZone, false, false, true);
  const withYear = year.format(from) !== year.format(to);
  const f = format(locale, timeZone, true, true, withYear);
  return [f.format(from), f.format(to)];
}
