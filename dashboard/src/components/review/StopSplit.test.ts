import { createApp, h, nextTick, type App } from 'vue';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_REASONS } from '../../../../core/reasons/config';
import type { StopRecord } from '../../../../core/reasons/stops';
import { REVIEW_CATALOGUES } from '../../i18n/review-messages';
import type { ApiFetchLike } from '../../services/session-api';
import StopSplit from './StopSplit.vue';

const T0 = Date.UTC(2026, 11, 1, 2, 0); // 10:00 in Shanghai
const MIN = 60_000;
const stop: StopRecord = { id: 'S01.x', line: 'A1', station: 'S01', state: 'fault', from: T0, to: T0 + 10 * MIN, seconds: 600, stationReason: null, inferred: null, current: null, history: [] };

/** A stand-in collector that records what is POSTed and answers `reply`. */
function collector(reply: { status: number; body: unknown }) {
  const bodies: Record<string, unknown>[] = [];
  const fetch: ApiFetchLike = (_url, init) => {
    bodies.push(JSON.parse(init?.body ?? '{}') as Record<string, unknown>);
    return Promise.resolve({ ok: reply.status < 400, status: reply.status, json: () => Promise.resolve(reply.body), headers: { get: () => null } });
  };
  return { fetch, bodies };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((r) => setTimeout(r, 0));
  await nextTick();
}

describe('StopSplit (splitting a stop into two reasons)', () => {
  let app: App;
  let root: HTMLElement;
  const done: StopRecord[] = [];
  function mount(fetch: ApiFetchLike, locale: 'zh-CN' | 'en' = 'zh-CN'): void {
    root = document.createElement('div');
    document.body.append(root);
    app = createApp({ render: () => h(StopSplit, { line: 'A1', stop, tree: DEFAULT_REASONS, timeZone: 'Asia/Shanghai', lang: locale === 'en' ? 'en' : 'zh', m: REVIEW_CATALOGUES[locale], now: T0 + 60 * MIN, api: { fetch }, onDone: (r: StopRecord) => done.push(r) }) });
    app.mount(root);
  }
  afterEach(() => {
    app.unmount();
    root.remove();
    done.length = 0;
  });
  const q = <T extends HTMLElement>(id: string) => root.querySelector<T>(`[data-testid="${id}"]`) as T;
  async function set(id: string, value: string): Promise<void> {
    const el = q<HTMLInputElement | HTMLSelectElement>(id);
    el.value = value;
    el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input'));
    await settle();
  }

  it('refuses an instant outside the stop, with the reason, and sends nothing', async () => {
    const c = collector({ status: 201, body: { stop } });
    mount(c.fetch);
    await set('split-first', 'breakdown');
    await set('split-second', 'power');
    expect(q('split-why')).toBeNull();
    await set('split-at', '10:10:00'); // the stop's end: not strictly inside
    expect(q('split-why').textContent).toBe('拆分时刻须在停机之内（10:00:00 之后、10:10:00 之前）');
    expect(q<HTMLButtonElement>('split-submit').disabled).toBe(true);
    await set('split-at', 'half past');
    expect(q('split-why').textContent).toContain('时:分');
    q<HTMLFormElement>('split-form').dispatchEvent(new Event('submit'));
    await settle();
    expect(c.bodies).toEqual([]);
  });

  it('sends the instant on the line\'s clock with both reasons; the slider moves the typed time', async () => {
    const c = collector({ status: 201, body: { stop } });
    mount(c.fetch);
    // The middle, on the line's clock (a time input may drop ':00' seconds, as browsers do).
    expect(q<HTMLInputElement>('split-at').value).toMatch(/^10:05(:00)?$/);
    const slider = q<HTMLInputElement>('split-slider');
    slider.value = String(T0 + 3 * MIN);
    slider.dispatchEvent(new Event('input'));
    await settle();
    expect(q<HTMLInputElement>('split-at').value).toMatch(/^10:03(:00)?$/);
    await set('split-at', '10:04:30');
    await set('split-first', 'breakdown');
    await set('split-second', 'breakdown');
    expect(q('split-why').textContent).toBe(REVIEW_CATALOGUES['zh-CN'].split.sameReason);
    await set('split-second', 'power');
    q<HTMLButtonElement>('split-submit').click();
    await settle();
    expect(c.bodies).toEqual([{ line: 'A1', stop: 'S01.x', reason: 'breakdown', splitAt: T0 + 4.5 * MIN, reason2: 'power' }]);
    expect(done).toHaveLength(1);
  });

  it('shows the collector\'s refusal in the page\'s language', async () => {
    const c = collector({ status: 409, body: { error: { code: 'edit_window_closed', message: 'stop S01.x ended 2026-12-01T02:10:00.000Z; its 24 h edit window closed' } } });
    mount(c.fetch, 'en');
    await set('split-first', 'breakdown');
    await set('split-second', 'power');
    q<HTMLButtonElement>('split-submit').click();
    await settle();
    expect(q('split-problem').textContent).toBe('The edit window has closed: stop S01.x ended 2026-12-01T02:10:00.000Z; its 24 h edit window closed');
    expect(done).toHaveLength(0);
  });
});
