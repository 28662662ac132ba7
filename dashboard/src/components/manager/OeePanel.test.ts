import { computeOee } from '@core/kpi/oee';
import { createPinia, setActivePinia } from 'pinia';
import { createApp, h } from 'vue';
import { beforeEach, describe, expect, it } from 'vitest';
import OeePanel from './OeePanel.vue';

function render(units: number): HTMLElement {
  // Two planned hours, 20 minutes down at S05, 120 s ideal takt: 50 units at the ideal rate.
  const oee = computeOee({ plannedSeconds: 7200, downtimeSeconds: 1200, idealTaktSeconds: 120, units, goodUnits: units, constraintStation: 'S05', constraintSource: 'detected' });
  const root = document.createElement('div');
  const pinia = createPinia();
  setActivePinia(pinia);
  createApp({ render: () => h(OeePanel, { oee }) })
    .use(pinia)
    .mount(root);
  return root;
}

describe('OeePanel', () => {
  beforeEach(() => localStorage.clear());

  it('explains a performance above 100 %: buffers after the constraint station kept the line building while it was down', () => {
    const root = render(57);
    expect(root.querySelector('[data-testid="drill-performance"] .value')?.textContent).toBe('114%');
    expect(root.querySelector('[data-testid="oee-above-hundred"]')?.textContent).toContain('S05 停机时，其后的缓冲区仍在出车');
  });

  it('says nothing extra at or below 100 %', () => {
    expect(render(50).querySelector('[data-testid="oee-above-hundred"]')).toBeNull();
  });
});
