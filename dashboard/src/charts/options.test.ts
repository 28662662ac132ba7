import { describe, expect, it } from 'vitest';
import { quarterHourTicks, unitsPerHourTrendOption, CHART_FONT } from './options';

const base = {
  targetPerHour: 30,
  windowMs: 3_600_000,
  targetLabel: '目标 30/小时',
  formatTime: (ts: number) => `T${ts}`,
  fontSize: 20,
};

describe('unitsPerHourTrendOption', () => {
  const points = [
    { t: 1_000_000, v: 26 },
    { t: 1_600_000, v: 41 },
  ];
  const option = unitsPerHourTrendOption({ ...base, points });
  const series = (Array.isArray(option.series) ? option.series[0] : option.series) as Record<string, unknown>;

  it('never animates: live redraws must not move on their own', () => {
    expect(option.animation).toBe(false);
    expect((series.markLine as { animation: boolean }).animation).toBe(false);
  });

  it('shows the trailing window ending at the newest point, against the target', () => {
    expect(option.xAxis).toMatchObject({ min: 1_600_000 - 3_600_000, max: 1_600_000 });
    // Labels on whole quarter-hours only, not on the moving window edges.
    const ticks = [-1_800_000, -900_000, 0, 900_000];
    expect(option.xAxis).toMatchObject({ axisLabel: { customValues: ticks }, axisTick: { customValues: ticks } });
    expect(series.data).toEqual([
      [1_000_000, 26],
      [1_600_000, 41],
    ]);
    expect(series.markLine).toMatchObject({ data: [{ yAxis: 30 }], label: { formatter: '目标 30/小时' } });
    // Room above the higher of target and peak, on a round number.
    expect(option.yAxis).toMatchObject({ min: 0, max: 55 });
  });

  it('labels time with the given (line time zone) formatter and a canvas-safe CJK font', () => {
    const fmt = (option.xAxis as { axisLabel: { formatter: (v: number) => string } }).axisLabel.formatter;
    expect(fmt(123)).toBe('T123');
    expect(option.textStyle).toMatchObject({ fontFamily: CHART_FONT, fontSize: 20 });
    expect(CHART_FONT).toContain('Noto Sans SC');
  });

  it('copes with no data yet', () => {
    const empty = unitsPerHourTrendOption({ ...base, points: [] });
    expect(empty.yAxis).toMatchObject({ max: 40 });
  });
});

describe('quarterHourTicks', () => {
  it('lists the quarter-hours strictly inside the window', () => {
    expect(quarterHourTicks(0, 3_600_000)).toEqual([900_000, 1_800_000, 2_700_000]);
    expect(quarterHourTicks(100, 900_001)).toEqual([900_000]);
    expect(quarterHourTicks(5, 10)).toEqual([]);
  });
});
