/**
 * Pure option builders for the supply section's charts: each member's
 * contribution to the cluster's year to date (horizontal bars, largest on
 * top) and the monthly output, stacked by member, against the monthly pace
 * the target needs. Data in, option out; labels and money formats come in
 * already localized.
 */
import { CHART_FONT, dashedLevel } from '../../charts/options';
import type { ChartOption } from '../../charts/echarts';
import { MANAGER_COLORS } from '../../charts/manager-options';

/** Member colours: the chain master first, in the workspace's blue. */
export const MEMBER_COLORS = ['#38bdf8', '#a78bfa', '#34d399', '#fbbf24', '#f472b6', '#fb923c', '#94a3b8', '#22d3ee'] as const;

const base = (fontSize: number) =>
  ({
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: MANAGER_COLORS.text, fontSize, fontFamily: CHART_FONT },
  }) as const;
const axisLabel = (fontSize: number) => ({ color: MANAGER_COLORS.muted, fontSize });
const splitLine = { lineStyle: { color: MANAGER_COLORS.grid } };
const tooltip = (fontSize: number) => ({
  backgroundColor: '#1f2937',
  borderColor: MANAGER_COLORS.grid,
  textStyle: { color: MANAGER_COLORS.text, fontSize, fontFamily: CHART_FONT },
  confine: true,
});

export interface ContributionOptionInput {
  /** Largest first, as the API lists them. */
  items: readonly { entity: string; label: string; valueYuan: number; share: number | null; chainMaster: boolean }[];
  /** Axis and bar labels: yuan in the locale's units. */
  formatYuan: (yuan: number) => string;
  formatShare: (share: number | null) => string;
  fontSize: number;
}

/** Horizontal bars, largest on top, each labelled with its value and share; the chain master stands out. */
export function contributionOption(input: ContributionOptionInput): ChartOption {
  const items = [...input.items].reverse(); // the category axis draws bottom-up
  return {
    ...base(input.fontSize),
    grid: { left: 8, right: 150, top: 8, bottom: 8, containLabel: true },
    tooltip: { ...tooltip(input.fontSize), trigger: 'item' },
    xAxis: { type: 'value', axisLabel: { show: false }, splitLine: { show: false } },
    yAxis: { type: 'category', data: items.map((i) => i.label), axisLabel: axisLabel(input.fontSize), axisTick: { show: false } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 22,
        data: items.map((i) => ({
          value: i.valueYuan,
          itemStyle: { color: i.chainMaster ? MEMBER_COLORS[0] : '#64748b' },
        })),
        label: {
          show: true,
          position: 'right',
          color: MANAGER_COLORS.text,
          fontSize: input.fontSize,
          formatter: (p: { dataIndex: number }) => {
            const i = items[p.dataIndex];
            return i ? `${input.formatYuan(i.valueYuan)} · ${input.formatShare(i.share)}` : '';
          },
        },
      },
    ],
  };
}

export interface MonthlyOptionInput {
  /** Ascending, as the API lists them. */
  months: readonly { period: string; byEntity: Record<string, number>; complete: boolean }[];
  /** Members in stacking order (largest contribution first), with their labels. */
  members: readonly { entity: string; label: string }[];
  /** The monthly output the target needs (yuan); drawn as a line when known. */
  requiredPerMonth: number | null;
  requiredLabel: string;
  /** "2027-03" → "3月" / "Mar". */
  formatPeriod: (period: string) => string;
  formatYuan: (yuan: number) => string;
  /** Appended to the month still running, e.g. "（至今）". */
  partialMark: string;
  fontSize: number;
}

/** Monthly output stacked by member; the month in progress is paler. */
export function monthlyOutputOption(input: MonthlyOptionInput): ChartOption {
  const periods = input.months.map((m) => `${input.formatPeriod(m.period)}${m.complete ? '' : input.partialMark}`);
  return {
    ...base(input.fontSize),
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, type: 'scroll', textStyle: { color: MANAGER_COLORS.text, fontSize: input.fontSize } },
    tooltip: { ...tooltip(input.fontSize), trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? input.formatYuan(v) : String(v)) },
    xAxis: { type: 'category', data: periods, axisLabel: axisLabel(input.fontSize) },
    yAxis: { type: 'value', axisLabel: { ...axisLabel(input.fontSize), formatter: (v: number) => input.formatYuan(v) }, splitLine },
    series: input.members.map((member, k) => ({
      type: 'bar' as const,
      name: member.label,
      stack: 'output',
      barMaxWidth: 36,
      itemStyle: { color: MEMBER_COLORS[k % MEMBER_COLORS.length] },
      data: input.months.map((m) => ({ value: m.byEntity[member.entity] ?? 0, itemStyle: { opacity: m.complete ? 1 : 0.55 } })),
      ...(k === 0 && input.requiredPerMonth !== null
        ? {
            markLine: dashedLevel({ value: input.requiredPerMonth, label: input.requiredLabel, color: MANAGER_COLORS.plan, fontSize: input.fontSize, position: 'insideEndTop' }),
          }
        : {}),
    })),
  };
}
