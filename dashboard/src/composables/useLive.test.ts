import { effectScope, nextTick, ref } from 'vue';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSocket, ManualTimers, lineFixture } from '../testing/fakes';
import { useLive, type UseLiveReturn } from './useLive';

const noHistory = async () => [];

describe('useLive', () => {
  let timers: ManualTimers;
  let scope: ReturnType<typeof effectScope>;

  beforeEach(() => {
    FakeSocket.reset();
    timers = new ManualTimers();
    scope = effectScope();
  });
  afterEach(() => scope.stop());

  function run(line = 'A1'): UseLiveReturn {
    const live = scope.run(() =>
      useLive({ line, WebSocket: FakeSocket, timers, random: () => 0, url: (l) => `ws://test/live?line=${l}`, tickMs: 500, loadTrend: noHistory }),
    );
    if (!live) throw new Error('scope did not run');
    return live;
  }

  it('exposes the latest line, its arrival and a ticking clock', () => {
    const live = run();
    expect(FakeSocket.last.url).toBe('ws://test/live?line=A1');
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'snapshot', seq: 1, serverTime: 10, line: lineFixture({ unitsThisHour: 4 }) });
    expect(live.line.value?.unitsThisHour).toBe(4);
    expect(live.status.value).toBe('open');
    expect(live.input.value).toMatchObject({ lineArrivedAt: timers.time, lineServerTime: 10, lastMessageAt: timers.time });
    const before = live.now.value;
    timers.advance(1000);
    expect(live.now.value).toBe(before + 1000);
  });

  it('keeps a trend point per line message, bounded', () => {
    const live = scope.run(() =>
      useLive({ line: 'A1', WebSocket: FakeSocket, timers, url: () => 'ws://x', trendLimits: { maxPoints: 5, maxAgeMs: 50_000 }, loadTrend: noHistory }),
    ) as UseLiveReturn;
    const ws = FakeSocket.last;
    ws.open();
    const now0 = 1_700_000_000_000;
    ws.receive({ type: 'snapshot', seq: 0, serverTime: 0, line: lineFixture({ now: now0, unitsPerHour: 20 }) });
    for (let i = 1; i <= 20; i++) {
      ws.receive({ type: 'update', seq: i, serverTime: i, line: lineFixture({ now: now0 + i * 10_000, unitsPerHour: 20 + i }) });
    }
    expect(live.trend.value.length).toBeLessThanOrEqual(5);
    expect(live.trend.value.at(-1)).toEqual({ t: now0 + 200_000, v: 40 });
  });

  it('puts the last hour from the history API before the live points, once per line', async () => {
    const asked: [string, number][] = [];
    const now0 = 1_700_000_000_000;
    const live = scope.run(() =>
      useLive({
        line: 'A1',
        WebSocket: FakeSocket,
        timers,
        url: () => 'ws://x',
        loadTrend: async (line, at) => {
          asked.push([line, at]);
          return [
            { t: now0 - 120_000, v: 28 },
            { t: now0 - 60_000, v: 29 },
            { t: now0, v: 99 }, // overlaps the live snapshot: the live point wins
          ];
        },
      }),
    ) as UseLiveReturn;
    const ws = FakeSocket.last;
    ws.open();
    ws.receive({ type: 'snapshot', seq: 0, serverTime: 0, line: lineFixture({ now: now0, unitsPerHour: 30 }) });
    await Promise.resolve();
    await Promise.resolve();
    expect(asked).toEqual([['A1', now0]]);
    expect(live.trend.value).toEqual([
      { t: now0 - 120_000, v: 28 },
      { t: now0 - 60_000, v: 29 },
      { t: now0, v: 30 },
    ]);
    ws.receive({ type: 'snapshot', seq: 5, serverTime: 1, line: lineFixture({ now: now0 + 10_000, unitsPerHour: 30 }) });
    await Promise.resolve();
    expect(asked).toHaveLength(1);
  });

  it('records the server error and clears it with the next snapshot', () => {
    const live = run('Z9');
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'error', code: 'unknown_line', message: 'no such line' });
    expect(live.error.value).toEqual({ code: 'unknown_line', message: 'no such line' });
    FakeSocket.last.receive({ type: 'snapshot', seq: 0, serverTime: 0, line: lineFixture() });
    expect(live.error.value).toBeNull();
  });

  it('reconnects to the new line when the line ref changes, starting from a clean slate', async () => {
    const line = ref('A1');
    const live = scope.run(() => useLive({ line, WebSocket: FakeSocket, timers, url: (l) => `ws://test/live?line=${l}`, loadTrend: noHistory })) as UseLiveReturn;
    const first = FakeSocket.last;
    first.open();
    first.receive({ type: 'snapshot', seq: 1, serverTime: 1, line: lineFixture() });
    expect(live.line.value?.line).toBe('A1');
    line.value = 'B2';
    await nextTick();
    expect(first.closedWith).toBe(1000);
    expect(FakeSocket.last.url).toBe('ws://test/live?line=B2');
    expect(live.line.value).toBeNull();
    expect(live.trend.value).toEqual([]);
  });

  it('closes the socket and stops every timer when its scope ends', () => {
    run();
    const ws = FakeSocket.last;
    ws.open();
    expect(timers.pending).toBeGreaterThan(0);
    scope.stop();
    expect(ws.closedWith).toBe(1000);
    expect(timers.pending).toBe(0);
    timers.advance(120_000);
    expect(FakeSocket.instances).toHaveLength(1);
  });
});
