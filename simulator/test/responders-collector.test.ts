/**
 * The demo's andon responders (simulator/responders.ts) against the real
 * collector and influxd: they sign in with their PINs, acknowledge a call,
 * leave it while its station is down, resolve it once the station has run
 * again, sign in again after a collector restart ended their sessions, and
 * say once, without throwing, when a PIN is wrong.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationEvent } from '../../core/events';
import { andonPlant, call, signIn } from '../../collector/test/support/andon';
import { startStack, type Stack } from '../../collector/test/support/stack';
import { Responders, type ResponseTimes } from '../responders';

let stack: Stack;
let raiser: string;
const TIMES: ResponseTimes = { acknowledgeMs: [0, 1], resolveMs: 1000, resolveLineCallMs: 1000 };

beforeAll(async () => {
  stack = await startStack({ config: { plant: await andonPlant(null) } });
  const op = await signIn(stack.baseUrl, 'op1', '1111');
  raiser = op.cookie ?? '';
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const state = (station: string, s: string, ts: number) => ({ type: 'state', ts, line: 'A1', station, state: s }) as StationEvent;
const cycle = (station: string, ts: number) => ({ type: 'cycle', ts, line: 'A1', station, cycleTime: 100, result: 'ok' }) as StationEvent;
const raise = async (body: Record<string, unknown>) => {
  const res = await call(stack.baseUrl, raiser, 'POST', '/api/v1/andon/calls', { line: 'A1', ...body });
  expect(res.status).toBe(201);
  return res.body.call.id as string;
};
const callOf = async (id: string) => (await call(stack.baseUrl, null, 'GET', `/api/v1/andon/call?id=${id}`)).body;
const responders = (acknowledger: [string, string], log: string[]) =>
  new Responders({ target: stack.baseUrl, line: 'A1', acknowledger: { person: acknowledger[0], pin: acknowledger[1] }, resolver: { person: 'mt1', pin: '3333' }, times: TIMES, log: (l) => log.push(l) });

describe('andon responders against the collector', () => {
  it('acknowledge as the team leader, wait while the station is down, resolve as maintenance once it has run again', async () => {
    const id = await raise({ station: 'S02', kind: 'maintenance' });
    const log: string[] = [];
    const r = responders(['tl1', '2222'], log);
    const t = Date.now();
    r.observe(state('S02', 'fault', t));
    await r.turn();
    let view = await callOf(id);
    expect(view.call.status).toBe('acknowledged');
    expect(view.call.acknowledgedBy.id).toBe('tl1');
    // Still in fault a while later: the call stays acknowledged.
    r.observe(cycle('S01', t + 5000));
    await r.turn();
    expect((await callOf(id)).call.status).toBe('acknowledged');
    // Running again, and long enough on the line's clock: resolved, with the kind's reason.
    r.observe(state('S02', 'running', t + 6000));
    r.observe(cycle('S01', t + 8000));
    await r.turn();
    view = await callOf(id);
    expect(view.call.status).toBe('resolved');
    expect(view.call.resolvedBy.id).toBe('mt1');
    expect(view.call.resolution.reason).toBe('repaired');
    expect(view.history.map((h: { action: string; actor: { id: string } }) => `${h.action} ${h.actor.id}`)).toEqual(['andon.raise op1', 'andon.acknowledge tl1', 'andon.resolve mt1']);
    expect(r.stats).toEqual({ acknowledge: 1, resolve: 1 });
    expect(log.filter((l) => l.includes('cannot'))).toEqual([]);
  });

  it('signs in again when a collector restart ended its sessions', async () => {
    const log: string[] = [];
    const r = responders(['tl1', '2222'], log);
    const first = await raise({ station: 'S03', kind: 'help' });
    r.observe(cycle('S01', Date.now()));
    await r.turn();
    expect((await callOf(first)).call.status).toBe('acknowledged');
    await stack.stopCollector();
    await stack.startCollector();
    raiser = (await signIn(stack.baseUrl, 'op1', '1111')).cookie ?? '';
    const second = await raise({ station: 'S04', kind: 'help' });
    r.observe(cycle('S01', Date.now()));
    await r.turn();
    expect((await callOf(second)).call.status).toBe('acknowledged');
    expect(log.filter((l) => l.includes('cannot'))).toEqual([]);
  }, 60_000);

  it('says once that a PIN is wrong, throws nothing, and leaves the call open', async () => {
    const log: string[] = [];
    const r = responders(['mg1', '0000'], log);
    const id = await raise({ station: 'S05', kind: 'help' });
    r.observe(cycle('S01', Date.now() + 1000));
    await r.turn();
    await r.turn();
    expect(log.filter((l) => l.includes('mg1 cannot sign in'))).toHaveLength(1);
    expect((await callOf(id)).call.status).toBe('open');
    expect(r.stats.acknowledge).toBe(0);
  });
});
