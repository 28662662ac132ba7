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
    catchUp: { kind: 'rate', rate: 30 },
    topDowntime: { station: 'S06', state: 'fault', reason: 'conveyor jam at the skid lift', reasonLabel: null, seconds: 750 },
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

  it('names a reason the plant’s reason tree knows by its label in the screen’s language, never the station’s English code', async () => {
    const root = render(shift({ topDowntime: { station: 'S06', state: 'fault', reason: 'breakdown', reasonLabel: { zh: '设备故障', en: 'Breakdown' }, seconds: 750 } }));
    expect(topDowntime(root)?.textContent).toBe('停机最多 S06 故障 12分30秒 设备故障');
    useLocaleStore().setLocale('en');
    await nextTick();
    expect(topDowntime(root)?.textContent).toBe('most downtime: S06 Fault 12 min 30 s Breakdown');
  });

  it('without a reason shows the state alone, and hides downtime under a minute', () => {
    expect(topDowntime(render(shift({ topDowntime: { station: 'S12', state: 'maintenance', reason: '', reasonLabel: null, seconds: 1470 } })))?.textContent).toBe('停机最多 S12 维护 24分30秒');
    const brief = render(shift({ topDowntime: { station: 'S12', state: 'fault', reason: 'x', reasonLabel: null, seconds: 59 } }));
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

  it('says a catch-up the line cannot reach, with the units short and the overtime, and every difference adds up', async () => {
    // 61 behind on a 30/h line, 3 planned hours left: at most 89 + 90 = 179 of 240 (core's shiftFiguresShown).
    const root = render(
      shift({ units: 89, planByNow: 150, gap: -61, planTotal: 240, forecast: 179, catchUp: { kind: 'short', maxAtCapacity: 179, short: 61, overtimeSeconds: 61 * 120, capacityPerHour: 30 }, topDowntime: null, tone: 'bad' }),
    );
    const text = (id: string) => root.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? null;
    expect(text('shift-units')).toBe('本班 89 / 应完成 150');
    expect(text('shift-gap')).toBe('−61');
    expect(root.querySelector('.forecast')?.textContent?.trim()).toBe('预计 179 / 计划 240');
    expect(text('shift-short')).toBe('满产最多 179 · 将缺 61 台或加班 2小时02分');
    // No rate the line cannot run is offered as a way out.
    expect(text('shift-catch-up')).toBeNull();
    // The differences on screen are computed from the figures on screen.
    const nums = (t: string | null) => (t ?? '').match(/\d+/g)?.map(Number) ?? [];
    const [built, due] = nums(text('shift-units'));
    const [forecast, plan] = nums(root.querySelector('.forecast')?.textContent ?? '');
    const [max, short] = nums(text('shift-short'));
    expect((built as number) - (due as number)).toBe(-61);
    expect((plan as number) - (max as number)).toBe(short);
    expect(forecast).toBeLessThanOrEqual((plan as number) - 61);
    expect(root.querySelector('[data-testid="shift-short"]')?.getAttribute('title')).toContain('30 台/小时');
    useLocaleStore().setLocale('en');
    await nextTick();
    expect(text('shift-short')).toBe('at most 179 at full rate: 61 short, or 2 h 02 min overtime');
  });

  it('offers the catch-up rate only while the plan is within reach, and nothing once the shift has ended', () => {
    const reachable = render(shift({ units: 80, planByNow: 88, gap: -8, forecast: 207, catchUp: { kind: 'rate', rate: 29 } }));
    expect(reachable.querySelector('[data-testid="shift-catch-up"]')?.textContent).toBe('追赶需 29 台/小时');
    expect(reachable.querySelector('[data-testid="shift-short"]')).toBeNull();
    const ended = render(shift({ ended: true, catchUp: { kind: 'short', maxAtCapacity: 56, short: 159, overtimeSeconds: 159 * 120, capacityPerHour: 30 } }));
    expect(ended.querySelector('[data-testid="shift-short"]')).toBeNull();
    expect(ended.querySelector('[data-testid="shift-catch-up"]')).toBeNull();
  });
});
