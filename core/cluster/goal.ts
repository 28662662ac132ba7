/**
 * The cluster's output goal: progress to date, the growth still required, a
 * projection at the current run rate, and each member's contribution. Pure:
 * the clock is a parameter. Money in yuan (1000 亿元 = 1e11); months are
 * local calendar months in the cluster's time zone.
 *
 * Definitions (docs/partners.md has them with examples):
 * - A report is an `output` event: an entity's output for a month `YYYY-MM`.
 *   The same entity and month may be reported many times (month-to-date
 *   figures, corrections): the newest report counts, never the sum.
 * - Year to date = the counted reports of this year's months up to the
 *   current one (the current month is month-to-date).
 * - Current run rate (yuan per month) = the mean of the cluster's totals over
 *   the latest `runRateMonths` (3) complete months that have reports (months
 *   before the current one, at most 12 months back). With no complete month reported, the current
 *   month's total scaled to a whole month: month-to-date ÷ elapsed share of
 *   the month. With neither, null.
 * - Months remaining = the rest of the current month (1 − elapsed share) + the
 *   whole months after it in the year.
 * - Projection for the year = year to date + run rate × months remaining.
 * - Planned growth = the compound annual rate from the baseline to the
 *   target: baseline × (1 + g)^(targetYear − baselineYear) = target.
 * - Still required, before the target year: the compound annual rate from
 *   this year's projection to the target: projection × (1 + g)^(targetYear −
 *   year) = target. In the target year: the monthly run rate the rest of the
 *   year needs, (target − year to date) ÷ months remaining, and how much
 *   faster that is than the current run rate.
 */
import { localTime, zonedToEpoch } from '../time/civil';

/** One stored `output` report. */
export interface OutputReport {
  entity: string;
  /** `YYYY-MM`. */
  period: string;
  /** Yuan. */
  value: number;
  /** When it was reported, epoch ms: the newest report of an entity and month counts. */
  ts: number;
}

export interface ClusterGoalInputs {
  targetYuan: number;
  targetYear: number;
  baseline: { year: number; valueYuan: number };
  timeZone: string;
  /** Complete months averaged for the run rate. */
  runRateMonths: number;
  reports: readonly OutputReport[];
  now: number;
}

export interface EntityContribution {
  entity: string;
  /** Output this year to date, yuan. */
  valueYuan: number;
  /** valueYuan ÷ the cluster's year to date; null when that is 0. */
  share: number | null;
}

export interface MonthTotal {
  period: string;
  /** Sum over entities of each one's newest report for the month, yuan. */
  valueYuan: number;
  /** Yuan by entity; a null-prototype object (entity names are the stations' and partners' own, e.g. `constructor`). */
  byEntity: Record<string, number>;
  /** Whether the month is over (before the current month). */
  complete: boolean;
}

export type RunRateBasis = 'complete_months' | 'month_to_date' | 'none';

export interface ClusterGoalResult {
  now: number;
  /** The current local year and month. */
  year: number;
  period: string;
  target: { valueYuan: number; year: number };
  baseline: { valueYuan: number; year: number };
  /** This year's output so far, yuan. */
  yearToDateYuan: number;
  /** yearToDate ÷ target, in the target year; null before and after it. */
  progress: number | null;
  /** Months of the year still to come, fractional (see the file comment). */
  monthsRemaining: number;
  /** Share of the current month elapsed, 0–1. */
  monthElapsedShare: number;
  runRate: { yuanPerMonth: number | null; basis: RunRateBasis; months: string[] };
  /** Run rate × 12: the pace of a whole year, yuan; null without a run rate. Unlike the projection it does not need every month of the year reported. */
  annualizedRunRateYuan: number | null;
  /** Year to date + run rate × months remaining; null without a run rate. */
  projectionYuan: number | null;
  /** projection ÷ target (in the target year); null otherwise. */
  projectedShare: number | null;
  /** Whether the projection reaches the target (target year only); null otherwise. */
  onTrack: boolean | null;
  growth: {
    /** Compound annual growth from the baseline to the target, e.g. 0.28 = 28 % a year. */
    plannedAnnual: number;
    /** Before the target year: compound annual growth from this year's projection to the target; null otherwise. */
    requiredAnnual: number | null;
    /** Target year: yuan per month the rest of the year needs; null otherwise or when no time remains. */
    requiredYuanPerMonth: number | null;
    /** Target year: requiredYuanPerMonth ÷ run rate − 1 (0.1 = 10 % faster than now); null without both. */
    requiredRunRateIncrease: number | null;
  };
  /** This year's months with reports, ascending. */
  months: MonthTotal[];
  /** Each entity's output this year to date, largest first. */
  contributions: EntityContribution[];
}

/** Compound annual growth rate g with from × (1 + g)^years = to. */
export function compoundGrowthRate(from: number, to: number, years: number): number {
  if (!(from > 0) || !(to > 0) || !(years > 0)) throw new RangeError('compoundGrowthRate needs positive values and years');
  return (to / from) ** (1 / years) - 1;
}

/** The newest report of each entity and month: repeats and corrections are not summed. */
export function latestReports(reports: readonly OutputReport[]): OutputReport[] {
  const newest = new Map<string, OutputReport>();
  for (const r of reports) {
    const key = `${r.entity}\u0000${r.period}`;
    const seen = newest.get(key);
    if (!seen || r.ts >= seen.ts) newest.set(key, r);
  }
  return [...newest.values()];
}

/** `YYYY-MM` of the month `offset` months after `period`. */
export function addMonths(period: string, offset: number): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + offset;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Start of a local month, epoch ms. */
export function monthStart(period: string, timeZone: string): number {
  return zonedToEpoch(`${period}-01`, 0, timeZone);
}

export function clusterGoal(inputs: ClusterGoalInputs): ClusterGoalResult {
  const { now, timeZone } = inputs;
  const today = localTime(now, timeZone).date;
  const period = today.slice(0, 7);
  const year = Number(today.slice(0, 4));
  const start = monthStart(period, timeZone);
  const end = monthStart(addMonths(period, 1), timeZone);
  const monthElapsedShare = Math.min(1, Math.max(0, (now - start) / (end - start)));
  const monthIndex = Number(period.slice(5, 7)); // 1–12
  const monthsRemaining = 1 - monthElapsedShare + (12 - monthIndex);

  // Month totals over every reported month up to the current one.
  const totals = new Map<string, MonthTotal>();
  for (const r of latestReports(inputs.reports)) {
    if (r.period > period) continue; // a report for a future month is not output yet
    let t = totals.get(r.period);
    if (!t) {
      t = { period: r.period, valueYuan: 0, byEntity: Object.create(null) as Record<string, number>, complete: r.period < period };
      totals.set(r.period, t);
    }
    t.valueYuan += r.value;
    t.byEntity[r.entity] = (t.byEntity[r.entity] ?? 0) + r.value;
  }
  const ascending = [...totals.values()].sort((a, b) => a.period.localeCompare(b.period));
  const thisYear = ascending.filter((t) => t.period.startsWith(`${year}-`));
  const yearToDateYuan = thisYear.reduce((s, t) => s + t.valueYuan, 0);

  // Run rate: the latest complete months with reports, else the current month scaled.
  // Months more than a year old do not describe the current pace.
  const recentFrom = addMonths(period, -12);
  const complete = ascending.filter((t) => t.complete && t.period >= recentFrom).slice(-inputs.runRateMonths);
  const current = totals.get(period);
  let runRate: ClusterGoalResult['runRate'];
  if (complete.length > 0) {
    runRate = { yuanPerMonth: complete.reduce((s, t) => s + t.valueYuan, 0) / complete.length, basis: 'complete_months', months: complete.map((t) => t.period) };
  } else if (current && monthElapsedShare > 0) {
    runRate = { yuanPerMonth: current.valueYuan / monthElapsedShare, basis: 'month_to_date', months: [period] };
  } else {
    runRate = { yuanPerMonth: null, basis: 'none', months: [] };
  }

  const projectionYuan = runRate.yuanPerMonth === null ? null : yearToDateYuan + runRate.yuanPerMonth * monthsRemaining;
  const inTargetYear = year === inputs.targetYear;
  const requiredYuanPerMonth = inTargetYear && monthsRemaining > 0 ? Math.max(0, inputs.targetYuan - yearToDateYuan) / monthsRemaining : null;

  const byEntity = new Map<string, number>();
  for (const t of thisYear) for (const [e, v] of Object.entries(t.byEntity)) byEntity.set(e, (byEntity.get(e) ?? 0) + v);
  const contributions = [...byEntity.entries()]
    .map(([entity, valueYuan]) => ({ entity, valueYuan, share: yearToDateYuan > 0 ? valueYuan / yearToDateYuan : null }))
    .sort((a, b) => b.valueYuan - a.valueYuan || a.entity.localeCompare(b.entity));

  return {
    now,
    year,
    period,
    target: { valueYuan: inputs.targetYuan, year: inputs.targetYear },
    baseline: { valueYuan: inputs.baseline.valueYuan, year: inputs.baseline.year },
    yearToDateYuan,
    progress: inTargetYear ? yearToDateYuan / inputs.targetYuan : null,
    monthsRemaining,
    monthElapsedShare,
    runRate,
    annualizedRunRateYuan: runRate.yuanPerMonth === null ? null : runRate.yuanPerMonth * 12,
    projectionYuan,
    projectedShare: inTargetYear && projectionYuan !== null ? projectionYuan / inputs.targetYuan : null,
    onTrack: inTargetYear && projectionYuan !== null ? projectionYuan >= inputs.targetYuan : null,
    growth: {
      plannedAnnual: compoundGrowthRate(inputs.baseline.valueYuan, inputs.targetYuan, inputs.targetYear - inputs.baseline.year),
      requiredAnnual:
        year < inputs.targetYear && projectionYuan !== null && projectionYuan > 0
          ? compoundGrowthRate(projectionYuan, inputs.targetYuan, inputs.targetYear - year)
          : null,
      requiredYuanPerMonth,
      requiredRunRateIncrease:
        requiredYuanPerMonth !== null && runRate.yuanPerMonth !== null && runRate.yuanPerMonth > 0 ? requiredYuanPerMonth / runRate.yuanPerMonth - 1 : null,
    },
    months: thisYear,
    contributions,
  };
}

