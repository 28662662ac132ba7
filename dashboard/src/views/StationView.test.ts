import { createPinia } from 'pinia';
import { createApp, h, nextTick, type App } from 'vue';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ANDON_NOW, callFixture, fakeAndonCollector, sessionFixture, type FakeAndonCollector } from '../components/andon/andon-fixtures';
import { FakeSocket, ManualTimers, lineFixture } from '../testing/fakes';
import { STATION_POLL_MS } from '../components/andon/useStationAndon';
import StationView from './StationView.vue';

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await new Promise((r) => setTimeout(r, 0));
  await nextTick();
}

describe('StationView (tablet)', () => {
  let app: App;
  let root: HTMLElement;
  let timers: ManualTimers;
  let api: FakeAndonCollector;

  function mount(collector: FakeAndonCollector, station: string | null = 'S07'): void {
    api = collector;
    root = document.createElement('div');
    document.body.append(root);
    app = createApp({
      render: () =>
        h(StationView, {
          line: 'A1',
          station,
          api: { fetch: api.fetch },
          liveOptions: { WebSocket: FakeSocket, timers, url: () => 'ws://test', random: () => 0 },
        }),
    });
    app.use(createPinia()).mount(root);
  }

  beforeEach(() => {
    FakeSocket.reset();
    localStorage.clear();
    history.replaceState(null, '', '/station?line=A1&station=S07');
    timers = new ManualTimers(ANDON_NOW);
  });
  afterEach(() => {
    app.unmount();
    root.remove();
  });

  const byId = (id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const text = (id: string) => byId(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
  const tap = async (id: string) => {
    const el = byId(id);
    if (!el) throw new Error(`no ${id}`);
    el.click();
    await settle();
  };
  const typePin = async (pin: string) => {
    for (const d of pin) await tap(`pin-${d}`);
    await tap('pin-submit');
  };

  it('signs in with name and PIN, then raises a call in one tap', async () => {
    mount(fakeAndonCollector());
    await settle();
    expect(text('station-title')).toBe('A1 线 S07 工位');
    await tap('person-p-wang');
    expect(text('pin-for')).toBe('王芳，请输入 PIN');
    await typePin('1111');
    expect(text('signed-in-as')).toBe('王芳（操作工）');
    const before = api.calls.length;
    await tap('raise-material');
    expect(api.calls.slice(before)).toEqual(['POST /api/v1/andon/calls']);
    expect(text('raised-notice')).toBe('已呼叫：物料');
    const card = root.querySelector('[data-testid^="call-c-"]');
    expect(card?.getAttribute('data-status')).toBe('open');
    // The kind already called shows its time and does not call twice.
    expect(byId('raise-material')?.hasAttribute('disabled')).toBe(true);
    // An operator may cancel the call they raised, not acknowledge it.
    expect([...root.querySelectorAll('[data-testid^="act-"]')].map((b) => b.getAttribute('data-testid'))).toEqual(['act-cancel']);
  });

  it('says how many tries a wrong PIN leaves, then how long the lock lasts, counting down', async () => {
    mount(fakeAndonCollector());
    await settle();
    await tap('person-p-li');
    await typePin('9999');
    expect(text('sign-in-error')).toBe('PIN 不正确，还可再试 4 次');
    for (let i = 0; i < 4; i += 1) await typePin('9999');
    expect(text('sign-in-error')).toBe('错误次数过多，已锁定，5分后可再试');
    expect(byId('pin-5')?.hasAttribute('disabled')).toBe(true);
    timers.advance(70_000);
    await nextTick();
    expect(text('sign-in-error')).toBe('错误次数过多，已锁定，3分50秒后可再试');
    (root.querySelector('[data-testid="lang-switch"]') as HTMLButtonElement).click();
    await nextTick();
    expect(text('sign-in-error')).toBe('Too many wrong PINs: locked, try again in 3 min 50 s');
  });

  it('shows open calls with running timers; a team leader acknowledges, then resolves with a reason and note', async () => {
    mount(fakeAndonCollector({ calls: [callFixture({ raisedAt: ANDON_NOW - 200_000 })] }));
    await settle();
    expect(text('call-timer')).toBe('3分20秒');
    timers.advance(5_000);
    await nextTick();
    expect(text('call-timer')).toBe('3分25秒');
    // Not signed in: the calls are visible, the buttons are not.
    expect(root.querySelectorAll('[data-testid^="act-"]')).toHaveLength(0);
    await tap('person-p-li');
    await typePin('2222');
    await tap('act-acknowledge');
    expect(byId('call-c-1')?.getAttribute('data-status')).toBe('acknowledged');
    expect(text('call-c-1')).toContain('李强 已响应');
    await tap('act-resolve');
    expect(byId('resolve-confirm')?.hasAttribute('disabled')).toBe(true);
    await tap('reason-fixed');
    const note = byId('resolve-note') as HTMLTextAreaElement;
    note.value = '换了保险丝';
    note.dispatchEvent(new Event('input'));
    await tap('resolve-confirm');
    expect(api.bodies.at(-1)).toEqual({ call: 'c-1', action: 'resolve', reason: 'fixed', note: '换了保险丝' });
    expect(text('no-calls')).toBe('本工位没有未关闭的呼叫');
  });

  it('puts the collector’s reason on screen when an action is refused', async () => {
    mount(fakeAndonCollector({ calls: [callFixture({ status: 'acknowledged' })] }));
    await settle();
    await tap('person-p-zhao');
    await typePin('3333');
    api.failNext('/api/v1/andon/actions', 409, { code: 'invalid_transition', message: 'call c-1 is already resolved' });
    await tap('act-resolve');
    await tap('reason-fixed');
    await tap('resolve-confirm');
    expect(text('action-error')).toContain('无法执行：call c-1 is already resolved');
  });

  it('follows the live channel: a call raised by a pull cord appears without a reload', async () => {
    mount(fakeAndonCollector());
    await settle();
    expect(text('no-calls')).not.toBeNull();
    const ws = FakeSocket.last;
    ws.open();
    const cord = callFixture({ id: 'c-cord', raisedBy: { kind: 'station', id: 'S07', name: 'S07' }, raisedAt: ANDON_NOW - 45_000 });
    ws.receive({ type: 'snapshot', seq: 1, serverTime: ANDON_NOW, line: { ...lineFixture({ now: ANDON_NOW }), andon: { open: [cord, callFixture({ id: 'other', station: 'S03' })] } } });
    await settle();
    expect(text('call-c-cord')).toContain('45秒');
    expect(byId('call-other')).toBeNull();
  });

  it('asks for the station’s calls on a timer while the live channel is down, and stops once it is back', async () => {
    mount(fakeAndonCollector());
    await settle();
    const polls = () => api.calls.filter((c) => c.startsWith('GET /api/v1/andon/calls')).length;
    expect(polls()).toBe(1);
    // A pull cord somewhere the tablet cannot hear: the next poll brings it.
    api.state.calls.push(callFixture({ id: 'c-cord', raisedBy: { kind: 'station', id: 'S07', name: 'S07' } }));
    timers.advance(STATION_POLL_MS);
    await settle();
    expect(polls()).toBe(2);
    expect(byId('call-c-cord')).not.toBeNull();
    timers.advance(1000); // the live client's reconnect attempt
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'snapshot', seq: 1, serverTime: ANDON_NOW, line: { ...lineFixture({ now: ANDON_NOW }), andon: { open: [] } } });
    await settle();
    for (let seq = 2; seq < 7; seq += 1) {
      timers.advance(10_000); // the link stays alive on heartbeats
      FakeSocket.last.receive({ type: 'heartbeat', seq, serverTime: ANDON_NOW + seq * 10_000 });
    }
    await settle();
    expect(polls()).toBe(2);
  });

  it('says the link is lost in the header instead of the station\'s last state while the live channel is down, and the state again once it is back', async () => {
    mount(fakeAndonCollector(), 'S02');
    await settle();
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'snapshot', seq: 1, serverTime: ANDON_NOW, line: lineFixture({ now: ANDON_NOW }) });
    await settle();
    expect(text('station-state')).toBe('故障');
    expect(byId('station-link-lost')).toBeNull();
    FakeSocket.last.serverClose();
    timers.advance(65_000);
    await settle();
    expect(byId('station-state')).toBeNull();
    expect(text('station-link-lost')).toMatch(/^连接中断 1 ?分/);
    // Back: the live client reconnects and the snapshot says the state again.
    timers.advance(30_000);
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'snapshot', seq: 1, serverTime: ANDON_NOW + 95_000, line: lineFixture({ now: ANDON_NOW + 95_000 }) });
    await settle();
    expect(byId('station-link-lost')).toBeNull();
    expect(byId('station-state')).not.toBeNull();
  });

  it('says before anyone taps that nothing can be saved while the collector refuses events, and why, and clears once it takes them again', async () => {
    mount(fakeAndonCollector(), 'S02');
    await settle();
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'snapshot', seq: 1, serverTime: ANDON_NOW, line: { ...lineFixture({ now: ANDON_NOW }), intake: null } });
    await settle();
    expect(byId('intake-stopped')).toBeNull();
    FakeSocket.last.receive({ type: 'update', seq: 2, serverTime: ANDON_NOW + 5_000, line: { ...lineFixture({ now: ANDON_NOW + 5_000 }), intake: { code: 'disk_full', since: ANDON_NOW - 175_000 } } });
    await settle();
    expect(text('intake-stopped')).toMatch(/^采集服务暂停保存（磁盘已满，3 ?分）：呼叫、停机分类和缺陷代码此刻都无法保存/);
    FakeSocket.last.receive({ type: 'update', seq: 3, serverTime: ANDON_NOW + 10_000, line: { ...lineFixture({ now: ANDON_NOW + 10_000 }), intake: null } });
    await settle();
    expect(byId('intake-stopped')).toBeNull();
  });

  it('says so when the line has no such station', async () => {
    mount(fakeAndonCollector());
    await settle();
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'snapshot', seq: 1, serverTime: ANDON_NOW, line: lineFixture({ now: ANDON_NOW }) });
    await settle();
    expect(text('unknown-station')).toBe('A1 线没有工位 S07：请检查网址');
  });

  it('signs a shared tablet out after five minutes without a touch, not while someone is using it', async () => {
    mount(fakeAndonCollector());
    await settle();
    await tap('person-p-li');
    await typePin('2222');
    expect(text('signed-in-as')).toBe('李强（班组长）');
    timers.advance(4 * 60_000);
    window.dispatchEvent(new Event('pointerdown'));
    timers.advance(4 * 60_000);
    await settle();
    expect(text('signed-in-as')).toBe('李强（班组长）');
    timers.advance(60_000 + 500);
    await settle();
    expect(byId('signed-in-as')).toBeNull();
    expect(api.calls.at(-1)).toBe('DELETE /api/v1/session');
  });

  it('without a station, shows the whole line’s calls with their stations and raises calls for the line', async () => {
    mount(fakeAndonCollector({ calls: [callFixture({ id: 'a' }), callFixture({ id: 'b', station: 'S03', kind: 'material' })] }), null);
    await settle();
    expect(text('station-title')).toBe('A1 线 · 全线呼叫');
    expect(text('call-a')).toContain('S07 设备维修');
    expect(text('call-b')).toContain('S03 物料');
    expect(api.calls).toContain('GET /api/v1/andon/calls?line=A1&status=active');
    await tap('person-p-li');
    await typePin('2222');
    // A kind called at some station is no reason not to call it for the line.
    expect(byId('raise-maintenance')?.hasAttribute('disabled')).toBe(false);
    await tap('raise-help');
    expect(api.bodies.at(-1)).toEqual({ line: 'A1', kind: 'help' });
    expect(text('station-calls')).toContain('全线 求助');
  });

  it('returns to the sign-in when the session ends, judged on the collector’s clock', async () => {
    // Signed in before the page loaded; the session ends 30 s after ANDON_NOW on the collector's clock.
    mount(fakeAndonCollector({ session: { ...sessionFixture('team_leader'), expiresAt: ANDON_NOW + 30_000 } }));
    await settle();
    expect(text('signed-in-as')).toBe('李强（班组长）');
    // The kiosk's clock is 20 s slow: the collector says it is ANDON_NOW + 20 s already.
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'snapshot', seq: 1, serverTime: ANDON_NOW + 20_000, line: lineFixture({ now: ANDON_NOW }) });
    timers.advance(9_000);
    await settle();
    expect(text('signed-in-as')).toBe('李强（班组长）');
    timers.advance(1_500);
    await settle();
    expect(byId('signed-in-as')).toBeNull();
    expect(byId('person-picker')).not.toBeNull();
  });

  it('signs out', async () => {
    mount(fakeAndonCollector());
    await settle();
    await tap('person-p-li');
    await typePin('2222');
    await tap('sign-out');
    expect(byId('person-picker')).not.toBeNull();
    expect(api.calls.at(-1)).toBe('DELETE /api/v1/session');
  });
});
