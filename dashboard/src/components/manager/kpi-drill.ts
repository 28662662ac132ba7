/**
 * What the OEE panel shows and what each of its numbers opens: the value, its
 * formula in symbols, the same formula with the interval's numbers put in,
 * and the inputs by name. Pure, from the collector's `OeeResult`, so the
 * arithmetic a manager checks is the arithmetic the KPI engine did.
 *
 * Losses are in time, the usual OEE loss tree: downtime loss = D; speed loss
 * = (P − D) − T × N (time running slower than ideal); quality loss = T × (N − G)
 * (ideal time spent on bad units). P − the three losses = T × G, the fully
 * productive time, and OEE = T × G ÷ P.
 */
import type { OeeResult } from '@core/kpi/oee';
import { formatNumber } from '../../i18n/format';
import type { DrillInputId, ManagerMessages } from '../../i18n/manager-messages';
import type { Locale } from '../../i18n/messages';

export const DRILL_IDS = ['oee', 'availability', 'performance', 'quality', 'availabilityLoss', 'performanceLoss', 'qualityLoss'] as const;
export type DrillId = (typeof DRILL_IDS)[number];

export interface DrillItem {
  id: DrillId;
  label: string;
  /** The number as shown, formatted. */
  value: string;
  /** Raw value (ratio 0–1, or seconds for losses); null when undefined for the interval. */
  raw: number | null;
  /** Formula in symbols, e.g. `A = (P − D) ÷ P`. */
  formula: string;
  /** The formula with this interval's numbers, e.g. `(7 h 10 min − 12 min) ÷ 7 h 10 min = 97.2%`. */
  worked: string;
  inputs: { id: DrillInputId; symbol: string; value: string }[];
}

/** A share as a percentage with one decimal, e.g. `97.2%`; `–` when undefined. */
export function formatShare(share: number | null, locale: Locale): string {
  return share === null || !Number.isFinite(share) ? '–' : `${formatNumber(share * 100, locale, 1)}%`;
}

/**
 * A duration in hours and minutes, e.g. `7 小时 10 分` / `7 h 10 min`;
 * under ten minutes with one decimal (`4.5 min`), so short stops stay visible.
 */
export function formatDuration(seconds: number | null, locale: Locale, m: ManagerMessages): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  const sign = seconds < 0 ? '−' : '';
  const abs = Math.abs(seconds);
  const u = m.units;
  if (abs < 600) return `${sign}${formatNumber(abs / 60, locale, 1)} ${u.min}`;
  const totalMin = Math.round(abs / 60);
  const h = Math.floor(totalMin / 60);
  const min = totalMin % 60;
  if (h === 0) return `${sign}${min} ${u.min}`;
  return min === 0 ? `${sign}${formatNumber(h, locale)} ${u.h}` : `${sign}${formatNumber(h, locale)} ${u.h} ${min} ${u.min}`;
}

/** Every drillable number of the OEE panel, keyed by id. */
export function oeeDrill(oee: OeeResult, locale: Locale, m: ManagerMessages): Record<DrillId, DrillItem> {
  const P = oee.plannedSeconds;
  const D = oee.downtimeSeconds;
  const O = oee.operatingSeconds;
  const T = oee.idealTaktSeconds;
  const N = oee.units;
  const G = oee.goodUnits;
  const dur = (s: number | null) => formatDuration(s, locale, m);
  const pct = (x: number | null) => formatShare(x, locale);
  const n = (x: number) => formatNumber(x, locale);
  const secs = `${formatNumber(T, locale, 1)} ${m.units.s}`;
  const L = m.oee;
  const constraint = oee.constraintStation ? `${oee.constraintStation} (${L.constraintSource[oee.constraintSource]})` : L.constraintSource.none;

  const input = {
    P: { id: 'planned' as const, symbol: 'P', value: dur(P) },
    D: { id: 'downtime' as const, symbol: 'D', value: dur(D) },
    O: { id: 'operating' as const, symbol: 'P − D', value: dur(O) },
    T: { id: 'idealTakt' as const, symbol: 'T', value: secs },
    N: { id: 'units' as const, symbol: 'N', value: n(N) },
    G: { id: 'goodUnits' as const, symbol: 'G', value: n(G) },
    C: { id: 'constraint' as const, symbol: '', value: constraint },
  };
  // A loss is known when its factor is: no data (every factor null) shows no loss, not the whole planned time as speed loss.
  const downtimeLoss = oee.availability !== null ? D : null;
  const speedLoss = oee.performance !== null ? O - T * N : null;
  const qualityLoss = oee.quality !== null ? T * (N - G) : null;

  const item = (id: DrillId, label: string, raw: number | null, value: string, formula: string, worked: string, inputs: DrillItem['inputs']): DrillItem => ({
    id,
    label,
    raw,
    value,
    formula,
    worked: raw === null ? L.noData : worked,
    inputs,
  });

  return {
    oee: item(
      'oee',
      L.oee,
      oee.oee,
      pct(oee.oee),
      'OEE = A × Perf × Q = T × G ÷ P',
      `${pct(oee.availability)} × ${pct(oee.performance)} × ${pct(oee.quality)} = ${secs} × ${n(G)} ÷ ${dur(P)} = ${pct(oee.oee)}`,
      [
        { id: 'availability', symbol: 'A', value: pct(oee.availability) },
        { id: 'performance', symbol: 'Perf', value: pct(oee.performance) },
        { id: 'quality', symbol: 'Q', value: pct(oee.quality) },
        input.T,
        input.G,
        input.P,
      ],
    ),
    availability: item(
      'availability',
      L.availability,
      oee.availability,
      pct(oee.availability),
      'A = (P − D) ÷ P',
      `(${dur(P)} − ${dur(D)}) ÷ ${dur(P)} = ${pct(oee.availability)}`,
      [input.P, input.D, input.C],
    ),
    performance: item(
      'performance',
      L.performance,
      oee.performance,
      pct(oee.performance),
      'Perf = T × N ÷ (P − D)',
      `${secs} × ${n(N)} ÷ ${dur(O)} = ${pct(oee.performance)}`,
      [input.T, input.N, input.O],
    ),
    quality: item('quality', L.quality, oee.quality, pct(oee.quality), 'Q = G ÷ N', `${n(G)} ÷ ${n(N)} = ${pct(oee.quality)}`, [input.G, input.N]),
    availabilityLoss: item('availabilityLoss', L.availabilityLoss, downtimeLoss, dur(downtimeLoss), 'D', `${dur(D)} (${constraint})`, [input.D, input.C]),
    performanceLoss: item(
      'performanceLoss',
      L.performanceLoss,
      speedLoss,
      dur(speedLoss),
      '(P − D) − T × N',
      `${dur(O)} − ${secs} × ${n(N)} = ${dur(speedLoss)}`,
      [input.O, input.T, input.N],
    ),
    qualityLoss: item(
      'qualityLoss',
      L.qualityLoss,
      qualityLoss,
      dur(qualityLoss),
      'T × (N − G)',
      `${secs} × (${n(N)} − ${n(G)}) = ${dur(qualityLoss)}`,
      [input.T, input.N, input.G],
    ),
  };
}
