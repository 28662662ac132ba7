/**
 * The wall per 250 ms tick (issue 15): only what the tick changes re-renders;
 * the rest waits for data.
 */
import { createPinia } from 'pinia';
import { createApp, h, nextTick } from 'vue';
import { describe, expect, it } from 'vitest';
import { FakeSocket, ManualTimers, lineFixture, shiftFixture } from '../testing/fakes';
import LiveView from './LiveView.vue';

describe('LiveView per tick (issue 15)', () => {
  it('re-renders per tick only what the tick changes: the shift panel and the tiles wait for data', async () => {
    FakeSocket.reset();
    localStorage.clear();
    const timers = new ManualTimers();
    const updates = new Map<string, number>();
    const root = document.createElement('div');
    document.body.append(root);
    const app = createApp({ render: () => h(LiveView, { line: 'A1', liveOptions: { WebSocket: FakeSocket, timers, url: () => 'ws://test', random: () => 0 } }) });
    // Counts every component update by the component's name (the SFC compiler sets __name).
    app.mixin({
      updated(this: { $options: { __name?: string } }) {
        const name = this.$options.__name ?? '?';
        updates.set(name, (updates.get(name) ?? 0) + 1);
      },
    });
    app.use(createPinia()).mount(root);
    try {
      const now = timers.now();
      const line = lineFixture({ now, hourStart: now - (now % 3_600_000), shift: shiftFixture(now, { hourStart: now - (now % 3_600_000) }) });
      FakeSocket.last.open();
      FakeSocket.last.receive({ type: 'snapshot', seq: 1, serverTime: now, line });
      await nextTick();
      updates.clear();
      // Ten seconds: forty ticks, ten changes of the clock, the countdown and the time in state.
      for (let i = 0; i < 40; i += 1) {
        timers.advance(250);
        await nextTick();
      }
      expect(updates.get('ShiftPanel') ?? 0).toBe(0);
      expect(updates.get('KpiTile') ?? 0).toBe(0);
      expect(updates.get('StationStrip') ?? 0).toBeLessThanOrEqual(10);
      expect(updates.get('StationStrip') ?? 0).toBeGreaterThanOrEqual(9);
      expect(updates.get('TaktTile') ?? 0).toBeLessThanOrEqual(10);
      expect(updates.get('LiveView') ?? 0).toBeLessThanOrEqual(10);
      // New data does reach the shift panel (the counter is live).
      FakeSocket.last.receive({ type: 'update', seq: 2, serverTime: now + 10_000, line: { ...line, shift: shiftFixture(now + 10_000, { units: 57 }) } });
      await nextTick();
      expect(updates.get('ShiftPanel') ?? 0).toBe(1);
      expect(root.querySelector('[data-testid="shift-units"]')?.textContent).toContain('57');
    } finally {
      app.unmount();
      root.remove();
    }
  });
});
