import { createPinia, setActivePinia } from 'pinia';
import { createApp, h, nextTick } from 'vue';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ShiftView } from '../../model/wall-model';
import { useLocaleStore } from '../../stores/locale';
import ShiftPanel from './ShiftPanel.vue';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 10, 28, 14); // 22:00 in Shanghai

function shift(overrides: Partial<ShiftView> = {}): ShiftView {
  return {
    name: { zh: '夜班', en: 'Night shift' },
    start: START,
    end: START + 8 * HOUR,
    ended: false,
    units: 56,
    planByNow: 88,
    planTotal: 215,
    gap: -32,
    forecast: 186,
    catchUpRate: 34,
    topDowntime: { station: 'S06', state: 'fault', reason: 'conveyor jam at the skid lift', seconds: 750 },
    largestLoss: null,
    tone: 'bad',
    ...overrides,
  };
}

function render(view: ShiftView): HTMLElement {
  const root = document.createElement('div');
  const pinia = createPinia();
  setActivePinia(pinia);
  createApp({ render: () => h(ShiftPanel, { shift: view, timeZone: 'Asia/Shanghai' }) })
    .use(pinia)
    .mount(root);
  return root;
}

const topDowntime = (root: HTMLElement) => root.querySelector('[data-testid="shift-top-downtime"]');

describe('ShiftPanel', () => {
  beforeEach(() => localStorage.clear());

  it('names the top downtime by station, state and duration before the station’s own reason, so a narrow line cuts only the reason', async () => {
    const root = render(shift());
    expect(topDowntime(root)?.textContent).toBe('停机最多 S06 故障 12分30秒 conveyor jam at the skid lift');
    // The shift's hours give way to it (they stay in the name's tooltip).
    expect(root.querySelector('.title')?.textContent?.trim()).toBe('夜班 · 停机最多 S06 故障 12分30秒 conveyor jam at the skid lift');
    expect(root.querySelector('.title span')?.getAttribute('title')).toBe('夜班 22:00–06:00');
    expect(topDowntime(root)?.getAttribute('title')).toBe(topDowntime(root)?.textContent);
    useLocaleStore().setLocale('en');
    await nextTick();
    expect(topDowntime(root)?.textContent).toBe('most downtime: S06 Fault 12 min 30 s conveyor jam at the skid lift');
  });

  it('without a reason shows the state alone, and hides downtime under a minute', () => {
    expect(topDowntime(render(shift({ topDowntime: { station: 'S12', state: 'maintenance', reason: '', seconds: 1470 } })))?.textContent).toBe('停机最多 S12 维护 24分30秒');
    const brief = render(shift({ topDowntime: { station: 'S12', state: 'fault', reason: 'x', seconds: 59 } }));
    expect(topDowntime(brief)).toBeNull();
    expect(brief.querySelector('.title')?.textContent?.trim()).toBe('夜班 22:00–06:00');
  });

  it('names the largest loss of the shift so far in units, before any one stop', async () => {
    const root = render(shift({ largestLoss: { cause: { kind: 'starved', station: 'S07', partner: 'P-BATT-01' }, units: 41.3 } }));
    const loss = root.querySelector('[data-testid="shift-largest-loss"]');
    expect(loss?.textContent).toBe('缺料 P-BATT-01 −41 台');
    expect(topDowntime(root)).toBeNull();
    // The top downtime is still there on hover.
    expect(loss?.getAttribute('title')).toBe('停机最多 S06 故障 12分30秒 conveyor jam at the skid lift');
    useLocaleStore().setLocale('en');
    await nextTick();
    expect(loss?.textContent).toBe('shortage P-BATT-01 −41 units');
    // Under one unit lost, the line keeps the top downtime.
    expect(topDowntime(render(shift({ largestLoss: { cause: { kind: 'speed' }, units: 0.4 } })))).not.toBeNull();
  });
});
