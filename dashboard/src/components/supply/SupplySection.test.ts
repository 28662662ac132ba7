/* eslint-disable vue/one-component-per-file -- each test mounts its own root */
import { createPinia } from 'pinia';
import { createApp, h, nextTick, type App } from 'vue';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ManagerData } from '../../services/history-api';
import { useHistoryStore } from '../../stores/history';
import { useLocaleStore } from '../../stores/locale';
import { fakeSupplyFetch, supplyAnswers, SUPPLY_NOW } from './supply-fixtures';

// ECharts itself is not under test here: stand in for it and keep the options drawn.
const charts = { alive: 0, options: [] as unknown[] };
vi.mock('../../charts/echarts', () => ({
  init: () => {
    charts.alive += 1;
    return { setOption: (o: unknown) => charts.options.push(o), resize: () => undefined, dispose: () => (charts.alive -= 1) };
  },
}));
const { default: SupplySection } = await import('./SupplySection.vue');

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await new Promise((r) => setTimeout(r, 0));
  await nextTick();
}

describe('SupplySection (manager)', () => {
  let app: App;
  let root: HTMLElement;
  let api: ReturnType<typeof fakeSupplyFetch>;
  let pinia: ReturnType<typeof createPinia>;

  beforeEach(() => {
    localStorage.clear();
    charts.alive = 0;
    api = fakeSupplyFetch(() => supplyAnswers({ shortage: true }));
    root = document.createElement('div');
    document.body.append(root);
    pinia = createPinia();
    app = createApp({ render: () => h(SupplySection, { line: 'A1', timeZone: 'Asia/Shanghai', api: { fetch: api.fetch } }) });
    app.use(pinia).mount(root);
  });
  afterEach(() => {
    app.unmount();
    root.remove();
  });
  const byId = (id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const text = (id: string) => byId(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
  /** A goal figure as [label, value, note]. */
  const goal = (id: string) => {
    const el = byId(`supply-goal-${id}`);
    const dd = el?.querySelector('dd');
    return [el?.querySelector('dt')?.textContent, dd?.firstChild?.textContent, dd?.querySelector('small')?.textContent ?? null];
  };

  it('shows the alert, the orders, the goal and the partner table', async () => {
    await settle();
    expect(text('supply-alert-P-BATT-01')).toContain('S07 电池包 将停线待料');
    expect(text('supply-manager-backlog')).toBe('120,005');
    expect(text('supply-manager-days')).toBe('194.5 天');
    expect(text('supply-manager-clears')).toBe('2027/10/27'); // 194.5 days after 4/16 08:14, in Shanghai
    expect(goal('target')).toEqual(['目标', '1000 亿元', '2027']);
    expect(goal('ytd')).toEqual(['今年累计', '310 亿元', '2027']);
    expect(goal('progress')).toEqual(['完成进度', '31.0%', null]);
    expect(goal('projection')).toEqual(['全年预计', '1045.7 亿元', '104.6%']);
    expect(goal('required')).toEqual(['余下每月需', '81.3 亿元/月', '较当前月均 -6.2%']);
    expect(text('supply-manager-verdict')).toBe('可达成');
    const batt = text('supply-partner-P-BATT-01') ?? '';
    for (const part of ['东湖动力电池', 'Donghu Power Battery', '动力电池', 'S07 电池包', '延误', '1 小时', '91.0%', '严重', '到货前断料']) expect(batt).toContain(part);
    expect(text('supply-status-P-GLAS-01')).toBe('无报告');
    expect(text('supply-as-of')).toBe('截至 4/16 08:14');
    await vi.waitFor(() => expect(charts.alive).toBe(2), { timeout: 10_000 }); // the first load of the ECharts modules is slow
  });

  it('before the target year, a pace already above the target needs no growth (not "−11.3 %")', async () => {
    app.unmount();
    const ahead = () => {
      const a = supplyAnswers();
      return { ...a, cluster: { ...a.cluster, year: 2026, progress: null, onTrack: null, growth: { ...a.cluster.growth, requiredAnnual: -0.113 } } };
    };
    app = createApp({ render: () => h(SupplySection, { line: 'A1', timeZone: 'Asia/Shanghai', api: { fetch: fakeSupplyFetch(ahead).fetch } }) });
    app.use(createPinia()).mount(root);
    await settle();
    expect(goal('required')).toEqual(['仍需年增速', '已高于目标水平', null]);
  });

  it('lists the chain gaps (补链)', async () => {
    await settle();
    expect([...root.querySelectorAll('[data-testid="supply-gaps"] .gap-tag')].map((e) => e.textContent)).toEqual(['汽车玻璃', '智能驾驶软件', '激光雷达']);
    expect(byId('supply-chain-lidar')?.dataset.gap).toBe('true');
    expect(byId('supply-chain-battery')?.dataset.gap).toBe('false');
    expect(text('supply-chain-glass')).toContain('海岳汽车玻璃');
    useLocaleStore(pinia).setLocale('en');
    await nextTick();
    expect([...root.querySelectorAll('[data-testid="supply-gaps"] .gap-tag')].map((e) => e.textContent)).toEqual(['Glass', 'ADAS software', 'Lidar']);
  });

  it("reloads when the workspace's range changes, as of the end of a range that is over", async () => {
    await settle();
    const before = api.calls.length;
    const history = useHistoryStore(pinia);
    history.range = { kind: 'calendar', range: 'shift:previous' };
    await settle();
    expect(api.calls.length).toBe(before + 3);
    history.data = { kpis: { now: SUPPLY_NOW, range: { label: 'x', from: SUPPLY_NOW - 16 * 3_600_000, to: SUPPLY_NOW - 8 * 3_600_000 } } } as unknown as ManagerData;
    await settle();
    expect(api.calls.slice(-3).every((u) => u.includes(`now=${SUPPLY_NOW - 8 * 3_600_000}`))).toBe(true);
  });

  it("says a database outage in the page's language, any other refusal in the collector's words", async () => {
    app.unmount();
    root.remove();
    root = document.createElement('div');
    document.body.append(root);
    const failing = () => Promise.resolve({ ok: false, status: 503, json: () => Promise.resolve({ error: { code: 'influx_unavailable', message: 'InfluxDB is not answering' } }) });
    app = createApp({ render: () => h(SupplySection, { line: 'A1', timeZone: 'Asia/Shanghai', api: { fetch: failing } }) });
    app.use(createPinia()).mount(root);
    await settle();
    expect(text('supply-error')).toContain('供应链数据无法加载：数据库 InfluxDB 暂时连不上');
    expect(text('supply-error')).not.toContain('InfluxDB is not answering');

    app.unmount();
    root.remove();
    root = document.createElement('div');
    document.body.append(root);
    const refusing = () => Promise.resolve({ ok: false, status: 400, json: () => Promise.resolve({ error: { code: 'invalid_parameter', message: 'now must be epoch ms' } }) });
    app = createApp({ render: () => h(SupplySection, { line: 'A1', timeZone: 'Asia/Shanghai', api: { fetch: refusing } }) });
    app.use(createPinia()).mount(root);
    await settle();
    expect(text('supply-error')).toContain('供应链数据无法加载：now must be epoch ms');
  });
});
