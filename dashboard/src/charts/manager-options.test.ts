import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams } from 'echarts';
import { describe, expect, it } from 'vitest';
import {
  cycleBoxOption,
  HOUR_SHORT_RATIO,
  hourlyOutputOption,
  MANAGER_COLORS,
  paretoOption,
  renderSegment,
  STATE_COLORS,
  stateTimelineOption,
  timelineData,
  timeTickInterval,
  uphTooltip,
  uphTrendOption,
} from './manager-options';

/** The option's series as plain records: the tests read what ECharts would be told. */
const series = (o: object) => (o as { series: Record<string, unknown>[] }).series;
const HOUR = 3_600_000;

describe('hourlyOutputOption', () => {
  const buckets = [
    { start: 0, plan: 30, units: 30 },
    { start: HOUR, plan: 25, units: 23 }, // 92 % of a plan shortened by a break
    { start: 2 * HOUR, plan: 0, units: 0 }, // between shifts
  ];
  const option = hourlyOutputOption({
    buckets,
    formatTick: (t) => `h${t / HOUR}`,
    names: { units: 'Units', plan: 'Plan' },
    formatCount: String,
    fontSize: 12,
  });

  it('draws units as bars, red below 95 % of plan, and the plan as a line', () => {
    const [bars, plan] = series(option);
    expect((option as { xAxis: { data: string[] } }).xAxis.data).toEqual(['h0', 'h1', 'h2']);
    expect(bars?.type).toBe('bar');
    const colors = (bars?.data as { value: number; itemStyle: { color: string } }[]).map((d) => [d.value, d.itemStyle.color]);
    expect(colors).toEqual([
      [30, MANAGER_COLORS.units],
      [23, MANAGER_COLORS.unitsShort],
      [0, MANAGER_COLORS.units],
    ]);
    expect(23 / 25).toBeLessThan(HOUR_SHORT_RATIO);
    expect(plan).toMatchObject({ type: 'line', data: [30, 25, 0] });
    expect(option.animation).toBe(false);
  });
});

describe('uphTooltip', () => {
  it('names the time on the line clock, never the raw epoch value', () => {
    const html = uphTooltip([{ value: [1_764_581_400_000, 28.46], seriesName: '小时产量', marker: '' }], () => '14:30');
    expect(html).toBe('14:30<br>小时产量 <b>28.5</b>');
    expect(html).not.toContain('1764581400000');
  });
});

describe('uphTrendOption', () => {
  it('plots the points against a target line, the axis above both', () => {
    const option = uphTrendOption({
      points: [
        { ts: HOUR, unitsPerHour: 28 },
        { ts: 2 * HOUR, unitsPerHour: 41 },
      ],
      target: 30,
      from: 0,
      to: 8 * HOUR,
      formatTime: String,
      targetLabel: 'target 30',
      seriesName: 'units/h',
      fontSize: 12,
    });
    const [line] = series(option);
    expect(line?.data).toEqual([
      [HOUR, 28],
      [2 * HOUR, 41],
    ]);
    expect(line?.markLine).toMatchObject({ data: [{ yAxis: 30 }], label: { formatter: 'target 30' } });
    expect((option as { yAxis: { max: number } }).yAxis.max).toBe(50); // 41 × 1.2, up to a multiple of 5
    expect((option as { xAxis: { interval: number } }).xAxis.interval).toBe(HOUR);
  });
});

describe('timeTickInterval', () => {
  it('picks round clock steps, at most eight ticks', () => {
    expect(timeTickInterval(8 * HOUR)).toBe(HOUR);
    expect(timeTickInterval(2 * HOUR)).toBe(15 * 60_000);
    expect(timeTickInterval(24 * HOUR)).toBe(3 * HOUR);
    expect(timeTickInterval(7 * 24 * HOUR)).toBe(24 * HOUR);
    expect(timeTickInterval(31 * 24 * HOUR)).toBe(7 * 24 * HOUR);
  });
});

describe('cycleBoxOption', () => {
  const stations = [
    { station: 'S01', count: 50, min: 90, p10: 95, p50: 100, p90: 110, max: 140, taktCompliance: 0.98 },
    { station: 'S02', count: 50, min: 100, p10: 105, p50: 115, p90: 125, max: 180, taktCompliance: 0.8 },
    { station: 'S03', count: 0, min: null, p10: null, p50: null, p90: null, max: null, taktCompliance: null },
  ];
  const option = cycleBoxOption({
    stations,
    taktSeconds: 120,
    taktLabel: 'takt 120 s',
    labels: { min: 'min', p10: 'p10', p50: 'p50', p90: 'p90', max: 'max', count: 'n', compliance: 'ok' },
    formatSeconds: (s) => `${s} s`,
    formatShare: (x) => `${x * 100}%`,
    fontSize: 12,
  });

  it('boxes p10–p90 with whiskers at min and max, red when p90 is over takt, and marks takt', () => {
    const [box] = series(option);
    const data = box?.data as { value: unknown[]; itemStyle?: { borderColor: string } }[];
    expect(data.map((d) => d.value)).toEqual([
      [90, 95, 100, 110, 140],
      [100, 105, 115, 125, 180],
      ['-', '-', '-', '-', '-'],
    ]);
    expect(data[0]?.itemStyle?.borderColor).toBe(MANAGER_COLORS.box);
    expect(data[1]?.itemStyle?.borderColor).toBe(MANAGER_COLORS.boxOver);
    expect(box?.markLine).toMatchObject({ data: [{ yAxis: 120 }] });
    expect((option as { yAxis: { max: number } }).yAxis.max).toBe(200);
  });

  it('explains a box in its tooltip', () => {
    const formatter = (option as { tooltip: { formatter: (p: unknown) => string } }).tooltip.formatter;
    expect(formatter({ dataIndex: 1 })).toBe('<b>S02</b><br>max: 180 s<br>p90: 125 s<br>p50: 115 s<br>p10: 105 s<br>min: 100 s<br>n: 50<br>ok: 80%');
    expect(formatter({ dataIndex: 2 })).toBe('');
  });
});

describe('paretoOption', () => {
  const items = [
    { station: 'S06', state: 'fault' as const, reason: 'torque', seconds: 900, occurrences: 2, cumulativeShare: 0.6 },
    { station: 'S02', state: 'maintenance' as const, reason: '', seconds: 450, occurrences: 1, cumulativeShare: 0.9 },
    { station: 'S09', state: 'fault' as const, reason: 'jam', seconds: 150, occurrences: 1, cumulativeShare: 1 },
  ];
  it('draws minutes largest first and the cumulative share in percent, up to maxBars', () => {
    const option = paretoOption({
      items,
      maxBars: 2,
      names: { downtime: 'min', cumulative: 'cum' },
      labelOf: (i) => `${i.station} · ${i.reason || '?'}`,
      describe: (i) => i.station,
      fontSize: 12,
    });
    const [bars, line] = series(option);
    expect((option as { xAxis: { data: string[] } }).xAxis.data).toEqual(['S06 · torque', 'S02 · ?']);
    expect(bars?.data).toEqual([15, 7.5]);
    expect(line).toMatchObject({ yAxisIndex: 1, data: [60, 90] });
  });
});

describe('stateTimelineOption', () => {
  const stations = [
    { station: 'S01', segments: [{ state: 'running' as const, start: 0, end: HOUR }] },
    {
      station: 'S02',
      segments: [
        { state: 'starved' as const, start: 0, end: 600_000 },
        { state: 'fault' as const, reason: 'torque', start: 600_000, end: HOUR },
      ],
    },
  ];

  it('gives one item per segment, in its station row, in the wall strip colour of its state', () => {
    expect(timelineData(stations)).toEqual([
      { value: [0, 0, HOUR], itemStyle: { color: STATE_COLORS.running }, ref: [0, 0] },
      { value: [1, 0, 600_000], itemStyle: { color: STATE_COLORS.starved }, ref: [1, 0] },
      { value: [1, 600_000, HOUR], itemStyle: { color: STATE_COLORS.fault }, ref: [1, 1] },
    ]);
    expect(STATE_COLORS.fault).toBe('#dc2626');
  });

  it('names the segment under the pointer', () => {
    const option = stateTimelineOption({ stations, from: 0, to: HOUR, formatTime: String, describe: (s, g) => `${s} ${g.state} ${g.reason ?? ''}`, fontSize: 12 });
    const formatter = (option as { tooltip: { formatter: (p: unknown) => string } }).tooltip.formatter;
    expect(formatter({ data: { ref: [1, 1] } })).toBe('S02 fault torque');
    expect((option as { yAxis: { data: string[]; inverse: boolean } }).yAxis).toMatchObject({ data: ['S01', 'S02'], inverse: true });
  });

  it('draws a segment as a rectangle clipped to the plot', () => {
    // 1 px per second from x = 100; rows 20 px apart.
    const api = (value: number[]) =>
      ({
        value: (i: number) => value[i],
        coord: ([t, row]: number[]) => [100 + (t as number) / 1000, 50 + (row as number) * 20],
        size: () => [0, 20],
        visual: () => '#dc2626',
      }) as unknown as CustomSeriesRenderItemAPI;
    const params = { coordSys: { x: 100, y: 0, width: 3600, height: 100 } } as unknown as CustomSeriesRenderItemParams;
    // Starts at 600 s (x 700), ends past the plot (clipped at x 3700); 72 % of the row, centred on y 70.
    expect(renderSegment(params, api([1, 600_000, 4_000_000]))).toEqual({
      type: 'rect',
      shape: { x: 700, y: expect.closeTo(62.8, 9), width: 3000, height: expect.closeTo(14.4, 9) },
      style: { fill: '#dc2626' },
    });
    expect(renderSegment(params, api([0, 5_000_000, 6_000_000]))).toBeNull();
  });
});
