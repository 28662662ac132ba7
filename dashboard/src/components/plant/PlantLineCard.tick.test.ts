/**
 * A plant overview card per tick (issue 15): the card re-renders when what it
 * shows changes (data, this hour's plan so far, staleness), not on every
 * tick of its clock; the data age it reports to the screen moves in whole seconds.
 */
import { createPinia } from 'pinia';
import { createApp, h, nextTick, watch } from 'vue';
import { describe, expect, it } from 'vitest';
import { useScreenStore } from '../../stores/screen';
import { FakeSocket, ManualTimers, lineFixture } from '../../testing/fakes';
import PlantLineCard from './PlantLineCard.vue';

const summary = { id: 'A1', name: { zh: '总装 A1 线', en: 'Final assembly A1' }, timeZone: 'Asia/Shanghai', targetPerHour: 30, stations: [] };

describe('PlantLineCard per tick (issue 15)', () => {
  it('re-renders on data and when its figures move, not on every tick or heartbeat', async () => {
    FakeSocket.reset();
    localStorage.clear();
    const timers = new ManualTimers();
    let cardUpdates = 0;
    const root = document.createElement('div');
    document.body.append(root);
    const pinia = createPinia();
    const app = createApp({ render: () => h(PlantLineCard, { line: summary, liveOptions: { WebSocket: FakeSocket, timers, url: () => 'ws://test', random: () => 0 } }) });
    app.mixin({
      updated(this: { $options: { __name?: string } }) {
        if (this.$options.__name === 'PlantLineCard') cardUpdates += 1;
      },
    });
    app.use(pinia).mount(root);
    const screen = useScreenStore(pinia);
    let ageReports = 0;
    const stop = watch(() => screen.ages, () => (ageReports += 1));
    try {
      // 800 s into the hour at 30 units an hour: the plan so far (6) moves to 7 at 840 s.
      const now = timers.now();
      const line = lineFixture({ now });
      const hourStart = line.hourStart;
      expect(now - hourStart).toBe(800_000);
      FakeSocket.last.open();
      FakeSocket.last.receive({ type: 'snapshot', seq: 1, serverTime: now, line });
      await nextTick();
      const expected = () => root.querySelector('[data-testid="plant-this-hour"] small')?.textContent;
      expect(expected()).toBe(' / 6');
      cardUpdates = 0;
      ageReports = 0;
      // Twenty seconds in 250 ms steps, a heartbeat every five: nothing the card shows changes.
      for (let i = 1; i <= 80; i += 1) {
        timers.advance(250);
        if (i % 20 === 0) FakeSocket.last.receive({ type: 'heartbeat', seq: 1 + i / 20, serverTime: now + i * 250 });
        await nextTick();
      }
      expect(cardUpdates).toBe(0);
      // The data age went from 1 s to 21 s: one report per whole second, not one per tick.
      expect(ageReports).toBeGreaterThanOrEqual(15);
      expect(ageReports).toBeLessThanOrEqual(20);
      expect(screen.ages.get('A1')).toBe(21);

      // New data re-renders it once.
      FakeSocket.last.receive({ type: 'update', seq: 6, serverTime: now + 20_000, line: { ...line, now: now + 20_000, unitsThisHour: 9 } });
      await nextTick();
      expect(cardUpdates).toBe(1);
      expect(root.querySelector('[data-testid="plant-this-hour"]')?.textContent).toMatch(/^9 \//);

      // The plan so far still moves with the clock: at 840 s it reads 7.
      cardUpdates = 0;
      for (let i = 1; i <= 100; i += 1) {
        timers.advance(250);
        if (i % 20 === 0) FakeSocket.last.receive({ type: 'heartbeat', seq: 6 + i / 20, serverTime: now + 20_000 + i * 250 });
        await nextTick();
      }
      expect(expected()).toBe(' / 7');
      expect(cardUpdates).toBe(1);
    } finally {
      stop();
      app.unmount();
      root.remove();
    }
  });
});
