import { createPinia } from 'pinia';
import { createApp, h, nextTick, type App } from 'vue';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManagerData } from '../../services/history-api';
import { useHistoryStore } from '../../stores/history';
import { ANDON_NOW, callFixture, fakeAndonCollector, type FakeAndonCollector } from './andon-fixtures';
import AndonSection from './AndonSection.vue';

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await new Promise((r) => setTimeout(r, 0));
  await nextTick();
}

const t0 = ANDON_NOW - 3_600_000;
const escalated = callFixture({
  id: 'c-esc',
  raisedAt: t0,
  status: 'resolved',
  tier: 1,
  tierRole: 'maintenance',
  escalations: [
    { tier: 0, role: 'team_leader', at: t0 },
    { tier: 1, role: 'maintenance', at: t0 + 180_000 },
  ],
  acknowledgedAt: t0 + 200_000,
  acknowledgedBy: { kind: 'person', id: 'p-zhao', name: '赵磊' },
  resolvedAt: t0 + 620_000,
  resolvedBy: { kind: 'person', id: 'p-zhao', name: '赵磊' },
  resolution: { reason: 'fixed', note: '换了夹爪' },
});
const calls = [
  escalated,
  callFixture({ id: 'c-mat', station: 'S03', kind: 'material', raisedAt: ANDON_NOW - 600_000 }),
  callFixture({ id: 'c-q', kind: 'quality', status: 'acknowledged', raisedAt: ANDON_NOW - 300_000, acknowledgedAt: ANDON_NOW - 250_000, acknowledgedBy: { kind: 'person', id: 'p-li', name: '李强' } }),
];

describe('AndonSection (manager)', () => {
  let app: App;
  let root: HTMLElement;
  let api: FakeAndonCollector;

  beforeEach(() => {
    localStorage.clear();
    api = fakeAndonCollector({
      calls,
      deliveries: {
        deliveries: [
          { id: 'd-1', call: 'c-esc', line: 'A1', channel: 'wecom', target: 'qyapi.weixin.qq.com', status: 'sent', attempts: 1, lastError: null, lastAttemptAt: t0 + 1000, nextAttemptAt: null, createdAt: t0, sentAt: t0 + 1000 },
          { id: 'd-2', call: 'c-esc', line: 'A1', channel: 'mail', target: 'zhao@example.cn', status: 'failed', attempts: 6, lastError: 'ECONNREFUSED 10.0.0.5:25', lastAttemptAt: t0 + 900_000, nextAttemptAt: null, createdAt: t0 + 180_000, sentAt: null },
        ],
        channels: [
          { id: 'wecom', kind: 'wecom', failing: false, lastError: null, consecutiveFailures: 0 },
          { id: 'mail', kind: 'email', failing: true, lastError: 'ECONNREFUSED 10.0.0.5:25', consecutiveFailures: 6 },
        ],
      },
    });
    root = document.createElement('div');
    document.body.append(root);
    const pinia = createPinia();
    app = createApp({ render: () => h(AndonSection, { line: 'A1', timeZone: 'Asia/Shanghai', api: { fetch: api.fetch } }) });
    app.use(pinia).mount(root);
    // The KPI answer's andon part, as the workspace's history store holds it.
    useHistoryStore(pinia).data = { kpis: { andon: { mtta: { seconds: 125, calls: 2 }, mttr: { seconds: null, calls: 0 }, byKind: [] } } } as unknown as ManagerData;
  });
  afterEach(() => {
    app.unmount();
    root.remove();
  });
  const byId = (id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const text = (id: string) => byId(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
  const rowIds = () => [...root.querySelectorAll('[data-testid^="andon-row-"]')].map((r) => r.getAttribute('data-testid')?.slice('andon-row-'.length));
  const choose = async (id: string, value: string) => {
    const s = byId(id) as HTMLSelectElement;
    s.value = value;
    s.dispatchEvent(new Event('change'));
    await nextTick();
  };

  it('lists every call of the range, newest first, and filters by kind, station and status', async () => {
    await settle();
    expect(api.calls).toContain('GET /api/v1/andon/calls?line=A1&status=all&range=shift%3Acurrent');
    expect(rowIds()).toEqual(['c-q', 'c-mat', 'c-esc']);
    await choose('andon-filter-status', 'active');
    expect(rowIds()).toEqual(['c-q', 'c-mat']);
    await choose('andon-filter-station', 'S07');
    expect(rowIds()).toEqual(['c-q']);
    await choose('andon-filter-status', '');
    await choose('andon-filter-kind', 'maintenance');
    expect(rowIds()).toEqual(['c-esc']);
    expect(text('andon-row-c-esc')).toContain('赵磊 +10分20秒');
    expect(text('andon-row-c-esc')).toContain('已修复 · 换了夹爪');
  });

  it('shows the newest 200 of a long list, 200 more on request, and says how many it shows', async () => {
    const many = Array.from({ length: 450 }, (_, i) => callFixture({ id: `c-${String(i).padStart(3, '0')}`, raisedAt: ANDON_NOW - (i + 1) * 60_000 }));
    api.state.calls.splice(0, api.state.calls.length, ...many);
    useHistoryStore().range = { kind: 'calendar', range: 'week:current' };
    await settle();
    expect(rowIds()).toHaveLength(200);
    expect(rowIds()[0]).toBe('c-000');
    expect(text('andon-rows-shown')).toBe('450 / 450');
    expect(text('andon-rows-capped')).toBe('显示最新 200 个，共 450 个');
    byId('andon-show-more')?.click();
    await nextTick();
    expect(rowIds()).toHaveLength(400);
    expect(text('andon-show-more')).toBe('再显示 50 个');
    byId('andon-show-more')?.click();
    await nextTick();
    expect(rowIds()).toHaveLength(450);
    expect(rowIds().at(-1)).toBe('c-449');
    expect(byId('andon-show-more')).toBeNull();
    expect(byId('andon-rows-capped')).toBeNull();
    // A filter starts again from the newest.
    await choose('andon-filter-status', 'open');
    expect(rowIds()).toHaveLength(200);
  });

  it('follows the workspace’s refresh of a running range: a call raised since shows up', async () => {
    await settle();
    expect(rowIds()).toHaveLength(3);
    api.state.calls.push(callFixture({ id: 'c-new', raisedAt: ANDON_NOW }));
    const history = useHistoryStore();
    history.data = { kpis: { ...history.data?.kpis, asOf: ANDON_NOW } } as unknown as ManagerData;
    await settle();
    history.data = { kpis: { ...history.data.kpis, asOf: ANDON_NOW + 60_000 } } as unknown as ManagerData;
    await settle();
    expect(rowIds()[0]).toBe('c-new');
  });

  it('shows MTTA, and "no data" for an MTTR without resolved calls, never zero', async () => {
    await settle();
    expect(text('andon-mtta-value')).toBe('2分05秒');
    expect(text('andon-mtta')).toContain('共 2 个呼叫');
    expect(text('andon-mttr-value')).toBe('无数据');
  });

  it('opens one call’s escalation timeline with its notifications, and warns of a failing channel', async () => {
    await settle();
    expect(text('channel-failing-mail')).toBe('⚠ 通知渠道 mail (email) 持续失败：ECONNREFUSED 10.0.0.5:25');
    byId('andon-row-c-esc')?.click();
    await settle();
    const steps = [...root.querySelectorAll('[data-testid="andon-timeline"] li')].map((li) => [...li.children].map((c) => c.textContent?.trim()).join(' '));
    expect(steps).toHaveLength(4);
    expect(steps[0]).toContain('+0秒 发起呼叫 王芳');
    expect(steps[1]).toContain('+3分 升级至维修');
    expect(steps[2]).toContain('+3分20秒 已响应 赵磊');
    expect(steps[3]).toContain('+10分20秒 已解决 赵磊 已修复 · 换了夹爪');
    expect(text('delivery-d-2')).toContain('mail → zhao@example.cn · 失败 · 尝试 6 次');
    expect(text('delivery-d-1')).toContain('已发送');
    expect(byId('step-pending')).toBeNull(); // resolved: nothing more to come
  });

  it('shows when an open call escalates next unless someone acknowledges it', async () => {
    await settle();
    byId('andon-row-c-mat')?.click();
    await settle();
    // Raised 10 min before ANDON_NOW at tier 0: maintenance at 3 min after the raise.
    expect([...(byId('step-pending')?.children ?? [])].map((c) => c.textContent?.trim())).toEqual(['12/1 17:23', '+3分', '若仍无人响应，将升级至维修']);
  });
});
