import { describe, expect, it } from 'vitest';
import { noDataLabel, trendOption, UPRIGHT_LABELS_FROM } from './trend-options';

const empty = (i: number) => ({ start: i * 604_800_000, end: (i + 1) * 604_800_000, planUnits: 4_500, units: 0, goodUnits: 0, status: 'no_data' as const, oee: null });

describe('trend no-data labels', () => {
  it('stand upright in their own column once the buckets are too many to be read side by side (a year of weeks)', () => {
    expect(noDataLabel('无数据', 52, 12)).toMatchObject({ show: true, formatter: '无数据', rotate: 90, position: 'insideBottom' });
    expect(noDataLabel('无数据', UPRIGHT_LABELS_FROM, 12)).toMatchObject({ position: 'top' });
    expect(noDataLabel('无数据', UPRIGHT_LABELS_FROM, 12)).not.toHaveProperty('rotate');
  });

  it('label every no-data bucket of the chart, and never draw it as 0 % OEE', () => {
    const points = Array.from({ length: 52 }, (_, i) => empty(i));
    const option = trendOption({ points, labels: points.map((_, i) => `W${i}`), names: { units: 'units', plan: 'plan', oee: 'OEE' }, noData: '无数据', describe: () => '', fontSize: 12 });
    const series = option.series as { name: string; data: unknown[] }[];
    const units = series.find((s) => s.name === 'units');
    expect(units?.data.every((d) => (d as { label?: { rotate?: number } }).label?.rotate === 90)).toBe(true);
    expect(series.find((s) => s.name === 'OEE')?.data.every((d) => d === null)).toBe(true);
  });
});
