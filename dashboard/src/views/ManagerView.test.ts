import { createPinia } from 'pinia';
import { createApp, h, type App } from 'vue';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pastPeriod } from '../components/manager/range-input';
import { fakeApi, managerAnswers, SHIFT_START, type FakeApi } from '../testing/manager-fixtures';

// ECharts itself is not under test here: stand in for it and count charts alive.
const charts = { alive: 0, options: [] as unknown[] };
vi.mock('../charts/echarts', () => ({
  init: () => {
    charts.alive += 1;
    return { setOption: (o: unknown) => charts.options.push(o), resize: () => undefined, dispose: () => (charts.alive -= 1) };
  },
}));

const { default: ManagerView } = await import('./ManagerView.vue');

/** Lets fetches, async components and re-renders run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await new Promise((r) => setTimeout(r, 0));
}

describe('ManagerView', () => {
  let app: App;
  let root: HTMLElement;

  function mount(api: FakeApi): void {
    root = document.createElement('div');
    document.body.append(root);
    app = createApp({ render: () => h(ManagerView, { line: 'A1', api: { fetch: api.fetch } }) });
    app.use(createPinia()).mount(root);
  }
  const byId = (id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const text = (id: string) => byId(id)?.textContent?.trim() ?? null;

  beforeEach(() => {
    localStorage.clear();
    history.replaceState(null, '', '/?line=A1');
    charts.alive = 0;
    charts.options = [];
  });
  afterEach(() => {
    app?.unmount();
    root?.remove();
  });

  it('shows this shift, and the last shift when asked', async () => {
    const api = fakeApi((url) => (url.searchParams.get('range') === 'shift:previous' ? managerAnswers({ units: 52, from: SHIFT_START - 8 * 3_600_000 }) : managerAnswers()));
    mount(api);
    await settle();
    expect(api.calls[0]).toContain('range=shift%3Acurrent');
    expect(text('kpi-units-value')).toBe('40');
    expect(byId('hourly-total')?.dataset.total).toBe('40');
    expect(text('interval')).toBe('3/1 06:00 至 3/1 08:00');
    expect(byId('range-shift:current')?.getAttribute('aria-pressed')).toBe('true');
    await vi.waitFor(() => expect(charts.alive).toBe(5), { timeout: 10_000 }); // the first test also loads the ECharts modules

    byId('range-shift:previous')?.click();
    await settle();
    // The supply section (供应链与目标) asks the same fetch for partners, orders and the cluster, without a range.
    expect(api.calls.filter((u) => u.includes('range=')).at(-1)).toContain('range=shift%3Aprevious');
    expect(text('kpi-units-value')).toBe('52');
    expect(byId('hourly-total')?.dataset.total).toBe('52');
    expect(text('interval')).toBe('2/28 22:00 至 3/1 00:00');
    expect(byId('chart-hourly-csv')?.getAttribute('href')).toBe('/api/v1/history/hourly?line=A1&range=shift%3Aprevious&format=csv&lang=zh-CN');
    expect(byId('export-state')?.getAttribute('href')).toBe('/api/v1/export/events?line=A1&range=shift%3Aprevious&type=state&lang=zh-CN');
    expect(location.search).toBe('?line=A1&range=shift%3Aprevious');
  });

  it('asks for the last quarter as whole months on the line clock, and shows that button pressed', async () => {
    const api = fakeApi(() => managerAnswers());
    mount(api);
    await settle();
    byId('range-past-quarter')?.click();
    await settle();
    const { from, to } = pastPeriod('quarter', Date.now(), 'Asia/Shanghai');
    const last = new URL(api.calls.filter((u) => u.includes('/api/v1/kpi')).at(-1) ?? '', 'http://x');
    expect([Number(last.searchParams.get('from')), Number(last.searchParams.get('to'))]).toEqual([from, to]);
    expect(to - from).toBeGreaterThan(89 * 86_400_000);
    expect(byId('range-past-quarter')?.getAttribute('aria-pressed')).toBe('true');
    expect(byId('range-custom')?.getAttribute('aria-pressed')).toBe('false');
  });

  it('shows the day trend only when the range is longer than 2 days', async () => {
    const api = fakeApi((url) => {
      const a = managerAnswers();
      // A week shown: the same answers over seven days.
      if (url.searchParams.get('range') === 'week:previous') a.kpi.range = { label: '2027-W09', from: SHIFT_START, to: SHIFT_START + 7 * 86_400_000 };
      return a;
    });
    mount(api);
    await settle();
    expect(byId('chart-trend')).toBeNull();
    expect(api.calls.some((u) => u.includes('/api/v1/trends'))).toBe(false);
    byId('range-week:previous')?.click();
    await settle();
    await vi.waitFor(() => expect(byId('chart-trend')).not.toBeNull());
    const trend = new URL(api.calls.find((u) => u.includes('/api/v1/trends')) ?? '', 'http://x');
    expect([trend.searchParams.get('from'), trend.searchParams.get('to'), trend.searchParams.get('bucket')]).toEqual([String(SHIFT_START), String(SHIFT_START + 7 * 86_400_000), 'day']);
  });

  it('opens on the range its URL names', async () => {
    history.replaceState(null, '', '/?line=A1&range=week:previous');
    const api = fakeApi(() => managerAnswers());
    mount(api);
    await settle();
    expect(api.calls[0]).toContain('range=week%3Aprevious');
    expect(byId('range-week:previous')?.getAttribute('aria-pressed')).toBe('true');
  });

  it("shows the API's message between shifts and offers the last shift", async () => {
    const api = fakeApi((url) =>
      url.searchParams.get('range') === 'shift:current'
        ? { status: 404, code: 'no_current_shift', message: 'no shift is in progress; the next one (early) starts at 2027-03-01T22:00:00.000Z' }
        : managerAnswers({ units: 52 }),
    );
    mount(api);
    await settle();
    expect(text('error')).toContain('无法加载：no shift is in progress');
    expect(byId('kpi-units-value')).toBeNull();
    byId('show-previous-shift')?.click();
    await settle();
    expect(byId('error')).toBeNull();
    expect(text('kpi-units-value')).toBe('52');
    expect(byId('range-shift:previous')?.getAttribute('aria-pressed')).toBe('true');
  });

  it('opens a number to its formula and inputs, in either language', async () => {
    mount(fakeApi(() => managerAnswers()));
    await settle();
    expect(byId('drill-panel')).toBeNull();
    byId('drill-availability')?.click();
    await settle();
    expect(text('drill-formula')).toBe('A = (P − D) ÷ P');
    // Two planned hours without breaks (06:00–08:00 has one 10-minute break at 08:00, outside), six minutes of fault at S02.
    expect(text('drill-worked')).toBe('(2 小时 − 6 分) ÷ 2 小时 = 95%');
    expect(text('drill-panel')).toContain('S02');
    byId('lang-switch')?.click();
    await settle();
    expect(text('drill-worked')).toBe('(2 h − 6 min) ÷ 2 h = 95%');
    expect(text('bottleneck-why')).toContain('S02');
    byId('drill-close')?.click();
    await settle();
    expect(byId('drill-panel')).toBeNull();
  });

  it('disposes every chart when it unmounts', async () => {
    mount(fakeApi(() => managerAnswers()));
    await vi.waitFor(() => expect(charts.alive).toBe(5), { timeout: 10_000 });
    app.unmount();
    expect(charts.alive).toBe(0);
  });
});
