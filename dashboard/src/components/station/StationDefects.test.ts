import { h } from 'vue';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_DEFECTS } from '../../../../core/reasons/config';
import type { NokItem } from '../../../../core/reasons/defects';
import type { ApiFetchLike } from '../../services/session-api';
import { useLocaleStore } from '../../stores/locale';
import { mountedView, settle } from '../../testing/mounted-view';
import StationDefects from './StationDefects.vue';

const T0 = Date.UTC(2026, 11, 1, 2, 0);
const item = (unit: string, ts: number, defect: string | null = null): NokItem => ({ unit, station: 'S04', ts, sent: defect, added: null, defect });

function fakeCollector(units: NokItem[]) {
  const bodies: Record<string, unknown>[] = [];
  const gets: string[] = [];
  let refuse: { status: number; code: string; message: string } | null = null;
  const answer = (status: number, body: unknown) => Promise.resolve({ ok: status < 400, status, json: () => Promise.resolve(body), headers: { get: () => null } });
  const fetch: ApiFetchLike = (url, init) => {
    const u = new URL(url, 'http://collector');
    if (u.pathname === '/api/v1/units/nok') {
      gets.push(u.search);
      return answer(200, { units, total: units.length, timeZone: 'Asia/Shanghai', catalogue: DEFAULT_DEFECTS });
    }
    if (u.pathname === '/api/v1/units/defect' && init?.method === 'POST') {
      const body = JSON.parse(init.body ?? '{}') as { unit: string; defect: string };
      bodies.push(body);
      if (refuse) {
        const r = refuse;
        refuse = null;
        return answer(r.status, { error: { code: r.code, message: r.message } });
      }
      const it = units.find((x) => x.unit === body.unit);
      if (!it) return answer(404, { error: { code: 'unknown_unit', message: 'no unit' } });
      it.defect = body.defect;
      it.added = { type: 'unit_defect', ts: T0, id: 'ud-1', line: 'A1', unit: it.unit, station: 'S04', defect: body.defect, actorKind: 'person', actorId: 'op1', actorName: 'Wang Li', role: 'operator' };
      return answer(201, { unit: it });
    }
    return answer(404, { error: { code: 'not_found', message: 'no route' } });
  };
  return { fetch, bodies, gets, refuseNext: (r: NonNullable<typeof refuse>) => (refuse = r) };
}

describe('StationDefects (the tablet\'s nok units)', () => {
  const ui = mountedView();
  function mount(c: ReturnType<typeof fakeCollector>, signedIn = true): void {
    ui.mount(() => h(StationDefects, { line: 'A1', station: 'S04', signedIn, api: { fetch: c.fetch }, refreshMs: 0 }));
  }
  beforeEach(() => localStorage.clear());
  afterEach(() => ui.unmount());

  it('says in the page\'s language that the collector cannot be reached, not the browser\'s TypeError', async () => {
    const down: ApiFetchLike = () => Promise.reject(new TypeError('Failed to fetch'));
    ui.mount(() => h(StationDefects, { line: 'A1', station: 'S04', signedIn: true, api: { fetch: down }, refreshMs: 0 }));
    await settle();
    const text = ui.root.querySelector('[data-testid="nok-load-error"]')?.textContent ?? '';
    expect(text).toContain('连不上采集器');
    expect(text).not.toContain('TypeError');
  });

  it('lists the station\'s nok units without a code, offers the catalogue in one tap, and records the code as the signed-in person', async () => {
    const c = fakeCollector([item('VIN-1', T0), item('VIN-2', T0 + 60_000), item('VIN-3', T0 - 60_000, 'leak')]);
    mount(c);
    await settle();
    expect(c.gets[0]).toBe('?line=A1&range=day%3Atoday&station=S04');
    expect([...ui.root.querySelectorAll('[data-testid^="nok-VIN"]')].map((e) => e.getAttribute('data-testid'))).toEqual(['nok-VIN-1', 'nok-VIN-2']);
    expect([...ui.root.querySelectorAll('[data-testid^="defect-"]')].map((b) => b.textContent?.trim())).toEqual(DEFAULT_DEFECTS.map((d) => d.label.zh));
    await ui.tap('defect-torque');
    expect(c.bodies).toEqual([{ line: 'A1', unit: 'VIN-1', station: 'S04', defect: 'torque' }]);
    expect(ui.text('nok-notice')).toBe('VIN-1 已记为“扭矩不合格”（Wang Li）');
    expect(ui.q('nok-VIN-1')).toBeNull();
    expect(ui.text('nok-waiting')).toBe('1');
  });

  it('says why a code was refused, in English when asked; without a sign-in it sends nothing', async () => {
    const c = fakeCollector([item('VIN-1', T0)]);
    mount(c);
    useLocaleStore(ui.pinia).setLocale('en');
    await settle();
    expect(ui.q('defect-scratch')?.textContent?.trim()).toBe('Scratch');
    c.refuseNext({ status: 409, code: 'already_coded', message: "Li Na gave unit VIN-1 defect 'leak'; a operator may not change it, a supervisor may" });
    await ui.tap('defect-scratch');
    expect(ui.text('nok-problem')).toContain("It has a code already: Li Na gave unit VIN-1 defect 'leak'");
    ui.unmount();
    mount(c, false);
    await settle();
    await ui.tap('defect-scratch');
    expect(ui.text('nok-problem')).toContain('Sign in first to give a defect code');
    expect(c.bodies.length).toBe(1);
  });
});
