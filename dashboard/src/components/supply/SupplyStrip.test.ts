import { createPinia } from 'pinia';
import { createApp, h, nextTick, reactive, type App } from 'vue';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useLocaleStore } from '../../stores/locale';
import { SUPPLY_REFRESH_MS } from '../../stores/supply';
import SupplyStrip from './SupplyStrip.vue';
import { fakeSupplyFetch, supplyAnswers, SUPPLY_NOW } from './supply-fixtures';

async function settle(): Promise<void> {
  for (let i = 0; i < 6; i += 1) await new Promise((r) => setTimeout(r, 0));
  await nextTick();
}

describe('SupplyStrip (wall)', () => {
  let app: App | null = null;
  let root: HTMLElement;
  afterEach(() => {
    app?.unmount();
    root.remove();
    vi.useRealTimers();
  });

  function mount(shortage: boolean, props: { now: number } = reactive({ now: SUPPLY_NOW })) {
    localStorage.clear();
    const api = fakeSupplyFetch(() => supplyAnswers({ shortage }));
    root = document.createElement('div');
    document.body.append(root);
    const pinia = createPinia();
    app = createApp({ render: () => h(SupplyStrip, { line: 'A1', timeZone: 'Asia/Shanghai', now: props.now, api: { fetch: api.fetch } }) });
    app.use(pinia).mount(root);
    return { api, locale: useLocaleStore(pinia) };
  }
  const byId = (id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const text = (id: string) => byId(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? null;

  it('shouts a material-risk alert: partner, station and when, counting down on the line clock', async () => {
    const props = reactive({ now: SUPPLY_NOW });
    const { locale } = mount(true, props);
    await settle();
    expect(byId('supply-partners')?.className).toContain('alert-critical');
    expect(byId('supply-partners')?.dataset.alert).toBe('P-BATT-01');
    expect(text('supply-alert-head')).toBe('缺料预警 · 东湖动力电池');
    expect(text('supply-alert')).toBe('S07 电池包 将于 09:10 停线待料（56 分钟后）');
    expect(byId('supply-chip-P-BATT-01')?.dataset.tone).toBe('bad');
    props.now = SUPPLY_NOW + 10 * 60_000;
    await nextTick();
    expect(text('supply-alert')).toBe('S07 电池包 将于 09:10 停线待料（46 分钟后）');
    locale.setLocale('en');
    await nextTick();
    expect(text('supply-alert')).toBe('S07 Battery pack starves at 09:10 (in 46 min)');
  });

  it('shows the backlog, days to clear, partner chips and the goal without an alert', async () => {
    mount(false);
    await settle();
    expect(byId('supply-alert')).toBeNull();
    expect(byId('supply-partners')?.className).not.toContain('alert');
    expect(text('supply-backlog')).toBe('120,005');
    expect(text('supply-days')).toBe('需 194.5 天');
    expect(text('supply-chip-P-SEAT-01')).toBe('锦程汽车座椅');
    expect(byId('supply-chip-P-SEAT-01')?.dataset.tone).toBe('good');
    expect(text('supply-goal-figure')).toBe('310 亿元 / 1000 亿元');
    expect(text('supply-goal-verdict')).toBe('可达成');
  });

  it('refreshes every minute and stops when unmounted', async () => {
    vi.useFakeTimers();
    const { api } = mount(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(api.calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(SUPPLY_REFRESH_MS);
    expect(api.calls).toHaveLength(6);
    app?.unmount();
    app = null;
    await vi.advanceTimersByTimeAsync(3 * SUPPLY_REFRESH_MS);
    expect(api.calls).toHaveLength(6);
  });
});
