import { createPinia } from 'pinia';
import { createApp, h, nextTick } from 'vue';
import { setActivePinia } from 'pinia';
import { useLocaleStore } from '../../stores/locale';
import { describe, expect, it } from 'vitest';
import type { StationView } from '../../model/wall-model';
import StationStrip from './StationStrip.vue';

function stations(n: number): StationView[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `S${String(i + 1).padStart(2, '0')}`,
    name: { zh: `工位${i + 1}`, en: `Station ${i + 1}` },
    state: i === 2 ? 'fault' : 'running',
    reason: null,
    reasonLabel: null,
    secondsInState: i === 2 ? 95 : null,
    signalLostSeconds: null,
    signalLostSource: null,
    bottleneck: i === 4,
  }));
}

function render(list: StationView[]): HTMLElement {
  const root = document.createElement('div');
  const pinia = createPinia();
  setActivePinia(pinia);
  createApp({ render: () => h(StationStrip, { stations: list, bottleneckWhy: { zh: '最少缺料', en: 'least starved' } }) })
    .use(pinia)
    .mount(root);
  return root;
}

describe('StationStrip', () => {
  it('keeps flow order, wraps at ten per row, and grows rows for long lines', () => {
    const strip = render(stations(25)).querySelector('[data-testid="stations"]') as HTMLElement;
    expect(strip.style.getPropertyValue('--cols')).toBe('10');
    expect(strip.style.getPropertyValue('--rows')).toBe('3');
    expect([...strip.querySelectorAll('li')].map((li) => li.dataset.testid?.slice(8))).toEqual(stations(25).map((s) => s.id));
    const short = render(stations(6)).querySelector('[data-testid="stations"]') as HTMLElement;
    expect(short.style.getPropertyValue('--cols')).toBe('6');
    expect(short.style.getPropertyValue('--rows')).toBe('1');
  });

  it('shows state and time in state, and tags the bottleneck with why', () => {
    const root = render(stations(6));
    const s03 = root.querySelector('[data-testid="station-S03"]');
    expect(s03?.textContent).toContain('故障');
    expect(s03?.querySelector('[data-testid="time-in-state"]')?.textContent).toBe('1分35秒');
    expect(root.querySelector('[data-testid="station-S01"] [data-testid="time-in-state"]')?.textContent).toBe('–');
    const tags = root.querySelectorAll('[data-testid="bottleneck"]');
    expect(tags).toHaveLength(1);
    expect(tags[0]?.closest('li')?.dataset.testid).toBe('station-S05');
    expect(tags[0]?.getAttribute('title')).toBe('最少缺料');
  });

  it('shows a station whose source is silent as signal lost, greyed, with how long, not as running', async () => {
    const list = stations(8).map((s) => (s.id === 'S07' ? { ...s, state: 'running' as const, secondsInState: 400, signalLostSeconds: 185, signalLostSource: 'plc-body-2' } : s));
    const root = render(list);
    const s07 = root.querySelector('[data-testid="station-S07"]') as HTMLElement;
    expect(s07.dataset.signal).toBe('lost');
    expect(s07.classList.contains('signal-lost')).toBe(true);
    expect(s07.classList.contains('state-running')).toBe(false);
    expect(s07.querySelector('[data-testid="signal-lost"]')?.textContent).toBe('信号中断');
    expect(s07.querySelector('[data-testid="signal-lost-age"]')?.textContent).toBe('3 分');
    expect(s07.textContent).not.toContain('运行');
    expect(s07.getAttribute('title')).toContain('S07 信号中断 3 分');
    expect(s07.getAttribute('title')).toContain('plc-body-2');
    // The others are as they were.
    expect(root.querySelector('[data-testid="station-S06"]')?.classList.contains('state-running')).toBe(true);
    useLocaleStore().setLocale('en');
    await nextTick();
    expect(s07.querySelector('[data-testid="signal-lost"]')?.textContent).toBe('Signal lost');
    expect(s07.querySelector('[data-testid="signal-lost-age"]')?.textContent).toBe('3 min');
  });
});
