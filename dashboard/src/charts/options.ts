/**
 * Pure option builders: what a chart shows, decided from data alone and
 * tested in Node. Components only mount, resize and dispose.
 *
 * Type-only imports from ECharts keep this file free of the library itself.
 */
import type { SeriesPoint } from '../model/bounded-series';
import type { ChartOption } from './echarts';

/**
 * Canvas text needs a concrete family ('inherit' is an invalid canvas font and
 * silently falls back to 10px sans-serif, which has no CJK glyphs on a kiosk).
 */
export const CHART_FONT = "'Noto Sans SC', sans-serif";

const QUARTER_HOUR_MS = 15 * 60_000;

/**
 * Quarter-hours strictly inside (from, to), epoch ms. A multiple of 15 min
 * since the epoch is a quarter-hour in every time zone in use (all offsets are
 * whole quarter-hours).
 */
export function quarterHourTicks(from: number, to: number): number[] {
  const ticks: number[] = [];
  for (let t = Math.floor(from / QUARTER_HOUR_MS + 1) * QUARTER_HOUR_MS; t < to; t += QUARTER_HOUR_MS) ticks.push(t);
  return ticks;
}

/** Colours of the dark wall theme, shared with the CSS. */
export const WALL_COLORS = {
  text: '#e5e7eb',
  muted: '#9ca3af',
  grid: '#374151',
  line: '#38bdf8',
  area: 'rgba(56, 189, 248, 0.18)',
  target: '#fbbf24',
} as const;

export interface TrendOptionInput {
  points: readonly SeriesPoint[];
  targetPerHour: number;
  /** Width of the window shown, ms (the trailing hour). */
  windowMs: number;
  /** Label on the target line, already localized. */
  targetLabel: string;
  /** Formats an axis tick (epoch ms) in the line's time zone. */
  formatTime: (ts: number) => string;
  /** Base font size, px: the wall scales it with the screen. */
  fontSize: number;
}

/**
 * A dashed horizontal line at `value` (a target, the takt, a required level)
 * with its label: a series' `markLine`. Silent, no symbols, not animated.
 */
export function dashedLevel(input: {
  value: number;
  label: string;
  color: string;
  fontSize: number;
  /** Line width, px. @default 2 */
  width?: number;
  /** Where the label sits. @default 'end' */
  position?: 'end' | 'insideEndTop';
}) {
  return {
    silent: true,
    symbol: 'none',
    animation: false,
    lineStyle: { color: input.color, type: 'dashed' as const, width: input.width ?? 2 },
    label: { color: input.color, fontSize: input.fontSize, formatter: input.label, position: input.position ?? ('end' as const) },
    data: [{ yAxis: input.value }],
  };
}

/**
 * Units per hour over the trailing window against the target. No animation:
 * a live chart redrawn every few seconds should not move on its own, and
 * animations keep timers and objects alive on a screen that runs for weeks.
 */
export function unitsPerHourTrendOption(input: TrendOptionInput): ChartOption {
  const { points, targetPerHour, fontSize } = input;
  const last = points.at(-1);
  const end = last?.t ?? 0;
  const peak = points.reduce((m, p) => Math.max(m, p.v), 0);
  const ticks = quarterHourTicks(end - input.windowMs, end);
  const yMax = Math.max(Math.ceil((Math.max(targetPerHour, peak) * 1.25) / 5) * 5, 5);
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: WALL_COLORS.text, fontSize, fontFamily: CHART_FONT },
    grid: { left: fontSize * 3, right: fontSize * 6, top: fontSize * 0.8, bottom: fontSize * 2 },
    xAxis: {
      type: 'value',
      min: end - input.windowMs,
      max: end,
      // Ticks on whole quarter-hours, not at the window's moving edges: steadier to read,
      // and a handful of distinct labels a day keeps the canvas text caches of a screen
      // that runs for weeks small.
      axisTick: { customValues: ticks },
      axisLabel: { color: WALL_COLORS.muted, fontSize, customValues: ticks, formatter: (v: number) => input.formatTime(v) },
      axisLine: { lineStyle: { color: WALL_COLORS.grid } },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: yMax,
      splitNumber: 3,
      axisLabel: { color: WALL_COLORS.muted, fontSize },
      splitLine: { lineStyle: { color: WALL_COLORS.grid } },
    },
    series: [
      {
        type: 'line',
        data: points.map((p) => [p.t, p.v]),
        showSymbol: false,
        step: 'end',
        lineStyle: { color: WALL_COLORS.line, width: Math.max(2, fontSize / 6) },
        areaStyle: { color: WALL_COLORS.area },
        markLine: dashedLevel({ value: targetPerHour, label: input.targetLabel, color: WALL_COLORS.target, fontSize, width: Math.max(2, fontSize / 8) }),
      },
    ],
  };
}
