import { createPinia } from 'pinia';
import { createApp, h, nextTick, type App } from 'vue';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSocket, ManualTimers, lineFixture } from '../testing/fakes';
import LiveView from './LiveView.vue';

describe('LiveView (wall layout)', () => {
  let app: App;
  let root: HTMLElement;
  let timers: ManualTimers;

  beforeEach(() => {
    FakeSocket.reset();
    localStorage.clear();
    history.replaceState(null, '', '/wall?line=A1');
    timers = new ManualTimers();
    root = document.createElement('div');
    document.body.append(root);
    app = createApp({
      render: () =>
        h(LiveView, { line: 'A1', liveOptions: { WebSocket: FakeSocket, timers, url: () => 'ws://test', random: () => 0 } }),
    });
    app.use(createPinia()).mount(root);
  });
  afterEach(() => {
    app.unmount();
    root.remove();
  });

  const text = (id: string) => root.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? null;

  it('waits for the snapshot, then shows this hour, units per hour, takt and stations', async () => {
    expect(text('waiting')).toBe('正在连接…');
    const ws = FakeSocket.last;
    ws.open();
    ws.receive({ type: 'snapshot', seq: 1, serverTime: 1_700_000_000_000, line: lineFixture() });
    await nextTick();
    expect(text('this-hour-value')).toBe('7');
    expect(text('units-per-hour-value')).toBe('28');
    expect(text('takt-value')).toBe('1分30秒'); // last unit 30 s ago, takt 120 s: in words, never clock-like
    expect(text('line-name')).toBe('总装 A1 线');
    expect(root.querySelector('[data-testid="station-S02"]')?.getAttribute('data-state')).toBe('fault');
    expect(text('station-S02')).toContain('故障');

    ws.receive({ type: 'update', seq: 2, serverTime: 1_700_000_001_000, line: lineFixture({ unitsThisHour: 8, unitsPerHour: 29 }) });
    await nextTick();
    expect(text('this-hour-value')).toBe('8');
    expect(text('units-per-hour-value')).toBe('29');
  });

  it('counts the takt down between messages and switches language on click', async () => {
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'snapshot', seq: 1, serverTime: 1_700_000_000_000, line: lineFixture() });
    timers.advance(10_000);
    await nextTick();
    expect(text('takt-value')).toBe('1分20秒');

    (root.querySelector('[data-testid="lang-switch"]') as HTMLButtonElement).click();
    await nextTick();
    expect(text('this-hour')).toContain('This hour');
    expect(text('station-S02')).toContain('Fault');
    expect(text('line-name')).toBe('Final assembly A1');
    expect(localStorage.getItem('taktline.locale')).toBe('en');
  });

  it('shows the data-age badge amber, then red, when the link goes silent', async () => {
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'snapshot', seq: 1, serverTime: 1_700_000_000_000, line: lineFixture() });
    await nextTick();
    const badge = () => root.querySelector('[data-testid="data-age"]');
    expect(badge()?.getAttribute('data-freshness')).toBe('live');
    timers.advance(12_500);
    await nextTick();
    expect(badge()?.getAttribute('data-freshness')).toBe('amber');
    timers.advance(20_000);
    await nextTick();
    expect(badge()?.getAttribute('data-freshness')).toBe('red');
    expect(badge()?.textContent).toContain('连接中断');
  });

  it('turns the badge red with the reason while the collector refuses events, the wall greyed, and live again once it takes them', async () => {
    const serverTime = 1_700_000_000_000;
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'snapshot', seq: 1, serverTime, line: { ...lineFixture(), intake: { code: 'disk_full', since: serverTime - 120_000 } } });
    await nextTick();
    const badge = () => root.querySelector('[data-testid="data-age"]');
    expect(badge()?.getAttribute('data-freshness')).toBe('red');
    expect(badge()?.getAttribute('data-stale-because')).toBe('intake');
    expect(badge()?.textContent?.trim()).toMatch(/^采集暂停：磁盘已满 2 ?分$/);
    expect(root.querySelector('[data-testid="live-view"]')?.getAttribute('data-stale')).toBe('true');
    FakeSocket.last.receive({ type: 'update', seq: 2, serverTime: serverTime + 1_000, line: { ...lineFixture(), intake: null } });
    await nextTick();
    expect(badge()?.getAttribute('data-freshness')).toBe('live');
    expect(root.querySelector('[data-testid="live-view"]')?.getAttribute('data-stale')).toBe('false');
  });

  it('stops the tiles\' times in state and the takt countdown when the collector goes away, and runs them again when it is back', async () => {
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'snapshot', seq: 1, serverTime: 1_700_000_000_000, line: lineFixture() });
    timers.advance(5_000);
    await nextTick();
    const time = () => root.querySelector('[data-testid="station-S01"] [data-testid="time-in-state"]')?.textContent;
    const before = [time(), text('takt-value')];
    FakeSocket.last.serverClose(); // the collector killed
    timers.advance(60_000);
    await nextTick();
    expect([time(), text('takt-value')]).toEqual(before);
    expect(text('clock')).not.toBe(''); // the clock itself goes on
    // Back: a new socket, a new snapshot, and the times run on the line clock again.
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'snapshot', seq: 1, serverTime: 1_700_000_065_000, line: lineFixture({ now: 1_700_000_065_000 }) });
    timers.advance(1_000);
    await nextTick();
    expect(time()).not.toEqual(before[0]);
  });

  it('names an unknown line', async () => {
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'error', code: 'unknown_line', message: 'x' });
    await nextTick();
    expect(text('waiting')).toBe('未知产线：A1');
  });

  it('says an overrun takt in words, never like a clock face', async () => {
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'snapshot', seq: 1, serverTime: 1_700_000_000_000, line: lineFixture() });
    // The link stays up (a heartbeat every 9 s): last unit 183 s ago, takt 120 s: 63 s over.
    for (let t = 9_000; t <= 153_000; t += 9_000) {
      timers.advance(9_000);
      FakeSocket.last.receive({ type: 'heartbeat', seq: 1 + t / 9_000, serverTime: 1_700_000_000_000 + t });
    }
    timers.advance(0);
    await nextTick();
    expect(text('takt-value')).toBe('超时 1分03秒');
    expect(root.querySelector('[data-testid="takt-value"]')?.getAttribute('data-over')).toBe('true');
    (root.querySelector('[data-testid="lang-switch"]') as HTMLButtonElement).click();
    await nextTick();
    expect(text('takt-value')).toBe('over by 1 min 03 s');
  });
});
