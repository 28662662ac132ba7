/** Choosing bucket sizes so a response never carries more points than a chart can show. */

/** Bucket sizes a person reads easily, in minutes. */
const NICE_MINUTES = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440];

/** The smallest nice bucket (minutes) that keeps `spanMs` within `maxPoints` buckets. */
export function bucketMinutes(spanMs: number, maxPoints: number): number {
  const needed = spanMs / maxPoints / 60_000;
  return NICE_MINUTES.find((m) => m >= needed) ?? Math.ceil(needed / 1440) * 1440;
}

/** Trailing sums over `window` consecutive values: out[i] = values[i-window+1..i]. */
export function trailingSums(values: readonly number[], window: number): number[] {
  const out: number[] = [];
  let sum = 0;
  values.forEach((v, i) => {
    sum += v;
    if (i >= window) sum -= values[i - window] as number;
    out.push(sum);
  });
  return out;
}

/** Merges segments shorter than `minMs` into the one before, so a timeline stays drawable. */
export function mergeShortSegments<T extends { start: number; end: number }>(segments: readonly T[], minMs: number): T[] {
  const out: T[] = [];
  for (const s of segments) {
    const last = out.at(-1);
    if (last && s.end - s.start < minMs) {
      last.end = s.end;
      continue;
    }
    out.push({ ...s });
  }
  return out;
}
