/** Arithmetic on sorted half-open time spans `[start, end)`, epoch ms. */
import type { Span } from '../calendar/calendar';

/**
 * Index of the first of `xs`, ascending by `end` (spans, segments, periods), that ends after `t`, or with
 * `orEqual` at `t` or after; `xs.length` if none.
 */
export function firstEndingAfter<T extends { end: number }>(xs: readonly T[], t: number, orEqual = false): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const e = (xs[mid] as T).end;
    if (orEqual ? e < t : e <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first of `xs`, ascending by `key` (an event's `ts`, a record's `from`), at `t` or after; `xs.length` if none. */
export function firstAtOrAfter<T>(xs: readonly T[], t: number, key: (x: T) => number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(xs[mid] as T) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Milliseconds of `[start, end)` covered by ascending, non-overlapping `spans`. */
export function overlapMs(spans: readonly Span[], start: number, end: number): number {
  if (!(end > start)) return 0;
  let ms = 0;
  for (let i = firstEndingAfter(spans, start); i < spans.length; i += 1) {
    const s = spans[i] as Span;
    if (s.start >= end) break;
    ms += Math.min(s.end, end) - Math.max(s.start, start);
  }
  return ms;
}

/** `part / whole`, or null when `whole` is 0 (a share of nothing is undefined, not 0). */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}
