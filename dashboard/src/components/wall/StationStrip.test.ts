import { createPinia } from 'pinia';
import { createApp, h } from 'vue';
import { describe, expect, it } from 'vitest';
import type { StationView } from '../../model/wall-model';
import StationStrip from './StationStrip.vue';

function stations(n: number): StationView[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `S${String(i + 1).padStart(2, '0')}`,
    name: { zh: `工位${i + 1}`, en: `Station ${i + 1}` },
    state: i === 2 ? 'fault' : 'running',
    reason: null,
    secondsInState: i === 2 ? 95 : null,
    bottleneck: i === 4,
  }));
}

function render(list: StationView[]): HTMLElement {
  const root = document.createElement('div');
  createApp({ render: () => h(StationStrip, { stations: list, bottleneckWhy: { zh: '最少缺料', en: 'least starved' } }) })
    .use(createPinia())
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
});
