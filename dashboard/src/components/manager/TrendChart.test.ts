import type { TrendPoint } from '@core/kpi/trend';
import { createPinia, setActivePinia } from 'pinia';
import { createApp, h, nextTick } from 'vue';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChartOption } from '../../charts/echarts';
import { useLocaleStore } from '../../stores/locale';

// Canvas does not draw under happy-dom: stand in for ECharts and read the option the chart is given.
const options: ChartOption[] = [];
vi.mock('../../charts/echarts', () => ({
  init: vi.fn(() => ({ setOption: (o: ChartOption) => options.push(o), resize: () => undefined, dispose: () => undefined, on: () => undefined })),
}));
const { default: TrendChart } = await import('./TrendChart.vue');

const DAY = 86_400_000;
/** Monday 2027-03-01 06:00 in Shanghai. */
const FROM = Date.parse('2027-03-01T06:00:00+08:00');

function point(day: number, units: number, oee: number | null): TrendPoint {
  return {
    start: FROM + day * DAY,
    end: FROM + (day + 1) * DAY,
    planUnits: 235,
    units,
    goodUnits: units,
    status: oee === null ? 'no_data' : 'ok',
    oee: oee === null ? null : { availability: 0.9, performance: 0.95, quality: 1, oee },
  };
}

interface Mounted {
  root: HTMLElement;
  urls: string[];
}

async function mount(days: number, points: TrendPoint[]): Promise<Mounted> {
  const urls: string[] = [];
  const fetch = vi.fn(async (url: string) => {
    urls.push(url);
    const bucket = new URL(url, 'http://x').searchParams.get('bucket');
    const body = { line: 'A1', bucket, timeZone: 'Asia/Shanghai', range: { label: 'custom', from: FROM, to: FROM + days * DAY }, points };
    return { ok: true, status: 200, headers: { get: () => 'application/json' }, json: async () => body, text: async () => JSON.stringify(body) };
  });
  const root = document.createElement('div');
  document.body.append(root);
  createApp({ render: () => h(TrendChart, { line: 'A1', from: FROM, to: FROM + days * DAY, timeZone: 'Asia/Shanghai', api: { fetch } }) })
    .use(createPinia())
    .mount(root);
  // The chart loads ECharts lazily, like the workspace: the first import takes a while on a busy machine.
  await vi.waitFor(() => expect(options.length).toBeGreaterThan(0), { timeout: 15_000 });
  return { root, urls };
}

const tooltipOf = (o: ChartOption, i: number) => (o.tooltip as { formatter: (p: unknown) => string }).formatter([{ dataIndex: i }]);
type Series = { name: string; data: unknown[] };

describe('TrendChart', () => {
  beforeEach(() => {
    options.length = 0;
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('draws output vs plan bars and an OEE line per day, a no-data day as a gap labelled 无数据 (never 100 %)', async () => {
    const { root, urls } = await mount(3, [point(0, 220, 0.82), point(1, 0, null), point(2, 230, 0.9)]);
    expect(new URL(urls[0] ?? '', 'http://x').searchParams.get('bucket')).toBe('day');
    expect(root.querySelector('[data-testid="chart-trend"] h2')?.textContent).toContain('每日产量 vs 计划');
    const o = options.at(-1) as ChartOption;
    const series = o.series as Series[];
    const oee = series.find((s) => s.name === 'OEE');
    expect(oee?.data).toEqual([82, null, 90]);
    const units = series.find((s) => s.name === '产量');
    expect(units?.data[1]).toMatchObject({ value: 0, label: { show: true, formatter: '无数据' } });
    expect((units?.data[0] as { label?: unknown }).label).toBeUndefined();
    expect(series.find((s) => s.name === '计划')?.data).toEqual([235, 235, 235]);
    expect(tooltipOf(o, 1)).toContain('OEE 无数据');
    expect(tooltipOf(o, 1)).not.toContain('100');
    expect(tooltipOf(o, 0)).toContain('82%');
  });

  it('speaks English in the title, legend and tooltip when the language is switched', async () => {
    await mount(3, [point(0, 220, 0.82), point(1, 0, null), point(2, 230, 0.9)]);
    useLocaleStore().setLocale('en');
    await nextTick();
    const o = options.at(-1) as ChartOption;
    expect((o.series as Series[]).map((s) => s.name)).toEqual(['Plan', 'Units', 'OEE']);
    expect(tooltipOf(o, 1)).toContain('OEE No data');
    expect(tooltipOf(o, 0)).toContain('Availability 90%');
    expect((o.series as Series[])[1]?.data[1]).toMatchObject({ label: { formatter: 'No data' } });
  });

  it('asks for week buckets over 60 days and labels them by their Monday', async () => {
    const { urls } = await mount(90, [point(0, 1500, 0.8)]);
    expect(new URL(urls[0] ?? '', 'http://x').searchParams.get('bucket')).toBe('week');
    const labels = ((options.at(-1) as ChartOption).xAxis as { data: string[] }).data;
    expect(labels[0]).toMatch(/起一周$/);
  });
});
