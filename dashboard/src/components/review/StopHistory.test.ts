import { createPinia, setActivePinia } from 'pinia';
import { createApp, h, nextTick } from 'vue';
import { describe, expect, it } from 'vitest';
import type { StopReasonEvent } from '../../../../core/events';
import type { StopRecord } from '../../../../core/reasons/stops';
import { REVIEW_CATALOGUES } from '../../i18n/review-messages';
import { useLocaleStore } from '../../stores/locale';
import StopHistory from './StopHistory.vue';

const T0 = Date.UTC(2026, 11, 1, 2, 0);
const event: StopReasonEvent = { type: 'stop_reason', id: 'e1', ts: T0, stop: 'S01.x', line: 'A1', station: 'S01', reason: 'breakdown', category: 'machine', actorKind: 'person', actorId: 'sv1', actorName: 'Li Na', role: 'supervisor' };
const stop: StopRecord = { id: 'S01.x', line: 'A1', station: 'S01', state: 'fault', from: T0 - 600_000, to: T0, seconds: 600, stationReason: null, inferred: null, current: null, history: [event] };

describe('StopHistory', () => {
  it('names who classified by their role in the page’s language', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const root = document.createElement('div');
    const locale = useLocaleStore();
    const app = createApp({ render: () => h(StopHistory, { stop, m: REVIEW_CATALOGUES[locale.locale], label: (c: string) => c, time: () => '10:00' }) });
    app.use(pinia).mount(root);
    expect(root.querySelector('.who')?.textContent).toContain('主管');
    expect(root.querySelector('.who')?.textContent).not.toContain('supervisor');
    locale.setLocale('en');
    await nextTick();
    expect(root.querySelector('.who')?.textContent).toContain('Supervisor');
    app.unmount();
  });
});
