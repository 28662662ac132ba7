/**
 * Long-range reads: the closed hours' summaries (`rollup_hour`) for every
 * whole hour that has one, raw events for the rest (the partial hours at the
 * edges, the open hour, any hour not rolled yet). Unit counts, cycle counts,
 * min, max and takt compliance equal the raw computation; percentiles are
 * within CYCLE_PERCENTILE_ERROR_SECONDS of it (core/kpi/hour-summary.ts).
 */
import {
  addCycleTime,
  emptyCycleSummary,
  mergeCycleSummary,
  summaryPercentile,
  summaryWithin,
  type CycleSummary,
  type HourRollup,
} from '../../core/kpi/hour-summary';
import type { LineConfig } from '../../core/plant';
import { startOfLocalHour } from '../../core/time/zone';
import type { CycleStats, EventReads, RollupDetail } from '../influx/reads';

const HOUR_MS = 3_600_000;

/** Ranges at least this long read rollups; shorter ones read raw events only (fresh to the second, exact percentiles). */
export const ROLLUP_MIN_RANGE_MS = 2 * 86_400_000;

/** The stored summaries of whole hours in `[from, to)`, and the stretches between them to read raw. */
export async function rollupPlan(
  reads: EventReads,
  line: LineConfig,
  from: number,
  to: number,
  detail: RollupDetail = 'stations',
): Promise<{ rollups: HourRollup[]; raw: [number, number][] }> {
  let firstWhole = startOfLocalHour(from, line.timeZone);
  if (firstWhole < from) firstWhole += HOUR_MS;
  const lastEnd = startOfLocalHour(to, line.timeZone);
  const rollups = lastEnd > firstWhole ? (await reads.rollups(line.id, firstWhole, lastEnd, detail)).filter((r) => r.end <= lastEnd) : [];
  const raw: [number, number][] = [];
  let cursor = from;
  for (const r of rollups) {
    if (r.start > cursor) raw.push([cursor, r.start]);
    cursor = Math.max(cursor, r.end);
  }
  if (cursor < to) raw.push([cursor, to]);
  return { rollups, raw };
}

/** Units and good units per local clock hour (the hour's start), as InfluxDB's GROUP BY time(1h) labels them. */
export async function hourlyUnits(reads: EventReads, line: LineConfig, from: number, to: number): Promise<Map<number, { units: number; good: number }>> {
  const { rollups, raw } = await rollupPlan(reads, line, from, to, 'line');
  const byHour = new Map<number, { units: number; good: number }>();
  const add = (start: number, units: number, good: number) => {
    const h = byHour.get(start) ?? { units: 0, good: 0 };
    h.units += units;
    h.good += good;
    byHour.set(start, h);
  };
  // Every hour is there, empty ones as zero, as fill(0) answers over the whole range.
  for (const [a, b] of raw) for (let h = startOfLocalHour(a, line.timeZone); h < b; h += HOUR_MS) add(h, 0, 0);
  for (const buckets of await Promise.all(raw.map(([a, b]) => reads.unitBuckets(line, a, b, 60)))) {
    for (const b of buckets) add(b.start, b.units, b.good);
  }
  for (const r of rollups) add(r.start, r.units, r.goodUnits);
  return byHour;
}

/** Cycle-time figures per station over `[from, to)`, from summaries and raw cycles; stations without cycles are absent. */
export async function longCycleStats(reads: EventReads, line: LineConfig, from: number, to: number, taktSeconds: number): Promise<Map<string, CycleStats>> {
  const { rollups, raw } = await rollupPlan(reads, line, from, to, 'cycles');
  const summaries = new Map<string, { summary: CycleSummary; within: number }>();
  const of = (station: string) => {
    const s = summaries.get(station) ?? { summary: emptyCycleSummary(), within: 0 };
    summaries.set(station, s);
    return s;
  };
  for (const r of rollups) {
    for (const st of r.stations) {
      if (st.cycles.count === 0) continue;
      const s = of(st.station);
      mergeCycleSummary(s.summary, st.cycles);
      // Counted against the takt of the hour; a line whose target changed since is estimated from the buckets.
      s.within += r.taktSeconds === taktSeconds ? st.withinTakt : summaryWithin(st.cycles, taktSeconds);
    }
  }
  for (const times of await Promise.all(raw.map(([a, b]) => reads.cycleTimes(line.id, a, b)))) {
    for (const [station, list] of times) {
      const s = of(station);
      for (const t of list) {
        addCycleTime(s.summary, t);
        if (t <= taktSeconds) s.within += 1;
      }
    }
  }
  const out = new Map<string, CycleStats>();
  for (const [station, { summary, within }] of summaries) {
    if (summary.count === 0) continue;
    out.set(station, {
      count: summary.count,
      mean: summary.sum / summary.count,
      min: summary.min,
      p10: summaryPercentile(summary, 10),
      p50: summaryPercentile(summary, 50),
      p90: summaryPercentile(summary, 90),
      max: summary.max,
      withinTakt: within,
    });
  }
  return out;
}
