import { describe, expect, it } from 'vitest';
import { contributionOption, MEMBER_COLORS, monthlyOutputOption } from './supply-options';

type Bar = { type: string; name?: string; stack?: string; data: { value: number; itemStyle: { color?: string; opacity?: number } }[]; markLine?: { data: { yAxis: number }[] } };

describe('contributionOption', () => {
  const option = contributionOption({
    items: [
      { entity: 'PLANT-A1', label: 'PLANT-A1 (链主)', valueYuan: 23e9, share: 0.742, chainMaster: true },
      { entity: 'P-BATT-01', label: '东湖动力电池', valueYuan: 8e9, share: 0.258, chainMaster: false },
    ],
    formatYuan: (v) => `${v / 1e8} 亿元`,
    formatShare: (s) => `${Math.round((s ?? 0) * 100)}%`,
    fontSize: 12,
  });

  it('puts the largest on top (the category axis draws bottom-up) and marks the chain master', () => {
    expect((option.yAxis as { data: string[] }).data).toEqual(['东湖动力电池', 'PLANT-A1 (链主)']);
    const bars = (option.series as Bar[])[0];
    expect(bars?.data.map((d) => d.value)).toEqual([8e9, 23e9]);
    expect(bars?.data[1]?.itemStyle.color).toBe(MEMBER_COLORS[0]);
    expect(bars?.data[0]?.itemStyle.color).not.toBe(MEMBER_COLORS[0]);
  });

  it('labels each bar with its value and share', () => {
    const label = (option.series as { label: { formatter: (p: { dataIndex: number }) => string } }[])[0]?.label;
    expect(label?.formatter({ dataIndex: 1 })).toBe('230 亿元 · 74%');
  });
});

describe('monthlyOutputOption', () => {
  const option = monthlyOutputOption({
    months: [
      { period: '2027-03', byEntity: { 'PLANT-A1': 7.5e9, 'P-BATT-01': 2.5e9 }, complete: true },
      { period: '2027-04', byEntity: { 'PLANT-A1': 3.5e9 }, complete: false },
    ],
    members: [
      { entity: 'PLANT-A1', label: 'PLANT-A1' },
      { entity: 'P-BATT-01', label: 'Donghu' },
    ],
    requiredPerMonth: 8.1e9,
    requiredLabel: 'needed',
    formatPeriod: (p) => p.slice(5),
    formatYuan: (v) => String(v),
    partialMark: '*',
    fontSize: 12,
  });

  it('stacks one series per member, zero where a member did not report, the month in progress paler', () => {
    const series = option.series as Bar[];
    expect(series.map((s) => [s.name, s.stack])).toEqual([
      ['PLANT-A1', 'output'],
      ['Donghu', 'output'],
    ]);
    expect(series[1]?.data.map((d) => d.value)).toEqual([2.5e9, 0]);
    expect(series[0]?.data.map((d) => d.itemStyle.opacity)).toEqual([1, 0.55]);
    expect((option.xAxis as { data: string[] }).data).toEqual(['03', '04*']);
  });

  it('draws the monthly output the target needs, once', () => {
    const series = option.series as Bar[];
    expect(series[0]?.markLine?.data).toEqual([{ yAxis: 8.1e9 }]);
    expect(series[1]?.markLine).toBeUndefined();
  });
});
