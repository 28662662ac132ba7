/**
 * The line-level KPI registry: one definition per number a screen shows, each
 * with an id, a label in zh and en, its unit, its formula, its value for empty
 * input (no events, no planned time) and a pure reducer over the prepared
 * {@link KpiContext}. Tables (stations, Pareto, hourly) live beside it in
 * {@link LineKpis}.
 */
import type { BacklogResult } from './backlog';
import type { OeeResult } from './oee';
import { actualTaktBetween, catchUpRate, forecastUnits, planUnits } from './throughput';

export type KpiUnit = 'units' | 'units/h' | 's' | 'ratio' | 'days';

/** Inputs a value was computed from, named as in its formula. */
export type KpiInputs = Record<string, number | string | null>;

/** One KPI's value with how it was reached. JSON-serialisable. */
export interface KpiValue {
  id: KpiId;
  label: { zh: string; en: string };
  unit: KpiUnit;
  value: number | null;
  formula: string;
  inputs: KpiInputs;
}

/** What the reducers read: prepared once per request by `computeLineKpis` or the live tracker. */
export interface KpiContext {
  targetPerHour: number;
  taktTargetSeconds: number;
  idealTaktSeconds: number;
  /** Completion times of the first and the last unit in the interval (up to now), epoch ms; null without units. */
  firstUnitAt: number | null;
  lastUnitAt: number | null;
  units: number;
  goodUnits: number;
  /** Units in the trailing window (ending at the evaluation time). */
  trailingUnits: number;
  trailingWindowSeconds: number;
  trailingPlannedSeconds: number;
  /** Planned production time: elapsed in the interval, all of it, and what is left; seconds. */
  plannedSeconds: number;
  plannedSecondsTotal: number;
  plannedSecondsRemaining: number;
  rate: { value: number | null; basis: 'trailing' | 'average' | 'none' };
  /** Planned seconds in `[from, to)` by the line's calendar (actual takt leaves breaks out); absent: clock time. */
  plannedSecondsBetween?: (from: number, to: number) => number;
  oee: OeeResult;
  backlog: BacklogResult;
}

export const KPI_IDS = [
  'units',
  'goodUnits',
  'unitsPerHour',
  'currentRate',
  'plannedTime',
  'planTotal',
  'planByNow',
  'gap',
  'catchUpRate',
  'forecast',
  'taktTarget',
  'actualTakt',
  'availability',
  'performance',
  'quality',
  'oee',
  'downtime',
  'backlog',
  'daysToClear',
] as const;
export type KpiId = (typeof KPI_IDS)[number];

export interface KpiDefinition {
  id: KpiId;
  label: { zh: string; en: string };
  unit: KpiUnit;
  formula: string;
  /** `config`: the value comes from configuration and is shown even without data. */
  source: 'events' | 'config';
  /** Value when the interval holds no events and no planned time. */
  empty: number | null;
  reduce(ctx: KpiContext): { value: number | null; inputs: KpiInputs };
}

const planTotal = (c: KpiContext) => planUnits(c.targetPerHour, c.plannedSecondsTotal);
const planByNow = (c: KpiContext) => planUnits(c.targetPerHour, c.plannedSeconds);

/** Every line-level KPI, in display order. */
export const KPI_REGISTRY: readonly KpiDefinition[] = [
  {
    id: 'units',
    label: { zh: '产量', en: 'Units' },
    unit: 'units',
    formula: 'count of unit events in [from, to), up to now',
    source: 'events',
    empty: 0,
    reduce: (c) => ({ value: c.units, inputs: {} }),
  },
  {
    id: 'goodUnits',
    label: { zh: '合格品', en: 'Good units' },
    unit: 'units',
    formula: "units whose result is not 'nok' (no result = good)",
    source: 'events',
    empty: 0,
    reduce: (c) => ({ value: c.goodUnits, inputs: { units: c.units } }),
  },
  {
    id: 'unitsPerHour',
    label: { zh: '小时产量（滚动）', en: 'Units per hour (trailing)' },
    unit: 'units/h',
    formula: 'units completed in the trailing 60 minutes',
    source: 'events',
    empty: 0,
    reduce: (c) => ({ value: c.trailingUnits, inputs: { windowSeconds: c.trailingWindowSeconds } }),
  },
  {
    id: 'currentRate',
    label: { zh: '当前速率', en: 'Current rate' },
    unit: 'units/h',
    formula: 'trailing units ÷ planned hours in the trailing window (≥ 15 planned min), else units ÷ planned hours elapsed',
    source: 'events',
    empty: null,
    reduce: (c) => ({
      value: c.rate.value,
      inputs: { basis: c.rate.basis, trailingUnits: c.trailingUnits, trailingPlannedSeconds: c.trailingPlannedSeconds, units: c.units, plannedSeconds: c.plannedSeconds },
    }),
  },
  {
    id: 'plannedTime',
    label: { zh: '计划生产时间', en: 'Planned production time' },
    unit: 's',
    formula: 'shift time minus breaks inside [from, min(to, now))',
    source: 'events',
    empty: 0,
    reduce: (c) => ({ value: c.plannedSeconds, inputs: { plannedSecondsTotal: c.plannedSecondsTotal } }),
  },
  {
    id: 'planTotal',
    label: { zh: '计划产量', en: 'Plan' },
    unit: 'units',
    formula: 'target × planned seconds in [from, to) / 3600',
    source: 'events',
    empty: 0,
    reduce: (c) => ({ value: planTotal(c), inputs: { targetPerHour: c.targetPerHour, plannedSecondsTotal: c.plannedSecondsTotal } }),
  },
  {
    id: 'planByNow',
    label: { zh: '应完成', en: 'Plan by now' },
    unit: 'units',
    formula: 'target × planned seconds elapsed / 3600',
    source: 'events',
    empty: 0,
    reduce: (c) => ({ value: planByNow(c), inputs: { targetPerHour: c.targetPerHour, plannedSeconds: c.plannedSeconds } }),
  },
  {
    id: 'gap',
    label: { zh: '差额', en: 'Gap to plan' },
    unit: 'units',
    formula: 'units − plan by now (negative: behind)',
    source: 'events',
    empty: 0,
    reduce: (c) => ({ value: c.units - planByNow(c), inputs: { units: c.units, planByNow: planByNow(c) } }),
  },
  {
    id: 'catchUpRate',
    label: { zh: '追赶所需速率', en: 'Rate needed to reach plan' },
    unit: 'units/h',
    formula: 'max(0, plan − units) ÷ planned hours remaining',
    source: 'events',
    empty: null,
    reduce: (c) => ({
      value: catchUpRate(planTotal(c), c.units, c.plannedSecondsRemaining),
      inputs: { planTotal: planTotal(c), units: c.units, plannedSecondsRemaining: c.plannedSecondsRemaining },
    }),
  },
  {
    id: 'forecast',
    label: { zh: '预计完成', en: 'Forecast at end' },
    unit: 'units',
    formula: 'units + min(current rate, target rate) × planned hours remaining',
    source: 'events',
    empty: 0,
    reduce: (c) => ({
      value: forecastUnits(c.units, c.rate.value, c.plannedSecondsRemaining, c.targetPerHour),
      inputs: { units: c.units, currentRate: c.rate.value, targetPerHour: c.targetPerHour, plannedSecondsRemaining: c.plannedSecondsRemaining },
    }),
  },
  {
    id: 'taktTarget',
    label: { zh: '目标节拍', en: 'Takt target' },
    unit: 's',
    formula: '3600 ÷ target units per hour',
    source: 'config',
    empty: null,
    reduce: (c) => ({ value: c.taktTargetSeconds, inputs: { targetPerHour: c.targetPerHour } }),
  },
  {
    id: 'actualTakt',
    label: { zh: '实际节拍', en: 'Actual takt' },
    unit: 's',
    formula: 'planned time between the first and the last unit ÷ (units − 1)',
    source: 'events',
    empty: null,
    reduce: (c) => ({
      value: actualTaktBetween(c.units, c.firstUnitAt, c.lastUnitAt, c.plannedSecondsBetween),
      inputs: { units: c.units, firstUnitAt: c.firstUnitAt, lastUnitAt: c.lastUnitAt },
    }),
  },
  {
    id: 'availability',
    label: { zh: '时间开动率', en: 'Availability' },
    unit: 'ratio',
    formula: '(P − downtime) ÷ P',
    source: 'events',
    empty: null,
    reduce: (c) => ({ value: c.oee.availability, inputs: oeeInputs(c) }),
  },
  {
    id: 'performance',
    label: { zh: '性能开动率', en: 'Performance' },
    unit: 'ratio',
    formula: 'ideal takt × units ÷ (P − downtime)',
    source: 'events',
    empty: null,
    reduce: (c) => ({ value: c.oee.performance, inputs: oeeInputs(c) }),
  },
  {
    id: 'quality',
    label: { zh: '合格率', en: 'Quality' },
    unit: 'ratio',
    formula: 'good units ÷ units',
    source: 'events',
    empty: null,
    reduce: (c) => ({ value: c.oee.quality, inputs: { units: c.units, goodUnits: c.goodUnits } }),
  },
  {
    id: 'oee',
    label: { zh: '设备综合效率', en: 'OEE' },
    unit: 'ratio',
    formula: 'availability × performance × quality (= ideal takt × good units ÷ P)',
    source: 'events',
    empty: null,
    reduce: (c) => ({ value: c.oee.oee, inputs: oeeInputs(c) }),
  },
  {
    id: 'downtime',
    label: { zh: '停机时间', en: 'Downtime' },
    unit: 's',
    formula: 'fault + maintenance time of the constraint station inside planned time',
    source: 'events',
    empty: 0,
    reduce: (c) => ({
      value: c.oee.downtimeSeconds,
      inputs: { constraintStation: c.oee.constraintStation, constraintSource: c.oee.constraintSource, plannedSeconds: c.plannedSeconds },
    }),
  },
  {
    id: 'backlog',
    label: { zh: '订单积压', en: 'Orders backlog' },
    unit: 'units',
    formula: 'orders total − units delivered since the orders snapshot',
    source: 'events',
    empty: null,
    reduce: (c) => ({
      value: c.backlog.backlog,
      inputs: { ordersTotal: c.backlog.ordersTotal, ordersAt: c.backlog.ordersAt, unitsSinceOrders: c.backlog.unitsSinceOrders, deliveredTotal: c.backlog.deliveredTotal },
    }),
  },
  {
    id: 'daysToClear',
    label: { zh: '消化积压天数', en: 'Days to clear backlog' },
    unit: 'days',
    formula: 'backlog ÷ (rate × planned hours of the next 7 production days ÷ 7)',
    source: 'events',
    empty: null,
    reduce: (c) => ({
      value: c.backlog.daysToClear,
      inputs: {
        backlog: c.backlog.backlog,
        ratePerPlannedHour: c.backlog.ratePerPlannedHour,
        plannedSecondsNext7Days: c.backlog.plannedSecondsNext7Days,
        workingDaysNext7Days: c.backlog.workingDaysNext7Days,
      },
    }),
  },
];

function oeeInputs(c: KpiContext): KpiInputs {
  const o = c.oee;
  return {
    plannedSeconds: o.plannedSeconds,
    downtimeSeconds: o.downtimeSeconds,
    operatingSeconds: o.operatingSeconds,
    idealTaktSeconds: o.idealTaktSeconds,
    units: o.units,
    goodUnits: o.goodUnits,
    constraintStation: o.constraintStation,
    constraintSource: o.constraintSource,
  };
}

/** Runs every reducer: the flat map of KPI values a result carries. */
export function reduceKpis(ctx: KpiContext): Record<KpiId, KpiValue> {
  const out = {} as Record<KpiId, KpiValue>;
  for (const def of KPI_REGISTRY) {
    const { value, inputs } = def.reduce(ctx);
    out[def.id] = { id: def.id, label: def.label, unit: def.unit, value, formula: def.formula, inputs };
  }
  return out;
}
