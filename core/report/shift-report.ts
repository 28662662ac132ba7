/**
 * The shift report of a line: a pure assembly of what the collector already
 * computes for the shift's interval — `GET /api/v1/kpi` (output by hour, OEE,
 * backlog), `GET /api/v1/losses` (waterfall, shortages) and the andon calls.
 * No arithmetic of its own beyond picking and ordering, so every number in
 * the report is the number those endpoints answer for the same shift.
 */
import type { AndonKpis } from '../andon/kpi';
import type { AndonCallView } from '../andon/types';
import { productionDayOf, type ShiftInstance } from '../calendar/calendar';
import type { ProductionCalendar } from '../calendar/schema';
import type { LineKpis } from '../kpi/line-kpis';
import type { LossReport, LossTerm, ShortageEpisode } from '../loss/types';
import { partnerFromReason } from '../kpi/active-period';
import type { ReasonsConfig } from '../reasons/config';
import { labelReason, type ReasonLabel } from '../reasons/labels';
import { isCivilDate } from '../time/civil';
import type { HandoverView } from './handover';

/** Losses listed by name in the report; the rest are summed as "other". */
export const REPORT_TOP_LOSSES = 5;
/** Episodes shown under each top loss. */
export const REPORT_EPISODES_PER_LOSS = 3;

export type ShiftLookup = { ok: true; shift: ShiftInstance } | { ok: false; code: 'invalid_shift' | 'unknown_shift'; reason: string };

/**
 * Finds the shift a key names (`2027-03-01/early`, as core/calendar writes
 * keys). A malformed key is `invalid_shift`; a well-formed one the calendar
 * has no such shift for (a day off, a shift id not in the pattern) is `unknown_shift`.
 */
export function shiftByKey(cal: ProductionCalendar, key: string): ShiftLookup {
  const match = /^(\d{4}-\d{2}-\d{2})\/([A-Za-z0-9_-]{1,40})$/.exec(key);
  const date = match?.[1];
  const id = match?.[2];
  if (!date || !id || !isCivilDate(date)) {
    return { ok: false, code: 'invalid_shift', reason: 'shift must be a shift key <production day>/<shift id>, e.g. 2027-03-01/early' };
  }
  const day = productionDayOf(cal, date);
  const shift = day.shifts.find((s) => s.id === id);
  if (!shift) {
    const names = day.shifts.map((s) => s.id);
    return {
      ok: false,
      code: 'unknown_shift',
      reason: names.length > 0 ? `${date} has no shift '${id}'; its shifts: ${names.join(', ')}` : `${date} is not a working day: it has no shifts`,
    };
  }
  return { ok: true, shift };
}

/** One hour of output against plan. */
export interface ReportHour {
  label: string;
  start: number;
  end: number;
  plan: number;
  units: number;
  goodUnits: number;
}

/** A top loss with its largest episodes. */
export type ReportLoss = LossTerm;

export interface ReportAndon {
  kpis: AndonKpis | null;
  /** Calls raised in the shift, oldest first. */
  calls: AndonCallView[];
  /** Of those, the ones neither resolved nor cancelled by the end of the shift (or by now, for a draft). */
  openAtEnd: AndonCallView[];
}

/** `GET /api/v1/report`: one line, one shift. */
export interface ShiftReport {
  /** `no_data` when the shift holds no event of the line: every figure then reads "no data". */
  status: 'ok' | 'no_data';
  /** true while the shift has not ended: figures are as of `asOf`, and may still change. */
  draft: boolean;
  line: string;
  shift: { key: string; id: string; name: { zh: string; en: string }; day: string; start: number; end: number; plannedSeconds: number };
  timeZone: string;
  /** When the figures are for, epoch ms. */
  asOf: number;
  /** The KPI endpoint's planTotal, planByNow, units and goodUnits (units null when the shift has no data). */
  output: { plan: number | null; planByNow: number | null; units: number | null; goodUnits: number | null; hours: ReportHour[] };
  oee: { availability: number | null; performance: number | null; quality: number | null; oee: number | null; performanceWhy?: { zh: string; en: string } };
  /**
   * The waterfall: the largest losses by name, the rest of the losses summed
   * (`otherUnits` of `otherCount` causes, never negative), and the gains
   * (negative terms, buffers drained) by name, so the rest never nets a gain
   * against losses. top + other + gains = planUnits − goodUnits.
   */
  losses: { planUnits: number; goodUnits: number; top: ReportLoss[]; otherUnits: number; otherCount: number; gains: ReportLoss[] };
  /** The stop reasons of the listed losses with their labels from the plant's reason tree (absent: none known). */
  reasonLabels?: ReportReasonLabel[];
  andon: ReportAndon;
  shortages: ShortageEpisode[];
  backlog: { orders: number | null; backlog: number | null; daysToClear: number | null };
  /** The supervisors' handover: notes, signatures, acknowledgements and versions (core/report/handover.ts); absent for a shift in progress. */
  handover?: HandoverView;
}

export interface ShiftReportInput {
  shift: ShiftInstance;
  kpis: LineKpis & { andon?: AndonKpis };
  losses: LossReport;
  calls: readonly AndonCallView[];
  /** The plant's reason tree: the listed losses' reasons get its labels. */
  reasons?: ReasonsConfig;
}

/** A stop reason as a station sent it and its label in both languages (core/reasons/labels.ts). */
export type ReportReasonLabel = ReasonLabel;

function stillOpen(call: AndonCallView, at: number): boolean {
  const closedAt = call.resolvedAt ?? call.cancelledAt;
  return closedAt === null || closedAt > at;
}

/** Assembles the report from the shift's KPI and loss answers and its calls. Pure. */
export function shiftReport(input: ShiftReportInput): ShiftReport {
  const { shift, kpis, losses } = input;
  const hours: ReportHour[] = kpis.hourly.map((h) => ({ label: h.label, start: h.start, end: h.end, plan: h.plan, units: h.units, goodUnits: h.goodUnits }));
  const trim = (t: LossTerm) => ({ ...t, episodes: t.episodes.slice(0, REPORT_EPISODES_PER_LOSS) });
  // Losses are sorted largest first, so gains (negative terms) come last; they are listed by name, never summed into the rest.
  const lost = losses.losses.filter((t) => t.units > 0);
  const gains = losses.losses.filter((t) => t.units < 0).map(trim);
  const top = lost.slice(0, REPORT_TOP_LOSSES).map(trim);
  const rest = lost.slice(REPORT_TOP_LOSSES);
  const reasonLabels: ReportReasonLabel[] = [];
  if (input.reasons) {
    const seen = new Set<string>();
    for (const t of [...top, ...gains]) {
      const reason = t.cause.reason;
      if (reason === undefined || seen.has(reason)) continue;
      seen.add(reason);
      const label = labelReason(reason, input.reasons, (r) => partnerFromReason(t.cause.station ?? '', r));
      if (label) reasonLabels.push(label);
    }
  }
  const calls = [...input.calls].sort((a, b) => a.raisedAt - b.raisedAt);
  const status = kpis.status === 'no_data' && losses.status === 'no_data' ? 'no_data' : 'ok';
  const { oee } = kpis;
  return {
    status,
    draft: kpis.now < shift.end,
    line: kpis.line,
    shift: { key: shift.key, id: shift.id, name: shift.name, day: shift.day, start: shift.start, end: shift.end, plannedSeconds: shift.plannedSeconds },
    timeZone: kpis.timeZone,
    asOf: kpis.asOf,
    // Without data the counts read "no data", not 0 (the plan is configuration and stays).
    output: {
      plan: kpis.kpis.planTotal.value,
      planByNow: kpis.kpis.planByNow.value,
      units: status === 'no_data' ? null : kpis.kpis.units.value,
      goodUnits: status === 'no_data' ? null : kpis.kpis.goodUnits.value,
      hours,
    },
    oee: {
      availability: oee.availability,
      performance: oee.performance,
      quality: oee.quality,
      oee: oee.oee,
      ...(oee.performanceWhy ? { performanceWhy: oee.performanceWhy } : {}),
    },
    losses: {
      planUnits: losses.planUnits,
      goodUnits: losses.goodUnits,
      top,
      otherUnits: rest.reduce((s, t) => s + t.units, 0),
      otherCount: rest.length,
      gains,
    },
    ...(input.reasons ? { reasonLabels } : {}),
    andon: { kpis: kpis.andon ?? null, calls, openAtEnd: calls.filter((c) => stillOpen(c, kpis.asOf)) },
    shortages: losses.shortages,
    backlog: { orders: kpis.backlog.ordersTotal, backlog: kpis.backlog.backlog, daysToClear: kpis.backlog.daysToClear },
  };
}
