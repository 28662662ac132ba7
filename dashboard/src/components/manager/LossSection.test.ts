import { createPinia } from 'pinia';
import { createApp, h, nextTick, type App } from 'vue';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LossReport } from '@core/loss/types';
import { useHistoryStore } from '../../stores/history';
import { useLocaleStore } from '../../stores/locale';
import { fakeLossFetch, noDataReport, shortageReport } from '../../testing/loss-fixtures';

// ECharts itself is not under test here: stand in for it, keep the options drawn and the click handlers registered.
const charts = { alive: 0, options: [] as unknown[], clicks: [] as ((p: { seriesIndex: number; dataIndex: number }) => void)[] };
vi.mock('../../charts/echarts', () => ({
  init: () => {
    charts.alive += 1;
    return {
      setOption: (o: unknown) => charts.options.push(o),
      resize: () => undefined,
      dispose: () => (charts.alive -= 1),
      on: (event: string, fn: (p: { seriesIndex: number; dataIndex: number }) => void) => event === 'click' && charts.clicks.push(fn),
    };
  },
}));
const { default: LossSection } = await import('./LossSection.vue');

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await new Promise((r) => setTimeout(r, 0));
  await nextTick();
}

describe('LossSection', () => {
  let app: App;
  let root: HTMLElement;
  let pinia: ReturnType<typeof createPinia>;
  let answer: (url: URL) => LossReport | { status: number; code: string; message: string };
  let api: ReturnType<typeof fakeLossFetch>;

  function mount(): void {
    api = fakeLossFetch((url) => answer(url));
    root = document.createElement('div');
    document.body.append(root);
    pinia = createPinia();
    app = createApp({ render: () => h(LossSection, { line: 'A1', timeZone: 'Asia/Shanghai', api: { fetch: api.fetch } }) });
    app.use(pinia).mount(root);
  }
  beforeEach(() => {
    localStorage.clear();
    charts.alive = 0;
    charts.options = [];
    charts.clicks = [];
    answer = () => shortageReport();
  });
  afterEach(() => {
    app.unmount();
    root.remove();
  });
  const byId = (id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const all = (id: string) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
  const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
  /** A row or button as a person reads it: its parts, one space apart. */
  const cells = (el: Element) => [...el.children].map((c) => text(c)).join(' ');

  it('walks from plan through each cause to good units, and names who owns the top three', async () => {
    mount();
    await settle();
    expect(api.calls).toEqual(['/api/v1/losses?line=A1&range=shift%3Acurrent']);
    expect(text(byId('loss-gap'))).toBe('差 94 台（计划 215 · 合格 121）');
    expect(all('loss-bars').flatMap((ol) => [...ol.querySelectorAll('button')].map(cells))).toEqual([
      '计划 215',
      '缺料 P-BATT-01 −41',
      '速度损失 −18',
      'S05 故障 −9',
      '堵料 S09 −8',
      '小停机 S05 −6',
      '无数据 −5',
      '质量损失 S10 −4',
      '未解释 −3',
      '合格 121',
    ]);
    expect([1, 2, 3].map((k) => [text(byId(`loss-top-${k}`)?.querySelector('[data-testid=loss-top-cause]')), text(byId(`loss-top-${k}`)?.querySelector('[data-testid=loss-top-owner]'))])).toEqual([
      ['缺料 P-BATT-01', '供应商 P-BATT-01'],
      ['速度损失', '工艺'],
      ['S05 故障', 'S05 维修'],
    ]);
    expect(text(byId('loss-top-1'))).toContain('占损失 43.6%');
    await vi.waitFor(() => expect(charts.alive).toBe(3), { timeout: 10_000 }); // waterfall, bottleneck timeline, bottleneck shares (the first test also loads the ECharts modules)
    expect(cells(byId('loss-shortage-P-BATT-01') as Element)).toBe('P-BATT-01 S07 3/1 08:30 提前 50 分 预警 3/1 09:20 3/1 10:42 −41');
  });

  it('drills a bar into its episodes on the line clock, from the chart or its button', async () => {
    mount();
    await settle();
    await vi.waitFor(() => expect(charts.clicks.length).toBe(1), { timeout: 10_000 }); // only the waterfall listens for clicks
    charts.clicks[0]?.({ seriesIndex: 1, dataIndex: 3 });
    await nextTick();
    expect(text(byId('loss-episodes')?.querySelector('h3'))).toBe('明细：S05 故障');
    expect(all('loss-episode').map(cells)).toEqual(['3/1 07:35 3/1 07:47 12 分 −6 S05', '3/1 11:30 3/1 11:35 5 分 −3 S05']);
    expect(byId('loss-bar-3')?.getAttribute('aria-pressed')).toBe('true');
    byId('loss-bar-3')?.click();
    await nextTick();
    expect(byId('loss-episodes')).toBeNull();
    // A loss without episodes in time says so; plan and good units do not drill.
    byId('loss-bar-7')?.click();
    await nextTick();
    expect(byId('loss-episodes-none')).not.toBeNull();
    charts.clicks[0]?.({ seriesIndex: 1, dataIndex: 0 });
    await nextTick();
    expect(text(byId('loss-episodes')?.querySelector('h3'))).toBe('明细：质量损失 S10');
    // A top loss opens its bar.
    byId('loss-top-1')?.querySelector('button')?.click();
    await nextTick();
    expect(all('loss-episode').map(cells)).toEqual(['3/1 09:20 3/1 10:42 1 小时 22 分 −41 S07']);
  });

  it('explains a term that reads oddly where it is shown (more units than the constraint allowed: buffers drained)', async () => {
    const why = { zh: '下游缓冲区放空：下线多于瓶颈所产', en: 'the buffers after the constraint drained' };
    answer = () =>
      shortageReport({
        planUnits: 100,
        goodUnits: 95,
        losses: [
          { cause: { kind: 'downtime', station: 'S05', state: 'fault' }, units: 7.5, seconds: 900, episodes: [] },
          { cause: { kind: 'unexplained' }, units: -2.5, seconds: 0, episodes: [], why },
        ],
      });
    mount();
    await settle();
    expect(text(byId('loss-why'))).toBe(`未解释 +2.5: ${why.zh}`);
    expect(byId('loss-bar-2')?.getAttribute('title')).toBe(why.zh);
    expect(cells(byId('loss-bar-1') as Element)).toBe('S05 故障 −7.5');
    useLocaleStore(pinia).setLocale('en');
    await nextTick();
    expect(text(byId('loss-why'))).toBe(`unexplained +2.5: ${why.en}`);
  });

  it('says 无数据 for an interval without data, and shows no number posing as one', async () => {
    answer = () => noDataReport();
    mount();
    await settle();
    expect(text(byId('loss-no-data'))).toContain('无数据');
    expect(byId('loss-bars')).toBeNull();
    expect(byId('loss-top')).toBeNull();
    expect(byId('loss-gap')).toBeNull();
    expect(root.textContent).not.toMatch(/\d/);
    useLocaleStore(pinia).setLocale('en');
    await nextTick();
    expect(text(byId('loss-no-data'))).toContain('no data');
  });

  it('follows the workspace range, in English too', async () => {
    answer = (url) => (url.searchParams.get('range') === 'shift:previous' ? shortageReport() : noDataReport());
    mount();
    await settle();
    expect(byId('loss-no-data')).not.toBeNull();
    useHistoryStore(pinia).range = { kind: 'calendar', range: 'shift:previous' };
    useLocaleStore(pinia).setLocale('en');
    await settle();
    expect(api.calls.at(-1)).toBe('/api/v1/losses?line=A1&range=shift%3Aprevious');
    expect(text(byId('loss-gap'))).toBe('94 units short (plan 215 · good 121)');
    expect(text(byId('loss-top-1')?.querySelector('[data-testid=loss-top-owner]'))).toBe('supplier P-BATT-01');
    expect(text(byId('loss-top-3')?.querySelector('[data-testid=loss-top-owner]'))).toBe('maintenance of S05');
  });

  it('says under the bottleneck timeline of a long range that it is drawn by hour or by day, in zh and en, and nothing for exact stretches', async () => {
    const long = (resolution: 'hour' | 'day') => {
      const r = shortageReport();
      return { ...r, bottleneck: { ...r.bottleneck, resolution } };
    };
    answer = () => long('hour');
    mount();
    await settle();
    expect(text(byId('loss-bottleneck-resolution'))).toBe('按小时汇总：每小时显示占瓶颈时间最多的工位。');
    useLocaleStore(pinia).setLocale('en');
    await nextTick();
    expect(text(byId('loss-bottleneck-resolution'))).toBe('By hour: each hour shows the station that was the bottleneck longest.');
    app.unmount();
    root.remove();
    answer = () => long('day');
    mount();
    await settle();
    expect(text(byId('loss-bottleneck-resolution'))).toBe('By day: each day shows the station that was the bottleneck longest.');
    useLocaleStore(pinia).setLocale('zh-CN');
    await nextTick();
    expect(text(byId('loss-bottleneck-resolution'))).toBe('按天汇总：每天显示占瓶颈时间最多的工位。');
    app.unmount();
    root.remove();
    answer = () => shortageReport();
    mount();
    await settle();
    expect(byId('loss-bottleneck')).not.toBeNull();
    expect(byId('loss-bottleneck-resolution')).toBeNull();
  });

  it("shows the API's message and retries", async () => {
    answer = () => ({ status: 400, code: 'bad_range', message: "'to' must be after 'from'" });
    mount();
    await settle();
    expect(text(byId('loss-error'))).toContain("'to' must be after 'from'");
    answer = () => shortageReport();
    byId('loss-error')?.querySelector('button')?.click();
    await settle();
    expect(byId('loss-error')).toBeNull();
    expect(byId('loss-bar-1')?.dataset.units).toBe('41');
  });
});
