import { createApp, defineComponent, nextTick, ref } from 'vue';
import { describe, expect, it } from 'vitest';
import { ManualTimers } from '../../testing/fakes';
import { useTabletRefresh } from './useTabletRefresh';

/** A load the test finishes by hand, counting its calls. */
function manualLoad() {
  const finishers: (() => void)[] = [];
  const load = () => new Promise<void>((resolve) => finishers.push(resolve));
  return { load, get calls() { return finishers.length; }, finishLast: async () => { finishers.at(-1)?.(); await nextTick(); await Promise.resolve(); } };
}

function mount(setup: () => void) {
  const root = document.createElement('div');
  const app = createApp(defineComponent({ setup, render: () => null }));
  app.mount(root);
  return app;
}

describe('useTabletRefresh (the station tablet lists\' reload)', () => {
  it('loads on mount, then again `everyMs` after the last load finished, never two at once', async () => {
    const timers = new ManualTimers();
    const l = manualLoad();
    const app = mount(() => useTabletRefresh({ load: l.load, everyMs: 30_000, timers }));
    expect(l.calls).toBe(1);
    timers.advance(60_000);
    expect(l.calls).toBe(1); // the first load has not finished: no second one, no timer yet
    await l.finishLast();
    timers.advance(29_999);
    expect(l.calls).toBe(1);
    timers.advance(1);
    expect(l.calls).toBe(2);
    await l.finishLast();
    timers.advance(30_000);
    expect(l.calls).toBe(3);
    app.unmount();
  });

  it('reads everyMs before each wait (0: no more waits) and stops waiting when the scope ends', async () => {
    const timers = new ManualTimers();
    const l = manualLoad();
    const every = ref(10_000);
    const app = mount(() => useTabletRefresh({ load: l.load, everyMs: every, timers }));
    await l.finishLast();
    timers.advance(10_000);
    expect(l.calls).toBe(2);
    every.value = 0;
    await l.finishLast();
    expect(timers.pending).toBe(0);
    timers.advance(120_000);
    expect(l.calls).toBe(2);

    every.value = 10_000;
    const other = mount(() => useTabletRefresh({ load: l.load, everyMs: every, timers }));
    await l.finishLast();
    expect(timers.pending).toBe(1);
    other.unmount();
    expect(timers.pending).toBe(0);
    timers.advance(60_000);
    expect(l.calls).toBe(3);
    app.unmount();
  });
});
