/**
 * The day / week trend's option (TrendChart.vue): output and plan as bars per
 * bucket, OEE as a line on a percent axis. A bucket without data (`no_data`)
 * has no OEE point, so the line breaks there, and its bar carries the
 * no-data label: a gap, never 100 %. Pure; labels and the tooltip text come
 * in already localized.
 */
import type { TrendPoint } from '@core/kpi/trend';
import type { ChartOption } from './echarts';
import { CHART_FONT } from './options';
import { MANAGER_COLORS } from './manager-options';

export interface TrendOptionInput {
  points: readonly TrendPoint[];
  /** The x-axis label of each point, same order. */
  labels: readonly string[];
  names: { units: string; plan: string; oee: string };
  /** Written on a no-data bucket, e.g. 无数据. */
  noData: string;
  /** The tooltip's HTML for point `i`. */
  describe: (i: number) => string;
  fontSize: number;
}

export const TREND_COLORS = { units: MANAGER_COLORS.units, plan: 'rgba(251, 191, 36, 0.45)', oee: '#34d399', noData: MANAGER_COLORS.muted } as const;

/** OEE as a percent rounded to 0.1, null where the bucket has none. */
export function oeePercent(p: TrendPoint): number | null {
  const v = p.oee?.oee;
  return p.status === 'ok' && typeof v === 'number' ? Math.round(v * 1000) / 10 : null;
}

/** Above this many buckets a no-data bucket's label stands upright in its own column: side by side they run into each other. */
export const UPRIGHT_LABELS_FROM = 16;

/** The label a no-data bucket carries over its (empty) bar. */
export function noDataLabel(text: string, buckets: number, fontSize: number) {
  const base = { show: true, formatter: text, color: TREND_COLORS.noData, fontSize };
  return buckets > UPRIGHT_LABELS_FROM ? { ...base, position: 'insideBottom' as const, rotate: 90, align: 'left' as const, verticalAlign: 'middle' as const } : { ...base, position: 'top' as const };
}

export function trendOption(input: TrendOptionInput): ChartOption {
  const { fontSize, points } = input;
  const axisLabel = { color: MANAGER_COLORS.muted, fontSize };
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: MANAGER_COLORS.text, fontSize, fontFamily: CHART_FONT },
    grid: { left: fontSize * 3.6, right: fontSize * 3.6, top: fontSize * 2.6, bottom: fontSize * 2 },
    legend: { top: 0, right: 0, textStyle: { color: MANAGER_COLORS.text, fontSize }, data: [input.names.units, input.names.plan, input.names.oee] },
    tooltip: {
      trigger: 'axis',
      backgroundColor: '#1f2937',
      borderColor: MANAGER_COLORS.grid,
      textStyle: { color: MANAGER_COLORS.text, fontSize, fontFamily: CHART_FONT },
      formatter: (params: unknown) => {
        const first = (Array.isArray(params) ? params[0] : params) as { dataIndex?: number } | undefined;
        return typeof first?.dataIndex === 'number' ? input.describe(first.dataIndex) : '';
      },
    },
    xAxis: { type: 'category', data: [...input.labels], axisLabel, axisLine: { lineStyle: { color: MANAGER_COLORS.grid } } },
    yAxis: [
      { type: 'value', min: 0, minInterval: 1, axisLabel, splitLine: { lineStyle: { color: MANAGER_COLORS.grid } } },
      { type: 'value', min: 0, max: (e: { max: number }) => Math.max(100, Math.ceil(e.max / 10) * 10), axisLabel: { ...axisLabel, formatter: '{value} %' }, splitLine: { show: false } },
    ],
    series: [
      {
        type: 'bar',
        name: input.names.plan,
        barGap: '-100%',
        barMaxWidth: fontSize * 3,
        itemStyle: { color: TREND_COLORS.plan },
        data: points.map((p) => Math.round(p.planUnits * 10) / 10),
      },
      {
        type: 'bar',
        name: input.names.units,
        barMaxWidth: fontSize * 2,
        itemStyle: { color: TREND_COLORS.units },
        data: points.map((p) => (p.status === 'no_data' ? { value: p.units, label: noDataLabel(input.noData, points.length, fontSize) } : { value: p.units })),
      },
      {
        type: 'line',
        name: input.names.oee,
        yAxisIndex: 1,
        // A no-data bucket breaks the line (no point, not 0 % and not 100 %).
        connectNulls: false,
        symbolSize: fontSize / 2,
        lineStyle: { color: TREND_COLORS.oee, width: 2 },
        itemStyle: { color: TREND_COLORS.oee },
        data: points.map(oeePercent),
      },
    ],
  };
}
