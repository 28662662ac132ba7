/**
 * Pure option builders for the manager workspace's charts: hourly output
 * against plan, the units-per-hour trend, cycle-time box plots against takt,
 * the downtime Pareto and the station state timeline. Data in, option out,
 * tested in Node; labels and formatters come in already localized, so these
 * functions know nothing of locales or time zones. No animation: a report
 * should not move.
 */
import type { StationState } from '@core/events';
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams, CustomSeriesRenderItemReturn } from 'echarts';
import type { ChartOption } from './echarts';
import { CHART_FONT, dashedLevel, WALL_COLORS } from './options';

/** Colours of the workspace, on the same dark theme as the wall. */
export const MANAGER_COLORS = {
  ...WALL_COLORS,
  units: '#38bdf8',
  unitsShort: '#f87171',
  plan: '#fbbf24',
  box: '#38bdf8',
  boxFill: 'rgba(56, 189, 248, 0.25)',
  boxOver: '#f87171',
  boxOverFill: 'rgba(248, 113, 113, 0.25)',
  bar: '#f87171',
  cumulative: '#fbbf24',
} as const;

/**
 * State colours, the wall strip's andon colours (StationStrip.vue). Offline
 * is a lighter slate than the wall's near-black card, which would vanish on
 * the chart's panel; unknown (before the first event) is barely there.
 */
export const STATE_COLORS: Readonly<Record<StationState | 'unknown', string>> = {
  running: '#15803d',
  idle: '#334155',
  starved: '#facc15',
  blocked: '#2563eb',
  fault: '#dc2626',
  maintenance: '#7e22ce',
  offline: '#4b5563',
  unknown: '#1f2937',
};

/** Base text style, px. */
export interface ChartText {
  fontSize: number;
}

/** The manager charts' axis labels: muted, at the chart's text size (px). */
export const axisLabel = (fontSize: number) => ({ color: MANAGER_COLORS.muted, fontSize });
/** The manager charts' grid lines. */
export const splitLine = { lineStyle: { color: MANAGER_COLORS.grid } };
/** What every manager chart starts from: no animation, a transparent background, the workspace's text. */
export const chartBase = (fontSize: number) =>
  ({
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: MANAGER_COLORS.text, fontSize, fontFamily: CHART_FONT },
  }) as const;
/** The manager charts' tooltip: dark, kept inside the chart. */
export const tooltipStyle = (fontSize: number) => ({
  backgroundColor: '#1f2937',
  borderColor: MANAGER_COLORS.grid,
  textStyle: { color: MANAGER_COLORS.text, fontSize, fontFamily: CHART_FONT },
  confine: true,
});

/** Tick spacings a time axis may use, ms: round clock steps from 15 minutes to a week. */
const TICK_STEPS_MS = [15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].map((min) => min * 60_000);

/**
 * The smallest round step that puts at most `maxTicks` ticks on a span, so
 * a shift that starts on the hour is labelled 14:00, 15:00, … rather than at
 * whatever fractions the axis would pick.
 */
export function timeTickInterval(spanMs: number, maxTicks = 8): number {
  return TICK_STEPS_MS.find((step) => spanMs / step <= maxTicks) ?? (TICK_STEPS_MS.at(-1) as number);
}

// ─── Hourly output against plan ────────────────────────────────────────────

export interface HourlyOptionInput extends ChartText {
  buckets: readonly { start: number; plan: number; units: number }[];
  /** Axis label of a bucket's start (local hour, or day). */
  formatTick: (start: number) => string;
  names: { units: string; plan: string };
  /** Formats a count for tooltips and labels. */
  formatCount: (n: number) => string;
}

/** Share of plan under which an hour's bar turns red. */
export const HOUR_SHORT_RATIO = 0.95;

/**
 * Bars of units per bucket, red where the bucket fell short of 95 % of its
 * plan, with the plan as a stepped line over them. Buckets without planned
 * time and without units (breaks between shifts, days off) are kept so the
 * axis stays continuous.
 */
export function hourlyOutputOption(input: HourlyOptionInput): ChartOption {
  const { fontSize, buckets } = input;
  return {
    ...chartBase(fontSize),
    grid: { left: fontSize * 3.2, right: fontSize, top: fontSize * 2.6, bottom: fontSize * 2 },
    legend: { top: 0, right: 0, textStyle: { color: MANAGER_COLORS.text, fontSize }, data: [input.names.units, input.names.plan] },
    tooltip: { trigger: 'axis', ...tooltipStyle(fontSize), valueFormatter: (v) => (typeof v === 'number' ? input.formatCount(v) : String(v ?? '–')) },
    xAxis: {
      type: 'category',
      data: buckets.map((b) => input.formatTick(b.start)),
      axisLabel: axisLabel(fontSize),
      axisLine: { lineStyle: { color: MANAGER_COLORS.grid } },
    },
    yAxis: { type: 'value', min: 0, minInterval: 1, axisLabel: axisLabel(fontSize), splitLine },
    series: [
      {
        type: 'bar',
        name: input.names.units,
        barMaxWidth: fontSize * 2.5,
        itemStyle: { color: MANAGER_COLORS.units },
        data: buckets.map((b) => ({
          value: b.units,
          itemStyle: { color: b.plan > 0 && b.units < b.plan * HOUR_SHORT_RATIO ? MANAGER_COLORS.unitsShort : MANAGER_COLORS.units },
        })),
      },
      {
        type: 'line',
        name: input.names.plan,
        step: 'middle',
        symbol: 'none',
        lineStyle: { color: MANAGER_COLORS.plan, type: 'dashed', width: 2 },
        itemStyle: { color: MANAGER_COLORS.plan },
        data: buckets.map((b) => Math.round(b.plan * 10) / 10),
      },
    ],
  };
}

// ─── Units-per-hour trend ──────────────────────────────────────────────────

export interface UphOptionInput extends ChartText {
  points: readonly { ts: number; unitsPerHour: number }[];
  target: number;
  /** Interval shown, epoch ms. */
  from: number;
  to: number;
  formatTime: (ts: number) => string;
  targetLabel: string;
  seriesName: string;
}

/** The units-per-hour tooltip: the point's time on the line's clock, then each series' value. */
export function uphTooltip(params: unknown, formatTime: (ts: number) => string): string {
  const list = (Array.isArray(params) ? params : [params]) as { value?: unknown; seriesName?: string; marker?: string }[];
  const first = list[0]?.value;
  if (!Array.isArray(first) || typeof first[0] !== 'number') return '';
  const rows = list.map((p) => {
    const v = Array.isArray(p.value) && typeof p.value[1] === 'number' ? Math.round(p.value[1] * 10) / 10 : '–';
    return `${p.marker ?? ''}${p.seriesName ?? ''} <b>${v}</b>`;
  });
  return [formatTime(first[0]), ...rows].join('<br>');
}

/** Units per hour over the interval against the target line. */
export function uphTrendOption(input: UphOptionInput): ChartOption {
  const { fontSize, points, target } = input;
  const peak = points.reduce((m, p) => Math.max(m, p.unitsPerHour), 0);
  const yMax = Math.max(Math.ceil((Math.max(target, peak) * 1.2) / 5) * 5, 5);
  return {
    ...chartBase(fontSize),
    grid: { left: fontSize * 3.2, right: fontSize * 5, top: fontSize, bottom: fontSize * 2 },
    tooltip: {
      trigger: 'axis',
      ...tooltipStyle(fontSize),
      // The x axis holds epoch ms: the tooltip names the time on the line's clock, never the raw number.
      axisPointer: { type: 'line', label: { formatter: (p: { value: unknown }) => input.formatTime(Number(p.value)) } },
      formatter: (params: unknown) => uphTooltip(params, input.formatTime),
    },
    xAxis: {
      type: 'value',
      min: input.from,
      max: input.to,
      interval: timeTickInterval(input.to - input.from),
      axisLabel: { ...axisLabel(fontSize), formatter: (v: number) => input.formatTime(v), hideOverlap: true },
      axisLine: { lineStyle: { color: MANAGER_COLORS.grid } },
      splitLine: { show: false },
    },
    yAxis: { type: 'value', min: 0, max: yMax, splitNumber: 4, axisLabel: axisLabel(fontSize), splitLine },
    series: [
      {
        type: 'line',
        name: input.seriesName,
        data: points.map((p) => [p.ts, p.unitsPerHour]),
        showSymbol: false,
        lineStyle: { color: MANAGER_COLORS.line, width: 2 },
        itemStyle: { color: MANAGER_COLORS.line },
        areaStyle: { color: MANAGER_COLORS.area },
        markLine: dashedLevel({ value: target, label: input.targetLabel, color: MANAGER_COLORS.target, fontSize }),
      },
    ],
  };
}

// ─── Cycle times against takt ──────────────────────────────────────────────

export interface CycleStatsInput {
  station: string;
  count: number;
  min: number | null;
  p10: number | null;
  p50: number | null;
  p90: number | null;
  max: number | null;
  taktCompliance: number | null;
}

export interface CycleBoxOptionInput extends ChartText {
  stations: readonly CycleStatsInput[];
  taktSeconds: number;
  taktLabel: string;
  labels: { min: string; p10: string; p50: string; p90: string; max: string; count: string; compliance: string };
  formatSeconds: (s: number) => string;
  formatShare: (share: number) => string;
}

/**
 * One box per station: whiskers at min and max, the box from p10 to p90 and
 * the median inside (p10/p90 rather than quartiles: they are what the API
 * aggregates in InfluxDB, and the tails are what matters against takt). A
 * station whose p90 exceeds takt is drawn red. The takt is a dashed line.
 */
export function cycleBoxOption(input: CycleBoxOptionInput): ChartOption {
  const { fontSize, stations, taktSeconds } = input;
  const complete = (s: CycleStatsInput) => s.count > 0 && s.min !== null && s.p10 !== null && s.p50 !== null && s.p90 !== null && s.max !== null;
  const peak = stations.reduce((m, s) => Math.max(m, s.max ?? 0), 0);
  const L = input.labels;
  return {
    ...chartBase(fontSize),
    grid: { left: fontSize * 3.2, right: fontSize * 6.5, top: fontSize, bottom: fontSize * 2 },
    tooltip: {
      trigger: 'item',
      ...tooltipStyle(fontSize),
      formatter: (p: unknown) => {
        const s = stations[(p as { dataIndex: number }).dataIndex];
        if (!s || !complete(s)) return '';
        const f = input.formatSeconds;
        return [
          `<b>${s.station}</b>`,
          `${L.max}: ${f(s.max as number)}`,
          `${L.p90}: ${f(s.p90 as number)}`,
          `${L.p50}: ${f(s.p50 as number)}`,
          `${L.p10}: ${f(s.p10 as number)}`,
          `${L.min}: ${f(s.min as number)}`,
          `${L.count}: ${s.count}`,
          s.taktCompliance === null ? '' : `${L.compliance}: ${input.formatShare(s.taktCompliance)}`,
        ]
          .filter(Boolean)
          .join('<br>');
      },
    },
    xAxis: { type: 'category', data: stations.map((s) => s.station), axisLabel: { ...axisLabel(fontSize), interval: 0 }, axisLine: { lineStyle: { color: MANAGER_COLORS.grid } } },
    yAxis: {
      type: 'value',
      min: 0,
      max: Math.max(Math.ceil((Math.max(peak, taktSeconds) * 1.1) / 10) * 10, 10),
      axisLabel: axisLabel(fontSize),
      splitLine,
    },
    series: [
      {
        type: 'boxplot',
        boxWidth: [4, fontSize * 1.8],
        data: stations.map((s) => {
          if (!complete(s)) return { value: ['-', '-', '-', '-', '-'] };
          const over = (s.p90 as number) > taktSeconds;
          return {
            value: [s.min as number, s.p10 as number, s.p50 as number, s.p90 as number, s.max as number],
            itemStyle: { color: over ? MANAGER_COLORS.boxOverFill : MANAGER_COLORS.boxFill, borderColor: over ? MANAGER_COLORS.boxOver : MANAGER_COLORS.box, borderWidth: 1.5 },
          };
        }),
        markLine: dashedLevel({ value: taktSeconds, label: input.taktLabel, color: MANAGER_COLORS.target, fontSize }),
      },
    ],
  };
}

// ─── Downtime Pareto ───────────────────────────────────────────────────────

export interface ParetoItemInput {
  station: string;
  state: 'fault' | 'maintenance';
  reason: string;
  seconds: number;
  occurrences: number;
  cumulativeShare: number;
}

export interface ParetoOptionInput extends ChartText {
  items: readonly ParetoItemInput[];
  /** Most bars drawn; the CSV holds them all. @default 12 */
  maxBars?: number;
  names: { downtime: string; cumulative: string };
  /** Category label of an item, e.g. `S06 · torque gun`. */
  labelOf: (item: ParetoItemInput) => string;
  /** Tooltip line of an item. */
  describe: (item: ParetoItemInput) => string;
}

/** Bars of downtime minutes, largest first, with the cumulative share (0–100 %) on a second axis. */
export function paretoOption(input: ParetoOptionInput): ChartOption {
  const { fontSize } = input;
  const items = input.items.slice(0, input.maxBars ?? 12);
  return {
    ...chartBase(fontSize),
    grid: { left: fontSize * 3.2, right: fontSize * 3.5, top: fontSize * 2.6, bottom: fontSize * 4.5 },
    legend: { top: 0, right: 0, textStyle: { color: MANAGER_COLORS.text, fontSize }, data: [input.names.downtime, input.names.cumulative] },
    tooltip: {
      trigger: 'axis',
      ...tooltipStyle(fontSize),
      formatter: (params: unknown) => {
        const first = (params as { dataIndex: number }[])[0];
        const item = first ? items[first.dataIndex] : undefined;
        return item ? input.describe(item) : '';
      },
    },
    xAxis: {
      type: 'category',
      data: items.map((i) => input.labelOf(i)),
      axisLabel: { ...axisLabel(fontSize), interval: 0, rotate: 30, width: fontSize * 9, overflow: 'truncate' },
      axisLine: { lineStyle: { color: MANAGER_COLORS.grid } },
    },
    yAxis: [
      { type: 'value', min: 0, axisLabel: axisLabel(fontSize), splitLine },
      { type: 'value', min: 0, max: 100, interval: 25, axisLabel: { ...axisLabel(fontSize), formatter: '{value}%' }, splitLine: { show: false } },
    ],
    series: [
      {
        type: 'bar',
        name: input.names.downtime,
        yAxisIndex: 0,
        barMaxWidth: fontSize * 3,
        itemStyle: { color: MANAGER_COLORS.bar },
        data: items.map((i) => Math.round((i.seconds / 60) * 10) / 10),
      },
      {
        type: 'line',
        name: input.names.cumulative,
        yAxisIndex: 1,
        symbolSize: 6,
        lineStyle: { color: MANAGER_COLORS.cumulative, width: 2 },
        itemStyle: { color: MANAGER_COLORS.cumulative },
        data: items.map((i) => Math.round(i.cumulativeShare * 1000) / 10),
      },
    ],
  };
}

// ─── State timeline ────────────────────────────────────────────────────────

export interface TimelineStationInput {
  station: string;
  segments: readonly { state: StationState | 'unknown'; reason?: string | undefined; start: number; end: number }[];
}

export interface TimelineOptionInput extends ChartText {
  /** Stations in flow order; drawn top to bottom. */
  stations: readonly TimelineStationInput[];
  from: number;
  to: number;
  formatTime: (ts: number) => string;
  /** Tooltip text of one segment. */
  describe: (station: string, segment: TimelineStationInput['segments'][number]) => string;
}

/** One data item per segment: [row, start, end], coloured by state. */
export interface TimelineDatum {
  value: [number, number, number];
  itemStyle: { color: string };
  /** Index of the station and segment, for the tooltip. */
  ref: [number, number];
}

/** The timeline's data: one item per segment, rows in flow order. */
export function timelineData(stations: readonly TimelineStationInput[]): TimelineDatum[] {
  return stations.flatMap((s, row) =>
    s.segments.map((g, i) => ({ value: [row, g.start, g.end] as [number, number, number], itemStyle: { color: STATE_COLORS[g.state] }, ref: [row, i] as [number, number] })),
  );
}

/**
 * Draws one segment as a rectangle in its station's row, clipped to the
 * plot area. Exported for its test.
 */
export function renderSegment(params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI): CustomSeriesRenderItemReturn {
  const row = api.value(0) as number;
  const [x0 = 0, yMid = 0] = api.coord([api.value(1), row]);
  const [x1 = 0] = api.coord([api.value(2), row]);
  const band = (api.size?.([0, 1]) as number[] | undefined)?.[1] ?? 0;
  const h = band * 0.72;
  const box = params.coordSys as unknown as { x: number; y: number; width: number; height: number };
  const left = Math.max(x0, box.x);
  const right = Math.min(x1, box.x + box.width);
  if (right <= left) return null;
  return {
    type: 'rect',
    shape: { x: left, y: yMid - h / 2, width: right - left, height: h },
    style: { fill: api.visual('color') as string },
  };
}

/** Per-station coloured segments over the interval, stations in flow order from the top. */
export function stateTimelineOption(input: TimelineOptionInput): ChartOption {
  const { fontSize, stations } = input;
  return {
    ...chartBase(fontSize),
    grid: { left: fontSize * 3.2, right: fontSize, top: fontSize * 0.5, bottom: fontSize * 2 },
    tooltip: {
      trigger: 'item',
      ...tooltipStyle(fontSize),
      formatter: (p: unknown) => {
        const ref = (p as { data?: { ref?: [number, number] } }).data?.ref;
        const s = ref ? stations[ref[0]] : undefined;
        const g = ref && s ? s.segments[ref[1]] : undefined;
        return s && g ? input.describe(s.station, g) : '';
      },
    },
    xAxis: {
      type: 'value',
      min: input.from,
      max: input.to,
      interval: timeTickInterval(input.to - input.from),
      axisLabel: { ...axisLabel(fontSize), formatter: (v: number) => input.formatTime(v), hideOverlap: true },
      axisLine: { lineStyle: { color: MANAGER_COLORS.grid } },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: stations.map((s) => s.station),
      axisLabel: { ...axisLabel(fontSize), interval: 0 },
      axisLine: { lineStyle: { color: MANAGER_COLORS.grid } },
    },
    series: [
      {
        type: 'custom',
        // Drawn in one pass: progressive chunks would leave rows blank until later frames.
        progressive: 0,
        renderItem: renderSegment,
        encode: { x: [1, 2], y: 0 },
        data: timelineData(stations),
      },
    ],
  };
}
