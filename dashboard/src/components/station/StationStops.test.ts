import { h } from 'vue';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_REASONS } from '../../../../core/reasons/config';
import type { StopRecord } from '../../../../core/reasons/stops';
import type { ApiFetchLike } from '../../services/session-api';
import { useLocaleStore } from '../../stores/locale';
import { mountedView, settle } from '../../testing/mounted-view';
import StationStops from './StationStops.vue';

const T0 = Date.UTC(2026, 11, 1, 2, 0); // 10:00 in Shanghai
const MIN = 60_000;

function record(over: Partial<StopRecord> & { id: string }): StopRecord {
  return { line: 'A1', station: 'S01', state: 'fault', from: T0, to: T0 + 10 * MIN, seconds: 600, stationReason: null, inferred: null, current: null, history: [], ...over };
}

/** A stand-in collector: GET /api/v1/stops answers `records`; POST classify answers what `next` says. */
function fakeCollector(records: StopRecord[]) {
  const log: string[] = [];
  const bodies: Record<string, unknown>[] = [];
  let next: { status: number; code?: string; message?: string; after?: (r: StopRecord) => void } = { status: 201 };
  const answer = (status: number, body: unknown) => Promise.resolve({ ok: status < 400, status, json: () => Promise.resolve(body), headers: { get: () => null } });
  const fetch: ApiFetchLike = (url, init) => {
    const u = new URL(url, 'http://collector');
    log.push(`${init?.method ?? 'GET'} ${u.pathname}${u.search}`);
    if (u.pathname === '/api/v1/stops') {
      const station = u.searchParams.get('station');
      return answer(200, { records: records.filter((r) => station === null || r.station === station), unclassifiedShare: 1, timeZone: 'Asia/Shanghai', tree: DEFAULT_REASONS });
    }
    if (u.pathname === '/api/v1/stops/classify' && init?.method === 'POST') {
      const body = JSON.parse(init.body ?? '{}') as { stop: string; reason: string };
      bodies.push(body);
      const r = records.find((x) => x.id === body.stop);
      const reply = next;
      next = { status: 201 };
      if (r && reply.after) reply.after(r);
      if (reply.status !== 201 || !r) return answer(reply.status, { error: { code: reply.code ?? 'unknown_stop', message: reply.message ?? 'no such stop' } });
      const reason = DEFAULT_REASONS.reasons.find((x) => x.code === body.reason);
      const ev = { type: 'stop_reason', id: `e${bodies.length}`, ts: T0 + 20 * MIN, stop: r.id, line: 'A1', station: r.station, reason: body.reason, category: reason?.category ?? '', actorKind: 'person', actorId: 'op1', actorName: 'Wang Li', role: 'operator' } as const;
      r.history = [ev];
      r.current = { source: 'person', event: ev.id, by: { id: 'op1', name: 'Wang Li', role: 'operator' }, at: ev.ts, parts: [{ from: r.from, to: r.to ?? r.from, reason: body.reason, category: ev.category }] };
      return answer(201, { stop: r });
    }
    return answer(404, { error: { code: 'not_found', message: 'no route' } });
  };
  return { fetch, log, bodies, refuse: (n: typeof next) => (next = n) };
}

describe('StationStops (the tablet\'s stops to classify)', () => {
  const ui = mountedView();
  function mount(collector: ReturnType<typeof fakeCollector>, signedIn = true, station: string | null = 'S01'): void {
    ui.mount(() => h(StationStops, { line: 'A1', station, signedIn, api: { fetch: collector.fetch }, refreshMs: 0 }));
  }
  beforeEach(() => localStorage.clear());
  afterEach(() => ui.unmount());
  const listed = () => [...ui.root.querySelectorAll('[data-testid^="tablet-stop-S"]')].map((e) => e.getAttribute('data-testid'));

  it('lists the station\'s stops no person has classified, newest first, with the inference as the first one-tap suggestion', async () => {
    const c = fakeCollector([
      record({ id: 'S01.a', from: T0 }),
      record({ id: 'S01.b', from: T0 + 30 * MIN, state: 'starved', stationReason: 'waiting for parts from P-BATT-01', inferred: { category: 'material', partner: 'P-BATT-01' } }),
      record({ id: 'S01.c', from: T0 + 60 * MIN, history: [{ type: 'stop_reason', id: 'x', ts: T0, stop: 'S01.c', line: 'A1', station: 'S01', reason: 'power', category: 'environment', actorKind: 'person', actorId: 'sv1', actorName: 'Zhao', role: 'supervisor' }] }),
    ]);
    mount(c);
    await settle();
    expect(c.log[0]).toBe('GET /api/v1/stops?line=A1&range=day%3Atoday&station=S01');
    expect(listed()).toEqual(['tablet-stop-S01.b', 'tablet-stop-S01.a']);
    expect(ui.text('stops-waiting')).toBe('2');
    expect(ui.text('tablet-stop-S01.b')).toContain('P-BATT-01');
    const first = ui.root.querySelector('[data-testid="suggestions"] button');
    expect(first?.getAttribute('data-testid')).toBe('suggest-parts_shortage');
    expect(first?.textContent).toBe('缺料');
    await ui.tap('suggest-parts_shortage');
    expect(c.bodies).toEqual([{ line: 'A1', stop: 'S01.b', reason: 'parts_shortage' }]);
    expect(listed()).toEqual(['tablet-stop-S01.a']);
    expect(ui.text('stops-notice')).toContain('已分类为“缺料”（Wang Li）');
    expect(c.log.filter((l) => l.startsWith('GET')).length).toBe(2);
  });

  it('shows the tree\'s categories and their reasons: a tap on a category, then one on a reason', async () => {
    const c = fakeCollector([record({ id: 'S01.a' })]);
    mount(c);
    await settle();
    // A fault suggests the machine reasons; the categories stay closed until tapped, so no reason shows twice.
    expect([...ui.root.querySelectorAll('[data-testid^="suggest-"]')].map((b) => b.getAttribute('data-testid'))).toEqual(['suggest-breakdown', 'suggest-tooling', 'suggest-robot']);
    expect(ui.root.querySelectorAll('[data-testid^="tablet-reason-"]').length).toBe(0);
    await ui.tap('category-environment');
    expect(ui.q('category-environment')?.getAttribute('aria-selected')).toBe('true');
    expect([...ui.root.querySelectorAll('[data-testid^="tablet-reason-"]')].map((b) => b.textContent?.trim())).toEqual(['停电', '气源']);
    await ui.tap('tablet-reason-power');
    expect(c.bodies).toEqual([{ line: 'A1', stop: 'S01.a', reason: 'power' }]);
    expect(ui.text('stops-none')).toBe('本工位今天没有待分类的停机');
  });

  it('offers a station-prefilled stop for confirmation, and speaks English when asked', async () => {
    const c = fakeCollector([record({ id: 'S01.a', stationReason: 'robot', current: { source: 'station', parts: [{ from: T0, to: T0 + 10 * MIN, reason: 'robot', category: 'machine' }] } })]);
    mount(c);
    useLocaleStore(ui.pinia).setLocale('en');
    await settle();
    expect(ui.text('prefilled')).toBe('Pre-filled: Robot alarm — tap to confirm');
    expect(ui.root.querySelector('[data-testid="suggestions"] button')?.getAttribute('data-testid')).toBe('suggest-robot');
    expect(ui.q('category-machine')?.textContent).toBe('Machine');
  });

  it('says why a tap did not classify: edit window closed, already classified by someone else, not signed in', async () => {
    const c = fakeCollector([record({ id: 'S01.a' }), record({ id: 'S01.b', from: T0 + 30 * MIN })]);
    mount(c);
    await settle();
    c.refuse({ status: 409, code: 'edit_window_closed', message: 'stop S01.b ended 2026-12-01T02:40:00.000Z; its 24 h edit window closed 2026-12-02T02:40:00.000Z' });
    await ui.tap('suggest-breakdown');
    expect(ui.text('stops-problem')).toContain('已超过修改期限，不能再分类：stop S01.b ended');
    await ui.tap('stops-dismiss');
    expect(ui.q('stops-problem')).toBeNull();

    // Someone else classified S01.b in the meantime: the collector refuses, the tablet names who and shows the list as it is now.
    c.refuse({
      status: 403,
      code: 'forbidden',
      message: 'stop S01.b is already classified; a operator may not change it, a supervisor may',
      after: (r) => {
        r.history = [{ type: 'stop_reason', id: 'y', ts: T0, stop: r.id, line: 'A1', station: 'S01', reason: 'tooling', category: 'machine', actorKind: 'person', actorId: 'tl1', actorName: 'Li Na', role: 'team_leader' }];
        r.current = { source: 'person', by: { id: 'tl1', name: 'Li Na', role: 'team_leader' }, parts: [{ from: r.from, to: r.from + 1, reason: 'tooling', category: 'machine' }] };
      },
    });
    await ui.tap('suggest-breakdown');
    expect(ui.text('stops-problem')).toContain('此停机已由 Li Na 分类为“工装夹具”');
    expect(listed()).toEqual(['tablet-stop-S01.a']);
    ui.unmount();

    const before = c.bodies.length;
    mount(c, false);
    await settle();
    await ui.tap('suggest-breakdown');
    expect(ui.text('stops-problem')).toContain('请先登录，再分类停机');
    expect(c.bodies.length).toBe(before);
  });

  it('says in the page\'s language that the collector cannot be reached, not the browser\'s TypeError, and follows a language switch', async () => {
    const down: ApiFetchLike = () => Promise.reject(new TypeError('Failed to fetch'));
    ui.mount(() => h(StationStops, { line: 'A1', station: 'S01', signedIn: true, api: { fetch: down }, refreshMs: 0 }));
    await settle();
    const text = () => ui.root.querySelector('[data-testid="stops-load-error"]')?.textContent ?? '';
    expect(text()).toMatch(/^无法加载停机记录：连不上采集器/);
    expect(text()).not.toContain('TypeError');
    useLocaleStore().setLocale('en');
    await settle();
    expect(text()).toContain('Cannot reach the collector');
  });

  it('shows a station-less (whole line) list with each stop\'s station', async () => {
    const c = fakeCollector([record({ id: 'S01.a' }), record({ id: 'S02.a', station: 'S02', from: T0 + MIN })]);
    mount(c, true, null);
    await settle();
    expect(c.log[0]).toBe('GET /api/v1/stops?line=A1&range=day%3Atoday');
    expect(listed()).toEqual(['tablet-stop-S02.a', 'tablet-stop-S01.a']);
    expect(ui.text('tablet-stop-S02.a')).toContain('S02 · 故障');
  });
});
