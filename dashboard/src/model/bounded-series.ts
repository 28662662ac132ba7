/**
 * A time series bounded by both length and age, so a wall screen that runs
 * for a week holds the same number of points as one that started an hour ago.
 */

/** One sample: `t` epoch ms (the line's clock), `v` the value. */
export interface SeriesPoint {
  t: number;
  v: number;
}

/** How much history a series keeps. */
export interface SeriesLimits {
  /** Most points kept. */
  maxPoints: number;
  /** Oldest point kept, ms before the newest. */
  maxAgeMs: number;
}

/**
 * Appends `p` and trims to `limits`, returning a new array (callers keep it in
 * a `shallowRef`). Points closer together than maxAgeMs / maxPoints replace
 * the newest instead of adding one, so a burst of updates cannot push the
 * older part of the window out. A clock that jumps back (a restarted demo)
 * starts the series over.
 */
export function appendBounded(points: readonly SeriesPoint[], p: SeriesPoint, limits: SeriesLimits): SeriesPoint[] {
  const last = points.at(-1);
  if (last && p.t < last.t) return [p];
  const spacing = limits.maxAgeMs / limits.maxPoints;
  const prev = points.at(-2);
  const next =
    last && (p.t === last.t || (prev !== undefined && p.t - prev.t < spacing))
      ? [...points.slice(0, -1), p]
      : [...points, p];
  const horizon = p.t - limits.maxAgeMs;
  let start = 0;
  while (start < next.length && (next[start] as SeriesPoint).t < horizon) start += 1;
  start = Math.max(start, next.length - limits.maxPoints);
  return start > 0 ? next.slice(start) : next;
}
