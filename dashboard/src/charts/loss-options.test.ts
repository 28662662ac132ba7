import { describe, expect, it } from 'vitest';
import { shortageReport } from '../testing/loss-fixtures';
import { BOTTLENECK_COLORS, bottleneckShareOption, bottleneckStations, bottleneckTimelineOption, GAIN_COLOR, LOSS_COLORS, waterfallBars, waterfallOption, type WaterfallBar } from './loss-options';

const names = { plan: 'plan', actual: 'good', other: (n: number) => `${n} more` };
const labelOf = (c: { kind: string; station?: string; partner?: string }) => [c.kind, c.partner ?? c.station].filter(Boolean).join(' ');
const series = (o: object) => (o as { series: Record<string, unknown>[] }).series;
const report = shortageReport();

describe('waterfallBars', () => {
  const bars = waterfallBars({ planUnits: report.planUnits, goodUnits: report.goodUnits, losses: report.losses, labelOf, names });

  it('walks from plan down through each cause to the good units, exactly', () => {
    expect(bars.map((b) => b.label)).toEqual(['plan', 'starved P-BATT-01', 'speed', 'downtime S05', 'blocked S09', 'microstop S05', 'no_data', 'quality S10', 'unexplained', 'good']);
    expect(bars[0]).toMatchObject({ low: 0, high: 215 });
    expect(bars[1]).toMatchObject({ kind: 'starved', low: 174, high: 215, units: 41, terms: [0] });
    expect(bars[2]).toMatchObject({ low: 156, high: 174 });
    // Each cause starts where the one before it ended, and the last ends on top of the good bar.
    for (let i = 2; i < bars.length - 1; i += 1) expect(bars[i]?.high).toBe(bars[i - 1]?.low);
    expect(bars.at(-2)?.low).toBe(121);
    expect(bars.at(-1)).toMatchObject({ kind: 'actual', low: 0, high: 121, terms: [] });
  });

  it('gathers the smaller causes into one bar that drills to all of them', () => {
    const few = waterfallBars({ planUnits: 215, goodUnits: 121, losses: report.losses, maxCauses: 4, labelOf, names });
    expect(few.map((b) => b.label)).toEqual(['plan', 'starved P-BATT-01', 'speed', 'downtime S05', '5 more', 'good']);
    expect(few[4]).toMatchObject({ kind: 'other', units: 8 + 6 + 5 + 4 + 3, terms: [3, 4, 5, 6, 7], low: 121 });
  });

  it('keeps a gain or an explained term out of the "other" bar, after the losses', () => {
    const why = { zh: '缓冲区放空', en: 'buffers drained' };
    const losses = [
      { cause: { kind: 'starved' as const, partner: 'P-BATT-01' }, units: 30 },
      { cause: { kind: 'downtime' as const, station: 'S05' }, units: 8 },
      { cause: { kind: 'quality' as const }, units: 2 },
      { cause: { kind: 'microstop' as const, station: 'S05' }, units: 1 },
      { cause: { kind: 'unexplained' as const }, units: -10, why },
    ];
    const few = waterfallBars({ planUnits: 130, goodUnits: 99, losses, maxCauses: 4, labelOf, names });
    expect(few.map((b) => [b.label, b.units, b.terms])).toEqual([
      ['plan', 130, []],
      ['starved P-BATT-01', 30, [0]],
      ['downtime S05', 8, [1]],
      ['2 more', 3, [2, 3]],
      ['unexplained', -10, [4]],
      ['good', 99, []],
    ]);
    expect(few[4]).toMatchObject({ low: 89, high: 99, why });
  });

  it('draws a gain (negative loss) upward, with why the collector gave', () => {
    const why = { zh: '缓冲区放空', en: 'the buffer after S05 drained' };
    const gain = waterfallBars({ planUnits: 100, goodUnits: 103, losses: [{ cause: { kind: 'unexplained' }, units: -3, why }], labelOf, names });
    expect(gain[1]).toMatchObject({ low: 100, high: 103, units: -3, why });
    expect(bars[1]?.why).toBeUndefined();
  });
});

describe('waterfallOption', () => {
  const bars = waterfallBars({ planUnits: 215, goodUnits: 121, losses: report.losses, labelOf, names });
  const option = waterfallOption({ bars, formatUnits: String, describe: (b: WaterfallBar) => `<b>${b.label}</b>`, fontSize: 12 });

  it('lifts each bar on an invisible stacked base', () => {
    const [lift, value] = series(option);
    expect(lift?.stack).toBe('waterfall');
    expect(value?.stack).toBe('waterfall');
    expect(lift?.itemStyle).toEqual({ color: 'transparent' });
    expect(lift?.data).toEqual(bars.map((b) => b.low));
    expect((value?.data as { value: number }[]).map((d) => d.value)).toEqual([215, 41, 18, 9, 8, 6, 5, 4, 3, 121]);
  });

  it('colours a bar by its kind, labels causes as units lost, and describes the bar under the pointer', () => {
    const value = series(option)[1] as { data: { itemStyle: { color: string } }[]; label: { formatter: (p: { dataIndex: number }) => string } };
    expect(value.data[0]?.itemStyle.color).toBe(LOSS_COLORS.plan);
    expect(value.data[1]?.itemStyle.color).toBe(LOSS_COLORS.starved);
    expect(value.data[9]?.itemStyle.color).toBe(LOSS_COLORS.actual);
    expect([0, 1, 9].map((i) => value.label.formatter({ dataIndex: i }))).toEqual(['215', '−41', '121']);
    const tip = (option as { tooltip: { formatter: (p: unknown) => string } }).tooltip.formatter({ dataIndex: 3 });
    expect(tip).toBe('<b>downtime S05</b>');
  });

  it('shows a gain in green, labelled +', () => {
    const gain = waterfallOption({
      bars: waterfallBars({ planUnits: 100, goodUnits: 103, losses: [{ cause: { kind: 'speed' }, units: -3 }], labelOf, names }),
      formatUnits: String,
      describe: () => '',
      fontSize: 12,
    });
    const value = series(gain)[1] as { data: { itemStyle: { color: string } }[]; label: { formatter: (p: { dataIndex: number }) => string } };
    expect(value.data[1]?.itemStyle.color).toBe(GAIN_COLOR);
    expect(value.label.formatter({ dataIndex: 1 })).toBe('+3');
  });
});

describe('shifting bottleneck charts', () => {
  const { stations: shares, timeline } = report.bottleneck;
  const rows = bottleneckStations(shares, [...timeline, { from: 0, to: 1, station: 'S11', shifting: false }]);

  it('orders stations by their share as bottleneck, then those only the timeline names', () => {
    expect(rows).toEqual(['S05', 'S07', 'S03', 'S11']);
    // A station that never was the bottleneck takes no row.
    expect(bottleneckStations([...shares, { station: 'S20', soleShare: 0, shiftingShare: 0 }], timeline)).toEqual(['S05', 'S07', 'S03']);
  });

  it('draws each momentary bottleneck in its station row, amber while shifting', () => {
    const option = bottleneckTimelineOption({ timeline, stations: rows, from: report.range.from, to: report.range.to, formatTime: String, describe: (s) => s.station, fontSize: 12 });
    const data = series(option)[0]?.data as { value: number[]; itemStyle: { color: string } }[];
    expect(data.map((d) => d.value[0])).toEqual([0, 1, 1, 0, 0]);
    expect(data.map((d) => d.itemStyle.color)).toEqual([
      BOTTLENECK_COLORS.sole,
      BOTTLENECK_COLORS.shifting,
      BOTTLENECK_COLORS.sole,
      BOTTLENECK_COLORS.shifting,
      BOTTLENECK_COLORS.sole,
    ]);
    expect(data[2]?.value.slice(1)).toEqual([timeline[2]?.from, timeline[2]?.to]);
    const tip = (option as { tooltip: { formatter: (p: unknown) => string } }).tooltip.formatter({ data: { ref: 2 } });
    expect(tip).toBe('S07');
  });

  it('stacks sole and shifting shares per station, in percent', () => {
    const option = bottleneckShareOption({ shares, stations: rows, names: { sole: 'sole', shifting: 'shifting' }, formatShare: String, fontSize: 12 });
    const [sole, shifting] = series(option);
    expect(sole?.data).toEqual([52, 17, 6, 0]);
    expect(shifting?.data).toEqual([8, 4, 5, 0]);
    expect(sole?.stack).toBe(shifting?.stack);
  });
});
