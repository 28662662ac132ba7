import { describe, expect, it } from 'vitest';
import type { AndonCallEvent } from '../events';
import { andonKpis } from './kpi';
import { accessRefusal } from './access';
import { applyCallEvent, transitionRefusal, type AndonCall } from './calls';
import { dueEscalation } from './escalation';
import { DEFAULT_ESCALATION } from './config';

const T0 = 1_800_000_000_000;
const step = (call: string, action: AndonCallEvent['action'], ts: number, extra: Partial<AndonCallEvent> = {}): AndonCallEvent => ({
  type: 'andon_call', ts, id: `${call}.${action}${extra.tier ?? ''}`, call, action, line: 'A1', station: 'S01', actorKind: 'person', actorId: 'p1', actorName: 'P 1', ...extra,
});

describe('calls from their events', () => {
  it('reduces raise → escalate → acknowledge → resolve, and ignores a repeat', () => {
    const calls = new Map<string, AndonCall>();
    applyCallEvent(calls, step('c1', 'raise', T0, { kind: 'maintenance', priority: 'high', tier: 0, role: 'team_leader' }));
    applyCallEvent(calls, step('c1', 'escalate', T0 + 180_000, { tier: 1, role: 'maintenance' }));
    expect(applyCallEvent(calls, step('c1', 'escalate', T0 + 181_000, { tier: 1, role: 'maintenance' }))).toBeNull();
    applyCallEvent(calls, step('c1', 'acknowledge', T0 + 200_000, { actorId: 'mt1' }));
    applyCallEvent(calls, step('c1', 'resolve', T0 + 600_000, { reason: 'repaired', note: 'sensor' }));
    expect(calls.get('c1')).toMatchObject({ status: 'resolved', tier: 1, tierRole: 'maintenance', acknowledgedAt: T0 + 200_000, acknowledgedBy: { id: 'mt1' }, resolution: { reason: 'repaired', note: 'sensor' } });
    expect(calls.get('c1')?.escalations.map((x) => x.tier)).toEqual([0, 1]);
  });
  it('resolving an open call acknowledges it at the same instant', () => {
    const calls = new Map<string, AndonCall>();
    applyCallEvent(calls, step('c2', 'raise', T0));
    applyCallEvent(calls, step('c2', 'resolve', T0 + 90_000, { reason: 'other' }));
    expect(calls.get('c2')).toMatchObject({ acknowledgedAt: T0 + 90_000, resolvedAt: T0 + 90_000 });
  });
  it('refuses transitions out of order with the reason', () => {
    const calls = new Map<string, AndonCall>();
    const c = applyCallEvent(calls, step('c3', 'raise', T0));
    if (!c) throw new Error('not raised');
    expect(transitionRefusal(c, 'reopen')?.message).toBe('call c3 is still open: only a resolved or cancelled call can be reopened');
    applyCallEvent(calls, step('c3', 'cancel', T0 + 1));
    expect(transitionRefusal(c, 'acknowledge')?.message).toBe('call c3 is already cancelled');
    expect(transitionRefusal(c, 'reopen')).toBeNull();
  });
});

describe('escalation', () => {
  it('is due tier by tier, only while nobody acknowledged', () => {
    const calls = new Map<string, AndonCall>();
    const c = applyCallEvent(calls, step('c4', 'raise', T0));
    if (!c) throw new Error('not raised');
    expect(dueEscalation(c, DEFAULT_ESCALATION, T0 + 179_999)).toBeNull();
    expect(dueEscalation(c, DEFAULT_ESCALATION, T0 + 180_000)).toEqual({ tier: 1, role: 'maintenance' });
    // Late by far: still one step at a time, each recorded.
    expect(dueEscalation(c, DEFAULT_ESCALATION, T0 + 3_600_000)).toEqual({ tier: 1, role: 'maintenance' });
    applyCallEvent(calls, step('c4', 'escalate', T0 + 180_000, { tier: 1, role: 'maintenance' }));
    expect(dueEscalation(c, DEFAULT_ESCALATION, T0 + 600_000)).toEqual({ tier: 2, role: 'manager' });
    applyCallEvent(calls, step('c4', 'acknowledge', T0 + 590_000));
    expect(dueEscalation(c, DEFAULT_ESCALATION, T0 + 600_000)).toBeNull();
  });
});

describe('access', () => {
  const call = { id: 'c9', raisedBy: { kind: 'person' as const, id: 'op1', name: 'Op' } };
  it('names the roles that may, the lines a person answers for, and the raiser rule for cancel', () => {
    expect(accessRefusal({ id: 'op1', role: 'operator', lines: [] }, 'acknowledge', 'A1')?.message).toBe('an operator may not acknowledge calls; roles that may: team_leader, maintenance, supervisor, manager, admin');
    expect(accessRefusal({ id: 'tl1', role: 'team_leader', lines: ['B2'] }, 'acknowledge', 'A1')?.message).toBe('you answer for line(s) B2, not A1');
    expect(accessRefusal({ id: 'mg1', role: 'manager', lines: [] }, 'cancel', 'A1', call)?.code).toBe('forbidden');
    expect(accessRefusal({ id: 'op1', role: 'operator', lines: [] }, 'cancel', 'A1', call)).toBeNull();
    expect(accessRefusal({ id: 'mg1', role: 'manager', lines: [] }, 'editRules', 'A1')).toBeNull();
    expect(accessRefusal({ id: 'sv1', role: 'supervisor', lines: [] }, 'editRules', 'A1')?.message).toContain('roles that may: manager, admin');
  });
});

describe('MTTA and MTTR', () => {
  it('means over acknowledged and resolved calls, per kind, station and tier at acknowledgement; no calls is no data', () => {
    const calls = new Map<string, AndonCall>();
    applyCallEvent(calls, step('a', 'raise', T0, { kind: 'maintenance' }));
    applyCallEvent(calls, step('a', 'acknowledge', T0 + 60_000));
    applyCallEvent(calls, step('a', 'resolve', T0 + 600_000, { reason: 'repaired' }));
    applyCallEvent(calls, step('b', 'raise', T0, { kind: 'maintenance', station: 'S02' }));
    applyCallEvent(calls, step('b', 'escalate', T0 + 180_000, { tier: 1, role: 'maintenance' }));
    applyCallEvent(calls, step('b', 'acknowledge', T0 + 240_000));
    applyCallEvent(calls, step('c', 'raise', T0, { kind: 'help' }));
    applyCallEvent(calls, step('d', 'raise', T0, { kind: 'help' }));
    applyCallEvent(calls, step('d', 'cancel', T0 + 5_000));
    const k = andonKpis([...calls.values()]);
    expect(k.calls).toBe(3);
    expect(k.mtta).toEqual({ seconds: 150, calls: 2 });
    expect(k.mttr).toEqual({ seconds: 600, calls: 1 });
    expect(k.byKind.find((x) => x.kind === 'help')).toMatchObject({ calls: 1, mtta: { seconds: null, calls: 0 } });
    expect(k.byTier.map((t) => [t.tier, t.mtta.seconds])).toEqual([[0, 60], [1, 240]]);
    expect(k.byStation.map((s) => s.station)).toEqual(['S01', 'S02']);
    expect(andonKpis([]).mtta).toEqual({ seconds: null, calls: 0 });
  });
});
