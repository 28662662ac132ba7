/* eslint-disable vue/one-component-per-file -- each test mounts its own root */
import { createPinia } from 'pinia';
import { createApp, h, nextTick, ref, type App } from 'vue';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AndonCallView } from '@core/andon/types';
import { ANDON_NOW, callFixture } from '../andon/andon-fixtures';
import type { AudioContextLike } from '../andon/chime';
import { FakeSocket, ManualTimers, lineFixture } from '../../testing/fakes';
import LiveView from '../../views/LiveView.vue';
import AndonPanel from './AndonPanel.vue';

// ECharts is not under test here.
vi.mock('../../charts/echarts', () => ({ init: () => ({ setOption: () => undefined, resize: () => undefined, dispose: () => undefined }) }));

/** An AudioContext that records the tones it was asked to play. */
/** Like a browser, `resume()` only starts audio once a user gesture allowed it (`state.allowed`). */
function fakeAudio(state: { value: string; allowed?: boolean }) {
  const started: number[] = [];
  class FakeAudioContext implements AudioContextLike {
    currentTime = 0;
    destination = {};
    get state() {
      return state.value;
    }
    resume() {
      if (state.allowed !== false) state.value = 'running';
      return Promise.resolve();
    }
    createOscillator() {
      return { type: '', frequency: { value: 0 }, connect: () => undefined, start: (t: number) => void started.push(t), stop: () => undefined };
    }
    createGain() {
      return { gain: { setValueAtTime: () => undefined, exponentialRampToValueAtTime: () => undefined }, connect: () => undefined };
    }
  }
  return { FakeAudioContext, started };
}

const noConfig = () => Promise.resolve({ ok: false, status: 404, json: () => Promise.resolve({ error: { code: 'not_found', message: 'x' } }) });

describe('AndonPanel (wall)', () => {
  let app: App;
  let root: HTMLElement;
  beforeEach(() => {
    localStorage.clear();
    vi.stubGlobal('fetch', noConfig);
    root = document.createElement('div');
    document.body.append(root);
  });
  afterEach(() => {
    app.unmount();
    root.remove();
    vi.unstubAllGlobals();
  });
  const text = (id: string) => root.querySelector(`[data-testid="${id}"]`)?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
  /** A card's station and kind, timer, tier and who. */
  const parts = (id: string) => [...root.querySelectorAll(`[data-testid="${id}"] .st, [data-testid="${id}"] .what, [data-testid="${id}"] .timer, [data-testid="${id}"] .sub span`)].map((e) => e.textContent?.replace(/\s+/g, ' ').trim());

  function mountPanel(calls: ReturnType<typeof ref<AndonCallView[]>>, extra: Record<string, unknown> = {}) {
    app = createApp({ render: () => h(AndonPanel, { calls: calls.value ?? [], now: ANDON_NOW, ...extra }) });
    app.use(createPinia()).mount(root);
  }

  it('shows nothing without calls; with calls, station, kind, running time, tier and who acknowledged', async () => {
    const calls = ref<AndonCallView[]>([]);
    mountPanel(calls);
    expect(root.querySelector('[data-testid="andon-panel"]')).toBeNull();
    calls.value = [
      callFixture({ id: 'a', raisedAt: ANDON_NOW - 200_000, tier: 1, tierRole: 'maintenance' }),
      callFixture({ id: 'b', station: 'S03', kind: 'material', status: 'acknowledged', acknowledgedBy: { kind: 'person', id: 'p-li', name: '李强' } }),
    ];
    await nextTick();
    expect(text('andon-count')).toBe('2');
    expect(parts('andon-call-a')).toEqual(['S07', '设备维修', '3分20秒', '第2级 维修', '无人响应']);
    expect(parts('andon-call-b')).toEqual(['S03', '物料', '2分', '第1级 班组长', '李强 已响应']);
    expect(root.querySelector('[data-testid="andon-call-a"]')?.classList.contains('status-open')).toBe(true);
  });

  it('gives the kind its own row once three cards or more share the band, so a long running time does not cut it', async () => {
    const calls = ref([callFixture({ id: 'a', raisedAt: ANDON_NOW - 6_600_000 }), callFixture({ id: 'b' })]);
    mountPanel(calls);
    await nextTick();
    // Two cards: station, kind and time on the top row.
    expect(root.querySelector('[data-testid="andon-call-a"] .top .what')?.textContent).toBe('设备维修');
    expect(root.querySelector('[data-testid="andon-kind-row"]')).toBeNull();
    calls.value = [...calls.value, callFixture({ id: 'c' })];
    await nextTick();
    expect(root.querySelector('[data-testid="andon-call-a"] .top .what')).toBeNull();
    expect(parts('andon-call-a')).toEqual(['S07', '1小时50分', '设备维修', '第1级 班组长', '无人响应']);
  });

  it('folds calls beyond the cards that fit into "+N"', async () => {
    const calls = ref(Array.from({ length: 6 }, (_, i) => callFixture({ id: `c${i}`, raisedAt: ANDON_NOW - i * 1000 })));
    mountPanel(calls);
    await nextTick();
    expect(root.querySelectorAll('[data-testid^="andon-call-"]')).toHaveLength(3);
    expect(text('andon-more')).toBe('另有 3 个');
  });

  it('chimes for a call that is new, not for the calls already open when the wall loads', async () => {
    const state = { value: 'running' };
    const audio = fakeAudio(state);
    const calls = ref([callFixture({ id: 'old' })]);
    mountPanel(calls, { sound: true, audioContext: audio.FakeAudioContext });
    await nextTick();
    expect(audio.started).toHaveLength(0);
    calls.value = [callFixture({ id: 'old' }), callFixture({ id: 'new' })];
    await nextTick();
    expect(audio.started).toHaveLength(2); // two tones
    calls.value = [callFixture({ id: 'new', status: 'acknowledged' })];
    await nextTick();
    expect(audio.started).toHaveLength(2);
  });

  it('without a user gesture, asks for a tap instead of chiming, and chimes after it', async () => {
    const state = { value: 'suspended', allowed: false };
    const audio = fakeAudio(state);
    const calls = ref<AndonCallView[]>([]);
    mountPanel(calls, { sound: true, audioContext: audio.FakeAudioContext });
    calls.value = [callFixture({ id: 'a' })];
    await nextTick();
    expect(text('andon-sound-blocked')).toBe('点一下屏幕以开启提示音');
    expect(audio.started).toHaveLength(0);
    state.allowed = true; // the tap
    window.dispatchEvent(new Event('pointerdown'));
    await new Promise((r) => setTimeout(r, 0));
    await nextTick();
    expect(root.querySelector('[data-testid="andon-sound-blocked"]')).toBeNull();
    calls.value = [callFixture({ id: 'a' }), callFixture({ id: 'b' })];
    await nextTick();
    expect(audio.started.length).toBeGreaterThan(0);
  });

  it('stays silent without ?sound=1', async () => {
    const audio = fakeAudio({ value: 'running' });
    const calls = ref<AndonCallView[]>([]);
    mountPanel(calls, { audioContext: audio.FakeAudioContext });
    calls.value = [callFixture({ id: 'a' })];
    await nextTick();
    expect(audio.started).toHaveLength(0);
  });
});

describe('wall with andon calls', () => {
  let app: App;
  let root: HTMLElement;
  beforeEach(() => {
    FakeSocket.reset();
    localStorage.clear();
    vi.stubGlobal('fetch', noConfig);
    history.replaceState(null, '', '/wall?line=A1');
    root = document.createElement('div');
    document.body.append(root);
  });
  afterEach(() => {
    app.unmount();
    root.remove();
    vi.unstubAllGlobals();
  });

  it('shows the open calls of the live snapshot and marks their stations in the strip', async () => {
    const timers = new ManualTimers(ANDON_NOW);
    app = createApp({ render: () => h(LiveView, { line: 'A1', liveOptions: { WebSocket: FakeSocket, timers, url: () => 'ws://test', random: () => 0, loadTrend: () => Promise.resolve([]) } }) });
    app.use(createPinia()).mount(root);
    const ws = FakeSocket.last;
    ws.open();
    const line = lineFixture({ now: ANDON_NOW });
    ws.receive({ type: 'snapshot', seq: 1, serverTime: ANDON_NOW, line });
    await nextTick();
    expect(root.querySelector('[data-testid="andon-panel"]')).toBeNull();
    expect(root.querySelector('[data-testid="station-S02"]')?.hasAttribute('data-andon')).toBe(false);

    const call = callFixture({ id: 'c-9', station: 'S02', raisedAt: ANDON_NOW - 61_000 });
    ws.receive({ type: 'update', seq: 2, serverTime: ANDON_NOW, line: { ...line, andon: { open: [call] } } });
    await nextTick();
    expect(root.querySelector('[data-testid="andon-call-c-9"]')?.textContent).toContain('1分01秒');
    expect(root.querySelector('[data-testid="station-S02"]')?.getAttribute('data-andon')).toBe('open');
    expect(root.querySelector('[data-testid="station-S02"] [data-testid="andon-mark"]')?.textContent).toBe('呼叫');
    timers.advance(10_000);
    await nextTick();
    expect(root.querySelector('[data-testid="andon-call-c-9"]')?.textContent).toContain('1分11秒');

    ws.receive({ type: 'update', seq: 3, serverTime: ANDON_NOW + 10_000, line: { ...line, andon: { open: [{ ...call, status: 'acknowledged', acknowledgedBy: { kind: 'person', id: 'p-li', name: '李强' } }] } } });
    await nextTick();
    expect(root.querySelector('[data-testid="station-S02"]')?.getAttribute('data-andon')).toBe('acknowledged');
    ws.receive({ type: 'update', seq: 4, serverTime: ANDON_NOW + 11_000, line: { ...line, andon: { open: [] } } });
    await nextTick();
    expect(root.querySelector('[data-testid="andon-panel"]')).toBeNull();
    expect(root.querySelector('[data-testid="station-S02"]')?.hasAttribute('data-andon')).toBe(false);
  });
});
