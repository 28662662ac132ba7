/** Cycle-time statistics of a station, from `cycle` events. */

/** Statistics of cycle times, seconds; all null when there are no cycles. */
export interface CycleStats {
  count: number;
  meanSeconds: number | null;
  /** Percentiles by the nearest-rank method: the value at rank ⌈p/100 × n⌉ of the sorted times. */
  p50Seconds: number | null;
  p90Seconds: number | null;
  minSeconds: number | null;
  maxSeconds: number | null;
  /** Takt the cycles are held against, seconds. */
  taktSeconds: number;
  /** Share of cycles with cycleTime ≤ takt, 0–1; null without cycles. */
  taktCompliance: number | null;
}

/** Nearest-rank percentile of ascending `sorted` (p in 0–100). */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

/** Takt compliance: share of cycles within the takt, 0–1; null without cycles (one definition for KPIs and history). */
export function taktCompliance(withinTakt: number, cycles: number): number | null {
  return cycles > 0 ? withinTakt / cycles : null;
}

/** Statistics of `times` (seconds) against `taktSeconds`. */
export function cycleStats(times: readonly number[], taktSeconds: number): CycleStats {
  const sorted = [...times].sort((a, b) => a - b);
  const n = sorted.length;
  let sum = 0;
  let within = 0;
  for (const t of sorted) {
    sum += t;
    if (t <= taktSeconds) within += 1;
  }
  return {
    count: n,
    meanSeconds: n ? sum / n : null,
    p50Seconds: percentile(sorted, 50),
    p90Seconds: percentile(sorted, 90),
    minSeconds: sorted[0] ?? null,
    maxSeconds: sorted.at(-1) ?? null,
    taktSeconds,
    taktCompliance: taktCompliance(within, n),
  };
}
