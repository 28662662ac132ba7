/**
 * Test doubles for the andon screens: calls, sessions and config in the
 * contract's shapes (core/andon/types.ts, docs/api.md), and a fake fetch that
 * plays the collector's andon and session routes in memory: PINs with a
 * lock-out after five wrong tries, roles from `may`, and the call lifecycle.
 * Imported by *.test.ts only, never by the app, so none of it ships.
 */
import type { AndonCallView, Role, SessionView } from '@core/andon/types';
import type { AndonConfig, DeliveriesAnswer } from '../../services/andon-api';
import type { ApiFetchLike, PersonSummary } from '../../services/session-api';

/** 2026-12-01 17:30 +08:00. */
export const ANDON_NOW = Date.parse('2026-12-01T17:30:00+08:00');

export const ANDON_CONFIG: AndonConfig = {
  kinds: [
    { id: 'maintenance', label: { zh: '设备维修', en: 'Maintenance' } },
    { id: 'material', label: { zh: '物料', en: 'Material' } },
    { id: 'quality', label: { zh: '质量', en: 'Quality' } },
    { id: 'help', label: { zh: '求助', en: 'Help' } },
    { id: 'safety', label: { zh: '安全', en: 'Safety' } },
  ],
  priorities: ['low', 'normal', 'high', 'critical'],
  resolutionReasons: [
    { id: 'fixed', label: { zh: '已修复', en: 'Fixed' } },
    { id: 'material_delivered', label: { zh: '物料已送达', en: 'Material delivered' } },
    { id: 'false_alarm', label: { zh: '误报', en: 'False alarm' } },
  ],
  escalation: ['maintenance', 'material', 'quality', 'help', 'safety'].map((kind) => ({
    kind,
    tiers: [
      { role: 'team_leader' as const, afterSeconds: 0 },
      { role: 'maintenance' as const, afterSeconds: 180 },
      { role: 'manager' as const, afterSeconds: 600 },
    ],
  })),
};

/** An open call at S07, raised by Wang Fang two minutes before `ANDON_NOW`, with overrides. */
export function callFixture(overrides: Partial<AndonCallView> = {}): AndonCallView {
  const raisedAt = overrides.raisedAt ?? ANDON_NOW - 120_000;
  return {
    id: 'c-1',
    line: 'A1',
    station: 'S07',
    kind: 'maintenance',
    priority: 'normal',
    status: 'open',
    raisedAt,
    raisedBy: { kind: 'person', id: 'p-wang', name: '王芳' },
    note: null,
    tier: 0,
    tierRole: 'team_leader',
    escalations: [{ tier: 0, role: 'team_leader', at: raisedAt }],
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    resolution: null,
    cancelledAt: null,
    cancelledBy: null,
    reopens: null,
    ...overrides,
  };
}

const MAY: Record<Role, SessionView['may']> = {
  operator: { raise: true, acknowledge: false, resolve: false, cancel: true, editRules: false },
  team_leader: { raise: true, acknowledge: true, resolve: true, cancel: true, editRules: false },
  maintenance: { raise: true, acknowledge: true, resolve: true, cancel: false, editRules: false },
  supervisor: { raise: true, acknowledge: true, resolve: true, cancel: true, editRules: false },
  manager: { raise: false, acknowledge: true, resolve: true, cancel: false, editRules: false },
  admin: { raise: true, acknowledge: true, resolve: true, cancel: true, editRules: true },
};

/** The people of the fake plant, PIN = the last four digits of their id. */
export const ANDON_PEOPLE: (PersonSummary & { pin: string })[] = [
  { id: 'p-wang', name: '王芳', role: 'operator', pin: '1111' },
  { id: 'p-li', name: '李强', role: 'team_leader', pin: '2222' },
  { id: 'p-zhao', name: '赵磊', role: 'maintenance', pin: '3333' },
];

export function sessionFixture(role: Role = 'team_leader', id = 'p-li', name = '李强'): SessionView {
  return { person: { id, name, role, lines: ['A1'], stations: [] }, expiresAt: ANDON_NOW + 12 * 3_600_000, may: MAY[role] };
}

/** The most wrong PINs before a lock, and how long it lasts, s (docs/api.md). */
export const FAKE_MAX_TRIES = 5;
export const FAKE_LOCK_SECONDS = 300;

export interface FakeAndonCollector {
  fetch: ApiFetchLike;
  /** `METHOD path?query` of every request, in order. */
  calls: string[];
  /** Bodies of the POSTs, in order. */
  bodies: unknown[];
  state: { calls: AndonCallView[]; session: SessionView | null };
  /** Makes the next requests to `path` answer `status` with `error`. */
  failNext(path: string, status: number, error: Record<string, unknown>): void;
}

/** The collector's session and andon routes, in memory. */
export function fakeAndonCollector(options: { now?: () => number; calls?: AndonCallView[]; session?: SessionView | null; deliveries?: DeliveriesAnswer } = {}): FakeAndonCollector {
  const now = options.now ?? (() => ANDON_NOW);
  const state = { calls: [...(options.calls ?? [])], session: options.session ?? null };
  const wrong = new Map<string, number>();
  const lockedUntil = new Map<string, number>();
  const log: string[] = [];
  const bodies: unknown[] = [];
  const failures = new Map<string, { status: number; error: Record<string, unknown> }>();
  let seq = state.calls.length;

  const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    Promise.resolve({ ok: status < 400, status, json: () => Promise.resolve(body), headers: { get: (n: string) => headers[n.toLowerCase()] ?? null } });
  const problem = (status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    answer(status, { error: { code, message, ...extra } }, headers);
  const who = () => (state.session ? { kind: 'person' as const, id: state.session.person.id, name: state.session.person.name } : null);

  const fetch: ApiFetchLike = (url, init) => {
    const method = init?.method ?? 'GET';
    const u = new URL(url, 'http://collector');
    log.push(`${method} ${u.pathname}${u.search}`);
    const body: Record<string, unknown> = init?.body ? (JSON.parse(init.body) as Record<string, unknown>) : {};
    if (init?.body) bodies.push(body);
    const fail = failures.get(u.pathname);
    if (fail) {
      failures.delete(u.pathname);
      return problem(fail.status, String(fail.error.code), String(fail.error.message), fail.error);
    }
    const route = `${method} ${u.pathname}`;
    switch (route) {
      case 'GET /api/v1/session':
        return state.session ? answer(200, state.session) : problem(401, 'not_signed_in', 'nobody is signed in on this browser');
      case 'DELETE /api/v1/session':
        state.session = null;
        return answer(204, null);
      case 'POST /api/v1/session': {
        const person = ANDON_PEOPLE.find((p) => p.id === body.person);
        if (!person) return problem(401, 'bad_credentials', 'unknown person or wrong PIN');
        const until = lockedUntil.get(person.id) ?? 0;
        if (until > now()) {
          const s = Math.ceil((until - now()) / 1000);
          return problem(429, 'locked', `too many wrong PINs: try again in ${s} s`, { retryAfterSeconds: s }, { 'retry-after': String(s) });
        }
        if (body.pin !== person.pin) {
          const n = (wrong.get(person.id) ?? 0) + 1;
          wrong.set(person.id, n);
          if (n >= FAKE_MAX_TRIES) {
            wrong.delete(person.id);
            lockedUntil.set(person.id, now() + FAKE_LOCK_SECONDS * 1000);
            return problem(429, 'locked', `too many wrong PINs: try again in ${FAKE_LOCK_SECONDS} s`, { retryAfterSeconds: FAKE_LOCK_SECONDS });
          }
          return problem(401, 'bad_credentials', 'unknown person or wrong PIN', { attemptsLeft: FAKE_MAX_TRIES - n });
        }
        wrong.delete(person.id);
        state.session = sessionFixture(person.role, person.id, person.name);
        return answer(200, state.session);
      }
      case 'GET /api/v1/people':
        return answer(200, { people: ANDON_PEOPLE.map(({ id, name, role }) => ({ id, name, role })) });
      case 'GET /api/v1/andon/config':
        return answer(200, ANDON_CONFIG);
      case 'GET /api/v1/andon/calls': {
        const status = u.searchParams.get('status') ?? 'active';
        const station = u.searchParams.get('station');
        const calls = state.calls.filter(
          (c) =>
            c.line === u.searchParams.get('line') &&
            (!station || c.station === station) &&
            (status === 'all' || (status === 'open' ? c.status === 'open' : c.status === 'open' || c.status === 'acknowledged')),
        );
        return answer(200, { calls });
      }
      case 'GET /api/v1/andon/call': {
        const call = state.calls.find((c) => c.id === u.searchParams.get('id'));
        return call ? answer(200, { call, history: [] }) : problem(404, 'unknown_call', `no call ${u.searchParams.get('id')}`);
      }
      case 'GET /api/v1/andon/deliveries':
        return answer(200, options.deliveries ?? { deliveries: [], channels: [] });
      case 'POST /api/v1/andon/calls': {
        const actor = who();
        if (!actor || !state.session) return problem(401, 'not_signed_in', 'sign in first');
        if (!state.session.may.raise) return problem(403, 'forbidden', 'operators, team leaders, maintenance and supervisors may raise calls');
        seq += 1;
        const call = callFixture({ id: `c-${seq}`, line: String(body.line), station: typeof body.station === 'string' ? body.station : null, kind: String(body.kind), raisedAt: now(), raisedBy: actor });
        state.calls.push(call);
        return answer(201, { call });
      }
      case 'POST /api/v1/andon/actions': {
        const actor = who();
        if (!actor || !state.session) return problem(401, 'not_signed_in', 'sign in first');
        const i = state.calls.findIndex((c) => c.id === body.call);
        const call = state.calls[i];
        if (!call) return problem(404, 'unknown_call', `no call ${String(body.call)}`);
        const action = body.action as 'acknowledge' | 'resolve' | 'cancel';
        if (!state.session.may[action]) return problem(403, 'forbidden', `a ${state.session.person.role} may not ${action} a call`);
        if (call.status === 'resolved' || call.status === 'cancelled' || (action === 'acknowledge' && call.status !== 'open')) {
          return problem(409, 'invalid_transition', `call ${call.id} is already ${call.status}`);
        }
        const next: AndonCallView =
          action === 'acknowledge'
            ? { ...call, status: 'acknowledged', acknowledgedAt: now(), acknowledgedBy: actor }
            : action === 'resolve'
              ? { ...call, status: 'resolved', resolvedAt: now(), resolvedBy: actor, resolution: { reason: String(body.reason), note: typeof body.note === 'string' ? body.note : null } }
              : { ...call, status: 'cancelled', cancelledAt: now(), cancelledBy: actor };
        state.calls[i] = next;
        return answer(200, { call: next });
      }
      default:
        return problem(404, 'not_found', `no route ${route}`);
    }
  };

  return {
    fetch,
    calls: log,
    bodies,
    state,
    failNext: (path, status, error) => void failures.set(path, { status, error }),
  };
}
