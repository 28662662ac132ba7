/**
 * Pure option builders for loss accounting's charts: the waterfall from plan
 * units through each cause to good units, and the shifting bottleneck over
 * the interval (a timeline of momentary bottlenecks, and each station's share
 * as sole or shifting bottleneck). Data in, option out, tested in Node;
 * labels and formats come in already localized.
 */
import type { BottleneckShare, BottleneckSpan, LossCause, LossKind } from '@core/loss/types';
import type { ChartOption } from './echarts';
import { axisLabel, chartBase, MANAGER_COLORS, renderSegment, splitLine, timeTickInterval, tooltipStyle } from './manager-options';

/** A bar's colour by what it stands for; the states' andon colours where a cause is a state. */
export const LOSS_COLORS: Readonly<Record<LossKind | 'plan' | 'actual' | 'other', string>> = {
  plan: MANAGER_COLORS.plan,
  actual: MANAGER_COLORS.units,
  downtime: '#dc2626',
  starved: '#facc15',
  blocked: '#2563eb',
  speed: '#fb923c',
  quality: '#f472b6',
  microstop: '#f87171',
  no_data: '#4b5563',
  unexplained: '#94a3b8',
  other: '#64748b',
};

/** A negative loss (a gain, e.g. cycles faster than the ideal takt) is green. */
export const GAIN_COLOR = '#4ade80';

/** Colours of the bottleneck charts: sole in the workspace's red, shifting in amber. */
export const BOTTLENECK_COLORS = { sole: '#f87171', shifting: '#fbbf24' } as const;


// ─── Waterfall ─────────────────────────────────────────────────────────────

/** One bar of the waterfall: plan, a cause (or the smaller causes together), or good units. */
export interface WaterfallBar {
  kind: LossKind | 'plan' | 'actual' | 'other';
  label: string;
  /** Bottom and top of the floating bar, units. */
  low: number;
  high: number;
  /** Units the bar stands for: plan, good units, or units lost (negative: a gain, e.g. faster than the ideal takt). */
  units: number;
  /** Indexes of the report's loss terms behind this bar (none for plan and actual). */
  terms: number[];
  /** Why the term reads as it does (a negative `unexplained`: buffers drained), when the collector says. */
  why?: { zh: string; en: string };
}

export interface WaterfallBarsInput {
  planUnits: number;
  goodUnits: number;
  /** The report's terms, largest first. */
  losses: readonly { cause: LossCause; units: number; why?: { zh: string; en: string } | undefined }[];
  /** Most cause bars; the rest are drawn as one "other" bar. @default 8 */
  maxCauses?: number;
  labelOf: (cause: LossCause) => string;
  names: { plan: string; actual: string; other: (n: number) => string };
}

/**
 * The waterfall's bars: plan from zero, each cause floating from where the
 * previous one left off down by its units, good units from zero. Terms add
 * up exactly to plan − good, so the last cause ends where the good bar tops.
 * Beyond `maxCauses`, the smaller losses share one "other" bar, whose drill
 * lists them all; a gain (negative units) or a term the collector explains
 * (`why`) always keeps a bar of its own, after the losses, so what needs
 * explaining is never folded away.
 */
export function waterfallBars(input: WaterfallBarsInput): WaterfallBar[] {
  const max = Math.max(2, input.maxCauses ?? 8);
  const indexed = input.losses.map((t, i) => ({ t, i }));
  const special = indexed.filter(({ t }) => t.units < 0 || t.why !== undefined);
  const regular = indexed.filter(({ t }) => !(t.units < 0 || t.why !== undefined));
  const room = Math.max(1, max - special.length);
  const shown = regular.length > room ? regular.slice(0, room - 1) : regular;
  const rest = regular.slice(shown.length);

  const bars: WaterfallBar[] = [{ kind: 'plan', label: input.names.plan, low: 0, high: input.planUnits, units: input.planUnits, terms: [] }];
  let level = input.planUnits;
  const step = (kind: WaterfallBar['kind'], label: string, units: number, terms: number[], why?: WaterfallBar['why']) => {
    const next = level - units;
    bars.push({ kind, label, low: Math.min(level, next), high: Math.max(level, next), units, terms, ...(why ? { why } : {}) });
    level = next;
  };
  for (const { t, i } of shown) step(t.cause.kind, input.labelOf(t.cause), t.units, [i]);
  if (rest.length > 0) {
    step(
      'other',
      input.names.other(rest.length),
      rest.reduce((s, { t }) => s + t.units, 0),
      rest.map(({ i }) => i),
    );
  }
  for (const { t, i } of special) step(t.cause.kind, input.labelOf(t.cause), t.units, [i], t.why);
  bars.push({ kind: 'actual', label: input.names.actual, low: 0, high: input.goodUnits, units: input.goodUnits, terms: [] });
  return bars;
}

export interface WaterfallOptionInput {
  bars: readonly WaterfallBar[];
  /** A count as the locale writes it. */
  formatUnits: (units: number) => string;
  /** Tooltip text of a bar. */
  describe: (bar: WaterfallBar) => string;
  fontSize: number;
}

/**
 * A bar waterfall: an invisible stacked base lifts each cause to where the
 * previous one ended. Causes are labelled "−41" (a gain "+3"), plan and good
 * units with their count. Click a bar: its `dataIndex` is its index in `bars`.
 */
export function waterfallOption(input: WaterfallOptionInput): ChartOption {
  const { fontSize, bars } = input;
  const top = bars.reduce((m, b) => Math.max(m, b.high), 0);
  const signed = (b: WaterfallBar) => (b.kind === 'plan' || b.kind === 'actual' ? input.formatUnits(b.units) : b.units >= 0 ? `−${input.formatUnits(b.units)}` : `+${input.formatUnits(-b.units)}`);
  return {
    ...chartBase(fontSize),
    grid: { left: fontSize * 3.2, right: fontSize, top: fontSize * 2, bottom: fontSize * 5 },
    tooltip: {
      trigger: 'item',
      ...tooltipStyle(fontSize),
      formatter: (p: unknown) => {
        const b = bars[(p as { dataIndex: number }).dataIndex];
        return b ? input.describe(b) : '';
      },
    },
    xAxis: {
      type: 'category',
      data: bars.map((b) => b.label),
      axisLabel: { ...axisLabel(fontSize), interval: 0, rotate: bars.length > 7 ? 25 : 0, width: fontSize * 11, overflow: 'truncate' },
      axisLine: { lineStyle: { color: MANAGER_COLORS.grid } },
    },
    yAxis: { type: 'value', min: 0, max: Math.max(Math.ceil((top * 1.1) / 10) * 10, 10), minInterval: 1, axisLabel: axisLabel(fontSize), splitLine },
    series: [
      {
        type: 'bar',
        stack: 'waterfall',
        silent: true,
        barMaxWidth: fontSize * 4,
        itemStyle: { color: 'transparent' },
        emphasis: { disabled: true },
        tooltip: { show: false },
        data: bars.map((b) => b.low),
      },
      {
        type: 'bar',
        stack: 'waterfall',
        barMaxWidth: fontSize * 4,
        cursor: 'pointer',
        data: bars.map((b) => ({
          value: b.high - b.low,
          itemStyle: { color: b.kind !== 'plan' && b.kind !== 'actual' && b.units < 0 ? GAIN_COLOR : LOSS_COLORS[b.kind] },
        })),
        label: {
          show: true,
          position: 'top',
          color: MANAGER_COLORS.text,
          fontSize,
          formatter: (p: { dataIndex: number }) => {
            const b = bars[p.dataIndex];
            return b ? signed(b) : '';
          },
        },
      },
    ],
  };
}

// ─── Shifting bottleneck ───────────────────────────────────────────────────

/** Stations of the bottleneck charts: those that were the bottleneck at all, largest total share first, then any only the timeline names. */
export function bottleneckStations(shares: readonly BottleneckShare[], timeline: readonly BottleneckSpan[]): string[] {
  const ordered = shares
    .filter((s) => s.soleShare + s.shiftingShare > 0)
    .sort((a, b) => b.soleShare + b.shiftingShare - (a.soleShare + a.shiftingShare))
    .map((s) => s.station);
  for (const span of timeline) if (!ordered.includes(span.station)) ordered.push(span.station);
  return ordered;
}

export interface BottleneckTimelineInput {
  timeline: readonly BottleneckSpan[];
  /** Rows, top to bottom (see {@link bottleneckStations}). */
  stations: readonly string[];
  from: number;
  to: number;
  formatTime: (ts: number) => string;
  describe: (span: BottleneckSpan) => string;
  fontSize: number;
}

/** One row per station; a span where it was the momentary bottleneck is red, amber while shifting. */
export function bottleneckTimelineOption(input: BottleneckTimelineInput): ChartOption {
  const { fontSize } = input;
  const row = new Map(input.stations.map((s, i) => [s, i]));
  const data = input.timeline.flatMap((span, i) => {
    const r = row.get(span.station);
    return r === undefined ? [] : [{ value: [r, span.from, span.to], itemStyle: { color: span.shifting ? BOTTLENECK_COLORS.shifting : BOTTLENECK_COLORS.sole }, ref: i }];
  });
  return {
    ...chartBase(fontSize),
    grid: { left: fontSize * 3.2, right: fontSize, top: fontSize * 0.5, bottom: fontSize * 2 },
    tooltip: {
      trigger: 'item',
      ...tooltipStyle(fontSize),
      formatter: (p: unknown) => {
        const i = (p as { data?: { ref?: number } }).data?.ref;
        const span = i === undefined ? undefined : input.timeline[i];
        return span ? input.describe(span) : '';
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
    yAxis: { type: 'category', inverse: true, data: [...input.stations], axisLabel: { ...axisLabel(fontSize), interval: 0 }, axisLine: { lineStyle: { color: MANAGER_COLORS.grid } } },
    series: [{ type: 'custom', progressive: 0, renderItem: renderSegment, encode: { x: [1, 2], y: 0 }, data }],
  };
}

export interface BottleneckShareInput {
  shares: readonly BottleneckShare[];
  /** Rows, top to bottom (see {@link bottleneckStations}). */
  stations: readonly string[];
  names: { sole: string; shifting: string };
  formatShare: (share: number) => string;
  fontSize: number;
}

/** Horizontal bars per station: its share of the interval as sole bottleneck, then as shifting bottleneck, stacked, in %. */
export function bottleneckShareOption(input: BottleneckShareInput): ChartOption {
  const { fontSize } = input;
  const byStation = new Map(input.shares.map((s) => [s.station, s]));
  const pct = (x: number) => Math.round(x * 1000) / 10;
  const series = (key: 'soleShare' | 'shiftingShare', name: string, color: string) => ({
    type: 'bar' as const,
    name,
    stack: 'share',
    barMaxWidth: fontSize * 1.6,
    itemStyle: { color },
    data: input.stations.map((s) => pct(byStation.get(s)?.[key] ?? 0)),
  });
  return {
    ...chartBase(fontSize),
    grid: { left: fontSize * 3.2, right: fontSize * 2, top: fontSize * 2.4, bottom: fontSize * 2 },
    legend: { top: 0, right: 0, textStyle: { color: MANAGER_COLORS.text, fontSize }, data: [input.names.sole, input.names.shifting] },
    tooltip: { trigger: 'axis', ...tooltipStyle(fontSize), axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => (typeof v === 'number' ? input.formatShare(v / 100) : String(v)) },
    xAxis: { type: 'value', min: 0, max: 100, interval: 25, axisLabel: { ...axisLabel(fontSize), formatter: '{value}%' }, splitLine },
    yAxis: { type: 'category', inverse: true, data: [...input.stations], axisLabel: { ...axisLabel(fontSize), interval: 0 }, axisLine: { lineStyle: { color: MANAGER_COLORS.grid } } },
    series: [series('soleShare', input.names.sole, BOTTLENECK_COLORS.sole), series('shiftingShare', input.names.shifting, BOTTLENECK_COLORS.shifting)],
  };
}
