/** A plant card names the shift's largest loss as the loss waterfall and the wall do: a partner's shortage is 缺料, a starved station 待料. */
import { createPinia } from 'pinia';
import { createApp, h, nextTick } from 'vue';
import { describe, expect, it } from 'vitest';
import type { LossCause } from '@core/loss/types';
import { FakeSocket, ManualTimers, lineFixture } from '../../testing/fakes';
import PlantLineCard from './PlantLineCard.vue';

const summary = { id: 'A1', name: { zh: '总装 A1 线', en: 'Final assembly A1' }, timeZone: 'Asia/Shanghai', targetPerHour: 30, stations: [] };

async function lossText(cause: LossCause, units: number): Promise<string | null | undefined> {
  FakeSocket.reset();
  localStorage.clear();
  const timers = new ManualTimers();
  const root = document.createElement('div');
  document.body.append(root);
  const app = createApp({ render: () => h(PlantLineCard, { line: summary, liveOptions: { WebSocket: FakeSocket, timers, url: () => 'ws://test', random: () => 0 } }) });
  app.use(createPinia()).mount(root);
  try {
    const now = timers.now();
    const line = { ...lineFixture({ now }), losses: { bottleneck: { station: null, shifting: false, why: { zh: '', en: '' } }, largestLoss: { cause, units } } };
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'snapshot', seq: 1, serverTime: now, line });
    await nextTick();
    return root.querySelector('[data-testid="plant-loss"]')?.textContent;
  } finally {
    app.unmount();
    root.remove();
  }
}

describe('PlantLineCard largest loss', () => {
  it('says 缺料 with the partner for a shortage, 待料 with the station for a starved station, and the state for a stop', async () => {
    expect(await lossText({ kind: 'starved', station: 'S07', partner: 'P-BATT-01' }, 41.4)).toBe('最大损失: 缺料 P-BATT-01 · 41 台');
    expect(await lossText({ kind: 'starved', station: 'S03' }, 12)).toContain('待料 S03 · 12 台');
    expect(await lossText({ kind: 'downtime', station: 'S05', state: 'fault' }, 10)).toContain('S05 故障 · 10 台');
  });
});
